/**
 * Reading and verifying an Offline Update Kit (one deterministic `.tar.gz`, possibly split into
 * `.partNNN` files on FAT32 media) or a mirror bundle (a folder), in the order the import requires:
 *
 *   1. the DSSE signature over the manifest, against the keys trusted for `kits`;
 *   2. the detached JWS over the same manifest;
 *   3. every file's digest and size — no file missing, none added;
 *
 * (the version check and activation are the import job's). A kit is read in ONE pass: its manifest and
 * signatures are its first members (`kit/…` sorts before every payload folder), so they are verified
 * before any payload byte is used; each payload member is then hashed while it is spooled to a private
 * file in the store's home, from which activation reads the verified bytes — never the media again.
 * The whole kit file is hashed in the same pass (its digest names it in the audit trail and quarantine).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { type Digest, CoreError, forEachTarGzEntry, sha256Digest, throwIfCancelled } from '../core';
import type { Store } from '../store';
import { ExportError } from './errors';
import { type KitFileEntry, type PackageManifest, MAX_MANIFEST_BYTES, parseManifest } from './kit-manifest';
import { type SignatureCheck, verifyManifestEnvelope, verifyManifestJws } from './kit-sign';
import { fileOrPartsSource, findParts, parsePartName } from './_internal/parts';
import { PayloadSpool } from './_internal/spool';

/**
 * Inside a kit archive the manifest and its signatures live under `kit/` and everything the manifest
 * lists under `payload/` — which sorts after `kit/`, so the signatures are read first. Manifest paths
 * are relative to the payload root (`advisories/…`), the same in a kit and in a bundle folder.
 */
export const KIT_META_PREFIX = 'kit/';
export const KIT_PAYLOAD_PREFIX = 'payload/';
export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_DSSE_FILE = 'manifest.dsse.json';
export const MANIFEST_JWS_FILE = 'manifest.jws';
const META_FILES = [MANIFEST_DSSE_FILE, MANIFEST_JWS_FILE, MANIFEST_FILE] as const;
const MAX_JWS_BYTES = 1024 * 1024;
/** The DSSE envelope carries the manifest as its (base64) payload. */
const MAX_DSSE_BYTES = Math.ceil((MAX_MANIFEST_BYTES * 4) / 3) + 1024 * 1024;
const META_LIMIT: Record<(typeof META_FILES)[number], number> = { [MANIFEST_FILE]: MAX_MANIFEST_BYTES, [MANIFEST_DSSE_FILE]: MAX_DSSE_BYTES, [MANIFEST_JWS_FILE]: MAX_JWS_BYTES };

export type KitCheckName = 'read' | 'signature' | 'jws' | 'digests' | 'version' | 'activate';
export type KitCheckStatus = 'pass' | 'fail' | 'skipped' | 'forced';

export interface KitCheck {
  name: KitCheckName;
  status: KitCheckStatus;
  message: string;
}

/** The check an error of the reader stands for (which step failed). */
export function checkOfError(code: string): KitCheckName {
  switch (code) {
    case 'signature-invalid':
      return 'signature';
    case 'jws-invalid':
      return 'jws';
    case 'digest-mismatch':
    case 'file-missing':
    case 'file-unexpected':
      return 'digests';
    case 'non-monotonic':
    case 'base-missing':
      return 'version';
    case 'document-rejected':
      return 'activate';
    default:
      return 'read';
  }
}

export type PackageLocation =
  | { kind: 'kit'; path: string; parts: { path: string; size: number }[] }
  | { kind: 'bundle'; path: string };

/** What `path` names: a kit file, a kit split into parts (`path.part000` …), or a mirror bundle folder. */
export function locatePackage(path: string): PackageLocation {
  const abs = resolve(path);
  let st;
  try {
    st = statSync(abs);
  } catch {
    const parts = findParts(abs);
    if (parts?.length) return { kind: 'kit', path: abs, parts };
    throw new ExportError('kit-unreadable', `${abs}: no such kit, split kit (${abs}.part000 …) or bundle folder`, { details: { file: abs, expected: 'an offline kit (.tar.gz) or a mirror bundle folder' } });
  }
  if (st.isDirectory()) {
    if (!existsSync(join(abs, MANIFEST_FILE))) throw new ExportError('kit-unreadable', `${abs}: a folder without ${MANIFEST_FILE} is not a mirror bundle`, { details: { file: abs, expected: 'a mirror bundle folder' } });
    return { kind: 'bundle', path: abs };
  }
  if (!st.isFile()) throw new ExportError('kit-unreadable', `${abs}: not a regular file or folder`, { details: { file: abs } });
  return { kind: 'kit', path: abs, parts: [{ path: abs, size: st.size }] };
}

