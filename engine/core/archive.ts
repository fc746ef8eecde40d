/**
 * `.tar.gz` archives, written deterministically and read defensively — the one implementation behind
 * policy packs, evidence bundles, mirror bundles and offline kits.
 *
 * Writing: entries sorted by path (byte order), regular files only, mtime 0, uid/gid 0, empty user and
 * group names, modes 0644 or 0755, and a gzip header with no time and no name whose OS byte is fixed
 * (zlib writes the build platform's code there), so the same entries give the same bytes on every machine.
 *
 * Reading: nothing is extracted to disk by this module. Every member name is checked before its bytes are
 * used: absolute paths, drive letters, `..` segments, backslashes, NUL and duplicate names are refused,
 * and so is every member that is not a regular file or a directory (symlinks, hard links, devices,
 * FIFOs), so a caller that later writes members below a target directory can never write outside it.
 * Sizes are bounded by the header before any byte is buffered.
 */
import { createReadStream, statSync } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip, constants as zlibConstants } from 'node:zlib';
// tar-stream (and the stream library under it, ~60 ms to load) is imported with the first archive read
// or written, not by every command that imports engine/core.
import type { Header } from 'tar-stream';
import { CoreError } from './errors';

const MiB = 1024 * 1024;

export type ArchiveFileMode = 0o644 | 0o755;

export interface ArchiveEntry {
  /** Relative path with `/` separators (no leading `/`, no `.` or `..` segments). */
  path: string;
  bytes: Uint8Array;
  /** Default 0o644. */
  mode?: ArchiveFileMode;
}

/** A member streamed into an archive: its size must be known up front (tar headers come first). */
export interface ArchiveStreamEntry {
  path: string;
  size: number;
  mode?: ArchiveFileMode;
  open(): Readable;
}

export interface ArchiveLimits {
  /** Largest archive file read (compressed bytes). */
  maxCompressedBytes: number;
  /** Most members. */
  maxEntries: number;
  /** Largest single member (uncompressed bytes). */
  maxEntryBytes: number;
  /** Largest sum of member sizes (uncompressed bytes). */
  maxTotalBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxCompressedBytes: 256 * MiB,
  maxEntries: 100_000,
  maxEntryBytes: 256 * MiB,
  maxTotalBytes: 1024 * MiB,
});

/** The gzip OS byte we write (RFC 1952: 3 = Unix), whatever zlib's build says. */
const GZIP_OS_UNIX = 3;

function archiveError(label: string, message: string, expected: string, cause?: unknown, path?: string): CoreError {
  return new CoreError('invalid-archive', `${label}${path ? `: ${path}` : ''}: ${message}`, {
    ...(cause === undefined ? {} : { cause }),
    details: { file: label, ...(path ? { path } : {}), expected },
  });
}

/**
 * The normalized member path, or null when the name could leave a target directory if it were ever
 * extracted (absolute, drive letter, `..`, backslash, NUL, empty). A trailing `/` (directory) and `./`
 * segments are removed.
 */
export function safeArchivePath(name: string): string | null {
  if (name.length === 0 || name.includes('\0') || name.includes('\\')) return null;
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return null;
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.some((p) => p === '..')) return null;
  return parts.join('/');
}

function checkWritablePath(path: string): void {
  if (safeArchivePath(path) !== path) throw archiveError('archive', `member name ${JSON.stringify(path)} is not a normalized relative path`, 'a relative path with / separators and no . or .. segments', undefined, path);
}

function sortedUnique<T extends { path: string }>(entries: readonly T[]): T[] {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.path === sorted[i - 1]!.path) throw archiveError('archive', 'the same member name is given twice', 'unique member names', undefined, sorted[i]!.path);
  }
  for (const e of sorted) checkWritablePath(e.path);
  return sorted;
}

function header(path: string, size: number, mode: ArchiveFileMode | undefined): Partial<Header> & { name: string } {
  return { name: path, size, mode: mode ?? 0o644, mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '', type: 'file' };
}

