/**
 * Image readers: docker-archive tars (`docker save` / skopeo), OCI image layouts (directory or tar).
 * Layers are never extracted: each is described as a byte range of a file (a blob in the layout
 * directory, or a member of the outer tar, located by reading tar headers and seeking past contents).
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ScannerError } from '../errors';
import type { LayerSource } from './layer';
import { normalizeEntryPath, parentOf } from './paths';
import type { ScanIssue } from './types';

export interface TarMember {
  name: string;
  offset: number;
  size: number;
  type: 'file' | 'symlink' | 'other';
  link?: string;
}

function parseOctal(buf: Buffer, off: number, len: number): number {
  // GNU base-256 for sizes >= 8 GiB
  if ((buf[off] ?? 0) & 0x80) {
    let v = 0;
    for (let i = 1; i < len; i++) v = v * 256 + (buf[off + i] ?? 0);
    return v;
  }
  const s = buf.toString('latin1', off, off + len).replace(/\0.*$/s, '').trim();
  if (!s) return 0;
  if (!/^[0-7]+$/.test(s)) return NaN;
  return parseInt(s, 8);
}

function cstr(buf: Buffer, off: number, len: number): string {
  const end = buf.indexOf(0, off);
  return buf.toString('utf8', off, end < 0 || end > off + len ? off + len : end);
}

function parsePax(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < body.length) {
    const sp = body.indexOf(0x20, i);
    if (sp < 0) break;
    const len = parseInt(body.toString('utf8', i, sp), 10);
    if (!(len > 0)) break;
    const rec = body.toString('utf8', sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

/** Index the members of an uncompressed tar by reading only headers (seeking over contents). */
export function indexTar(file: string, maxMembers = 100_000): Map<string, TarMember> {
  const fd = openSync(file, 'r');
  const members = new Map<string, TarMember>();
  try {
    const total = fstatSync(fd).size;
    const hdr = Buffer.alloc(512);
    let pos = 0;
    let longName: string | undefined;
    let longLink: string | undefined;
    let pax: Record<string, string> = {};
    while (pos + 512 <= total) {
      readSync(fd, hdr, 0, 512, pos);
      if (hdr.every((b) => b === 0)) break;
      let sum = 0;
      for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (hdr[i] ?? 0);
      const declared = parseOctal(hdr, 148, 8);
      if (declared !== sum) throw new ScannerError('invalid-image', `${file}: tar header at byte ${pos} has a bad checksum (expected a tar archive)`, { details: { file, offset: pos } });
      const size = parseOctal(hdr, 124, 12);
      if (!Number.isFinite(size) || size < 0) throw new ScannerError('invalid-image', `${file}: tar header at byte ${pos} has an invalid size`, { details: { file, offset: pos } });
      const typeflag = String.fromCharCode(hdr[156] ?? 0);
      const dataStart = pos + 512;
      const next = dataStart + Math.ceil(size / 512) * 512;
      if (dataStart + size > total) throw new ScannerError('invalid-image', `${file}: tar member at byte ${pos} claims ${size} bytes but the file ends first (truncated)`, { details: { file, offset: pos } });
      const readBody = (): Buffer => {
        if (size > 1024 * 1024) throw new ScannerError('invalid-image', `${file}: tar extended header at byte ${pos} is over 1 MiB`, { details: { file, offset: pos } });
        const b = Buffer.alloc(size);
        readSync(fd, b, 0, size, dataStart);
        return b;
      };
      if (typeflag === 'L') longName = cstr(readBody(), 0, size);
      else if (typeflag === 'K') longLink = cstr(readBody(), 0, size);
      else if (typeflag === 'x') pax = parsePax(readBody());
      else if (typeflag === 'g') {
        // a pax global header carries nothing an image index needs
      } else {
        const prefix = hdr.toString('latin1', 257, 263).startsWith('ustar') ? cstr(hdr, 345, 155) : '';
        const rawName = pax.path ?? longName ?? (prefix ? `${prefix}/${cstr(hdr, 0, 100)}` : cstr(hdr, 0, 100));
        const link = pax.linkpath ?? longLink ?? cstr(hdr, 157, 100);
        const realSize = pax.size ? Number(pax.size) : size;
        const n = normalizeEntryPath(rawName);
        if (n.ok && n.path) {
          const type = typeflag === '0' || typeflag === '\0' || typeflag === '7' ? 'file' : typeflag === '2' ? 'symlink' : 'other';
          members.set(n.path, { name: n.path, offset: dataStart, size: realSize, type, ...(type === 'symlink' ? { link } : {}) });
        }
        if (members.size > maxMembers) throw new ScannerError('invalid-image', `${file}: more than ${maxMembers} members; not an image archive`, { details: { file, tooManyMembers: maxMembers } });
        longName = undefined;
        longLink = undefined;
        pax = {};
      }
      pos = next;
    }
  } finally {
    closeSync(fd);
  }
  return members;
}

