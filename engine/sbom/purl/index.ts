/**
 * engine/sbom/purl — Package URL parsing, building and canonical strings.
 *
 * A thin wrapper over `packageurl-js` (decoding, component validation, the type normalizers it knows)
 * that adds what the purl-spec test suite requires and the library does not do (see README.md):
 * the ECMA-427 canonical percent-encoding (`:` stays literal, `+` and the other sub-delims are encoded),
 * the per-type rules of the purl-spec type definitions (namespace required/prohibited, case folding,
 * permitted characters), git's host-only namespace, and a strict mode that refuses non-lowercase
 * qualifier keys. Also maps purl types to OSV ecosystem names.
 */
import { PackageURL } from 'packageurl-js';
import { DEBIAN_RELEASES, StellaError, UBUNTU_RELEASES, type ErrorCategory, type ErrorDetails } from '../../core';
import { PURL_TYPE_RULES } from './_internal/type-rules';

export { PURL_TYPE_RULES, type PurlTypeRule } from './_internal/type-rules';

export type PurlErrorCode = 'invalid-purl';

export class PurlError extends StellaError<PurlErrorCode> {
  readonly module = 'purl';
  constructor(code: PurlErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(code, 'invalid-input' satisfies ErrorCategory, message, options);
    this.name = 'PurlError';
  }
}

/** Decoded purl components (null where absent, as in the purl-spec test suite). */
export interface PurlParts {
  type: string;
  namespace: string | null;
  name: string;
  version: string | null;
  qualifiers: Record<string, string> | null;
  subpath: string | null;
}

/** Input for building: the same components, any of them possibly missing. */
export interface PurlInput {
  type?: string | null;
  namespace?: string | null;
  name?: string | null;
  version?: string | null;
  qualifiers?: Record<string, string> | null;
  subpath?: string | null;
}

export interface PurlParseOptions {
  /**
   * ECMA-427 conformance: qualifier keys must already be lowercase (the spec's "required" tests).
   * Default false: keys are lowercased, as the spec's "recommended" normalization does — real SBOMs
   * contain such purls and refusing them would drop components.
   */
  strict?: boolean;
}

function fail(input: string, reason: string, cause?: unknown): never {
  throw new PurlError('invalid-purl', `invalid purl ${JSON.stringify(input.length > 200 ? `${input.slice(0, 200)}…` : input)}: ${reason}`, {
    cause,
    details: { expected: 'pkg:<type>/<namespace>/<name>@<version>?<qualifiers>#<subpath> (ECMA-427)' },
  });
}

/** ECMA-427 percent-encoding: everything except unreserved characters and ':' is encoded. */
function enc(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%3A/gi, ':');
}

function segments(s: string): string[] {
  return s.split('/').filter((x) => x !== '');
}

/**
 * packageurl-js 2.0.1's own checks for two types refuse purls their type definitions allow: golang throws a
 * ReferenceError (`throws is not defined`) for a `v` followed by a non-SemVer version (`@v1.17`) and adds a
 * rule the definition does not have; conan refuses a `channel` qualifier without a namespace, which the
 * conan definition (user and channel are optional qualifiers) permits (Conan 1 `name/ver@user/channel`).
 * These two are built without the library's type checks; the definitions' rules still apply (applyTypeRules).
 */
const LIBRARY_TYPE_CHECK_SKIPPED = new Set(['golang', 'conan']);

function libraryPurl(type: string | undefined, namespace: string | undefined, name: string | undefined, version: string | undefined, qualifiers: unknown, subpath: string | undefined): PackageURL {
  const t = typeof type === 'string' ? type.trim().toLowerCase() : '';
  if (!LIBRARY_TYPE_CHECK_SKIPPED.has(t)) return new PackageURL(type as string, namespace, name as string, version, qualifiers as never, subpath);
  // neither type has a normalizer in packageurl-js, so building as `generic` then naming the type is exact
  const p = new PackageURL('generic', namespace, name as string, version, qualifiers as never, subpath);
  (p as { type: string }).type = t;
  return p;
}

function fromLibrary(p: PackageURL): PurlParts {
  const q = p.qualifiers && Object.keys(p.qualifiers).length > 0 ? { ...p.qualifiers } : null;
  return {
    type: p.type,
    namespace: p.namespace ?? null,
    name: p.name,
    version: p.version ?? null,
    qualifiers: q,
    subpath: p.subpath ?? null,
  };
}

/**
 * Documented deviation from the golang type definition (namespace required): `pkg:golang/stdlib@…` is what
 * Syft, Trivy, osv-scanner and our bin/go and lang/go analyzers emit for the Go standard library, and the Go
 * vulndb names its packages `stdlib` and `toolchain` with no module path. Refusing them would drop the Go
 * standard library — the vulndb's largest group of advisories — from every scan. See README.md.
 */
