// The VEX and policy channels over HTTP + WebSocket (`stella serve`'s /api/invoke/:channel) against the
// real engine in real workers: scan verdicts on ScanSummary, VEX for a finding, a triage decision that
// changes that finding's decision and nothing else, the OpenVEX export re-imported into a fresh home,
// the policy editor's lint/test/compile/evaluate/explain/simulate, and a pack imported, approved by two
// keys and activated. Documents are built here (OSV for Node.js, an SBOM of two Node.js versions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { WebSocket } from 'ws';
import { startServe } from './server';
import { createHttpClient, type EventPayloads, type HttpEngineClient, type JobResults, type WebSocketCtor } from '../common/contract';
import { fixture, tempDir } from '../../build/test-support/fixtures';
import { runJob, value, waitForSockets } from '../../build/test-support/serve-client';
import { fixedClock } from '../../engine/core';
import { generateKey } from '../../engine/attest';
import { openStore } from '../../engine/store';

const CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const HIGH = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H';
const osv = (cve: string, vector: string) => ({
  schema_version: '1.6.0',
  id: cve,
  modified: '2026-01-01T00:00:00Z',
  severity: [{ type: 'CVSS_V3', score: vector }],
  affected: [{ package: { ecosystem: 'Node.js', name: 'node' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }],
});
const SBOM = {
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  version: 1,
  serialNumber: 'urn:uuid:0d6b1c6e-4a6f-4bfa-9d3c-2f2b0a7f5e11',
  components: ['18.19.0', '20.11.0'].map((v) => ({ type: 'application', 'bom-ref': `node-${v}`, name: 'node', version: v, purl: `pkg:nodejs/node@${v}` })),
};
const PASSPHRASE = 'correct horse battery staple';
const enc = (x: unknown) => new TextEncoder().encode(typeof x === 'string' ? x : JSON.stringify(x));

async function serve(home: string) {
  const s = await startServe({ home, readers: 1, log: () => {} });
  const client = createHttpClient(`http://127.0.0.1:${s.port}`, s.token, { WebSocket: WebSocket as unknown as WebSocketCtor });
  const changed: EventPayloads['store.changed'][] = [];
  client.subscribe('store.changed', (p) => changed.push(p));
  await waitForSockets(s);
  return { s, client, changed };
}

async function scanNode(client: HttpEngineClient): Promise<JobResults['scan.target']> {
  for (const [name, doc] of [
    ['CVE-2024-27982.json', osv('CVE-2024-27982', HIGH)],
    ['CVE-2024-27983.json', osv('CVE-2024-27983', CRITICAL)],
  ] as const) {
    const f = value(await client.upload(enc(doc), name));
    const r = await runJob(client, () => client.invoke('advisories.import', { files: [f] }));
    assert.equal(r.finished.state, 'succeeded', JSON.stringify(r.finished.error));
  }
  const sbom = value(await client.upload(enc(SBOM), 'node-runtimes.cdx.json'));
  const scan = await runJob(client, () => client.invoke('scan.target', { file: sbom }));
  assert.equal(scan.finished.state, 'succeeded', JSON.stringify(scan.finished.error));
  return scan.finished.result as JobResults['scan.target'];
}

test('VEX and policy over the contract: verdicts, triage, export/re-import, the editor, the pack lifecycle', { timeout: 300_000 }, async () => {
  const dir = tempDir();
  const home = join(dir, 'a');
  // Two workstation keys for the two-person rule (cheap KDF: unlocking reads its parameters from the key file).
  {
    const store = openStore({ home });
    for (const name of ['alice', 'bob']) await generateKey(store, { name, profile: 'world', algorithm: 'ed25519', passphrase: PASSPHRASE }, { clock: fixedClock('2026-01-01T00:00:00Z') }, { kdf: { memoryKiB: 1024, iterations: 1, parallelism: 1 } });
    store.close();
  }
  const a = await serve(home);
  const { client } = a;
  let exportedBytes = Buffer.alloc(0);
  try {
    // ---- the scan verdict, from the scan job and in the list
    const scan = await scanNode(client);
    assert.equal(scan.verdict?.verdict, 'BLOCKED');
    assert.deepEqual([scan.verdict?.pack.name, scan.verdict?.pack.source, scan.verdict?.current], ['stella-default', 'builtin:default', true]);
    assert.deepEqual(scan.verdict?.rules.map((r) => [r.rule, r.findings]), [['block_critical', 2]]);
    const listed = value(await client.invoke('scan.list', {}));
    assert.deepEqual(listed[0]?.verdict, scan.verdict);

    // ---- VEX for a finding, before and after a triage decision
    const findings = value(await client.invoke('findings.list', { scanId: scan.id }));
    const target = findings.find((f) => f.vulnerabilityId === 'CVE-2024-27982' && f.purl === 'pkg:nodejs/node@20.11.0');
    assert.ok(target);
    assert.deepEqual(value(await client.invoke('vex.statements', { scanId: scan.id, findingId: target.id })), []);
    assert.equal(value(await client.invoke('vex.consensus', { vulnerabilityId: target.vulnerabilityId, purl: target.purl as string })).status, 'none');
    const before = value(await client.invoke('policy.evaluate', { scanId: scan.id }));
    assert.equal(before.vex.lookup, 'engine/vex');
    const triage = value(await client.invoke('vex.triage', { scanId: scan.id, findingId: target.id, status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', impact: 'the HTTP server is not exposed' }));
    assert.deepEqual([triage.statement.product, triage.statement.status, triage.outcome], ['pkg:nodejs/node@20.11.0', 'not_affected', 'new']);
    assert.ok(a.changed.some((c) => c.what === 'vex'), 'store.changed {what: vex} after the triage');
    const statements = value(await client.invoke('vex.statements', { scanId: scan.id, findingId: target.id }));
    assert.deepEqual(statements.map((s) => [s.status, s.justification, s.impact, s.raw.source]), [['not_affected', 'vulnerable_code_not_in_execute_path', 'the HTTP server is not exposed', 'triage']]);
    const consensus = value(await client.invoke('vex.consensus', { vulnerabilityId: target.vulnerabilityId, purl: target.purl as string }));
    assert.deepEqual([consensus.status, consensus.statements.map((s) => `${s.issuerClass}/${s.role}`), consensus.conflicts], ['not_affected', ['internal/decisive'], []]);
    assert.match(consensus.digest, /^sha256:[0-9a-f]{64}$/);

    // The stored verdict is no longer current; the evaluation changes that one finding only.
    assert.equal(value(await client.invoke('scan.list', {}))[0]?.verdict?.current, false);
    const after = value(await client.invoke('policy.evaluate', { scanId: scan.id }));
    assert.notEqual(after.vex.setDigest, before.vex.setDigest);
    const changed = after.findings.filter((d, i) => d.status !== before.findings[i]?.status || d.rule !== before.findings[i]?.rule);
    assert.deepEqual(changed.map((d) => [d.findingId, d.status, d.rule]), [[target.id, 'pass', 'accept_trusted_vex']]);
    const explain = value(await client.invoke('policy.explain', { scanId: scan.id, findingId: target.id }));
    assert.deepEqual([explain.decision.rule, explain.vex?.status, explain.vex?.statements[0]?.issuerClass], ['accept_trusted_vex', 'not_affected', 'internal']);
    assert.ok((explain.rules.find((r) => r.outcome === 'fired')?.condition.length ?? 0) > 1, 'the fired rule comes with its condition tree');
    const re = await runJob(client, () => client.invoke('policy.reevaluate', {}));
    assert.equal(re.finished.state, 'succeeded', JSON.stringify(re.finished.error));
    assert.deepEqual((re.finished.result as JobResults['policy.reevaluate']).scans.map((s) => [s.scanId, s.before, s.after]), [[scan.id, 'BLOCKED', 'BLOCKED']]);
    const reListed = value(await client.invoke('scan.list', {}))[0]?.verdict;
    assert.deepEqual([reListed?.current, reListed?.counts], [true, { PASS: 1, WARN: 1, BLOCKED: 2 }]);

    // ---- export: valid OpenVEX, deterministic
    const exported = value(await client.invoke('vex.export', { format: 'openvex' }));
    exportedBytes = Buffer.from(exported.contentBase64, 'base64');
    const doc = JSON.parse(exportedBytes.toString('utf8')) as unknown;
    const schema = fixture('vex', 'openvex-spec', 'openvex_json_schema.json');
    if (schema) {
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats(ajv);
      ajv.addFormat('iri', true);
      const validate = ajv.compile(JSON.parse(readFileSync(schema, 'utf8')) as object);
      assert.ok(validate(doc), JSON.stringify(validate.errors));
    }
    assert.equal(value(await client.invoke('vex.export', { format: 'openvex' })).digest, exported.digest);

    // ---- the policy editor
    const draft = [
      { path: 'pack.yaml', text: 'name: draft\nversion: "0.1.0"\ndescription: a draft\n' },
      { path: 'draft.stella', text: 'policy "draft" syntax "stella-dsl@1" {\n  rule strict { when sevrity.level == "high" then status := "blocked" because "x" }\n}\n' },
    ];
    const lint = value(await client.invoke('policy.lint', { pack: { kind: 'files', files: draft } }));
    assert.deepEqual(lint.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`), ['draft.stella:2:22: error: unknown identifier sevrity.level (did you mean severity.level?)']);
    const fixed = [draft[0] as (typeof draft)[number], { path: 'draft.stella', text: (draft[1] as (typeof draft)[number]).text.replace('sevrity', 'severity') }];
    assert.equal(value(await client.invoke('policy.lint', { pack: { kind: 'files', files: fixed } })).ok, true);
    const tested = value(await client.invoke('policy.test', { pack: { kind: 'builtin', name: 'default' } }));
    assert.deepEqual([tested.failed, tested.passed > 0], [0, true]);
    const compiled = value(await client.invoke('policy.compile', { pack: { kind: 'files', files: fixed } }));
    assert.equal((JSON.parse(compiled.irJson) as { rules: unknown[] }).rules.length, 1);
    const sim = value(await client.invoke('policy.simulate', { candidate: { kind: 'files', files: fixed }, samples: 2 }));
    const c = sim.counts;
    assert.equal(c.added + c.removed + c.changed + c.unchanged, findings.length);
    assert.equal(sim.base.name, 'stella-default');
    assert.ok(sim.samples.length > 0 && sim.samples[0]?.after.decision);
    assert.equal(sim.vex.setDigest, after.vex.setDigest);

    // ---- pack lifecycle: import, two approvals, activation
    const imported = value(await client.invoke('policy.import', { pack: { kind: 'files', files: fixed, label: 'editor' } }));
    assert.deepEqual([imported.outcome, imported.pack.name, imported.pack.approvalsNeeded, imported.pack.origin], ['new', 'draft', 2, 'files:editor']);
    const refused = await client.invoke('policy.activate', { name: 'draft', version: '0.1.0' });
    assert.ok(!refused.ok && refused.error.code === 'invalid-input' && refused.error.details?.engineCode === 'not-approved', JSON.stringify(refused));
    const wrong = await client.invoke('policy.approve', { name: 'draft', version: '0.1.0', key: 'alice', passphrase: 'not the passphrase' });
    assert.ok(!wrong.ok, 'a wrong passphrase approves nothing');
    assert.equal(value(await client.invoke('policy.approve', { name: 'draft', version: '0.1.0', key: 'alice', passphrase: PASSPHRASE })).pack.approvalsNeeded, 1);
    assert.equal(value(await client.invoke('policy.approve', { name: 'draft', version: '0.1.0', key: 'bob', passphrase: PASSPHRASE })).pack.approvalsNeeded, 0);
    const activated = value(await client.invoke('policy.activate', { name: 'draft', version: '0.1.0' }));
    assert.deepEqual([activated.changed, activated.active.ref, activated.approvals.map((x) => x.valid)], [true, 'draft@0.1.0', [true, true]]);
    assert.deepEqual(value(await client.invoke('policy.active', {})), activated.active);
    const packs = value(await client.invoke('policy.packs', {}));
    assert.deepEqual([packs.versions.map((v) => `${v.name}@${v.version} ${v.active}`), packs.builtins.some((b) => b.ref === 'builtin:default' && !b.active)], [['draft@0.1.0 true'], true]);
    const history = value(await client.invoke('policy.history', {}));
    assert.deepEqual(history.events.map((e) => e.event), ['imported', 'approved', 'approved', 'activated']);
    assert.equal(value(await client.invoke('scan.list', {}))[0]?.verdict?.current, false, 'another pack is active now');
    // The active pack is now the default of evaluation: the high findings block under it.
    assert.equal(value(await client.invoke('policy.evaluate', { scanId: scan.id })).pack.name, 'draft');
  } finally {
    a.client.close();
    await a.s.close();
  }

  // ---- the exported OpenVEX in a fresh home: the same statement, unmatched until the SBOM arrives
  const b = await serve(join(dir, 'b'));
  try {
    const { client: fresh } = b;
    const upload = value(await fresh.upload(exportedBytes, 'triage.openvex.json'));
    const imp = await runJob(fresh, () => fresh.invoke('vex.import', { files: [upload] }));
    assert.equal(imp.finished.state, 'succeeded', JSON.stringify(imp.finished.error));
    const summary = imp.finished.result as JobResults['vex.import'];
    assert.deepEqual(summary.statements.map((s) => [s.vulnerability, s.product, s.status, s.justification, s.issuer]), [['CVE-2024-27982', 'pkg:nodejs/node@20.11.0', 'not_affected', 'vulnerable_code_not_in_execute_path', 'Stella Evidence Workstation (local triage)']]);
    assert.equal(summary.unmatched.length, 1, 'no SBOM in the fresh home yet');
    assert.equal(value(await fresh.invoke('vex.unmatched', {})).length, 1);
    const scan = await scanNode(fresh);
    assert.deepEqual(value(await fresh.invoke('vex.unmatched', {})), [], 'the SBOM names its product now');
    const base = value(await fresh.invoke('policy.evaluate', { scanId: scan.id }));
    // Another workstation's triage counts as its issuer's class; this home trusts it as its own.
    const trust = value(await fresh.invoke('vex.trust.set', { target: { kind: 'issuer', issuer: 'Stella Evidence Workstation (local triage)', issuerClass: 'internal' } }));
    assert.deepEqual(trust.issuers, [{ issuer: 'stella evidence workstation (local triage)', class: 'internal' }]);
    const judged = value(await fresh.invoke('policy.evaluate', { scanId: scan.id }));
    const changed = judged.findings.filter((d, i) => d.status !== base.findings[i]?.status);
    assert.deepEqual(changed.map((d) => [d.vulnerabilityId, d.purl, d.status, d.rule]), [['CVE-2024-27982', 'pkg:nodejs/node@20.11.0', 'pass', 'accept_trusted_vex']]);
  } finally {
    b.client.close();
    await b.s.close();
  }
});