export interface VerifiedPackage {
  location: PackageLocation;
  /** The kit file's sha256 (every byte of it, parts joined); for a bundle folder, its manifest's. */
  digest: Digest;
  /** Bytes read: the kit file (compressed) or the bundle's payload. */
  size: number;
  manifest: PackageManifest;
  manifestBytes: Buffer;
  manifestDigest: Digest;
  signature: SignatureCheck;
  jws: SignatureCheck;
  /** The verified payload, when a spool was asked for. */
  spool: PayloadSpool | null;
}

export interface VerifyPackageOptions {
  signal?: AbortSignal;
  /** Spool verified payload files here (activation reads them); without it, payload is only hashed. */
  spoolDir?: string;
  /** A check passed (signature, jws, digests), in order. */
  onCheck?: (check: KitCheck) => void;
  /** Payload bytes hashed so far, of the total the manifest lists. */
  onBytes?: (done: number, total: number) => void;
}

interface Collected {
  meta: Map<string, Buffer>;
  manifest?: PackageManifest;
  manifestBytes?: Buffer;
  signature?: SignatureCheck;
  jws?: SignatureCheck;
  files?: Map<string, KitFileEntry>;
  seen: Set<string>;
  hashed: number;
  total: number;
}

/** Signature, JWS (in that order) once the three manifest files are in. */
async function verifyHead(store: Store, c: Collected, label: string, opts: VerifyPackageOptions): Promise<void> {
  const manifestBytes = c.meta.get(MANIFEST_FILE);
  const dsse = c.meta.get(MANIFEST_DSSE_FILE);
  const jws = c.meta.get(MANIFEST_JWS_FILE);
  if (!manifestBytes) throw new ExportError('file-missing', `${label}: has no ${MANIFEST_FILE}; nothing in it can be verified`, { details: { file: label, path: MANIFEST_FILE } });
  if (!dsse) throw new ExportError('signature-invalid', `${label}: has no ${MANIFEST_DSSE_FILE} (the manifest signature)`, { details: { file: label, path: MANIFEST_DSSE_FILE } });
  c.signature = verifyManifestEnvelope(store, dsse.toString('utf8'), manifestBytes, label);
  opts.onCheck?.({ name: 'signature', status: 'pass', message: `manifest signed by ${c.signature.label || c.signature.keyId} (trusted for kits)` });
  if (!jws) throw new ExportError('jws-invalid', `${label}: has no ${MANIFEST_JWS_FILE} (the detached JWS)`, { details: { file: label, path: MANIFEST_JWS_FILE } });
  c.jws = await verifyManifestJws(store, jws.toString('utf8'), manifestBytes, label);
  opts.onCheck?.({ name: 'jws', status: 'pass', message: `detached JWS verified with ${c.jws.label || c.jws.keyId}` });
  // Only a verified manifest is parsed: nothing unsigned is interpreted.
  c.manifest = parseManifest(manifestBytes, `${label}: ${MANIFEST_FILE}`);
  c.manifestBytes = manifestBytes;
  c.files = new Map(c.manifest.files.map((f) => [f.path, f]));
  c.total = c.manifest.files.reduce((n, f) => n + f.size, 0);
  opts.onBytes?.(0, c.total);
}

