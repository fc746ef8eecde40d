/**
 * What the Attestations and Audit screens read: everything signed here (log entries joined with the
 * audit entries of the jobs that signed them and with key names), one entry's proof checked end to end
 * (leaf hash, inclusion path with sides, the checkpoint's signature, consistency from the checkpoint
 * the bundle carried to the latest), and the audit trail paged newest first with a kind filter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../build/test-support/fixtures';
import { leafHash, nodeHash, type KeystoreOptions } from '../attest';
import { fixedClock } from '../core';
import { openStore, type Store } from '../store';
import { attestSignJob } from './attest';
import { auditPageJob } from './audit';
import { jobContext } from './context';
import { generateKeyJob } from './keys';
import { listSignedJob, logEntryProofJob } from './log';
import { trustAddJob } from './trust';

const FAST: KeystoreOptions = { kdf: { memoryKiB: 1024, iterations: 1, parallelism: 1 } };
const PASS = async (): Promise<string> => 'correct horse battery staple';
const clock = fixedClock('2026-05-01T10:00:00.000Z', 1000);
const ctx = () => jobContext({ clock });

const VULNS = {
  scanner: { uri: 'pkg:github/aquasecurity/trivy@0.19.2', version: '0.19.2', db: { uri: 'pkg:github/aquasecurity/trivy-db', version: 'v1', lastUpdate: '2021-08-06T17:45:50.52Z' }, result: [{ id: 'CVE-123', severity: [{ method: 'nvd', score: 'medium' }] }] },
  metadata: { scanStartedOn: '2021-08-06T17:45:50.52Z', scanFinishedOn: '2021-08-06T17:50:50.52Z' },
};

/** Signs `n` subjects (one bundle each, key `ci`), returning the store. */
async function storeWithSigned(n: number): Promise<{ store: Store; dir: string }> {
  const store = openStore({ home: tempDir() });
  const dir = tempDir();
  await generateKeyJob(store, { name: 'ci', profile: 'world', algorithm: 'ed25519' }, PASS, ctx(), FAST);
  const predicate = join(dir, 'vulns.json');
  writeFileSync(predicate, JSON.stringify(VULNS));
  for (let i = 0; i < n; i++) {
    const subject = join(dir, `app-${i}.tar`);
    writeFileSync(subject, `artifact ${i}\n`);
    await attestSignJob(store, { type: 'vuln', predicateFile: predicate, subjectFiles: [subject], keys: ['ci'], output: join(dir, `app-${i}.sigstore.json`) }, PASS, ctx(), FAST);
  }
  return { store, dir };
}

test('everything signed: log entries newest first, each with its signer key and the signing job (subjects, type, output)', async () => {
  const { store } = await storeWithSigned(3);
  try {
    const all = listSignedJob(store);
    assert.equal(all.total, 3);
    assert.deepEqual(all.items.map((i) => i.logIndex), [2, 1, 0]);
    for (const item of all.items) {
      assert.equal(item.kind, 'dsse');
      assert.match(item.uuid, /^[0-9a-f]{64}$/);
      assert.match(item.digest, /^sha256:[0-9a-f]{64}$/);
      assert.equal(item.signers.length, 1);
      assert.equal(item.signers[0]?.keyName, 'ci');
      assert.equal(item.signers[0]?.algorithm, 'ed25519');
      assert.equal(item.signedBy?.kind, 'attest.signed');
      assert.equal(item.signedBy?.type, 'vuln');
      assert.deepEqual(item.signedBy?.predicateTypes, ['https://in-toto.io/attestation/vulns/v0.2']);
      assert.match(item.signedBy?.subject ?? '', new RegExp(`^app-${item.logIndex}\\.tar@sha256:[0-9a-f]{64}$`));
      assert.equal(item.signedBy?.output, `app-${item.logIndex}.sigstore.json`);
    }
    const page = listSignedJob(store, { offset: 1, limit: 1 });
    assert.deepEqual([page.total, page.offset, page.items.map((i) => i.logIndex)], [3, 1, [1]]);
    assert.deepEqual(listSignedJob(store, { offset: 5 }).items, []);
  } finally {
    store.close();
  }
});

test('an entry proof is checked end to end; the path recomputes the checkpoint root; consistency runs from the checkpoint that first covered the entry', async () => {
  const { store } = await storeWithSigned(5);
  try {
    for (const index of [0, 2, 4]) {
      const p = logEntryProofJob(store, { entry: String(index) });
      assert.equal(p.verified, true, JSON.stringify({ i: p.inclusion.problem, c: p.checkpoint.problem, k: p.consistency?.problem }));
      assert.equal(p.entry.index, index);
      assert.equal(p.leafHash.toString('hex'), p.entry.uuid);
      assert.equal(p.inclusion.treeSize, 5);
      assert.equal(p.checkpoint.treeSize, 5);
      assert.match(p.checkpoint.origin, /^stella\.invalid\/log\/[0-9a-f]{16}$/);
      assert.equal(p.checkpoint.signatureVerified, true);
      // the sides are right: folding the path gives the checkpoint's root
      const root = p.inclusion.path.reduce((acc, s) => (s.side === 'right' ? nodeHash(acc, s.hash) : nodeHash(s.hash, acc)), leafHash(p.entry.body));
      assert.ok(root.equals(p.checkpoint.rootHash));
      // each append made a checkpoint: entry i was first covered at size i+1
      if (index === 4) assert.equal(p.consistency, null);
      else assert.deepEqual([p.consistency?.fromSize, p.consistency?.toSize, p.consistency?.verified], [index + 1, 5, true]);
    }
    // the same entry by its UUID
    const byUuid = logEntryProofJob(store, { entry: logEntryProofJob(store, { entry: '1' }).entry.uuid });
    assert.equal(byUuid.entry.index, 1);
    assert.throws(() => logEntryProofJob(store, { entry: '9' }), /not in the log/);
  } finally {
    store.close();
  }
});

test('the audit trail pages newest first, filters by kind, counts and lists every kind', async () => {
  const { store, dir } = await storeWithSigned(2);
  try {
    const pem = join(dir, 'partner.pem');
    const { generateKeyPairSync } = await import('node:crypto');
    writeFileSync(pem, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString());
    trustAddJob(store, { file: pem, name: 'partner', purposes: ['attestations'] }, ctx());
    const first = auditPageJob(store, { limit: 2 });
    // key.generated, 2 × attest.signed, trust.added
    assert.equal(first.total, 4);
    assert.deepEqual(first.entries.map((e) => e.kind), ['trust.added', 'attest.signed']);
    assert.equal(first.head.seq, 4);
    assert.deepEqual(first.kinds, [
      { kind: 'attest.signed', count: 2 },
      { kind: 'key.generated', count: 1 },
      { kind: 'trust.added', count: 1 },
    ]);
    assert.equal(first.nextBeforeSeq, 3);
    const second = auditPageJob(store, { limit: 2, beforeSeq: first.nextBeforeSeq });
    assert.deepEqual(second.entries.map((e) => [e.seq, e.kind]), [
      [2, 'attest.signed'],
      [1, 'key.generated'],
    ]);
    assert.equal(second.nextBeforeSeq, undefined);
    const signed = auditPageJob(store, { kind: 'attest' });
    assert.deepEqual([signed.total, signed.entries.map((e) => e.seq)], [2, [3, 2]]);
    assert.equal(auditPageJob(store, { kind: 'kit' }).total, 0);
  } finally {
    store.close();
  }
});
