/**
 * Scanning an inventory against the advisory store as of one snapshot. Findings are content-addressed,
 * carry the evidence that decided them (raw document, range, comparisons) and are stored with the scan
 * record (including the snapshot used) so the UI and `explainFinding` can show them later.
 */
import {
  sha256Hex,
  throwIfCancelled,
  yieldAndCheck,
  type Clock,
  type Component,
  type Finding,
  type IdSource,
  type Inventory,
  type MatchEvidence,
  type Observation,
  type SeverityAsGiven,
  type SeverityLevel,
} from '../core';
import type { Store } from '../store';
import { AdvisoryError } from '../advisories/errors';
import { normalizeRelease, splitEcosystem } from '../advisories/package-key';
import { normalizeSeverity } from '../advisories/severity';
import { resolveSnapshot, type SnapshotInfo } from '../advisories/snapshots';
import { openAdvisoryView, type AdvisoryView } from '../advisories/view';
import { evaluateAffected } from './ranges';
import { targetsOf, type DetectionMode, type LookupTarget } from './targets';
import { cpeMatches } from './cpe';

export interface ScanOptions {
  /** What was scanned (SBOM name or digest). */
  subject: string;
  sbomId?: string;
  /** Snapshot id to scan as of; default the current state. */
  snapshot?: string;
  clock: Clock;
  ids: IdSource;
  /** Also match components by their CPEs against CPE-keyed advisories (off by default). */
  cpe?: boolean;
  /** `comprehensive` also matches language packages that an OS package owns (default: only through the OS package). */
  detection?: DetectionMode;
  signal?: AbortSignal;
  /** Components matched so far (reported between chunks, and once at the end). */
  onProgress?(done: number, total?: number): void;
  /** Store the scan (default true). */
  persist?: boolean;
}

export interface ScanSummary {
  components: number;
  componentsMatched: number;
  findings: number;
  bySeverity: Record<SeverityLevel, number>;
  kev: number;
  fixable: number;
  withdrawnExcluded: number;
  /** Ranges that could not be evaluated (GIT ranges, unparsable versions), first 100. */
  skippedRanges: { advisoryId: string; component: string; reason: string }[];
  skippedRangeCount: number;
}

export interface ScanResult {
  id: string;
  subject: string;
  sbomId?: string;
  snapshot: string;
  createdAt: string;
  options: { cpe: boolean; detection: DetectionMode };
  summary: ScanSummary;
  findings: Finding[];
}

const LEVELS: SeverityLevel[] = ['critical', 'high', 'medium', 'low', 'none', 'unknown'];
const CVE_RE = /^CVE-\d{4}-\d+$/i;

/** Vulnerability ids an observation stands for: each CVE it names, else its GHSA id, else its own id. */
function vulnerabilityIdsOf(o: Observation): { vulnId: string; aliases: string[] }[] {
  const ids = [...new Set([o.advisoryId, ...o.aliases].map((s) => s.trim()).filter(Boolean))];
  const cves = [...new Set(ids.filter((i) => CVE_RE.test(i)).map((i) => i.toUpperCase()))].sort();
  if (cves.length) {
    const others = ids.filter((i) => !CVE_RE.test(i));
    return cves.map((c) => ({ vulnId: c, aliases: others }));
  }
  const ghsa = ids.filter((i) => /^GHSA-/i.test(i)).sort()[0];
  const vulnId = ghsa ?? o.advisoryId;
  return [{ vulnId, aliases: ids.filter((i) => i !== vulnId) }];
}

const releaseCache = new Map<string, string | null>();

/** The advisory ecosystem's release in normalized spelling (`Debian:bullseye` → `11`), memoized. */
function advisoryRelease(advisoryEcosystem: string): string | null {
  let r = releaseCache.get(advisoryEcosystem);
  if (r === undefined) {
    const { family, release } = splitEcosystem(advisoryEcosystem);
    r = release === undefined ? null : normalizeRelease(family, release);
    releaseCache.set(advisoryEcosystem, r);
  }
  return r;
}

function releaseOk(target: LookupTarget, advisoryEcosystem: string): boolean {
  if (target.release === undefined) return true;
  const r = advisoryRelease(advisoryEcosystem);
  return r === null || r === target.release;
}

