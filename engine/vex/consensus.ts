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
import { digestJson, type VexConflict, type VexConsensus, type VexContribution, type VexContributionRole, type VexStatement, type VexStatus } from '../core';
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

const CAUTION: readonly VexStatus[] = ['affected', 'under_investigation', 'fixed', 'not_affected'];

function timeOf(s: VexStatement): number {
  const t = s.timestamp === undefined ? Number.NaN : Date.parse(s.timestamp);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/** Total order of one issuer's statements: older first. */
function olderFirst(a: TrustedStatement, b: TrustedStatement): number {
  const d = timeOf(a.statement) - timeOf(b.statement);
  if (d !== 0 && !Number.isNaN(d)) return d < 0 ? -1 : 1;
  return byKey(a.statement.id, b.statement.id);
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;

export interface ResolveQuery {
  vulnerability: { id: string; aliases: string[] };
  component: { purl?: string; ref?: string; version?: string };
}

export function resolveConsensus(element: VexLatticeElement, query: ResolveQuery): VexConsensus {
  const all = [...element.values()].sort((a, b) => byKey(a.statement.id, b.statement.id));
  const role = new Map<string, VexContributionRole>();
  const byIssuer = new Map<string, TrustedStatement[]>();
  for (const t of all) {
    const k = issuerKey(t.statement.issuer.name);
    const list = byIssuer.get(k) ?? [];
    list.push(t);
    byIssuer.set(k, list);
  }
  const active: TrustedStatement[] = [];
  for (const list of byIssuer.values()) {
    // An issuer's statements at its latest timestamp are all active: if they disagree (one document
    // saying two things of one version) that is a conflict like any other, not a pick by id.
    const latest = Math.max(...list.map((t) => timeOf(t.statement)));
    for (const t of list) {
      if (timeOf(t.statement) === latest) active.push(t);
      else role.set(t.statement.id, 'superseded');
    }
  }
  active.sort((a, b) => byKey(a.statement.id, b.statement.id));
  let status: VexStatus | 'none' = 'none';
  let confidence = 0;
  let justification: VexConsensus['justification'];
  const conflicts: VexConflict[] = [];
  if (active.length) {
    const tier = Math.max(...active.map((t) => t.trust.tier));
    const top = active.filter((t) => t.trust.tier === tier);
    for (const t of active) if (t.trust.tier < tier) role.set(t.statement.id, 'overridden');
    const definitive = top.filter((t) => t.statement.status !== 'under_investigation');
    const statuses = [...new Set(definitive.map((t) => t.statement.status))].sort((a, b) => CAUTION.indexOf(a) - CAUTION.indexOf(b));
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
    confidence = total > 0 ? round4(agree / total) : 0;
  }
  const statements: VexContribution[] = all
    .map((t) => {
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
        role: role.get(s.id) ?? 'decisive',
        raw: { digest: s.raw.digest, uri: s.raw.uri, format: s.raw.format },
      };
    })
    .sort((a, b) => b.tier - a.tier || byKey(issuerKey(a.issuer), issuerKey(b.issuer)) || byKey(a.statementId, b.statementId));
  const body = {
    vulnerability: { id: query.vulnerability.id, aliases: [...new Set(query.vulnerability.aliases)].sort() },
    component: query.component,
    status,
    ...(justification ? { justification } : {}),
    confidence,
    statements,
    conflicts,
  };
  return { ...body, digest: digestJson(body) };
}
