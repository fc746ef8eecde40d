import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, tempDir } from '../../build/test-support/fixtures';
import { fixedClock } from '../core';
import { openStore, type Store } from '../store';
import { createMemoryKey } from '../attest';
import { AUDIT_GENESIS, appendAudit, auditEntriesNaming, auditHead, auditKinds, countAudit, listAudit, verifyAudit } from './audit';

const clock = fixedClock('2026-04-01T08:00:00.000Z', 1000);
const signal = new AbortController().signal;

function filled(n = 6): Store {
  const store = openStore({ home: tempDir() });
  const kinds = ['key.generated', 'trust.added', 'scan.completed', 'kit.activated', 'policy.approved', 'export.written'];
  for (let i = 0; i < n; i++) appendAudit(store, { kind: kinds[i % kinds.length] as string, subject: `subject-${i + 1}`, details: { n: i + 1, nested: { list: [i, 'x'] } } }, { clock });
  return store;
}

function unlock(store: Store): void {
  store.db.exec('DROP TRIGGER audit_entries_no_update; DROP TRIGGER audit_entries_no_delete; DROP TRIGGER audit_keys_no_update; DROP TRIGGER audit_keys_no_delete;');
}

test('entries chain from the genesis hash, are signed by the workstation audit key, list by kind and verify', async () => {
  const store = filled();
  const all = listAudit(store);
  assert.equal(all.length, 6);
  assert.equal(all[0]?.prevHash, AUDIT_GENESIS);
  all.slice(1).forEach((e, i) => assert.equal(e.prevHash, all[i]?.entryHash));
  assert.deepEqual(listAudit(store, { kind: 'key' }).map((e) => e.seq), [1]);
  assert.deepEqual(listAudit(store, { afterSeq: 4 }).map((e) => e.seq), [5, 6]);
  assert.deepEqual(listAudit(store, { limit: 2 }).map((e) => e.seq), [1, 2]);
  const v = await verifyAudit(store, { signal });
  assert.deepEqual(v, { ok: true, entries: 6, head: auditHead(store) });
  assert.throws(() => appendAudit(store, { kind: 'Bad Kind', subject: 'x' }, { clock }), /dotted lowercase/);
  assert.throws(() => store.db.exec("UPDATE audit_entries SET subject = 'y' WHERE seq = 1"), /append-only/);
  store.close();
});

test('tampering with the trail is found, naming the first bad entry', async () => {
  const foreign = createMemoryKey('ed25519');
  const cases: [string, (s: Store) => void, number, RegExp][] = [
    ['details changed', (s) => s.db.exec(`UPDATE audit_entries SET details = '{"n":99}' WHERE seq = 3`), 3, /the entry was changed/],
    ['kind changed', (s) => s.db.exec(`UPDATE audit_entries SET kind = 'kit.rejected' WHERE seq = 4`), 4, /the entry was changed/],
    ['time changed', (s) => s.db.exec(`UPDATE audit_entries SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 2`), 2, /the entry was changed/],
    ['entry deleted', (s) => s.db.exec('DELETE FROM audit_entries WHERE seq = 2'), 2, /entry 2 is missing/],
    ['previous hash rewritten', (s) => s.db.exec(`UPDATE audit_entries SET prev_hash = '${AUDIT_GENESIS}' WHERE seq = 5`), 5, /previous-hash/],
    ['signatures swapped', (s) => s.db.exec('UPDATE audit_entries SET signature = (SELECT signature FROM audit_entries WHERE seq = 1) WHERE seq = 6'), 6, /signature does not verify/],
    [
      'entry re-hashed and re-signed by a key that is not a recorded audit key',
      (s) => {
        const row = s.db.prepare('SELECT * FROM audit_entries WHERE seq = 6').get() as { entry_hash: string };
        s.db.prepare('UPDATE audit_entries SET key_id = ?, signature = ? WHERE seq = 6').run(foreign.keyId, foreign.signSync(Buffer.from(row.entry_hash)).toString('base64'));
      },
      6,
      /not a recorded audit key/,
    ],
  ];
  for (const [what, tamper, seq, reason] of cases) {
    const store = filled();
    unlock(store);
    tamper(store);
    const v = await verifyAudit(store, { signal });
    assert.equal(v.ok, false, what);
    assert.equal(v.firstBad?.seq, seq, `${what}: ${v.firstBad?.reason}`);
    assert.match(v.firstBad?.reason ?? '', reason, what);
    store.close();
  }
});

