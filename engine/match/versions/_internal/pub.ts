/**
 * Pub (Dart): pub_semver's `Version.parse` and `compareTo` for the versions pub reads. MAJOR.MINOR.PATCH
 * with optional -pre-release and +build, each a dot list whose parts are integers (`int.tryParse`, so
 * `01` == `1`) or strings. Pre-releases sort before the release; unlike SemVer 2.0, build metadata is
 * ordered too: no build sorts before any build, then parts compare (numbers before strings, strings by
 * code unit).
 *
 * OSV also orders what pub refuses: a leading `v` and numbers beyond 64 bits are read as above (numbers
 * compared exactly); fewer or more than three components are ordered by OSV's Pub comparator
 * (`semver-like.ts`), which agrees with pub_semver on osv-scalibr's Pub vectors.
 */
import { compareDigits, compareStrings, Invalid, type CompareResult, type VersionScheme } from './scheme';
import { compareSemverLike, isLenientSemver, parseSemverLike, type SemverLike } from './semver-like';

export interface PubVersion {
  /** Undefined when pub_semver would refuse the version. */
  native?: { main: [string, string, string]; pre: string[]; build: string[] };
  osv: SemverLike;
}

const PATTERN = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;
const INT64_MAX = '9223372036854775807';

/** pub_semver's reading, extended to a leading `v` and numbers beyond 64 bits (compared exactly). */
function parseNative(v: string): PubVersion['native'] {
  const m = PATTERN.exec(v.startsWith('v') ? v.slice(1) : v);
  if (!m) return undefined;
  const main: [string, string, string] = [m[1] as string, m[2] as string, m[3] as string];
  return { main, pre: m[4] === undefined ? [] : m[4].split('.'), build: m[5] === undefined ? [] : m[5].split('.') };
}

export function parsePub(v: string): PubVersion | Invalid {
  if (!isLenientSemver(v)) return new Invalid('not a pub version ([v]MAJOR.MINOR.PATCH[-pre][+build])');
  const native = parseNative(v);
  return { ...(native ? { native } : {}), osv: parseSemverLike(v, 3) };
}

/** int.tryParse: an integer when it is all digits and fits 64 bits. */
const isInt = (s: string): boolean => /^\d+$/.test(s) && compareDigits(s, INT64_MAX) <= 0;

function compareLists(a: string[], b: string[]): CompareResult {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = isInt(x);
    const yn = isInt(y);
    let c: CompareResult;
    if (xn && yn) c = compareDigits(x, y);
    else if (xn !== yn) c = xn ? -1 : 1;
    else c = compareStrings(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

function compareNative(a: NonNullable<PubVersion['native']>, b: NonNullable<PubVersion['native']>): CompareResult {
  for (let i = 0; i < 3; i++) {
    const c = compareDigits(a.main[i] as string, b.main[i] as string);
    if (c !== 0) return c;
  }
  const ap = a.pre.length > 0;
  const bp = b.pre.length > 0;
  if (ap !== bp) return ap ? -1 : 1;
  const c = compareLists(a.pre, b.pre);
  if (c !== 0) return c;
  if (a.build.length === 0 && b.build.length > 0) return -1;
  if (b.build.length === 0 && a.build.length > 0) return 1;
  return compareLists(a.build, b.build);
}

export const pubScheme: VersionScheme<PubVersion> = {
  id: 'pub',
  rule: 'pub_semver: [v]MAJOR.MINOR.PATCH[-prerelease][+build]',
  parse: parsePub,
  compare(a, b) {
    return a.native && b.native ? compareNative(a.native, b.native) : compareSemverLike(a.osv, b.osv, 'pub');
  },
};
