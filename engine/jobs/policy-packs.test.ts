/**
 * The pack lifecycle jobs and the scan verdict record: immutable versions, the two-person rule with
 * approvals that must verify against the version's own statement, built-in packs, audit entries, and
 * verdicts that go stale when VEX or the active pack changes until the scans are re-evaluated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../build/test-support/fixtures';
import { generateKey, type KeystoreOptions } from '../attest';
import { listAudit } from '../audit';
import { fixedClock, sequentialIds } from '../core';
import { approvalPayload, type StoredPackVersion } from '../policy';
import { openStore, type Store } from '../store';
import { jobContext } from './context';
import { importAdvisoriesJob } from './import-advisories';
import { activatePolicyPackJob, activePolicyJob, approvePolicyPackJob, checkApprovals, importPolicyPackJob, policyHistoryJob } from './policy-packs';
import { scanTargetJob } from './scan';
import { reevaluateScansJob, storedScanVerdicts } from './scan-verdict';
import { createVexStatement } from './vex';

const FAST: KeystoreOptions = { kdf: { memoryKiB: 1024, iterations: 1, parallelism: 1 } };
const PASS = async () => 'correct horse battery staple';
const clock = fixedClock('2026-03-01T09:00:00.000Z');
const ctx = () => jobContext({ clock, ids: sequentialIds() });

const files = (rule: string) => [
  { path: 'pack.yaml', text: 'name: kit-pack\nversion: "2.0.0"\ndescription: from an offline kit\n' },
  { path: 'kit.stella', text: `policy "kit" syntax "stella-dsl@1" {\n  rule gate { when ${rule} then status := "blocked" because "gate" }\n}\n` },
];

async function withKeys(store: Store, ...names: string[]): Promise<void> {
  for (const name of names) await generateKey(store, { name, profile: 'world', algorithm: 'ed25519', passphrase: await PASS() }, { clock }, FAST);
}

function approvalsOf(store: Store): StoredPackVersion['approvals'] {
  return (store.db.prepare('SELECT key_id, key_name, algorithm, public_key, envelope, approved_at FROM policy_approvals ORDER BY seq').all() as Record<string, string>[]).map((r) => ({
    keyId: r.key_id as string,
    keyName: r.key_name ?? null,
    algorithm: r.algorithm as string,
    publicKey: r.public_key as string,
    envelope: r.envelope as string,
    approvedAt: r.approved_at as string,
  }));
}

test('versions are immutable; built-in packs are activated, never imported', async () => {
  const store = openStore({ home: tempDir() });
  try {
    const first = await importPolicyPackJob(store, { pack: { files: files('severity.level == "critical"'), label: 'kit:2026-03' } }, ctx());
    assert.deepEqual([first.outcome, first.pack.origin, first.pack.approvalsNeeded, first.pack.active], ['new', 'files:kit:2026-03', 2, false]);
    assert.equal((await importPolicyPackJob(store, { pack: { files: files('severity.level == "critical"') } }, ctx())).outcome, 'unchanged');
    await assert.rejects(importPolicyPackJob(store, { pack: { files: files('severity.level == "high"') } }, ctx()), (e: Error & { code?: string; exitCode?: number }) => e.code === 'version-exists' && e.exitCode === 3);
    await assert.rejects(importPolicyPackJob(store, { pack: 'builtin:default' }, ctx()), /shipped with the app: it is not imported/);
    // A pack directory with a symlink or an unsafe name in the files never gets in.
    await assert.rejects(importPolicyPackJob(store, { pack: { files: [...files('true'), { path: '../escape.stella', text: '' }] } }, ctx()), /unsafe file name/);
    // The blobs are the sources, byte for byte.
    for (const f of first.pack.files) assert.equal(store.blobs.get(f.digest).toString('utf8'), files('severity.level == "critical"').find((x) => x.path === f.path)?.text);

    assert.equal((await activePolicyJob(store)).shippedDefault, true);
    const kev = await activatePolicyPackJob(store, { pack: 'builtin:kev-blocking' }, ctx());
    assert.deepEqual([kev.changed, kev.active.ref, kev.active.name], [true, 'builtin:kev-blocking', 'kev-blocking']);
    assert.equal((await activatePolicyPackJob(store, { pack: 'builtin:kev-blocking' }, ctx())).changed, false);
    await assert.rejects(activatePolicyPackJob(store, { pack: 'builtin:nope' }, ctx()), /no built-in pack builtin:nope/);
    assert.deepEqual(
      listAudit(store, { kind: 'policy' }).map((a) => [a.kind, a.subject]),
      [
        ['policy.imported', 'kit-pack@2.0.0'],
        ['policy.activated', 'builtin:kev-blocking'],
      ],
    );
  } finally {
    store.close();
  }
});

test('two-person rule: approvals by two distinct keys that verify against the version’s own statement', async () => {
  const store = openStore({ home: tempDir() });
  try {
    await withKeys(store, 'alice', 'bob', 'carol');
    await importPolicyPackJob(store, { pack: { files: files('severity.level == "critical"') } }, ctx());
    const a = await approvePolicyPackJob(store, { pack: 'kit-pack@2.0.0', key: 'alice' }, PASS, ctx(), FAST);
    assert.equal(a.pack.approvalsNeeded, 1);
    await assert.rejects(approvePolicyPackJob(store, { pack: 'kit-pack@2.0.0', key: 'alice' }, PASS, ctx(), FAST), (e: Error & { code?: string; exitCode?: number }) => e.code === 'already-approved' && e.exitCode === 1);
    await assert.rejects(approvePolicyPackJob(store, { pack: 'kit-pack@9.9.9', key: 'bob' }, PASS, ctx(), FAST), (e: Error & { exitCode?: number }) => e.exitCode === 4);
    await assert.rejects(activatePolicyPackJob(store, { pack: 'kit-pack@2.0.0' }, ctx()), (e: Error & { code?: string; exitCode?: number }) => e.code === 'not-approved' && e.exitCode === 1 && /1 valid approval and needs 2/.test(e.message));

    // A second "approval" that is alice's envelope under bob's name does not count: it does not verify with bob's key.
    const [alice] = approvalsOf(store);
    assert.ok(alice);
    const bobKey = store.db.prepare("SELECT key_id, public_key FROM attest_keys WHERE name = 'bob'").get() as { key_id: string; public_key: string };
    store.db.prepare('INSERT INTO policy_approvals (pack_seq, key_id, key_name, algorithm, public_key, envelope, approved_at) VALUES (1, ?, ?, ?, ?, ?, ?)').run(bobKey.key_id, 'bob', 'ed25519', bobKey.public_key, alice.envelope, '2026-03-01T09:00:00.000Z');
    const forged = await activatePolicyPackJob(store, { pack: 'kit-pack@2.0.0' }, ctx()).catch((e: Error) => e);
    assert.ok(forged instanceof Error && /not counted: bob: the signature does not verify/.test(forged.message), String(forged));

    // The statement names the version, its digest and its sources: another version signs other bytes.
    assert.notDeepEqual(approvalPayload({ name: 'kit-pack', version: '2.0.1', digest: a.pack.digest, files: a.pack.files }), approvalPayload({ name: 'kit-pack', version: '2.0.0', digest: a.pack.digest, files: a.pack.files }));
    const carol = await approvePolicyPackJob(store, { pack: 'kit-pack@2.0.0', key: 'carol' }, PASS, ctx(), FAST);
    assert.equal(carol.pack.approvalsNeeded, 0, 'three rows, of which two verify');
    const checked = checkApprovals({ name: 'kit-pack', version: '2.0.0', digest: a.pack.digest, files: a.pack.files, approvals: approvalsOf(store) } as unknown as StoredPackVersion);
    assert.deepEqual(checked.map((c) => [c.keyName, c.valid]), [['alice', true], ['bob', false], ['carol', true]]);
    const tampered = checkApprovals({ name: 'kit-pack', version: '2.0.0', digest: 'sha256:' + '2'.repeat(64), files: a.pack.files, approvals: approvalsOf(store) } as unknown as StoredPackVersion);
    assert.deepEqual(
      tampered.map((c) => [c.keyName, c.valid, c.reason]),
      [
        ['alice', false, 'it signs another statement than this version’s (name, version, digest or source files differ)'],
        ['bob', false, 'it signs another statement than this version’s (name, version, digest or source files differ)'],
        ['carol', false, 'it signs another statement than this version’s (name, version, digest or source files differ)'],
      ],
    );

    const on = await activatePolicyPackJob(store, { pack: 'kit-pack@2.0.0' }, ctx());
    assert.deepEqual([on.changed, on.active.ref, on.active.approvals.length], [true, 'kit-pack@2.0.0', 2]);
    const h = await policyHistoryJob(store);
    assert.deepEqual(h.events.map((e) => `${e.event}${e.keyName ? ` ${e.keyName}` : ''}`), ['imported', 'approved alice', 'approved bob', 'approved carol', 'activated']);
    assert.deepEqual(
      listAudit(store, { kind: 'policy' }).map((x) => x.kind),
      ['policy.imported', 'policy.approved', 'policy.activation-refused', 'policy.activation-refused', 'policy.approved', 'policy.activated'],
    );
  } finally {
    store.close();
  }
});

test('scan verdicts are recorded with the scan and go stale when VEX or the active pack changes, until re-evaluated', async () => {
  const dir = tempDir();
  const store = openStore({ home: join(dir, 'home') });
  try {
    mkdirSync(join(dir, 'osv'));
    writeFileSync(
      join(dir, 'osv', 'a.json'),
      JSON.stringify({ schema_version: '1.6.0', id: 'CVE-2024-27982', modified: '2026-01-01T00:00:00Z', severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H' }], affected: [{ package: { ecosystem: 'Node.js', name: 'node' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }] }),
    );
    writeFileSync(join(dir, 'bom.json'), JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [{ type: 'application', 'bom-ref': 'n', name: 'node', version: '20.11.0', purl: 'pkg:nodejs/node@20.11.0' }] }));
    await importAdvisoriesJob(store, { paths: [join(dir, 'osv')] }, ctx());
    const scan = await scanTargetJob(store, { path: join(dir, 'bom.json') }, ctx());
    assert.deepEqual([scan.policy.verdict, scan.policy.rules.map((r) => r.rule)], ['WARN', ['warn_high']]);
    assert.equal((await storedScanVerdicts(store)).get(scan.scan.id)?.current, true);

    await createVexStatement(store, { vulnerability: 'CVE-2024-27982', purl: 'pkg:nodejs/node@20.11.0', status: 'not_affected', justification: 'component_not_present' }, ctx());
    assert.equal((await storedScanVerdicts(store)).get(scan.scan.id)?.current, false, 'the VEX set changed');
    const re = await reevaluateScansJob(store, {}, ctx());
    assert.deepEqual(re.scans, [{ scanId: scan.scan.id, before: 'WARN', after: 'PASS' }]);
    const now = (await storedScanVerdicts(store)).get(scan.scan.id);
    assert.deepEqual([now?.verdict, now?.current, now?.rules.map((r) => r.rule)], ['PASS', true, ['accept_trusted_vex']]);

    await activatePolicyPackJob(store, { pack: 'builtin:distro-vex' }, ctx());
    assert.equal((await storedScanVerdicts(store)).get(scan.scan.id)?.current, false, 'another pack is active');
    // Each step audited in order; a cancelled re-evaluation records nothing.
    const ac = new AbortController();
    ac.abort();
    const before = (store.db.prepare('SELECT COUNT(*) FROM policy_scan_verdicts').pluck().get() as number);
    await assert.rejects(reevaluateScansJob(store, {}, jobContext({ clock, signal: ac.signal })), (e: Error & { exitCode?: number }) => e.exitCode === 130);
    assert.equal(store.db.prepare('SELECT COUNT(*) FROM policy_scan_verdicts').pluck().get(), before);
    assert.deepEqual(
      listAudit(store).map((a) => a.kind),
      ['advisories.imported', 'sbom.imported', 'scan.completed', 'vex.triaged', 'scan.evaluated', 'policy.activated'],
    );
    assert.throws(() => store.db.prepare("UPDATE policy_scan_verdicts SET verdict = 'PASS'").run(), /append-only/);
  } finally {
    store.close();
  }
});
