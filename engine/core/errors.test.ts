import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreError, EXIT_CODES, exitCodeOf, serializeError, throwIfCancelled } from './errors';
import { fixedClock, sequentialIds, contentId } from './clock';

test('every error category maps to the documented exit code', () => {
  assert.deepEqual(EXIT_CODES, {
    rejected: 1,
    usage: 2,
    'invalid-input': 3,
    'missing-data': 4,
    network: 5,
    trust: 6,
    'non-monotonic': 8,
    internal: 10,
    cancelled: 130,
  });
});

test('module errors carry code, category, details and cause', () => {
  const cause = new Error('root');
  const e = new CoreError('invalid-json', 'bad', { cause, details: { file: 'x.json', path: '/a', expected: 'an object' } });
  assert.equal(e.code, 'invalid-json');
  assert.equal(e.category, 'invalid-input');
  assert.equal(e.exitCode, 3);
  assert.equal(e.cause, cause);
  assert.deepEqual(serializeError(e), { module: 'core', code: 'invalid-json', category: 'invalid-input', message: 'bad', details: { file: 'x.json', path: '/a', expected: 'an object' } });
});

test('unknown errors are internal (exit 10); aborts are cancelled (exit 130)', () => {
  assert.equal(exitCodeOf(new TypeError('x')), 10);
  const abort = new Error('aborted');
  abort.name = 'AbortError';
  assert.equal(exitCodeOf(abort), 130);
  const c = new AbortController();
  throwIfCancelled(c.signal);
  c.abort();
  assert.throws(() => throwIfCancelled(c.signal), (e: unknown) => e instanceof CoreError && e.exitCode === 130);
});

test('injected clock and ids are deterministic', () => {
  const clock = fixedClock('2026-01-02T03:04:05.000Z', 1000);
  assert.equal(clock.nowIso(), '2026-01-02T03:04:05.000Z');
  assert.equal(clock.nowIso(), '2026-01-02T03:04:06.000Z');
  const ids = sequentialIds();
  assert.equal(ids.next('scan'), 'scan_000001');
  assert.equal(ids.next('scan'), 'scan_000002');
  assert.equal(ids.next('job'), 'job_000001');
  assert.equal(contentId('f', { b: 1, a: 2 }), contentId('f', { a: 2, b: 1 }));
  assert.match(contentId('f', {}), /^f_[0-9a-f]{24}$/);
});
