import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PolicyEvaluator, compileExpr, type EnvValue, type PolicyException } from './evaluate';
import { traceCondition } from './explain';
import { loadPack, requireUsable } from './pack';
import { builtinPackNames } from './pack';
import { VEX_JUSTIFICATIONS, VEX_ROLES, VEX_STATUSES, ISSUER_CLASSES, SEVERITY_ORDER } from './language';
import type { PolicyFindingInput, PolicyScanInput, PolicyVexConsensus } from './input';
import type { IrExpr } from './ir';
import type { VexConsensus } from '../core';
import { finding, irOf } from './_internal/testkit';
import { PolicyError } from './errors';

const DATE = '2026-03-01';

const distroNotAffected: PolicyVexConsensus = {
  status: 'not_affected',
  justification: 'vulnerable_code_not_present',
  confidence: 0.9,
  statements: [
    { issuer: 'Debian Security Team', issuerClass: 'distro', tier: 3, weight: 0.9, status: 'not_affected', justification: 'vulnerable_code_not_present' },
    { issuer: 'a blog', issuerClass: 'community', tier: 1, weight: 0.1, status: 'affected' },
  ],
  conflicts: [],
};

function conditionOf(cond: string): IrExpr {
  return (irOf(`rule r { when ${cond} then status := "blocked" because "x" }`).rules[0] as { when: IrExpr }).when;
}

test('conditions: comparisons, missing values, severity order, lists, tags, VEX and env — closures and the tracer agree', () => {
  interface Case {
    cond: string;
    f?: Parameters<typeof finding>[0];
    env?: Record<string, EnvValue>;
    expect: boolean;
  }
  const cases: Case[] = [
    { cond: 'severity.level >= "high"', expect: true },
    { cond: 'severity.level >= "HIGH"', f: { severity: { level: 'medium', score: 5 } }, expect: false },
    { cond: 'severity.level >= "low"', f: { severity: { level: 'unknown', score: null } }, expect: false },
    { cond: 'severity.level <= "low"', f: { severity: { level: 'unknown', score: null } }, expect: true },
    { cond: 'severity.level in ["critical", "high"]', expect: true },
    { cond: 'severity.level not in ["critical", "high"]', expect: false },
    { cond: 'severity.score >= 9.0', expect: true },
    { cond: 'severity.score >= 0', f: { severity: { level: 'unknown', score: null } }, expect: false },
    { cond: 'severity.score != 5', f: { severity: { level: 'unknown', score: null } }, expect: true },
    { cond: 'epss >= 0.5', expect: false },
    { cond: 'epss < 0.5', expect: false },
    { cond: 'not (epss < 0.5)', expect: true },
    { cond: 'epss >= 0.5', f: { epss: { score: 0.61 } }, expect: true },
    { cond: 'epss.percentile > 0.9', f: { epss: { score: 0.61, percentile: 0.97 } }, expect: true },
    { cond: 'component.purl == "x"', f: { component: { purl: undefined } }, expect: false },
    { cond: 'component.purl != "x"', f: { component: { purl: undefined } }, expect: true },
    { cond: 'component.scope == "required"', expect: true },
    { cond: 'component.installed and not component.declared', expect: true },
    { cond: 'component.ecosystem in ["Maven", "npm"]', expect: true },
    { cond: '"GHSA-jfh8-c2jp-5v3q" in advisory.aliases', expect: true },
    { cond: '"GHSA-0000-0000-0000" in advisory.aliases', expect: false },
    { cond: 'advisory.sources in ["debian", "ghsa"]', expect: true },
    { cond: 'advisory.id == "CVE-2021-44228"', expect: true },
    { cond: 'advisory.has_tag("kev")', expect: false },
    { cond: 'advisory.has_tag("kev") and advisory.kev', f: { kev: true }, expect: true },
    { cond: 'advisory.has_tag("fix-available")', f: { fixedVersions: ['2.15.0'] }, expect: true },
    { cond: 'advisory.has_tag("epss")', f: { epss: { score: 0.1 } }, expect: true },
    { cond: 'advisory.has_tag("ghsa")', expect: true },
    { cond: 'advisory.has_tag("exploit-poc")', f: { advisory: { sources: [], tags: ['exploit-poc'] } }, expect: true },
    { cond: 'sbom.has_tag("image")', f: { sbom: { tags: ['format:cyclonedx-json', 'image'] } }, expect: true },
    { cond: 'fix.available', expect: false },
    { cond: '"2.15.0" in fix.versions', f: { fixedVersions: ['2.15.0'] }, expect: true },
    { cond: 'vex.status == "none" and vex.justification == "none" and vex.count == 0 and vex.confidence == 0', expect: true },
    { cond: 'vex.any(status == "not_affected")', expect: false },
    { cond: 'vex.status == "not_affected"', f: { vex: distroNotAffected }, expect: true },
    { cond: 'vex.any(status == "not_affected" and issuer_class == "distro" and tier >= 3 and weight >= 0.5)', f: { vex: distroNotAffected }, expect: true },
    { cond: 'vex.any(status == "not_affected" and issuer_class == "community")', f: { vex: distroNotAffected }, expect: false },
    { cond: 'vex.any(status == vex.status and justification == "vulnerable_code_not_present")', f: { vex: distroNotAffected }, expect: true },
    { cond: 'vex.any(issuer == "a blog" and justification == "none")', f: { vex: distroNotAffected }, expect: true },
    { cond: 'vex.count == 2 and not vex.conflict and vex.confidence > 0.8', f: { vex: distroNotAffected }, expect: true },
    { cond: 'vex.conflict', f: { vex: { ...distroNotAffected, conflicts: [{ statuses: ['not_affected', 'affected'], issuers: ['a', 'b'] }] } }, expect: true },
    { cond: 'env.exposure == "internet"', env: { exposure: 'internet' }, expect: true },
    { cond: 'env.exposure == "internet"', expect: false },
    { cond: 'env.exposure != "internet"', expect: true },
    { cond: 'env.replicas > 3', env: { replicas: 5 }, expect: true },
    { cond: 'env.replicas > 3', env: { replicas: '5' }, expect: true },
    { cond: 'env.replicas > 3', env: { replicas: 'many' }, expect: false },
    { cond: 'env.deadline < 2026-01-01', env: { deadline: '2025-12-31' }, expect: true },
    { cond: 'env.deadline < 2026-01-01', env: { deadline: 'soon' }, expect: false },
    { cond: 'env.tier in ["gold", "silver"]', env: { tier: 'gold' }, expect: true },
    { cond: 'env.production', env: { production: true }, expect: true },
    { cond: 'true or false and false', expect: true },
    { cond: '(true or false) and false', expect: false },
    { cond: 'not not true', expect: true },
  ];
  const failures: string[] = [];
  for (const c of cases) {
    const ir = conditionOf(c.cond);
    const f = finding(c.f);
    const fast = compileExpr(ir, c.env ?? {})(f, undefined) === true;
    const traced = traceCondition(ir, f, c.env ?? {}).value === true;
    if (fast !== c.expect || traced !== c.expect) failures.push(`${c.cond}: expected ${c.expect}, closure ${fast}, tracer ${traced}`);
  }
  assert.deepEqual(failures, []);
});

