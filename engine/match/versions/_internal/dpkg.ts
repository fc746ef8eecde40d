/**
 * Debian / Ubuntu: dpkg's version ordering (deb-version(7); lib/dpkg/version.c `verrevcmp`, and the
 * validity rules of Dpkg::Version::version_check, which the reference tool uses).
 * `[epoch:]upstream[-revision]`: the epoch is everything before the first `:`, the revision everything
 * after the last `-`.
 */
import { compareDigits, Invalid, isAlphaCode, isDigitCode, type CompareResult, type VersionScheme } from './scheme';

export interface DpkgVersion {
  epoch: string;
  upstream: string;
  revision: string;
}

const ILLEGAL = /[^-+:.0-9a-zA-Z~]/;

export function parseDpkg(v: string): DpkgVersion | Invalid {
  if (v.length === 0) return new Invalid('version number cannot be empty');
  let epoch = '0';
  let rest = v;
  const colon = v.indexOf(':');
  if (colon >= 0 && colon < v.length - 1) {
    epoch = v.slice(0, colon);
    rest = v.slice(colon + 1);
    if (epoch.length === 0) return new Invalid('epoch part of the version number cannot be empty');
  }
  let upstream = rest;
  let revision = '0';
  const dash = rest.lastIndexOf('-');
  if (dash >= 0) {
    upstream = rest.slice(0, dash);
    revision = rest.slice(dash + 1);
    if (revision.length === 0) return new Invalid('revision cannot be empty');
  }
  if (upstream.length === 0) return new Invalid('upstream version cannot be empty');
  if (!isDigitCode(upstream.charCodeAt(0))) return new Invalid('version number does not start with digit');
  const bad = ILLEGAL.exec(v);
  if (bad) return new Invalid(`version number contains illegal character '${bad[0]}'`);
  if (!/^\d*$/.test(epoch)) return new Invalid(`epoch part of the version number is not a number: '${epoch}'`);
  return { epoch, upstream, revision };
}

/** dpkg's character weight: `~` sorts before everything (even the end), letters before other symbols. */
function order(c: number): number {
  if (c === 126) return -1; // ~
  if (isDigitCode(c)) return 0;
  if (isAlphaCode(c)) return c;
  return c + 256;
}

/** lib/dpkg/version.c verrevcmp: alternate non-digit and digit runs. */
export function verrevcmp(a: string, b: string): CompareResult {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigitCode(a.charCodeAt(i))) || (j < b.length && !isDigitCode(b.charCodeAt(j)))) {
      const ac = i < a.length ? order(a.charCodeAt(i)) : 0;
      const bc = j < b.length ? order(b.charCodeAt(j)) : 0;
      if (ac !== bc) return ac < bc ? -1 : 1;
      i++;
      j++;
    }
    const si = i;
    const sj = j;
    while (i < a.length && isDigitCode(a.charCodeAt(i))) i++;
    while (j < b.length && isDigitCode(b.charCodeAt(j))) j++;
    // An absent number counts as 0.
    const firstDiff = compareDigits(si === i ? '0' : a.slice(si, i), sj === j ? '0' : b.slice(sj, j));
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

export const dpkgScheme: VersionScheme<DpkgVersion> = {
  id: 'dpkg',
  rule: 'deb-version: [epoch:]upstream[-revision], epoch numeric, upstream starts with a digit, only [A-Za-z0-9.+~:-]',
  parse: parseDpkg,
  compare(a, b) {
    const e = compareDigits(a.epoch || '0', b.epoch || '0');
    if (e !== 0) return e;
    const u = verrevcmp(a.upstream, b.upstream);
    if (u !== 0) return u;
    return verrevcmp(a.revision, b.revision);
  },
};
