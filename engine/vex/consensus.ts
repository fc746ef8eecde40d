/**
 * The consensus lattice (documented in README.md). Pure functions: no store, no clock.
 *
 * A lattice element is a set of trusted statements about one (component, vulnerability), kept as a
 * map statement id → statement, sorted. `joinVex` is set union: commutative, associative and
 * idempotent by construction. `resolveConsensus` is a function of the set alone (it sorts before it
 * looks), so the result — and its digest — never depends on the order statements arrived in:
 *
 *  1. per issuer, the statements with its latest timestamp are active; earlier ones are `superseded`;
 *  2. the highest tier among active statements decides; lower tiers are `overridden`;
 *  3. in the deciding tier, `under_investigation` yields to any definitive status (`deferred`); one
 *     definitive status → that status; several → an explicit conflict, and the status is the most
 *     cautious one claimed (affected, then fixed, then not_affected), never a silent pick;
 *  4. confidence = weight of the deciding tier agreeing with the status / weight of the deciding tier.
 */
import { digestJson, type Digest, type VexConflict, type VexConsensus, type VexContribution, type VexContributionRole, type VexStatement, type VexStatus } from '../core';
import type { EffectiveTrust } from './trust';
import { issuerKey } from './trust';

export interface TrustedStatement {
  statement: VexStatement;
  trust: EffectiveTrust;
}

export type VexLatticeElement = ReadonlyMap<string, TrustedStatement>;

export const EMPTY_ELEMENT: VexLatticeElement = new Map();

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The element of a list of statements (duplicates by id collapse). */
export function elementOf(statements: Iterable<TrustedStatement>): VexLatticeElement {
  const m = new Map<string, TrustedStatement>();
  for (const s of statements) m.set(s.statement.id, s);
  return new Map([...m.entries()].sort((a, b) => byKey(a[0], b[0])));
}

/** The lattice join: the union of two statement sets. */
export function joinVex(a: VexLatticeElement, b: VexLatticeElement): VexLatticeElement {
  return elementOf([...a.values(), ...b.values()]);
}

// Most cautious first: a conflict resolves to the first status claimed in this order.
const CAUTION_RANK: Readonly<Record<VexStatus, number>> = { affected: 0, under_investigation: 1, fixed: 2, not_affected: 3 };

/** A trusted statement with its sort keys computed once (a scan-wide batch keeps these per statement). */
export interface KeyedStatement extends TrustedStatement {
  /** Timestamp in ms; -Infinity when absent or unreadable (older than everything). */
  readonly at: number;
  /** `issuerKey` of the statement's issuer. */
  readonly issuerKey: string;
  /** Its contribution when it decides alone, built once and shared (results are read-only values). */
  alone?: VexContribution;
}

export function keyedStatement(t: TrustedStatement): KeyedStatement {
  const p = t.statement.timestamp === undefined ? Number.NaN : Date.parse(t.statement.timestamp);
  return { statement: t.statement, trust: t.trust, at: Number.isNaN(p) ? Number.NEGATIVE_INFINITY : p, issuerKey: issuerKey(t.statement.issuer.name) };
}

