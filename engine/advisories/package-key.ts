/**
 * Package identity for matching: an ecosystem *family* (the OSV ecosystem without its release, lower
 * case: `debian`, `pypi`, `maven`) and a name normalized the way that ecosystem compares names, so that
 * `Django`, `django` and `DJANGO` (PEP 503) or `@Scope/Pkg` (npm) find the same advisories.
 */
import { DEBIAN_RELEASES } from '../core';

/** `Debian:12` → { family: 'debian', release: '12' }; `PyPI` → { family: 'pypi' }. */
export function splitEcosystem(ecosystem: string): { family: string; base: string; release?: string } {
  const i = ecosystem.indexOf(':');
  const base = (i < 0 ? ecosystem : ecosystem.slice(0, i)).trim();
  const release = i < 0 ? undefined : ecosystem.slice(i + 1).trim() || undefined;
  return release === undefined ? { family: base.toLowerCase(), base } : { family: base.toLowerCase(), base, release };
}

/** Normalize a package name for lookup within an ecosystem family. */
export function normalizePackageName(family: string, name: string): string {
  const n = name.trim();
  switch (family) {
    case 'pypi':
      // PEP 503: runs of -, _ and . are equivalent and names are case-insensitive.
      return n.toLowerCase().replace(/[-_.]+/g, '-');
    case 'go':
      // Go module paths are case-sensitive.
      return n;
    case 'rubygems':
      // Gem names are case-sensitive on rubygems.org.
      return n;
    case 'cpe': {
      // CPE-keyed advisories (NVD, CSAF product trees) index by vendor:product; the version part is matched by ranges.
      const c = parseCpeName(n);
      return c ? `${c.vendor}:${c.product}` : n.toLowerCase();
    }
    case 'crates.io':
      return n.toLowerCase().replace(/_/g, '-');
    default:
      // npm (scopes included), Maven group:artifact, NuGet, Packagist, distro package names: case-insensitive.
      return n.toLowerCase();
  }
}

export function packageKey(ecosystem: string, name: string): { family: string; nameKey: string; release?: string } {
  const { family, release } = splitEcosystem(ecosystem);
  const nameKey = normalizePackageName(family, name);
  return release === undefined ? { family, nameKey } : { family, nameKey, release };
}

const DEBIAN_CODENAMES = DEBIAN_RELEASES;

/**
 * A distro release in one canonical spelling so that an SBOM's `distro=debian-12`, `bookworm` or
 * `12.4` and an advisory's `Debian:12` / `Debian:bookworm` compare equal. Alpine releases become
 * `v3.11`; Debian ones become the major number; others are lower-cased as given.
 */
export function normalizeRelease(family: string, release: string): string {
  let r = release.trim().toLowerCase();
  if (r.startsWith(`${family}-`)) r = r.slice(family.length + 1);
  if (r.startsWith(`${family}:`)) r = r.slice(family.length + 1);
  switch (family) {
    case 'debian': {
      const named = DEBIAN_CODENAMES[r];
      if (named) return named;
      const m = /^(\d+)(?:\.\d+)*$/.exec(r);
      if (m?.[1]) return Number(m[1]) >= 4 ? m[1] : r;
      return r;
    }
    case 'alpine': {
      const m = /^v?(\d+)\.(\d+)/.exec(r);
      return m ? `v${m[1]}.${m[2]}` : r;
    }
    case 'ubuntu': {
      const m = /^(\d+\.\d+)/.exec(r);
      return m?.[1] ?? r;
    }
    default:
      return r;
  }
}

/** `cpe:2.3:a:apache:log4j:2.14.1:*:…` or `cpe:/a:apache:log4j:2.14.1` → { part, vendor, product, version }. */
export function parseCpeName(cpe: string): { part: string; vendor: string; product: string; version?: string } | null {
  const s = cpe.trim();
  let parts: string[];
  if (s.startsWith('cpe:2.3:')) parts = s.slice(8).split(/(?<!\\):/);
  else if (s.startsWith('cpe:/')) parts = s.slice(5).split(':');
  else return null;
  const [part, vendor, product, version] = parts;
  if (!part || !vendor || !product || vendor === '*' || product === '*') return null;
  const unesc = (x: string) => x.replace(/\\(.)/g, '$1').toLowerCase();
  const v = version && version !== '*' && version !== '-' ? unesc(version) : undefined;
  return { part, vendor: unesc(vendor), product: unesc(product), ...(v ? { version: v } : {}) };
}
