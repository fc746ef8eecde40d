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
}

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
      default:
        break;
    }
  }
  return out;
}

/** `openssl-3.0.7-27.el9.src.rpm` → { name: 'openssl', version: '3.0.7', release: '27.el9' }. */
export function parseSourceRpm(s: string): { name: string; version: string; release: string } | undefined {
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(s);
  if (!m) return undefined;
  return { name: m[1] as string, version: m[2] as string, release: m[3] as string };
}