test('property: for random findings, the closure compiler and the tracing interpreter agree on every condition of the shipped packs', async () => {
  const conditions: IrExpr[] = [];
  for (const name of builtinPackNames()) {
    const p = requireUsable(await loadPack(`builtin:${name}`));
    conditions.push(...p.ir.rules.map((r) => r.when));
  }
  conditions.push(
    conditionOf('severity.score >= 7 or (epss.percentile > 0.5 and not component.declared)'),
    conditionOf('advisory.sources in ["debian"] or "X" in advisory.aliases or env.exposure == "internet"'),
    conditionOf('vex.any(tier >= 2 and weight > 0.3 and justification != "none")'),
    conditionOf('vex.any(role == "decisive" or role != "overridden") and vex.count >= 1'),
  );
  const statement = fc.record({
    issuer: fc.constantFrom('Debian', 'Red Hat', 'Example PSIRT', 'stella', 'blog'),
    issuerClass: fc.constantFrom(...ISSUER_CLASSES),
    tier: fc.integer({ min: 0, max: 4 }),
    weight: fc.double({ min: 0, max: 1, noNaN: true }),
    status: fc.constantFrom(...VEX_STATUSES),
    justification: fc.option(fc.constantFrom(...VEX_JUSTIFICATIONS), { nil: undefined }),
    role: fc.option(fc.constantFrom(...VEX_ROLES), { nil: undefined }),
  });
  const arbFinding: fc.Arbitrary<PolicyFindingInput> = fc
    .record({
      level: fc.constantFrom(...SEVERITY_ORDER),
      score: fc.option(fc.double({ min: 0, max: 10, noNaN: true }), { nil: null }),
      kev: fc.boolean(),
      epss: fc.option(fc.record({ score: fc.double({ min: 0, max: 1, noNaN: true }), percentile: fc.double({ min: 0, max: 1, noNaN: true }) }), { nil: undefined }),
      fixed: fc.array(fc.constantFrom('1.0', '2.0'), { maxLength: 2 }),
      ecosystem: fc.constantFrom('Maven', 'npm', 'Debian', 'Alpine', 'Red Hat'),
      scope: fc.constantFrom('required' as const, 'optional' as const, 'excluded' as const),
      declared: fc.boolean(),
      purl: fc.option(fc.constant('pkg:deb/debian/curl@7.88.1-10'), { nil: undefined }),
      sources: fc.array(fc.constantFrom('ghsa', 'debian', 'osv'), { maxLength: 2 }),
      vex: fc.option(
        fc.record({
          status: fc.constantFrom(...VEX_STATUSES),
          confidence: fc.double({ min: 0, max: 1, noNaN: true }),
          statements: fc.array(statement, { maxLength: 3 }),
          conflict: fc.boolean(),
        }),
        { nil: null },
      ),
    })
    .map((r) =>
      finding({
        severity: { level: r.level, score: r.score },
        kev: r.kev,
        ...(r.epss ? { epss: r.epss } : {}),
        fixedVersions: r.fixed,
        advisory: { sources: r.sources, tags: [] },
        component: { ecosystem: r.ecosystem, scope: r.scope, declared: r.declared, purl: r.purl },
        vex: r.vex ? { status: r.vex.status, confidence: r.vex.confidence, statements: r.vex.statements.map((s) => ({ ...s })), conflicts: r.vex.conflict ? [{ statuses: ['affected', 'not_affected'], issuers: ['a', 'b'] }] : [] } : null,
      }),
    );
  const env = { exposure: 'internet' };
  const compiled = conditions.map((c) => compileExpr(c, env));
  fc.assert(
    fc.property(arbFinding, (f) => {
      conditions.forEach((c, i) => {
        assert.equal((compiled[i] as ReturnType<typeof compileExpr>)(f, undefined) === true, traceCondition(c, f, env).value === true);
      });
    }),
    { numRuns: 400, seed: 20260301 },
  );
});