/** Rewrites the OS byte of the gzip header (the first chunk zlib emits holds the whole 10-byte header). */
class FixGzipOsByte extends Transform {
  private seen = false;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (!this.seen) {
      this.seen = true;
      if (chunk.length < 10 || chunk[0] !== 0x1f || chunk[1] !== 0x8b) {
        done(new CoreError('internal', 'zlib emitted a gzip header split across chunks'));
        return;
      }
      const copy = Buffer.from(chunk);
      copy[9] = GZIP_OS_UNIX;
      done(null, copy);
      return;
    }
    done(null, chunk);
  }
}

/**
 * A deterministic `.tar.gz` stream of `entries` (sorted here). Members are read one at a time from
 * `open()`, so archives far larger than memory can be written; a member whose stream yields a different
 * number of bytes than its declared size fails the stream.
 */
export function deterministicTarGzStream(entries: readonly ArchiveStreamEntry[], opts: { signal?: AbortSignal } = {}): Readable {
  const sorted = sortedUnique(entries);
  const gzip = createGzip({ level: 9, memLevel: 9, strategy: zlibConstants.Z_DEFAULT_STRATEGY });
  const fix = new FixGzipOsByte();
  const fail = (e: unknown): void => {
    fix.destroy(e instanceof Error ? e : new Error(String(e)));
  };
  gzip.on('error', fail);
  // When the reader goes away (a cancel, a failed write), nothing may keep compressing behind it: the
  // tar packer and zlib are torn down too, and their late errors have nowhere else to go.
  let packer: { destroy(): void } | undefined;
  fix.on('close', () => {
    gzip.on('error', () => undefined);
    packer?.destroy();
    gzip.destroy();
  });
  (async () => {
    const { pack } = await import('tar-stream');
    const tar = pack();
    packer = tar;
    tar.on('error', fail);
    tar.pipe(gzip);
    for (const e of sorted) {
      if (opts.signal?.aborted) throw new CoreError('cancelled', 'cancelled');
      await new Promise<void>((resolve, reject) => {
        const sink = tar.entry(header(e.path, e.size, e.mode), (err?: Error | null) => (err ? reject(archiveError('archive', `member size differs from the declared ${e.size} bytes (${err.message})`, 'the declared size', err, e.path)) : resolve()));
        sink.on('error', (err: Error) => reject(archiveError('archive', `member size differs from the declared ${e.size} bytes (${err.message})`, 'the declared size', err, e.path)));
        const src = e.open();
        src.on('error', reject);
        src.pipe(sink);
      });
    }
    tar.finalize();
  })().catch(fail);
  return gzip.pipe(fix);
}

/** A deterministic `.tar.gz` of in-memory entries (sorted here), as one buffer. */
export async function deterministicTarGz(entries: readonly ArchiveEntry[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = deterministicTarGzStream(entries.map((e) => ({ path: e.path, size: e.bytes.byteLength, ...(e.mode ? { mode: e.mode } : {}), open: () => Readable.from([Buffer.from(e.bytes.buffer, e.bytes.byteOffset, e.bytes.byteLength)]) })));
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * An archive that is not one file: e.g. the parts of a kit split for FAT32, read back to back. `size` is
 * the total of compressed bytes (checked against `maxCompressedBytes` before anything is read).
 */
export interface ArchiveSource {
  size: number;
  open(): Readable;
}

export interface ArchiveReadOptions {
  limits?: Partial<ArchiveLimits>;
  signal?: AbortSignal;
  /**
   * Sees every compressed byte in order, in the same pass as the read (e.g. to hash the whole archive
   * file without reading it twice).
   */
  onCompressedChunk?: (chunk: Buffer) => void;
  /**
   * Refuse anything but exactly what `deterministicTarGzStream` writes around the tar: its fixed 10-byte
   * gzip header, one gzip member, and no byte after that member's trailer. gunzip itself ignores the
   * header's time, flags and OS bytes and silently drops some trailing bytes, so without this a changed
   * header byte or an appended byte would go unnoticed — signed kits must reject any changed byte.
   */
  strictGzip?: boolean;
}

/** The 10-byte gzip header the writer produces (level 9 → XFL 2; OS byte fixed to Unix). */
export const DETERMINISTIC_GZIP_HEADER: Readonly<Buffer> = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, GZIP_OS_UNIX]);

