import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, tempDir } from '../../build/test-support/fixtures';
import { fixedClock } from '../core';
import { openStore, type Store } from '../store';
import { verifyCheckpoint, parseSignedNote } from './checkpoint';
import { createMemoryKey } from './kms';
import { leafHash, verifyConsistency, verifyInclusion } from './merkle';
import { dsseBody, hashedrekordBody, intotoBody, parseEntryBody } from './rekor';
import { signEnvelope } from './dsse';
import { appendEntries, appendEntry, getLogEntry, logIdentity, logInfo, proveConsistency, proveEntry, verifyLog } from './tlog';
import { serviceKeyPath } from './service-keys';

const clock = fixedClock('2026-02-01T00:00:00.000Z', 250);
const signal = new AbortController().signal;

function body(i: number): Buffer {
  const k = createMemoryKey('p256');
  const artifact = Buffer.from(`artifact ${i}`);
  return hashedrekordBody({ digest: createHash('sha256').update(artifact).digest(), signature: k.signSync(artifact), publicKeyPem: k.publicKey() });
}

function trusted(store: Store) {
  const { identity } = logIdentity(store);
  return [{ name: identity.origin, publicKey: identity.publicKey }];
}

test('appends return inclusion proofs against a signed checkpoint; older entries and checkpoints stay provable', async () => {
  const store = openStore({ home: tempDir() });
  const checkpoints: { size: number; root: Buffer }[] = [];
  for (let i = 0; i < 37; i++) {
    const e = appendEntry(store, body(i), { clock });
    assert.equal(e.index, i);
    assert.equal(e.appended, true);
    const cp = verifyCheckpoint(e.inclusionProof.checkpoint, trusted(store));
    assert.equal(cp.size, i + 1);
    verifyInclusion(e.index, cp.size, leafHash(e.body), e.inclusionProof.hashes, cp.rootHash);
    checkpoints.push({ size: cp.size, root: cp.rootHash });
  }
  for (const { size, root } of checkpoints) {
    const c = proveConsistency(store, size);
    verifyConsistency(size, c.size2, c.hashes, root, c.root2);
  }
  for (let i = 0; i < 37; i += 5) {
    const p = proveEntry(store, i);
    verifyInclusion(i, p.inclusionProof.treeSize, leafHash(p.entry.body), p.inclusionProof.hashes, p.inclusionProof.rootHash);
    assert.deepEqual(getLogEntry(store, p.entry.uuid).index, i, 'entries are found by UUID too');
  }
  const info = logInfo(store);
  assert.equal(info.treeSize, 37);
  assert.match(info.origin, /^stella\.invalid\/log\/[0-9a-f]{16}$/);
  assert.equal(parseSignedNote(info.checkpoint as string).checkpoint.size, 37);
  const v = await verifyLog(store, { signal });
  assert.deepEqual(v.problems, []);
  assert.equal(v.checkpoints, 37);
  store.close();
});

test('an identical body is not appended twice; a batch gets one checkpoint; all three Rekor kinds are accepted', async () => {
  const store = openStore({ home: tempDir() });
  const b = body(1);
  const first = appendEntry(store, b, { clock });
  const again = appendEntry(store, b, { clock });
  assert.equal(again.appended, false);
  assert.equal(again.index, first.index);
  assert.equal(logInfo(store).treeSize, 1);
  const k = createMemoryKey('ed25519');
  const env = await signEnvelope('application/vnd.in-toto+json', Buffer.from('{}'), [k]);
  const batch = appendEntries(store, [dsseBody(env, [k.publicKey()]), intotoBody(env, k.publicKey()), body(2)], { clock });
  assert.deepEqual(batch.map((e) => [e.index, e.kind, e.apiVersion]), [[1, 'dsse', '0.0.1'], [2, 'intoto', '0.0.2'], [3, 'hashedrekord', '0.0.1']]);
  assert.ok(batch.every((e) => e.inclusionProof.treeSize === 4));
  assert.equal(parseEntryBody(batch[1]!.body).signatures[0]?.toString('base64'), env.signatures[0]?.sig);
  assert.throws(() => appendEntry(store, Buffer.from('{"kind":"rekord"}'), { clock }), /is not one of hashedrekord, dsse, intoto/);
  assert.deepEqual((await verifyLog(store, { signal })).problems, []);
  store.close();
});