/** Total order of one issuer's statements: older first. */
function olderFirst(a: KeyedStatement, b: KeyedStatement): number {
  const d = a.at - b.at;
  if (d !== 0 && !Number.isNaN(d)) return d < 0 ? -1 : 1;
  return byKey(a.statement.id, b.statement.id);
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;

export interface ResolveQuery {
  vulnerability: { id: string; aliases: string[] };
  component: { purl?: string; ref?: string; version?: string };
}

/**
 * The consensus object with its `digest` computed on first read: the digest covers every other field
 * (canonical JSON), and a scan-wide batch makes tens of thousands of these of which only the few a user
 * explains or exports are ever hashed. Reading it (JSON, structured clone, deep equality) computes it.
 */
function withDigest(out: Omit<VexConsensus, 'digest'>): VexConsensus {
  let digest: Digest | undefined;
  Object.defineProperty(out, 'digest', {
    enumerable: true,
    get: () => {
      if (digest === undefined) {
        const { vulnerability, component, status, justification, confidence, statements, conflicts } = out;
        digest = digestJson({ vulnerability, component, status, ...(justification ? { justification } : {}), confidence, statements, conflicts });
      }
      return digest;
    },
  });
  return out as VexConsensus;
}

function queryPart(query: ResolveQuery): Pick<VexConsensus, 'vulnerability' | 'component'> {
  const a = query.vulnerability.aliases;
  return { vulnerability: { id: query.vulnerability.id, aliases: a.length > 1 ? [...new Set(a)].sort() : [...a] }, component: query.component };
}

/** What no statement adds up to. */
export function noConsensus(query: ResolveQuery): VexConsensus {
  return withDigest({ ...queryPart(query), status: 'none', confidence: 0, statements: [], conflicts: [] });
}

function contribution(t: KeyedStatement, role: VexContributionRole): VexContribution {
  const s = t.statement;
  return {
    statementId: s.id,
    issuer: s.issuer.name,
    issuerClass: t.trust.issuerClass,
    tier: t.trust.tier,
    weight: t.trust.weight,
    status: s.status,
    ...(s.justification ? { justification: s.justification } : {}),
    ...(s.timestamp ? { timestamp: s.timestamp } : {}),
    role,
    raw: { digest: s.raw.digest, uri: s.raw.uri, format: s.raw.format },
  };
}

export function resolveConsensus(element: VexLatticeElement, query: ResolveQuery): VexConsensus {
  return resolveSorted([...element.values()].sort((a, b) => byKey(a.statement.id, b.statement.id)).map(keyedStatement), query);
}

/** `resolveConsensus` of a statement list already sorted by id without repeats (the batch path builds it so). */
export function resolveSorted(all: readonly KeyedStatement[], query: ResolveQuery): VexConsensus {
  if (all.length === 0) return noConsensus(query);
  if (all.length === 1) {
    // One statement decides alone (the common case in a scan): the general rules below, specialised.
    const t = all[0]!;
    const status = t.statement.status;
    const justification = status === 'not_affected' ? t.statement.justification : undefined;
    return withDigest({
      ...queryPart(query),
      status,
      ...(justification ? { justification } : {}),
      confidence: t.trust.weight > 0 ? 1 : 0,
      statements: [(t.alone ??= contribution(t, 'decisive'))],
      conflicts: [],
    });
  }
  const role = new Map<string, VexContributionRole>();
  const byIssuer = new Map<string, KeyedStatement[]>();
  for (const t of all) {
    const list = byIssuer.get(t.issuerKey);
    if (list) list.push(t);
    else byIssuer.set(t.issuerKey, [t]);
  }
  const active: KeyedStatement[] = [];
  for (const list of byIssuer.values()) {
    // An issuer's statements at its latest timestamp are all active: if they disagree (one document
    // saying two things of one version) that is a conflict like any other, not a pick by id.
    let latest = Number.NEGATIVE_INFINITY;
    for (const t of list) if (t.at > latest) latest = t.at;
    for (const t of list) {
      if (t.at === latest) active.push(t);
      else role.set(t.statement.id, 'superseded');
    }
  }
  active.sort((a, b) => byKey(a.statement.id, b.statement.id));
  let tier = Number.NEGATIVE_INFINITY;
  for (const t of active) if (t.trust.tier > tier) tier = t.trust.tier;
  const top = active.filter((t) => t.trust.tier === tier);
  for (const t of active) if (t.trust.tier < tier) role.set(t.statement.id, 'overridden');
  const definitive = top.filter((t) => t.statement.status !== 'under_investigation');
  const statuses = [...new Set(definitive.map((t) => t.statement.status))].sort((a, b) => CAUTION_RANK[a] - CAUTION_RANK[b]);
  let status: VexStatus;
  let justification: VexConsensus['justification'];
  const conflicts: VexConflict[] = [];
  if (!definitive.length) {
    status = 'under_investigation';
  } else {
    status = statuses[0]!;
    for (const t of top) if (t.statement.status === 'under_investigation') role.set(t.statement.id, 'deferred');
  }
  const agreeing = top.filter((t) => t.statement.status === status);
  if (statuses.length > 1) {
    for (const t of definitive) role.set(t.statement.id, 'conflicting');
    conflicts.push({
      kind: 'status-disagreement',
      tier,
      statuses,
      statements: definitive.map((t) => ({ statementId: t.statement.id, issuer: t.statement.issuer.name, status: t.statement.status, weight: t.trust.weight })),
    });
  } else {
    // The decisive statement: the heaviest agreeing one, the latest on a tie, then the smallest id.
    const decisive = [...agreeing].sort((a, b) => b.trust.weight - a.trust.weight || -olderFirst(a, b))[0]!;
    for (const t of agreeing) role.set(t.statement.id, t === decisive ? 'decisive' : 'agreeing');
    if (status === 'not_affected' && decisive.statement.justification) justification = decisive.statement.justification;
  }
  // Sums over id-sorted lists: floating-point addition in one fixed order.
  const total = top.reduce((s, t) => s + t.trust.weight, 0);
  const agree = agreeing.reduce((s, t) => s + t.trust.weight, 0);
  const statements = [...all]
    .sort((a, b) => b.trust.tier - a.trust.tier || byKey(a.issuerKey, b.issuerKey) || byKey(a.statement.id, b.statement.id))
    .map((t) => contribution(t, role.get(t.statement.id) ?? 'decisive'));
  return withDigest({ ...queryPart(query), status, ...(justification ? { justification } : {}), confidence: total > 0 ? round4(agree / total) : 0, statements, conflicts });
}
