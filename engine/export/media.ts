/**
 * Writing a kit (a file) or a bundle (a folder) to removable media — a mounted USB stick is just a
 * folder — and reading it back.
 *
 * - Free space is checked first (`statfs`), with room for file-system slack.
 * - Files larger than FAT32 can hold (4 GiB − 1 byte) are split into `NAME.part000`, `NAME.part001`, …
 *   which `stella offline import` joins back (it reads `NAME.part000 …` when `NAME` itself is absent).
 * - Every file is written to a temporary name in its target folder, fsynced, and renamed; the folder is
 *   fsynced. Stale parts of an earlier, larger copy are removed, so parts never mix two writes.
 * - `NAME.stella-media.json`, written last, lists every file written with its size and digest.
 * - Then everything is read back and re-hashed: a file that reads back differently fails with a trust
 *   error (exit 6). The read goes through the operating system, which may serve it from its cache; the
 *   fsync before it makes the device hold the data, but a device that lies about its writes is only
 *   caught by reading the stick on another machine (`stella offline import --dry-run`).
 *
 * Cancel (signal) and failure remove what this write created; progress is reported in bytes.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, existsSync, lstatSync, readdirSync, rmSync, statfsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { type Digest, canonicalJson, throwIfCancelled } from '../core';
import { writeFileAtomic, writeStreamAtomic } from '../store';
import { ExportError } from './errors';
import { FAT32_MAX_FILE_BYTES, MAX_PARTS, partName } from './_internal/parts';

export { FAT32_MAX_FILE_BYTES };
export const MEDIA_MANIFEST_SUFFIX = '.stella-media.json';
export const MEDIA_MANIFEST_SCHEMA = 'https://stella.invalid/media/v1';
/** Room kept free beyond the bytes written: per-file cluster rounding and directory entries. */
const SLACK_PER_FILE = 64 * 1024;

export interface MediaFile {
  /** Logical path relative to the target folder (`kit.tar.gz`, `bundle/advisories/…`). */
  path: string;
  size: number;
  digest: Digest;
  /** The files on the media: the file itself, or its parts in order. */
  parts: { path: string; size: number; digest: Digest }[];
}

export interface MediaWriteInput {
  /** A kit file or a bundle folder. */
  source: string;
  /** The folder to write into (the mounted medium, or a folder on it). */
  targetDir: string;
}

export interface MediaWriteOptions {
  signal?: AbortSignal;
  onProgress?: (phase: 'writing' | 'reading back', done: number, total: number) => void;
  /** Largest file written before splitting (default FAT32_MAX_FILE_BYTES); tests inject small sizes. */
  maxFileBytes?: number;
  /** Free bytes of a folder (default `statfs`); tests inject. */
  freeBytes?: (dir: string) => number;
}

export interface MediaWriteResult {
  /** What to give `stella offline import`: the kit's (logical) path or the bundle folder on the media. */
  target: string;
  /** The media manifest written last. */
  mediaManifest: string;
  files: MediaFile[];
  bytes: number;
  split: boolean;
  freeBytesBefore: number;
  readBack: { ok: true; files: number; bytes: number };
}

export function freeBytesOf(dir: string): number {
  const s = statfsSync(dir);
  return Number(s.bavail) * Number(s.bsize);
}

interface SourceFile {
  rel: string;
  abs: string;
  size: number;
  mode: number;
}

function sourceFiles(source: string): { files: SourceFile[]; target: string; name: string } {
  const abs = resolve(source);
  const st = statSync(abs, { throwIfNoEntry: false });
  if (!st) throw new ExportError('invalid-argument', `${source}: no such kit or bundle`, { details: { file: abs } });
  const name = basename(abs);
  if (st.isFile()) return { files: [{ rel: name, abs, size: st.size, mode: st.mode & 0o777 }], target: name, name };
  if (!st.isDirectory()) throw new ExportError('invalid-argument', `${source}: not a file or folder`, { details: { file: abs } });
  const files: SourceFile[] = [];
  const walk = (rel: string): void => {
    for (const n of readdirSync(join(abs, rel)).sort()) {
      const r = rel ? `${rel}/${n}` : n;
      const s = lstatSync(join(abs, r));
      if (s.isDirectory()) walk(r);
      else if (s.isFile()) files.push({ rel: `${name}/${r}`, abs: join(abs, r), size: s.size, mode: s.mode & 0o777 });
      else throw new ExportError('invalid-argument', `${join(abs, r)}: a ${s.isSymbolicLink() ? 'symbolic link' : 'special file'} cannot be written to media`, { details: { file: join(abs, r) } });
    }
  };
  walk('');
  return { files, target: name, name };
}

function plan(f: SourceFile, maxFileBytes: number): { path: string; start: number; size: number }[] {
  if (f.size <= maxFileBytes) return [{ path: f.rel, start: 0, size: f.size }];
  const n = Math.ceil(f.size / maxFileBytes);
  if (n > MAX_PARTS) throw new ExportError('invalid-argument', `${f.abs} would need ${n} parts; at most ${MAX_PARTS} are read back`);
  return Array.from({ length: n }, (_, i) => ({ path: partName(f.rel, i), start: i * maxFileBytes, size: Math.min(maxFileBytes, f.size - i * maxFileBytes) }));
}

