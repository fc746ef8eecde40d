/**
 * The whole `evaluatePolicy` job over a stored scan of 100,000 findings with stored VEX about a fifth
 * of them — read the scan rows, the VEX consensus for every finding, build the inputs, evaluate —: the
 * first evaluation, and the next one of the same scan and VEX set (inputs and consensus kept per scan and
 * VEX set digest). Its own process, so the peak RSS is the job's. Reported, never asserted.
 */
import { loadavg } from 'node:os';
import { fixedClock, sequentialIds } from '../../engine/core';
import { openStore } from '../../engine/store';
import { jobContext } from '../../engine/jobs/context';
import { evaluatePolicy } from '../../engine/jobs/policy';
import { parseVexDocument, storeVexDocument } from '../../engine/vex';
import { tempDir } from '../test-support/fixtures';
import { measure, report } from './harness';
import { N, inputs } from './policy-inputs';

const BENCH = 'policy';
const load = () => loadavg()[0]?.toFixed(2) ?? '?';
const { findings } = inputs();

{
  // The whole job over a stored scan: the rows are written the way engine/match stores a scan, and the
  // VEX as imported documents: a vendor and a distro OpenVEX document about every fifth finding.
  const store = openStore({ home: tempDir() });
  const summary = { components: N, componentsMatched: N, findings: N, bySeverity: {}, kev: 0, fixable: 0, withdrawnExcluded: 0, skippedRanges: [], skippedRangeCount: 0 };
  store.write(() => {
    store.db
      .prepare('INSERT INTO match_scans (id, subject, sbom_id, snapshot_id, created_at, options, summary, component_count, finding_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run('scan_bench', 'bench', null, 'snap_bench', '2026-03-01T00:00:00.000Z', '{"cpe":false}', JSON.stringify(summary), N, N);
    const ins = store.db.prepare('INSERT INTO match_findings (scan_id, finding_id, vulnerability_id, level, body) VALUES (?, ?, ?, ?, ?)');
    for (const f of findings) ins.run('scan_bench', f.id, f.vulnerabilityId, f.severity.level, JSON.stringify(f));
  });
  let statements = 0;
  for (const [author, role, pick] of [
    ['Example Vendor', 'vendor', (i: number) => (i % 10 === 0 ? 'not_affected' : i % 10 === 5 ? 'fixed' : null)],
    ['Debian', 'distro', (i: number) => (i % 20 === 0 ? 'affected' : i % 10 === 5 ? 'under_investigation' : null)],
  ] as const) {
    const list = findings.flatMap((f, i) => {
      const status = pick(i);
      return status ? [{ vulnerability: { name: f.vulnerabilityId }, products: [{ '@id': f.purl }], status, ...(status === 'not_affected' ? { justification: 'vulnerable_code_not_present' } : {}), timestamp: '2026-02-01T00:00:00Z' }] : [];
    });
    const bytes = Buffer.from(JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', '@id': `https://example.invalid/${role}`, author, role, timestamp: '2026-02-01T00:00:00Z', version: 1, statements: list }));
    statements += storeVexDocument(store, await parseVexDocument(bytes, `${role}.json`), { uri: `${role}.json`, bytes }, { source: 'openvex', importedAt: '2026-02-01T00:00:00Z' }).statements.length;
  }
  const ctx = jobContext({ clock: fixedClock('2026-03-01T00:00:00.000Z'), ids: sequentialIds() });
  const cold = await measure(() => evaluatePolicy(store, { pack: 'builtin:default', scan: 'scan_bench' }, ctx));
  const withVex = cold.result.findings.filter((d) => d.rule === 'accept_trusted_vex').length;
  report({
    bench: BENCH,
    metric: `evaluatePolicy job with VEX: stored scan of ${N.toLocaleString('en')} findings, ${statements.toLocaleString('en')} stored VEX statements (read rows + consensus + inputs + evaluate), first evaluation`,
    value: Math.round(cold.ms),
    unit: 'ms',
    note: `peak RSS ${Math.round(cold.peakRssMb)} MB, ${withVex} findings accepted by VEX, load ${load()}`,
  });
  const warm = await measure(() => evaluatePolicy(store, { pack: 'builtin:kev-blocking', scan: 'scan_bench', env: { exposure: 'internet' } }, ctx));
  report({ bench: BENCH, metric: `the same scan and VEX set again, another pack (inputs and consensus kept per scan and VEX set digest)`, value: Math.round(warm.ms), unit: 'ms', target: '≤ 500 ms', note: `load ${load()}` });
  store.close();
}
