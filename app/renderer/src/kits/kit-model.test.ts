import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyKitProgress, checklistFromChecks, emptyChecklist, failRunningStep, feedAgeText, refusalOf } from './kit-model';

test('the checklist ticks as phases report their outcome; an outcome is not undone by later detail', () => {
  let l = emptyChecklist();
  l = applyKitProgress(l, { phase: 'read', done: 0, message: '/media/kit.tar.gz' });
  assert.equal(l.read.state, 'running');
  l = applyKitProgress(l, { phase: 'read', done: 1, total: 1, message: 'pass: kit stable 1.2.0' });
  assert.deepEqual([l.read.state, l.read.message], ['pass', 'kit stable 1.2.0']);
  l = applyKitProgress(l, { phase: 'digests', done: 10, total: 100 });
  assert.deepEqual([l.digests.state, l.digests.done, l.digests.total], ['running', 10, 100]);
  l = applyKitProgress(l, { phase: 'signature', done: 1, total: 1, message: 'fail: no key trusted for kits' });
  l = applyKitProgress(l, { phase: 'signature', done: 1, total: 1 });
  assert.equal(l.signature.state, 'fail');
  assert.equal(applyKitProgress(l, { phase: 'unlocking', done: 0 }), l, 'other phases are ignored');
});

test('checklistFromChecks and failRunningStep', () => {
  const l = checklistFromChecks([
    { name: 'read', status: 'pass', message: 'ok' },
    { name: 'version', status: 'forced', message: 'older, forced' },
  ]);
  assert.deepEqual([l.read.state, l.version.state, l.activate.state], ['pass', 'forced', 'waiting']);
  let r = applyKitProgress(emptyChecklist(), { phase: 'read', done: 1, total: 1, message: 'pass: read' });
  r = applyKitProgress(r, { phase: 'digests', done: 5, total: 9 });
  assert.equal(failRunningStep(r, 'boom').digests.state, 'fail');
  assert.equal(failRunningStep(r, 'boom').read.state, 'pass');
});

const refusals: [string, Record<string, unknown> | undefined, number][] = [
  ['trust', undefined, 6],
  ['invalid-input', undefined, 3],
  ['missing-data', undefined, 4],
  ['invalid-input', { engineCode: 'non-monotonic' }, 8],
  ['cancelled', undefined, 130],
  ['internal', undefined, 10],
];
test('refusalOf: a failed version step is exit 8 even without the engine code (job.finished carries the category only)', () => {
  assert.equal(refusalOf({ code: 'invalid-input' }, 'version').exitCode, 8);
  assert.equal(refusalOf({ code: 'missing-data' }, 'version').exitCode, 4);
  assert.equal(refusalOf({ code: 'trust' }, 'signature').exitCode, 6);
});

for (const [code, details, exit] of refusals) {
  test(`refusalOf ${code}${details ? ` (${String(details.engineCode)})` : ''} → exit ${exit}`, () => {
    assert.equal(refusalOf({ code: code as never, details }).exitCode, exit);
  });
}

test('feedAgeText: none, fresh, stale', () => {
  const base = { staleAfterDays: 7, snapshot: 's', message: '' };
  assert.equal(feedAgeText({ ...base, asOf: null, ageDays: null, stale: false, basis: 'none' }), 'No advisory snapshot is loaded yet');
  assert.match(feedAgeText({ ...base, asOf: '2026-12-01T00:00:00Z', ageDays: 0.5, stale: false, basis: 'kit' }), /2026-12-01 \(offline kit\) is less than a day old$/);
  assert.match(feedAgeText({ ...base, asOf: '2026-11-01T00:00:00Z', ageDays: 33.2, stale: true, basis: 'import' }), /33 days old — stale \(older than 7 days\)/);
});
