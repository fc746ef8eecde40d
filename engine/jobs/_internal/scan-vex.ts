/**
 * The VEX that applies to a scan's findings: the statements and the consensus of each finding, computed
 * once with engine/vex's preloaded index, and the same results as a policy `VexLookup` — so a bundle's
 * findings table, its consensus file and its verdict all rest on one computation. The VEX set digest
 * names what the consensus was computed from: the current VEX documents and the issuer trust settings.
 */
import type { Digest, Finding, VexConsensus, VexStatement } from '../../core';
import type { Store } from '../../store';
import type { VexLookup } from '../../policy/input';
import { STORED_VEX_LOOKUP_NAME } from '../../policy/vex-lookup';
import { currentVexDocuments } from '../../vex/raw-store';
import { applicableConsensusBatch, openVexIndex, vexSetDigest } from '../../vex/query';

export interface ScanVex {
  statements: VexStatement[];
  /** Aligned with the findings; null where no statement applies. */
  byFinding: (VexConsensus | null)[];
  set: { setDigest: Digest; documents: number; statements: number };
}

/** What consensus is computed from: engine/vex's set digest (current documents and trust settings), with counts. */
export function vexSet(store: Store): ScanVex['set'] {
  const docs = currentVexDocuments(store);
  return { setDigest: vexSetDigest(store), documents: docs.length, statements: docs.reduce((n, d) => n + d.statement_count, 0) };
}

export function scanVex(store: Store, findings: readonly Finding[]): ScanVex {
  const set = vexSet(store);
  if (set.statements === 0) return { statements: [], byFinding: findings.map(() => null), set };
  // the queries the policy's stored-VEX lookup makes, so the consensus here is the one the verdict used
  const queries = findings.map((f) => ({ vulnerabilityId: f.vulnerabilityId, aliases: [...f.aliases], ref: f.componentRef, ...(f.purl ? { purl: f.purl } : {}) }));
  const byFinding = applicableConsensusBatch(store, queries);
  const index = openVexIndex(store, { preload: true });
  const used = new Map<string, VexStatement>();
  queries.forEach((q, i) => {
    if (byFinding[i]) for (const s of index.applicable(q).statements) used.set(s.id, s);
  });
  const statements = [...used.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { statements, byFinding, set };
}

/** The precomputed consensus as the policy evaluator's VEX seam (keys are the same findings, in order). */
export function vexLookupOf(findings: readonly Finding[], vex: ScanVex): VexLookup {
  const by = new Map(findings.map((f, i) => [`${f.componentRef}\u0000${f.vulnerabilityId}`, vex.byFinding[i] ?? null]));
  return {
    name: STORED_VEX_LOOKUP_NAME,
    consensus: (keys) => keys.map((k) => by.get(`${k.componentRef}\u0000${k.vulnerabilityId}`) ?? null),
  };
}