/** Random access to the files of an image container: a directory or an uncompressed tar. */
export interface ImageFiles {
  describe: string;
  has(path: string): boolean;
  range(path: string): { file: string; start: number; size: number } | undefined;
  read(path: string, max?: number): Buffer;
}

export function dirFiles(root: string): ImageFiles {
  return {
    describe: root,
    has: (p) => existsSync(join(root, p)),
    range: (p) => {
      const abs = join(root, p);
      if (!existsSync(abs)) return undefined;
      const st = statSync(abs);
      return st.isFile() ? { file: abs, start: 0, size: st.size } : undefined;
    },
    read(p, max = 64 * 1024 * 1024) {
      const abs = join(root, p);
      if (statSync(abs).size > max) throw new ScannerError('invalid-image', `${abs} is larger than ${max} bytes`, { details: { file: abs } });
      return readFileSync(abs);
    },
  };
}

export function tarFiles(file: string, members: Map<string, TarMember> = indexTar(file)): ImageFiles {
  const resolve = (p: string, hops = 0): TarMember | undefined => {
    const n = normalizeEntryPath(p);
    if (!n.ok) return undefined;
    const m = members.get(n.path);
    if (m?.type === 'symlink' && m.link !== undefined && hops < 8) {
      // docker 25+ saves legacy layer paths as symlinks into blobs/
      const t = m.link.startsWith('/') ? m.link : `${parentOf(n.path)}/${m.link}`;
      return resolve(t, hops + 1);
    }
    return m?.type === 'file' ? m : undefined;
  };
  return {
    describe: file,
    has: (p) => resolve(p) !== undefined,
    range: (p) => {
      const m = resolve(p);
      return m ? { file, start: m.offset, size: m.size } : undefined;
    },
    read(p, max = 64 * 1024 * 1024) {
      const m = resolve(p);
      if (!m) throw new ScannerError('invalid-image', `${file}: member ${p} not found`, { details: { file, path: p } });
      if (m.size > max) throw new ScannerError('invalid-image', `${file}: member ${p} is larger than ${max} bytes`, { details: { file, path: p } });
      const fd = openSync(file, 'r');
      try {
        const b = Buffer.alloc(m.size);
        readSync(fd, b, 0, m.size, m.offset);
        return b;
      } finally {
        closeSync(fd);
      }
    },
  };
}

export interface ImageLayerRef {
  source: LayerSource;
  /** Blob digest (OCI) or digest of the layer file (docker-archive). */
  digest?: string;
  diffId?: string;
  /** Bytes of the layer as stored (the blob or the archive member). */
  size: number;
  /** OCI descriptor media type (docker-archive layers have none). */
  mediaType?: string;
  /** From the config's `history` entry that made this layer, when the history lines up with the layers. */
  createdBy?: string;
  created?: string;
  comment?: string;
}

/** What the image config says about the image as a whole (all optional: configs vary). */
export interface ImageConfigInfo {
  architecture?: string;
  os?: string;
  variant?: string;
  created?: string;
  /** docker-archive RepoTags, OCI `org.opencontainers.image.ref.name` annotations. */
  refs: string[];
}

export interface OpenedImage {
  format: 'docker-archive' | 'oci';
  /** OCI: manifest digest; docker-archive: config digest (the image ID). */
  digest: string;
  layers: ImageLayerRef[];
  config: ImageConfigInfo;
  issues: ScanIssue[];
}

