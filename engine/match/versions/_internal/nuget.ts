/**
 * NuGet: NuGet.Versioning's NuGetVersion with VersionComparer.Default for the versions NuGet itself reads —
 * one to four numeric parts (missing parts are 0, so 1.0 == 1.0.0.0; leading zeros allowed, each part at
 * most 2^31-1), an optional `-` pre-release of dot-separated [0-9A-Za-z-] labels, optional `+metadata`
 * (ignored when ordering). A release sorts after its pre-releases; labels: numeric < alphanumeric,
 * numbers numerically, strings case-insensitively (ordinal), a shorter label list first.
 *
 * OSV also orders what NuGet refuses: a leading `v` and parts beyond 2^31-1 are read as above (parts
 * compared exactly, as OSV does); more than four parts are ordered by OSV's NuGet comparator
 * (`semver-like.ts`: four components, the rest case-insensitively like a pre-release).
 */
import { compareDigits, compareStrings, Invalid, type CompareResult, type VersionScheme } from './scheme';
import { compareSemverLike, isLenientSemver, parseSemverLike, type SemverLike } from './semver-like';

export interface NuGetVersion {
  /** Undefined when NuGet.Versioning would refuse the version (then only `osv` orders it). */
  native?: { parts: [string, string, string, string]; labels: string[] };
  osv: SemverLike;
}

const PATTERN = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const INT_MAX = '2147483647';

function num(d: string | undefined): string {
  return d === undefined ? '0' : d.replace(/^0+(?=.)/, '');
}

/** NuGet.Versioning's reading, extended to a leading `v` and parts beyond 2^31-1 (compared exactly). */
function parseNative(v: string): NuGetVersion['native'] {
  const m = PATTERN.exec(v.startsWith('v') ? v.slice(1) : v);
  if (!m) return undefined;
  const parts: [string, string, string, string] = [num(m[1]), num(m[2]), num(m[3]), num(m[4])];
  return { parts, labels: m[5] === undefined ? [] : m[5].split('.') };
}

export function parseNuGet(v: string): NuGetVersion | Invalid {
  if (!isLenientSemver(v)) return new Invalid('not a NuGet version (numeric parts, optional -prerelease and +metadata)');
  const native = parseNative(v);
  return { ...(native ? { native } : {}), osv: parseSemverLike(v, 4) };
}

/** int.TryParse: numeric only when it fits an Int32; bigger digit strings compare as text. */
const isNumeric = (s: string): boolean => /^\d+$/.test(s) && compareDigits(s, INT_MAX) <= 0;

function compareLabel(a: string, b: string): CompareResult {
  const an = isNumeric(a);
  const bn = isNumeric(b);
  if (an && bn) return compareDigits(a, b);
  if (an !== bn) return an ? -1 : 1;
  return compareStrings(a.toUpperCase(), b.toUpperCase());
}

function compareNative(a: NonNullable<NuGetVersion['native']>, b: NonNullable<NuGetVersion['native']>): CompareResult {
  for (let i = 0; i < 4; i++) {
    const c = compareDigits(a.parts[i] as string, b.parts[i] as string);
    if (c !== 0) return c;
  }
  const ar = a.labels.length > 0;
  const br = b.labels.length > 0;
  if (ar !== br) return ar ? -1 : 1;
  const n = Math.min(a.labels.length, b.labels.length);
  for (let i = 0; i < n; i++) {
    const c = compareLabel(a.labels[i] as string, b.labels[i] as string);
    if (c !== 0) return c;
  }
  return a.labels.length === b.labels.length ? 0 : a.labels.length < b.labels.length ? -1 : 1;
}

export const nugetScheme: VersionScheme<NuGetVersion> = {
  id: 'nuget',
  rule: 'NuGet version: [v]N[.N[.N[.N…]]][-prerelease][+metadata]',
  parse: parseNuGet,
  compare(a, b) {
    return a.native && b.native ? compareNative(a.native, b.native) : compareSemverLike(a.osv, b.osv, 'nuget');
  },
};
