/**
 * What to look up for one SBOM component: ecosystem + package name derived from its purl (per-ecosystem
 * name rules: npm scopes, Maven group:artifact, Go module paths, PEP 503), the distro release for OS
 * packages, and the source package through which distro feeds name their advisories.
 */
import type { Component, Inventory } from '../core';
import { normalizePackageName, normalizeRelease } from '../advisories/package-key';
import { tryParsePurl, type PurlParts } from '../sbom/purl';

/**
 * How far matching reaches. `default`: a language package owned by a distro-vendor OS package
 * (`Component.ownedBy`) is matched only through that OS package's distro advisories, as Trivy does by
 * default — the distro backports fixes that the upstream version number does not show. `comprehensive`:
 * such packages are matched as language packages too, and their findings carry `ownedBy`.
 */
export type DetectionMode = 'default' | 'comprehensive';
export const DETECTION_MODES: readonly DetectionMode[] = ['default', 'comprehensive'];

export interface LookupTarget {
  family: string;
  nameKey: string;
  /** Display name in the ecosystem's own spelling. */
  name: string;
  /** Release normalized with normalizeRelease, when the component's distro release is known. */
  release?: string;
  /** Version compared against the advisory (the source version for source-package matches). */
  version: string;
  matchedBy: 'purl' | 'source-package';
  /**
   * The binary name of a component whose source package is known and named differently: an advisory
   * entry that names a *source* package of this name is about another package and must not match.
   */
  binaryOnly?: boolean;
}

export interface ComponentTargets {
  purl?: string;
  installedVersion: string;
  targets: LookupTarget[];
}

const LANGUAGE_TYPES: Record<string, string> = {
  npm: 'npm',
  pypi: 'pypi',
  maven: 'maven',
  gem: 'rubygems',
  golang: 'go',
  cargo: 'crates.io',
  nuget: 'nuget',
  composer: 'packagist',
  hex: 'hex',
  pub: 'pub',
  cran: 'cran',
  hackage: 'hackage',
  // Node.js itself (the Node.js Security WG's VEX and core advisories name it pkg:nodejs/node).
  nodejs: 'node.js',
  swift: 'swifturl',
  conan: 'conan',
};

const RPM_NAMESPACES: Record<string, string> = {
  redhat: 'red hat',
  rhel: 'red hat',
  centos: 'red hat',
  suse: 'suse',
  sles: 'suse',
  opensuse: 'opensuse',
  almalinux: 'almalinux',
  alma: 'almalinux',
  rocky: 'rocky linux',
  rockylinux: 'rocky linux',
  fedora: 'fedora',
  mariner: 'mariner',
};

function qualifier(p: PurlParts, key: string): string | undefined {
  const v = p.qualifiers?.[key];
  return typeof v === 'string' && v ? v : undefined;
}

/**
 * A Go toolchain version in the SemVer spelling the Go vulndb uses for `stdlib` and `toolchain`
 * (x/vulndb's conversion): `go1.21rc2` → `1.21.0-rc.2`, `go1.22` / `1.22` → `1.22.0`, `v1.18.1` → `1.18.1`,
 * `go1.20.5 X:boringcrypto` → `1.20.5`. Undefined for what is not a release (`devel go1.22-abc`).
 */
export function goToolchainVersion(version: string): string | undefined {
  const v = version.trim().split(/\s+/)[0] ?? '';
  const m = /^(?:go|v)?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(?:-?)(alpha|beta|rc)\.?(\d+))?$/.exec(v);
  if (!m) return undefined;
  const [, major, minor = '0', patch = '0', pre, n] = m;
  return `${major}.${minor}.${patch}${pre ? `-${pre}.${n}` : ''}`;
}

/** `openssl-1.1.1k-5.el8.src.rpm` → `openssl`; `openssl@1.1.1n-0` → name/version. */
function parseUpstream(type: string, upstream: string): { name: string; version?: string } {
  if (type === 'rpm') {
    const m = /^(.+)-([^-]+)-([^-]+)\.src\.rpm$/.exec(upstream);
    if (m?.[1]) return { name: m[1], version: `${m[2]}-${m[3]}` };
  }
  const at = upstream.indexOf('@');
  return at > 0 ? { name: upstream.slice(0, at), version: upstream.slice(at + 1) } : { name: upstream };
}

