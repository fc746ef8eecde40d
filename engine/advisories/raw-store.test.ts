import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fixture, needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { openStore } from '../store';
import { readInputs } from './input';
import { currentSnapshot, getLinkset, getRawDocument, getSnapshot, importAdvisories, listSnapshots, readRawDocument, verifyAoc } from './index';

const T1 = '2026-01-01T00:00:00.000Z';
const T2 = '2026-01-02T00:00:00.000Z';

/** Non-advisory files that ship inside the fixture archives and folders; everything else must import. */
const EXPECTED_REJECTS = /(README\.md|LICENSE(\.md)?|\.license|_schema\.json|\/vuln\/(core|deps|npm)\/index\.json|\/test\/fixtures\/(valid|wrong)-vuln\.json|\.id-allocator)$/;

test('every advisory fixture imports, per source; bytes come back unchanged; a second import is all unchanged', needsFixtures('advisories'), async () => {
  const root = fixture('advisories') as string;
  const store = openStore({ home: tempDir() });
  try {
    const r1 = await importAdvisories(store, [root], { importedAt: T1 });
    for (const rej of r1.rejected) assert.match(rej.path, EXPECTED_REJECTS, `unexpected rejection: ${rej.path}: ${rej.error}`);
    const docs = Object.fromEntries(Object.entries(r1.sources).map(([s, c]) => [s, c.documents]));
    assert.deepEqual(docs, {
      'alpine-secdb': 18,
      csaf: 1,
      'debian-dla': 1,
      'debian-dsa': 1,
      ghsa: 364,
      kev: 2,
      'nodejs-security-wg': 644,
      osv: 1,
      pysec: 2661,
    });
    // Counts stated in PROVENANCE.md: 5,406 DSAs and 3,534 DLAs; 364 GHSA records; 2,661 PYSEC files.
    assert.equal(r1.sources['debian-dsa']?.observations, 5406);
    assert.equal(r1.sources['debian-dla']?.observations, 3534);
    assert.equal(r1.sources.ghsa?.observations, 364);
    assert.equal(r1.sources.pysec?.observations, 2661);
    const accepted = r1.documents - r1.rejected.length;
    assert.equal(r1.new, accepted);
    assert.equal(r1.unchanged + r1.superseded, 0);
    assert.ok(r1.snapshot?.startsWith('sha256:'));

    // Raw bytes round trip, byte-exact, for every document read from the fixtures.
    let checked = 0;
    for await (const item of readInputs([root])) {
      if ('error' in item) continue;
      const digest = (await import('../core')).sha256Digest(item.bytes);
      const rows = store.db.prepare('SELECT uri FROM adv_raw_documents WHERE digest = ?').all(digest) as { uri: string }[];
      if (!rows.length) {
        assert.match(item.uri, EXPECTED_REJECTS);
        continue;
      }
      assert.ok(readRawDocument(store, digest).equals(item.bytes), `bytes of ${item.uri}`);
      assert.ok(rows.some((r) => r.uri === item.uri));
      checked++;
    }
    assert.equal(checked, accepted);

    const r2 = await importAdvisories(store, [root], { importedAt: T2 });
    assert.deepEqual([r2.documents, r2.new, r2.unchanged, r2.superseded, r2.rejected.length], [r1.documents, 0, accepted, 0, r1.rejected.length]);
    assert.equal(r2.snapshot, r1.snapshot);
    const snap = currentSnapshot(store);
    assert.equal(snap.id, r1.snapshot);
    assert.equal(snap.documentCount, accepted);
    assert.equal(snap.createdAt, T1, 'an import that changed nothing records no new snapshot');
    assert.equal(listSnapshots(store).length, 1);
    assert.deepEqual(
      snap.sources.map((s) => s.source),
      Object.keys(r1.sources).sort(),
    );
    const aoc = verifyAoc(store);
    assert.deepEqual(aoc.violations, []);
    assert.equal(aoc.checked.documents, accepted);
  } finally {
    store.close();
  }
});

