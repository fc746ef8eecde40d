/**
 * Packagist: what Composer does — composer/semver `VersionParser::normalize` (3.3), then PHP's
 * `version_compare` on the normalized strings. When either side cannot be normalized, PHP's
 * `version_compare` on the raw strings (the reference tool's rule; PHP itself orders any string).
 * Build metadata (`+...`) is dropped by normalize, so `1.0+a == 1.0+b`.
 */
import { compareDigits, isAlphaCode, isDigitCode, sign, type CompareResult, type VersionScheme } from './scheme';

export interface PackagistVersion {
  text: string;
  /** The raw string's canonical form, computed when first needed (only when the other side fails normalize). */
  raw?: CanonicalVersion | null;
  /** null when normalize throws. */
  normalized: CanonicalVersion | null;
}

function rawCanonical(v: PackagistVersion): CanonicalVersion | null {
  if (v.raw === undefined) v.raw = v.text === '' ? null : canonical(v.text);
  return v.raw;
}

const MODIFIER = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*)?)?([.-]?dev)?';
const CLASSICAL = new RegExp(`^v?(\\d{1,5})(?!\\d)(\\.\\d+(?!\\d))?(\\.\\d+(?!\\d))?(\\.\\d+(?!\\d))?${MODIFIER}$`, 'i');
const DATETIME = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3})?)${MODIFIER}$`, 'i');
const BRANCH = /^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?$/i;

function phpTrim(s: string): string {
  return s.replace(/^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g, '');
}

function expandStability(s: string): string {
  const l = s.toLowerCase();
  if (l === 'a') return 'alpha';
  if (l === 'b') return 'beta';
  if (l === 'p' || l === 'pl') return 'patch';
  if (l === 'rc') return 'RC';
  return l;
}

function normalizeBranch(name: string): string {
  const n = phpTrim(name);
  const m = BRANCH.exec(n);
  if (m) {
    let version = '';
    for (let i = 1; i < 5; i++) version += m[i] !== undefined ? (m[i] as string).replace(/[*X]/g, 'x') : '.x';
    return `${version.replace(/x/g, '9999999')}-dev`;
  }
  return `dev-${n}`;
}

/** composer/semver VersionParser::normalize; null where it throws UnexpectedValueException. */
export function composerNormalize(input: string): string | null {
  let version = phpTrim(input);
  const alias = version.includes(' ') ? /^([^,\s]+) +as +([^,\s]+)$/.exec(version) : null;
  if (alias) version = alias[1] as string;
  const flag = version.includes('@') ? /@(?:stable|RC|beta|alpha|dev)$/i.exec(version) : null;
  if (flag) version = version.slice(0, version.length - flag[0].length);
  if (version === 'master' || version === 'trunk' || version === 'default') version = `dev-${version}`;
  if (version.slice(0, 4).toLowerCase() === 'dev-') return `dev-${version.slice(4)}`;
  const build = version.includes('+') ? /^([^,\s+]+)\+[^\s]+$/.exec(version) : null;
  if (build) version = build[1] as string;

  let m = CLASSICAL.exec(version);
  let index = 0;
  if (m) {
    version = `${m[1]}${m[2] || '.0'}${m[3] || '.0'}${m[4] || '.0'}`;
    index = 5;
  } else {
    m = DATETIME.exec(version);
    if (m) {
      version = (m[1] as string).replace(/\D/g, '.');
      index = 2;
    }
  }
  if (m && index > 0) {
    const stability = m[index];
    // PHP's empty(): "" and "0" are empty
    if (stability !== undefined && stability !== '' && stability !== '0') {
      if (stability === 'stable') return version;
      const num = m[index + 1];
      version += `-${expandStability(stability)}${num !== undefined && num !== '' ? num.replace(/^[.-]+/, '') : ''}`;
    }
    const dev = m[index + 2];
    if (dev !== undefined && dev !== '' && dev !== '0') version += '-dev';
    return version;
  }
  const devBranch = /^(.*?)[.-]?dev$/i.exec(version);
  if (devBranch) {
    const normalized = normalizeBranch(devBranch[1] as string);
    if (!normalized.includes('dev-')) return normalized;
  }
  return null;
}

const isSpecial = (c: number): boolean => c === 45 || c === 95 || c === 43; // - _ +
const isAlnum = (c: number): boolean => isDigitCode(c) || isAlphaCode(c);

/** php_canonicalize_version: `-_+` become `.`, a `.` between digit and non-digit runs, other symbols `.`. */
const ALREADY_CANONICAL = /^[0-9]+(?:\.[0-9]+)*$/;

function canonicalize(v: string): string {
  if (v.length === 0) return '';
  if (ALREADY_CANONICAL.test(v)) return v;
  const out: number[] = [v.charCodeAt(0)];
  let lp = v.charCodeAt(0);
  let last = lp;
  for (let i = 1; i < v.length; i++) {
    const p = v.charCodeAt(i);
    const pDigit = isDigitCode(p);
    const lpDigit = isDigitCode(lp);
    if (isSpecial(p)) {
      if (last !== 46) out.push((last = 46));
    } else if ((!lpDigit && lp !== 46 && pDigit) || (lpDigit && !pDigit && p !== 46)) {
      if (last !== 46) out.push(46);
      out.push((last = p));
    } else if (!isAlnum(p)) {
      if (last !== 46) out.push((last = 46));
    } else {
      out.push((last = p));
    }
    lp = p;
  }
  return String.fromCharCode(...out);
}

const SPECIAL_FORMS: [string, number][] = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];

function specialForm(form: string): number {
  for (const [name, order] of SPECIAL_FORMS) if (form.startsWith(name)) return order;
  return -1;
}

function compareSpecial(a: string, b: string): CompareResult {
  return sign(specialForm(a) - specialForm(b));
}

const LONG_MAX = '9223372036854775807';

/** strtol(p, NULL, 10) on a string starting with a digit: the leading digit run, saturated at LONG_MAX. */
function strtolDigits(s: string): string {
  let end = 0;
  while (end < s.length && isDigitCode(s.charCodeAt(end))) end++;
  const d = s.slice(0, end).replace(/^0+(?=.)/, '');
  return compareDigits(d, LONG_MAX) > 0 ? LONG_MAX : d;
}

/** A canonicalized version split at its dots, ready for repeated comparisons. */
export interface CanonicalVersion {
  text: string;
  elements: string[];
}

function canonical(v: string): CanonicalVersion {
  const text = v.length > 0 && v[0] === '#' ? v : canonicalize(v);
  return { text, elements: text.split('.') };
}

/** PHP's version_compare(v1, v2) (ext/standard/versioning.c). */
export function phpVersionCompare(orig1: string, orig2: string): CompareResult {
  if (orig1 === '' || orig2 === '') {
    if (orig1 === '' && orig2 === '') return 0;
    return orig1 !== '' ? 1 : -1;
  }
  return compareCanonical(canonical(orig1), canonical(orig2));
}

/**
 * The element loop of version_compare on canonical forms. Element i "exists" unless it is the empty
 * text after a trailing dot (C's `*p == 0`); the loop stops after the last element of either side.
 */
function compareCanonical(a: CanonicalVersion, b: CanonicalVersion): CompareResult {
  const e1 = a.elements;
  const e2 = b.elements;
  let i = 0;
  let more1 = true;
  let more2 = true;
  let compare: CompareResult = 0;
  while (more1 && more2) {
    const x = e1[i] as string;
    const y = e2[i] as string;
    if ((x === '' && i === e1.length - 1) || (y === '' && i === e2.length - 1)) break;
    more1 = i < e1.length - 1;
    more2 = i < e2.length - 1;
    const d1 = isDigitCode(x.charCodeAt(0));
    const d2 = isDigitCode(y.charCodeAt(0));
    if (d1 && d2) compare = compareDigits(strtolDigits(x), strtolDigits(y));
    else if (!d1 && !d2) compare = compareSpecial(x, y);
    else if (d1) compare = compareSpecial('#N#', y);
    else compare = compareSpecial(x, '#N#');
    if (compare !== 0) return compare;
    if (more1 && more2) i++;
  }
  if (more1) {
    const rest = e1.slice(more2 ? i : i + 1);
    return isDigitCode((rest[0] ?? '').charCodeAt(0)) ? 1 : phpVersionCompare(rest.join('.'), '#N#');
  }
  if (more2) {
    const rest = e2.slice(more1 ? i : i + 1);
    return isDigitCode((rest[0] ?? '').charCodeAt(0)) ? -1 : phpVersionCompare('#N#', rest.join('.'));
  }
  return 0;
}

export const packagistScheme: VersionScheme<PackagistVersion> = {
  id: 'composer',
  rule: 'Composer version (any string is ordered by PHP version_compare)',
  parse(v) {
    const normalized = composerNormalize(v);
    return { text: v, normalized: normalized === null || normalized === '' ? null : canonical(normalized) };
  },
  compare(a, b) {
    if (a.normalized !== null && b.normalized !== null) return compareCanonical(a.normalized, b.normalized);
    // version_compare on the raw strings; an empty string sorts first
    const ra = rawCanonical(a);
    const rb = rawCanonical(b);
    if (ra === null || rb === null) return ra === rb ? 0 : ra === null ? -1 : 1;
    return compareCanonical(ra, rb);
  },
};
