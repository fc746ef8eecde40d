/**
 * Go build info, as `go version -m` (debug/buildinfo) reads it: the linker writes a 32-byte header starting
 * with "\xff Go buildinf:" (16-byte aligned) into the binary; byte 14 is the pointer size, byte 15 flags.
 *  - Go 1.18 on (flag bit 2): the header is followed by two varint-length-prefixed strings, the toolchain
 *    version and the module info.
 *  - Go 1.13–1.17: the header holds two pointers (flag bit 1 = big-endian) to Go string headers
 *    `{data pointer, length}` in the binary's data; virtual addresses are mapped to file offsets through the
 *    ELF program headers (PT_LOAD), as debug/buildinfo does. Only ELF is read this way (Linux images);
 *    older Mach-O/PE binaries get an info issue. Go before 1.13 writes no build info at all.
 * The module info is framed by 16 sentinel bytes on each side and holds tab-separated lines: `path`, `mod`,
 * `dep`, `=>` (replacement of the preceding dep) and `build` settings. Every length and address is
 * bounds-checked.
 */
export const BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');

export interface GoModule {
  path: string;
  version?: string;
  sum?: string;
  replacedBy?: { path: string; version?: string; sum?: string };
}

export interface GoBuildInfo {
  goVersion: string;
  path?: string;
  main?: GoModule;
  deps: GoModule[];
  settings: Record<string, string>;
}

export type BuildInfoResult = { kind: 'go'; info: GoBuildInfo } | { kind: 'not-go' } | { kind: 'unsupported'; reason: string };

function uvarint(b: Uint8Array, at: number): { value: number; next: number } | undefined {
  let x = 0;
  let shift = 0;
  for (let i = at; i < b.length && shift <= 35; i++) {
    const c = b[i] as number;
    x += (c & 0x7f) * 2 ** shift;
    shift += 7;
    if (c < 0x80) return { value: x, next: i + 1 };
  }
  return undefined;
}

function readString(b: Uint8Array, at: number): { value: string; next: number } | undefined {
  const n = uvarint(b, at);
  if (!n || n.next + n.value > b.length) return undefined;
  return { value: Buffer.from(b.subarray(n.next, n.next + n.value)).toString('utf8'), next: n.next + n.value };
}

function moduleOf(fields: string[]): GoModule | undefined {
  const [path, version, sum] = fields;
  if (!path) return undefined;
  return { path, ...(version ? { version } : {}), ...(sum ? { sum } : {}) };
}

