/**
 * Version comparators per ecosystem (OSV spelling). Each ecosystem maps to one version scheme that follows
 * the ecosystem's own tool (see README.md for the sources, the library used where one is faithful, and the
 * documented quirks). `compareVersions` / `isValidVersion` are the simple API; `getComparator` returns a
 * cached compare function for hot loops.
 */
import { MatchError } from '../errors';
import { apkScheme } from './_internal/apk';
import { cranScheme, isValidCran, type CranVersion } from './_internal/cran';
import { dpkgScheme } from './_internal/dpkg';
import { hackageScheme } from './_internal/hackage';
import { mavenScheme } from './_internal/maven';
import { nugetScheme } from './_internal/nuget';
import { packagistScheme } from './_internal/packagist';
import { parsePep440, pypiScheme } from './_internal/pep440';
import { pubScheme } from './_internal/pub';
import { rpmScheme } from './_internal/rpm';
import { rubygemsScheme } from './_internal/rubygems';
import { Invalid, type CompareResult, type VersionScheme } from './_internal/scheme';
import { goScheme, hexScheme, npmScheme } from './_internal/semver';

export type { CompareResult } from './_internal/scheme';

/** Ecosystem names as OSV spells them, each with its version scheme. */
const ECOSYSTEMS = {
  npm: npmScheme,
  PyPI: pypiScheme,
  Maven: mavenScheme,
  RubyGems: rubygemsScheme,
  Go: goScheme,
  'crates.io': npmScheme,
  NuGet: nugetScheme,
  Packagist: packagistScheme,
  Hex: hexScheme,
  Pub: pubScheme,
  CRAN: cranScheme,
  Hackage: hackageScheme,
  Debian: dpkgScheme,
  Ubuntu: dpkgScheme,
  'Red Hat': rpmScheme,
  SUSE: rpmScheme,
  openSUSE: rpmScheme,
  AlmaLinux: rpmScheme,
  'Rocky Linux': rpmScheme,
  Mageia: rpmScheme,
  openEuler: rpmScheme,
  'Azure Linux': rpmScheme,
  'Photon OS': rpmScheme,
  Alpine: apkScheme,
  Wolfi: apkScheme,
  Chainguard: apkScheme,
  MinimOS: apkScheme,
} as const satisfies Record<string, VersionScheme<unknown>>;

export type Ecosystem = keyof typeof ECOSYSTEMS;

/** The ecosystem names we compare, in a stable (sorted) order. */
export const KNOWN_ECOSYSTEMS: readonly Ecosystem[] = Object.freeze(
  (Object.keys(ECOSYSTEMS) as Ecosystem[]).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)),
);

const BY_LOWER = new Map<string, Ecosystem>(KNOWN_ECOSYSTEMS.map((e) => [e.toLowerCase(), e]));

/**
 * Parse `Debian:12` → { ecosystem: 'Debian', release: '12' }. The ecosystem is everything before the first
 * `:`; a known name is returned in OSV's spelling (matched case-insensitively), an unknown one unchanged.
 */
export function parseEcosystem(name: string): { ecosystem: string; release?: string } {
  const colon = name.indexOf(':');
  const base = (colon < 0 ? name : name.slice(0, colon)).trim();
  const ecosystem = BY_LOWER.get(base.toLowerCase()) ?? base;
  return colon < 0 ? { ecosystem } : { ecosystem, release: name.slice(colon + 1) };
}

export function isKnownEcosystem(name: string): boolean {
  return BY_LOWER.has(parseEcosystem(name).ecosystem.toLowerCase());
}

function schemeOf(name: string): { ecosystem: Ecosystem; scheme: VersionScheme<unknown> } {
  const { ecosystem } = parseEcosystem(name);
  const known = BY_LOWER.get(ecosystem.toLowerCase());
  if (known === undefined) {
    throw new MatchError('unknown-ecosystem', `unknown ecosystem "${name}"; known ecosystems: ${KNOWN_ECOSYSTEMS.join(', ')}`, {
      details: { ecosystem: name, expected: KNOWN_ECOSYSTEMS.join(', ') },
    });
  }
  return { ecosystem: known, scheme: ECOSYSTEMS[known] as VersionScheme<unknown> };
}