/**
 * Range verdicts per (observation, affected entry, version). Observations are shared by every scan of
 * one advisory view, and a verdict is a pure function of those three, so a warm scan — the same or an
 * overlapping inventory against the same snapshot — re-uses them instead of re-running the comparisons.
 */
const verdicts = new WeakMap<Observation, Map<string, ReturnType<typeof evaluateAffected>>>();

function affectedVerdict(o: Observation, pkgIndex: number, version: string, pkg: Observation['affected'][number]): ReturnType<typeof evaluateAffected> {
  let memo = verdicts.get(o);
  if (!memo) {
    memo = new Map();
    verdicts.set(o, memo);
  }
  const key = `${pkgIndex}\u0000${version}`;
  let v = memo.get(key);
  if (!v) {
    v = evaluateAffected(version, pkg.ecosystem, pkg);
    memo.set(key, v);
  }
  return v;
}

interface Acc {
  component: Component;
  purl?: string;
  packageName: string;
  ecosystem: string;
  installedVersion: string;
  vulnId: string;
  aliases: Set<string>;
  fixed: Set<string>;
  given: Map<string, SeverityAsGiven>;
  evidence: MatchEvidence[];
}

interface MatchSummary {
  withdrawnExcluded: number;
  skipped: ScanSummary['skippedRanges'];
  skippedCount: number;
  matchedComponents: Set<string>;
}

/**
 * Components matched between two yields to the event loop. Small enough that a cancel is seen within
 * milliseconds (a chunk of ordinary components takes ~5 ms), large enough that yielding costs nothing.
 */
export const MATCH_CHUNK = 128;

/**
 * Match every component of the inventory against the advisories visible in the snapshot. Yields to the
 * event loop every MATCH_CHUNK components and stops with a `cancelled` error when `signal` aborts.
 */
export async function matchInventory(view: AdvisoryView, inventory: Inventory, opts: Pick<ScanOptions, 'cpe' | 'detection' | 'signal' | 'onProgress'>) {
  const acc = new Map<string, Acc>();
  const summary: MatchSummary = { withdrawnExcluded: 0, skipped: [], skippedCount: 0, matchedComponents: new Set<string>() };
  const components = inventory.components;
  for (let idx = 0; idx < components.length; idx++) {
    if (idx % MATCH_CHUNK === 0) {
      opts.onProgress?.(idx, components.length);
      await yieldAndCheck(opts.signal);
    }
    matchComponent(view, inventory, components[idx] as Component, opts.cpe === true, opts.detection ?? 'default', acc, summary);
  }
  opts.onProgress?.(components.length, components.length);
  return { acc, summary };
}

