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
import type { FileRef, FolderRef } from '../../common/contract';
import { HostError } from './errors';

export interface ResolvedFile {
  path: string;
  name: string;
  /** What provenance records as the file's origin: its real path, or for an upload the name it was uploaded under. */
  uri: string;
  /** An upload: its server path must never reach a client — messages name it by `name`. */
  hidden?: boolean;
  /** The job that used this file has ended (an upload is then removed: uploads are single-use). */
  release?(): void;
}

export interface FileResolver {
  resolve(ref: FileRef): ResolvedFile;
  /** A folder chosen in a dialog (kit inputs, output, removable media); refused where there is none. */
  resolveFolder?(ref: FolderRef): string;
}

/**
 * Paths the user chose through main (dialogs, drops). A folder is accepted only where it was granted as
 * one (a folder dialog, or a folder dropped on the image zone: an OCI layout or root filesystem to scan).
 * `allowAny` is for trusted programmatic hosts only.
 */
export class PathGrants {
  /** path → whether it may be a directory */
  private readonly granted = new Map<string, boolean>();
  constructor(private readonly allowAny = false) {}

  grant(path: string, opts: { directory?: boolean } = {}): FileRef {
    const p = resolve(path);
    this.granted.set(p, (this.granted.get(p) ?? false) || opts.directory === true);
    return { kind: 'path', path: p, name: basename(p) };
  }

  /** Grant a folder chosen in a dialog (its files and subfolders may then be read or written by jobs). */
  grantFolder(path: string): FolderRef {
    const p = resolve(path);
    this.granted.set(p, true);
    return { kind: 'folder', path: p, name: basename(p) };
  }

  resolveFolder(ref: FolderRef): string {
    if (!isAbsolute(ref.path)) throw new HostError('invalid-request', `folder path must be absolute: ${ref.path}`, { file: ref.path });
    const p = resolve(ref.path);
    if (!this.allowAny && !this.granted.has(p)) throw new HostError('invalid-request', `the folder ${ref.path} was not chosen in a dialog`, { file: ref.path });
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new HostError('not-found', `folder not found: ${p}`, { file: p });
    }
    if (!isDir) throw new HostError('invalid-input', `not a folder: ${p}`, { file: p, expected: 'a folder' });
    return p;
  }

  resolvePath(ref: Extract<FileRef, { kind: 'path' }>): ResolvedFile {
    if (!isAbsolute(ref.path)) throw new HostError('invalid-request', `file path must be absolute: ${ref.path}`, { file: ref.path });
    const p = resolve(ref.path);
    if (!this.allowAny && !this.granted.has(p)) {
      throw new HostError('invalid-request', `the file ${ref.path} was not chosen in a dialog or dropped on the window; open it through File → Open`, { file: ref.path });
    }
    let kind: 'file' | 'directory' | 'other';
    try {
      const st = statSync(p);
      kind = st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other';
    } catch {
      throw new HostError('not-found', `file not found: ${p}`, { file: p });
    }
    if (kind === 'directory' && (this.allowAny || this.granted.get(p) === true)) return { path: p, name: ref.name ?? basename(p), uri: p };
    if (kind !== 'file') throw new HostError('invalid-input', `not a regular file: ${p}`, { file: p, expected: 'a file' });
    return { path: p, name: ref.name ?? basename(p), uri: p };
  }
}

export interface UploadStoreOptions {
  /** Directory for uploaded files (created 0700; emptied on start and on close). */
  dir: string;
  /** Largest accepted upload in bytes (default 2 GiB). */
  maxBytes?: number;
  /** Most bytes all uploads — kept and arriving — may hold together (default 8 GiB). */
  maxTotalBytes?: number;
  /** Most uploads kept at once (oldest unused are removed first; default 1000). */
  maxUploads?: number;
}

interface Upload {
  path: string;
  name: string;
  size: number;
  /** Jobs reading it right now: never evicted while > 0. */
  pins: number;
}

/**
 * Uploaded files (serve mode): streamed to a private temp dir inside the home under a random id, each
 * under `maxBytes`, all together under `maxTotalBytes` (bytes still arriving count too). Room is made by
 * removing the oldest uploads no job is reading; an upload is removed when the job that used it ends.
 */
export class UploadStore {
  private readonly dir: string;
  readonly maxBytes: number;
  readonly maxTotalBytes: number;
  private readonly maxUploads: number;
  private readonly uploads = new Map<string, Upload>();
  /** Bytes of uploads still arriving (reserved up front when the length is declared). */
  private arriving = 0;

