/**
 * Streams one layer tar (uncompressed, gzip or zstd — detected from its magic bytes) without
 * extracting it: builds the layer's file index, keeps in memory only the files an analyzer selected
 * (bounded per file), hashes both the stored and the uncompressed bytes, and runs the analyzers on the
 * kept files. Hostile entries become located issues; a corrupt stream yields a partial, uncacheable scan.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, mkdirSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type TransformCallback, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import tar from 'tar-stream';
import { throwIfCancelled } from '../../core';
import type { LoadedAnalyzer } from '../plugins';
import { readFileRange, runAnalyzers, selectingAnalyzers, sliceRange, type SelectedFile, type ViewFactory } from './analyze';
import { ReadBudget } from './budget';
import { viewOf, type LayerView } from './squash';
import { baseOf, normalizeEntryPath, parentOf } from './paths';
import { OS_FILES, type IndexEntry, type LayerScan, type ScanIssue, type ScanLimits } from './types';

/** Where a layer's bytes are: a byte range of a file (a blob in an OCI dir, or a member of an outer tar). */
export interface LayerSource {
  file: string;
  start: number;
  size: number;
  /** Blob digest the manifest names (verified by hashing, never trusted). */
  digest?: string;
  /** diffID from the image config (verified against the uncompressed stream). */
  diffId?: string;
  /** How issues name this layer. */
  label: string;
}

export type Compression = 'gzip' | 'zstd' | 'none';

export function sniffCompression(src: LayerSource): Compression {
  if (src.size < 4) return 'none';
  const fd = openSync(src.file, 'r');
  try {
    const b = Buffer.alloc(4);
    readSync(fd, b, 0, 4, src.start);
    if (b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
    if (b.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
    return 'none';
  } finally {
    closeSync(fd);
  }
}

export function openRange(src: LayerSource): Readable {
  if (src.size === 0) return createReadStream(src.file, { start: 0, end: -1 });
  return createReadStream(src.file, { start: src.start, end: src.start + src.size - 1, highWaterMark: 1024 * 1024 });
}

export class ZstdTransform extends Transform {
  private readonly z = new ZstdDecompress((chunk) => {
    this.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  });
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.z.push(chunk);
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }
  override _flush(cb: TransformCallback): void {
    try {
      this.z.push(new Uint8Array(0), true);
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }
}

class LimitError extends Error {}

/** Hash + count bytes flowing through; fail past `limit`. */
class Tap extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  constructor(
    private readonly limit: number,
    private readonly what: string,
    private readonly ratio?: { max: number; after: number; input: () => number },
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) return cb(new LimitError(`${this.what} exceeds ${this.limit} bytes (decompression bomb or oversized layer); reading stopped`));
    if (this.ratio && this.bytes > this.ratio.after && this.bytes > this.ratio.max * Math.max(1, this.ratio.input())) {
      return cb(new LimitError(`${this.what} expands more than ${this.ratio.max}x its stored size past ${this.ratio.after} bytes (decompression bomb); reading stopped`));
    }
    this.hash.update(chunk);
    cb(null, chunk);
  }
}

/** Hash a byte range (the warm-cache check: a cached layer is reused only when its bytes hash to its digest). */
export async function hashSource(src: LayerSource): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of openRange(src)) h.update(chunk as Buffer);
  return `sha256:${h.digest('hex')}`;
}

function isOsFile(path: string): boolean {
  return OS_FILES.includes(path);
}

export interface ScanLayerOptions {
  analyzers: readonly LoadedAnalyzer[];
  limits: ScanLimits;
  signal?: AbortSignal;
  /**
   * Folder for spooled selected files. scanLayer makes (and always removes) its own subfolder in it;
   * the host removes this folder too, after the task, so a worker stopped mid-layer leaves nothing.
   * Default: a new folder under the OS temp dir.
   */
  spoolDir?: string;
  /** See runAnalyzers. */
  onActivity?: (doing: string) => void;
  /**
   * The analyzers' filesystem view of this layer over the ones below it, built by the caller from this
   * layer's own index, a reader of the files it kept and the read budget they were admitted against (so
   * related reads draw from the same budget); `dependsOnLower()` says afterwards whether a lookup needed
   * the layers below.
   */
  related?: (self: { view: LayerView; read: (path: string) => Promise<Buffer> | undefined; budget: ReadBudget }) => { views: ViewFactory; dependsOnLower(): boolean };
}