/** Hash one payload file's bytes (and spool them), checking size, digest and (in a kit archive) mode against the manifest. */
async function takePayload(c: Collected, label: string, path: string, mode: number | null, content: AsyncIterable<Buffer>, spool: PayloadSpool | null, opts: VerifyPackageOptions): Promise<void> {
  const entry = c.files!.get(path);
  if (!entry) throw new ExportError('file-unexpected', `${label}: ${path} is not listed in the signed manifest (an added file)`, { details: { file: label, path } });
  if (c.seen.has(path)) throw new ExportError('file-unexpected', `${label}: ${path} appears twice`, { details: { file: label, path } });
  c.seen.add(path);
  const hash = createHash('sha256');
  let size = 0;
  spool?.touch(path);
  for await (const chunk of content) {
    size += chunk.length;
    if (size > entry.size) throw new ExportError('digest-mismatch', `${label}: ${path} is longer than the ${entry.size} bytes the manifest records`, { details: { file: label, path } });
    hash.update(chunk);
    spool?.append(path, chunk);
    c.hashed += chunk.length;
    opts.onBytes?.(c.hashed, c.total);
  }
  const got: Digest = `sha256:${hash.digest('hex')}`;
  if (size !== entry.size || got !== entry.digest) {
    throw new ExportError('digest-mismatch', `${label}: ${path} has ${size} bytes hashing to ${got}; the signed manifest records ${entry.size} bytes, ${entry.digest}`, { details: { file: label, path, expected: entry.digest } });
  }
  if (mode !== null && (mode & 0o111 ? 0o755 : 0o644) !== entry.mode) {
    throw new ExportError('digest-mismatch', `${label}: ${path} has mode ${mode.toString(8)}; the signed manifest records ${entry.mode.toString(8)}`, { details: { file: label, path } });
  }
}

function finish(c: Collected, label: string, opts: VerifyPackageOptions): void {
  const missing = c.manifest!.files.filter((f) => !c.seen.has(f.path)).map((f) => f.path);
  if (missing.length) {
    throw new ExportError('file-missing', `${label}: ${missing.length} file(s) of the signed manifest are missing: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`, { details: { file: label, path: missing[0]!, missing } });
  }
  opts.onCheck?.({ name: 'digests', status: 'pass', message: `${c.manifest!.files.length} file(s), ${c.total} bytes, every digest as signed` });
}

/** Verify a kit or bundle (signature, JWS, digests). Throws ExportError naming the failing file. */
export async function verifyPackage(store: Store, location: PackageLocation, opts: VerifyPackageOptions = {}): Promise<VerifiedPackage> {
  const spool = opts.spoolDir ? new PayloadSpool(opts.spoolDir, `kit-${randomBytes(8).toString('hex')}.spool`) : null;
  try {
    const c: Collected = { meta: new Map(), seen: new Set(), hashed: 0, total: 0 };
    let digest: Digest;
    let size: number;
    if (location.kind === 'kit') ({ digest, size } = await readKit(store, location, c, spool, opts));
    else ({ digest, size } = await readBundle(store, location, c, spool, opts));
    return {
      location,
      digest,
      size,
      manifest: c.manifest!,
      manifestBytes: c.manifestBytes!,
      manifestDigest: sha256Digest(c.manifestBytes!),
      signature: c.signature!,
      jws: c.jws!,
      spool,
    };
  } catch (e) {
    spool?.close();
    throw e;
  }
}