function matchComponent(view: AdvisoryView, inventory: Inventory, c: Component, cpe: boolean, detection: DetectionMode, acc: Map<string, Acc>, summary: MatchSummary): void {
  const t = targetsOf(c, inventory, detection);
  const seenObs = new Set<string>();
  const consider = (o: Observation, pkgIndexes: number[], target: { name: string; version: string; matchedBy: MatchEvidence['matchedBy'] }, release?: LookupTarget) => {
    if (seenObs.has(o.id)) return;
    for (const pi of pkgIndexes) {
      const pkg = o.affected[pi];
      if (!pkg) continue;
      if (release && !releaseOk(release, pkg.ecosystem)) continue;
      if (release?.binaryOnly && pkg.isSourcePackage) continue;
      const verdict = affectedVerdict(o, pi, target.version, pkg);
      for (const reason of verdict.skipped) {
        summary.skippedCount++;
        if (summary.skipped.length < 100) summary.skipped.push({ advisoryId: o.advisoryId, component: c.purl ?? c.ref, reason });
      }
      if (!verdict.affected) continue;
      if (o.withdrawn) {
        summary.withdrawnExcluded++;
        seenObs.add(o.id);
        return;
      }
      seenObs.add(o.id);
      summary.matchedComponents.add(c.ref);
      const ev: MatchEvidence = {
        rawDocument: { digest: o.raw.digest, source: o.raw.source, uri: o.raw.uri },
        observationId: o.id,
        advisoryId: o.advisoryId,
        ecosystem: pkg.ecosystem,
        packageName: pkg.name,
        matchedBy: target.matchedBy,
        ...(verdict.range ? { range: verdict.range } : {}),
        ...(verdict.explicitVersion !== undefined ? { explicitVersion: verdict.explicitVersion } : {}),
        ...(verdict.semverRange !== undefined ? { range: { type: 'SEMVER-RANGE', events: [{ satisfies: verdict.semverRange }] } } : {}),
        comparisons: verdict.comparisons,
      };
      for (const { vulnId, aliases } of vulnerabilityIdsOf(o)) {
        const key = `${c.ref}\u0000${vulnId}`;
        let a = acc.get(key);
        if (!a) {
          a = {
            component: c,
            ...(t?.purl ? { purl: t.purl } : c.purl ? { purl: c.purl } : {}),
            packageName: target.name,
            ecosystem: pkg.ecosystem,
            installedVersion: t?.installedVersion ?? c.version ?? '',
            vulnId,
            aliases: new Set(),
            fixed: new Set(),
            given: new Map(),
            evidence: [],
          };
          acc.set(key, a);
        }
        for (const al of aliases) if (al !== vulnId) a.aliases.add(al);
        for (const f of verdict.fixedVersions) a.fixed.add(f);
        for (const s of o.severities) a.given.set(`${s.type}\u0000${s.score}\u0000${s.source ?? o.source}`, { ...s, source: s.source ?? o.source });
        a.evidence.push(ev);
      }
      return;
    }
  };
  if (t) {
    for (const target of t.targets) {
      for (const { stored, pkgIndexes } of view.byPackage(target.family, target.nameKey)) {
        consider(stored.observation, pkgIndexes, target, target);
      }
    }
  }
  if (cpe && c.cpes.length && c.version && !c.root && (!c.ownedBy || detection === 'comprehensive')) {
    for (const m of cpeMatches(view, c)) consider(m.observation, m.pkgIndexes, { name: m.name, version: c.version, matchedBy: 'cpe' });
  }
}

/**
 * `contentId('fnd', {componentRef, installedVersion, purl, vulnerabilityId})`, computed without the generic
 * canonicalizer: for an object of strings (and null) RFC 8785 is the keys in code-unit order with
 * JSON.stringify'd values, so the bytes — and the id — are the same, at a fraction of the cost.
 */
export function findingId(componentRef: string, purl: string | null, installedVersion: string, vulnerabilityId: string): string {
  const canonical = `{"componentRef":${JSON.stringify(componentRef)},"installedVersion":${JSON.stringify(installedVersion)},"purl":${purl === null ? 'null' : JSON.stringify(purl)},"vulnerabilityId":${JSON.stringify(vulnerabilityId)}}`;
  return `fnd_${sha256Hex(canonical).slice(0, 24)}`;
}

const severityMemo = new Map<string, ReturnType<typeof normalizeSeverity>>();

/** normalizeSeverity memoized by its (sorted) input: thousands of findings share a few hundred vectors. */
function normalizedSeverityOf(given: readonly SeverityAsGiven[]): ReturnType<typeof normalizeSeverity> {
  const key = given.map((g) => `${g.type}\u0000${g.score}`).join('\u0001');
  let n = severityMemo.get(key);
  if (!n) {
    if (severityMemo.size >= 100_000) severityMemo.clear();
    n = normalizeSeverity(given);
    severityMemo.set(key, n);
  }
  return n;
}

