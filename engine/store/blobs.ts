/**
 * Content-addressed blob store: `blobs/sha256/ab/<hex>` files. Writes go to a temp file in the same
 * directory, are fsynced, then renamed into place, so a crash never leaves a partial blob under a
 * digest name, and two processes writing the same blob both succeed.
 *
 * Batches of small blobs (`putMany`, e.g. the thousands of documents of an advisory import) go to the
 * `blob_small` table of the store database instead, in one transaction: creating a file per 2 KB
 * document costs far more than the document. Both tiers are read the same way (`get` re-hashes every
 * blob it returns); callers never need to know where a blob lives.
 */
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { createReadStream, closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { assertDigest, sha256Digest, type Digest } from '../core';
import { BLOB_FILE_MODE, fsyncDir, mkdirPrivate, tempPathFor } from './atomic';
import { StoreError } from './errors';
import { putBlobs, SMALL_BLOB_BYTES } from './blob-batch';

export { SMALL_BLOB_BYTES };

export class BlobStore {
  readonly root: string;
  private readonly db: Database.Database | undefined;

  constructor(root: string, db?: Database.Database) {
    this.root = root;
    this.db = db;
    mkdirPrivate(join(root, 'sha256'));
  }

  /** The bytes of a blob kept in the database tier, unverified; undefined when it is not there. */
  private small(digest: Digest): Buffer | undefined {
    if (!this.db || !this.hasSmallTable()) return undefined;
    const row = this.db.prepare('SELECT bytes FROM blob_small WHERE digest = ?').get(digest) as { bytes: Buffer } | undefined;
    return row?.bytes;
  }

  private smallTable: boolean | undefined;
  private hasSmallTable(): boolean {
    this.smallTable ??= !!this.db?.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'blob_small'").get();
    return this.smallTable;
  }

  /** Write small blobs into the database tier in one transaction (idempotent); the caller passes digests it computed. */
  putSmall(items: readonly { digest: Digest; bytes: Uint8Array }[]): void {
    if (!this.db || !this.hasSmallTable()) throw new StoreError('home-unusable', 'this blob store has no database tier');
    const db = this.db;
    const ins = db.prepare('INSERT OR IGNORE INTO blob_small (digest, bytes) VALUES (?, ?)');
    db.transaction(() => {
      for (const it of items) ins.run(it.digest, Buffer.from(it.bytes.buffer, it.bytes.byteOffset, it.bytes.byteLength));
    }).immediate();
  }

  /** Whether batches can use the database tier. */
  get hasDatabaseTier(): boolean {
    return !!this.db && this.hasSmallTable();
  }

  /** Remove a blob that was written for an operation that then failed (nothing may reference it). */
  discard(digest: Digest): void {
    rmSync(this.pathOf(digest), { force: true });
    if (this.db && this.hasSmallTable()) this.db.prepare('DELETE FROM blob_small WHERE digest = ?').run(digest);
  }

  pathOf(digest: Digest): string {
    const hex = assertDigest(digest).slice(7);
    return join(this.root, 'sha256', hex.slice(0, 2), hex);
  }

  has(digest: Digest): boolean {
    if (existsSync(this.pathOf(digest))) return true;
    return !!this.db && this.hasSmallTable() && this.db.prepare('SELECT 1 FROM blob_small WHERE digest = ?').get(digest) !== undefined;
  }

  /** Store bytes; returns their digest. Idempotent. */
  put(bytes: Uint8Array | string): Digest {
    const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    const digest = sha256Digest(buf);
    const target = this.pathOf(digest);
    if (existsSync(target)) return digest;
    mkdirPrivate(join(target, '..'));
    const tmp = tempPathFor(target);
    const fd = openSync(tmp, 'wx', BLOB_FILE_MODE);
    try {
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.commit(tmp, target);
    return digest;
  }

  /** Stream a file into the store without holding it in memory; returns its digest and size. */
  async putFile(path: string): Promise<{ digest: Digest; size: number }> {
    const staging = join(this.root, 'sha256', '.staging');
    mkdirPrivate(staging);
    const tmp = tempPathFor(join(staging, 'blob'));
    const fd = openSync(tmp, 'wx', BLOB_FILE_MODE);
    const hash = createHash('sha256');
    let size = 0;
    try {
      await pipeline(
        createReadStream(path),
        new Writable({
          write(chunk: Buffer, _enc, cb) {
            try {
              hash.update(chunk);
              size += chunk.length;
              let off = 0;
              while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
              cb();
            } catch (e) {
              cb(e as Error);
            }
          },
        }),
      );
      fsyncSync(fd);
    } catch (e) {
      closeSync(fd);
      rmSync(tmp, { force: true });
      throw e;
    }
    closeSync(fd);
    const digest: Digest = `sha256:${hash.digest('hex')}`;
    const target = this.pathOf(digest);
    if (existsSync(target)) {
      rmSync(tmp, { force: true });
    } else {
      mkdirPrivate(join(target, '..'));
      this.commit(tmp, target);
    }
    return { digest, size };
  }

  private commit(tmp: string, target: string): void {
    try {
      renameSync(tmp, target);
    } catch (e) {
      rmSync(tmp, { force: true });
      if (!existsSync(target)) throw e;
    }
    fsyncDir(join(target, '..'));
  }

  /**
   * Store many blobs at once (an advisory import writes thousands): same protocol as `put`, with the
   * syncs overlapped. Returns, per input, its digest or the error that prevented storing it.
   * `digests`, when given, are the callers' own sha256 of the same items (an import hashes each
   * document anyway to recognize unchanged ones): they are not computed twice.
   */
  putMany(items: readonly Uint8Array[], digests?: readonly Digest[]): Promise<({ digest: Digest } | { error: Error })[]> {
    return putBlobs(this, items, digests);
  }

  /** Read a blob, verifying its bytes hash to its name. */
  get(digest: Digest): Buffer {
    const p = this.pathOf(digest);
    const buf = existsSync(p) ? readFileSync(p) : this.small(digest);
    if (!buf) throw new StoreError('blob-missing', `blob ${digest} is not in the store`, { details: { digest } });
    const actual = sha256Digest(buf);
    if (actual !== digest) {
      throw new StoreError('blob-corrupt', `blob ${digest} is corrupt: its bytes hash to ${actual}`, { details: { digest, actual } });
    }
    return buf;
  }

  size(digest: Digest): number {
    const p = this.pathOf(digest);
    if (existsSync(p)) return statSync(p).size;
    const b = this.small(digest);
    if (!b) throw new StoreError('blob-missing', `blob ${digest} is not in the store`, { details: { digest } });
    return b.length;
  }

  /** Re-hash a blob; false when missing or corrupt. */
  verify(digest: Digest): boolean {
    try {
      this.get(digest);
      return true;
    } catch {
      return false;
    }
  }
}