test('a changed document becomes a new revision that supersedes the old one; "as of" reads the old', needsFixtures('advisories/npm/loopbackio-security/advisories/lbsa-20201130.osv.json'), async () => {
  const src = fixture('advisories', 'npm', 'loopbackio-security', 'advisories', 'lbsa-20201130.osv.json') as string;
  const dir = tempDir();
  const file = join(dir, 'lbsa-20201130.osv.json');
  copyFileSync(src, file);
  const store = openStore({ home: tempDir() });
  try {
    const r1 = await importAdvisories(store, [file], { importedAt: T1 });
    assert.deepEqual([r1.new, r1.superseded], [1, 0]);
    const oldSnap = r1.snapshot as string;
    const original = readFileSync(file);
    const doc = JSON.parse(original.toString('utf8')) as { modified: string; summary?: string };
    doc.modified = '2026-01-02T00:00:00Z';
    doc.summary = 'LoopBack: changed summary';
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const r2 = await importAdvisories(store, [file], { importedAt: T2 });
    assert.deepEqual([r2.new, r2.superseded, r2.unchanged], [0, 1, 0]);
    assert.notEqual(r2.snapshot, oldSnap);

    const oldDigest = (await import('../core')).sha256Digest(original);
    const newDigest = (await import('../core')).sha256Digest(readFileSync(file));
    const [newRow] = getRawDocument(store, newDigest);
    assert.equal(newRow?.supersedes, oldDigest);
    assert.equal(newRow?.revision, 2);
    assert.equal(newRow?.importedAt, T2);
    assert.ok(readRawDocument(store, oldDigest).equals(original), 'the previous revision stays stored, byte-exact');

    const now = getLinkset(store, 'CVE-2020-4988');
    assert.deepEqual(now?.observations.map((o) => o.summary), ['LoopBack: changed summary']);
    const then = getLinkset(store, 'CVE-2020-4988', { asOf: oldSnap });
    assert.equal(then?.observations.length, 1);
    assert.notEqual(then?.observations[0]?.summary, 'LoopBack: changed summary');
    assert.equal(getSnapshot(store, oldSnap).documentCount, 1);

    // Re-importing the changed file is idempotent.
    const r3 = await importAdvisories(store, [file], { importedAt: '2026-01-03T00:00:00Z' });
    assert.deepEqual([r3.new, r3.superseded, r3.unchanged], [0, 0, 1]);
    assert.deepEqual(verifyAoc(store).violations, []);
  } finally {
    store.close();
  }
});

test('one bad document is rejected with its path; the others are imported', needsFixtures('advisories/maven/osv-scalibr-maven-ghsa.jsonl.gz'), async () => {
  const dir = tempDir();
  const good = fixture('advisories', 'npm', 'loopbackio-security', 'advisories', 'lbsa-20201130.osv.json') as string;
  mkdirSync(join(dir, 'feed'));
  copyFileSync(good, join(dir, 'feed', 'a.json'));
  writeFileSync(join(dir, 'feed', 'b.json'), '{"id": "OSV-BROKEN", "affected": [ }');
  writeFileSync(join(dir, 'feed', 'c.json'), '{"hello": "not an advisory"}');
  const store = openStore({ home: tempDir() });
  try {
    const r = await importAdvisories(store, [join(dir, 'feed')], { importedAt: T1 });
    assert.equal(r.documents, 3);
    assert.equal(r.new, 1);
    assert.deepEqual(
      r.rejected.map((x) => x.path),
      [join(dir, 'feed', 'b.json'), join(dir, 'feed', 'c.json')],
    );
    for (const x of r.rejected) assert.ok(x.error.includes(x.path), `the message names the file: ${x.error}`);
    assert.equal((store.db.prepare('SELECT COUNT(*) AS n FROM adv_raw_documents').get() as { n: number }).n, 1);
  } finally {
    store.close();
  }
});