/** Copy bytes [start, start+size) of `src` to `target` through a temporary file; returns their digest. */
async function writeRange(src: string, start: number, size: number, target: string, whole: Hash, opts: MediaWriteOptions, progress: (n: number) => void): Promise<Digest> {
  const hash = createHash('sha256');
  let pos = 0;
  const source: AsyncIterable<Buffer> = size > 0 ? (createReadStream(src, { start, end: start + size - 1, highWaterMark: 4 * 1024 * 1024 }) as AsyncIterable<Buffer>) : Readable.from([]);
  await writeStreamAtomic(target, source, {
    onChunk: (chunk) => {
      throwIfCancelled(opts.signal);
      pos += chunk.length;
      hash.update(chunk);
      whole.update(chunk);
      progress(chunk.length);
    },
    beforeCommit: () => {
      if (pos !== size) throw new ExportError('write-failed', `${src} changed while it was written (${pos} of ${size} bytes)`, { details: { file: src } });
    },
  });
  return `sha256:${hash.digest('hex')}`;
}

/** Remove leftovers of an earlier copy of `rel`: the whole file when now split, parts beyond `keep`. */
function removeStale(targetDir: string, rel: string, split: boolean, keep: number): void {
  const whole = join(targetDir, rel);
  if (split && existsSync(whole)) rmSync(whole, { force: true });
  for (let i = split ? keep : 0; i < MAX_PARTS; i++) {
    const p = join(targetDir, partName(rel, i));
    if (!existsSync(p)) break;
    rmSync(p, { force: true });
  }
}

export async function writeToMedia(input: MediaWriteInput, opts: MediaWriteOptions = {}): Promise<MediaWriteResult> {
  const maxFileBytes = opts.maxFileBytes ?? FAT32_MAX_FILE_BYTES;
  if (!Number.isInteger(maxFileBytes) || maxFileBytes < 1 || maxFileBytes > FAT32_MAX_FILE_BYTES) throw new ExportError('invalid-argument', `split size must be 1 … ${FAT32_MAX_FILE_BYTES} bytes`);
  const targetDir = resolve(input.targetDir);
  const tst = statSync(targetDir, { throwIfNoEntry: false });
  if (!tst?.isDirectory()) throw new ExportError('invalid-argument', `--to ${input.targetDir}: not a folder (mount the medium and give its folder)`, { details: { file: targetDir } });
  const src = sourceFiles(input.source);
  if (resolve(targetDir, src.name) === resolve(input.source)) throw new ExportError('invalid-argument', `${input.source} is already in ${targetDir}`);
  const plans = src.files.map((f) => ({ f, parts: plan(f, maxFileBytes) }));
  const total = src.files.reduce((n, f) => n + f.size, 0);
  const outputs = plans.reduce((n, p) => n + p.parts.length, 0) + 1;
  const free = (opts.freeBytes ?? freeBytesOf)(targetDir);
  const needed = total + outputs * SLACK_PER_FILE;
  if (needed > free) {
    throw new ExportError('no-space', `${targetDir} has ${free} bytes free; writing ${src.name} needs ${total} bytes plus ${outputs * SLACK_PER_FILE} for file-system overhead`, {
      details: { file: targetDir, needed, free },
    });
  }
  const written: string[] = [];
  const files: MediaFile[] = [];
  const mediaManifest = join(targetDir, `${src.name}${MEDIA_MANIFEST_SUFFIX}`);
  let done = 0;
  const step = (phase: 'writing' | 'reading back') => (n: number): void => {
    done += n;
    opts.onProgress?.(phase, done, total);
  };
  try {
    opts.onProgress?.('writing', 0, total);
    for (const { f, parts } of plans) {
      const whole = createHash('sha256');
      const out: MediaFile['parts'] = [];
      for (const p of parts) {
        const target = join(targetDir, p.path);
        const digest = await writeRange(f.abs, p.start, p.size, target, whole, opts, step('writing'));
        written.push(target);
        out.push({ path: p.path, size: p.size, digest });
      }
      removeStale(targetDir, f.rel, parts.length > 1, parts.length);
      files.push({ path: f.rel, size: f.size, digest: `sha256:${whole.digest('hex')}`, parts: out });
    }
    const split = files.some((f) => f.parts.length > 1);
    writeFileAtomic(mediaManifest, `${canonicalJson({ schema: MEDIA_MANIFEST_SCHEMA, name: src.name, files, bytes: total })}\n`);
    written.push(mediaManifest);
    // Read back: every file as it is on the medium, and every logical file joined from its parts.
    done = 0;
    opts.onProgress?.('reading back', 0, total);
    for (const f of files) {
      const joined = createHash('sha256');
      for (const p of f.parts) {
        const onDisk = join(targetDir, p.path);
        const partHash = createHash('sha256');
        let size = 0;
        for await (const chunk of createReadStream(onDisk, { highWaterMark: 4 * 1024 * 1024 }) as AsyncIterable<Buffer>) {
          throwIfCancelled(opts.signal);
          partHash.update(chunk);
          joined.update(chunk);
          size += chunk.length;
          step('reading back')(chunk.length);
        }
        const got = `sha256:${partHash.digest('hex')}`;
        if (got !== p.digest || size !== p.size) {
          throw new ExportError('readback-failed', `${onDisk} reads back as ${size} bytes hashing to ${got}; ${p.size} bytes hashing to ${p.digest} were written (a failing medium?)`, { details: { file: onDisk, expected: p.digest } });
        }
      }
      const got = `sha256:${joined.digest('hex')}`;
      if (got !== f.digest) throw new ExportError('readback-failed', `${f.path} joined from its parts hashes to ${got}, not ${f.digest}`, { details: { file: join(targetDir, f.path), expected: f.digest } });
    }
    return { target: join(targetDir, src.target), mediaManifest, files, bytes: total, split, freeBytesBefore: free, readBack: { ok: true, files: files.reduce((n, f) => n + f.parts.length, 0), bytes: total } };
  } catch (e) {
    // A failed read-back keeps the files: they are the evidence of what the medium returned.
    if (!(e instanceof ExportError && e.code === 'readback-failed')) for (const w of written) rmSync(w, { force: true });
    throw e;
  }
}

