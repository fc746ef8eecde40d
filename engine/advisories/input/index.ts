/**
 * Input expansion for advisory import: files, directories, archives and line-delimited files become a
 * stream of raw documents (`RawInput`: uri + the document's exact bytes), in a deterministic order.
 *
 * Contract (consumed by the raw store / `stella advisories import`):
 * - Paths are expanded in the order given. A directory is walked recursively, entries sorted by name
 *   (code-unit order); hidden entries (`.git`, `.id-allocator`) are not descended into / not read.
 * - `.zip` (osv.dev's per-ecosystem `all.zip`): members sorted by name, uri `/abs/all.zip!/GHSA-….json`.
 * - `.tar.gz` / `.tgz` / `.tar`: members in archive order (fixed by the archive bytes), uri `/abs/x.tgz!/dir/f.yaml`.
 * - `.jsonl` / `.jsonl.gz`: streamed; one raw document per non-empty line, uri `/abs/f.jsonl.gz#L12`
 *   (1-based line; the bytes are the line without its line break; each line is bounded by maxMemberBytes).
 * - Any other `*.gz`: gunzipped; the raw document is the decompressed content, uri = the file path.
 * - Everything else: the file itself.
 * - Archive members are read into memory only (never extracted to disk). Member names that are
 *   absolute or contain `..` are refused with an error item.
 *
 * Failures never stop the walk: a missing file, a corrupt archive, an over-limit member or an unsafe
 * member name yields `{ uri, error }` and expansion continues with the next member/path.
 * Visible skips: files that are obviously not advisories (LICENSE, README, *.md, *.license, hidden
 * files, symbolic links in archives) yield `{ uri, error }` with `error.code === 'not-an-advisory'`;
 * consumers list these as skipped, not as failures. Directory entries of archives are not reported.
 */
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createGunzip, gunzipSync } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import yauzl from 'yauzl';
import { ADVISORY_IMPORT_LIMITS, throwIfCancelled } from '../../core';
import type { RawInput } from '../connectors/types';
import { AdvisoryError } from '../errors';

export interface ReadInputsOptions {
  signal?: AbortSignal;
  /** Largest single document (file, archive member, decompressed `.gz`, JSONL line) read into memory. Default: ADVISORY_IMPORT_LIMITS.maxDocumentBytes. */
  maxMemberBytes?: number;
  /** Most members read from one archive (zip-bomb guard). Default: ADVISORY_IMPORT_LIMITS.maxArchiveMembers. */
  maxMembers?: number;
}

export interface InputError {
  uri: string;
  error: AdvisoryError;
}

export type InputItem = RawInput | InputError;

export function isInputError(item: InputItem): item is InputError {
  return 'error' in item;
}

/** A visible skip (LICENSE, README, hidden file …), as opposed to a failure. */
export function isSkipped(item: InputItem): item is InputError {
  return 'error' in item && item.error.code === 'not-an-advisory';
}

interface Limits {
  signal: AbortSignal | undefined;
  maxMemberBytes: number;
  maxMembers: number;
}

const NON_DOCUMENT_NAME = /^(licen[cs]e|copying|notice|readme|changelog|changes|authors|contributors|contributing|security|code_of_conduct|makefile)([.-].*)?$/i;
const NON_DOCUMENT_EXT = /\.(md|markdown|rst|txt|license|html?|png|jpe?g|gif|svg|sh|py|js|mjs|ts|lua|go|rb|toml|lock|sig|asc|pem)$/i;

/** Why a file/member name is obviously not an advisory document, or null. */
export function nonDocumentReason(name: string): string | null {
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (base.startsWith('.')) return 'hidden file';
  if (NON_DOCUMENT_NAME.test(base)) return 'project file (license/readme/…)';
  if (NON_DOCUMENT_EXT.test(base)) return `not a document format (${base.slice(base.lastIndexOf('.'))})`;
  return null;
}

function skipped(uri: string, reason: string): InputError {
  return {
    uri,
    error: new AdvisoryError('not-an-advisory', `${uri}: skipped, not an advisory document (${reason})`, {
      details: { file: uri, expected: 'an advisory document' },
    }),
  };
}

function failed(uri: string, message: string, cause?: unknown, expected?: string): InputError {
  return {
    uri,
    error: new AdvisoryError('unreadable-input', `${uri}: ${message}`, {
      details: { file: uri, ...(expected ? { expected } : {}) },
      ...(cause === undefined ? {} : { cause }),
    }),
  };
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function tooLarge(uri: string, size: number, limits: Limits): InputError {
  return failed(uri, `${size} bytes is larger than the ${limits.maxMemberBytes}-byte document limit (maxDocumentBytes of advisory import, engine/core/limits.ts); not read`, undefined, `at most ${limits.maxMemberBytes} bytes`);
}

/** `..` segments or absolute names would escape the archive if it were ever extracted: refuse them. */
function unsafeMemberName(name: string): boolean {
  if (name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name)) return true;
  return name.split(/[/\\]/).some((seg) => seg === '..');
}

