import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { fixture, needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { openStore, type Store } from '../store';
import type { Digest } from '../core';
import { importAdvisories, verifyAoc } from './index';

const LOOPBACK = ['advisories', 'npm', 'loopbackio-security', 'advisories'];

async function loaded(): Promise<Store> {
  const store = openStore({ home: tempDir() });
  await importAdvisories(store, [fixture(...LOOPBACK) as string], { importedAt: '2026-01-01T00:00:00Z' });
  return store;
}

const digests = (s: Store) => (s.db.prepare('SELECT digest FROM adv_raw_documents ORDER BY seq').all() as { digest: Digest }[]).map((r) => r.digest);

test('a freshly imported store satisfies the AOC', needsFixtures(...LOOPBACK), async () => {
  const s = await loaded();
  try {
    const r = verifyAoc(s);
    assert.equal(r.ok, true);
    assert.equal(r.checked.documents, 2);
    assert.equal(r.checked.observations, 2);
  } finally {
    s.close();
  }
});

test('raw rows refuse UPDATE and DELETE', needsFixtures(...LOOPBACK), async () => {
  const s = await loaded();
  try {
    for (const sql of [
      "UPDATE adv_raw_documents SET source = 'x'",
      'DELETE FROM adv_raw_documents',
      "UPDATE adv_observations SET body = '{}'",
      'DELETE FROM adv_ids',
      'DELETE FROM adv_snapshots',
    ]) {
      assert.throws(() => s.db.exec(sql), /AOC: .* is append-only/, sql);
    }
  } finally {
    s.close();
  }
});

test('tampering is detected: corrupt blob, missing blob, removed guard + rewritten provenance, forged supersedes', needsFixtures(...LOOPBACK), async () => {
  const table: [string, (s: Store) => void, string[]][] = [
    [
      'corrupt blob',
      (s) => {
        // A blob lives in a file or, written in a batch and small, in the database tier: tamper with either.
        const d = digests(s)[0] as Digest;
        const p = s.blobs.pathOf(d);
        if (existsSync(p)) {
          chmodSync(p, 0o644);
          writeFileSync(p, 'tampered');
        } else {
          assert.equal(s.db.prepare('UPDATE blob_small SET bytes = ? WHERE digest = ?').run(Buffer.from('tampered'), d).changes, 1);
        }
      },
      ['blob-corrupt'],
    ],
    [
      'missing blob',
      (s) => {
        const d = digests(s)[1] as Digest;
        if (existsSync(s.blobs.pathOf(d))) rmSync(s.blobs.pathOf(d));
        else assert.equal(s.db.prepare('DELETE FROM blob_small WHERE digest = ?').run(d).changes, 1);
      },
      ['blob-missing'],
    ],
    [
      'guard dropped, provenance rewritten',
      (s) => {
        s.db.exec("DROP TRIGGER adv_raw_documents_no_update; UPDATE adv_raw_documents SET uri = '' WHERE seq = 1");
      },
      ['append-only-guard-missing', 'provenance-missing'],
    ],
    [
      'forged supersedes',
      (s) => {
        s.db.exec('DROP TRIGGER adv_raw_documents_no_update; UPDATE adv_raw_documents SET supersedes_seq = 2, revision = 2 WHERE seq = 1');
      },
      ['append-only-guard-missing', 'supersedes-invalid'],
    ],
    [
      'judgement written into an observation',
      (s) => {
        s.db.exec(`DROP TRIGGER adv_observations_no_update; UPDATE adv_observations SET body = json_set(body, '$.effectiveSeverity', 'critical') WHERE doc_seq = 1`);
      },
      ['append-only-guard-missing', 'derived-judgement'],
    ],
    [
      'index row pointing at no observation',
      (s) => {
        s.db.exec("INSERT INTO adv_ids (key, doc_seq, ordinal) VALUES ('CVE-0000-0000', 999, 0)");
      },
      ['observation-orphan'],
    ],
  ];
  for (const [name, tamper, kinds] of table) {
    const s = await loaded();
    try {
      tamper(s);
      const r = verifyAoc(s);
      assert.equal(r.ok, false, name);
      assert.deepEqual([...new Set(r.violations.map((v) => v.kind))].sort(), [...kinds].sort(), `${name}: ${JSON.stringify(r.violations)}`);
    } finally {
      s.close();
    }
  }
});
