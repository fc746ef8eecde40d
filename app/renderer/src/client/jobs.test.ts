import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INVALIDATES } from './queries';
import { isFinal, jobStore, withItem } from './jobs';

test('job store: events before and after track() merge; wait() resolves on the final state', async () => {
  // progress can arrive before the invoke reply that tells the UI the job id
  jobStore.progress({ jobId: 'j1', kind: 'advisories.import', phase: 'parsing', done: 5, total: 10 });
  jobStore.track('j1', 'advisories.import', 'Advisories: feed.json');
  let j = jobStore.get('j1');
  assert.equal(j?.label, 'Advisories: feed.json');
  assert.equal(j?.done, 5);
  assert.equal(j?.state, 'running');

  const waited = jobStore.wait('j1');
  jobStore.progress({ jobId: 'j1', kind: 'advisories.import', phase: 'storing', done: 9, total: 10 });
  jobStore.finished({ jobId: 'j1', kind: 'advisories.import', state: 'succeeded', result: { documents: 10 } });
  j = await waited;
  assert.equal(j.state, 'succeeded');
  assert.equal(j.done, 10, 'a succeeded job shows a full bar');
  assert.deepEqual(j.result, { documents: 10 });

  // a late progress event does not resurrect a finished job
  jobStore.progress({ jobId: 'j1', kind: 'advisories.import', phase: 'late', done: 3, total: 10 });
  assert.equal(jobStore.get('j1')?.state, 'succeeded');

  // finished before track(): wait() resolves immediately with the failure
  jobStore.finished({ jobId: 'j2', kind: 'scan.run', state: 'failed', error: { code: 'missing-data', message: 'no advisories loaded' } });
  jobStore.track('j2', 'scan.run', 'Scan');
  const j2 = await jobStore.wait('j2');
  assert.equal(j2.state, 'failed');
  assert.equal(j2.error?.code, 'missing-data');
  assert.equal(j2.label, 'Scan');

  const snap = jobStore.getSnapshot();
  assert.deepEqual(new Set(snap.map((x) => x.jobId)), new Set(['j1', 'j2']));
  jobStore.dismiss('j1');
  assert.equal(jobStore.get('j1'), undefined);
  assert.deepEqual([isFinal('running'), isFinal('queued'), isFinal('cancelled')], [false, false, true]);
});

test('store.changed invalidates the channels that read what changed', () => {
  assert.ok(INVALIDATES.scans.includes('findings.list'));
  assert.ok(INVALIDATES.scans.includes('scan.list'));
  assert.ok(INVALIDATES.sboms.includes('sbom.list'));
  assert.ok(INVALIDATES.advisories.includes('advisories.snapshot'));
  assert.ok(!INVALIDATES.advisories.includes('findings.list'), 'new advisories do not change stored scan results');
});

test('list items (an image scan’s layers) are kept by index; a later state replaces an earlier one; plain progress keeps them', () => {
  const p = (item?: { index: number; id: string; state: 'queued' | 'running' | 'done' | 'cached' }) => jobStore.progress({ jobId: 'img', kind: 'scan.target', phase: 'analyzing layers', done: 0, total: 2, ...(item ? { item } : {}) });
  p({ index: 1, id: 'sha256:b', state: 'queued' });
  p({ index: 0, id: 'sha256:a', state: 'queued' });
  p({ index: 1, id: 'sha256:b', state: 'running' });
  p();
  p({ index: 1, id: 'sha256:b', state: 'cached' });
  assert.deepEqual(jobStore.get('img')?.items?.map((i) => `${i.index}:${i.state}`), ['0:queued', '1:cached']);
  const before = [{ index: 0, id: 'a', state: 'queued' as const }];
  assert.deepEqual(withItem(before, { index: 0, id: 'a', state: 'done' }), [{ index: 0, id: 'a', state: 'done' }]);
  assert.deepEqual(before[0]?.state, 'queued', 'a copy, not a mutation');
  jobStore.dismiss('img');
});
