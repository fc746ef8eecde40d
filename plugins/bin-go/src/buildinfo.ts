/**
 * Go build info, as `go version -m` reads it: the linker writes a 32-byte header starting with
 * "\xff Go buildinf:" (16-byte aligned) into the binary; from Go 1.18 on (flag bit 2) it is followed by
 * two varint-length-prefixed strings, the toolchain version and the module info. The module info is
 * framed by 16 sentinel bytes on each side and holds tab-separated lines: `path`, `mod`, `dep`, `=>`
 * (replacement of the preceding dep) and `build` settings. Every length is bounds-checked.
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

export function readBuildInfo(bytes: Uint8Array): BuildInfoResult {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = buf.indexOf(BUILDINFO_MAGIC);
  while (at >= 0 && at % 16 !== 0) at = buf.indexOf(BUILDINFO_MAGIC, at + 1);
  if (at < 0) return { kind: 'not-go' };
  if (at + 32 > buf.length) return { kind: 'unsupported', reason: 'the build info header is truncated' };
  const flags = buf[at + 15] as number;
  if ((flags & 2) === 0) return { kind: 'unsupported', reason: 'built before Go 1.18: its build info is stored behind pointers, which this analyzer does not follow' };
  const version = readString(buf, at + 32);
  if (!version) return { kind: 'unsupported', reason: 'the Go version string of the build info is truncated' };
  const mod = readString(buf, version.next);
  if (!mod) return { kind: 'unsupported', reason: 'the module info of the build info is truncated' };
  const text = mod.value.length >= 33 ? mod.value.slice(16, -16) : '';
  return { kind: 'go', info: { goVersion: version.value, ...parseModInfo(text) } };
}
