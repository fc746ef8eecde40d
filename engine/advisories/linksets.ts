/**
 * Linksets connect observations of one vulnerability across sources through shared ids/aliases
 * (union-find over the alias graph, explored from the asked id) WITHOUT merging them: each observation
 * is returned as its source said it, and disagreements are recorded as conflicts for policy to judge.
 */
import type { Observation } from '../core';
import type { Store } from '../store';
import { packageKey, normalizeRelease } from './package-key';
import { normalizeSeverity } from './severity';
import { openAdvisoryView, type AdvisoryView } from './view';
import { getSnapshot, currentSnapshot } from './snapshots';

export type ConflictKind = 'severity-mismatch' | 'affected-range-divergence' | 'alias-inconsistency' | 'reference-clash';

export interface LinksetConflict {
  kind: ConflictKind;
  /** What the conflict is about (a package key, a URL, a CVE list, …). */
  subject: string;
  /** One entry per disagreeing observation: its id, source, advisory id and the value it gave. */
  values: { observationId: string; source: string; advisoryId: string; value: unknown }[];
}

export interface Linkset {
  /** Preferred id of the vulnerability: a CVE id, else a GHSA id, else the smallest id. */
  id: string;
  aliases: string[];
  observations: Observation[];
  conflicts: LinksetConflict[];
  /** Snapshot the linkset was read from. */
  snapshot: string | null;
  /** True when the alias graph was larger than the bound and exploration stopped. */
  truncated: boolean;
}

/** Upper bound on observations in one linkset: alias graphs of distro feeds can chain very far. */
export const MAX_LINKSET_OBSERVATIONS = 1000;

export function preferredId(ids: Iterable<string>): string {
  const all = [...ids].sort();
  return all.find((i) => /^CVE-\d{4}-\d+$/i.test(i)) ?? all.find((i) => /^GHSA-/i.test(i)) ?? all[0] ?? '';
}

function idsOf(o: Observation): string[] {
  return [...new Set([o.advisoryId, ...o.aliases].map((s) => s.trim()).filter(Boolean))];
}

/** Observations linked to `idOrAlias` through ids/aliases, in a stable order. */
export function linkObservations(view: AdvisoryView, idOrAlias: string, max = MAX_LINKSET_OBSERVATIONS): { observations: Observation[]; truncated: boolean } {
  const seenIds = new Set<string>();
  const seenObs = new Map<string, Observation>();
  const queue = [idOrAlias.trim().toUpperCase()];
  let truncated = false;
  while (queue.length) {
    const id = queue.shift() as string;
    if (seenIds.has(id)) continue;
    seenIds.add(id);
    for (const s of view.byId(id)) {
      const o = s.observation;
      if (seenObs.has(o.id)) continue;
      if (seenObs.size >= max) {
        truncated = true;
        break;
      }
      seenObs.set(o.id, o);
      // A bulletin naming several CVEs (DSA/DLA) belongs to each of them but does not make them one
      // vulnerability: it joins the linkset without linking onward through its other ids.
      if (isBulletin(o)) continue;
      for (const next of idsOf(o)) {
        const k = next.toUpperCase();
        if (!seenIds.has(k)) queue.push(k);
      }
    }
    if (truncated) break;
  }
  const observations = [...seenObs.values()].sort((a, b) => cmp(a.source, b.source) || cmp(a.advisoryId, b.advisoryId) || cmp(a.id, b.id));
  return { observations, truncated };
}

const CVE = /^CVE-\d{4}-\d+$/i;

