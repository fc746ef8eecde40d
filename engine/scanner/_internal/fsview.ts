/**
 * The host side of the SDK's FileSystemView (plugins/sdk/fs.ts): one view per analyzer call, over a
 * backend that knows the tree —
 *  - `DiskBackend`: a root-filesystem directory (or, for a single file, the file's own directory mounted
 *    where `--as` puts the file), read with lstat, links never followed by the OS;
 *  - `LayeredBackend`: an image as of the layer being analyzed — that layer over the layers below it.
 *    The analyzed layer's index is at hand; the layers below are indexed (one extra pass each) only when
 *    a lookup falls through to them, and files the first pass did not keep are fetched by another pass,
 *    batched per layer.
 * Paths are resolved by `resolveInRoot` (symbolic links inside the root, `..` clamped at the root), so a
 * view never reaches outside its target. Reads are bounded per file, per call (count) and by the byte
 * budget the host shares with the selected files it keeps.
 */
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { FileSystemView, FsEntry, FsOpenResult, RelatedFile } from '../../../plugins/sdk';
import type { ReadBudget } from './budget';
import type { LayerSource } from './layer';
import { readLayer } from './layer-read';
import { parentOf, resolveInRoot, type Node } from './paths';
import { Squash, viewOf, type LayerView } from './squash';
import type { IndexEntry, ScanLimits, ViewRead } from './types';

/** Where a resolved path lives: its kind and size, and (images) the index of the layer it comes from. */
export interface BackendEntry {
  kind: FsEntry['kind'];
  size: number;
  layer?: number;
}

export interface FsBackend {
  /** Synchronous lookup for symlink resolution; may throw `NeedLowerLayers` (then `loadLower` first). */
  node(rel: string): Node | undefined;
  entry(rel: string): BackendEntry | undefined;
  read(rel: string, max: number): Promise<Buffer>;
  list(rel: string): string[] | undefined;
  /** Label of layer `i` (its diffID), for the view's entries. */
  layerLabel?(i: number): string | undefined;
  loadLower?(): Promise<void>;
}

/** Thrown by a layered backend's fast path when an answer needs the layers below. */
export class NeedLowerLayers extends Error {}

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

function relOf(path: string): string {
  return path.split('/').filter((s) => s && s !== '.').join('/');
}

export interface ViewLimits {
  /** Largest related file (the analyzer's own maxFileBytes). */
  maxFileBytes: number;
  /** Most related files one analyze call may open. */
  maxFiles: number;
  /** The layer's read budget, shared with the files the host selected for this layer / tree. */
  budget: ReadBudget;
}

/** Default cap on related files per analyze call: generous for includes and parents, not a full walk. */
export const DEFAULT_MAX_RELATED_FILES = 4096;

