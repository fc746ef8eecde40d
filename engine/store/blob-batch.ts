/**
 * Writing many small blobs at once. `BlobStore.put` fsyncs each file and its directory, which costs
 * milliseconds per document; an advisory import writes thousands. This keeps the blob store's protocol
 * (temp file in the target directory → data synced → rename → directory synced, so a digest name never
 * holds partial bytes) but overlaps the syncs: all temp files of a batch are written, their data synced
 * concurrently, then renamed, then each touched directory synced once. The rows that reference the
 * blobs are committed only after this resolves.
 */
import { closeSync, existsSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sha256Digest, type Digest } from '../core';
import type { BlobStore } from './blobs';
import { BLOB_FILE_MODE, fsyncDir, mkdirPrivate } from './atomic';
import { randomBytes } from 'node:crypto';

const SYNC_CONCURRENCY = 32;

/** Blobs up to this size written by `putMany` live in the store database (one transaction per batch). */
export const SMALL_BLOB_BYTES = 256 * 1024;

/** Store every buffer; returns, per input, its digest or the error that prevented storing it. */
export async function putBlobs(blobs: BlobStore, items: readonly Uint8Array[], digests?: readonly Digest[]): Promise<({ digest: Digest } | { error: Error })[]> {
  const out: ({ digest: Digest } | { error: Error })[] = new Array(items.length);
  // Small blobs: one database transaction for the whole batch.
  const small: { index: number; digest: Digest; bytes: Uint8Array }[] = [];
  const pending: { index: number; tmp: string; target: string; digest: Digest }[] = [];
  const seen = new Set<string>();
  items.forEach((bytes, index) => {
    try {
      const digest = digests?.[index] ?? sha256Digest(bytes);
      out[index] = { digest };
      const target = blobs.pathOf(digest);
      if (seen.has(target)) return;
      // A small blob goes to the database tier (INSERT OR IGNORE) without a stat of its file path: one
      // syscall per document saved; the same bytes stored earlier as a file are then kept in both tiers.
      if (blobs.hasDatabaseTier && bytes.length <= SMALL_BLOB_BYTES) {
        seen.add(target);
        small.push({ index, digest, bytes });
        return;
      }
      if (existsSync(target)) return;
      seen.add(target);
      mkdirPrivate(dirname(target));
      const tmp = `${dirname(target)}/.${digest.slice(7)}.${randomBytes(6).toString('hex')}.tmp`;
      const fd = openSync(tmp, 'wx', BLOB_FILE_MODE);
      try {
        let off = 0;
        while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      } finally {
        closeSync(fd);
      }
      pending.push({ index, tmp, target, digest });
    } catch (e) {
      out[index] = { error: e as Error };
    }
  });
  if (small.length) {
    try {
      blobs.putSmall(small);
    } catch (e) {
      for (const s of small) out[s.index] = { error: e as Error };
    }
  }
  let next = 0;
  const failed = new Set<number>();
  const worker = async () => {
    while (next < pending.length) {
      const p = pending[next++];
      if (!p) break;
      try {
        const h = await open(p.tmp, 'r');
        try {
          await h.datasync();
        } finally {
          await h.close();
        }
      } catch (e) {
        failed.add(p.index);
        out[p.index] = { error: e as Error };
        rmSync(p.tmp, { force: true });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SYNC_CONCURRENCY, pending.length) }, worker));
  const dirs = new Set<string>();
  for (const p of pending) {
    if (failed.has(p.index)) continue;
    try {
      renameSync(p.tmp, p.target);
      dirs.add(dirname(p.target));
    } catch (e) {
      rmSync(p.tmp, { force: true });
      if (!existsSync(p.target)) out[p.index] = { error: e as Error };
    }
  }
  // Directory entries made durable, concurrently (one sync per touched directory, not per blob).
  const dirList = [...dirs].sort();
  let nextDir = 0;
  const dirWorker = async () => {
    while (nextDir < dirList.length) {
      const d = dirList[nextDir++] as string;
      try {
        const h = await open(d, 'r');
        try {
          await h.sync();
        } finally {
          await h.close();
        }
      } catch {
        fsyncDir(d); // platforms that cannot open a directory for sync: the store's own fallback
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SYNC_CONCURRENCY, dirList.length) }, dirWorker));
  // Duplicates within the batch share the first one's outcome.
  items.forEach((_b, i) => {
    const r = out[i];
    if (r && 'digest' in r) {
      const owner = pending.find((p) => p.digest === r.digest);
      if (owner && failed.has(owner.index) && owner.index !== i) out[i] = out[owner.index] as { error: Error };
    }
  });
  return out;
}
