/**
 * RPM family (Red Hat, SUSE, openSUSE, AlmaLinux, Rocky Linux, Mageia, openEuler, Azure Linux, Photon OS): librpm's `rpmvercmp` (rpmio/rpmvercmp.c,
 * rpm 4.18, with `~` pre-release and `^` post-release separators) applied to epoch, version and release the way
 * `rpm.labelCompare` does. `E:V-R` is split as: epoch = the digits before the first `:`, release = the text
 * after the last `-`. A missing epoch is 0; a missing release sorts before any release (labelCompare's rule for
 * a NULL release). rpm orders any string; the one thing it rejects is an empty version part (`''`, `-1`,
 * `1:-1`: labelCompare raises "invalid version").
 */
import { compareDigits, compareStrings, Invalid, isAlphaCode, isDigitCode, type CompareResult, type VersionScheme } from './scheme';

export interface RpmVersion {
  epoch: string;
  version: string;
  release: string | null;
}

export function parseRpm(v: string): RpmVersion {
  let epoch = '0';
  let rest = v;
  const m = /^(\d+):/.exec(v);
  if (m) {
    epoch = m[1] as string;
    rest = v.slice(m[0].length);
  }
  const dash = rest.lastIndexOf('-');
  if (dash < 0) return { epoch, version: rest, release: null };
  return { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) };
}

function isAlnum(c: number): boolean {
  return isDigitCode(c) || isAlphaCode(c);
}

export function rpmvercmp(a: string, b: string): CompareResult {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a.charCodeAt(i)) && a.charCodeAt(i) !== 126 && a.charCodeAt(i) !== 94) i++;
    while (j < b.length && !isAlnum(b.charCodeAt(j)) && b.charCodeAt(j) !== 126 && b.charCodeAt(j) !== 94) j++;
    const ca = i < a.length ? a.charCodeAt(i) : 0;
    const cb = j < b.length ? b.charCodeAt(j) : 0;
    // `~` sorts before everything, even the end of the string.
    if (ca === 126 || cb === 126) {
      if (ca !== 126) return 1;
      if (cb !== 126) return -1;
      i++;
      j++;
      continue;
    }
    // `^` sorts after the end of the string but before anything else.
    if (ca === 94 || cb === 94) {
      if (ca === 0) return -1;
      if (cb === 0) return 1;
      if (ca !== 94) return 1;
      if (cb !== 94) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === 0 || cb === 0) break;
    const si = i;
    const sj = j;
    const isNum = isDigitCode(ca);
    if (isNum) {
      while (i < a.length && isDigitCode(a.charCodeAt(i))) i++;
      while (j < b.length && isDigitCode(b.charCodeAt(j))) j++;
    } else {
      while (i < a.length && isAlphaCode(a.charCodeAt(i))) i++;
      while (j < b.length && isAlphaCode(b.charCodeAt(j))) j++;
    }
    // Segments of different types: numeric is newer than alpha.
    if (sj === j) return isNum ? 1 : -1;
    const r = isNum ? compareDigits(a.slice(si, i), b.slice(sj, j)) : compareStrings(a.slice(si, i), b.slice(sj, j));
    if (r !== 0) return r;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/** labelCompare's compare_values: NULL < anything, NULL == NULL. */
function compareValues(a: string | null, b: string | null): CompareResult {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  return rpmvercmp(a, b);
}

export const rpmScheme: VersionScheme<RpmVersion> = {
  id: 'rpm',
  rule: 'rpm EVR: [epoch:]version[-release] with a non-empty version',
  parse(v) {
    const evr = parseRpm(v);
    return evr.version === '' ? new Invalid('the version part is empty (rpm: invalid version)') : evr;
  },
  compare(a, b) {
    return compareValues(a.epoch, b.epoch) || compareValues(a.version, b.version) || compareValues(a.release, b.release);
  },
};
