/** Running a pack's fixtures: each fixture's findings evaluated at its date and environment, compared with what it expects. */
import type { Digest } from '../core';
import { PolicyEvaluator } from './evaluate';
import type { Verdict } from './language';
import type { UsablePack } from './pack';

export interface FixtureFailure {
  /** The finding id; absent for the scan verdict. */
  finding?: string;
  field: 'verdict' | 'status' | 'rule';
  expected: string | null;
  actual: string | null;
  /** The deciding rule's reason, to make a failure readable without running explain. */
  because?: string | null;
}

export interface FixtureResult {
  file: string;
  name: string;
  passed: boolean;
  verdict: Verdict;
  findings: number;
  failures: FixtureFailure[];
}

export interface PackTestReport {
  pack: { name: string; version: string; digest: Digest; source: string };
  fixtures: FixtureResult[];
  passed: number;
  failed: number;
}

export function runPackFixtures(pack: UsablePack): PackTestReport {
  const fixtures = pack.fixtures.map((fx): FixtureResult => {
    const ev = new PolicyEvaluator(pack.ir, { evaluationDate: fx.evaluationDate, env: fx.env, exceptions: pack.exceptions });
    const r = ev.evaluate(fx.scan);
    const failures: FixtureFailure[] = [];
    if (fx.expect.verdict && fx.expect.verdict !== r.verdict) failures.push({ field: 'verdict', expected: fx.expect.verdict, actual: r.verdict });
    const byId = new Map(r.findings.map((d) => [d.findingId, d]));
    for (const [id, e] of Object.entries(fx.expect.findings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const d = byId.get(id);
      if (!d) continue; // pack.ts refuses expectations for findings the fixture does not have
      if (e.status !== undefined && e.status !== d.status) failures.push({ finding: id, field: 'status', expected: e.status, actual: d.status, because: d.because });
      if (e.verdict !== undefined && e.verdict !== d.verdict) failures.push({ finding: id, field: 'verdict', expected: e.verdict, actual: d.verdict, because: d.because });
      if (e.rule !== undefined && e.rule !== d.rule) failures.push({ finding: id, field: 'rule', expected: e.rule, actual: d.rule, because: d.because });
    }
    return { file: fx.file, name: fx.name, passed: failures.length === 0, verdict: r.verdict, findings: fx.scan.findings.length, failures };
  });
  const passed = fixtures.filter((f) => f.passed).length;
  return {
    pack: { name: pack.manifest.name, version: pack.manifest.version, digest: pack.digest, source: pack.source },
    fixtures,
    passed,
    failed: fixtures.length - passed,
  };
}
