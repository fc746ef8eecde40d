/**
 * OSV range evaluation (https://ossf.github.io/osv-schema/ "Evaluation"): a version is affected by a
 * range when, walking the range's events in version order, the last `introduced` at or below it is not
 * followed by a `fixed` at or below it or a `last_affected` below it; with `limit` events the version
 * must also be below a limit. Explicit `versions` match exactly. GIT ranges cannot be evaluated against
 * package versions and are skipped with a recorded reason. Every comparison that decided the outcome is
 * kept as evidence.
 */
import semver from 'semver';
import type { AffectedPackage, AffectedRange, RangeEvent, VersionComparison } from '../core';
import { getComparator } from './versions';

export type Compare = (a: string, b: string) => -1 | 0 | 1;

export interface RangeVerdict {
  affected: boolean;
  /** The range (or explicit version / semver range) that decided a match. */
  range?: { type: string; events: Record<string, string>[] };
  explicitVersion?: string;
  semverRange?: string;
  comparisons: VersionComparison[];
  /** `fixed` versions of the matching ranges (or of all ranges when none matched). */
  fixedVersions: string[];
  /** Why ranges could not be evaluated (GIT ranges, unparsable versions). */
  skipped: string[];
}

type EventName = 'introduced' | 'fixed' | 'last_affected' | 'limit';

function eventOf(e: RangeEvent): { name: EventName; version: string } {
  if ('introduced' in e) return { name: 'introduced', version: e.introduced };
  if ('fixed' in e) return { name: 'fixed', version: e.fixed };
  if ('last_affected' in e) return { name: 'last_affected', version: e.last_affected };
  return { name: 'limit', version: e.limit };
}

const semverCache = new Map<string, semver.SemVer | null>();

function parseSemver(v: string): semver.SemVer | null {
  let p = semverCache.get(v);
  if (p === undefined) {
    if (semverCache.size > 50_000) semverCache.clear();
    p = semver.parse(v.replace(/^v/, ''), { loose: true });
    semverCache.set(v, p);
  }
  return p;
}

function semverCompare(a: string, b: string): -1 | 0 | 1 {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (!pa || !pb) throw new Error(`not a SemVer version: ${!pa ? a : b}`);
  return semver.compare(pa, pb) as -1 | 0 | 1;
}

/**
 * CPE version fields follow no one scheme: compare dot/dash-separated parts, numerically where both are
 * numbers, else as text (a documented approximation used only for opt-in CPE matching).
 */
export function genericCompare(a: string, b: string): -1 | 0 | 1 {
  const pa = a.toLowerCase().split(/[.\-_+:~]/);
  const pb = b.toLowerCase().split(/[.\-_+:~]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x === y) continue;
    if (x === '') return -1;
    if (y === '') return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d < 0 ? -1 : 1;
      continue;
    }
    if (nx !== ny) return nx ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** The comparator for a range type in an ecosystem: SEMVER ranges compare as SemVer 2.0 whatever the ecosystem. */
const comparatorCache = new Map<string, Compare>();

export function comparatorFor(rangeType: string, ecosystem: string): Compare {
  if (rangeType === 'SEMVER') return semverCompare;
  let c = comparatorCache.get(ecosystem);
  if (!c) {
    c = ecosystem.toLowerCase() === 'cpe' ? genericCompare : getComparator(ecosystem);
    comparatorCache.set(ecosystem, c);
  }
  return c;
}

const isZero = (v: string) => v === '0';

/** Events of a range in version order, computed once per range object and comparator. */
const sortedEventsCache = new WeakMap<AffectedRange, { cmp: Compare; events: { name: EventName; version: string }[] }>();

function sortedEvents(range: AffectedRange, cmp: Compare): { name: EventName; version: string }[] {
  const hit = sortedEventsCache.get(range);
  if (hit && hit.cmp === cmp) return hit.events;
  const events = range.events.map(eventOf);
  // Sort events by version; `introduced: 0` is below everything.
  const sorted = [...events].sort((x, y) => {
    if (isZero(x.version) && x.name === 'introduced') return isZero(y.version) && y.name === 'introduced' ? 0 : -1;
    if (isZero(y.version) && y.name === 'introduced') return 1;
    return cmp(x.version, y.version);
  });
  sortedEventsCache.set(range, { cmp, events: sorted });
  return sorted;
}

/** Evaluate one range; throws when a version cannot be compared (the caller records the reason). */
export function evaluateRange(version: string, range: AffectedRange, cmp: Compare): { affected: boolean; comparisons: VersionComparison[] } {
  const sorted = sortedEvents(range, cmp);
  const comparisons: VersionComparison[] = [];
  const note = (op: VersionComparison['op'], right: string, result: boolean, event: VersionComparison['event']) => comparisons.push({ left: version, op, right, result, event });
  let affected = false;
  for (const ev of sorted) {
    switch (ev.name) {
      case 'introduced': {
        const ok = isZero(ev.version) || cmp(version, ev.version) >= 0;
        note('>=', ev.version, ok, 'introduced');
        if (ok) affected = true;
        break;
      }
      case 'fixed': {
        const ge = cmp(version, ev.version) >= 0;
        note('>=', ev.version, ge, 'fixed');
        if (ge) affected = false;
        break;
      }
      case 'last_affected': {
        const gt = cmp(version, ev.version) > 0;
        note('>', ev.version, gt, 'last_affected');
        if (gt) affected = false;
        break;
      }
      case 'limit':
        break;
    }
  }
  if (affected) {
    const limits = sorted.filter((e) => e.name === 'limit');
    if (limits.length) {
      const below = limits.map((l) => {
        const lt = cmp(version, l.version) < 0;
        note('<', l.version, lt, 'limit');
        return lt;
      });
      if (!below.some(Boolean)) affected = false;
    }
  }
  return { affected, comparisons };
}

