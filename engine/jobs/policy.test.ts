/**
 * The policy jobs on real data: the GHSA Maven records and the CISA KEV catalog of the fixture corpus,
 * the real dropwizard 1.3.15 SBOM, a stored scan.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { fixedClock, sequentialIds, type Finding } from '../core';
import { openStore, type Store } from '../store';
import { importAdvisories } from '../advisories';
import { importSbom, getSbom } from '../sbom';
import { scanInventory, type ScanResult } from '../match';
import { NO_VEX_LOOKUP, type PolicyVexConsensus, type VexLookup } from '../policy';
import { consensusBatch, recordTriageDecision, vexSetDigest } from '../vex';
import { jobContext } from './context';
import { evaluatePolicy, explainPolicyFinding, lintPolicyPack, simulatePolicy, testPolicyPack } from './policy';

const SBOM = ['sbom', 'cyclonedx-bom-examples', 'SBOM', 'dropwizard-1.3.15', 'bom.json'];
const gate = needsFixtures(...SBOM);
const clock = fixedClock('2026-03-01T09:00:00.000Z');
const ctx = () => jobContext({ clock, ids: sequentialIds() });
let store: Store;
let scan: ScanResult;

before(async () => {
  if (gate.skip) return;
  store = openStore({ home: tempDir() });
  const paths = [['advisories', 'maven', 'osv-scalibr-maven-ghsa.jsonl.gz'], ['advisories', 'kev', 'known_exploited_vulnerabilities.json.gz']].map((p) => fixture(...p) as string);
  const r = await importAdvisories(store, paths, { importedAt: '2026-02-01T00:00:00.000Z' });
  assert.equal(r.rejected.length, 0);
  const rec = await importSbom(store, { path: fixture(...SBOM) as string }, { clock });
  const loaded = getSbom(store, rec.id);
  assert.ok(loaded);
  scan = await Promise.resolve(scanInventory(store, loaded.inventory, { subject: 'dropwizard', sbomId: rec.id, clock, ids: sequentialIds() }));
});
after(() => store?.close());

function isKevOrCritical(f: Finding): string {
  if (f.kev) return 'blocked/block_kev';
  if (f.severity.level === 'critical') return 'blocked/block_critical';
  if (f.severity.level === 'high') return 'warn/warn_high';
  return 'pass/-';
}

test('default pack over a real stored scan reproduces the old dashboard rule: KEV or critical blocks, high warns', gate, async () => {
  assert.ok(scan.summary.kev > 0 && scan.summary.bySeverity.critical > 0, 'the real data has KEV and critical findings');
  const r = await evaluatePolicy(store, { pack: 'builtin:default', scan: scan.id }, ctx());
  assert.equal(r.evaluationDate, '2026-03-01', 'the job clock decides the default evaluation date');
  assert.equal(r.verdict, 'BLOCKED');
  assert.equal(r.findings.length, scan.findings.length);
  const byId = new Map(scan.findings.map((f) => [f.id, f]));
  const mismatches = r.findings.filter((d) => `${d.status}/${d.rule ?? '-'}` !== isKevOrCritical(byId.get(d.findingId) as Finding));
  assert.deepEqual(mismatches, []);
  assert.equal(r.counts.BLOCKED, scan.findings.filter((f) => f.kev || f.severity.level === 'critical').length);
  assert.deepEqual(r.scan, { id: scan.id, subject: 'dropwizard', sbomId: scan.sbomId });
  assert.equal(r.unknowns.componentsWithoutPurl, 0, 'every dropwizard component has a purl (read from the stored SBOM)');
  assert.equal(r.vex.lookup, 'engine/vex', 'the stored VEX is the default lookup');
  assert.equal(r.vex.setDigest, vexSetDigest(store));
});

test('a scan document gives the same decisions as the stored scan', gate, async () => {
  const file = join(tempDir(), 'scan.json');
  writeFileSync(file, JSON.stringify({ subject: scan.subject, snapshot: scan.snapshot, scanId: scan.id, sbomId: scan.sbomId, findings: scan.findings.map((f) => ({ ...f, purl: f.purl ?? null })), summary: scan.summary }));
  const fromId = await evaluatePolicy(store, { pack: 'builtin:kev-blocking', scan: scan.id, env: { exposure: 'internet' } }, ctx());
  const fromFile = await evaluatePolicy(store, { pack: 'builtin:kev-blocking', scan: file, env: { exposure: 'internet' } }, ctx());
  assert.deepEqual(fromFile.findings, fromId.findings);
  assert.equal(fromFile.scan.file, file);
  assert.equal(fromId.verdict, 'BLOCKED');

  const bad = join(tempDir(), 'bad.json');
  writeFileSync(bad, JSON.stringify({ subject: 'x', findings: [{ id: 'f' }], summary: { skippedRangeCount: 0 } }));
  await assert.rejects(evaluatePolicy(store, { pack: 'builtin:default', scan: bad }, ctx()), (e: unknown) => e instanceof Error && /\/findings\/0\/vulnerabilityId/.test(e.message) && (e as { exitCode?: number }).exitCode === 3);
  await assert.rejects(evaluatePolicy(store, { pack: 'builtin:default', scan: 'scan_nope' }, ctx()), (e: unknown) => (e as { exitCode?: number }).exitCode === 4);
});

test('the VEX seam: an injected lookup changes exactly the finding it has a statement for', gate, async () => {
  const kevFinding = scan.findings.find((f) => f.kev) as Finding;
  const vendorNotAffected: PolicyVexConsensus = {
    status: 'not_affected',
    justification: 'vulnerable_code_not_in_execute_path',
    confidence: 0.9,
    statements: [{ issuer: 'Eclipse Foundation', issuerClass: 'vendor', tier: 3, weight: 0.9, status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' }],
    conflicts: [],
  };
  const seen: number[] = [];
  const lookup: VexLookup = {
    name: 'test',
    consensus: (keys) => {
      seen.push(keys.length);
      return keys.map((k) => (k.componentRef === kevFinding.componentRef && k.vulnerabilityId === kevFinding.vulnerabilityId ? vendorNotAffected : null));
    },
  };
  const without = await evaluatePolicy(store, { pack: 'builtin:default', scan: scan.id }, ctx());
  const withVex = await evaluatePolicy(store, { pack: 'builtin:default', scan: scan.id, vex: lookup }, ctx());
  assert.deepEqual(seen, [scan.findings.length], 'one batch call for the whole scan');
  const changed = withVex.findings.filter((d, i) => d.status !== without.findings[i]?.status);
  assert.deepEqual(changed.map((d) => [d.findingId, d.status, d.rule]), [[kevFinding.id, 'pass', 'accept_trusted_vex']]);
  assert.deepEqual(withVex.vex, { lookup: 'test', setDigest: null });
});

test('engine/vex is the default lookup: a triage not_affected recorded for one finding changes that finding only (trusted internal VEX)', gate, async () => {
  const triaged = scan.findings.find((f) => f.severity.level === 'critical' && !f.kev && f.purl) as Finding;
  const before = await evaluatePolicy(store, { pack: 'builtin:default', scan: scan.id }, ctx());
  const setBefore = before.vex.setDigest;
  recordTriageDecision(store, { vulnerability: triaged.vulnerabilityId, purl: triaged.purl as string, status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' }, { timestamp: '2026-02-15T10:00:00Z' });
  // The same stored scan again: the consensus kept from the first evaluation belongs to the old VEX set.
  const after = await evaluatePolicy(store, { pack: 'builtin:default', scan: scan.id }, ctx());
  assert.notEqual(after.vex.setDigest, setBefore, 'a new statement is a new VEX set');
  const changed = after.findings.filter((d, i) => d.status !== before.findings[i]?.status || d.rule !== before.findings[i]?.rule);
  assert.deepEqual(changed.map((d) => [d.findingId, d.status, d.rule]), [[triaged.id, 'pass', 'accept_trusted_vex']]);
  // Without VEX on purpose: the old decision.
  const none = await evaluatePolicy(store, { pack: 'builtin:default', scan: scan.id, vex: NO_VEX_LOOKUP }, ctx());
  assert.equal(none.findings.find((d) => d.findingId === triaged.id)?.rule, before.findings.find((d) => d.findingId === triaged.id)?.rule);
  // engine/vex's batch consensus is what the default lookup passes on, unchanged.
  const engineVex: VexLookup = {
    name: 'engine/vex (explicit)',
    consensus: (keys) => consensusBatch(store, keys.map((k) => ({ vulnerabilityId: k.vulnerabilityId, aliases: [...k.aliases], ...(k.purl ? { purl: k.purl } : {}), ref: k.componentRef }))),
  };
  const explicit = await evaluatePolicy(store, { pack: 'builtin:default', scan: scan.id, vex: engineVex }, ctx());
  assert.deepEqual(explicit.findings, after.findings);
  const t = await explainPolicyFinding(store, { pack: 'builtin:default', scan: scan.id, finding: triaged.id }, ctx());
  assert.deepEqual([t.vex?.status, t.vex?.statements.map((s) => `${s.issuerClass}/${s.status}/${s.role}`)], ['not_affected', ['internal/not_affected/decisive']]);
  assert.equal(t.vexSource.setDigest, after.vex.setDigest);
  // The kev-blocking pack accepts only vendor VEX for KEV and high-confidence not_affected otherwise: also passes.
  const kev = await evaluatePolicy(store, { pack: 'builtin:kev-blocking', scan: scan.id }, ctx());
  assert.equal(kev.findings.find((d) => d.findingId === triaged.id)?.rule, 'trusted_not_affected');
});

test('explain on a real finding links the raw advisory document that is in the store', gate, async () => {
  const kevFinding = scan.findings.find((f) => f.kev) as Finding;
  const t = await explainPolicyFinding(store, { pack: 'builtin:default', scan: scan.id, finding: kevFinding.id }, ctx());
  assert.equal(t.decision.rule, 'block_kev');
  assert.ok(t.evidence.length > 0);
  for (const e of t.evidence) assert.ok(store.blobs.has(e.rawDigest as `sha256:${string}`), `${e.rawDigest} is stored`);
  assert.ok(t.whatIf.some((w) => w.kind === 'upgrade'), JSON.stringify(t.whatIf));
  await assert.rejects(explainPolicyFinding(store, { pack: 'builtin:default', scan: scan.id, finding: 'fnd_nope' }, ctx()), /has no finding fnd_nope/);
});

test('simulate over stored scans writes nothing, and stops when cancelled', gate, async () => {
  const changesBefore = (store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  const r = await simulatePolicy(store, { base: 'builtin:default', candidate: 'builtin:kev-blocking', env: { exposure: 'internet' }, samples: 3 }, ctx());
  const changesAfter = (store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  assert.equal(changesAfter, changesBefore);
  assert.deepEqual(r.scans.map((s) => s.scan), [scan.id], 'default: every stored scan');
  const { added, removed, changed, unchanged } = r.counts;
  assert.equal(added + removed + changed + unchanged, scan.findings.length);
  assert.equal(r.samples.length, 3);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(simulatePolicy(store, { base: 'builtin:default', candidate: 'builtin:default' }, jobContext({ clock, signal: ac.signal })), (e: unknown) => (e as { exitCode?: number }).exitCode === 130);
});

test('lint and test jobs need no store', async () => {
  const lint = await lintPolicyPack(null, { pack: 'builtin:distro-vex' }, ctx());
  assert.deepEqual([lint.ok, lint.errors, lint.warnings], [true, 0, 0]);
  assert.match(lint.pack.digest ?? '', /^sha256:/);
  const t = await testPolicyPack(null, { pack: 'builtin:distro-vex' }, ctx());
  assert.deepEqual([t.passed, t.failed], [2, 0]);
});
