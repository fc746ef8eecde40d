/**
 * `inventoryTarget`: what is in an image tar, OCI layout, root-filesystem directory or single file.
 * Layers are scanned concurrently (worker threads when available), each one independently and cached
 * per layer digest; then stacked (whiteouts, opaque dirs), the OS detected, and packages attributed.
 */
import { existsSync, openSync, readSync, closeSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { newComponent, type Component, type DependencyEdge, type Inventory, sha256Hex, throwIfCancelled, type WorkerHeapLimits } from '../core';
import { openStore, type Store } from '../store';
import { ScannerError } from './errors';
import { loadPlugins, type PluginSet, type PluginSources, type RefusedPlugin } from './plugins';
import { LayerCache, analyzerSetKey } from './_internal/cache';
import { dirFiles, indexTar, openDockerArchive, openOciLayout, tarFiles, type OpenedImage } from './_internal/image';
import { hashSource, scanLayer, type LayerSource } from './_internal/layer';
import { detectOs, type OsInfo } from './_internal/os';
import { normalizeEntryPath } from './_internal/paths';
import { scanDirectory, scanSingleFile } from './_internal/rootfs';
import { Squash, squashPackages, staleReadIssues, viewOf, type FinalPackage } from './_internal/squash';
import { installedFilesOf, ownersOf } from './_internal/ownership';
import { DEFAULT_SCAN_LIMITS, type LayerScan, type ScanIssue, type ScanLimits } from './_internal/types';
import { runLayerTasks, type LayerTask, type LayerTaskResult, type PoolOptions } from './_internal/pool';
import { imageProperties, type ImageDetails } from './image-properties';

export type { ScanIssue, ScanLimits } from './_internal/types';
export type { OsInfo } from './_internal/os';

/**
 * `rootfs-tar`: an uncompressed tar that is not an image — a root filesystem packed as one archive (how
 * the browser UI uploads a folder); it is read like one image layer, without extracting it.
 */
export type TargetKind = 'docker-archive' | 'oci-dir' | 'oci-tar' | 'rootfs' | 'rootfs-tar' | 'file';

/** What a path is, by content (never by name alone). */
export function detectTargetKind(path: string): TargetKind {
  if (!existsSync(path)) throw new ScannerError('target-not-found', `${path} does not exist`, { details: { file: path } });
  const st = statSync(path);
  if (st.isDirectory()) return existsSync(join(path, 'oci-layout')) && existsSync(join(path, 'index.json')) ? 'oci-dir' : 'rootfs';
  if (!st.isFile()) throw new ScannerError('unsupported-target', `${path} is neither a file nor a directory`, { details: { file: path } });
  if (st.size >= 1024) {
    const fd = openSync(path, 'r');
    const b = Buffer.alloc(512);
    try {
      readSync(fd, b, 0, 512, 0);
    } finally {
      closeSync(fd);
    }
    if (b[0] === 0x1f && b[1] === 0x8b && /\.(tar\.gz|tgz)$/i.test(path)) {
      throw new ScannerError('unsupported-target', `${path} is a gzip-compressed archive; image archives are read uncompressed (random access to layers): run gunzip first`, {
        details: { file: path, expected: 'an uncompressed docker-archive or OCI tar' },
      });
    }
    if (b.toString('latin1', 257, 262) === 'ustar') {
      try {
        const members = indexTar(path);
        if (members.has('manifest.json')) return 'docker-archive';
        if (members.has('index.json') && members.has('oci-layout')) return 'oci-tar';
        return 'rootfs-tar';
      } catch (e) {
        // far more members than any image archive has: a packed filesystem
        if (e instanceof ScannerError && e.details.tooManyMembers !== undefined) return 'rootfs-tar';
        /* not a readable tar: analyzed as a file */
      }
    }
  }
  return 'file';
}

export interface InventoryProgress {
  phase: 'plugins' | 'layers' | 'squash';
  done: number;
  total: number;
  detail?: string;
  /**
   * Phase `layers` of an image: one layer changed state — every layer is `queued` first, then `running`
   * (being analyzed, or re-hashed to check a cache entry), then `done` (analyzed) or `cached` (its cached
   * result verified).
   */
  layer?: { index: number; digest: string; state: 'queued' | 'running' | 'done' | 'cached' };
}

export interface InventoryOptions {
  /** Analyze a single file as if it stood at this path (`var/lib/dpkg/status.d/base`, `package-lock.json`). */
  as?: string;
  /** Store for the layer cache (else one is opened at `home`); `cache: false` disables caching. */
  store?: Store;
  home?: string;
  cache?: boolean;
  /** Plug-in folder (default: the repository's / installation's plugins/). */
  pluginsDir?: string;
  /** Built-in folder and `<home>/plugins` with its signature check (the jobs give these); wins over `pluginsDir`. */
  pluginSources?: PluginSources;
  plugins?: PluginSet;
  /** Worker threads for layers: default min(layers, cores, limits.maxConcurrentLayers); 0 = in this thread. */
  workers?: number;
  /** Where selected files too big to keep in memory are spooled while a layer is analyzed (default: the OS temp dir). */
  spoolDir?: string;
  /** V8 heap limits of the layer workers (default WORKER_HEAP_LIMITS.scannerLayer, engine/core/limits.ts). */
  workerHeapLimits?: WorkerHeapLimits;
  limits?: Partial<ScanLimits>;
  signal?: AbortSignal;
  onProgress?: (p: InventoryProgress) => void;
}

export interface InventoryPackage {
  name: string;
  version: string | null;
  purl: string;
  type: string;
  foundBy: string;
  layer: string | null;
  locations: string[];
  /** purl of the distro-vendor OS package that installed this language package (matched through it by default). */
  ownedBy?: string;
  /** The project itself as its lockfile names it (Syft's root package): never matched. */
  root?: true;
}

export interface ImageInfo {
  digest: string;
  format: 'docker-archive' | 'oci';
  layers: { digest: string; diffId: string }[];
}

/** The `stella inventory --json` document. */
export interface InventoryDocument {
  image: ImageInfo | null;
  os: { id: string; versionId: string | null } | null;
  packages: InventoryPackage[];
  issues: ScanIssue[];
}

export interface InventoryResult {
  kind: TargetKind;
  inventory: Inventory;
  image: ImageInfo | null;
  /** The image's layers with sizes and history, and its config (what the image view shows); null for other targets. */
  imageDetails: ImageDetails | null;
  os: OsInfo | null;
  issues: ScanIssue[];
  document: InventoryDocument;
  /** Layers served from the cache (verified by re-hashing) vs analyzed. */
  stats: { layers: number; cached: number; analyzed: number };
  /** Plug-ins the host refused at start-up, with why (hosts list them on stderr / in the log). */
  refusedPlugins: RefusedPlugin[];
}

function asPathOf(as: string): string {
  const n = normalizeEntryPath(as);
  if (!n.ok || !n.path) throw new ScannerError('unsupported-target', `--as ${JSON.stringify(as)}: expected a path inside a filesystem (${n.ok ? 'empty' : n.reason})`, { details: { path: as } });
  return n.path;
}

/** Fixed key order, so cached and fresh scans print identically. */
function normalizeIssue(i: ScanIssue): ScanIssue {
  return {
    severity: i.severity,
    message: i.message,
    ...(i.layer !== undefined ? { layer: i.layer } : {}),
    ...(i.path !== undefined ? { path: i.path } : {}),
    ...(i.line !== undefined ? { line: i.line } : {}),
    ...(i.plugin !== undefined ? { plugin: i.plugin } : {}),
  };
}

function issueSort(a: ScanIssue, b: ScanIssue): number {
  return (a.layer ?? '').localeCompare(b.layer ?? '') || (a.path ?? '').localeCompare(b.path ?? '') || (a.line ?? 0) - (b.line ?? 0) || a.message.localeCompare(b.message);
}

export async function inventoryTarget(target: string, opts: InventoryOptions = {}): Promise<InventoryResult> {
  const limits: ScanLimits = { ...DEFAULT_SCAN_LIMITS, ...opts.limits };
  opts.onProgress?.({ phase: 'plugins', done: 0, total: 1 });
  const plugins = opts.plugins ?? (await loadPlugins(opts.pluginSources ?? (opts.pluginsDir !== undefined ? { builtinDir: opts.pluginsDir } : {})));
  const analyzers = plugins.analyzers;
  const kind: TargetKind = opts.as ? (statSync(target).isFile() ? 'file' : detectTargetKind(target)) : detectTargetKind(target);
  if (opts.as && kind !== 'file') throw new ScannerError('unsupported-target', `--as applies to a single file; ${target} is a ${kind}`, { details: { file: target } });
  const issues: ScanIssue[] = [];
  const stats = { layers: 0, cached: 0, analyzed: 0 };

  let views;
  let image: ImageInfo | null = null;
  let imageDetails: ImageDetails | null = null;
  if (kind === 'rootfs') {
    views = [viewOf(await scanDirectory(target, analyzers, limits, opts.signal))];
    stats.layers = 1;
    stats.analyzed = 1;
  } else if (kind === 'rootfs-tar') {
    // One "layer" with no image around it: the layer walk (links, devices, traversal, budgets) applies as
    // is; there are no whiteouts to honour and no digest to name it by, so nothing is cached.
    const spoolDir = mkdtempSync(join(opts.spoolDir ?? tmpdir(), 'stella-spool-'));
    try {
      const source: LayerSource = { file: target, start: 0, size: statSync(target).size, label: basename(target) };
      const onLayer = (state: NonNullable<InventoryProgress['layer']>['state'], done: number): void => opts.onProgress?.({ phase: 'layers', done, total: 1, layer: { index: 0, digest: '', state } });
      const [r] = await runLayerTasks([{ kind: 'scan', source, lower: [] }], { workers: 0, plugins, limits, spoolDir, ...(opts.signal ? { signal: opts.signal } : {}) }, () => onLayer('done', 1), () => onLayer('running', 0));
      if (r?.kind !== 'scanned') throw new ScannerError('worker-failed', `${target} could not be analyzed`, { details: { file: target } });
      views = [viewOf(r.scan)];
    } finally {
      rmSync(spoolDir, { recursive: true, force: true });
    }
    stats.layers = 1;
    stats.analyzed = 1;
  } else if (kind === 'file') {
    const as = asPathOf(opts.as ?? basename(target));
    const sel = analyzers.filter((a) => a.selectors.some((s) => s.matches(as)));
    if (!sel.length) {
      throw new ScannerError('no-analyzer', `no analyzer selects ${opts.as ? `--as ${opts.as}` : `a file named ${basename(target)}`}; give --as PATH with the path this file would have in a filesystem (e.g. --as var/lib/dpkg/status)`, {
        details: { file: target, expected: 'a path some analyzer selects' },
      });
    }
    views = [viewOf(await scanSingleFile(target, as, analyzers, limits))];
    stats.layers = 1;
    stats.analyzed = 1;
  } else {
    const files = kind === 'oci-dir' ? dirFiles(target) : tarFiles(target);
    const opened: OpenedImage = kind === 'docker-archive' ? openDockerArchive(files) : openOciLayout(files);
    issues.push(...opened.issues);
    const ownStore = opts.cache === false || opts.store ? undefined : openStore({ ...(opts.home ? { home: opts.home } : {}) });
    const store = opts.store ?? ownStore;
    try {
      const cache = opts.cache === false || !store ? undefined : new LayerCache(store);
      const scans = await scanImageLayers(opened, plugins, limits, cache, stats, opts);
      image = {
        digest: opened.digest,
        format: opened.format,
        layers: opened.layers.map((l, i) => ({ digest: l.digest ?? scans[i]?.blobDigest ?? '', diffId: l.diffId ?? scans[i]?.diffId ?? '' })),
      };
      const info = image;
      imageDetails = {
        digest: opened.digest,
        format: opened.format,
        ...opened.config,
        layers: opened.layers.map((l, i) => ({
          index: i,
          digest: info.layers[i]?.digest ?? '',
          diffId: info.layers[i]?.diffId ?? '',
          size: l.size,
          ...(l.mediaType !== undefined ? { mediaType: l.mediaType } : {}),
          ...(l.createdBy !== undefined ? { createdBy: l.createdBy } : {}),
          ...(l.created !== undefined ? { created: l.created } : {}),
          ...(l.comment !== undefined ? { comment: l.comment } : {}),
        })),
      };
      views = scans.map((s, i) => viewOf(s, image?.layers[i]?.diffId));
    } finally {
      ownStore?.close();
    }
  }
  throwIfCancelled(opts.signal);
  opts.onProgress?.({ phase: 'squash', done: 0, total: 1 });
  for (const v of views) issues.push(...v.scan.issues);
  const sq = new Squash(views);
  const os = detectOs((p) => sq.readOsFile(p), issues);
  const squashed = squashPackages(sq, os, image !== null);
  issues.push(...squashed.issues, ...staleReadIssues(sq));
  const owners = ownersOf(squashed.packages, installedFilesOf(sq, squashed.packages), os);
  const orderedIssues = issues.map(normalizeIssue).sort(issueSort);
  const layerOf = (p: FinalPackage): string | null => (p.layerIndex !== undefined ? (image?.layers[p.layerIndex]?.diffId ?? null) : null);
  const packages: InventoryPackage[] = squashed.packages
    .map((p) => ({
      name: p.record.name,
      version: p.record.version ?? null,
      purl: p.purl,
      type: p.record.purl.type,
      foundBy: p.foundBy,
      layer: layerOf(p),
      locations: [...p.locations].sort(),
      ...(owners.has(p) ? { ownedBy: owners.get(p) as string } : {}),
      ...(p.record.root ? { root: true as const } : {}),
    }))
    .sort((a, b) => a.purl.localeCompare(b.purl) || a.foundBy.localeCompare(b.foundBy) || (a.locations[0] ?? '').localeCompare(b.locations[0] ?? ''));
  const document: InventoryDocument = {
    image,
    os: os ? { id: os.id, versionId: os.versionId ?? null } : null,
    packages,
    issues: orderedIssues,
  };
  const inventory = toInventory(squashed.packages, squashed.relationships, os, imageDetails, layerOf, target, owners);
  opts.onProgress?.({ phase: 'squash', done: 1, total: 1 });
  return { kind, inventory, image, imageDetails, os, issues: orderedIssues, document, stats, refusedPlugins: plugins.refused };
}

async function scanImageLayers(
  img: OpenedImage,
  plugins: PluginSet,
  limits: ScanLimits,
  cache: LayerCache | undefined,
  stats: { layers: number; cached: number; analyzed: number },
  opts: InventoryOptions,
): Promise<LayerScan[]> {
  stats.layers = img.layers.length;
  const workers = opts.workers ?? Math.min(img.layers.length, availableParallelism());
  // Results depend on the analyzers' code (their digests) and on the limits (which files a budget admits).
  const cacheKey = analyzerSetKey(plugins.fingerprint, limits);
  const chains = chainKeys(img);
  const lowerOf = (i: number): LayerSource[] => img.layers.slice(0, i).map((l) => l.source);
  const tasks: LayerTask[] = img.layers.map((l, i) => {
    const key = l.digest ?? l.diffId;
    // A layer whose analyzers needed the layers below is cached under its chain; one that did not, under its digest.
    const chain = chains[i];
    const cached = key && cache ? (cache.get(key, cacheKey) ?? (chain ? cache.get(chain, cacheKey) : undefined)) : undefined;
    return cached && key ? { kind: 'verify', source: l.source, expect: key, cached } : { kind: 'scan', source: l.source, lower: lowerOf(i) };
  });
  let done = 0;
  const layerState = (i: number, state: NonNullable<InventoryProgress['layer']>['state'], finished = false): void => {
    if (finished) done++;
    const l = img.layers[i];
    opts.onProgress?.({ phase: 'layers', done, total: tasks.length, layer: { index: i, digest: l?.digest ?? l?.diffId ?? '', state } });
  };
  tasks.forEach((_, i) => layerState(i, 'queued'));
  // One private folder for every spooled file of this inventory, removed whatever happens (a worker
  // stopped mid-layer cannot clean up after itself).
  const spoolDir = mkdtempSync(join(opts.spoolDir ?? tmpdir(), 'stella-spool-'));
  try {
    const pool = (n: number): PoolOptions => ({ workers: n, plugins, limits, spoolDir, ...(opts.workerHeapLimits ? { heapLimits: opts.workerHeapLimits } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
    // Re-hashing a cached layer is I/O plus one hash: cheaper in this thread than starting a worker for it.
    const verifyIdx = tasks.flatMap((t, i) => (t.kind === 'verify' ? [i] : []));
    const scanIdx = tasks.flatMap((t, i) => (t.kind === 'scan' ? [i] : []));
    const [verified, scanned] = await Promise.all([
      runLayerTasks(
        verifyIdx.map((i) => tasks[i] as LayerTask),
        pool(0),
        // a cached result that fails its re-hash is analyzed again below, and reported then
        (k, r) => {
          if (r.kind === 'verified' && r.ok) layerState(verifyIdx[k] as number, 'cached', true);
        },
        (k) => layerState(verifyIdx[k] as number, 'running'),
      ),
      runLayerTasks(
        scanIdx.map((i) => tasks[i] as LayerTask),
        pool(Math.min(workers, scanIdx.length)),
        (k) => layerState(scanIdx[k] as number, 'done', true),
        (k) => layerState(scanIdx[k] as number, 'running'),
      ),
    ]);
    const results: LayerTaskResult[] = new Array(tasks.length);
    verifyIdx.forEach((i, k) => (results[i] = verified[k] as LayerTaskResult));
    scanIdx.forEach((i, k) => (results[i] = scanned[k] as LayerTaskResult));
    const scans: LayerScan[] = [];
    for (let i = 0; i < tasks.length; i++) {
      const t = tasks[i] as LayerTask;
      const r = results[i];
      if (t.kind === 'verify' && r?.kind === 'verified') {
        if (r.ok) {
          stats.cached++;
          scans.push(t.cached);
          continue;
        }
        // The bytes changed under the cached digest: never trust the cache; analyze them again.
        const again = await runLayerTasks([{ kind: 'scan', source: t.source, lower: lowerOf(i) }], pool(0));
        const s = again[0];
        if (s?.kind !== 'scanned') throw new ScannerError('worker-failed', `layer ${t.source.label} could not be analyzed`);
        layerState(i, 'done', true);
        stats.analyzed++;
        scans.push(s.scan);
        continue;
      }
      if (r?.kind !== 'scanned') throw new ScannerError('worker-failed', `layer ${t.source.label} could not be analyzed`);
      stats.analyzed++;
      scans.push(r.scan);
      if (!cache || !r.scan.complete || !r.scan.blobDigest) continue;
      if (!r.scan.dependsOnLower) cache.put(r.scan.blobDigest, cacheKey, r.scan);
      else if (chains[i]) cache.put(chains[i] as string, cacheKey, r.scan);
    }
    return scans;
  } finally {
    rmSync(spoolDir, { recursive: true, force: true });
  }
}

/**
 * `chain:sha256:…` of each layer's digest together with every digest below it (as Docker's ChainID does
 * with diffIDs): the cache key of a layer whose analysis read files of the layers below. Undefined from the
 * first layer whose digest the image does not name.
 */
function chainKeys(img: OpenedImage): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  let acc = '';
  let known = true;
  for (const l of img.layers) {
    const d = l.digest ?? l.diffId;
    known = known && !!d;
    acc += `${d ?? ''}\n`;
    out.push(known ? `chain:sha256:${sha256Hex(acc)}` : undefined);
  }
  return out;
}

/** For callers outside the pool (tests, the warm-path bench): hash one layer source. */
export { hashSource, scanLayer, type LayerSource };

function toInventory(
  packages: FinalPackage[],
  relationships: { from: string; to: string }[],
  os: OsInfo | null,
  image: ImageDetails | null,
  layerOf: (p: FinalPackage) => string | null,
  target: string,
  owners: ReadonlyMap<FinalPackage, string>,
): Inventory {
  const refOf = new Map<string, string>();
  const components: Component[] = packages.map((p) => {
    const ref = `pkg-${sha256Hex(`${p.foundBy}\n${p.purl}`).slice(0, 20)}`;
    refOf.set(`${p.foundBy}\0${p.purl}`, ref);
    const layer = layerOf(p);
    const rec = p.record;
    return newComponent({
      ref,
      type: rec.componentType ?? 'library',
      name: rec.name,
      ...(rec.version ? { version: rec.version } : {}),
      purl: p.purl,
      licenses: (rec.licenses ?? []).map((l) => ({ name: l, acknowledgement: 'declared' as const })),
      ...(rec.source ? { source: { name: rec.source.name, ...(rec.source.version ? { version: rec.source.version } : {}) } } : {}),
      locations: [...p.locations].sort().map((path) => ({ path, ...(layer ? { layer } : {}) })),
      properties: Object.entries(rec.properties ?? {})
        .map(([name, value]) => ({ name: `scanner:${name}`, value })) // `stella:*` is the exporters' round-trip namespace
        .sort((a, b) => a.name.localeCompare(b.name)),
      foundBy: p.foundBy,
      ...(layer ? { layer } : {}),
      ...(rec.declared ? { declared: true } : {}),
      ...(rec.scope ? { scope: rec.scope } : {}),
      ...(owners.has(p) ? { ownedBy: owners.get(p) as string } : {}),
      ...(rec.root ? { root: true } : {}),
      hashes: (rec.hashes ?? []).filter((h) => /^[0-9a-f]+$/.test(h.content)).map((h) => ({ alg: h.alg, content: h.content })),
    });
  });
  components.sort((a, b) => a.ref.localeCompare(b.ref));
  const deps = new Map<string, Set<string>>();
  for (const r of relationships) {
    const from = refOf.get(r.from);
    const to = refOf.get(r.to);
    if (!from || !to || from === to) continue;
    const set = deps.get(from) ?? new Set<string>();
    set.add(to);
    deps.set(from, set);
  }
  const dependencies: DependencyEdge[] = [...deps.entries()].map(([ref, s]) => ({ ref, dependsOn: [...s].sort() })).sort((a, b) => a.ref.localeCompare(b.ref));
  return {
    document: {
      format: 'stella-inventory',
      specVersion: '1',
      name: image ? image.digest : basename(target),
      tools: [{ vendor: 'Stella', name: 'stella-scanner' }],
      authors: [],
      properties: image ? imageProperties(image) : [],
      extra: {},
    },
    ...(image ? { subject: newComponent({ ref: 'image', type: 'container', name: basename(target), version: image.digest }) } : {}),
    components,
    dependencies,
    ...(os ? { os: { id: os.id, ...(os.versionId ? { versionId: os.versionId } : {}), ...(os.name ? { name: os.name } : {}) } } : {}),
  };
}
