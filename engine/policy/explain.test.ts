import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PolicyEvaluator, explainDecision, loadPack, requireUsable, type UsablePack, type WhatIf } from './index';
import { finding } from './_internal/testkit';

const DATE = '2026-03-01';

async function pack(name: string): Promise<UsablePack> {
  return requireUsable(await loadPack(`builtin:${name}`));
}

function changes(w: WhatIf[]): string[] {
  return w.map((x) => `${x.kind}: ${x.change} → ${x.verdict}${x.rule ? ` (${x.rule})` : ''}`);
}

test('explain (default pack, KEV finding): rules tried with condition values, inputs read, evidence, and what would let it pass', async () => {
  const p = await pack('default');
  const ev = new PolicyEvaluator(p.ir, { evaluationDate: DATE, exceptions: p.exceptions });
  const f = finding({
    kev: true,
    fixedVersions: ['2.12.2', '2.15.0', '2.3.1'],
    evidence: [{ advisoryId: 'GHSA-jfh8-c2jp-5v3q', source: 'ghsa', rawDigest: `sha256:${'a'.repeat(64)}`, uri: 'osv.jsonl#L1' }],
  });
  const t = explainDecision(ev, f, { locations: p.compiled.locations });
  assert.deepEqual([t.decision.status, t.decision.rule, t.decision.because], ['blocked', 'block_kev', "Listed in CISA's Known Exploited Vulnerabilities catalog: attackers use it"]);
  assert.deepEqual(
    t.rules.map((r) => `${r.rule}:${r.outcome}`),
    ['accept_trusted_vex:no-match', 'block_kev:fired', 'block_critical:not-reached', 'warn_high:not-reached'],
  );
  assert.deepEqual(t.rules[1]?.location, { file: 'default.stella', line: 21, column: 8 });
  const first = t.rules[0]?.condition;
  assert.equal(first?.value, false);
  assert.deepEqual(first?.children?.map((c) => [c.expr, c.value, c.skipped ?? false]), [
    ['vex.status in ["not_affected", "fixed"]', false, false],
    ['vex.any(status == vex.status and issuer_class in ["vendor", "distro", "internal"])', null, true],
  ]);
  assert.deepEqual(t.inputs, [
    { path: 'vex.status', value: 'none' },
    { path: 'advisory.tags', value: ['fix-available', 'ghsa', 'kev'] },
  ]);
  assert.equal(t.evidence.length, 1);
  assert.equal(t.vex, null);
  assert.deepEqual(changes(t.whatIf), [
    'vex: a `not_affected` VEX statement (justification component_not_present) from a vendor-, distro- or internal-class issuer → PASS (accept_trusted_vex)',
    // Installed 2.14.1: the smallest Maven fix above it is 2.15.0 (not the lexically first "2.12.2").
    'upgrade: upgrade log4j-core from 2.14.1 to ≥ 2.15.0 → PASS',
    'exception: a `suppress` exception for CVE-2021-44228 on pkg:maven/org.apache.logging.log4j/log4j-core with an owner, a reason and an expiry → PASS (block_kev)',
  ]);
});

