/**
 * Bench-only client (src/bench/main.tsx): one synthetic scan of that many findings, generated client-side by the
 * deterministic generator in findings/model. It exists so build/bench/ui.bench.ts can measure the
 * virtualized table at 100,000 rows without an engine; the shipped renderer does not contain it.
 */
import type { ComponentRow, FindingExplain } from '../../../common/contract';
import { EngineError, memoryClient, type UiClient } from '../client/engine';
import { syntheticFindings } from '../findings/model';

export function benchClient(rows: number): UiClient {
  const findings = syntheticFindings(Math.min(rows, 2_000_000));
  const bySeverity = { critical: 0, high: 0, medium: 0, low: 0, none: 0, unknown: 0 };
  for (const f of findings) bySeverity[f.severity]++;
  const scan = {
    id: 'bench-scan',
    subject: `synthetic (${findings.length.toLocaleString('en')} findings)`,
    snapshot: null,
    createdAt: '2026-01-01T00:00:00Z',
    findingCount: findings.length,
    bySeverity,
    kevCount: findings.filter((f) => f.kev).length,
    fixableCount: findings.filter((f) => f.fixedVersions.length > 0).length,
  };
  return memoryClient({
    'app.info': () => ({ version: 'bench', mode: 'serve', home: '(synthetic)', platform: 'browser', nativeDialogs: false }),
    'scan.list': () => [scan],
    'findings.list': ({ scanId }) => {
      if (scanId !== scan.id) throw new EngineError({ code: 'not-found', message: `no scan ${scanId}` });
      return findings;
    },
    'findings.explain': ({ findingId }): FindingExplain => {
      const finding = findings.find((f) => f.id === findingId);
      if (!finding) throw new EngineError({ code: 'not-found', message: `no finding ${findingId}` });
      const component: ComponentRow = { ref: finding.componentRef, name: finding.packageName, version: finding.installedVersion, purl: finding.purl, type: 'library', ecosystem: finding.ecosystem, licenses: [], hashes: [], locations: [] };
      return { finding, component, evidence: [] };
    },
  });
}