/** A selected file kept for the analyzers: its bytes in memory, or spooled to a private file. */
type Kept = { kind: 'memory'; bytes: Buffer } | { kind: 'spool'; file: string; size: number };

/** Largest OS identification file read (os-release and friends are a few hundred bytes). */
const MAX_OS_FILE_BYTES = 1024 * 1024;

/** A private folder for one layer's spooled files, made on first use and always removed. */
class SpoolArea {
  private root: string | undefined;
  private seq = 0;
  constructor(private readonly parent: string | undefined) {}
  /** A new file name inside the area (the folder is 0700, created on first use). */
  nextFile(): string {
    if (!this.root) {
      const parent = this.parent ?? tmpdir();
      mkdirSync(parent, { recursive: true, mode: 0o700 });
      this.root = mkdtempSync(join(parent, 'stella-layer-'));
    }
    return join(this.root, String(++this.seq));
  }
  get where(): string {
    return this.root ?? this.parent ?? tmpdir();
  }
  remove(): void {
    if (this.root) rmSync(this.root, { recursive: true, force: true });
    this.root = undefined;
  }
}

export async function scanLayer(src: LayerSource, opts: ScanLayerOptions): Promise<LayerScan> {
  const area = new SpoolArea(opts.spoolDir);
  try {
    return await scanLayerWith(src, opts, area);
  } finally {
    area.remove();
  }
}

