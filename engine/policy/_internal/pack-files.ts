/**
 * Reading a pack's files into memory: a directory, a `.tar.gz` / `.tgz` archive, or a pack embedded in
 * the app. Nothing is ever extracted to disk. Archives are bounded (compressed size, uncompressed size,
 * member count, member size) and refused when a member is anything but a regular file or directory,
 * or when its name is absolute or climbs out with `..`. Directory walks do not follow symbolic links.
 */
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { PolicyError } from '../errors';

export interface PackLimits {
  /** Largest `.tar.gz` read (compressed bytes). */
  maxArchiveBytes: number;
  /** Largest total of all files (uncompressed). */
  maxTotalBytes: number;
  /** Most files/members. */
  maxFiles: number;
  /** Largest single file. */
  maxFileBytes: number;
}

export const DEFAULT_PACK_LIMITS: Readonly<PackLimits> = Object.freeze({
  maxArchiveBytes: 16 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  maxFiles: 5000,
  maxFileBytes: 8 * 1024 * 1024,
});

export type PackOrigin =
  | { kind: 'directory'; path: string }
  | { kind: 'archive'; path: string }
  | { kind: 'builtin'; name: string }
  /** Files handed over as text (the policy editor, an offline kit): `label` says where they came from. */
  | { kind: 'files'; label: string }
  /** An imported version read back from the pack store. */
  | { kind: 'stored'; name: string; version: string };

export interface PackFiles {
  origin: PackOrigin;
  /** Pack-relative POSIX paths → UTF-8 text, sorted by path. */
  files: Map<string, string>;
  /** Entries that were not read and why (symbolic links in a directory). */
  skipped: { path: string; reason: string }[];
}

function unreadable(path: string, message: string, expected?: string, cause?: unknown): PolicyError {
  return new PolicyError('pack-unreadable', `${path}: ${message}`, { details: { file: path, ...(expected ? { expected } : {}) }, ...(cause === undefined ? {} : { cause }) });
}

function sortedMap(entries: [string, string][]): Map<string, string> {
  return new Map(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function isArchivePath(path: string): boolean {
  return /\.(tar\.gz|tgz)$/i.test(path);
}

/** Read a directory pack. Hidden entries are not read; symbolic links are not followed. */
export function readPackDirectory(dir: string, limits: PackLimits = DEFAULT_PACK_LIMITS): PackFiles {
  const entries: [string, string][] = [];
  const skipped: PackFiles['skipped'] = [];
  let total = 0;
  const walk = (abs: string, rel: string): void => {
    let names: string[];
    try {
      names = readdirSync(abs).sort();
    } catch (e) {
      throw unreadable(abs, `cannot list the directory (${(e as Error).message})`, 'a readable pack directory', e);
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const childAbs = join(abs, name);
      const childRel = rel ? `${rel}/${name}` : name;
      const st = lstatSync(childAbs);
      if (st.isSymbolicLink()) {
        skipped.push({ path: childRel, reason: 'symbolic link (not followed: a pack is read from its own files only)' });
        continue;
      }
      if (st.isDirectory()) {
        walk(childAbs, childRel);
        continue;
      }
      if (!st.isFile()) continue;
      if (!isPackFile(childRel)) continue;
      if (entries.length >= limits.maxFiles) throw unreadable(dir, `more than ${limits.maxFiles} pack files`, `at most ${limits.maxFiles} files`);
      if (st.size > limits.maxFileBytes) throw unreadable(childAbs, `${st.size} bytes is larger than the ${limits.maxFileBytes}-byte limit for a pack file`, `at most ${limits.maxFileBytes} bytes`);
      total += st.size;
      if (total > limits.maxTotalBytes) throw unreadable(dir, `pack files exceed ${limits.maxTotalBytes} bytes in total`, `at most ${limits.maxTotalBytes} bytes`);
      entries.push([childRel, readFileSync(childAbs, 'utf8')]);
    }
  };
  walk(dir, '');
  return { origin: { kind: 'directory', path: dir }, files: sortedMap(entries), skipped };
}

/** Only the files a pack consists of are read (README, licences and the like are left alone). */
function isPackFile(rel: string): boolean {
  return rel === 'pack.yaml' || rel === 'exceptions.yaml' || /\.stella$/.test(rel) || /^fixtures\/.+\.(ya?ml|json)$/.test(rel);
}

/** A member name that would leave the pack if it were ever extracted. */
function unsafeName(name: string): boolean {
  if (name.includes('\0') || name.includes('\\')) return true;
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return true;
  return name.split('/').some((seg) => seg === '..');
}

/** Read a `.tar.gz` pack entirely in memory. */
export async function readPackArchive(path: string, limits: PackLimits = DEFAULT_PACK_LIMITS): Promise<PackFiles> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw unreadable(path, `cannot read (${(e as Error).message})`, 'a .tar.gz policy pack', e);
  }
  if (size > limits.maxArchiveBytes) throw unreadable(path, `${size} bytes is larger than the ${limits.maxArchiveBytes}-byte limit for a pack archive`, `at most ${limits.maxArchiveBytes} bytes`);
  let tar: Buffer;
  try {
    tar = gunzipSync(readFileSync(path), { maxOutputLength: limits.maxTotalBytes + 1024 * 1024 });
  } catch (e) {
    const tooBig = (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError;
    throw unreadable(path, tooBig ? `decompresses to more than ${limits.maxTotalBytes} bytes` : `not a gzip archive (${(e as Error).message})`, 'a .tar.gz policy pack', e);
  }
  const members: [string, string][] = [];
  let total = 0;
  // The first problem is kept and the rest of the archive only drained: destroying the extractor
  // mid-entry would leave the entry stream erroring with nobody listening.
  let failure: PolicyError | null = null;
  await new Promise<void>((resolveDone, reject) => {
    const ex = tarExtract();
    ex.on('entry', (header, stream, next) => {
      stream.on('error', () => undefined);
      const skip = () => {
        stream.on('end', next);
        stream.resume();
      };
      if (failure) return skip();
      const raw = header.name.replace(/^\.\//, '');
      const fail = (msg: string, expected: string) => {
        failure = unreadable(`${path}!/${header.name}`, msg, expected);
        skip();
      };
      if (unsafeName(raw)) return fail('unsafe member name (absolute or with "..")', 'member names inside the pack');
      if (header.type === 'directory') return skip();
      if (header.type !== 'file') return fail(`a ${header.type} member: a pack holds only regular files and directories`, 'regular files');
      if (members.length >= limits.maxFiles) return fail(`more than ${limits.maxFiles} members`, `at most ${limits.maxFiles} files`);
      if ((header.size ?? 0) > limits.maxFileBytes) return fail(`${header.size} bytes is larger than the ${limits.maxFileBytes}-byte limit for a pack file`, `at most ${limits.maxFileBytes} bytes`);
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        const buf = Buffer.concat(chunks);
        total += buf.length;
        if (total > limits.maxTotalBytes) failure ??= unreadable(path, `pack files exceed ${limits.maxTotalBytes} bytes in total`, `at most ${limits.maxTotalBytes} bytes`);
        else members.push([raw.replace(/\/+$/, ''), buf.toString('utf8')]);
        next();
      });
    });
    ex.on('finish', () => (failure ? reject(failure) : resolveDone()));
    ex.on('error', (e: unknown) => reject(failure ?? unreadable(path, `not a tar archive (${(e as Error).message})`, 'a .tar.gz policy pack', e)));
    ex.end(tar);
  });
  // Archives made with `tar czf pack.tar.gz mypack/` have one top directory: the pack is inside it.
  let entries = members;
  if (!entries.some(([n]) => n === 'pack.yaml')) {
    const tops = new Set(entries.map(([n]) => n.split('/')[0]));
    const [top] = [...tops];
    if (tops.size === 1 && top !== undefined && entries.some(([n]) => n === `${top}/pack.yaml`)) entries = entries.map(([n, t]) => [n.slice(top.length + 1), t]);
  }
  entries = entries.filter(([n]) => isPackFile(n) && !n.split('/').some((s) => s.startsWith('.')));
  return { origin: { kind: 'archive', path }, files: sortedMap(entries), skipped: [] };
}