test('explain (distro-vex pack): VEX statements and weights considered; a distro statement is what would change an OS verdict', async () => {
  const p = await pack('distro-vex');
  const ev = new PolicyEvaluator(p.ir, { evaluationDate: DATE });
  const curl = finding({
    vulnerabilityId: 'CVE-2023-38545',
    aliases: [],
    severity: { level: 'critical', score: 9.8 },
    fixedVersions: ['7.88.1-10+deb12u4'],
    component: { purl: 'pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12', name: 'curl', version: '7.88.1-10', ecosystem: 'Debian' },
    vex: { status: 'not_affected', confidence: 0.3, statements: [{ issuer: 'a scanner vendor', issuerClass: 'community', tier: 1, weight: 0.3, status: 'not_affected' }], conflicts: [] },
  });
  const t = explainDecision(ev, curl, { locations: p.compiled.locations });
  assert.deepEqual([t.decision.status, t.decision.rule], ['warn', 'distro_not_affected']);
  assert.deepEqual(t.vex?.statements.map((s) => `${s.issuer}/${s.issuerClass}/${s.weight}`), ['a scanner vendor/community/0.3']);
  assert.ok(t.inputs.some((i) => i.path === 'vex.statements[0]' && String(i.value).includes('community, tier 1, weight 0.3')), JSON.stringify(t.inputs));
  assert.deepEqual(changes(t.whatIf), [
    'vex: a `not_affected` VEX statement (justification component_not_present) from a vendor- or distro-class issuer → PASS (distro_not_affected)',
    // Debian's own ordering: 7.88.1-10+deb12u4 is above 7.88.1-10.
    'upgrade: upgrade curl from 7.88.1-10 to ≥ 7.88.1-10+deb12u4 → PASS',
    'exception: a `suppress` exception for CVE-2023-38545 on pkg:deb/debian/curl with an owner, a reason and an expiry → PASS (distro_not_affected)',
  ]);
});

test('explain (passing findings): what would flag them — an exception or an ignore expiring, the VEX going away, a KEV listing', async () => {
  const kev = await pack('kev-blocking');
  const deferred = explainDecision(
    new PolicyEvaluator(kev.ir, { evaluationDate: DATE, env: { exposure: 'internet' }, exceptions: kev.exceptions }),
    finding({ vulnerabilityId: 'CVE-2022-42889', aliases: [], fixedVersions: ['1.10.0'], component: { purl: 'pkg:maven/org.apache.commons/commons-text@1.9', name: 'commons-text', version: '1.9' } }),
  );
  assert.equal(deferred.decision.status, 'deferred');
  assert.deepEqual(deferred.exception.applied?.id, 'EXC-2026-004');
  // A KEV listing would not change it: the exception still defers whatever rule flags the finding.
  assert.deepEqual(changes(deferred.whatIf), ['expiry: after 2026-06-30 exception EXC-2026-004 expires → BLOCKED (critical_internet)']);

  const expired = explainDecision(
    new PolicyEvaluator(kev.ir, { evaluationDate: DATE, env: { exposure: 'internet' }, exceptions: kev.exceptions }),
    finding({ vulnerabilityId: 'CVE-2019-17571', aliases: [], component: { purl: 'pkg:maven/log4j/log4j@1.2.17', name: 'log4j', version: '1.2.17' } }),
  );
  assert.deepEqual([expired.decision.status, expired.exception.applied, expired.exception.expired.map((e) => e.id)], ['blocked', null, ['EXC-2025-017']]);

  const distro = await pack('distro-vex');
  const ignored = explainDecision(new PolicyEvaluator(distro.ir, { evaluationDate: DATE }), finding({ severity: { level: 'low', score: 2 } }));
  assert.deepEqual([ignored.decision.status, ignored.decision.until], ['ignored', '2026-12-31']);
  assert.deepEqual(changes(ignored.whatIf), [
    // After 2026-12-31 the finding still passes (no other rule flags a low finding): not listed.
    'kev: if the vulnerability is added to the KEV catalog → BLOCKED (known_exploited)',
    'severity: if its severity were high → WARN (medium_and_high)',
  ]);

  const def = await pack('default');
  const vexed = explainDecision(
    new PolicyEvaluator(def.ir, { evaluationDate: DATE }),
    finding({ kev: true, vex: { status: 'not_affected', confidence: 1, statements: [{ issuer: 'Apache', issuerClass: 'vendor', tier: 3, weight: 1, status: 'not_affected' }], conflicts: [] } }),
  );
  assert.deepEqual(changes(vexed.whatIf), ['without-vex: without the VEX statements (e.g. if they are withdrawn) → BLOCKED (block_kev)']);
  assert.deepEqual(vexed.rules[0]?.condition?.children?.[1]?.statements, [{ index: 0, issuer: 'Apache', issuerClass: 'vendor', status: 'not_affected', value: true }]);
});