/** A view over `backend`; every file opened is recorded in `reads` (path, and layer depth for images). */
export function createFsView(backend: FsBackend, limits: ViewLimits, reads: ViewRead[], topLayer?: number): FileSystemView {
  let opened = 0;
  const resolve = async (path: string): Promise<{ ok: true; rel: string } | { ok: false }> => {
    const attempt = (): ReturnType<typeof resolveInRoot> => resolveInRoot((p) => backend.node(p), relOf(path));
    let r: ReturnType<typeof resolveInRoot>;
    try {
      r = attempt();
    } catch (e) {
      if (!(e instanceof NeedLowerLayers) || !backend.loadLower) throw e;
      await backend.loadLower();
      r = attempt();
    }
    return r.ok ? { ok: true, rel: r.path } : { ok: false };
  };
  const entryOf = async (rel: string): Promise<BackendEntry | undefined> => {
    try {
      return backend.entry(rel);
    } catch (e) {
      if (!(e instanceof NeedLowerLayers) || !backend.loadLower) throw e;
      await backend.loadLower();
      return backend.entry(rel);
    }
  };
  const label = (e: BackendEntry): { layer?: string } => {
    const l = e.layer !== undefined ? backend.layerLabel?.(e.layer) : undefined;
    return l ? { layer: l } : {};
  };
  return Object.freeze({
    async stat(path: string): Promise<FsEntry | undefined> {
      const r = await resolve(path);
      if (!r.ok) return undefined;
      const e = await entryOf(r.rel);
      return e ? { path: `/${r.rel}`, kind: e.kind, size: e.size, ...label(e) } : undefined;
    },
    async open(path: string): Promise<FsOpenResult> {
      const r = await resolve(path);
      const shown = r.ok ? `/${r.rel}` : path;
      const e = r.ok ? await entryOf(r.rel) : undefined;
      if (!r.ok || !e) {
        reads.push({ path: shown });
        return { ok: false, reason: 'not-found', message: `${path} does not exist in this filesystem` };
      }
      const depth = topLayer !== undefined && e.layer !== undefined ? topLayer - e.layer : undefined;
      reads.push({ path: shown, ...(depth !== undefined ? { depth } : {}) });
      if (e.kind !== 'file') return { ok: false, reason: 'not-a-file', message: `${shown} is a ${e.kind}, not a regular file` };
      const max = Math.min(limits.maxFileBytes, limits.budget.maxFileBytes);
      if (e.size > max) return { ok: false, reason: 'too-large', message: `${shown} is ${e.size} bytes, over the ${max}-byte limit for related files` };
      if (opened >= limits.maxFiles) return { ok: false, reason: 'budget-exhausted', message: `more than ${limits.maxFiles} related files read in one analysis; ${shown} not read` };
      const admission = limits.budget.admit(e.size, max);
      if (!admission.ok) return { ok: false, reason: 'budget-exhausted', message: `${shown}: ${admission.message.replace(/^selected file/, 'related file')}` };
      opened++;
      let body: Buffer;
      try {
        body = await backend.read(r.rel, limits.maxFileBytes);
      } catch (err) {
        return { ok: false, reason: 'unreadable', message: `${shown} cannot be read: ${(err as Error).message}` };
      }
      const file: RelatedFile = Object.freeze({
        path: shown,
        size: body.length,
        ...label(e),
        readBytes: async () => new Uint8Array(body),
        readText: async () => decoder.decode(body),
        readRange: async (offset: number, length: number) => {
          if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) throw new RangeError(`readRange(${offset}, ${length}): expected non-negative integers`);
          return new Uint8Array(body.subarray(offset, offset + length));
        },
      });
      return { ok: true, file };
    },
    async list(dir: string): Promise<string[] | undefined> {
      const r = await resolve(dir);
      if (!r.ok) return undefined;
      try {
        return backend.list(r.rel);
      } catch (e) {
        if (!(e instanceof NeedLowerLayers) || !backend.loadLower) throw e;
        await backend.loadLower();
        return backend.list(r.rel);
      }
    },
  });
}

// ---- a directory on disk --------------------------------------------------------------------------------

/**
 * `hostDir` seen at `mountAt` (root-relative; '' = the root itself). Outside the mount only its ancestors
 * exist (as directories), so a single file's view holds exactly the directory it was found in.
 */
export class DiskBackend implements FsBackend {
  constructor(
    private readonly hostDir: string,
    private readonly mountAt = '',
  ) {}

  private host(rel: string): string | undefined {
    if (!this.mountAt) return join(this.hostDir, rel);
    if (rel === this.mountAt) return this.hostDir;
    return rel.startsWith(`${this.mountAt}/`) ? join(this.hostDir, rel.slice(this.mountAt.length + 1)) : undefined;
  }

  private isMountAncestor(rel: string): boolean {
    return !!this.mountAt && (rel === '' || this.mountAt.startsWith(`${rel}/`));
  }

  node(rel: string): Node | undefined {
    if (this.isMountAncestor(rel)) return { kind: 'dir' };
    const abs = this.host(rel);
    if (abs === undefined) return undefined;
    try {
      const st = lstatSync(abs);
      if (st.isSymbolicLink()) return { kind: 'symlink', target: readlinkSync(abs) };
      return st.isDirectory() ? { kind: 'dir' } : st.isFile() ? { kind: 'file' } : { kind: 'other' };
    } catch {
      return undefined;
    }
  }

