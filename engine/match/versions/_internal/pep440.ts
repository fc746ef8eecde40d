/**
 * PyPI: PEP 440 ordering as implemented by `packaging.version.Version` (the spec's VERSION_PATTERN and
 * `_cmpkey`), with exact integer comparison. Strings that are not PEP 440 are ordered by packaging's former
 * `LegacyVersion` rule (packaging < 22, setuptools' historical parse): they sort before every PEP 440
 * version and among themselves by `_legacy_cmpkey`. So no PyPI version is rejected; `isPep440` tells them apart.
 */
import { compareDigits, compareStrings, type CompareResult, type VersionScheme } from './scheme';

export interface Pep440Version {
  legacy: false;
  epoch: string;
  release: string[];
  /** 0 = sorts before any pre (dev-only release), 1 = has a pre-release, 2 = no pre-release. */
  preRank: 0 | 1 | 2;
  preLetter: string;
  preNum: string;
  post: string | null;
  dev: string | null;
  local: string[] | null;
}

export interface LegacyVersion {
  legacy: true;
  parts: string[];
}

export type PyVersion = Pep440Version | LegacyVersion;

// PEP 440, Appendix B (VERSION_PATTERN), anchored and case-insensitive as packaging uses it.
const PATTERN =
  /^\s*v?(?:(?:([0-9]+)!)?([0-9]+(?:\.[0-9]+)*)([-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?([0-9]+)?)?((?:-([0-9]+))|(?:[-_.]?(post|rev|r)[-_.]?([0-9]+)?))?([-_.]?(dev)[-_.]?([0-9]+)?)?)(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

const PRE_LETTER: Record<string, string> = { a: 'a', alpha: 'a', b: 'b', beta: 'b', c: 'rc', rc: 'rc', pre: 'rc', preview: 'rc' };

function stripZeros(d: string): string {
  return d.replace(/^0+(?=.)/, '');
}

const PLAIN_RELEASE = /^[0-9]+(?:\.[0-9]+)*$/;

export function parsePep440(v: string): Pep440Version | null {
  if (PLAIN_RELEASE.test(v)) {
    // fast path for the common "N(.N)*" form: same result as the full pattern
    const release = v.split('.').map(stripZeros);
    while (release.length > 0 && release[release.length - 1] === '0') release.pop();
    return { legacy: false, epoch: '0', release, preRank: 2, preLetter: '', preNum: '0', post: null, dev: null, local: null };
  }
  const m = PATTERN.exec(v);
  if (!m) return null;
  const release = (m[2] as string).split('.').map(stripZeros);
  while (release.length > 0 && release[release.length - 1] === '0') release.pop();
  const hasPre = m[3] !== undefined;
  const hasPost = m[6] !== undefined;
  const hasDev = m[10] !== undefined;
  return {
    legacy: false,
    epoch: stripZeros(m[1] ?? '0'),
    release,
    preRank: hasPre ? 1 : !hasPost && hasDev ? 0 : 2,
    preLetter: hasPre ? (PRE_LETTER[(m[4] as string).toLowerCase()] as string) : '',
    preNum: stripZeros(m[5] ?? '0'),
    post: hasPost ? stripZeros(m[7] ?? m[9] ?? '0') : null,
    dev: hasDev ? stripZeros(m[12] ?? '0') : null,
    local: m[13] === undefined ? null : m[13].toLowerCase().split(/[-_.]/),
  };
}

const LEGACY_REPLACE: Record<string, string> = { pre: 'c', preview: 'c', '-': 'final-', rc: 'c', dev: '@' };

/** packaging (< 22) `_legacy_cmpkey`: the epoch is -1, the parts are padded / starred strings. */
export function parseLegacy(v: string): LegacyVersion {
  const parts: string[] = [];
  for (const raw of v.toLowerCase().split(/(\d+|[a-z]+|\.|-)/)) {
    const part = LEGACY_REPLACE[raw] ?? raw;
    if (part === '' || part === '.') continue;
    const p = part.charCodeAt(0) >= 48 && part.charCodeAt(0) <= 57 ? part.padStart(8, '0') : `*${part}`;
    if (p.startsWith('*')) {
      if (p < '*final') while (parts.length > 0 && parts[parts.length - 1] === '*final-') parts.pop();
      while (parts.length > 0 && parts[parts.length - 1] === '00000000') parts.pop();
    }
    parts.push(p);
  }
  // _parse_version_parts always ends with "*final"
  while (parts.length > 0 && parts[parts.length - 1] === '00000000') parts.pop();
  parts.push('*final');
  return { legacy: true, parts };
}

function compareLists(a: string[], b: string[], cmp: (x: string, y: string) => CompareResult): CompareResult {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = cmp(a[i] as string, b[i] as string);
    if (c !== 0) return c;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

const isNumeric = (s: string): boolean => /^[0-9]+$/.test(s);

/** Local segments: numbers sort after strings, numbers numerically, strings lexically. */
function compareLocalPart(x: string, y: string): CompareResult {
  const xn = isNumeric(x);
  const yn = isNumeric(y);
  if (xn && yn) return compareDigits(x, y);
  if (xn !== yn) return xn ? 1 : -1;
  return compareStrings(x, y);
}

export function comparePep440(a: Pep440Version, b: Pep440Version): CompareResult {
  let c = compareDigits(a.epoch, b.epoch);
  if (c !== 0) return c;
  c = compareLists(a.release, b.release, compareDigits);
  if (c !== 0) return c;
  if (a.preRank !== b.preRank) return a.preRank < b.preRank ? -1 : 1;
  if (a.preRank === 1) {
    c = compareStrings(a.preLetter, b.preLetter) || compareDigits(a.preNum, b.preNum);
    if (c !== 0) return c;
  }
  if (a.post !== b.post) {
    if (a.post === null) return -1;
    if (b.post === null) return 1;
    c = compareDigits(a.post, b.post);
    if (c !== 0) return c;
  }
  if (a.dev !== b.dev) {
    if (a.dev === null) return 1;
    if (b.dev === null) return -1;
    c = compareDigits(a.dev, b.dev);
    if (c !== 0) return c;
  }
  if (a.local === null) return b.local === null ? 0 : -1;
  if (b.local === null) return 1;
  return compareLists(a.local, b.local, compareLocalPart);
}

export const pypiScheme: VersionScheme<PyVersion> = {
  id: 'pep440',
  rule: 'PEP 440 (other strings are ordered by the legacy setuptools rule, before all PEP 440 versions)',
  parse: (v) => parsePep440(v) ?? parseLegacy(v),
  compare(a, b) {
    if (a.legacy || b.legacy) {
      if (!a.legacy) return 1;
      if (!b.legacy) return -1;
      return compareLists(a.parts, b.parts, compareStrings);
    }
    return comparePep440(a, b);
  },
};
