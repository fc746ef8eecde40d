/**
 * Each finding's policy status and VEX status under the active pack and the stored VEX
 * (`policy.evaluate` of the scan: stores nothing). Shared by the findings table, the evidence drawer
 * and the VEX screen; refetched when VEX or the active pack change (`store.changed` → INVALIDATES).
 */
import { createContext, useContext, useMemo } from 'react';
import type { PolicyDecisionView } from '../../../common/contract';
import { useEngineQuery } from '../client/queries';

export type DecisionMap = ReadonlyMap<string, PolicyDecisionView>;

export function useFindingDecisions(scanId: string | undefined): { decisions: DecisionMap | null; error: unknown; pack: string | null } {
  const q = useEngineQuery('policy.evaluate', { scanId: scanId ?? '' }, { enabled: !!scanId, staleTime: 30_000 });
  const decisions = useMemo(() => (q.data ? new Map(q.data.findings.map((d) => [d.findingId, d])) : null), [q.data]);
  return { decisions, error: q.isError ? q.error : null, pack: q.data ? `${q.data.pack.name}@${q.data.pack.version}` : null };
}

/** The decisions of the scan on screen, for table cells deep in the virtualized grid. */
export const DecisionsContext = createContext<DecisionMap | null>(null);
export const useDecision = (findingId: string): PolicyDecisionView | undefined => useContext(DecisionsContext)?.get(findingId);

export const VEX_STATUS_LABEL: Record<string, string> = {
  none: 'no VEX',
  not_affected: 'not affected',
  affected: 'affected',
  fixed: 'fixed',
  under_investigation: 'under investigation',
};
