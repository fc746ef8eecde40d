/**
 * Content-addressed blob store on disk: `blobs/sha256/ab/<hex>`. Writes go to a temp file in the
 * same directory, are fsynced, then renamed into place, so a crash never leaves a partial blob under
 * a digest name, and two processes writing the same blob both succeed.
 */
import { createHash } from 'node:crypto';
import { createReadStream, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { assertDigest, sha256Digest, type Digest } from '../core';
import { fsyncDir, tempPathFor } from './atomic';
import { StoreError } from './errors';
import { putBlobs } from './blob-batch';

export class BlobStore {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
    mkdirSync(join(root, 'sha256'), { recursive: true });
  }

  pathOf(digest: Digest): string {
    const hex = assertDigest(digest).slice(7);
    return join(this.root, 'sha256', hex.slice(0, 2), hex);
  }

  has(digest: Digest): boolean {
    return existsSync(this.pathOf(digest));
  }

  /** Store bytes; returns their digest. Idempotent. */
  put(bytes: Uint8Array | string): Digest {
    const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    const digest = sha256Digest(buf);
    const target = this.pathOf(digest);
    if (existsSync(target)) return digest;
    mkdirSync(join(target, '..'), { recursive: true });
    const tmp = tempPathFor(target);
    const fd = openSync(tmp, 'wx', 0o444);
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
    mkdirSync(staging, { recursive: true });
    const tmp = tempPathFor(join(staging, 'blob'));
    const fd = openSync(tmp, 'wx', 0o444);
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
      mkdirSync(join(target, '..'), { recursive: true });
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
   */
  putMany(items: readonly Uint8Array[]): Promise<({ digest: Digest } | { error: Error })[]> {
    return putBlobs(this, items);
  }

  /** Read a blob, verifying its bytes hash to its name. */
  get(digest: Digest): Buffer {
    const p = this.pathOf(digest);
    if (!existsSync(p)) throw new StoreError('blob-missing', `blob ${digest} is not in the store`, { details: { digest } });
    const buf = readFileSync(p);
    const actual = sha256Digest(buf);
    if (actual !== digest) {
      throw new StoreError('blob-corrupt', `blob ${digest} is corrupt: its bytes hash to ${actual}`, { details: { digest, actual } });
    }
    return buf;
  }

  size(digest: Digest): number {
    return statSync(this.pathOf(digest)).size;
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