export function parseModInfo(text: string): Omit<GoBuildInfo, 'goVersion'> {
  const out: Omit<GoBuildInfo, 'goVersion'> = { deps: [], settings: {} };
  let last: GoModule | undefined;
  for (const line of text.split('\n')) {
    const [kind, ...fields] = line.split('\t');
    switch (kind) {
      case 'path':
        if (fields[0]) out.path = fields[0];
        break;
      case 'mod':
        last = moduleOf(fields);
        if (last) out.main = last;
        break;
      case 'dep':
        last = moduleOf(fields);
        if (last) out.deps.push(last);
        break;
      case '=>': {
        const r = moduleOf(fields);
        if (r && last) last.replacedBy = r;
        break;
      }
      case 'build': {
        const kv = fields.join('\t');
        const eq = kv.indexOf('=');
        if (eq > 0) out.settings[kv.slice(0, eq)] = kv.slice(eq + 1);
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** debug/buildinfo keeps the module info only when it is framed: 16 bytes, text ending in `\n`, 16 bytes. */
function unframe(mod: string): string {
  return mod.length >= 33 && mod[mod.length - 17] === '\n' ? mod.slice(16, -16) : '';
}

/** Cap on a string behind a pointer: build info is kilobytes; a corrupt length must not allocate gigabytes. */
const MAX_POINTED_STRING = 16 * 1024 * 1024;

interface Segment {
  vaddr: bigint;
  offset: bigint;
  filesz: bigint;
}

/** PT_LOAD segments of an ELF file (32/64-bit, either byte order); undefined when it is not a readable ELF. */
function elfLoadSegments(buf: Buffer): Segment[] | undefined {
  if (buf.length < 52 || buf[0] !== 0x7f || buf[1] !== 0x45 || buf[2] !== 0x4c || buf[3] !== 0x46) return undefined;
  const is64 = buf[4] === 2;
  const le = buf[5] !== 2;
  if (is64 && buf.length < 64) return undefined;
  const u16 = (o: number): number => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number): bigint => BigInt(le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const u64 = (o: number): bigint => (le ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o));
  const word = (o: number): bigint => (is64 ? u64(o) : u32(o));
  const phoff = Number(word(is64 ? 0x20 : 0x1c));
  const phentsize = u16(is64 ? 0x36 : 0x2a);
  const phnum = u16(is64 ? 0x38 : 0x2c);
  if (!Number.isSafeInteger(phoff) || phentsize < (is64 ? 56 : 32) || phoff + phentsize * phnum > buf.length) return undefined;
  const out: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const h = phoff + i * phentsize;
    if (Number(u32(h)) !== 1) continue; // PT_LOAD
    out.push(is64 ? { offset: u64(h + 8), vaddr: u64(h + 16), filesz: u64(h + 32) } : { offset: u32(h + 4), vaddr: u32(h + 8), filesz: u32(h + 16) });
  }
  return out;
}

/** `size` bytes at virtual address `addr`, when one loaded segment holds all of them in the file. */
function readAt(buf: Buffer, segments: readonly Segment[], addr: bigint, size: number): Buffer | undefined {
  for (const s of segments) {
    if (addr < s.vaddr || addr + BigInt(size) > s.vaddr + s.filesz) continue;
    const off = s.offset + (addr - s.vaddr);
    if (off + BigInt(size) > BigInt(buf.length)) return undefined;
    return buf.subarray(Number(off), Number(off) + size);
  }
  return undefined;
}

function readPointerBuildInfo(buf: Buffer, at: number): BuildInfoResult {
  const ptrSize = buf[at + 14] as number;
  if (ptrSize !== 4 && ptrSize !== 8) return { kind: 'unsupported', reason: `the build info header names a pointer size of ${ptrSize} (expected 4 or 8)` };
  const segments = elfLoadSegments(buf);
  if (!segments) return { kind: 'unsupported', reason: 'built before Go 1.18 and not an ELF executable: its build info sits behind pointers this analyzer maps only for ELF' };
  const big = ((buf[at + 15] as number) & 1) === 1;
  const ptr = (b: Buffer, o: number): bigint => (ptrSize === 8 ? (big ? b.readBigUInt64BE(o) : b.readBigUInt64LE(o)) : BigInt(big ? b.readUInt32BE(o) : b.readUInt32LE(o)));
  const goString = (addr: bigint, what: string): string | { error: string } => {
    const hdr = readAt(buf, segments, addr, 2 * ptrSize);
    if (!hdr) return { error: `the ${what} string header at 0x${addr.toString(16)} is not in a loaded segment of the file` };
    const len = ptr(hdr, ptrSize);
    if (len > BigInt(MAX_POINTED_STRING)) return { error: `the ${what} string claims ${len} bytes (more than ${MAX_POINTED_STRING})` };
    const data = len === 0n ? Buffer.alloc(0) : readAt(buf, segments, ptr(hdr, 0), Number(len));
    if (!data) return { error: `the ${what} string at 0x${ptr(hdr, 0).toString(16)} (+${len}) is not in a loaded segment of the file` };
    return data.toString('utf8');
  };
  const version = goString(ptr(buf, at + 16), 'Go version');
  if (typeof version !== 'string') return { kind: 'unsupported', reason: `build info (Go 1.13–1.17 layout): ${version.error}` };
  const mod = goString(ptr(buf, at + 16 + ptrSize), 'module info');
  if (typeof mod !== 'string') return { kind: 'unsupported', reason: `build info (Go 1.13–1.17 layout): ${mod.error}` };
  return { kind: 'go', info: { goVersion: version, ...parseModInfo(unframe(mod)) } };
}

export function readBuildInfo(bytes: Uint8Array): BuildInfoResult {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = buf.indexOf(BUILDINFO_MAGIC);
  while (at >= 0 && at % 16 !== 0) at = buf.indexOf(BUILDINFO_MAGIC, at + 1);
  if (at < 0) return { kind: 'not-go' };
  if (at + 32 > buf.length) return { kind: 'unsupported', reason: 'the build info header is truncated' };
  const flags = buf[at + 15] as number;
  if ((flags & 2) === 0) return readPointerBuildInfo(buf, at);
  const version = readString(buf, at + 32);
  if (!version) return { kind: 'unsupported', reason: 'the Go version string of the build info is truncated' };
  const mod = readString(buf, version.next);
  if (!mod) return { kind: 'unsupported', reason: 'the module info of the build info is truncated' };
  return { kind: 'go', info: { goVersion: version.value, ...parseModInfo(unframe(mod.value)) } };
}
