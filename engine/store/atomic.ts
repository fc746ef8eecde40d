/**
 * Crash-safe file writes: temp file in the same directory → fsync → rename → fsync directory. Also the
 * store's permissions: what the store creates is private to the user — folders 0700, files 0600, blobs
 * 0400 (immutable) — because evidence, keys and uploads live there.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** Content-addressed blobs are never rewritten: read-only for the owner. */
export const BLOB_FILE_MODE = 0o400;

/** `mkdir -p` with every folder it creates private (0700). */
export function mkdirPrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** A temporary file beside `target` (created exclusively with `mode`), its folder made first. */
function openTemp(target: string, mode: number): { tmp: string; fd: number } {
  mkdirSync(dirname(target), { recursive: true, ...(mode & 0o077 ? {} : { mode: PRIVATE_DIR_MODE }) });
  const tmp = tempPathFor(target);
  return { tmp, fd: openSync(tmp, 'wx', mode) };
}

/** Give up a temporary file: closed and removed; the target is untouched. */
function abandonTemp(t: { tmp: string; fd: number }): void {
  closeSync(t.fd);
  rmSync(t.tmp, { force: true });
}

/** Put a complete, fsynced temporary file in place of `target`, then fsync the folder. */
function commitTemp(t: { tmp: string; fd: number }, target: string): void {
  closeSync(t.fd);
  try {
    renameSync(t.tmp, target);
  } catch (e) {
    rmSync(t.tmp, { force: true });
    throw e;
  }
  fsyncDir(dirname(target));
}

/**
 * Write `data` to `target` atomically: readers see the old file or the whole new one, never a part.
 * `mode` (less the umask) defaults to 0644 — this also writes the user's own outputs (`stella sbom export
 * -o`); pass PRIVATE_FILE_MODE for anything inside the store or secret.
 */
export function writeFileAtomic(target: string, data: string | Uint8Array, mode = 0o644): void {
  const t = openTemp(target, mode);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(t.fd, buf, off, buf.length - off);
    fsyncSync(t.fd);
  } catch (e) {
    abandonTemp(t);
    throw e;
  }
  commitTemp(t, target);
}

/**
 * Stream `source` into `target` atomically, the same way: a temporary file beside the target (positioned
 * writes, `mode`), fsync, rename, fsync of the folder; on any failure the temporary file is removed and
 * the target is untouched. `onChunk` sees every chunk once it is written (hashing, progress, cancel — it
 * may throw); `beforeCommit` may refuse the complete file (e.g. a size check) by throwing.
 */
export async function writeStreamAtomic(
  target: string,
  source: AsyncIterable<Uint8Array>,
  opts: { mode?: number; onChunk?: (chunk: Buffer) => void; beforeCommit?: () => void } = {},
): Promise<void> {
  const t = openTemp(target, opts.mode ?? 0o644);
  try {
    let pos = 0;
    for await (const c of source) {
      const chunk = Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
      let off = 0;
      while (off < chunk.length) off += writeSync(t.fd, chunk, off, chunk.length - off, pos + off);
      pos += chunk.length;
      opts.onChunk?.(chunk);
    }
    opts.beforeCommit?.();
    fsyncSync(t.fd);
  } catch (e) {
    abandonTemp(t);
    throw e;
  }
  commitTemp(t, target);
}
