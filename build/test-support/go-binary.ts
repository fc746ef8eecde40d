/**
 * Synthetic Go executables for tests (Go is not installed here): an ELF file carrying the build info the
 * Go linker writes, in either layout debug/buildinfo reads —
 *  - `inline` (Go 1.18+): header, then varint-length-prefixed version and module info;
 *  - `pointers` (Go 1.13–1.17): header holding two pointers to Go string headers `{data, len}` in a PT_LOAD
 *    segment, which a reader must map from virtual addresses to file offsets.
 * The module info is framed by 16 sentinel bytes on each side, as the linker frames it.
 */
const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

function framed(modinfo: string): Buffer {
  const sentinel = Buffer.alloc(16, 0x30);
  return Buffer.concat([sentinel, Buffer.from(modinfo, 'utf8'), sentinel]);
}

export interface FakeGoOptions {
  layout: 'inline' | 'pointers';
  /** ELF class and byte order (pointer layout only; the inline layout needs no program headers). */
  bits?: 32 | 64;
  bigEndian?: boolean;
}

export function fakeGoExecutable(goVersion: string, modinfo: string, opts: FakeGoOptions = { layout: 'inline' }): Buffer {
  const bits = opts.bits ?? 64;
  const be = opts.bigEndian === true;
  const ptrSize = bits / 8;
  const ehsize = bits === 64 ? 64 : 52;
  const phentsize = bits === 64 ? 56 : 32;
  const infoAt = 0x100;
  const header = Buffer.alloc(32);
  MAGIC.copy(header, 0);
  header[14] = ptrSize;
  let body: Buffer;
  const base = 0x400000;
  if (opts.layout === 'inline') {
    header[15] = 2;
    const v = Buffer.from(goVersion, 'utf8');
    const mod = framed(modinfo);
    body = Buffer.concat([header, varint(v.length), v, varint(mod.length), mod]);
  } else {
    header[15] = be ? 1 : 0;
    const hdrs = infoAt + 32; // two string headers follow the build info header
    const version = Buffer.from(goVersion, 'utf8');
    const mod = framed(modinfo);
    const versionAt = hdrs + 4 * ptrSize;
    const modAt = versionAt + version.length;
    const words = Buffer.alloc(4 * ptrSize);
    const put = (b: Buffer, i: number, value: number): void => {
      if (ptrSize === 8) {
        if (be) b.writeBigUInt64BE(BigInt(value), i * 8);
        else b.writeBigUInt64LE(BigInt(value), i * 8);
      } else if (be) b.writeUInt32BE(value, i * 4);
      else b.writeUInt32LE(value, i * 4);
    };
    put(words, 0, base + versionAt);
    put(words, 1, version.length);
    put(words, 2, base + modAt);
    put(words, 3, mod.length);
    const ptrs = Buffer.alloc(2 * ptrSize);
    put(ptrs, 0, base + hdrs);
    put(ptrs, 1, base + hdrs + 2 * ptrSize);
    ptrs.copy(header, 16);
    body = Buffer.concat([header, words, version, mod]);
  }
  const total = infoAt + body.length + 7;
  const file = Buffer.alloc(total);
  const w16 = (o: number, v: number) => (be ? file.writeUInt16BE(v, o) : file.writeUInt16LE(v, o));
  const w32 = (o: number, v: number) => (be ? file.writeUInt32BE(v, o) : file.writeUInt32LE(v, o));
  const wWord = (o: number, v: number) => (bits === 64 ? (be ? file.writeBigUInt64BE(BigInt(v), o) : file.writeBigUInt64LE(BigInt(v), o)) : w32(o, v));
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, bits === 64 ? 2 : 1, be ? 2 : 1, 1]).copy(file, 0);
  w16(0x10, 2); // ET_EXEC
  w16(0x12, bits === 64 ? 0x3e : 0x03);
  w32(0x14, 1);
  wWord(bits === 64 ? 0x20 : 0x1c, ehsize); // e_phoff
  w16(bits === 64 ? 0x34 : 0x28, ehsize);
  w16(bits === 64 ? 0x36 : 0x2a, phentsize);
  w16(bits === 64 ? 0x38 : 0x2c, 1);
  const ph = ehsize;
  w32(ph, 1); // PT_LOAD
  if (bits === 64) {
    w32(ph + 4, 5);
    wWord(ph + 8, 0);
    wWord(ph + 16, base);
    wWord(ph + 24, base);
    wWord(ph + 32, total);
    wWord(ph + 40, total);
    wWord(ph + 48, 0x1000);
  } else {
    w32(ph + 4, 0);
    w32(ph + 8, base);
    w32(ph + 12, base);
    w32(ph + 16, total);
    w32(ph + 20, total);
    w32(ph + 24, 5);
    w32(ph + 28, 0x1000);
  }
  body.copy(file, infoAt);
  return file;
}