/**
 * A path to read, optionally with the uri provenance should record for it (e.g. the name a file was
 * uploaded under, when `path` is only a temporary copy) and the source it was recorded under where it
 * came from (a mirror bundle or offline kit keeps each document's provenance).
 */
export type InputPath = string | { path: string; uri: string; source?: string };

export async function* readInputs(paths: readonly InputPath[], opts: ReadInputsOptions = {}): AsyncIterable<InputItem> {
  const limits: Limits = {
    signal: opts.signal,
    maxMemberBytes: opts.maxMemberBytes ?? ADVISORY_IMPORT_LIMITS.maxDocumentBytes,
    maxMembers: opts.maxMembers ?? ADVISORY_IMPORT_LIMITS.maxArchiveMembers,
  };
  for (const p of paths) {
    throwIfCancelled(limits.signal);
    if (typeof p === 'string') {
      yield* expandPath(resolve(p), limits, true);
      continue;
    }
    const real = resolve(p.path);
    for await (const item of expandPath(real, limits, true)) {
      // Member uris (`x.zip!/a.json`, `x.jsonl#L3`) keep their suffix under the recorded name.
      if (item.uri.startsWith(real)) item.uri = p.uri + item.uri.slice(real.length);
      if (p.source !== undefined && !('error' in item)) item.source = p.source;
      yield item;
    }
  }
}

async function* expandPath(path: string, limits: Limits, explicit: boolean): AsyncGenerator<InputItem> {
  let st;
  try {
    st = await lstat(path);
  } catch (e) {
    yield failed(path, `cannot read (${errText(e)})`, e);
    return;
  }
  if (st.isSymbolicLink()) {
    try {
      st = await stat(path);
    } catch (e) {
      yield failed(path, `broken symbolic link (${errText(e)})`, e);
      return;
    }
    if (st.isDirectory() && !explicit) {
      // Following links inside a walk could loop or leave the chosen folder.
      yield skipped(path, 'symbolic link to a directory, not followed');
      return;
    }
  }
  if (st.isDirectory()) {
    yield* walkDirectory(path, limits);
    return;
  }
  if (!st.isFile()) {
    yield skipped(path, 'not a regular file');
    return;
  }
  yield* expandFile(path, st.size, limits, explicit);
}

async function* walkDirectory(dir: string, limits: Limits): AsyncGenerator<InputItem> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    yield failed(dir, `cannot list directory (${errText(e)})`, e);
    return;
  }
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    throwIfCancelled(limits.signal);
    const child = `${dir}/${name}`;
    if (name.startsWith('.')) {
      yield skipped(child, 'hidden file or directory');
      continue;
    }
    yield* expandPath(child, limits, false);
  }
}

type Kind = 'zip' | 'tar' | 'tar.gz' | 'jsonl' | 'jsonl.gz' | 'gz' | 'plain';

function kindOf(name: string): Kind {
  const n = name.toLowerCase();
  if (n.endsWith('.zip')) return 'zip';
  if (n.endsWith('.tar.gz') || n.endsWith('.tgz')) return 'tar.gz';
  if (n.endsWith('.tar')) return 'tar';
  if (n.endsWith('.jsonl.gz') || n.endsWith('.ndjson.gz')) return 'jsonl.gz';
  if (n.endsWith('.jsonl') || n.endsWith('.ndjson')) return 'jsonl';
  if (n.endsWith('.gz')) return 'gz';
  return 'plain';
}