export const GOLANG_NAMESPACELESS = new Set(['stdlib', 'toolchain']);

function isNamespaceExempt(p: PurlParts): boolean {
  return p.type === 'golang' && GOLANG_NAMESPACELESS.has(p.name);
}

/** Type-definition rules packageurl-js does not apply (or applies differently). */
function applyTypeRules(parts: PurlParts, input: string): PurlParts {
  const out = { ...parts };
  if (out.type === 'git' && out.namespace !== null && out.namespace.includes('/')) {
    // git: the namespace is the host only; the repository path (owner/repo) is the name.
    const [host, ...rest] = segments(out.namespace);
    out.namespace = host ?? null;
    out.name = [...rest, out.name].join('/');
  }
  const rule = PURL_TYPE_RULES[out.type];
  if (!rule) return out;
  if (rule.namespace === 'prohibited' && out.namespace !== null) fail(input, `type "${out.type}" must not have a namespace`);
  if (rule.namespace === 'required' && out.namespace === null && !isNamespaceExempt(out)) fail(input, `type "${out.type}" requires a namespace`);
  if (rule.lowerNamespace && out.namespace !== null) out.namespace = out.namespace.toLowerCase();
  if (rule.lowerName) out.name = out.name.toLowerCase();
  if (rule.lowerVersion && out.version !== null) out.version = out.version.toLowerCase();
  if (rule.namePattern && !rule.namePattern.test(out.name)) fail(input, `name ${JSON.stringify(out.name)} of type "${out.type}" must match ${String(rule.namePattern)}`);
  if (rule.versionPattern && out.version !== null && !rule.versionPattern.test(out.version)) {
    fail(input, `version ${JSON.stringify(out.version)} of type "${out.type}" must match ${String(rule.versionPattern)}`);
  }
  for (const k of rule.requiredQualifiers ?? []) if (!out.qualifiers?.[k]) fail(input, `type "${out.type}" requires the qualifier "${k}"`);
  if (out.type === 'cpan' && out.name.includes('::')) fail(input, 'a CPAN distribution name must not contain "::" (that is a module name)');
  return out;
}