/** Passes compressed bytes through, keeping the first 10 and the last 8 (header and trailer). */
class GzipFrameTap extends Transform {
  head = Buffer.alloc(0);
  tail = Buffer.alloc(0);
  constructor(private readonly onChunk: ((chunk: Buffer) => void) | undefined) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.onChunk?.(chunk);
    if (this.head.length < 10) this.head = Buffer.concat([this.head, chunk.subarray(0, 10 - this.head.length)]);
    this.tail = chunk.length >= 8 ? Buffer.from(chunk.subarray(chunk.length - 8)) : Buffer.concat([this.tail, chunk]).subarray(-8);
    done(null, chunk);
  }
}

/** Counts the bytes that pass (the uncompressed tar length, for the gzip trailer's ISIZE). */
class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

export interface ArchiveMemberInfo {
  path: string;
  size: number;
  mode: number;
  type: 'file' | 'directory';
}

/**
 * Streams the members of a `.tar.gz` (a file path or bytes) to `onEntry` in archive order, with every
 * name and size checked first. Directories are reported (size 0, no stream read). `onEntry` must consume
 * `content` fully (or the promise it returns must reject). `label` names the archive in errors.
 */
export async function forEachTarGzEntry(
  source: string | Uint8Array | ArchiveSource,
  label: string,
  onEntry: (info: ArchiveMemberInfo, content: Readable) => Promise<void>,
  opts: ArchiveReadOptions = {},
): Promise<void> {
  const limits = { ...DEFAULT_ARCHIVE_LIMITS, ...opts.limits };
  let input: Readable;
  if (typeof source === 'object' && !(source instanceof Uint8Array)) {
    if (source.size > limits.maxCompressedBytes) throw archiveError(label, `is ${source.size} bytes, more than the limit of ${limits.maxCompressedBytes} bytes`, `at most ${limits.maxCompressedBytes} bytes`);
    input = source.open();
  } else if (typeof source === 'string') {
    let size: number;
    try {
      size = statSync(source).size;
    } catch (e) {
      throw archiveError(label, `cannot read (${(e as Error).message})`, 'a readable .tar.gz file', e);
    }
    if (size > limits.maxCompressedBytes) throw archiveError(label, `is ${size} bytes, more than the limit of ${limits.maxCompressedBytes} bytes`, `at most ${limits.maxCompressedBytes} bytes`);
    // Big chunks: fewer trips through the streams when hashing and inflating hundreds of megabytes.
    input = createReadStream(source, { highWaterMark: MiB });
  } else {
    if (source.byteLength > limits.maxCompressedBytes) throw archiveError(label, `is ${source.byteLength} bytes, more than the limit of ${limits.maxCompressedBytes} bytes`, `at most ${limits.maxCompressedBytes} bytes`);
    input = Readable.from([Buffer.from(source.buffer, source.byteOffset, source.byteLength)]);
  }

  const seen = new Set<string>();
  let count = 0;
  let total = 0;
  let failure: unknown;
  const { extract } = await import('tar-stream');
  const ex = extract();
  ex.on('entry', (h, stream, next) => {
    const done = (err?: unknown): void => {
      if (err && failure === undefined) failure = err;
      if (failure === undefined) {
        next();
        return;
      }
      // Stop reading: the pipeline rejects and the first problem is what the caller sees.
      stream.on('error', () => undefined);
      ex.destroy(failure instanceof Error ? failure : new Error(String(failure)));
    };
    try {
      if (opts.signal?.aborted) throw new CoreError('cancelled', 'cancelled');
      const path = safeArchivePath(h.name);
      if (path === null) throw archiveError(label, `member name ${JSON.stringify(h.name)} would leave the target directory`, 'relative member names without .. segments');
      const type = h.type === 'file' || h.type === 'contiguous-file' ? 'file' : h.type === 'directory' ? 'directory' : null;
      if (type === null) throw archiveError(label, `member is a ${h.type ?? 'special file'}; only regular files and directories are accepted`, 'regular files and directories only', undefined, path);
      if (seen.has(path)) throw archiveError(label, 'member appears twice', 'unique member names', undefined, path);
      seen.add(path);
      if (++count > limits.maxEntries) throw archiveError(label, `has more than ${limits.maxEntries} members`, `at most ${limits.maxEntries} members`);
      const size = type === 'file' ? (h.size ?? 0) : 0;
      if (size > limits.maxEntryBytes) throw archiveError(label, `member is ${size} bytes, more than the limit of ${limits.maxEntryBytes} bytes`, `members of at most ${limits.maxEntryBytes} bytes`, undefined, path);
      total += size;
      if (total > limits.maxTotalBytes) throw archiveError(label, `members add up to more than the limit of ${limits.maxTotalBytes} bytes`, `at most ${limits.maxTotalBytes} bytes in all`);
      if (type === 'directory') {
        stream.resume();
        stream.on('end', () => done());
        return;
      }
      onEntry({ path, size, mode: h.mode ?? 0o644, type }, stream as unknown as Readable).then(() => done(), done);
    } catch (e) {
      done(e);
    }
  });
  const tap = new GzipFrameTap(opts.onCompressedChunk);
  const counter = new ByteCounter();
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  // When a member is refused the pipeline is torn down mid-stream; zlib may still report the cut-off
  // input ("unexpected end of file") after the pipeline settled. The first error is what the caller
  // gets; later ones must not surface as uncaught exceptions.
  for (const s of [input, tap, gunzip, counter]) s.on('error', () => undefined);
  try {
    await pipeline(input, tap, gunzip, counter, ex);
  } catch (e) {
    if (failure !== undefined) throw failure;
    if ((e as { code?: string }).code === 'Z_DATA_ERROR' || /incorrect header check|unexpected end of file/i.test((e as Error).message)) {
      throw archiveError(label, `is not a complete gzip stream (${(e as Error).message})`, 'a .tar.gz archive', e);
    }
    throw archiveError(label, `is not a readable tar archive (${(e as Error).message})`, 'a .tar.gz archive', e);
  }
  if (failure !== undefined) throw failure;
  if (opts.strictGzip) {
    if (!tap.head.equals(DETERMINISTIC_GZIP_HEADER)) {
      throw archiveError(label, `gzip header ${tap.head.toString('hex')} is not the fixed header ${DETERMINISTIC_GZIP_HEADER.toString('hex')} (changed or not written by Stella)`, 'the deterministic gzip header');
    }
    if (tap.tail.length < 8 || tap.tail.readUInt32LE(4) !== counter.bytes % 2 ** 32) {
      throw archiveError(label, 'has bytes after the end of its gzip stream, or more than one gzip member', 'exactly one gzip member and nothing after it');
    }
  }
}

/** Reads a whole (bounded) `.tar.gz` into memory: regular files only, sorted by path. */
export async function readTarGz(source: string | Uint8Array | ArchiveSource, label: string, opts: ArchiveReadOptions = {}): Promise<ArchiveEntry[]> {
  const out: ArchiveEntry[] = [];
  await forEachTarGzEntry(
    source,
    label,
    async (info, content) => {
      const chunks: Buffer[] = [];
      for await (const c of content) chunks.push(c as Buffer);
      const bytes = Buffer.concat(chunks);
      if (bytes.byteLength !== info.size) throw archiveError(label, `member is truncated (${bytes.byteLength} of ${info.size} bytes)`, 'a complete archive', undefined, info.path);
      out.push({ path: info.path, bytes, mode: (info.mode & 0o111) !== 0 ? 0o755 : 0o644 });
    },
    opts,
  );
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