  entry(rel: string): BackendEntry | undefined {
    if (this.isMountAncestor(rel)) return { kind: 'dir', size: 0 };
    const abs = this.host(rel);
    if (abs === undefined) return undefined;
    try {
      const st = lstatSync(abs);
      return { kind: st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other', size: st.isFile() ? st.size : 0 };
    } catch {
      return undefined;
    }
  }

  async read(rel: string, max: number): Promise<Buffer> {
    const abs = this.host(rel);
    if (abs === undefined) throw new Error('outside the view');
    // The path was resolved with lstat; open it and check what was opened (a swap to a link or a bigger
    // file between the lookup and the read is refused, not followed).
    const fd = openSync(abs, 'r');
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || st.size > max) throw new Error(`no longer a regular file of at most ${max} bytes`);
      if (!lstatSync(abs).isFile()) throw new Error('replaced by a link since it was resolved');
      const buf = Buffer.alloc(st.size);
      let off = 0;
      while (off < buf.length) {
        const n = readSync(fd, buf, off, buf.length - off, off);
        if (n === 0) break;
        off += n;
      }
      return buf.subarray(0, off);
    } finally {
      closeSync(fd);
    }
  }

  list(rel: string): string[] | undefined {
    if (this.isMountAncestor(rel)) {
      const rest = rel === '' ? this.mountAt : this.mountAt.slice(rel.length + 1);
      return [rest.split('/')[0] as string];
    }
    const abs = this.host(rel);
    if (abs === undefined) return undefined;
    try {
      return readdirSync(abs).sort();
    } catch {
      return undefined;
    }
  }
}

// ---- an image as of one layer ---------------------------------------------------------------------------

export interface LayerSlot {
  /** diffID (or blob digest) of the layer. */
  label: string;
  source: LayerSource;
  /** The layer's index, when known (the analyzed layer's always is; lower ones are read on demand). */
  view?: LayerView;
  /** File contents read by a second pass, kept for further reads. */
  kept: Map<string, Buffer>;
  /** The analyzed layer's own kept files (in memory or spooled), read on demand. */
  own?: (path: string) => Promise<Buffer> | undefined;
}

function scanOfEntries(entries: IndexEntry[]): Parameters<typeof viewOf>[0] {
  return { entries, analyzers: [], osFiles: {}, issues: [], complete: true };
}

export class LayeredBackend implements FsBackend {
  private squash: Squash | undefined;
  /** True once a lookup needed the layers below: the layer's results then depend on them (cache key). */
  usedLower = false;
  private readonly pending = new Map<number, Map<string, { resolve: (b: Buffer) => void; reject: (e: Error) => void }[]>>();

  constructor(
    /** Bottom first; the last slot is the layer being analyzed (its `view` must be set). */
    private readonly slots: LayerSlot[],
    private readonly limits: ScanLimits,
    private readonly signal?: AbortSignal,
  ) {
    if (slots.length === 1) this.squash = new Squash([slots[0]?.view as LayerView]);
  }

  private get top(): number {
    return this.slots.length - 1;
  }

  layerLabel(i: number): string | undefined {
    return this.slots[i]?.label;
  }

  async loadLower(): Promise<void> {
    if (this.squash) return;
    this.usedLower = true;
    for (const slot of this.slots) {
      if (slot.view) continue;
      const r = await readLayer(slot.source, {
        index: true,
        keep: () => false,
        maxLayerBytes: this.limits.maxLayerBytes,
        maxKeptBytes: 0,
        maxEntries: this.limits.maxEntries,
        ...(this.signal ? { signal: this.signal } : {}),
      });
      slot.view = viewOf(scanOfEntries(r.entries), slot.label);
    }
    this.squash = new Squash(this.slots.map((s) => s.view as LayerView));
  }

  /** The analyzed layer alone answers, or says that the layers below must be consulted. */
  private topOnly(rel: string): { layer: number; entry: IndexEntry } | undefined {
    const v = this.slots[this.top]?.view as LayerView;
    const e = v.byPath.get(rel);
    if (e) return { layer: this.top, entry: e };
    if (v.whiteouts.has(rel)) return undefined;
    for (let a = parentOf(rel); a; a = parentOf(a)) {
      if (v.whiteouts.has(a) || v.opaques.has(a)) return undefined;
      const ae = v.byPath.get(a);
      if (ae && ae[1] !== 'dir') return undefined;
    }
    throw new NeedLowerLayers(rel);
  }

  private hit(rel: string): { layer: number; entry: IndexEntry } | undefined {
    if (rel === '') return undefined;
    return this.squash ? this.squash.entry(rel) : this.topOnly(rel);
  }

