// kill -9 during `stella advisories import` (spawned, real SIGKILL, after batches were written inside
// the import's transaction): the store is exactly as it was before the import, its raw store and audit
// chain verify, and a re-run imports everything once — no duplicate documents, no missing one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { needsFixtures, REPO_ROOT, fixture, tempDir } from '../../build/test-support/fixtures';
import { signalWhen } from '../../build/test-support/signal-when';
import { GHSA_FIXTURE, replicatedAdvisoryFeed, storeState } from '../../build/test-support/large-inputs';
import { openStore } from '../store';
import { verifyAoc } from '../advisories';
import { verifyAudit } from '../audit';

const STELLA = join(REPO_ROOT, 'bin', 'stella.mjs');

async function verified(home: string): Promise<{ aoc: unknown[]; audit: boolean; documents: number; distinctIdentities: number }> {
  const store = openStore({ home });
  try {
    const n = (sql: string): number => (store.db.prepare(sql).get() as { n: number }).n;
    return {
      aoc: verifyAoc(store).violations,
      audit: (await verifyAudit(store, { signal: new AbortController().signal })).ok,
      documents: n('SELECT COUNT(*) AS n FROM adv_raw_documents'),
      distinctIdentities: n('SELECT COUNT(DISTINCT identity_key) AS n FROM adv_raw_documents'),
    };
  } finally {
    store.close();
  }
}

test('kill -9 mid-import: the store is as it was, it verifies, and a re-run imports every document once', needsFixtures(...GHSA_FIXTURE), async () => {
  const home = tempDir('stella-crash-');
  // A home with history: the GHSA corpus imported (documents, a snapshot, audit entries).
  const seed = spawnSync(process.execPath, [STELLA, '--home', home, '-q', 'advisories', 'import', fixture(...GHSA_FIXTURE) as string, '--json'], { encoding: 'utf8' });
  assert.equal(seed.status, 0, seed.stderr);
  const before = storeState(home);
  const feed = replicatedAdvisoryFeed(tempDir(), 6_000);

  // Killed after at least one batch of the import was written (progress counts written documents).
  const killed = await signalWhen(['--home', home, 'advisories', 'import', feed, '--json'], (l) => /^stella: importing advisories [1-9]\d*/.test(l), 'SIGKILL');
  assert.equal(killed.signal, 'SIGKILL', `killed mid-way (stderr: ${killed.stderr.slice(-400)})`);
  assert.ok(killed.at, 'a batch was written before the kill');
  assert.deepEqual(storeState(home), before, 'nothing of the killed import is visible');
  const afterCrash = await verified(home);
  assert.deepEqual(afterCrash.aoc, [], 'the raw store verifies after the crash');
  assert.equal(afterCrash.audit, true, 'the audit chain verifies after the crash');

  const rerun = spawnSync(process.execPath, [STELLA, '--home', home, '-q', 'advisories', 'import', feed, '--json'], { encoding: 'utf8' });
  assert.equal(rerun.status, 0, rerun.stderr);
  const report = JSON.parse(rerun.stdout) as { new: number; unchanged: number; rejected: unknown[] };
  assert.deepEqual([report.new, report.unchanged, report.rejected.length], [6_000, 0, 0]);
  const done = await verified(home);
  assert.deepEqual(done.aoc, []);
  assert.equal(done.audit, true);
  assert.equal(done.documents, (before.adv_raw_documents as number) + 6_000, 'every document once');
  assert.equal(done.distinctIdentities, done.documents, 'no identity stored twice');
});