async function scanLayerWith(src: LayerSource, opts: ScanLayerOptions, area: SpoolArea): Promise<LayerScan> {
  const issues: ScanIssue[] = [];
  const layer = src.label;
  const issue = (severity: ScanIssue['severity'], message: string, path?: string): void => {
    issues.push({ severity, message, layer, ...(path !== undefined ? { path: path.startsWith('/') ? path : `/${path}` } : {}) });
  };
  const entries: IndexEntry[] = [];
  const kept = new Map<string, Kept>();
  const osBodies = new Map<string, Buffer>();
  const budget = new ReadBudget(opts.limits.maxSelectedBytes, opts.limits.maxFileBytes);
  let inMemoryBytes = 0;
  const osFiles: Record<string, string> = {};
  let lastPath = '(start of layer)';
  const compression = sniffCompression(src);
  const rawTap = new Tap(compression === 'none' ? opts.limits.maxLayerBytes : Number.MAX_SAFE_INTEGER, `layer ${layer}`);
  const plainTap = new Tap(opts.limits.maxLayerBytes, `uncompressed layer ${layer}`, { max: opts.limits.maxCompressionRatio, after: opts.limits.ratioCheckAfterBytes, input: () => rawTap.bytes });
  const extract = tar.extract();
  let complete = true;

  const wanted = (path: string): boolean => isOsFile(path) || selectingAnalyzers(opts.analyzers, path).length > 0;

  /** Collect an entry's bytes in memory, then continue with the next entry. */
  const keepInMemory = (stream: Readable, next: () => void, done: (bytes: Buffer) => void): void => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => void chunks.push(c as Buffer));
    stream.on('end', () => {
      done(Buffer.concat(chunks));
      next();
    });
  };

  /** Write an entry's bytes to a private spool file (0600, never overwriting), then continue. */
  const spool = (path: string, size: number, stream: Readable, next: () => void): void => {
    let file: string;
    try {
      file = area.nextFile();
    } catch (e) {
      issue('error', `cannot create a spool folder for selected files (${(e as Error).message}); not analyzed`, path);
      stream.on('end', () => next());
      stream.resume();
      return;
    }
    const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
    let writeError: Error | undefined;
    let ended = false;
    let closed = false;
    const finish = (): void => {
      if (!ended || !closed) return;
      if (writeError) issue('error', `cannot spool the selected file to ${area.where} (${writeError.message}); not analyzed`, path);
      else kept.set(path, { kind: 'spool', file, size });
      next();
    };
    out.on('error', (e: Error) => {
      writeError ??= e;
      stream.unpipe(out);
      stream.resume();
    });
    out.on('close', () => {
      closed = true;
      finish();
    });
    stream.on('error', () => out.destroy());
    stream.on('end', () => {
      ended = true;
      finish();
    });
    stream.pipe(out);
  };

  extract.on('entry', (header, stream, next) => {
    // A truncated archive destroys the current entry's stream; the extract's own error reports it.
    stream.on('error', () => undefined);
    const drain = (): void => {
      stream.on('end', () => next());
      stream.resume();
    };
    if (entries.length >= opts.limits.maxEntries) {
      extract.destroy(new LimitError(`more than ${opts.limits.maxEntries} entries in one layer`));
      return;
    }
    const norm = normalizeEntryPath(header.name);
    lastPath = header.name;
    if (!norm.ok) {
      issue('warning', `entry ${JSON.stringify(header.name)} ${norm.reason}; ignored (expected a path inside the image root)`, undefined);
      return drain();
    }
    const path = norm.path;
    if (norm.absolute) issue('warning', `entry ${JSON.stringify(header.name)} has an absolute path; read relative to the image root`, path);
    if (path === '') return drain();
    const base = baseOf(path);
    if (base.startsWith('.wh.')) {
      if (base === '.wh..wh..opq') entries.push([parentOf(path), 'opaque', 0]);
      else {
        const parent = parentOf(path);
        const hidden = base.slice(4);
        if (!hidden || hidden === '.' || hidden === '..') issue('warning', `whiteout ${JSON.stringify(header.name)} names no file; ignored`, path);
        else entries.push([parent ? `${parent}/${hidden}` : hidden, 'whiteout', 0]);
      }
      return drain();
    }
    switch (header.type) {
      case 'file':
      case 'contiguous-file': {
        const size = header.size ?? 0;
        entries.push([path, 'file', size]);
        const sel = selectingAnalyzers(opts.analyzers, path);
        const forOs = isOsFile(path) && size <= MAX_OS_FILE_BYTES;
        if (isOsFile(path) && !forOs) issue('warning', `OS identification file is ${size} bytes, over the ${MAX_OS_FILE_BYTES}-byte limit; not read`, path);
        let forAnalyzers = false;
        if (sel.length) {
          const admission = budget.admit(size, Math.min(...sel.map((a) => a.maxFileBytes)));
          if (admission.ok) forAnalyzers = true;
          else issue('warning', admission.message, path);
        }
        if (!forAnalyzers && !forOs) return drain();
        // Small files stay in memory (bounded by maxInMemorySelectedBytes); big ones go to disk, so a
        // layer of many big files costs disk, not memory. OS files are tiny and always in memory.
        const inMemory = forOs || (size <= opts.limits.spoolFileBytes && inMemoryBytes + size <= opts.limits.maxInMemorySelectedBytes);
        if (!inMemory) return spool(path, size, stream as unknown as Readable, next);
        if (forAnalyzers) inMemoryBytes += size;
        return keepInMemory(stream as unknown as Readable, next, (bytes) => {
          if (forOs) osBodies.set(path, bytes);
          if (forAnalyzers) kept.set(path, { kind: 'memory', bytes });
        });
      }
      case 'link': {
        const t = normalizeEntryPath(header.linkname ?? '');
        if (!t.ok || t.path === '') {
          issue('warning', `hard link ${JSON.stringify(header.name)} -> ${JSON.stringify(header.linkname)} ${t.ok ? 'points at the root' : t.reason}; ignored`, path);
          return drain();
        }
        entries.push([path, 'hardlink', 0, t.path]);
        if (wanted(path)) {
          // The link shares the bytes already admitted for its target: no second charge.
          const body = kept.get(t.path);
          const osBody = osBodies.get(t.path);
          if (body && selectingAnalyzers(opts.analyzers, path).length) kept.set(path, body);
          if (osBody && isOsFile(path)) osBodies.set(path, osBody);
          if (!body && !osBody) issue('warning', `hard link to ${JSON.stringify(t.path)}, whose content is not in this layer's selected files; not analyzed`, path);
        }
        return drain();
      }
      case 'symlink':
        entries.push([path, 'symlink', 0, header.linkname ?? '']);
        return drain();
      case 'directory':
        entries.push([path, 'dir', 0]);
        return drain();
      case 'character-device':
      case 'block-device':
        entries.push([path, 'device', 0]);
        issue('info', `${header.type} entry recorded, never read`, path);
        return drain();
      case 'fifo':
        entries.push([path, 'fifo', 0]);
        return drain();
      default:
        issue('warning', `unsupported tar entry type ${JSON.stringify(header.type)}; ignored`, path);
        return drain();
    }
  });

  const steps: (NodeJS.ReadableStream | NodeJS.WritableStream | NodeJS.ReadWriteStream)[] = [openRange(src), rawTap];
  if (compression === 'gzip') steps.push(createGunzip({ chunkSize: 256 * 1024 }));
  else if (compression === 'zstd') steps.push(new ZstdTransform());
  // Uncompressed layers: the stored bytes are the tar, so one hash gives both digests.
  if (compression !== 'none') steps.push(plainTap);
  try {
    await (pipeline as unknown as (streams: unknown[]) => Promise<void>)([
      ...steps,
      async function feed(source: AsyncIterable<Buffer>): Promise<void> {
        let failure: Error | undefined;
        extract.on('error', (e: Error) => {
          failure ??= e;
        });
        for await (const chunk of source) {
          throwIfCancelled(opts.signal);
          if (failure) throw failure;
          if (!extract.write(chunk)) {
            await new Promise<void>((res) => {
              const done = (): void => {
                extract.off('drain', done);
                extract.off('error', done);
                extract.off('close', done);
                res();
              };
              extract.on('drain', done);
              extract.on('error', done);
              extract.on('close', done);
            });
          }
        }
        if (failure) throw failure;
        await new Promise<void>((res, rej) => {
          extract.on('finish', () => res());
          extract.on('close', () => (failure ? rej(failure) : res()));
          extract.on('error', (e: Error) => rej(e));
          extract.end(undefined as never);
        });
        if (failure) throw failure;
      },
    ]);
  } catch (e) {
    throwIfCancelled(opts.signal);
    complete = false;
    const msg = (e as Error).message;
    const kind = e instanceof LimitError ? msg : `layer stream is truncated or corrupt (${compression}): ${msg}`;
    issue('error', `${kind}; last entry read: ${JSON.stringify(lastPath)}; results from this layer are partial`);
  }
  const blobDigest = `sha256:${rawTap.hash.digest('hex')}`;
  const diffId = compression === 'none' ? blobDigest : `sha256:${plainTap.hash.digest('hex')}`;
  if (complete) {
    if (src.digest && src.digest !== blobDigest) {
      complete = false;
      issue('error', `layer bytes hash to ${blobDigest}, the manifest says ${src.digest}: the image is corrupt or was altered`);
    }
    if (src.diffId && src.diffId !== diffId) {
      complete = false;
      issue('error', `uncompressed layer hashes to ${diffId}, the image config's diff_id is ${src.diffId}: the image is corrupt or was altered`);
    }
  }
  for (const [path, body] of osBodies) osFiles[path] = body.toString('utf8');
  const selected = new Map<string, SelectedFile>();
  for (const [path, k] of kept) {
    if (!selectingAnalyzers(opts.analyzers, path).length) continue;
    if (k.kind === 'memory') selected.set(path, { path, size: k.bytes.length, fresh: false, read: async () => k.bytes, readRange: async (o, l) => sliceRange(k.bytes, o, l) });
    else selected.set(path, { path, size: k.size, fresh: true, read: () => readFileRange(k.file, 0, k.size, k.size), readRange: (o, l) => readFileRange(k.file, o, l, k.size) });
  }
  const readKept = (path: string): Promise<Buffer> | undefined => {
    const k = kept.get(path);
    if (!k) return undefined;
    return k.kind === 'memory' ? Promise.resolve(k.bytes) : readFileRange(k.file, 0, k.size, k.size);
  };
  const related = opts.related?.({ view: viewOf({ entries, analyzers: [], osFiles: {}, issues: [], complete }, layer), read: readKept, budget });
  const analyzers = await runAnalyzers(opts.analyzers, selected, 'image', issues, layer, opts.signal, opts.onActivity, related?.views);
  return { entries, analyzers, osFiles, issues, diffId, blobDigest, complete, ...(related?.dependsOnLower() ? { dependsOnLower: true } : {}) };
}

