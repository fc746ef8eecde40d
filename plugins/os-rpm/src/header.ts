/**
 * RPM header blobs as rpmdb stores them (no lead, no 8-byte header magic):
 *   int32 il (index entries) · int32 dl (data bytes) · il × {int32 tag, type, offset, count} · data
 * all big-endian. Only the tags an inventory needs are decoded; every offset is bounds-checked so a
 * damaged blob yields an error, never a read outside the blob.
 */
export const TAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  SUMMARY: 1004,
  VENDOR: 1011,
  LICENSE: 1014,
  ARCH: 1022,
  SOURCERPM: 1044,
  OLDFILENAMES: 1027,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118,
} as const;

const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_STRING_ARRAY = 8;
const TYPE_I18NSTRING = 9;

export interface RpmHeader {
  name?: string;
  version?: string;
  release?: string;
  epoch?: number;
  arch?: string;
  sourceRpm?: string;
  license?: string;
  vendor?: string;
  /** Installed files (BASENAMES + DIRNAMES/DIRINDEXES, or OLDFILENAMES of old rpm). */
  files?: string[];
  /** Optional tags that could not be read (the package is still usable). */
  problems?: string[];
}

/** Most installed files read from one header (a real package has at most tens of thousands). */
const MAX_FILES = 1_000_000;

export class HeaderError extends Error {}

const MAX_INDEX_ENTRIES = 0xffff;

export function parseHeaderBlob(blob: Uint8Array): RpmHeader {
  if (blob.length < 8) throw new HeaderError(`header blob of ${blob.length} bytes is shorter than its 8-byte preamble`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const il = view.getInt32(0);
  const dl = view.getInt32(4);
  if (il <= 0 || il > MAX_INDEX_ENTRIES) throw new HeaderError(`header declares ${il} index entries (expected 1..${MAX_INDEX_ENTRIES})`);
  const dataStart = 8 + il * 16;
  if (dl < 0 || dataStart + dl > blob.length) throw new HeaderError(`header declares ${il} entries and ${dl} data bytes but the blob has only ${blob.length} bytes`);
  const data = blob.subarray(dataStart, dataStart + dl);
  const out: RpmHeader = {};
  const arrays = new Map<number, { offset: number; count: number }>();
  const readString = (offset: number): string => {
    if (offset < 0 || offset >= data.length) throw new HeaderError(`string offset ${offset} is outside the ${data.length}-byte data area`);
    const end = data.indexOf(0, offset);
    if (end < 0) throw new HeaderError(`string at offset ${offset} is not NUL-terminated`);
    return Buffer.from(data.subarray(offset, end)).toString('utf8');
  };
  for (let i = 0; i < il; i++) {
    const e = 8 + i * 16;
    const tag = view.getInt32(e);
    const type = view.getInt32(e + 4);
    const offset = view.getInt32(e + 8);
    const count = view.getInt32(e + 12);
    const isString = type === TYPE_STRING || type === TYPE_I18NSTRING || type === TYPE_STRING_ARRAY;
    switch (tag) {
      case TAG.NAME:
      case TAG.VERSION:
      case TAG.RELEASE:
      case TAG.ARCH:
      case TAG.SOURCERPM:
      case TAG.LICENSE:
      case TAG.VENDOR: {
        if (!isString) throw new HeaderError(`tag ${tag} has type ${type}, expected a string type`);
        const v = readString(offset);
        if (tag === TAG.NAME) out.name = v;
        else if (tag === TAG.VERSION) out.version = v;
        else if (tag === TAG.RELEASE) out.release = v;
        else if (tag === TAG.ARCH) out.arch = v;
        else if (tag === TAG.SOURCERPM) out.sourceRpm = v;
        else if (tag === TAG.LICENSE) out.license = v;
        else out.vendor = v;
        break;
      }
      case TAG.EPOCH: {
        if (type !== TYPE_INT32 || count < 1) throw new HeaderError(`EPOCH has type ${type}, expected INT32`);
        if (offset < 0 || offset + 4 > data.length) throw new HeaderError(`EPOCH offset ${offset} is outside the data area`);
        out.epoch = new DataView(data.buffer, data.byteOffset + offset, 4).getInt32(0);
        break;
      }
      case TAG.OLDFILENAMES:
      case TAG.BASENAMES:
      case TAG.DIRNAMES:
        if (type !== TYPE_STRING_ARRAY || count < 0 || count > MAX_FILES) {
          (out.problems ??= []).push(`tag ${tag} has type ${type} and count ${count}, expected a string array of at most ${MAX_FILES}`);
          break;
        }
        arrays.set(tag, { offset, count });
        break;
      case TAG.DIRINDEXES:
        if (type !== TYPE_INT32 || count < 0 || count > MAX_FILES || offset < 0 || offset + 4 * count > data.length) {
          (out.problems ??= []).push(`DIRINDEXES (type ${type}, ${count} entries at ${offset}) does not fit the ${data.length}-byte data area`);
          break;
        }
        arrays.set(tag, { offset, count });
        break;
      default:
        break;
    }
  }
  // File lists are optional: a damaged one is a problem of this package, not a reason to drop it.
  try {
    const files = fileList(data, arrays, readString);
    if (files?.length) out.files = files;
  } catch (e) {
    (out.problems ??= []).push(`file list: ${(e as Error).message}`);
  }
  return out;
}

function stringArray(data: Uint8Array, offset: number, count: number, readString: (o: number) => string): string[] {
  const out: string[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    const s = readString(at);
    out.push(s);
    at += Buffer.byteLength(s, 'utf8') + 1;
  }
  return out;
}

function fileList(data: Uint8Array, arrays: Map<number, { offset: number; count: number }>, readString: (o: number) => string): string[] | undefined {
  const base = arrays.get(TAG.BASENAMES);
  const dirs = arrays.get(TAG.DIRNAMES);
  const idx = arrays.get(TAG.DIRINDEXES);
  if (base && dirs && idx) {
    if (idx.count !== base.count) throw new HeaderError(`${base.count} base names but ${idx.count} directory indexes`);
    const names = stringArray(data, base.offset, base.count, readString);
    const dirNames = stringArray(data, dirs.offset, dirs.count, readString);
    const view = new DataView(data.buffer, data.byteOffset + idx.offset, 4 * idx.count);
    return names.map((n, i) => {
      const d = dirNames[view.getInt32(i * 4)];
      if (d === undefined) throw new HeaderError(`directory index ${view.getInt32(i * 4)} is not below the ${dirNames.length} directory names`);
      return `${d}${n}`;
    });
  }
  const old = arrays.get(TAG.OLDFILENAMES);
  return old ? stringArray(data, old.offset, old.count, readString) : undefined;
}

/** `openssl-3.0.7-27.el9.src.rpm` → { name: 'openssl', version: '3.0.7', release: '27.el9' }. */
export function parseSourceRpm(s: string): { name: string; version: string; release: string } | undefined {
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(s);
  if (!m) return undefined;
  return { name: m[1] as string, version: m[2] as string, release: m[3] as string };
}
