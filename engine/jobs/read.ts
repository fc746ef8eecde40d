/**
 * Read-side helpers every host shares (the app's reader worker, the CLI): the joins and groupings a
 * host would otherwise write itself. They only read the store.
 */
import type { Component, Observation } from '../core';
import type { Store } from '../store';
import { AdvisoryError } from '../advisories/errors';
import { searchAdvisories } from '../advisories/search';
import { getSnapshot } from '../advisories/snapshots';
import { openAdvisoryView } from '../advisories/view';
import { SbomError } from '../sbom/errors';
import { getSbom } from '../sbom/store';
import { explainFinding, getScan, type EvidenceLink, type FindingExplanation } from '../match/stored';

/** A stored SBOM by id or digest; throws a not-found error (exit 4) naming the id when there is none. */
export function requireStoredSbom(store: Store, id: string): NonNullable<ReturnType<typeof getSbom>> {
  const found = getSbom(store, id);
  if (!found) throw new SbomError('not-found', `no SBOM ${id} is stored`, { details: { path: 'id', expected: 'the id or digest of a stored SBOM (see `stella sbom list`)' } });
  return found;
}

/** One advisory as a search result: its id with every source that carries it and every alias they name. */
export interface AdvisorySearchGroup {
  id: string;
  aliases: string[];
  /** Sources in the order they were found. */
  sources: string[];
  /** The first summary any source gives. */
  summary?: string;
}

/**
 * Search current advisories (id/alias prefix, then summary text) and group the per-observation hits by
 * advisory id: several sources carrying one advisory are one result. At most `limit` groups.
 */
export function searchAdvisoryGroups(store: Store, query: string, limit = 50): AdvisorySearchGroup[] {
  const byId = new Map<string, AdvisorySearchGroup>();
  for (const h of searchAdvisories(store, query, limit)) {
    const e = byId.get(h.advisoryId);
    if (!e) {
      byId.set(h.advisoryId, { id: h.advisoryId, aliases: [...h.aliases], sources: [h.source], ...(h.summary ? { summary: h.summary } : {}) });
      continue;
    }
    if (!e.sources.includes(h.source)) e.sources.push(h.source);
    for (const a of h.aliases) if (!e.aliases.includes(a)) e.aliases.push(a);
    if (!e.summary && h.summary) e.summary = h.summary;
  }
  return [...byId.values()].slice(0, limit);
}

/** A finding with everything the evidence drawer shows: the matched component and each observation as stored. */
export interface FindingDetail {
  explanation: FindingExplanation;
  /** The component the finding is about, from the scanned SBOM (null when that SBOM is gone). */
  component: Component | null;
  evidence: { link: EvidenceLink; observation: Observation }[];
}

export function findingDetail(store: Store, scanId: string, findingId: string): FindingDetail {
  const explanation = explainFinding(store, scanId, findingId);
  const scan = getScan(store, scanId);
  let component: Component | null = null;
  if (scan.sbomId) {
    const inv = getSbom(store, scan.sbomId)?.inventory;
    const ref = explanation.finding.componentRef;
    component = (inv?.subject?.ref === ref ? inv.subject : inv?.components.find((c) => c.ref === ref)) ?? null;
  }
  // The observations as of the snapshot the scan used, not as of today.
  const view = openAdvisoryView(store, getSnapshot(store, explanation.snapshot));
  const evidence = explanation.chain.map((link) => {
    const stored = view.byId(link.advisoryId).find((o) => o.observation.id === link.observationId);
    if (!stored) throw new AdvisoryError('not-found', `observation ${link.observationId} of ${link.advisoryId} is not in snapshot ${explanation.snapshot}`, { details: { path: 'observationId' } });
    return { link, observation: stored.observation };
  });
  return { explanation, component, evidence };
}