/** Parse a purl string into decoded, normalized components. Throws PurlError (invalid-input). */
export function parsePurl(input: string, opts: PurlParseOptions = {}): PurlParts {
  if (typeof input !== 'string' || input.trim() === '') fail(String(input), 'empty');
  if (opts.strict) {
    let raw: ReturnType<typeof PackageURL.parseString>;
    try {
      raw = PackageURL.parseString(input);
    } catch (e) {
      fail(input, (e as Error).message, e);
    }
    const q = raw[4] as unknown;
    if (q instanceof URLSearchParams) {
      for (const k of q.keys()) if (k !== k.toLowerCase()) fail(input, `qualifier key ${JSON.stringify(k)} must be lowercase`);
    }
  }
  // ECMA-427 splits the version at the last '@': `pkg:julia/@1.9.0` has an empty name, which
  // packageurl-js instead reads as the name "@1.9.0" (it tolerates npm scopes written with a raw '@').
  const path = input.replace(/^[^:]*:/, '').replace(/[#?].*$/s, '');
  const at = path.lastIndexOf('@');
  if (at > 0 && path[at - 1] === '/' && !path.slice(at + 1).includes('/')) fail(input, 'the name is empty');
  let p: PackageURL;
  try {
    const raw = PackageURL.parseString(input) as [string | undefined, string | undefined, string | undefined, string | undefined, unknown, string | undefined];
    p = libraryPurl(...raw);
  } catch (e) {
    fail(input, (e as Error).message, e);
  }
  return applyTypeRules(fromLibrary(p), input);
}

/** The canonical ECMA-427 string of decoded components (which must already be normalized). */
export function formatPurl(parts: PurlParts): string {
  let s = `pkg:${parts.type}/`;
  if (parts.namespace !== null) {
    const ns = segments(parts.namespace).map(enc).join('/');
    if (ns) s += `${ns}/`;
  }
  s += parts.type === 'git' ? segments(parts.name).map(enc).join('/') : enc(parts.name);
  if (parts.version !== null) s += `@${enc(parts.version)}`;
  if (parts.qualifiers) {
    const q = Object.keys(parts.qualifiers)
      .filter((k) => parts.qualifiers![k] !== '')
      .sort()
      .map((k) => `${k}=${enc(parts.qualifiers![k]!)}`);
    if (q.length) s += `?${q.join('&')}`;
  }
  if (parts.subpath !== null) {
    const sub = segments(parts.subpath)
      .filter((x) => x !== '.' && x !== '..')
      .map(enc)
      .join('/');
    if (sub) s += `#${sub}`;
  }
  return s;
}

/** Build the canonical purl string from components. Throws PurlError when a component is invalid. */
export function buildPurl(input: PurlInput): string {
  const label = JSON.stringify(input);
  if (!input.type) fail(label, 'a type is required');
  if (!input.name) fail(label, 'a name is required');
  let p: PackageURL;
  try {
    p = libraryPurl(input.type, input.namespace ?? undefined, input.name, input.version ?? undefined, input.qualifiers ?? undefined, input.subpath ?? undefined);
  } catch (e) {
    fail(label, (e as Error).message, e);
  }
  return formatPurl(applyTypeRules(fromLibrary(p), label));
}

/** Canonical form of a purl string. */
export function canonicalizePurl(input: string, opts: PurlParseOptions = {}): string {
  return formatPurl(parsePurl(input, opts));
}

export type PurlResult = { ok: true; purl: string; parts: PurlParts } | { ok: false; error: string };

/** Non-throwing parse for ingest paths that keep invalid purls as data. */
export function tryParsePurl(input: string, opts: PurlParseOptions = {}): PurlResult {
  try {
    const parts = parsePurl(input, opts);
    return { ok: true, purl: formatPurl(parts), parts };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/** OSV ecosystem of a package (and the distribution release, for OS packages). */
export interface PurlEcosystem {
  /** OSV `affected[].package.ecosystem` name without release suffix (`Debian`, `PyPI`). */
  ecosystem: string;
  /** Distribution release from the `distro=` qualifier (`12`, `22.04`, `3.18`), when known. */
  release?: string;
}

const LANGUAGE_ECOSYSTEMS: Readonly<Record<string, string>> = {
  npm: 'npm',
  pypi: 'PyPI',
  maven: 'Maven',
  gem: 'RubyGems',
  golang: 'Go',
  cargo: 'crates.io',
  nuget: 'NuGet',
  composer: 'Packagist',
  hex: 'Hex',
  pub: 'Pub',
  cran: 'CRAN',
  hackage: 'Hackage',
  swift: 'SwiftURL',
  conan: 'ConanCenter',
  bitnami: 'Bitnami',
};

/** Distribution namespace (purl namespace, lowercase) → OSV ecosystem, per package type. */
const DISTRO_ECOSYSTEMS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  deb: { debian: 'Debian', ubuntu: 'Ubuntu' },
  rpm: {
    redhat: 'Red Hat',
    rhel: 'Red Hat',
    suse: 'SUSE',
    sles: 'SUSE',
    opensuse: 'openSUSE',
    rocky: 'Rocky Linux',
    'rocky-linux': 'Rocky Linux',
    almalinux: 'AlmaLinux',
    mageia: 'Mageia',
    openeuler: 'openEuler',
    photon: 'Photon OS',
    azurelinux: 'Azure Linux',
  },
  apk: { alpine: 'Alpine', wolfi: 'Wolfi', chainguard: 'Chainguard' },
};

const DEBIAN_CODENAMES = DEBIAN_RELEASES;
const UBUNTU_CODENAMES = UBUNTU_RELEASES;

function releaseOf(ecosystem: string, namespace: string, distro: string | undefined): string | undefined {
  if (!distro) return undefined;
  let d = distro.trim().toLowerCase();
  for (const prefix of [`${namespace}-`, `${ecosystem.toLowerCase()}-`]) if (d.startsWith(prefix)) d = d.slice(prefix.length);
  if (ecosystem === 'Debian') return DEBIAN_CODENAMES[d] ?? (/^\d+/.exec(d)?.[0] || undefined);
  if (ecosystem === 'Ubuntu') return UBUNTU_CODENAMES[d] ?? (/^\d+\.\d+/.exec(d)?.[0] || undefined);
  if (ecosystem === 'Alpine') return /^v?(\d+\.\d+)/.exec(d)?.[1];
  return d || undefined;
}

/** OSV ecosystem for a purl (string or parts); undefined when OSV has no ecosystem for it. */
export function purlEcosystem(purl: string | PurlParts): PurlEcosystem | undefined {
  const p = typeof purl === 'string' ? tryParsePurl(purl) : { ok: true as const, parts: purl };
  if (!p.ok) return undefined;
  const { type, namespace, qualifiers } = p.parts;
  const lang = LANGUAGE_ECOSYSTEMS[type];
  if (lang) return { ecosystem: lang };
  const distros = DISTRO_ECOSYSTEMS[type];
  if (!distros || namespace === null) return undefined;
  const ns = namespace.toLowerCase();
  const ecosystem = distros[ns];
  if (!ecosystem) return undefined;
  const release = releaseOf(ecosystem, ns, qualifiers?.distro);
  return release === undefined ? { ecosystem } : { ecosystem, release };
}