test('rules: priority order, file order on ties, first match wins, else branches, default status', () => {
  const ir = irOf(`
  settings { default_status = "warn" }
  rule late priority 50 { when true then status := "pass" because "late" }
  rule first priority 10 { when advisory.kev then status := "blocked" because "kev" }
  rule tie_a priority 20 { when severity.level == "critical" then warn message "a" because "a" }
  rule tie_b priority 20 { when severity.level == "critical" then status := "blocked" because "b" }
  rule branchy priority 30 { when fix.available then status := "blocked" else status := "ignored" because "else" }`);
  const ev = new PolicyEvaluator(ir, { evaluationDate: DATE });
  const cases: [string, PolicyFindingInput, string, string | null][] = [
    ['kev first', finding({ kev: true }), 'blocked', 'first'],
    ['file order on a tie', finding(), 'warn', 'tie_a'],
    ['else branch decides', finding({ severity: { level: 'high', score: 7 } }), 'ignored', 'branchy'],
    ['then branch', finding({ severity: { level: 'high', score: 7 }, fixedVersions: ['1'] }), 'blocked', 'branchy'],
  ];
  for (const [name, f, status, rule] of cases) {
    const d = ev.decide(f);
    assert.deepEqual([d.status, d.rule], [status, rule], name);
  }
  assert.deepEqual(ev.decide(finding()).messages, ['a']);
  const none = new PolicyEvaluator(irOf('settings { default_status = "warn" }\n rule x { when advisory.kev then status := "blocked" because "k" }'), { evaluationDate: DATE }).decide(finding());
  assert.deepEqual([none.status, none.verdict, none.rule, none.because], ['warn', 'WARN', null, null]);
});