test('the log is append-only, and a rewritten entry, subtree hash or checkpoint is found by log verify', async () => {
  const cases: [string, string, RegExp][] = [
    ['entry body', "UPDATE attest_log_entries SET body = CAST('{\"kind\":\"x\"}' AS BLOB) WHERE idx = 3", /entry 3: the stored leaf hash does not match its body/],
    ['entry removed', 'DELETE FROM attest_log_entries WHERE idx = 5', /entry index 5 is missing/],
    ['subtree hash', 'UPDATE attest_log_nodes SET hash = zeroblob(32) WHERE level = 1 AND idx = 0', /stored subtree hash at level 1, index 0/],
    ['checkpoint root', 'UPDATE attest_log_checkpoints SET root_hash = zeroblob(32) WHERE tree_size = 4', /checkpoint at size 4/],
    ['checkpoint note', "UPDATE attest_log_checkpoints SET note = replace(note, '\n4\n', '\n5\n') WHERE tree_size = 4", /checkpoint at size 4/],
  ];
  for (const [what, sql, expected] of cases) {
    const home = tempDir();
    const store = openStore({ home });
    for (let i = 0; i < 8; i++) appendEntry(store, body(i), { clock });
    assert.throws(() => store.db.exec(sql), /append-only/, `${what}: refused while the triggers stand`);
    for (const t of ['attest_log_entries', 'attest_log_nodes', 'attest_log_checkpoints']) store.db.exec(`DROP TRIGGER ${t}_no_update; DROP TRIGGER ${t}_no_delete;`);
    store.db.exec(sql);
    const v = await verifyLog(store, { signal });
    assert.equal(v.ok, false, what);
    assert.ok(v.problems.some((p) => expected.test(p)), `${what}: ${JSON.stringify(v.problems)}`);
    store.close();
  }
});

test('a replaced log key file is refused instead of forking the log', () => {
  const home = tempDir();
  const store = openStore({ home });
  appendEntry(store, body(0), { clock });
  const path = serviceKeyPath(home, 'log');
  const other = openStore({ home: tempDir() });
  appendEntry(other, body(1), { clock });
  const otherKey = readFileSync(serviceKeyPath(other.home, 'log'));
  // simulate the key file being swapped under the same home
  store.close();
  writeFileSync(path, otherKey);
  const reopened = openStore({ home });
  assert.throws(() => appendEntry(reopened, body(2), { clock }), /created with another key/);
  reopened.close();
  other.close();
});

const CHILD = join(REPO_ROOT, 'engine', 'attest', 'testdata', 'append-loop.child.ts');

/** Run the appending child, SIGKILL it after `ms`, return the checkpoints it reported as committed. */
function runAndKill(home: string, ms: number): Promise<{ size: number; root: string; auditSeq: number; auditHash: string }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, home], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    let started = false;
    child.stdout.once('data', () => {
      started = true;
      setTimeout(() => child.kill('SIGKILL'), ms);
    });
    child.on('exit', (_code, sig) => {
      if (!started) return reject(new Error(`child ended before appending: ${err}`));
      if (sig !== 'SIGKILL') return reject(new Error(`child was not killed (${sig}): ${err}`));
      // the last line may be cut mid-write: only whole lines were committed and reported
      resolve(out.split('\n').filter((l) => l.endsWith('}')).map((l) => JSON.parse(l)));
    });
  });
}

test('crash safety: a child appending in a loop is killed with SIGKILL at random points; the log verifies and is consistent with the last checkpoint it reported', async () => {
  const home = tempDir();
  let previous: { size: number; root: Buffer } | undefined;
  for (let round = 0; round < 6; round++) {
    const reported = await runAndKill(home, 50 + Math.floor(Math.random() * 400));
    const store = openStore({ home });
    const v = await verifyLog(store, { signal });
    assert.deepEqual(v.problems, [], `round ${round}`);
    const last = reported[reported.length - 1];
    assert.ok(last, `round ${round}: the child reported at least one committed append`);
    // no gap and no fork: the reported checkpoint is in the log, and the log extends it
    const c = proveConsistency(store, last.size);
    assert.equal(c.root1.toString('base64'), last.root, `round ${round}: the reported checkpoint is the stored one`);
    verifyConsistency(last.size, c.size2, c.hashes, Buffer.from(last.root, 'base64'), c.root2);
    assert.ok(c.size2 >= last.size && c.size2 <= last.size + 1, `round ${round}: at most the in-flight append committed after the last report`);
    if (previous) {
      const cp = proveConsistency(store, previous.size);
      verifyConsistency(previous.size, cp.size2, cp.hashes, previous.root, cp.root2);
    }
    previous = { size: last.size, root: Buffer.from(last.root, 'base64') };
    assert.ok(createPublicKey(readFileSync(serviceKeyPath(home, 'log'), 'utf8')), 'the log key file is whole');
    store.close();
  }
});