async function readKit(store: Store, location: Extract<PackageLocation, { kind: 'kit' }>, c: Collected, spool: PayloadSpool | null, opts: VerifyPackageOptions): Promise<{ digest: Digest; size: number }> {
  const label = location.path;
  const fileHash = createHash('sha256');
  const source = fileOrPartsSource(location.parts);
  let headDone = false;
  try {
    await forEachTarGzEntry(
      source,
      label,
      async (info, content: Readable) => {
        throwIfCancelled(opts.signal);
        if (info.path.startsWith(KIT_META_PREFIX)) {
          const name = info.path.slice(KIT_META_PREFIX.length);
          if (headDone || !(META_FILES as readonly string[]).includes(name)) {
            throw new ExportError('file-unexpected', `${label}: ${info.path} is not part of a kit (its kit/ folder holds ${META_FILES.join(', ')} only)`, { details: { file: label, path: info.path } });
          }
          const limit = META_LIMIT[name as (typeof META_FILES)[number]];
          if (info.size > limit) throw new ExportError('kit-unreadable', `${label}: ${info.path} is ${info.size} bytes, more than ${limit}`, { details: { file: label, path: info.path } });
          const chunks: Buffer[] = [];
          for await (const ch of content) chunks.push(ch as Buffer);
          c.meta.set(name, Buffer.concat(chunks));
          return;
        }
        if (!headDone) {
          headDone = true;
          await verifyHead(store, c, label, opts);
        }
        if (!info.path.startsWith(KIT_PAYLOAD_PREFIX)) throw new ExportError('file-unexpected', `${label}: ${info.path} is outside the kit's kit/ and payload/ folders (an added file)`, { details: { file: label, path: info.path } });
        await takePayload(c, label, info.path.slice(KIT_PAYLOAD_PREFIX.length), info.mode, content as AsyncIterable<Buffer>, spool, opts);
      },
      {
        strictGzip: true,
        onCompressedChunk: (chunk) => fileHash.update(chunk),
        // A kit is as large as its feeds: the bounds here are the manifest's (checked per member).
        limits: { maxCompressedBytes: Number.MAX_SAFE_INTEGER, maxEntries: 5_000_000, maxEntryBytes: Number.MAX_SAFE_INTEGER, maxTotalBytes: Number.MAX_SAFE_INTEGER },
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
    );
  } catch (e) {
    if (e instanceof CoreError && e.code === 'invalid-archive') {
      throw new ExportError('kit-unreadable', `${e.message} (a damaged kit, or not an offline kit)`, { cause: e, details: { ...e.details, file: label } });
    }
    throw e;
  }
  if (!headDone) await verifyHead(store, c, label, opts);
  finish(c, label, opts);
  return { digest: `sha256:${fileHash.digest('hex')}`, size: source.size };
}

function readSmall(path: string, limit: number, label: string, name: string): Buffer | undefined {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return undefined;
  }
  if (!st.isFile()) throw new ExportError('file-unexpected', `${label}: ${name} is not a regular file`, { details: { file: label, path: name } });
  if (st.size > limit) throw new ExportError('kit-unreadable', `${label}: ${name} is ${st.size} bytes, more than ${limit}`, { details: { file: label, path: name } });
  return readFileSync(path);
}

/** Every regular file below `dir` as relative paths (sorted); links and special files are refused. */
function walk(dir: string, label: string, rel = ''): string[] {
  const out: string[] = [];
  const names = readdirSync(join(dir, rel)).sort();
  for (const n of names) {
    const r = rel ? `${rel}/${n}` : n;
    const st = lstatSync(join(dir, r));
    if (st.isDirectory()) out.push(...walk(dir, label, r));
    else if (st.isFile()) out.push(r);
    else throw new ExportError('file-unexpected', `${label}: ${r} is a ${st.isSymbolicLink() ? 'symbolic link' : 'special file'}; a bundle holds regular files only`, { details: { file: label, path: r } });
  }
  return out;
}

async function readBundle(store: Store, location: Extract<PackageLocation, { kind: 'bundle' }>, c: Collected, spool: PayloadSpool | null, opts: VerifyPackageOptions): Promise<{ digest: Digest; size: number }> {
  const dir = location.path;
  const label = dir;
  for (const name of META_FILES) {
    const b = readSmall(join(dir, name), META_LIMIT[name], label, name);
    if (b) c.meta.set(name, b);
  }
  await verifyHead(store, c, label, opts);
  // Files on disk, with split members (`x.part000` …) joined back into `x`.
  const present = walk(dir, label).filter((p) => !(META_FILES as readonly string[]).includes(p));
  const logical = new Map<string, string[]>();
  for (const p of present) {
    const part = parsePartName(p);
    if (part && c.files!.has(part.base) && !present.includes(part.base)) {
      const list = logical.get(part.base) ?? [];
      list[part.index] = p;
      logical.set(part.base, list);
    } else logical.set(p, [p]);
  }
  for (const [path, pieces] of [...logical.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    throwIfCancelled(opts.signal);
    if (pieces.some((x) => x === undefined)) throw new ExportError('file-missing', `${label}: a part of the split file ${path} is missing`, { details: { file: label, path } });
    const parts = pieces.map((p) => ({ path: join(dir, p), size: statSync(join(dir, p)).size }));
    // Modes are not checked in a folder: FAT32 media have none (every file reads back 0755 or 0644).
    await takePayload(c, label, path, null, fileOrPartsSource(parts).open() as AsyncIterable<Buffer>, spool, opts);
  }
  finish(c, label, opts);
  return { digest: sha256Digest(c.manifestBytes!), size: c.total };
}