test('ignore/defer until: hold through the date (inclusive), then the rule stops applying and the next one decides', () => {
  const ir = irOf(`
  rule waiver priority 1 { when advisory.id == "CVE-2021-44228" then ignore until 2026-03-31 because "waiver" }
  rule later priority 2 { when advisory.id == "CVE-2021-44228" then defer until 2026-04-15T12:00:00Z because "deferral" }
  rule block priority 3 { when true then status := "blocked" because "block" }`);
  const at = (date: string) => {
    const d = new PolicyEvaluator(ir, { evaluationDate: date }).decide(finding());
    return `${d.status}/${d.rule}/${d.until ?? '-'}`;
  };
  assert.equal(at('2026-03-01'), 'ignored/waiver/2026-03-31');
  assert.equal(at('2026-03-31'), 'ignored/waiver/2026-03-31');
  assert.equal(at('2026-03-31T23:59:59Z'), 'ignored/waiver/2026-03-31');
  assert.equal(at('2026-04-01'), 'deferred/later/2026-04-15T12:00:00Z');
  assert.equal(at('2026-04-15T12:00:00Z'), 'deferred/later/2026-04-15T12:00:00Z');
  assert.equal(at('2026-04-15T12:00:01Z'), 'blocked/block/-');
  assert.throws(() => new PolicyEvaluator(ir, { evaluationDate: 'tomorrow' }), (e: unknown) => e instanceof PolicyError && e.code === 'invalid-input');
});

test('actions: warn message, annotate with fields and env, escalate raises but never lowers', () => {
  const ir = irOf(`
  rule r { when true then warn message "look" annotate epss := epss annotate aliases := advisory.aliases annotate team := env.team annotate missing := env.nothing escalate to "critical" escalate to "low" because "x" }`);
  const d = new PolicyEvaluator(ir, { evaluationDate: DATE, env: { team: 'payments' } }).decide(finding({ severity: { level: 'high', score: 7 }, epss: { score: 0.3 } }));
  assert.equal(d.status, 'warn');
  assert.deepEqual(d.messages, ['look']);
  assert.deepEqual(d.annotations, { epss: 0.3, aliases: ['GHSA-jfh8-c2jp-5v3q'], team: 'payments', missing: null });
  assert.equal(d.severity, 'critical');
});