test('a truncated trail verifies on its own but not against a head recorded earlier', async () => {
  const store = filled();
  const head = auditHead(store);
  assert.equal((await verifyAudit(store, { signal, expectHead: head })).ok, true);
  unlock(store);
  store.db.exec('DELETE FROM audit_entries WHERE seq = 6');
  assert.equal((await verifyAudit(store, { signal })).ok, true, 'dropping the tail leaves a valid chain…');
  const v = await verifyAudit(store, { signal, expectHead: head });
  assert.equal(v.ok, false, '…that no longer contains the recorded head');
  assert.match(v.firstBad?.reason ?? '', /rewritten or truncated/);
  store.close();
});

test('an audit entry written inside a transaction that fails is rolled back with it', () => {
  const store = filled(2);
  assert.throws(() =>
    store.write(() => {
      appendAudit(store, { kind: 'kit.activated', subject: 'kit-7' }, { clock });
      throw new Error('activation failed');
    }),
  );
  assert.equal(auditHead(store).seq, 2);
  store.close();
});

test('crash safety: killing a process that appends audit entries never breaks the chain', async () => {
  const home = tempDir();
  const child = join(REPO_ROOT, 'engine', 'attest', 'testdata', 'append-loop.child.ts');
  for (let round = 0; round < 4; round++) {
    const reported = await new Promise<{ auditSeq: number; auditHash: string }[]>((resolve, reject) => {
      const p = spawn(process.execPath, ['--import', 'tsx', child, home], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.stderr.on('data', (d: Buffer) => (err += d.toString()));
      p.stdout.once('data', () => setTimeout(() => p.kill('SIGKILL'), 50 + Math.floor(Math.random() * 300)));
      p.on('exit', (_c, sig) => (sig === 'SIGKILL' ? resolve(out.split('\n').filter((l) => l.endsWith('}')).map((l) => JSON.parse(l))) : reject(new Error(err))));
    });
    const store = openStore({ home });
    const last = reported[reported.length - 1];
    assert.ok(last);
    const v = await verifyAudit(store, { signal, expectHead: { seq: last.auditSeq, entryHash: last.auditHash } });
    assert.equal(v.ok, true, `round ${round}: ${JSON.stringify(v.firstBad)}`);
    store.close();
  }
});

test('paging back from the newest, counts and kinds; entries naming numbers in a range (what signed a page of log entries)', () => {
  const store = filled(6);
  try {
    appendAudit(store, { kind: 'attest.signed', subject: 'a', details: { logIndexes: [0, 1] } }, { clock });
    appendAudit(store, { kind: 'attest.signed', subject: 'b', details: { logIndexes: [2] } }, { clock });
    appendAudit(store, { kind: 'export.written', subject: 'c', details: { logIndexes: ['3', 3.5, null], other: [3] } }, { clock });
    assert.deepEqual(listAudit(store, { newestFirst: true, limit: 3 }).map((e) => e.seq), [9, 8, 7]);
    assert.deepEqual(listAudit(store, { newestFirst: true, beforeSeq: 7, limit: 2 }).map((e) => e.seq), [6, 5]);
    assert.equal(countAudit(store, { kind: 'attest' }), 2);
    assert.deepEqual(auditKinds(store).find((k) => k.kind === 'export.written'), { kind: 'export.written', count: 2 });
    const naming = auditEntriesNaming(store, 'logIndexes', 1, 3);
    assert.deepEqual(naming.map((n) => [n.entry.subject, n.values]), [
      ['a', [1]],
      ['b', [2]],
    ], 'only integers in the range, only from that field');
    assert.deepEqual(auditEntriesNaming(store, 'logIndexes', 10, 20), []);
    assert.throws(() => auditEntriesNaming(store, 'a.b', 0, 1), /plain field name/);
  } finally {
    store.close();
  }
});