function osRelease(inv: Inventory | undefined, family: string): string | undefined {
  const os = inv?.os;
  if (!os?.versionId) return undefined;
  return os.id.toLowerCase() === family || (family === 'red hat' && os.id === 'rhel') ? os.versionId : undefined;
}

const purlCache = new Map<string, PurlParts | null>();

/** Parsed purls, memoized: a worker scanning SBOM after SBOM sees the same purls again. */
function parsePurl(purl: string): PurlParts | null {
  let p = purlCache.get(purl);
  if (p === undefined) {
    if (purlCache.size >= 200_000) purlCache.clear();
    const r = tryParsePurl(purl);
    p = r.ok ? r.parts : null;
    purlCache.set(purl, p);
  }
  return p;
}

/** The Go vulndb files standard-library advisories under `stdlib` and go-command ones under `toolchain`. */
const GO_TOOLCHAIN_PACKAGES = ['stdlib', 'toolchain'];

/**
 * Lookup targets of a component; null when there is nothing to look up: no purl or no version, the
 * project's own root package, or (default detection) a language package an OS package owns.
 */
export function targetsOf(c: Component, inv?: Inventory, detection: DetectionMode = 'default'): ComponentTargets | null {
  if (!c.purl || c.root) return null;
  if (c.ownedBy && detection !== 'comprehensive') return null;
  const p = parsePurl(c.purl);
  if (!p) return null;
  const installedVersion = c.version ?? p.version;
  if (!installedVersion) return null;
  const ns = p.namespace ?? undefined;
  const lang = LANGUAGE_TYPES[p.type];
  if (lang === 'go' && !ns && GO_TOOLCHAIN_PACKAGES.includes(p.name)) {
    const version = goToolchainVersion(installedVersion);
    if (!version) return null;
    return {
      purl: c.purl,
      installedVersion,
      targets: GO_TOOLCHAIN_PACKAGES.map((name) => ({ family: 'go', nameKey: name, name, version, matchedBy: 'purl' as const })),
    };
  }
  if (lang) {
    let name = p.name;
    if (ns) name = lang === 'maven' ? `${ns}:${p.name}` : `${ns}/${p.name}`;
    return { purl: c.purl, installedVersion, targets: [{ family: lang, nameKey: normalizePackageName(lang, name), name, version: installedVersion, matchedBy: 'purl' }] };
  }
  let family: string | undefined;
  if (p.type === 'deb') family = (ns ?? 'debian').toLowerCase();
  else if (p.type === 'apk') family = (ns ?? 'alpine').toLowerCase();
  else if (p.type === 'rpm') family = RPM_NAMESPACES[(ns ?? '').toLowerCase()] ?? (ns ?? '').toLowerCase();
  if (!family) return null;
  const distro = qualifier(p, 'distro') ?? osRelease(inv, family);
  const release = distro ? normalizeRelease(family, distro) : undefined;
  const upstream = qualifier(p, 'upstream');
  const src = c.source ?? (upstream ? parseUpstream(p.type, upstream) : undefined);
  const targets: LookupTarget[] = [];
  const withRelease = (t: Omit<LookupTarget, 'release'>): LookupTarget => (release === undefined ? t : { ...t, release });
  if (src?.name && src.name !== p.name) {
    targets.push(withRelease({ family, nameKey: normalizePackageName(family, src.name), name: src.name, version: src.version ?? installedVersion, matchedBy: 'source-package' }));
  }
  const differentSource = src?.name !== undefined && src.name !== p.name;
  targets.push(
    withRelease({
      family,
      nameKey: normalizePackageName(family, p.name),
      name: p.name,
      version: installedVersion,
      matchedBy: src?.name === p.name ? 'source-package' : 'purl',
      ...(differentSource ? { binaryOnly: true } : {}),
    }),
  );
  return { purl: c.purl, installedVersion, targets };
}
