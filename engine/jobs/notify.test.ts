/**
 * The jobs raise notifications: a scan `scan.completed` (and `feed.stale` once a day when its data is
 * old), a blocking policy verdict `policy.blocked`; a scan's result carries the age of its data. Real
 * data: the GHSA Maven records and the CISA KEV catalog, the dropwizard 1.3.15 SBOM.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { fixedClock, sequentialIds } from '../core';
import { importAdvisories } from '../advisories';
import { type LoggedNotification, listNotifications } from '../notify';
import { openStore } from '../store';
import { jobContext } from './context';
import { evaluatePolicy } from './policy';
import { rescanSbomJob, scanTargetJob } from './scan';

const SBOM = ['sbom', 'cyclonedx-bom-examples', 'SBOM', 'dropwizard-1.3.15', 'bom.json'];

test('scans raise scan.completed and, when their verdict is BLOCKED, policy.blocked; scans report feed age, stale data once a day', needsFixtures(...SBOM), async () => {
  const store = openStore({ home: tempDir() });
  await importAdvisories(store, [fixture('advisories', 'maven', 'osv-scalibr-maven-ghsa.jsonl.gz')!, fixture('advisories', 'kev', 'known_exploited_vulnerabilities.json.gz')!], { importedAt: '2026-02-01T00:00:00.000Z' });
  const seen: LoggedNotification[] = [];
  const ids = sequentialIds();
  const ctx = () => jobContext({ clock: fixedClock('2026-03-01T09:00:00.000Z', 1000), ids, notify: (n) => void seen.push(n) });
  const r = await scanTargetJob(store, { path: fixture(...SBOM)! }, ctx());
  assert.equal(r.feedAge?.basis, 'import');
  assert.equal(r.feedAge?.asOf, '2026-02-01T00:00:00.000Z');
  assert.equal(r.feedAge?.ageDays, 28);
  assert.equal(r.feedAge?.stale, true);
  // The scan's recorded verdict (the shipped default pack: KEV or critical blocks) is BLOCKED.
  assert.equal(r.policy.verdict, 'BLOCKED');
  assert.deepEqual(seen.map((n) => n.kind), ['scan.completed', 'policy.blocked', 'feed.stale']);
  const done = seen[0]!;
  assert.equal(done.subject, r.scan.id);
  assert.equal(done.severity, 'critical');
  assert.equal(done.kev, true);
  assert.deepEqual(done.rules, ['critical-findings', 'kev-findings', 'scans']);
  assert.deepEqual(done.channels, ['desktop', 'stderr'], 'no digest folder is set by default');
  const blocked = seen[1]!;
  assert.equal(blocked.subject, r.scan.id);
  assert.equal((blocked.details.blocking as unknown[]).length, r.policy.counts.BLOCKED);
  assert.equal(blocked.details.pack, r.policy.pack.name);
  assert.equal(blocked.kev, true);
  // Re-scanning the same day: the stale feed is not reported again; as of a recorded snapshot: no age.
  await rescanSbomJob(store, { sbomId: r.sbom.id }, ctx());
  const asOf = await rescanSbomJob(store, { sbomId: r.sbom.id, asOf: r.scan.snapshot }, ctx());
  assert.equal(asOf.feedAge, null);
  assert.deepEqual(seen.map((n) => n.kind), ['scan.completed', 'policy.blocked', 'feed.stale', 'scan.completed', 'policy.blocked', 'scan.completed', 'policy.blocked']);
  // Evaluating a stored scan again (a what-if) records nothing and raises nothing.
  const verdict = await evaluatePolicy(store, { pack: 'builtin:default', scan: r.scan.id }, ctx());
  assert.equal(verdict.verdict, 'BLOCKED');
  assert.equal(seen.length, 7);
  assert.deepEqual(listNotifications(store).map((n) => n.seq), [7, 6, 5, 4, 3, 2, 1], 'every notification is in the log the app reads');
  store.close();
});