test('a document whose rows fail mid-batch is rejected alone: the rest of its batch is written, nothing of it', needsFixtures('advisories/maven/osv-scalibr-maven-ghsa.jsonl.gz'), async () => {
  const feed = fixture('advisories', 'maven', 'osv-scalibr-maven-ghsa.jsonl.gz') as string;
  const store = openStore({ home: tempDir() });
  try {
    // The 3rd record's observation insert fails inside the batch (as a constraint or I/O error would).
    const victim = gunzipSync(readFileSync(feed)).toString('utf8').split('\n')[2] as string;
    const victimId = (JSON.parse(victim) as { id: string }).id;
    store.db.exec(`CREATE TEMP TRIGGER fail_one BEFORE INSERT ON adv_observations WHEN NEW.advisory_id = '${victimId}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    const r = await importAdvisories(store, [feed], { importedAt: T1, batchSize: 50 });
    assert.equal(r.rejected.length, 1);
    assert.match(r.rejected[0]?.path ?? '', /#L3$/);
    assert.match(r.rejected[0]?.error ?? '', /injected failure/);
    assert.equal(r.new, r.documents - 1);
    const count = (sql: string): number => (store.db.prepare(sql).get() as { n: number }).n;
    assert.equal(count('SELECT COUNT(*) AS n FROM adv_raw_documents'), r.documents - 1);
    assert.equal(count(`SELECT COUNT(*) AS n FROM adv_raw_documents WHERE identity_key LIKE '%${victimId}'`), 0, 'no row of the failed document');
    store.db.exec('DROP TRIGGER fail_one');
    assert.deepEqual(verifyAoc(store).violations, []);
    // A re-run completes it: the others are unchanged (without being parsed), the victim is new.
    const again = await importAdvisories(store, [feed], { importedAt: T2 });
    assert.deepEqual([again.new, again.unchanged, again.rejected.length], [1, r.documents - 1, 0]);
  } finally {
    store.close();
  }
});

test('re-import: unchanged bytes at the same uri are recognized by digest; moved, changed or re-sourced ones are parsed', needsFixtures('advisories/npm/loopbackio-security'), async () => {
  const dir = tempDir();
  const good = fixture('advisories', 'npm', 'loopbackio-security', 'advisories', 'lbsa-20201130.osv.json') as string;
  mkdirSync(join(dir, 'a'));
  copyFileSync(good, join(dir, 'a', 'x.json'));
  const store = openStore({ home: tempDir() });
  try {
    const r1 = await importAdvisories(store, [join(dir, 'a')], { importedAt: T1 });
    assert.deepEqual([r1.new, r1.unchanged], [1, 0]);
    const r2 = await importAdvisories(store, [join(dir, 'a')], { importedAt: T2 });
    assert.deepEqual([r2.new, r2.unchanged, r2.observations], [0, 1, 0]);
    assert.deepEqual(r2.sources, r1.sources, 'per-source counts come from the stored row');
    // The same bytes from elsewhere: parsed, and still unchanged (same identity, same digest).
    mkdirSync(join(dir, 'b'));
    copyFileSync(good, join(dir, 'b', 'y.json'));
    const r3 = await importAdvisories(store, [join(dir, 'b')], { importedAt: T2 });
    assert.deepEqual([r3.new, r3.unchanged, r3.superseded], [0, 1, 0]);
    // Under another --source the identity differs: a new document, as before the fast path.
    const r4 = await importAdvisories(store, [join(dir, 'a')], { importedAt: T2, source: 'mirror' });
    assert.deepEqual([r4.new, r4.unchanged], [1, 0]);
    // Changed bytes at the same uri supersede.
    const doc = JSON.parse(readFileSync(good, 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'a', 'x.json'), JSON.stringify({ ...doc, summary: 'changed' }));
    const r5 = await importAdvisories(store, [join(dir, 'a')], { importedAt: T2 });
    assert.deepEqual([r5.new, r5.unchanged, r5.superseded], [0, 0, 1]);
    assert.deepEqual(verifyAoc(store).violations, []);
  } finally {
    store.close();
  }
});

test('import time must be given as ISO-8601', async () => {
  const store = openStore({ home: tempDir() });
  try {
    await assert.rejects(importAdvisories(store, [], { importedAt: 'yesterday' }), /importedAt must be an ISO-8601 timestamp/);
  } finally {
    store.close();
  }
});

test('observationId is exactly the content id of (raw digest, ordinal, advisory id)', async () => {
  const { contentId } = await import('../core');
  const { observationId } = await import('./raw-store');
  for (const [raw, ordinal, advisoryId] of [
    ['sha256:' + 'a'.repeat(64), 0, 'GHSA-xxxx-yyyy-zzzz'],
    ['sha256:' + 'b'.repeat(64), 5406, 'DSA-5000-1 "quoted" \u2028 é'],
  ] as const) {
    assert.equal(observationId(raw, ordinal, advisoryId), contentId('obs', { raw, ordinal, advisoryId }));
  }
  assert.throws(() => observationId('sha256:x', 1.5, 'X'), RangeError);
});

test('write batches are bounded by bytes as well as by documents: a batch is written once either bound is reached', needsFixtures('advisories', 'npm'), async () => {
  const root = fixture('advisories', 'npm') as string;
  const batchEnds = async (opts: { batchSize?: number; maxBatchBytes?: number }): Promise<number[]> => {
    const store = openStore({ home: tempDir() });
    const ends: number[] = [];
    try {
      const r = await importAdvisories(store, [root], { importedAt: T1, ...opts, onProgress: (done) => ends.push(done) });
      assert.ok(r.new > 10);
      assert.equal(ends.at(-1), r.documents - r.rejected.length);
    } finally {
      store.close();
    }
    return ends;
  };
  // By count only (bytes unbounded): one batch for everything.
  assert.equal((await batchEnds({ batchSize: 1_000_000, maxBatchBytes: Number.MAX_SAFE_INTEGER })).length, 1);
  // One byte: every document fills a batch on its own, whatever the count bound says.
  const perDoc = await batchEnds({ maxBatchBytes: 1 });
  assert.deepEqual(perDoc, perDoc.map((_, i) => i + 1));
  // By count: batches of 5.
  const byFive = await batchEnds({ batchSize: 5, maxBatchBytes: Number.MAX_SAFE_INTEGER });
  assert.deepEqual(byFive.slice(0, -1), byFive.slice(0, -1).map((_, i) => (i + 1) * 5));
});
