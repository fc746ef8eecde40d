import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EMBEDDED_PACKS } from './packs/embedded';
import { loadPack, requireUsable, simulatePacks, type SimulationScan, type UsablePack } from './index';
import { finding, packOf } from './_internal/testkit';

const DATE = '2026-03-01';

async function builtin(name: string): Promise<UsablePack> {
  return requireUsable(await loadPack(`builtin:${name}`));
}

/** Every fixture of the shipped packs as a scan: realistic findings, some with VEX. */
async function fixtureScans(): Promise<SimulationScan[]> {
  const scans: SimulationScan[] = [];
  for (const name of ['default', 'kev-blocking', 'distro-vex']) {
    for (const fx of (await builtin(name)).fixtures) scans.push({ label: `${name}/${fx.file}`, input: fx.scan });
  }
  return scans;
}

test('simulate: a draft that blocks high findings and lets dev dependencies pass — counts, changes, rule impact, histograms, samples', async () => {
  const base = await builtin('default');
  const source = (EMBEDDED_PACKS.default as Record<string, string>)['default.stella'] as string;
  const draft = source
    .replace('then warn message "High severity: plan the upgrade"', 'then status := "blocked"')
    .replace('  rule block_kev priority 20 {', '  rule dev_only priority 15 {\n    when component.scope == "optional"\n    then status := "pass"\n    because "Dev dependencies do not ship"\n  }\n\n  rule block_kev priority 20 {');
  assert.notEqual(draft, source);
  const candidate = packOf({ 'default.stella': draft });

  const high = finding({ id: 'high', severity: { level: 'high', score: 7.5 } });
  const devKev = finding({ id: 'dev-kev', kev: true, component: { scope: 'optional', purl: 'pkg:npm/jest@29.0.0', name: 'jest', version: '29.0.0', ecosystem: 'npm' } });
  const crit = finding({ id: 'crit' });
  const low = finding({ id: 'low', severity: { level: 'low', score: 2 } });
  const scans: SimulationScan[] = [{ label: 'scan_a', input: { scan: { id: 'scan_a', subject: 'a' }, unknowns: { componentsWithoutPurl: 0, unresolvableRanges: 0 }, findings: [high, devKev, crit, low] } }];

  const r = simulatePacks(base, candidate, scans, { evaluationDate: DATE, samples: 1 });
  assert.deepEqual(r.counts, { added: 0, removed: 1, changed: 1, unchanged: 2 });
  assert.deepEqual(
    r.changes.map((c) => [c.finding, c.kind, c.before, c.after, c.beforeRule, c.rule]),
    [
      ['high', 'changed', 'warn', 'blocked', 'warn_high', 'warn_high'],
      ['dev-kev', 'removed', 'blocked', 'pass', 'block_kev', 'dev_only'],
    ],
  );
  assert.deepEqual(r.scans, [{ scan: 'scan_a', findings: 4, before: 'BLOCKED', after: 'BLOCKED' }]);
  assert.deepEqual(
    r.rules.map((x) => [x.rule, x.in, x.before, x.after, x.gained, x.lost]),
    [
      ['accept_trusted_vex', 'both', 0, 0, 0, 0],
      ['dev_only', 'candidate', 0, 1, 1, 0],
      ['block_kev', 'both', 1, 0, 0, 1],
      ['block_critical', 'both', 1, 1, 0, 0],
      ['warn_high', 'both', 1, 1, 0, 0],
    ],
  );
  assert.deepEqual(r.histograms.before.high, { PASS: 0, WARN: 1, BLOCKED: 0 });
  assert.deepEqual(r.histograms.after.high, { PASS: 0, WARN: 0, BLOCKED: 1 });
  assert.deepEqual(r.histograms.before.critical, { PASS: 0, WARN: 0, BLOCKED: 2 });
  assert.deepEqual(r.histograms.after.critical, { PASS: 1, WARN: 0, BLOCKED: 1 });
  assert.equal(r.samples.length, 1, 'bounded by --samples');
  assert.deepEqual([r.samples[0]?.finding, r.samples[0]?.before.decision.status, r.samples[0]?.after.decision.status], ['high', 'warn', 'blocked']);
  assert.equal(r.candidate.digest, candidate.digest);
});

test('simulate over every shipped fixture: default → kev-blocking is consistent; a pack against itself changes nothing', async () => {
  const scans = await fixtureScans();
  const total = scans.reduce((n, s) => n + s.input.findings.length, 0);
  const base = await builtin('default');
  const candidate = await builtin('kev-blocking');
  const r = simulatePacks(base, candidate, scans, { evaluationDate: DATE, env: { exposure: 'internet' } });
  const { added, removed, changed, unchanged } = r.counts;
  assert.equal(added + removed + changed + unchanged, total);
  assert.equal(r.changes.length, added + removed + changed);
  for (const c of r.changes) {
    const expected = c.beforeVerdict === 'PASS' && c.afterVerdict !== 'PASS' ? 'added' : c.beforeVerdict !== 'PASS' && c.afterVerdict === 'PASS' ? 'removed' : 'changed';
    assert.equal(c.kind, expected, JSON.stringify(c));
    assert.ok(c.before !== c.after || c.beforeRule !== c.rule);
  }
  const histTotal = (h: typeof r.histograms.before) => Object.values(h).reduce((n, v) => n + v.PASS + v.WARN + v.BLOCKED, 0);
  assert.equal(histTotal(r.histograms.before), total);
  assert.equal(histTotal(r.histograms.after), total);
  assert.equal(r.rules.filter((x) => x.in !== 'base').reduce((n, x) => n + x.after, 0) <= total, true);
  assert.equal(r.samples.length, Math.min(10, r.changes.length));
  // netty's high finding with EPSS 0.61: warned by the default pack, blocked (and escalated to critical) by the candidate.
  const netty = r.changes.find((c) => c.finding === 'netty-rapid-reset-epss');
  assert.deepEqual([netty?.kind, netty?.before, netty?.after, netty?.beforeRule, netty?.rule], ['changed', 'warn', 'blocked', 'warn_high', 'likely_exploited']);
  // junit (a dev dependency, medium) passes under both, by no rule vs dev_dependency.
  assert.deepEqual(r.changes.filter((c) => c.finding === 'junit-dev-only').map((c) => [c.kind, c.before, c.after, c.rule]), [['changed', 'pass', 'pass', 'dev_dependency']]);

  const same = simulatePacks(candidate, candidate, scans, { evaluationDate: DATE });
  assert.deepEqual(same.counts, { added: 0, removed: 0, changed: 0, unchanged: total });
  assert.deepEqual([same.changes, same.samples], [[], []]);
  assert.deepEqual(same.histograms.before, same.histograms.after);
});