  node(rel: string): Node | undefined {
    if (rel === '') return { kind: 'dir' };
    if (this.squash) return this.squash.node(rel);
    const h = this.topOnly(rel);
    if (!h) return undefined;
    const [, kind, , link] = h.entry;
    return kind === 'symlink' ? { kind: 'symlink', target: link ?? '' } : kind === 'dir' ? { kind: 'dir' } : kind === 'file' || kind === 'hardlink' ? { kind: 'file' } : { kind: 'other' };
  }

  entry(rel: string): BackendEntry | undefined {
    if (rel === '') return { kind: 'dir', size: 0 };
    const h = this.hit(rel);
    if (!h) {
      // an implicit directory (no entry of its own, but visible files below it)
      const n = this.node(rel);
      return n?.kind === 'dir' ? { kind: 'dir', size: 0 } : undefined;
    }
    const [, kind, size, link] = h.entry;
    if (kind === 'hardlink') {
      const target = link ? this.slots[h.layer]?.view?.byPath.get(link) : undefined;
      return { kind: 'file', size: target?.[2] ?? 0, layer: h.layer };
    }
    return { kind: kind === 'file' ? 'file' : kind === 'dir' ? 'dir' : kind === 'symlink' ? 'symlink' : 'other', size, layer: h.layer };
  }

  async read(rel: string, max: number): Promise<Buffer> {
    const h = this.hit(rel);
    if (!h) throw new Error('not found');
    const path = h.entry[1] === 'hardlink' && h.entry[3] ? h.entry[3] : rel;
    const slot = this.slots[h.layer] as LayerSlot;
    const have = slot.kept.get(path) ?? (await slot.own?.(path));
    if (have) return have;
    const body = await this.fetch(h.layer, path);
    if (body.length > max) throw new Error(`over ${max} bytes`);
    return body;
  }

  /** Content of a file the first pass did not keep: one more pass over that layer, batched per layer. */
  private fetch(layer: number, path: string): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      let waiting = this.pending.get(layer);
      const first = !waiting;
      if (!waiting) {
        waiting = new Map();
        this.pending.set(layer, waiting);
      }
      const list = waiting.get(path) ?? [];
      list.push({ resolve, reject });
      waiting.set(path, list);
      if (!first) return;
      setImmediate(() => {
        const batch = this.pending.get(layer) as Map<string, { resolve: (b: Buffer) => void; reject: (e: Error) => void }[]>;
        this.pending.delete(layer);
        const slot = this.slots[layer] as LayerSlot;
        readLayer(slot.source, {
          index: false,
          keep: (p) => batch.has(p),
          maxLayerBytes: this.limits.maxLayerBytes,
          maxKeptBytes: this.limits.maxSelectedBytes,
          maxEntries: this.limits.maxEntries,
          ...(this.signal ? { signal: this.signal } : {}),
        }).then(
          (r) => {
            for (const [p, waiters] of batch) {
              const body = r.kept.get(p);
              if (body) slot.kept.set(p, body);
              for (const w of waiters) {
                if (body) w.resolve(body);
                else w.reject(new Error(`/${p} was not found in layer ${slot.label} on a second read`));
              }
            }
          },
          (e: Error) => {
            for (const waiters of batch.values()) for (const w of waiters) w.reject(e);
          },
        );
      });
    });
  }

  list(rel: string): string[] | undefined {
    if (!this.squash) throw new NeedLowerLayers(rel);
    const n = this.squash.node(rel);
    if (n?.kind !== 'dir') return undefined;
    const prefix = rel ? `${rel}/` : '';
    const names = new Set<string>();
    this.slots.forEach((s, i) => {
      for (const p of s.view?.byPath.keys() ?? []) {
        if (!p.startsWith(prefix) || p.length === prefix.length) continue;
        const name = p.slice(prefix.length).split('/')[0] as string;
        if (!names.has(name) && this.squash?.visible(i, `${prefix}${name}`) && this.squash.entry(`${prefix}${name}`) !== undefined) names.add(name);
        else if (!names.has(name) && this.squash?.node(`${prefix}${name}`)?.kind === 'dir') names.add(name);
      }
    });
    return [...names].sort();
  }
}
