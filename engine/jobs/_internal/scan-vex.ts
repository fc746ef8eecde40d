/**
 * The VEX that applies to a scan's findings: the statements and the consensus of each finding, computed
 * once with engine/vex's preloaded index, and the same results as a policy `VexLookup` — so a bundle's
 * findings table, its consensus file and its verdict all rest on one computation. The VEX set digest
 * names what the consensus was computed from: the current VEX documents and the issuer trust settings.
 */
import { digestJson, type Digest, type Finding, type VexConsensus, type VexStatement } from '../../core';
import type { Store } from '../../store';
import type { VexLookup } from '../../policy/input';
import { currentVexDocuments, openVexIndex, readTrustSettings } from '../../vex';

export interface ScanVex {
  statements: VexStatement[];
  /** Aligned with the findings; null where no statement applies. */
  byFinding: (VexConsensus | null)[];
  set: { setDigest: Digest; documents: number; statements: number };
}

/** What consensus is computed from, by digest: the current documents (by raw digest) and the trust settings. */
export function vexSet(store: Store): ScanVex['set'] {
  const docs = currentVexDocuments(store);
  return {
    setDigest: digestJson({ documents: docs.map((d) => d.digest).sort(), trust: readTrustSettings(store) }),
    documents: docs.length,
    statements: docs.reduce((n, d) => n + d.statement_count, 0),
  };
}

export function scanVex(store: Store, findings: readonly Finding[]): ScanVex {
  const set = vexSet(store);
  if (set.statements === 0) return { statements: [], byFinding: findings.map(() => null), set };
  const index = openVexIndex(store, { preload: true });
  const used = new Map<string, VexStatement>();
  const byFinding = findings.map((f) => {
    const q = { vulnerabilityId: f.vulnerabilityId, aliases: [...f.aliases], ref: f.componentRef, ...(f.purl ? { purl: f.purl } : {}) };
    const applicable = index.applicable(q).statements;
    if (applicable.length === 0) return null;
    for (const s of applicable) used.set(s.id, s);
    return index.consensus(q);
  });
  const statements = [...used.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { statements, byFinding, set };
}

/** The precomputed consensus as the policy evaluator's VEX seam (keys are the same findings, in order). */
export function vexLookupOf(findings: readonly Finding[], vex: ScanVex): VexLookup {
  const by = new Map(findings.map((f, i) => [`${f.componentRef}\u0000${f.vulnerabilityId}`, vex.byFinding[i] ?? null]));
  return {
    name: 'engine/vex',
    consensus: (keys) => keys.map((k) => by.get(`${k.componentRef}\u0000${k.vulnerabilityId}`) ?? null),
  };
}
