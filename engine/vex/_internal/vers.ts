/**
 * `vers:` version ranges (the purl project's version range specifier, used by CycloneDX
 * `affects[].versions[].range`), evaluated with the ecosystem comparators of engine/match.
 * The algorithm is the specification's: equality constraints first, then contiguous pairs of the
 * sorted constraints.
 */
import { comparatorFor, type Compare } from '../../match';

type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface VersRange {
  scheme: string;
  /** `*` matches every version. */
  any: boolean;
  constraints: { op: Op; version: string }[];
}

/** vers scheme → the ecosystem name engine/match compares in. */
const SCHEME_ECOSYSTEM: Readonly<Record<string, string>> = {
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
  deb: 'Debian',
  rpm: 'Red Hat',
  apk: 'Alpine',
  alpine: 'Alpine',
};

export function parseVers(text: string): VersRange | null {
  const m = /^vers:([a-z0-9.+-]+)\/(.*)$/i.exec(text.trim());
  if (!m) return null;
  const scheme = (m[1] as string).toLowerCase();
  const body = (m[2] as string).replace(/\s+/g, '');
  if (body === '*') return { scheme, any: true, constraints: [] };
  const constraints: VersRange['constraints'] = [];
  for (const part of body.split('|')) {
    if (!part) return null;
    const cm = /^(!=|<=|>=|<|>|=)?(.+)$/.exec(part);
    if (!cm) return null;
    const version = decodeURIComponent(cm[2] as string);
    if (!version || version === '*') return null;
    constraints.push({ op: (cm[1] ?? '=') as Op, version });
  }
  return constraints.length ? { scheme, any: false, constraints } : null;
}

/** The comparator of a vers scheme: semver for `semver`, the ecosystem's for known schemes, else dotted-numeric. */
export function versComparator(scheme: string): Compare {
  if (scheme === 'semver') return comparatorFor('SEMVER', 'npm');
  const eco = SCHEME_ECOSYSTEM[scheme];
  // `generic` and unknown schemes: dot/dash-separated parts, numeric where both are numbers.
  return eco ? comparatorFor('ECOSYSTEM', eco) : comparatorFor('ECOSYSTEM', 'CPE');
}

/** Is `version` inside the range? Throws when a version cannot be compared in the scheme. */
export function versContains(range: VersRange, version: string, cmp: Compare = versComparator(range.scheme)): boolean {
  if (range.any) return true;
  for (const c of range.constraints) {
    if (cmp(version, c.version) !== 0) continue;
    if (c.op === '=' || c.op === '<=' || c.op === '>=') return true;
    if (c.op === '!=') return false;
  }
  const ordered = range.constraints.filter((c) => c.op !== '=' && c.op !== '!=').sort((a, b) => cmp(a.version, b.version));
  if (!ordered.length) return false;
  const first = ordered[0]!;
  const last = ordered[ordered.length - 1]!;
  const below = (c: { op: Op }) => c.op === '<' || c.op === '<=';
  const above = (c: { op: Op }) => c.op === '>' || c.op === '>=';
  if (below(first) && cmp(version, first.version) < 0) return true;
  if (above(last) && cmp(version, last.version) > 0) return true;
  for (let i = 0; i + 1 < ordered.length; i++) {
    const cur = ordered[i]!;
    const next = ordered[i + 1]!;
    if (above(cur) && below(next) && cmp(version, cur.version) > 0 && cmp(version, next.version) < 0) return true;
  }
  return false;
}