export function buildFindings(view: AdvisoryView, acc: Map<string, Acc>): Finding[] {
  const findings: Finding[] = [];
  for (const a of acc.values()) {
    const given = [...a.given.values()].sort((x, y) => cmp(`${x.type} ${x.score} ${x.source ?? ''}`, `${y.type} ${y.score} ${y.source ?? ''}`));
    const norm = normalizedSeverityOf(given);
    const ids = [a.vulnId, ...a.aliases];
    const kev = ids.some((i) => CVE_RE.test(i) && view.kev(i) !== undefined);
    const epssId = ids.find((i) => CVE_RE.test(i) && view.epss(i) !== undefined);
    const epss = epssId ? view.epss(epssId) : undefined;
    const evidence = [...a.evidence].sort((x, y) => cmp(x.rawDocument.source, y.rawDocument.source) || cmp(x.advisoryId, y.advisoryId) || cmp(x.observationId, y.observationId));
    findings.push({
      id: findingId(a.component.ref, a.purl ?? null, a.installedVersion, a.vulnId),
      vulnerabilityId: a.vulnId,
      aliases: [...a.aliases].sort(),
      componentRef: a.component.ref,
      ...(a.purl ? { purl: a.purl } : {}),
      packageName: a.packageName,
      ecosystem: a.ecosystem,
      installedVersion: a.installedVersion,
      fixedVersions: [...a.fixed].sort(),
      severity: { given, score: norm.score, level: norm.level },
      kev,
      ...(epss ? { epss: { score: epss.score, ...(epss.percentile !== undefined ? { percentile: epss.percentile } : {}) } } : {}),
      evidence,
      ...(a.component.ownedBy ? { ownedBy: a.component.ownedBy } : {}),
    });
  }
  return findings.sort((x, y) => cmp(x.purl ?? x.componentRef, y.purl ?? y.componentRef) || cmp(x.vulnerabilityId, y.vulnerabilityId) || cmp(x.id, y.id));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function summarize(inventory: Inventory, findings: Finding[], m: MatchSummary): ScanSummary {
  const bySeverity = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<SeverityLevel, number>;
  for (const f of findings) bySeverity[f.severity.level]++;
  return {
    components: inventory.components.length,
    componentsMatched: m.matchedComponents.size,
    findings: findings.length,
    bySeverity,
    kev: findings.filter((f) => f.kev).length,
    fixable: findings.filter((f) => f.fixedVersions.length > 0).length,
    withdrawnExcluded: m.withdrawnExcluded,
    skippedRanges: m.skipped,
    skippedRangeCount: m.skippedCount,
  };
}

/**
 * One read view per store, kept while the snapshot stays the same: a worker scanning SBOM after SBOM
 * reuses the parsed observations (a "warm" scan). A new import means a new snapshot id, so a new view.
 */
const views = new WeakMap<Store, AdvisoryView>();

function cachedView(store: Store, snapshot: SnapshotInfo): AdvisoryView {
  const v = views.get(store);
  if (v && v.snapshot.id === snapshot.id && v.snapshot.maxSeq === snapshot.maxSeq) return v;
  const fresh = openAdvisoryView(store, snapshot);
  views.set(store, fresh);
  return fresh;
}

/**
 * Scan an inventory; persists the scan record and its findings (one transaction) unless `persist: false`.
 * Cancellable until the write starts: a cancelled scan writes nothing.
 */
export async function scanInventory(store: Store, inventory: Inventory, opts: ScanOptions): Promise<ScanResult> {
  const snapshot: SnapshotInfo = resolveSnapshot(store, opts.snapshot, opts.clock.nowIso());
  if (snapshot.id === null || snapshot.documentCount === 0) {
    throw new AdvisoryError('no-advisories', 'no advisories are loaded — import some with `stella advisories import`', {
      details: { expected: 'at least one imported advisory document' },
    });
  }
  const view = cachedView(store, snapshot);
  const m = await matchInventory(view, inventory, opts);
  await yieldAndCheck(opts.signal);
  const findings = buildFindings(view, m.acc);
  const summary = summarize(inventory, findings, m.summary);
  const result: ScanResult = {
    id: opts.ids.next('scan'),
    subject: opts.subject,
    ...(opts.sbomId ? { sbomId: opts.sbomId } : {}),
    snapshot: snapshot.id,
    createdAt: opts.clock.nowIso(),
    options: { cpe: opts.cpe === true, detection: opts.detection ?? 'default' },
    summary,
    findings,
  };
  throwIfCancelled(opts.signal);
  if (opts.persist !== false) persistScan(store, result);
  return result;
}

function persistScan(store: Store, r: ScanResult): void {
  const db = store.db;
  store.write(() => {
    db.prepare(
      'INSERT INTO match_scans (id, subject, sbom_id, snapshot_id, created_at, options, summary, component_count, finding_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(r.id, r.subject, r.sbomId ?? null, r.snapshot, r.createdAt, JSON.stringify(r.options), JSON.stringify(r.summary), r.summary.components, r.findings.length);
    const ins = db.prepare('INSERT INTO match_findings (scan_id, finding_id, vulnerability_id, level, body) VALUES (?, ?, ?, ?, ?)');
    for (const f of r.findings) ins.run(r.id, f.id, f.vulnerabilityId, f.severity.level, JSON.stringify(f));
  });
}