  constructor(opts: UploadStoreOptions) {
    this.dir = opts.dir;
    this.maxBytes = opts.maxBytes ?? 2 * 1024 ** 3;
    this.maxTotalBytes = opts.maxTotalBytes ?? 8 * 1024 ** 3;
    this.maxUploads = opts.maxUploads ?? 1000;
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  /** Bytes held by kept uploads plus those arriving. */
  get usedBytes(): number {
    let n = this.arriving;
    for (const u of this.uploads.values()) n += u.size;
    return n;
  }

  /** Remove the oldest unpinned uploads until `bytes` more fit under the quota; false when they cannot. */
  private makeRoom(bytes: number): boolean {
    for (const [id, u] of this.uploads) {
      if (this.usedBytes + bytes <= this.maxTotalBytes) break;
      if (u.pins === 0) this.remove(id);
    }
    return this.usedBytes + bytes <= this.maxTotalBytes;
  }

  private quotaError(name: string): HostError {
    return new HostError('invalid-input', `${name}: the uploads on this server would exceed their quota of ${this.maxTotalBytes} bytes (jobs are still reading ${this.usedBytes} bytes of uploads); try again when they have finished`, { file: name, limit: this.maxTotalBytes });
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

  /**
   * Stream `body` to disk (a 0600 file in a 0700 folder); rejects, and removes the partial file, past
   * `maxBytes`, past the quota, or on a stream error.
   */
  async receive(body: Readable, name: string, declaredLength?: number): Promise<FileRef & { kind: 'upload' }> {
    const cleanName = safeName(name);
    if (declaredLength !== undefined && declaredLength > this.maxBytes) {
      throw new HostError('invalid-input', `${cleanName} is ${declaredLength} bytes; uploads are limited to ${this.maxBytes} bytes`, { file: cleanName, limit: this.maxBytes });
    }
    let reserved = declaredLength ?? 0;
    if (!this.makeRoom(reserved)) throw this.quotaError(cleanName);
    this.arriving += reserved;
    const uploadId = randomBytes(16).toString('base64url');
    const folder = join(this.dir, uploadId);
    let size = 0;
    const max = this.maxBytes;
    const grow = (n: number): HostError | null => {
      size += n;
      if (size > max) return new HostError('invalid-input', `${cleanName} exceeds the upload limit of ${max} bytes`, { file: cleanName, limit: max });
      if (size > reserved) {
        // More than declared (or nothing declared): claim the extra before writing it.
        if (!this.makeRoom(size - reserved)) return this.quotaError(cleanName);
        this.arriving += size - reserved;
        reserved = size;
      }
      return null;
    };
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        const refused = grow(chunk.length);
        if (refused) cb(refused);
        else cb(null, chunk);
      },
    });
    try {
      mkdirSync(folder, { mode: 0o700 });
      await pipeline(body, counter, createWriteStream(join(folder, cleanName), { flags: 'wx', mode: 0o600 }));
    } catch (e) {
      rmSync(folder, { recursive: true, force: true });
      if (e instanceof HostError) throw e;
      throw new HostError('invalid-input', `upload of ${cleanName} failed: ${(e as Error).message}`, { file: cleanName });
    } finally {
      this.arriving -= reserved;
    }
    this.uploads.set(uploadId, { path: join(folder, cleanName), name: cleanName, size, pins: 0 });
    for (const [id, u] of this.uploads) {
      if (this.uploads.size <= this.maxUploads) break;
      if (u.pins === 0 && id !== uploadId) this.remove(id);
    }
    return { kind: 'upload', uploadId, name: cleanName };
  }

  /** The upload's file, pinned until `release()` — which then removes it (uploads are single-use). */
  resolveUpload(ref: Extract<FileRef, { kind: 'upload' }>): ResolvedFile {
    const u = this.uploads.get(ref.uploadId);
    if (!u) throw new HostError('not-found', `upload ${ref.uploadId} is unknown (uploads do not survive a restart of stella serve, and each is used by one job); upload the file again`, { uploadId: ref.uploadId });
    u.pins++;
    let released = false;
    const name = safeName(ref.name || u.name);
    return {
      path: u.path,
      name,
      uri: `upload:${name}`,
      hidden: true,
      release: () => {
        if (released) return;
        released = true;
        u.pins--;
        if (u.pins === 0) this.remove(ref.uploadId);
      },
    };
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

/** Longest file name kept, in UTF-8 bytes (file systems count bytes: 255 on ext4, APFS, NTFS in UTF-16 units). */
export const MAX_NAME_BYTES = 200;

/** The longest prefix of `s` that fits in `max` UTF-8 bytes without splitting a character. */
export function cutUtf8(s: string, max: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > max) break;
    bytes += n;
    end += ch.length;
  }
  return s.slice(0, end);
}

/**
 * A file name without any directory part, control characters or lone surrogates (the upload's name is
 * user input), at most MAX_NAME_BYTES of UTF-8; a long name keeps its extension, which analyzers select on.
 */
export function safeName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .trim();
  let cut = cleaned;
  if (Buffer.byteLength(cleaned, 'utf8') > MAX_NAME_BYTES) {
    const dot = cleaned.lastIndexOf('.');
    const ext = dot > 0 && Buffer.byteLength(cleaned.slice(dot), 'utf8') <= 16 ? cleaned.slice(dot) : '';
    cut = cutUtf8(cleaned.slice(0, cleaned.length - ext.length), MAX_NAME_BYTES - Buffer.byteLength(ext, 'utf8')).trimEnd() + ext;
  }
  return cut === '' || cut === '.' || cut === '..' ? 'upload.bin' : cut;
}

/** Resolver for a host: path refs through `paths` (or refused), upload refs through `uploads` (or refused), folders through `paths` or else the folder-only grants `folders`. */
export function fileResolver(parts: { paths?: PathGrants; uploads?: UploadStore; folders?: PathGrants }): FileResolver {
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
    resolveFolder(ref) {
      // serve: only the folders `media.list` granted (export targets); never a file path
      if (!parts.paths && parts.folders) return parts.folders.resolveFolder(ref);
      if (!parts.paths) throw new HostError('unsupported', 'this host does not accept local folders (kit inputs, outputs and removable media are chosen in the desktop app)', { file: ref.path });
      return parts.paths.resolveFolder(ref);
    },
  };
}
