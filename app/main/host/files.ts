/**
 * Turning a FileRef from the UI into a real path, safely. The renderer is untrusted: in Electron it may
 * only name paths main handed out (dialog results, dropped files) — `PathGrants`; in serve mode it may
 * only name files it uploaded — `UploadStore`. Anything else is refused with a clear error.
 */
import { createWriteStream, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import type { FileRef } from '../../common/contract';
import { HostError } from './errors';

export interface ResolvedFile {
  path: string;
  name: string;
  /** What provenance records as the file's origin: its real path, or for an upload the name it was uploaded under. */
  uri: string;
}

export interface FileResolver {
  resolve(ref: FileRef): ResolvedFile;
}

/** Paths the user chose through main (dialogs, drops). `allowAny` is for trusted programmatic hosts only. */
export class PathGrants {
  private readonly granted = new Set<string>();
  constructor(private readonly allowAny = false) {}

  grant(path: string): FileRef {
    const p = resolve(path);
    this.granted.add(p);
    return { kind: 'path', path: p, name: basename(p) };
  }

  resolvePath(ref: Extract<FileRef, { kind: 'path' }>): ResolvedFile {
    if (!isAbsolute(ref.path)) throw new HostError('invalid-request', `file path must be absolute: ${ref.path}`, { file: ref.path });
    const p = resolve(ref.path);
    if (!this.allowAny && !this.granted.has(p)) {
      throw new HostError('invalid-request', `the file ${ref.path} was not chosen in a dialog or dropped on the window; open it through File → Open`, { file: ref.path });
    }
    let isFile = false;
    try {
      isFile = statSync(p).isFile();
    } catch {
      throw new HostError('not-found', `file not found: ${p}`, { file: p });
    }
    if (!isFile) throw new HostError('invalid-input', `not a regular file: ${p}`, { file: p, expected: 'a file' });
    return { path: p, name: ref.name ?? basename(p), uri: p };
  }
}

export interface UploadStoreOptions {
  /** Directory for uploaded files (created; emptied on start and on close). */
  dir: string;
  /** Largest accepted upload in bytes (default 2 GiB). */
  maxBytes?: number;
  /** Most uploads kept at once (oldest are removed first; default 1000). */
  maxUploads?: number;
}

/** Uploaded files (serve mode): streamed to a temp dir inside the home under a random id. */
export class UploadStore {
  private readonly dir: string;
  readonly maxBytes: number;
  private readonly maxUploads: number;
  private readonly uploads = new Map<string, { path: string; name: string; size: number }>();

  constructor(opts: UploadStoreOptions) {
    this.dir = opts.dir;
    this.maxBytes = opts.maxBytes ?? 2 * 1024 ** 3;
    this.maxUploads = opts.maxUploads ?? 1000;
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  /**
   * Remove sibling upload folders (same `prefix`) left by hosts that died without closing. Only folders
   * older than `olderThanMs` go: another live host may share the home.
   */
  static sweepStale(dir: string, prefix: string, olderThanMs: number, now = Date.now()): string[] {
    const parent = dirname(dir);
    const removed: string[] = [];
    let entries: string[] = [];
    try {
      entries = readdirSync(parent);
    } catch {
      return removed;
    }
    for (const name of entries) {
      const p = join(parent, name);
      if (!name.startsWith(prefix) || p === dir) continue;
      try {
        if (now - statSync(p).mtimeMs > olderThanMs) {
          rmSync(p, { recursive: true, force: true });
          removed.push(p);
        }
      } catch {
        /* raced with its owner: leave it */
      }
    }
    return removed;
  }

  /** Stream `body` to disk; rejects (and removes the partial file) past `maxBytes` or on a stream error. */
  async receive(body: Readable, name: string, declaredLength?: number): Promise<FileRef & { kind: 'upload' }> {
    const cleanName = safeName(name);
    if (declaredLength !== undefined && declaredLength > this.maxBytes) {
      throw new HostError('invalid-input', `${cleanName} is ${declaredLength} bytes; uploads are limited to ${this.maxBytes} bytes`, { file: cleanName, limit: this.maxBytes });
    }
    const uploadId = randomBytes(16).toString('base64url');
    const folder = join(this.dir, uploadId);
    mkdirSync(folder);
    const path = join(folder, cleanName);
    let size = 0;
    const max = this.maxBytes;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > max) cb(new HostError('invalid-input', `${cleanName} exceeds the upload limit of ${max} bytes`, { file: cleanName, limit: max }));
        else cb(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(path, { flags: 'wx' }));
    } catch (e) {
      rmSync(folder, { recursive: true, force: true });
      if (e instanceof HostError) throw e;
      throw new HostError('invalid-input', `upload of ${cleanName} failed: ${(e as Error).message}`, { file: cleanName });
    }
    this.uploads.set(uploadId, { path, name: cleanName, size });
    while (this.uploads.size > this.maxUploads) {
      const oldest = this.uploads.keys().next().value as string;
      this.remove(oldest);
    }
    return { kind: 'upload', uploadId, name: cleanName };
  }

  resolveUpload(ref: Extract<FileRef, { kind: 'upload' }>): ResolvedFile {
    const u = this.uploads.get(ref.uploadId);
    if (!u) throw new HostError('not-found', `upload ${ref.uploadId} is unknown (uploads do not survive a restart of stella serve); upload the file again`, { uploadId: ref.uploadId });
    return { path: u.path, name: ref.name || u.name, uri: `upload:${ref.name || u.name}` };
  }

  remove(uploadId: string): void {
    this.uploads.delete(uploadId);
    rmSync(join(this.dir, uploadId), { recursive: true, force: true });
  }

  close(): void {
    this.uploads.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A file name without any directory part or control characters (the upload's name is user input). */
export function safeName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
   
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'upload.bin' : cleaned;
}

/** Resolver for a host: path refs through `paths` (or refused), upload refs through `uploads` (or refused). */
export function fileResolver(parts: { paths?: PathGrants; uploads?: UploadStore }): FileResolver {
  return {
    resolve(ref) {
      switch (ref.kind) {
        case 'path':
          if (!parts.paths) throw new HostError('unsupported', 'this host does not accept local file paths; upload the file instead', { file: ref.path });
          return parts.paths.resolvePath(ref);
        case 'upload':
          if (!parts.uploads) throw new HostError('unsupported', 'this host has no uploads; open the file through File → Open', { uploadId: ref.uploadId });
          return parts.uploads.resolveUpload(ref);
      }
    },
  };
}
