/**
 * The plug-in host. Plug-ins are loaded once, at start-up, from `<pluginsDir>/*\/plugin.json` in sorted
 * order of their names. A plug-in is refused — and listed with the reason — when its manifest is
 * invalid, its entry's bytes do not hash to the pinned `entrySha256`, it needs another SDK API, it needs
 * the network, or its entry does not export the analyzer its manifest names. Nothing is loaded later.
 *
 * The entry is read once; those bytes are hashed and those same bytes are imported (as a `data:` URL),
 * so a file changed between the check and the import can never run. Worker threads get the verified
 * bytes from the host (`PluginSet.verified`) and import them the same way: they never read the folder.
 * A `data:` module can import only Node built-ins, which is all a self-contained plug-in bundle needs
 * (native code, such as SQLite for os/rpm, is a host capability on the analyze context).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SDK_API_VERSION,
  DEFAULT_MAX_FILE_BYTES,
  compileSelector,
  validateManifest,
  type AnalyzerDefinition,
  type CompiledSelector,
  type PluginManifest,
} from '../../plugins/sdk';
import { ScannerError } from './errors';

export interface LoadedAnalyzer {
  manifest: PluginManifest;
  /** `name@version`, stamped as foundBy. */
  id: string;
  dir: string;
  /** `sha256:` of the entry bytes that were verified and imported (equal to the manifest's pin). */
  entrySha256: string;
  selectors: CompiledSelector[];
  maxFileBytes: number;
  definition: AnalyzerDefinition;
}

export interface RefusedPlugin {
  /** Manifest name when readable, else the folder name. */
  name: string;
  dir: string;
  version?: number;
  reason: string;
  code: 'invalid-manifest' | 'digest-mismatch' | 'unsupported-api' | 'needs-network' | 'wrong-kind' | 'entry-failed';
}

/** An entry whose bytes hashed to its manifest's pin: what a worker thread imports. */
export interface VerifiedEntry {
  dir: string;
  manifest: PluginManifest;
  bytes: Uint8Array;
}

export interface PluginSet {
  pluginsDir: string;
  analyzers: LoadedAnalyzer[];
  refused: RefusedPlugin[];
  /**
   * `sdk<API>:sha256:<hex>` over the sorted (`name@version`, entry digest) pairs of the loaded analyzers:
   * part of every layer-cache key, so a rebuilt plug-in never reuses results of other code.
   */
  fingerprint: string;
  /** The loaded analyzers' verified entry bytes, in load order (for worker threads). */
  verified: VerifiedEntry[];
}

/** Where the plug-ins live: $STELLA_PLUGINS_DIR, else `plugins/` of the source checkout or beside dist/. */
export function defaultPluginsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STELLA_PLUGINS_DIR) return resolve(env.STELLA_PLUGINS_DIR);
  const url = (import.meta as { url?: string }).url;
  const here = typeof url === 'string' ? fileURLToPath(new URL('.', url)) : process.cwd();
  for (const rel of ['../../plugins', '../plugins', '../../../plugins']) {
    const p = resolve(here, rel);
    if (existsSync(join(p, 'sdk'))) return p;
  }
  throw new ScannerError('plugin-dir-missing', `no plugins/ folder found near ${here}; set STELLA_PLUGINS_DIR`);
}

function sha256Of(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Import module source from exactly these bytes (never from a path that could change after the check). */
function importBytes(bytes: Uint8Array): Promise<unknown> {
  return import(`data:text/javascript;base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`);
}

interface Candidate {
  dir: string;
  manifest?: PluginManifest;
  refused?: RefusedPlugin;
}

function readCandidate(pluginsDir: string, folder: string): Candidate | undefined {
  const dir = join(pluginsDir, folder);
  const manifestPath = join(dir, 'plugin.json');
  if (!existsSync(manifestPath) || !statSync(dir).isDirectory()) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    return { dir, refused: { name: folder, dir, code: 'invalid-manifest', reason: `${manifestPath}: not JSON (${(e as Error).message})` } };
  }
  const { manifest, problems } = validateManifest(raw);
  if (!manifest) {
    const name = typeof (raw as { name?: unknown }).name === 'string' ? (raw as { name: string }).name : folder;
    return { dir, refused: { name, dir, code: 'invalid-manifest', reason: `${manifestPath}: ${problems.map((p) => `${p.path || '/'}: ${p.message}`).join('; ')}` } };
  }
  return { dir, manifest };
}

function refuseReason(c: Required<Pick<Candidate, 'dir' | 'manifest'>>): RefusedPlugin | undefined {
  const m = c.manifest;
  const base = { name: m.name, dir: c.dir, version: m.version };
  if (m.sdkApi !== SDK_API_VERSION) return { ...base, code: 'unsupported-api', reason: `needs SDK API ${m.sdkApi}; this host supports ${SDK_API_VERSION}` };
  if (m.requirements.network) return { ...base, code: 'needs-network', reason: 'requires network access; Stella runs offline' };
  if (m.kind !== 'analyzer') return { ...base, code: 'wrong-kind', reason: `kind "${m.kind}" is not loaded by the scanner host (expected "analyzer")` };
  return undefined;
}

/** Read the entry once and check its digest: the bytes returned are the bytes that were hashed. */
function readVerifiedEntry(dir: string, m: PluginManifest): { bytes: Uint8Array } | { refused: RefusedPlugin } {
  const base = { name: m.name, dir, version: m.version };
  const entry = join(dir, m.entry);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(entry);
  } catch (e) {
    return { refused: { ...base, code: 'digest-mismatch', reason: `entry ${m.entry} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` } };
  }
  const actual = sha256Of(bytes);
  if (actual !== m.entrySha256) return { refused: { ...base, code: 'digest-mismatch', reason: `entry ${m.entry} hashes to ${actual}, manifest pins ${m.entrySha256}` } };
  return { bytes };
}