function rangeJson(r: AffectedRange): { type: string; events: Record<string, string>[] } {
  return { type: r.type, events: r.events.map((e) => ({ ...e }) as Record<string, string>) };
}

interface VersionIndex {
  exact: Set<string>;
  /** Valid versions sorted by the ecosystem's order, for a binary search of "equal but spelled differently". */
  sorted: string[];
  cmp: Compare | null;
}

/** Per affected-package index of its explicit versions (advisories list hundreds; scans ask thousands of times). */
const versionIndexes = new WeakMap<AffectedPackage, VersionIndex>();

function indexOf(ecosystem: string, pkg: AffectedPackage): VersionIndex {
  let ix = versionIndexes.get(pkg);
  if (ix) return ix;
  let cmp: Compare | null = null;
  try {
    cmp = comparatorFor('ECOSYSTEM', ecosystem);
  } catch {
    cmp = null;
  }
  const valid: string[] = [];
  if (cmp) {
    for (const v of pkg.versions) {
      try {
        cmp(v, v);
        valid.push(v);
      } catch {
        /* not a version of this ecosystem: only an exact match can hit it */
      }
    }
    const c = cmp;
    valid.sort((a, b) => c(a, b));
  }
  ix = { exact: new Set(pkg.versions), sorted: valid, cmp };
  versionIndexes.set(pkg, ix);
  return ix;
}

function explicitVersionMatch(version: string, ecosystem: string, pkg: AffectedPackage): string | undefined {
  if (!pkg.versions.length) return undefined;
  const ix = indexOf(ecosystem, pkg);
  if (ix.exact.has(version)) return version;
  if (!ix.cmp || !ix.sorted.length) return undefined;
  let lo = 0;
  let hi = ix.sorted.length - 1;
  try {
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = ix.cmp(version, ix.sorted[mid] as string);
      if (c === 0) return ix.sorted[mid];
      if (c < 0) hi = mid - 1;
      else lo = mid + 1;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Is `version` affected according to one affected-package entry? */
export function evaluateAffected(version: string, ecosystem: string, pkg: AffectedPackage & { semverRange?: string }): RangeVerdict {
  const skipped: string[] = [];
  // Computed only for a match (most evaluations are misses).
  const allFixedOf = (): string[] => {
    const set = new Set<string>();
    for (const r of pkg.ranges) if (r.type !== 'GIT') for (const e of r.events) if ('fixed' in e) set.add(e.fixed);
    return [...set].sort();
  };
  const fixedOf = (r: AffectedRange) => r.events.flatMap((e) => ('fixed' in e ? [e.fixed] : []));

  // GIT ranges name commits, not versions: record why each is skipped, whatever else decides.
  for (const r of pkg.ranges) {
    if (r.type === 'GIT') skipped.push(`GIT range${r.repo ? ` of ${r.repo}` : ''} skipped: commit ranges cannot be evaluated against a package version`);
  }

  // Explicit versions: exact string, or equal under the ecosystem's ordering (PEP 440 `1.0` == `1.0.0`).
  const v = explicitVersionMatch(version, ecosystem, pkg);
  if (v !== undefined) {
    return { affected: true, explicitVersion: v, comparisons: [{ left: version, op: '=', right: v, result: true, event: 'version' }], fixedVersions: allFixedOf(), skipped };
  }

  for (const r of pkg.ranges) {
    if (r.type === 'GIT') continue;
    try {
      const { affected, comparisons } = evaluateRange(version, r, comparatorFor(r.type, ecosystem));
      if (affected) return { affected: true, range: rangeJson(r), comparisons, fixedVersions: [...new Set(fixedOf(r))].sort(), skipped };
    } catch (e) {
      skipped.push(`${r.type} range ${JSON.stringify(r.events)} skipped: ${(e as Error).message}`);
    }
  }

  if (pkg.semverRange) {
    const v = semver.coerce(version, { loose: true }) && semver.valid(version, { loose: true }) ? version : null;
    if (v === null) skipped.push(`semver range ${pkg.semverRange} skipped: ${version} is not a SemVer version`);
    else {
      const ok = semver.satisfies(v, pkg.semverRange, { loose: true, includePrerelease: false });
      if (ok) {
        return {
          affected: true,
          semverRange: pkg.semverRange,
          comparisons: [{ left: version, op: '=', right: `satisfies ${pkg.semverRange}`, result: true }],
          fixedVersions: allFixedOf(),
          skipped,
        };
      }
    }
  }
  return { affected: false, comparisons: [], fixedVersions: [], skipped };
}
