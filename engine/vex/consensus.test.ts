/** The consensus lattice: join laws and order independence (fast-check), and the resolution rules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { VEX_STATUSES, type VexStatement, type VexStatus } from '../core';
import { elementOf, joinVex, resolveConsensus, EMPTY_ELEMENT, type TrustedStatement, type VexLatticeElement } from './consensus';
import { DEFAULT_CLASS_TRUST, readTrustSettings, trustResolver, writeTrustSetting } from './trust';
import { openStore } from '../store';
import { tempDir } from '../../build/test-support/fixtures';

const ISSUERS = [
  { name: 'Acme Corp', role: 'vendor', cls: 'vendor' },
  { name: 'Debian', role: undefined, cls: 'distro' },
  { name: 'Some Researcher', role: undefined, cls: 'community' },
  { name: 'Auditor', role: 'triage', cls: 'internal' },
] as const;

function statement(i: number, issuer: number, status: VexStatus, ts: number): TrustedStatement {
  const iss = ISSUERS[issuer]!;
  const s: VexStatement = {
    id: `vexst_${String(i).padStart(24, '0')}`,
    vulnerability: 'CVE-2024-0001',
    aliases: [],
    product: { purl: 'pkg:npm/x@1.0.0' },
    status,
    statusAsGiven: status,
    ...(status === 'not_affected' ? { justification: 'vulnerable_code_not_present' as const } : {}),
    timestamp: new Date(Date.UTC(2024, 0, 1 + ts)).toISOString(),
    issuer: { name: iss.name, ...(iss.role ? { role: iss.role } : {}) },
    raw: { digest: `sha256:${'0'.repeat(64)}`, source: iss.cls === 'internal' ? 'triage' : 'openvex', uri: 'x.json', format: 'openvex', path: '/statements/0' },
  };
  const t = DEFAULT_CLASS_TRUST[iss.cls];
  return { statement: s, trust: { issuerClass: iss.cls, tier: t.tier, weight: t.weight } };
}

const arbStatement = fc.record({ i: fc.integer({ min: 0, max: 40 }), issuer: fc.integer({ min: 0, max: 3 }), status: fc.constantFrom(...VEX_STATUSES), ts: fc.integer({ min: 0, max: 5 }) }).map((r) => statement(r.i, r.issuer, r.status, r.ts));
// Statement ids are content addresses: one id is one statement, so generated sets keep the first per id.
const arbSet = fc.array(arbStatement, { maxLength: 12 }).map((xs) => [...new Map(xs.map((x) => [x.statement.id, x])).values()]);
const Q = { vulnerability: { id: 'CVE-2024-0001', aliases: [] }, component: { purl: 'pkg:npm/x@1.0.0' } };
const same = (a: VexLatticeElement, b: VexLatticeElement) => assert.deepEqual([...a.keys()], [...b.keys()]);

test('join is commutative, associative and idempotent', () => {
  fc.assert(
    fc.property(arbSet, arbSet, arbSet, (a, b, c) => {
      const [ea, eb, ec] = [elementOf(a), elementOf(b), elementOf(c)];
      same(joinVex(ea, eb), joinVex(eb, ea));
      same(joinVex(joinVex(ea, eb), ec), joinVex(ea, joinVex(eb, ec)));
      same(joinVex(ea, ea), ea);
      same(joinVex(ea, EMPTY_ELEMENT), ea);
    }),
    { numRuns: 300 },
  );
});

test('consensus (and its digest) does not depend on the order or repetition of statements', () => {
  fc.assert(
    fc.property(arbSet.chain((xs) => fc.tuple(fc.constant(xs), fc.shuffledSubarray(xs, { minLength: xs.length, maxLength: xs.length }))), ([xs, shuffled]) => {
      const a = resolveConsensus(elementOf(xs), Q);
      const b = resolveConsensus(elementOf([...shuffled, ...shuffled]), Q);
      assert.deepEqual(b, a);
      const split = Math.floor(xs.length / 2);
      assert.equal(resolveConsensus(joinVex(elementOf(shuffled.slice(split)), elementOf(shuffled.slice(0, split))), Q).digest, a.digest);
    }),
    { numRuns: 300 },
  );
});

test('consensus never silently picks: two definitive statuses in the deciding tier are a conflict', () => {
  fc.assert(
    fc.property(arbSet, (xs) => {
      const c = resolveConsensus(elementOf(xs), Q);
      if (!xs.length) return assert.equal(c.status, 'none');
      const top = Math.max(...c.statements.filter((s) => s.role !== 'superseded').map((s) => s.tier));
      const deciding = c.statements.filter((s) => s.tier === top && s.role !== 'superseded' && s.role !== 'overridden' && s.status !== 'under_investigation');
      const statuses = new Set(deciding.map((s) => s.status));
      assert.equal(c.conflicts.length, statuses.size > 1 ? 1 : 0);
      assert.ok(c.confidence >= 0 && c.confidence <= 1);
      return undefined;
    }),
    { numRuns: 300 },
  );
});

test('resolution rules, table-driven', () => {
  const cases: { name: string; set: TrustedStatement[]; status: string; conflicts: number; roles: string[] }[] = [
    { name: 'nothing applies', set: [], status: 'none', conflicts: 0, roles: [] },
    { name: 'vendor alone', set: [statement(1, 0, 'not_affected', 0)], status: 'not_affected', conflicts: 0, roles: ['decisive'] },
    { name: 'vendor and distro disagree (same tier)', set: [statement(1, 0, 'not_affected', 0), statement(2, 1, 'affected', 0)], status: 'affected', conflicts: 1, roles: ['conflicting', 'conflicting'] },
    { name: 'internal triage overrides the vendor', set: [statement(1, 0, 'affected', 0), statement(2, 3, 'not_affected', 0)], status: 'not_affected', conflicts: 0, roles: ['decisive', 'overridden'] },
    { name: 'community is overridden by the vendor', set: [statement(1, 2, 'affected', 0), statement(2, 0, 'fixed', 0)], status: 'fixed', conflicts: 0, roles: ['decisive', 'overridden'] },
    { name: "an issuer's newer statement supersedes its older one", set: [statement(1, 0, 'under_investigation', 0), statement(2, 0, 'not_affected', 3)], status: 'not_affected', conflicts: 0, roles: ['superseded', 'decisive'] },
    { name: 'under_investigation yields to a definitive answer of the same tier', set: [statement(1, 0, 'under_investigation', 0), statement(2, 1, 'fixed', 0)], status: 'fixed', conflicts: 0, roles: ['deferred', 'decisive'] },
    { name: 'only under_investigation', set: [statement(1, 0, 'under_investigation', 0)], status: 'under_investigation', conflicts: 0, roles: ['decisive'] },
  ];
  for (const c of cases) {
    const r = resolveConsensus(elementOf(c.set), Q);
    assert.equal(r.status, c.status, c.name);
    assert.equal(r.conflicts.length, c.conflicts, c.name);
    assert.deepEqual(r.statements.map((s) => s.role), c.roles, c.name);
    assert.match(r.digest, /^sha256:[0-9a-f]{64}$/);
  }
  const agreeing = resolveConsensus(elementOf([statement(1, 0, 'not_affected', 0), statement(2, 1, 'not_affected', 0)]), Q);
  assert.equal(agreeing.confidence, 1);
  assert.equal(agreeing.justification, 'vulnerable_code_not_present');
  const split = resolveConsensus(elementOf([statement(1, 0, 'not_affected', 0), statement(2, 1, 'affected', 0)]), Q);
  assert.equal(split.confidence, Math.round((0.9 / 1.9) * 10000) / 10000);
});

test('trust settings: stored per class and per issuer, applied at read time', () => {
  const store = openStore({ home: tempDir() });
  const resolve = (s: TrustedStatement) => trustResolver(readTrustSettings(store))(s.statement);
  const researcher = statement(1, 2, 'affected', 0);
  assert.deepEqual(resolve(researcher), { issuerClass: 'community', tier: 1, weight: 0.5 });
  writeTrustSetting(store, { issuer: ' some  RESEARCHER ', issuerClass: 'vendor' }, { weight: 0.7 }, '2026-01-01T00:00:00Z');
  assert.deepEqual(resolve(researcher), { issuerClass: 'vendor', tier: 3, weight: 0.7 });
  writeTrustSetting(store, { issuerClass: 'vendor' }, { tier: 5 }, '2026-01-01T00:00:00Z');
  assert.deepEqual(resolve(researcher), { issuerClass: 'vendor', tier: 5, weight: 0.7 });
  // The workstation's own statements stay internal whatever an issuer setting says.
  writeTrustSetting(store, { issuer: 'Auditor', issuerClass: 'community' }, {}, '2026-01-01T00:00:00Z');
  assert.equal(resolve(statement(2, 3, 'fixed', 0)).issuerClass, 'internal');
  assert.throws(() => writeTrustSetting(store, { issuerClass: 'vendor' }, { weight: 2 }, '2026-01-01T00:00:00Z'), /weight/);
  store.close();
});