function sha(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

function json(files: ImageFiles, path: string): unknown {
  const b = files.read(path, 16 * 1024 * 1024);
  try {
    return JSON.parse(b.toString('utf8'));
  } catch (e) {
    throw new ScannerError('invalid-image', `${files.describe}: ${path} is not valid JSON (${(e as Error).message})`, { details: { file: files.describe, path } });
  }
}

function bad(files: ImageFiles, path: string, expected: string): ScannerError {
  return new ScannerError('invalid-image', `${files.describe}: ${path}: expected ${expected}`, { details: { file: files.describe, path, expected } });
}

interface ParsedConfig {
  diffIds: string[];
  /** The history entry of each layer (index = layer index), or none when the history does not line up. */
  history: { createdBy?: string; created?: string; comment?: string }[] | null;
  info: Omit<ImageConfigInfo, 'refs'>;
}

const str = (v: unknown, max = 64 * 1024): string | undefined => (typeof v === 'string' && v !== '' ? v.slice(0, max) : undefined);

function configOf(files: ImageFiles, configPath: string): ParsedConfig {
  const cfg = json(files, configPath) as { rootfs?: { diff_ids?: unknown }; history?: unknown; architecture?: unknown; os?: unknown; variant?: unknown; created?: unknown };
  const ids = cfg?.rootfs?.diff_ids;
  if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(x))) throw bad(files, `${configPath} /rootfs/diff_ids`, 'an array of sha256 digests');
  // History is informational (who made each layer): entries with empty_layer made no layer; the rest
  // are the layers in order. A history that does not line up is left out, never guessed (and not an
  // issue: many builders write none, and inventory output must not change with it).
  let history: ParsedConfig['history'] = null;
  if (Array.isArray(cfg.history)) {
    const made = cfg.history.filter((h): h is Record<string, unknown> => !!h && typeof h === 'object' && (h as { empty_layer?: unknown }).empty_layer !== true);
    if (made.length === ids.length) {
      history = made.map((h) => {
        const createdBy = str(h.created_by);
        const created = str(h.created, 100);
        const comment = str(h.comment);
        return { ...(createdBy !== undefined ? { createdBy } : {}), ...(created !== undefined ? { created } : {}), ...(comment !== undefined ? { comment } : {}) };
      });
    }
  }
  const architecture = str(cfg.architecture, 100);
  const os = str(cfg.os, 100);
  const variant = str(cfg.variant, 100);
  const created = str(cfg.created, 100);
  return {
    diffIds: ids as string[],
    history,
    info: { ...(architecture ? { architecture } : {}), ...(os ? { os } : {}), ...(variant ? { variant } : {}), ...(created ? { created } : {}) },
  };
}

export function openDockerArchive(files: ImageFiles): OpenedImage {
  const issues: ScanIssue[] = [];
  const manifest = json(files, 'manifest.json');
  if (!Array.isArray(manifest) || !manifest.length) throw bad(files, 'manifest.json', 'a non-empty array of {Config, Layers}');
  if (manifest.length > 1) issues.push({ severity: 'info', path: 'manifest.json', message: `${manifest.length} images in the archive; the first is analyzed` });
  const first = manifest[0] as { Config?: unknown; Layers?: unknown; RepoTags?: unknown };
  if (typeof first.Config !== 'string' || !Array.isArray(first.Layers) || first.Layers.some((l) => typeof l !== 'string')) throw bad(files, 'manifest.json /0', '{"Config": string, "Layers": [string]}');
  const { diffIds, history, info } = configOf(files, first.Config);
  const refs = Array.isArray(first.RepoTags) ? first.RepoTags.filter((t): t is string => typeof t === 'string' && t !== '').map((t) => t.slice(0, 1000)).slice(0, 100) : [];
  const layerPaths = first.Layers as string[];
  if (diffIds.length !== layerPaths.length) throw bad(files, `${first.Config} /rootfs/diff_ids`, `${layerPaths.length} entries, one per layer in manifest.json (found ${diffIds.length})`);
  const layers = layerPaths.map((p, i): ImageLayerRef => {
    const r = files.range(p);
    if (!r) throw bad(files, `manifest.json /0/Layers/${i}`, `a layer file present in the archive (${p} is missing)`);
    const m = /(?:^|\/)(?:blobs\/sha256\/)?([0-9a-f]{64})(?:\.tar|\/layer\.tar)?$/.exec(p);
    const diffId = diffIds[i] as string;
    // docker-archive layer files are usually uncompressed, so their digest is the diffID; the name is a hint only.
    const digest = m && p.includes('blobs/sha256/') ? `sha256:${m[1]}` : undefined;
    return { source: { ...r, label: diffId, diffId, ...(digest ? { digest } : {}) }, ...(digest ? { digest } : {}), diffId, size: r.size, ...history?.[i] };
  });
  return { format: 'docker-archive', digest: sha(files.read(first.Config)), layers, config: { ...info, refs }, issues };
}

