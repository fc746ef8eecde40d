/**
 * OSV's ordering for the SEMVER-type ecosystems (npm, crates.io, Go, Hex, Pub, NuGet), as osv.dev and
 * osv-scanner implement it (osv-scalibr `semantic/version-semver-like.go`, `version-semver.go`,
 * `version-nuget.go`, `version-pub.go`): a leading `v` is dropped; the leading dot-separated digit runs are
 * numeric components of any size (compared as digit strings, never through `Number`); components beyond
 * the ecosystem's count (3, NuGet 4) are appended to the rest as `.N`; missing components are 0; the rest
 * orders like a SemVer pre-release once `+build` is cut off and one leading `-` dropped (a version without
 * one sorts after every version with one). Pub then orders the text after the first `+` as well; NuGet
 * compares the rest case-insensitively.
 *
 * OSV's reference comparators order any string at all. We do not: `isLenientSemver` is the gate — a
 * version must look like `[v]N(.N)*[-pre][+build]` with SemVer identifiers — so text that no ecosystem
 * tool would read (`latest`, `^1.2`, ``) is still rejected rather than silently ordered.
 */
import { compareDigits, compareStrings, type CompareResult } from './scheme';

export interface SemverLike {
  /** Numeric components, leading zeros dropped (`01` → `1`), at most the ecosystem's count. */
  components: string[];
  /** Everything after the components (pre-release, build, extra components as `.N`), OSV's "build". */
  rest: string;
}

const LENIENT = /^v?\d+(?:\.\d+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** The shapes OSV orders that an ecosystem tool could have meant: `[v]N(.N)*[-pre][+build]`. */
export function isLenientSemver(v: string): boolean {
  return LENIENT.test(v);
}

const stripZeros = (d: string): string => d.replace(/^0+(?=\d)/, '');

/** OSV's `parseSemverLikeVersion(str, maxComponents)`. Never fails: the caller gates with `isLenientSemver`. */
export function parseSemverLike(v: string, maxComponents: number): SemverLike {
  const s = v.startsWith('v') ? v.slice(1) : v;
  const comps: string[] = [];
  let current = '';
  let inRest = false;
  for (const c of s) {
    if (inRest) {
      current += c;
      continue;
    }
    if (c >= '0' && c <= '9') {
      current += c;
      continue;
    }
    if (current !== '') {
      comps.push(stripZeros(current));
      current = '';
    }
    if (c === '.') continue;
    inRest = true;
    current = c;
  }
  if (!inRest && current !== '') {
    comps.push(stripZeros(current));
    current = '';
  }
  let rest = inRest ? current : '';
  for (const extra of comps.slice(maxComponents)) rest += `.${extra}`;
  return { components: comps.slice(0, maxComponents), rest };
}

function compareComponents(a: readonly string[], b: readonly string[]): CompareResult {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareDigits(a[i] ?? '0', b[i] ?? '0');
    if (c !== 0) return c;
  }
  return 0;
}

const isNumeric = (s: string): boolean => /^\d+$/.test(s);

/** OSV's `compareBuildComponents`: the pre-release part of `rest`, SemVer precedence rules 9 and 11. */
function comparePrerelease(restA: string, restB: string): CompareResult {
  let a = restA.split('+')[0] as string;
  let b = restB.split('+')[0] as string;
  if (a.startsWith('-')) a = a.slice(1);
  if (b.startsWith('-')) b = b.slice(1);
  if (a === '' && b !== '') return 1;
  if (a !== '' && b === '') return -1;
  if (a === '' && b === '') return 0;
  const pa = a.split('.');
  const pb = b.split('.');
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    const xn = isNumeric(x);
    const yn = isNumeric(y);
    const c = xn && yn ? compareDigits(x, y) : !xn && !yn ? compareStrings(x, y) : xn ? -1 : 1;
    if (c !== 0) return c;
  }
  return pa.length === pb.length ? 0 : pa.length > pb.length ? 1 : -1;
}

export type SemverLikeFlavour = 'semver' | 'nuget' | 'pub';

/** Compare two parsed versions the way OSV's comparator of that flavour does. */
export function compareSemverLike(a: SemverLike, b: SemverLike, flavour: SemverLikeFlavour): CompareResult {
  const c = compareComponents(a.components, b.components);
  if (c !== 0) return c;
  switch (flavour) {
    case 'semver':
      return comparePrerelease(a.rest, b.rest);
    case 'nuget':
      return comparePrerelease(a.rest.toLowerCase(), b.rest.toLowerCase());
    case 'pub': {
      const p = comparePrerelease(a.rest, b.rest);
      if (p !== 0) return p;
      const ia = a.rest.indexOf('+');
      const ib = b.rest.indexOf('+');
      return compareStrings(ia < 0 ? '' : a.rest.slice(ia + 1), ib < 0 ? '' : b.rest.slice(ib + 1));
    }
  }
}