/** Does the observation name more than one CVE (a distro bulletin, a roll-up advisory)? */
export function isBulletin(o: Observation): boolean {
  let n = 0;
  for (const i of idsOf(o)) if (CVE.test(i) && ++n > 1) return true;
  return false;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface LinksetOptions {
  /** Snapshot id to read as of; default the current state. */
  asOf?: string;
}

/** The linkset of an id or alias, or null when no observation carries it. */
export function getLinkset(store: Store, idOrAlias: string, opts: LinksetOptions = {}): Linkset | null {
  const snap = opts.asOf !== undefined ? getSnapshot(store, opts.asOf) : currentSnapshot(store);
  const view = openAdvisoryView(store, snap);
  return linksetFromView(view, idOrAlias);
}

export function linksetFromView(view: AdvisoryView, idOrAlias: string): Linkset | null {
  const { observations, truncated } = linkObservations(view, idOrAlias);
  if (!observations.length) return null;
  // The vulnerability's ids: every id of single-vulnerability observations, plus each bulletin's own id.
  const allIds = new Set<string>();
  for (const o of observations) {
    if (isBulletin(o)) allIds.add(o.advisoryId);
    else for (const i of idsOf(o)) allIds.add(i);
  }
  const q = idOrAlias.trim().toUpperCase();
  for (const o of observations) for (const i of idsOf(o)) if (i.toUpperCase() === q) allIds.add(i);
  const asked = observations.find((o) => o.advisoryId.toUpperCase() === q);
  const id = asked && isBulletin(asked) && observations.every(isBulletin) ? asked.advisoryId : preferredId(allIds);
  const aliases = [...allIds].filter((i) => i !== id).sort();
  return { id, aliases, observations, conflicts: detectConflicts(observations), snapshot: view.snapshot.id, truncated };
}

/**
 * A reference's kind in OSV's vocabulary (ADVISORY, FIX, WEB, …). CSAF's `self` / `external` say how a
 * link relates to the document, not what it is, so they do not take part in clash detection.
 */
function referenceKind(type: string | undefined): string {
  const t = (type ?? '').trim().toUpperCase();
  return t === 'SELF' || t === 'EXTERNAL' ? '' : t;
}

const entry = (o: Observation, value: unknown) => ({ observationId: o.id, source: o.source, advisoryId: o.advisoryId, value });

/** Conflicts between observations of different sources (the same source disagreeing with itself is not a cross-source conflict). */
export function detectConflicts(observations: readonly Observation[]): LinksetConflict[] {
  const conflicts: LinksetConflict[] = [];
  const multiSource = (vals: { source: string }[]) => new Set(vals.map((v) => v.source)).size > 1;

  // severity-mismatch: normalized levels differ between sources that gave a severity.
  const sev = observations
    .map((o) => ({ o, n: normalizeSeverity(o.severities) }))
    .filter((x) => x.n.level !== 'unknown');
  if (multiSource(sev.map((x) => x.o)) && new Set(sev.map((x) => x.n.level)).size > 1) {
    conflicts.push({
      kind: 'severity-mismatch',
      subject: 'severity',
      values: sev.map((x) => entry(x.o, { level: x.n.level, score: x.n.score, given: x.o.severities })),
    });
  }

  // affected-range-divergence: the same package (family + name + release) described differently by two
  // sources. Dimensions are compared only where both sources give them (a CSAF product list has explicit
  // versions but no ranges; that alone is not a disagreement). GIT commit events are not versions.
  interface PkgView {
    o: Observation;
    fixed: string[];
    introduced: string[];
    lastAffected: string[];
    versions: string[];
  }
  const byPkg = new Map<string, PkgView[]>();
  for (const o of observations) {
    for (const p of o.affected) {
      const k = packageKey(p.ecosystem, p.name);
      const subject = `${k.family}/${k.nameKey}${k.release ? `@${normalizeRelease(k.family, k.release)}` : ''}`;
      const ev = (name: 'fixed' | 'introduced' | 'last_affected') =>
        [...new Set(p.ranges.filter((r) => r.type !== 'GIT').flatMap((r) => r.events.flatMap((e) => (name in e ? [(e as Record<string, string>)[name] as string] : []))))].sort();
      const list = byPkg.get(subject) ?? [];
      list.push({ o, fixed: ev('fixed'), introduced: ev('introduced').filter((v) => v !== '0'), lastAffected: ev('last_affected'), versions: [...new Set(p.versions)].sort() });
      byPkg.set(subject, list);
    }
  }
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  for (const [subject, list] of [...byPkg].sort((a, b) => cmp(a[0], b[0]))) {
    let diverges = false;
    for (let i = 0; i < list.length && !diverges; i++) {
      for (let j = i + 1; j < list.length && !diverges; j++) {
        const a = list[i] as PkgView;
        const b = list[j] as PkgView;
        if (a.o.source === b.o.source) continue;
        for (const dim of ['fixed', 'introduced', 'lastAffected', 'versions'] as const) {
          if (a[dim].length && b[dim].length && !same(a[dim], b[dim])) diverges = true;
        }
      }
    }
    if (diverges) {
      conflicts.push({
        kind: 'affected-range-divergence',
        subject,
        values: list.map((x) => entry(x.o, { introduced: x.introduced, fixed: x.fixed, lastAffected: x.lastAffected, versions: x.versions.length })),
      });
    }
  }

  // alias-inconsistency: advisories that each describe ONE vulnerability (they name a single CVE) should
  // name the same one; bulletins covering several CVEs (DSA/DLA) legitimately link many and are left out.
  const single = observations
    .map((o) => ({ o, cves: [...new Set(idsOf(o).filter((i) => /^CVE-\d{4}-\d+$/i.test(i)).map((i) => i.toUpperCase()))] }))
    .filter((x) => x.cves.length === 1);
  const singleCves = new Set(single.flatMap((x) => x.cves));
  if (singleCves.size > 1) {
    conflicts.push({ kind: 'alias-inconsistency', subject: [...singleCves].sort().join(' '), values: single.map((x) => entry(x.o, x.cves)) });
  }

  // reference-clash: the same URL classified differently by different sources.
  const byUrl = new Map<string, { o: Observation; type: string }[]>();
  for (const o of observations) {
    for (const r of o.references) {
      const url = r.url.trim().replace(/\/+$/, '');
      const list = byUrl.get(url) ?? [];
      const type = referenceKind(r.type);
      if (!list.some((x) => x.o.id === o.id && x.type === type)) list.push({ o, type });
      byUrl.set(url, list);
    }
  }
  for (const [url, list] of [...byUrl].sort((a, b) => cmp(a[0], b[0]))) {
    const typed = list.filter((x) => x.type);
    if (multiSource(typed.map((x) => x.o)) && new Set(typed.map((x) => x.type)).size > 1) {
      conflicts.push({ kind: 'reference-clash', subject: url, values: typed.map((x) => entry(x.o, x.type)) });
    }
  }
  return conflicts;
}
