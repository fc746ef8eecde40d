/**
 * A minimal zip writer for tests (stored or deflated members), so archives with hostile names or lying
 * sizes can be built without a zip tool.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipMember {
  name: string;
  data?: Buffer | string;
  deflate?: boolean;
  /** Override the declared uncompressed size (zip bombs). */
  declaredSize?: number;
}

/**
 * The local file header and central directory record of one member (UTF-8 name, DOS date 1980-01-01),
 * shared by `makeZip` and the streamed corpus writer (build/test-support/advisory-corpus.ts).
 */
export function zipMemberHeaders(name: Buffer, m: { crc: number; compressedSize: number; size: number; method: 0 | 8; offset: number }): { local: Buffer; central: Buffer } {
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0x800, 6);
  local.writeUInt16LE(m.method, 8);
  local.writeUInt16LE(0x21, 12); // DOS date 1980-01-01
  local.writeUInt32LE(m.crc, 14);
  local.writeUInt32LE(m.compressedSize, 18);
  local.writeUInt32LE(m.size, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(45, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x800, 8);
  central.writeUInt16LE(m.method, 10);
  central.writeUInt16LE(0x21, 14);
  central.writeUInt32LE(m.crc, 16);
  central.writeUInt32LE(m.compressedSize, 20);
  central.writeUInt32LE(m.size, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(m.offset, 42);
  return { local, central };
}

export function makeZip(members: readonly ZipMember[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const data = m.data === undefined ? Buffer.alloc(0) : Buffer.isBuffer(m.data) ? m.data : Buffer.from(m.data);
    const body = m.deflate ? deflateRawSync(data) : data;
    const name = Buffer.from(m.name, 'utf8');
    const size = m.declaredSize ?? data.length;
    const crc = crc32(data);
    const method = m.deflate ? (8 as const) : (0 as const);
    const { local, central } = zipMemberHeaders(name, { crc, compressedSize: body.length, size, method, offset });
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