async function* expandFile(path: string, size: number, limits: Limits, explicit: boolean): AsyncGenerator<InputItem> {
  const kind = kindOf(path);
  if (!explicit && kind === 'plain') {
    const reason = nonDocumentReason(path);
    if (reason) {
      yield skipped(path, reason);
      return;
    }
  }
  switch (kind) {
    case 'zip':
      yield* expandZip(path, limits);
      return;
    case 'tar':
    case 'tar.gz':
      yield* expandTar(path, kind === 'tar.gz', limits);
      return;
    case 'jsonl':
    case 'jsonl.gz':
      // Streamed: a JSONL export may be far larger than one document; only one line is held at a time.
      yield* streamLines(path, kind === 'jsonl.gz', limits);
      return;
    case 'gz':
    case 'plain': {
      // A compressed file may be at most the limit too; its content is checked again after gunzip.
      if (size > limits.maxMemberBytes) {
        yield tooLarge(path, size, limits);
        return;
      }
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch (e) {
        yield failed(path, `cannot read (${errText(e)})`, e);
        return;
      }
      if (kind === 'gz') {
        try {
          bytes = gunzipSync(bytes, { maxOutputLength: limits.maxMemberBytes });
        } catch (e) {
          const over = (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
          yield over
            ? failed(path, `decompresses to more than the ${limits.maxMemberBytes}-byte document limit (maxDocumentBytes of advisory import, engine/core/limits.ts)`, e, `at most ${limits.maxMemberBytes} bytes`)
            : failed(path, `not a valid gzip file (${errText(e)})`, e, 'gzip data');
          return;
        }
      }
      yield { uri: path, bytes };
      return;
    }
  }
}

async function* streamLines(path: string, gzipped: boolean, limits: Limits): AsyncGenerator<InputItem> {
  const source = createReadStream(path);
  let stream: NodeJS.ReadableStream = source;
  if (gzipped) {
    const gunzip = createGunzip();
    source.on('error', (e) => gunzip.destroy(e));
    // Errors reach the loop below through the async iterator; when the loop stops early (a cancel, a
    // refused line) zlib may still report the cut-off input after it — that must not be uncaught.
    gunzip.on('error', () => undefined);
    stream = source.pipe(gunzip);
  }
  let carry: Buffer[] = [];
  let carryLen = 0;
  let overLimit = false;
  let line = 0;
  const finishLine = (last: Buffer): InputItem | null => {
    line++;
    const len = carryLen + last.length;
    const over = overLimit || len > limits.maxMemberBytes;
    const parts = carry;
    carry = [];
    carryLen = 0;
    overLimit = false;
    if (over) return tooLarge(`${path}#L${line}`, len, limits);
    let bytes = parts.length ? Buffer.concat([...parts, last]) : Buffer.from(last);
    if (bytes.length && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    return isBlank(bytes) ? null : { uri: `${path}#L${line}`, bytes };
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(0x0a, start);
        if (nl < 0) {
          const rest = chunk.subarray(start);
          if (!overLimit && carryLen + rest.length > limits.maxMemberBytes) {
            overLimit = true; // keep counting the length, drop the bytes
            carry = [];
          }
          if (!overLimit) carry.push(Buffer.from(rest));
          carryLen += rest.length;
          break;
        }
        const item = finishLine(chunk.subarray(start, nl));
        start = nl + 1;
        if (line % 1024 === 0) throwIfCancelled(limits.signal);
        if (item) yield item;
      }
    }
    if (carryLen > 0 || overLimit) {
      const item = finishLine(Buffer.alloc(0));
      if (item) yield item;
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'cancelled') throw e;
    yield failed(path, `${gzipped ? 'not a valid gzip file' : 'cannot read'} (${errText(e)}); lines before the damage were read`, e);
  } finally {
    source.destroy();
  }
}

function isBlank(b: Buffer): boolean {
  for (const c of b) if (c !== 0x20 && c !== 0x09) return false;
  return true;
}

// ---------------------------------------------------------------- zip

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((res, rej) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (err, zf) => {
      if (err || !zf) rej(err ?? new Error('cannot open zip'));
      else res(zf);
    });
  });
}

interface ZipMember {
  entry: yauzl.Entry;
  name: string;
}

function listZipEntries(zf: yauzl.ZipFile, limits: Limits): Promise<ZipMember[]> {
  return new Promise((res, rej) => {
    const out: ZipMember[] = [];
    zf.on('entry', (entry: yauzl.Entry) => {
      // decodeStrings:false hands us raw bytes so that an unsafe name becomes a per-member error
      // instead of failing the whole archive; UTF-8 (bit 11) or, by convention, UTF-8 anyway.
      const raw = entry.fileName as unknown as Buffer;
      const name = Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw);
      out.push({ entry, name });
      if (out.length > limits.maxMembers) {
        rej(new Error(`more than ${limits.maxMembers} members`));
        return;
      }
      zf.readEntry();
    });
    zf.once('end', () => res(out));
    zf.once('error', rej);
    zf.readEntry();
  });
}

