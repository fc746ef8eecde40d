/**
 * Just enough ELF to find one section by name: the section header table (e_shoff, e_shentsize,
 * e_shnum, e_shstrndx) and the section-name string table. 32- and 64-bit, little- and big-endian.
 * Every offset is checked against the file size.
 */
export class ElfError extends Error {}

export function isElf(b: Uint8Array): boolean {
  return b.length >= 16 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
}

export function elfSection(b: Uint8Array, wanted: string): Uint8Array | undefined {
  if (!isElf(b)) throw new ElfError('not an ELF file');
  const is64 = b[4] === 2;
  const le = b[5] === 1;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const need = (off: number, len: number, what: string) => {
    if (off < 0 || off + len > b.length) throw new ElfError(`${what} at ${off} (+${len}) is outside the ${b.length}-byte file`);
  };
  need(0, is64 ? 64 : 52, 'the ELF header');
  const u16 = (o: number) => v.getUint16(o, le);
  const u32 = (o: number) => v.getUint32(o, le);
  const addr = (o: number) => (is64 ? Number(v.getBigUint64(o, le)) : u32(o));
  const shoff = addr(is64 ? 0x28 : 0x20);
  const shentsize = u16(is64 ? 0x3a : 0x2e);
  const shnum = u16(is64 ? 0x3c : 0x30);
  const shstrndx = u16(is64 ? 0x3e : 0x32);
  if (shoff === 0 || shnum === 0) return undefined;
  need(shoff, shentsize * shnum, 'the section header table');
  const section = (i: number) => {
    const h = shoff + i * shentsize;
    return { name: u32(h), offset: addr(h + (is64 ? 0x18 : 0x10)), size: addr(h + (is64 ? 0x20 : 0x14)) };
  };
  if (shstrndx >= shnum) throw new ElfError(`section name table index ${shstrndx} is not below the section count ${shnum}`);
  const strtab = section(shstrndx);
  need(strtab.offset, strtab.size, 'the section name table');
  const names = b.subarray(strtab.offset, strtab.offset + strtab.size);
  const target = Buffer.from(`${wanted}\0`, 'latin1');
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    if (s.name + target.length > names.length) continue;
    if (!Buffer.from(names.subarray(s.name, s.name + target.length)).equals(target)) continue;
    need(s.offset, s.size, `section ${wanted}`);
    return b.subarray(s.offset, s.offset + s.size);
  }
  return undefined;
}