test('engine/core VexConsensus (what engine/vex computes) is the input as it is; superseded statements are not evidence', () => {
  const core: VexConsensus = {
    vulnerability: { id: 'CVE-2021-44228', aliases: [] },
    component: { purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' },
    status: 'affected',
    confidence: 1,
    statements: [
      { statementId: 'vexst_new', issuer: 'Apache', issuerClass: 'vendor', tier: 3, weight: 1, status: 'affected', role: 'decisive', raw: { digest: `sha256:${'1'.repeat(64)}`, uri: 'a.json', format: 'openvex' } },
      { statementId: 'vexst_old', issuer: 'Apache', issuerClass: 'vendor', tier: 3, weight: 1, status: 'not_affected', justification: 'component_not_present', role: 'superseded', raw: { digest: `sha256:${'2'.repeat(64)}`, uri: 'b.json', format: 'openvex' } },
    ],
    conflicts: [],
    digest: `sha256:${'3'.repeat(64)}`,
  };
  const vex: PolicyVexConsensus = core; // assignable: no mapping needed at the integration seam
  const none: PolicyVexConsensus = { ...core, status: 'none', confidence: 0, statements: [] };
  const f = finding({ vex });
  const cases: [string, PolicyFindingInput, boolean][] = [
    ['vex.any(status == "not_affected")', f, false],
    ['vex.any(status == "affected" and role == "decisive")', f, true],
    ['vex.count == 1', f, true],
    ['vex.status == "none" and vex.count == 0', finding({ vex: none }), true],
  ];
  for (const [cond, input, expect] of cases) {
    const ir = conditionOf(cond);
    assert.equal(compileExpr(ir, {})(input, undefined), expect, cond);
    assert.equal(traceCondition(ir, input).value, expect, cond);
  }
  const ev = new PolicyEvaluator(irOf('rule r { when true then requireVex { statuses = ["not_affected"]; otherwise = "warn" } because "x" }'), { evaluationDate: DATE });
  assert.equal(ev.decide(finding({ vex: { ...core, status: 'not_affected' } })).status, 'warn', 'only the superseded statement says not_affected');
});

test('requireVex: passes only with a qualifying statement behind an accepted consensus status', () => {
  const ir = irOf(`
  rule r { when true then requireVex { issuer_class = ["distro"]; min_weight = 0.5; min_tier = 2; justifications = ["vulnerable_code_not_present"]; otherwise = "warn" } because "x" }`);
  const ev = new PolicyEvaluator(ir, { evaluationDate: DATE });
  const cases: [string, PolicyVexConsensus | null, string][] = [
    ['distro statement qualifies', distroNotAffected, 'pass'],
    ['no VEX', null, 'warn'],
    ['consensus affected although a distro says not_affected', { ...distroNotAffected, status: 'affected' }, 'warn'],
    ['weight too low', { ...distroNotAffected, statements: [{ ...(distroNotAffected.statements[0] as PolicyVexConsensus['statements'][number]), weight: 0.4 }] }, 'warn'],
    ['tier too low', { ...distroNotAffected, statements: [{ ...(distroNotAffected.statements[0] as PolicyVexConsensus['statements'][number]), tier: 1 }] }, 'warn'],
    ['other justification', { ...distroNotAffected, statements: [{ ...(distroNotAffected.statements[0] as PolicyVexConsensus['statements'][number]), justification: 'inline_mitigations_already_exist' }] }, 'warn'],
    ['community only', { ...distroNotAffected, statements: [{ ...(distroNotAffected.statements[0] as PolicyVexConsensus['statements'][number]), issuerClass: 'community' }] }, 'warn'],
  ];
  for (const [name, vex, status] of cases) assert.equal(ev.decide(finding({ vex })).status, status, name);
  assert.deepEqual(ev.decide(finding({ vex: distroNotAffected })).acceptedVex, { issuer: 'Debian Security Team', issuerClass: 'distro', status: 'not_affected' });
});

test('exceptions: suppress/defer/downgrade with owner, reason and expiry; only flagged findings; matching by alias, purl and rule', () => {
  const ir = irOf(`
  rule kev priority 1 { when advisory.kev then status := "blocked" because "kev" }
  rule crit priority 2 { when severity.level == "critical" then status := "blocked" because "crit" }
  rule high priority 3 { when severity.level == "high" then warn because "high" }`);
  const ex = (over: Partial<PolicyException> & Pick<PolicyException, 'id' | 'kind' | 'match'>): PolicyException => ({ owner: 'alice', reason: 'accepted', expires: '2026-06-30', ...over });
  interface Case {
    name: string;
    exceptions: PolicyException[];
    f: PolicyFindingInput;
    expect: string;
  }
  const cases: Case[] = [
    { name: 'suppress by id', exceptions: [ex({ id: 'E1', kind: 'suppress', match: { vulnerability: 'cve-2021-44228' } })], f: finding(), expect: 'suppressed/PASS/E1' },
    { name: 'by alias', exceptions: [ex({ id: 'E1', kind: 'defer', match: { vulnerability: 'GHSA-jfh8-c2jp-5v3q' } })], f: finding(), expect: 'deferred/PASS/E1' },
    { name: 'purl without version matches every version', exceptions: [ex({ id: 'E1', kind: 'suppress', match: { purl: 'pkg:maven/org.apache.logging.log4j/log4j-core' } })], f: finding(), expect: 'suppressed/PASS/E1' },
    { name: 'purl with a different version does not', exceptions: [ex({ id: 'E1', kind: 'suppress', match: { purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1' } })], f: finding(), expect: 'blocked/BLOCKED/-' },
    { name: 'glob', exceptions: [ex({ id: 'E1', kind: 'suppress', match: { purl: 'pkg:maven/org.apache.logging.log4j/*' } })], f: finding(), expect: 'suppressed/PASS/E1' },
    { name: 'rule must match', exceptions: [ex({ id: 'E1', kind: 'suppress', match: { vulnerability: 'CVE-2021-44228', rule: 'kev' } })], f: finding(), expect: 'blocked/BLOCKED/-' },
    { name: 'rule matches', exceptions: [ex({ id: 'E1', kind: 'suppress', match: { vulnerability: 'CVE-2021-44228', rule: 'crit' } })], f: finding(), expect: 'suppressed/PASS/E1' },
    { name: 'downgrade one step', exceptions: [ex({ id: 'E1', kind: 'downgrade', match: { vulnerability: 'CVE-2021-44228' } })], f: finding(), expect: 'warn/WARN/E1' },
    { name: 'downgrade warn → pass', exceptions: [ex({ id: 'E1', kind: 'downgrade', match: { vulnerability: 'CVE-2021-44228' } })], f: finding({ severity: { level: 'high', score: 7 } }), expect: 'pass/PASS/E1' },
    { name: 'downgrade to', exceptions: [ex({ id: 'E1', kind: 'downgrade', to: 'pass', match: { vulnerability: 'CVE-2021-44228' } })], f: finding(), expect: 'pass/PASS/E1' },
    { name: 'expired', exceptions: [ex({ id: 'E1', kind: 'suppress', expires: '2026-02-28', match: { vulnerability: 'CVE-2021-44228' } })], f: finding(), expect: 'blocked/BLOCKED/-' },
    { name: 'expires on the evaluation day: still holds', exceptions: [ex({ id: 'E1', kind: 'suppress', expires: DATE, match: { vulnerability: 'CVE-2021-44228' } })], f: finding(), expect: 'suppressed/PASS/E1' },
    { name: 'passing findings are left alone', exceptions: [ex({ id: 'E1', kind: 'suppress', match: { vulnerability: 'CVE-2021-44228' } })], f: finding({ severity: { level: 'low', score: 2 } }), expect: 'pass/PASS/-' },
    {
      name: 'first by id',
      exceptions: [ex({ id: 'E2', kind: 'suppress', match: { vulnerability: 'CVE-2021-44228' } }), ex({ id: 'E1', kind: 'defer', match: { vulnerability: 'CVE-2021-44228' } })],
      f: finding(),
      expect: 'deferred/PASS/E1',
    },
  ];
  for (const c of cases) {
    const d = new PolicyEvaluator(ir, { evaluationDate: DATE, exceptions: c.exceptions }).decide(c.f);
    assert.equal(`${d.status}/${d.verdict}/${d.exception?.id ?? '-'}`, c.expect, c.name);
    if (d.exception) {
      assert.equal(d.ruleStatus, d.rule === 'high' ? 'warn' : 'blocked', c.name);
      assert.deepEqual(Object.keys(d.exception).sort(), ['expires', 'id', 'kind', 'owner', 'reason']);
    }
  }
});

test('scan verdict: worst finding, counts, rule hits, and the unknowns budget (purl-less components + unresolvable ranges + VEX conflicts)', () => {
  const ir = irOf(`
  settings { unknowns_budget = 5; unknowns_action = "warn" }
  rule crit { when severity.level == "critical" then status := "blocked" because "c" }
  rule high { when severity.level == "high" then warn because "h" }
  rule unused { when advisory.kev and epss > 2 then warn because "never matches" }`);
  const conflict = { ...distroNotAffected, conflicts: [{ statuses: ['affected', 'not_affected'] as ('affected' | 'not_affected')[], issuers: ['a', 'b'] }] };
  const scan = (findings: PolicyFindingInput[], withoutPurl: number | null, ranges: number): PolicyScanInput => ({ scan: { id: 's', subject: 'x' }, unknowns: { componentsWithoutPurl: withoutPurl, unresolvableRanges: ranges }, findings });
  const ev = new PolicyEvaluator(ir, { evaluationDate: DATE });
  const low = finding({ id: 'a', severity: { level: 'low', score: 1 } });
  const high = finding({ id: 'b', severity: { level: 'high', score: 7 }, vex: conflict });
  const crit = finding({ id: 'c' });

  const r1 = ev.evaluate(scan([low, high, crit], 1, 1));
  assert.equal(r1.verdict, 'BLOCKED');
  assert.deepEqual([r1.counts.PASS, r1.counts.WARN, r1.counts.BLOCKED], [1, 1, 1]);
  assert.deepEqual(r1.rules, [
    { rule: 'crit', hits: 1 },
    { rule: 'high', hits: 1 },
    { rule: 'unused', hits: 0 },
  ]);
  assert.deepEqual(r1.unknowns, { componentsWithoutPurl: 1, unresolvableRanges: 1, vexConflicts: 1, total: 3, budget: 5, exceeded: false });

  const r2 = ev.evaluate(scan([low], 4, 2));
  assert.deepEqual([r2.findingsVerdict, r2.verdict, r2.unknowns.exceeded, r2.unknowns.total], ['PASS', 'WARN', true, 6]);
  const r3 = ev.evaluate(scan([low], null, 5));
  assert.deepEqual([r3.verdict, r3.unknowns.total], ['PASS', 5], 'an unknown purl count counts as zero; exactly the budget is within it');
  const noBudget = new PolicyEvaluator(irOf('rule r { when false then warn because "x" }'), { evaluationDate: DATE }).evaluate(scan([low], 1000, 1000));
  assert.deepEqual([noBudget.verdict, noBudget.unknowns.exceeded, noBudget.unknowns.budget], ['PASS', false, null]);
});