const INDEX_TYPES = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'];

function blobPath(digest: string): string {
  const m = /^(sha256|sha512):([0-9a-f]+)$/.exec(digest);
  if (!m) throw new ScannerError('invalid-image', `invalid blob digest ${JSON.stringify(digest)} (expected "sha256:<hex>")`, { details: { expected: 'sha256:<hex>' } });
  return `blobs/${m[1]}/${m[2]}`;
}

function readVerified(files: ImageFiles, digest: string): Buffer {
  const b = files.read(blobPath(digest), 16 * 1024 * 1024);
  const actual = sha(b);
  if (actual !== digest) throw new ScannerError('invalid-image', `${files.describe}: blob ${digest} hashes to ${actual}: the layout is corrupt or was altered`, { details: { file: files.describe, path: blobPath(digest) } });
  return b;
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  platform?: { os?: string; architecture?: string };
  annotations?: Record<string, unknown>;
}

function descriptors(v: unknown, where: string, files: ImageFiles): Descriptor[] {
  const m = (v as { manifests?: unknown })?.manifests;
  if (!Array.isArray(m) || !m.length || m.some((d) => typeof (d as Descriptor)?.digest !== 'string')) throw bad(files, `${where} /manifests`, 'a non-empty array of descriptors with a digest');
  return m as Descriptor[];
}

export function openOciLayout(files: ImageFiles): OpenedImage {
  const issues: ScanIssue[] = [];
  const refs: string[] = [];
  let list = descriptors(json(files, 'index.json'), 'index.json', files);
  let where = 'index.json';
  for (let depth = 0; depth < 4; depth++) {
    const pick = list.find((d) => d.platform?.os === 'linux' && d.platform?.architecture === 'amd64') ?? list[0];
    if (!pick) break;
    const ref = str(pick.annotations?.['org.opencontainers.image.ref.name'], 1000);
    if (ref && !refs.includes(ref)) refs.push(ref);
    if (list.length > 1) issues.push({ severity: 'info', path: where, message: `${list.length} manifests; analyzing ${pick.digest}` });
    const body = readVerified(files, pick.digest);
    const doc = JSON.parse(body.toString('utf8')) as { mediaType?: string; manifests?: unknown; config?: { digest?: unknown }; layers?: unknown };
    if (INDEX_TYPES.includes(pick.mediaType ?? '') || INDEX_TYPES.includes(doc.mediaType ?? '') || Array.isArray(doc.manifests)) {
      list = descriptors(doc, pick.digest, files);
      where = pick.digest;
      continue;
    }
    if (typeof doc.config?.digest !== 'string' || !Array.isArray(doc.layers)) throw bad(files, blobPath(pick.digest), 'an image manifest with config and layers');
    readVerified(files, doc.config.digest);
    const { diffIds, history, info } = configOf(files, blobPath(doc.config.digest));
    const layerDescs = doc.layers as { digest?: unknown; mediaType?: unknown }[];
    if (diffIds.length !== layerDescs.length) throw bad(files, `${blobPath(doc.config.digest)} /rootfs/diff_ids`, `${layerDescs.length} entries, one per manifest layer`);
    const layers = layerDescs.map((l, i): ImageLayerRef => {
      if (typeof l.digest !== 'string') throw bad(files, `${blobPath(pick.digest)} /layers/${i}/digest`, 'a digest string');
      const r = files.range(blobPath(l.digest));
      if (!r) throw bad(files, `${blobPath(pick.digest)} /layers/${i}`, `the blob ${l.digest} present in the layout`);
      const diffId = diffIds[i] as string;
      const mediaType = str(l.mediaType, 200);
      return { source: { ...r, digest: l.digest, diffId, label: diffId }, digest: l.digest, diffId, size: r.size, ...(mediaType ? { mediaType } : {}), ...history?.[i] };
    });
    return { format: 'oci', digest: pick.digest, layers, config: { ...info, refs }, issues };
  }
  throw bad(files, 'index.json', 'an image manifest within 4 levels of nested indexes');
}