function invalidVersion(ecosystem: string, scheme: VersionScheme<unknown>, version: string, reason: string): MatchError {
  return new MatchError('invalid-version', `invalid ${ecosystem} version "${version}": ${reason} (expected ${scheme.rule})`, {
    details: { ecosystem, version, expected: scheme.rule },
  });
}

/** A compare function for one ecosystem; parsed versions are kept in a bounded two-generation cache. */
export type Comparator = (a: string, b: string) => CompareResult;

// Small on purpose: big Maps cost more (hashing, promotion to old space) than re-parsing on a stream of
// mostly new versions; a few thousand entries still catch the repeats of hot loops (one version vs many bounds).
const CACHE_GENERATION = 1024;

function makeComparator(ecosystem: Ecosystem, scheme: VersionScheme<unknown>): Comparator {
  let young = new Map<string, unknown>();
  let old = new Map<string, unknown>();
  const parse = (v: string): unknown => {
    let p = young.get(v);
    if (p === undefined) {
      p = old.get(v) ?? scheme.parse(v);
      if (young.size >= CACHE_GENERATION) {
        old = young;
        young = new Map();
      }
      young.set(v, p);
    }
    if (p instanceof Invalid) throw invalidVersion(ecosystem, scheme, v, p.reason);
    return p;
  };
  return (a, b) => {
    const pa = parse(a);
    const pb = parse(b);
    try {
      return scheme.compare(pa, pb);
    } catch (e) {
      if (e instanceof Invalid) throw invalidVersion(ecosystem, scheme, e.version ?? a, e.reason);
      throw e;
    }
  };
}

/** A new compare function for an ecosystem with its own, empty parse cache (getComparator shares one). */
export function createComparator(ecosystem: string): Comparator {
  const { ecosystem: eco, scheme } = schemeOf(ecosystem);
  return makeComparator(eco, scheme);
}

const comparators = new Map<Ecosystem, Comparator>();

/**
 * The compare function for an ecosystem (`Debian:12` accepted). It throws MatchError('invalid-version')
 * for a version the ecosystem rejects. Throws MatchError('unknown-ecosystem') for an unknown name.
 */
export function getComparator(ecosystem: string): Comparator {
  const { ecosystem: eco, scheme } = schemeOf(ecosystem);
  let c = comparators.get(eco);
  if (c === undefined) {
    c = makeComparator(eco, scheme);
    comparators.set(eco, c);
  }
  return c;
}

/** Compare two versions of one ecosystem. Throws MatchError('invalid-version' | 'unknown-ecosystem'). */
export function compareVersions(ecosystem: string, a: string, b: string): CompareResult {
  return getComparator(ecosystem)(a, b);
}

/**
 * Is this version valid in that ecosystem? For PyPI, PEP 440 versions only (legacy strings are still
 * ordered by compareVersions, before every PEP 440 version). For CRAN, every part must be an integer R can
 * hold. Throws MatchError('unknown-ecosystem') for an unknown name.
 */
export function isValidVersion(ecosystem: string, v: string): boolean {
  const { ecosystem: eco, scheme } = schemeOf(ecosystem);
  if (eco === 'PyPI') return parsePep440(v) !== null;
  const parsed = scheme.parse(v);
  if (parsed instanceof Invalid) return false;
  if (eco === 'CRAN') return isValidCran(parsed as CranVersion);
  return true;
}

/** Sort versions ascending by the ecosystem's order (stable; throws on an invalid version). */
export function sortVersions(ecosystem: string, versions: readonly string[]): string[] {
  const cmp = getComparator(ecosystem);
  return [...versions].sort(cmp);
}