/** Import verified entry bytes and check that they define the analyzer the manifest names. */
async function instantiate(v: VerifiedEntry): Promise<LoadedAnalyzer | RefusedPlugin> {
  const m = v.manifest;
  try {
    const mod = (await importBytes(v.bytes)) as { default?: AnalyzerDefinition };
    if (!mod.default || typeof mod.default.analyze !== 'function') throw new Error('the entry has no default export made with defineAnalyzer()');
    if (mod.default.name !== m.name || mod.default.version !== m.version) {
      throw new Error(`the entry defines ${mod.default.name}@${mod.default.version} but the manifest says ${m.name}@${m.version}`);
    }
    return {
      manifest: m,
      id: `${m.name}@${m.version}`,
      dir: v.dir,
      entrySha256: m.entrySha256,
      selectors: m.selectors.map(compileSelector),
      maxFileBytes: m.requirements.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
      definition: mod.default,
    };
  } catch (e) {
    return { name: m.name, dir: v.dir, version: m.version, code: 'entry-failed', reason: (e as Error).message };
  }
}

function fingerprintOf(analyzers: readonly LoadedAnalyzer[]): string {
  const pairs = analyzers.map((a) => `${a.id}=${a.entrySha256}`).sort();
  return `sdk${SDK_API_VERSION}:${sha256Of(Buffer.from(pairs.join('\n'), 'utf8'))}`;
}

const cache = new Map<string, Promise<PluginSet>>();

/** Load (once per process and folder) every plug-in under `pluginsDir`. */
export function loadPlugins(pluginsDir: string = defaultPluginsDir()): Promise<PluginSet> {
  const key = resolve(pluginsDir);
  let p = cache.get(key);
  if (!p) {
    p = loadPluginsUncached(key);
    cache.set(key, p);
  }
  return p;
}

/** Load without the per-process memo (tests that change a plug-in folder). */
export async function loadPluginsUncached(pluginsDir: string): Promise<PluginSet> {
  if (!existsSync(pluginsDir)) throw new ScannerError('plugin-dir-missing', `plug-in folder ${pluginsDir} does not exist`, { details: { file: pluginsDir } });
  const candidates = readdirSync(pluginsDir)
    .sort()
    .map((f) => readCandidate(pluginsDir, f))
    .filter((c): c is Candidate => c !== undefined);
  candidates.sort((a, b) => (a.manifest?.name ?? a.refused?.name ?? '').localeCompare(b.manifest?.name ?? b.refused?.name ?? '') || a.dir.localeCompare(b.dir));
  const analyzers: LoadedAnalyzer[] = [];
  const verified: VerifiedEntry[] = [];
  const refused: RefusedPlugin[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (c.refused || !c.manifest) {
      if (c.refused) refused.push(c.refused);
      continue;
    }
    const m = c.manifest;
    const why = refuseReason({ dir: c.dir, manifest: m });
    if (why) {
      refused.push(why);
      continue;
    }
    if (seen.has(m.name)) {
      refused.push({ name: m.name, dir: c.dir, version: m.version, code: 'invalid-manifest', reason: `a plug-in named ${m.name} is already loaded` });
      continue;
    }
    const entry = readVerifiedEntry(c.dir, m);
    if ('refused' in entry) {
      refused.push(entry.refused);
      continue;
    }
    const v: VerifiedEntry = { dir: c.dir, manifest: m, bytes: entry.bytes };
    const loaded = await instantiate(v);
    if ('reason' in loaded) {
      refused.push(loaded);
      continue;
    }
    seen.add(m.name);
    analyzers.push(loaded);
    verified.push(v);
  }
  return { pluginsDir, analyzers, refused, fingerprint: fingerprintOf(analyzers), verified };
}

/**
 * In a worker thread: load the analyzers the host verified, from the bytes it verified (re-hashed here,
 * so nothing unverified runs even if a message were altered). Throws when any of them fails to load:
 * the worker must run exactly the host's set.
 */
export async function loadVerifiedPlugins(pluginsDir: string, verified: readonly VerifiedEntry[]): Promise<PluginSet> {
  const analyzers: LoadedAnalyzer[] = [];
  for (const v of verified) {
    const actual = sha256Of(v.bytes);
    if (actual !== v.manifest.entrySha256) throw new ScannerError('worker-failed', `plug-in ${v.manifest.name}: entry bytes hash to ${actual}, manifest pins ${v.manifest.entrySha256}`);
    const loaded = await instantiate(v);
    if ('reason' in loaded) throw new ScannerError('worker-failed', `plug-in ${v.manifest.name} failed to load in a worker: ${loaded.reason}`);
    analyzers.push(loaded);
  }
  return { pluginsDir, analyzers, refused: [], fingerprint: fingerprintOf(analyzers), verified: [...verified] };
}

/** Plain data for `stella plugins list --json`. */
export function describePlugins(set: PluginSet): {
  pluginsDir: string;
  sdkApi: number;
  loaded: { name: string; version: number; kind: string; sdkApi: number; entry: string; entrySha256: string; selectors: string[]; description?: string }[];
  refused: RefusedPlugin[];
} {
  return {
    pluginsDir: set.pluginsDir,
    sdkApi: SDK_API_VERSION,
    loaded: set.analyzers.map((a) => ({
      name: a.manifest.name,
      version: a.manifest.version,
      kind: a.manifest.kind,
      sdkApi: a.manifest.sdkApi,
      entry: a.manifest.entry,
      entrySha256: a.manifest.entrySha256,
      selectors: a.manifest.selectors.map((s) => s.glob),
      ...(a.manifest.description ? { description: a.manifest.description } : {}),
    })),
    refused: set.refused,
  };
}