/** A pack embedded in the app (engine/policy/packs). */
export function embeddedPackFiles(name: string, files: Readonly<Record<string, string>>): PackFiles {
  return { origin: { kind: 'builtin', name }, files: sortedMap(Object.entries(files)), skipped: [] };
}

/**
 * A pack given as texts (the policy editor's files, a kit's members): the same names and limits as an
 * archive's members. Unsafe names are refused; files that are not part of a pack are left out.
 */
export function packFilesFromTexts(label: string, files: readonly { path: string; text: string }[], limits: PackLimits = DEFAULT_PACK_LIMITS): PackFiles {
  if (files.length > limits.maxFiles) throw unreadable(label, `more than ${limits.maxFiles} pack files`, `at most ${limits.maxFiles} files`);
  const entries: [string, string][] = [];
  const seen = new Set<string>();
  let total = 0;
  for (const f of files) {
    const path = f.path.replace(/^\.\//, '');
    if (!path || unsafeName(path)) throw unreadable(`${label}!/${f.path}`, 'unsafe file name (empty, absolute or with "..")', 'pack-relative paths such as pack.yaml or policies/main.stella');
    if (seen.has(path)) throw unreadable(`${label}!/${path}`, 'the same file is given twice', 'each pack file once');
    seen.add(path);
    const size = Buffer.byteLength(f.text, 'utf8');
    if (size > limits.maxFileBytes) throw unreadable(`${label}!/${path}`, `${size} bytes is larger than the ${limits.maxFileBytes}-byte limit for a pack file`, `at most ${limits.maxFileBytes} bytes`);
    total += size;
    if (total > limits.maxTotalBytes) throw unreadable(label, `pack files exceed ${limits.maxTotalBytes} bytes in total`, `at most ${limits.maxTotalBytes} bytes`);
    if (isPackFile(path) && !path.split('/').some((seg) => seg.startsWith('.'))) entries.push([path, f.text]);
  }
  return { origin: { kind: 'files', label }, files: sortedMap(entries), skipped: [] };
}
