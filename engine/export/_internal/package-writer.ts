/**
 * Writing a signed package: a kit is one deterministic `.tar.gz` (engine/core's writer: sorted members,
 * mtime 0, uid/gid 0, fixed gzip header) streamed to a temporary file beside the target, fsynced and
 * renamed; a mirror bundle is a folder written beside the target under a temporary name, every file
 * fsynced, then renamed into place. Either way a reader sees the old state or the whole new package.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { type ArchiveStreamEntry, type Digest, deterministicTarGzStream, isStellaError, sha256Digest, throwIfCancelled } from '../../core';
import { fsyncDir, writeStreamAtomic } from '../../store';
import { ExportError } from '../errors';
import { KIT_META_PREFIX, KIT_PAYLOAD_PREFIX, MANIFEST_DSSE_FILE, MANIFEST_FILE, MANIFEST_JWS_FILE } from '../kit-read';

export interface PayloadEntry {
  /** Logical path (relative to the payload root). */
  path: string;
  size: number;
  mode: 0o644 | 0o755;
  open(): Readable;
}

export interface SignedMeta {
  manifest: Buffer;
  dsse: string;
  jws: string;
}

export interface WriteOptions {
  signal?: AbortSignal;
  onBytes?: (done: number, total: number) => void;
}

function metaEntries(meta: SignedMeta, prefix: string): ArchiveStreamEntry[] {
  return [
    [MANIFEST_FILE, meta.manifest],
    [MANIFEST_DSSE_FILE, Buffer.from(`${meta.dsse}\n`, 'utf8')],
    [MANIFEST_JWS_FILE, Buffer.from(`${meta.jws}\n`, 'utf8')],
  ].map(([name, bytes]) => ({ path: `${prefix}${name as string}`, size: (bytes as Buffer).length, open: () => Readable.from([bytes as Buffer]) }));
}

/** Write the kit archive to `output` atomically; returns the digest and size of the file written. */
export async function writeKitArchive(output: string, meta: SignedMeta, payload: readonly PayloadEntry[], opts: WriteOptions = {}): Promise<{ digest: Digest; size: number }> {
  const total = payload.reduce((n, p) => n + p.size, 0);
  let done = 0;
  const entries: ArchiveStreamEntry[] = [
    ...metaEntries(meta, KIT_META_PREFIX),
    ...payload.map((p) => ({
      path: `${KIT_PAYLOAD_PREFIX}${p.path}`,
      size: p.size,
      mode: p.mode,
      open: () => {
        const s = p.open();
        s.on('data', (c: Buffer) => {
          done += c.length;
          opts.onBytes?.(done, total);
        });
        return s;
      },
    })),
  ];
  const hash = createHash('sha256');
  let size = 0;
  try {
    await writeStreamAtomic(output, deterministicTarGzStream(entries, opts.signal ? { signal: opts.signal } : {}), {
      onChunk: (c) => {
        hash.update(c);
        size += c.length;
      },
    });
  } catch (e) {
    if (isStellaError(e)) throw e;
    throw new ExportError('write-failed', `cannot write ${output}: ${(e as Error).message}`, { cause: e, details: { file: output } });
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

async function writeOne(path: string, src: Readable, mode: number, onChunk: (c: Buffer) => void): Promise<void> {
  await writeStreamAtomic(path, src, { mode, onChunk });
}

/**
 * Write a bundle folder at `outputDir` (which must not exist, or be empty): files go to a temporary
 * sibling folder first, each fsynced, and the folder is renamed into place at the end.
 */
export async function writeBundleFolder(outputDir: string, meta: SignedMeta, payload: readonly PayloadEntry[], opts: WriteOptions = {}): Promise<{ digest: Digest; size: number }> {
  if (existsSync(outputDir)) {
    if (!statSync(outputDir).isDirectory() || readdirSync(outputDir).length > 0) {
      throw new ExportError('invalid-argument', `${outputDir} exists and is not an empty folder; choose a new folder for the bundle`, { details: { file: outputDir } });
    }
  }
  const parent = dirname(outputDir);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(outputDir)}.${randomBytes(6).toString('hex')}.tmp`);
  const total = payload.reduce((n, p) => n + p.size, 0);
  let done = 0;
  try {
    mkdirSync(tmp, { mode: 0o755 });
    for (const e of metaEntries(meta, '')) await writeOne(join(tmp, e.path), e.open(), 0o644, () => undefined);
    for (const p of [...payload].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
      throwIfCancelled(opts.signal);
      await writeOne(join(tmp, p.path), p.open(), p.mode, (c) => {
        done += c.length;
        opts.onBytes?.(done, total);
      });
    }
    syncTree(tmp);
    if (existsSync(outputDir)) rmSync(outputDir, { recursive: true });
    renameSync(tmp, outputDir);
    fsyncDir(parent);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return { digest: sha256Digest(meta.manifest), size: total };
}

/** fsync every folder of a tree (file contents were synced as they were written). */
function syncTree(dir: string): void {
  for (const n of readdirSync(dir, { withFileTypes: true })) if (n.isDirectory()) syncTree(join(dir, n.name));
  fsyncDir(dir);
}