function readZipMember(zf: yauzl.ZipFile, entry: yauzl.Entry, limits: Limits): Promise<Buffer> {
  return new Promise((res, rej) => {
    zf.openReadStream(entry, (err, stream) => {
      if (err || !stream) {
        rej(err ?? new Error('cannot open member'));
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      stream.on('data', (c: Buffer) => {
        total += c.length;
        if (total > limits.maxMemberBytes) {
          stream.destroy(new Error(`decompresses to more than the ${limits.maxMemberBytes}-byte document limit (maxDocumentBytes of advisory import, engine/core/limits.ts)`));
          return;
        }
        chunks.push(c);
      });
      stream.once('error', rej);
      stream.once('end', () => res(Buffer.concat(chunks, total)));
    });
  });
}

async function* expandZip(path: string, limits: Limits): AsyncGenerator<InputItem> {
  let zf: yauzl.ZipFile;
  try {
    zf = await openZip(path);
  } catch (e) {
    yield failed(path, `not a readable zip archive (${errText(e)})`, e, 'a zip archive');
    return;
  }
  try {
    let members: ZipMember[];
    try {
      members = await listZipEntries(zf, limits);
    } catch (e) {
      yield failed(path, `corrupt zip archive (${errText(e)})`, e, 'a zip archive');
      return;
    }
    members.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { entry, name } of members) {
      throwIfCancelled(limits.signal);
      const uri = `${path}!/${name}`;
      if (name.endsWith('/')) continue; // directory entry
      if (unsafeMemberName(name)) {
        yield failed(uri, 'unsafe member name (absolute or containing "..")', undefined, 'a relative member name inside the archive');
        continue;
      }
      const reason = nonDocumentReason(name);
      if (reason) {
        yield skipped(uri, reason);
        continue;
      }
      if ((entry.generalPurposeBitFlag & 0x1) !== 0) {
        yield failed(uri, 'encrypted zip member', undefined, 'an unencrypted member');
        continue;
      }
      if (entry.uncompressedSize > limits.maxMemberBytes) {
        yield tooLarge(uri, entry.uncompressedSize, limits);
        continue;
      }
      try {
        yield { uri, bytes: await readZipMember(zf, entry, limits) };
      } catch (e) {
        yield failed(uri, `cannot read zip member (${errText(e)})`, e);
      }
    }
  } finally {
    zf.close();
  }
}

// ---------------------------------------------------------------- tar

async function* expandTar(path: string, gzipped: boolean, limits: Limits): AsyncGenerator<InputItem> {
  const source = createReadStream(path);
  const extract = tarExtract();
  const onError = (e: Error) => extract.destroy(e);
  if (gzipped) {
    const gunzip = createGunzip();
    // `on`, not `once`: zlib may report a cut-off input again after the extract was destroyed.
    source.on('error', onError);
    gunzip.on('error', onError);
    source.pipe(gunzip).pipe(extract);
  } else {
    source.on('error', onError);
    source.pipe(extract);
  }
  let count = 0;
  try {
    for await (const entry of extract) {
      throwIfCancelled(limits.signal);
      const h = entry.header;
      const name = h.name;
      const uri = `${path}!/${name}`;
      if (++count > limits.maxMembers) {
        entry.resume();
        yield failed(path, `more than ${limits.maxMembers} members; the rest is not read`, undefined, `at most ${limits.maxMembers} members`);
        break;
      }
      if (h.type === 'directory') {
        entry.resume();
        continue;
      }
      if (h.type !== 'file' && h.type !== 'contiguous-file') {
        entry.resume();
        yield skipped(uri, `${h.type ?? 'special'} entry`);
        continue;
      }
      if (unsafeMemberName(name)) {
        entry.resume();
        yield failed(uri, 'unsafe member name (absolute or containing "..")', undefined, 'a relative member name inside the archive');
        continue;
      }
      const reason = nonDocumentReason(name);
      if (reason) {
        entry.resume();
        yield skipped(uri, reason);
        continue;
      }
      const size = h.size ?? 0;
      if (size > limits.maxMemberBytes) {
        entry.resume();
        yield tooLarge(uri, size, limits);
        continue;
      }
      // Into one buffer of the header's size (tar-stream delivers exactly that many bytes), so a member
      // costs its size once rather than twice (chunks, then their concatenation).
      const bytes = Buffer.allocUnsafe(size);
      let total = 0;
      for await (const c of entry as AsyncIterable<Buffer>) {
        if (total + c.length > size) throw new Error(`member ${name} holds more than the ${size} bytes its header declares`);
        c.copy(bytes, total);
        total += c.length;
      }
      yield { uri, bytes: total === size ? bytes : bytes.subarray(0, total) };
    }
  } catch (e) {
    if (e instanceof AdvisoryError || (e as { code?: string }).code === 'cancelled') throw e;
    yield failed(path, `corrupt ${gzipped ? 'tar.gz' : 'tar'} archive (${errText(e)}); members before the damage were read`, e, 'a tar archive');
  } finally {
    source.destroy();
    extract.destroy();
  }
}
