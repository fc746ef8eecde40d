import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnginePool } from './pool';
import { defaultWorkerScript } from './worker-script';
import { type WorkerCallError } from './protocol';

function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'stella-pool-'));
}

async function withPool(fn: (pool: EnginePool, logs: string[]) => Promise<void>): Promise<void> {
  const home = tempHome();
  const logs: string[] = [];
  const pool = new EnginePool({ home, workerScript: defaultWorkerScript(), readers: 2, testHooks: true, log: (l, m) => logs.push(`${l}: ${m}`) });
  await pool.start();
  try {
    await fn(pool, logs);
  } finally {
    await pool.close({ drainMs: 2000 });
    rmSync(home, { recursive: true, force: true });
  }
}

test('a call returns its result and reports progress on the way', async () => {
  await withPool(async (pool) => {
    const progress: number[] = [];
    const r = await pool.call('writer', '__test.sleep', { ms: 40, steps: 4 }, { onProgress: (p) => progress.push(p.done) });
    assert.deepEqual(r, { slept: 40 });
    // throttled to one message per 50 ms per phase, but the first and the final step always arrive
    assert.equal(progress[0], 0);
    assert.equal(progress.at(-1), 4);
    assert.deepEqual([...progress].sort((a, b) => a - b), progress);
  });
});

test('invalid args and unknown methods are rejected by the worker with a typed error', async () => {
  await withPool(async (pool) => {
    await assert.rejects(pool.call('reader', '__test.sleep', { ms: 'soon' }), (e: WorkerCallError) => e.wire.kind === 'invalid-args' && e.wire.code === 'invalid-request');
    await assert.rejects(pool.call('reader', 'no.such', {}), (e: WorkerCallError) => e.wire.kind === 'unknown-method');
    await assert.rejects(pool.call('reader', '__test.fail', { code: 'invalid-document', category: 'invalid-input' }), (e: WorkerCallError) => e.wire.kind === 'engine' && e.wire.code === 'invalid-document' && e.wire.category === 'invalid-input' && e.wire.details?.file === 'x.json');
  });
});

test('a running call is cancelled through its AbortSignal; a queued writer call is cancelled before it starts', async () => {
  await withPool(async (pool) => {
    const running = new AbortController();
    const queued = new AbortController();
    let queuedStarted = false;
    const a = pool.call('writer', '__test.sleep', { ms: 5000, steps: 50 }, { signal: running.signal });
    const b = pool.call('writer', '__test.sleep', { ms: 10, steps: 1 }, { signal: queued.signal, onStart: () => (queuedStarted = true) });
    queued.abort();
    await assert.rejects(b, (e: WorkerCallError) => e.wire.kind === 'cancelled');
    assert.equal(queuedStarted, false);
    setTimeout(() => running.abort(), 50);
    const t0 = Date.now();
    await assert.rejects(a, (e: WorkerCallError) => e.wire.kind === 'cancelled');
    assert.ok(Date.now() - t0 < 4500, 'cancelled well before the 5 s sleep ended');
    // the writer is free again
    assert.deepEqual(await pool.call('writer', '__test.sleep', { ms: 1, steps: 1 }), { slept: 1 });
  });
});

test('writer calls run one at a time in FIFO order', async () => {
  await withPool(async (pool) => {
    const order: string[] = [];
    const calls = ['a', 'b', 'c'].map((n) => pool.call('writer', '__test.sleep', { ms: 30, steps: 1 }, { onStart: () => order.push(`start ${n}`) }).then(() => order.push(`end ${n}`)));
    await Promise.all(calls);
    assert.deepEqual(order, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });
});

for (const how of ['exit', 'throw'] as const) {
  test(`a worker that crashes (${how}) fails its in-flight call and is restarted`, async () => {
    await withPool(async (pool, logs) => {
      const other = pool.call('writer', '__test.sleep', { ms: 20, steps: 1 });
      const crash = pool.call('writer', '__test.crash', { how });
      await other;
      await assert.rejects(crash, (e: WorkerCallError) => e.wire.kind === 'crashed' && e.wire.code === 'internal' && /stopped unexpectedly/.test(e.message) && /__test\.crash/.test(e.message));
      assert.deepEqual(await pool.call('writer', '__test.sleep', { ms: 1, steps: 1 }), { slept: 1 });
      assert.ok(logs.some((l) => /restarting/.test(l)), logs.join('\n'));
    });
  });
}

test('a worker that keeps crashing is declared broken instead of restarting forever', async () => {
  const home = tempHome();
  const pool = new EnginePool({ home, workerScript: defaultWorkerScript(), readers: 1, testHooks: true, maxRestartsPerMinute: 1, log: () => {} });
  await pool.start();
  try {
    await assert.rejects(pool.call('reader', '__test.crash', { how: 'exit' }));
    await assert.rejects(pool.call('reader', '__test.crash', { how: 'exit' }));
    await assert.rejects(pool.call('reader', '__test.sleep', { ms: 1, steps: 1 }), /keeps crashing/);
  } finally {
    await pool.close();
    rmSync(home, { recursive: true, force: true });
  }
});

test('close drains in-flight calls, refuses new ones, and cancels what outlives the drain timeout', async () => {
  const home = tempHome();
  const pool = new EnginePool({ home, workerScript: defaultWorkerScript(), readers: 1, testHooks: true, log: () => {} });
  await pool.start();
  const short = pool.call('reader', '__test.sleep', { ms: 100, steps: 2 });
  const long = pool.call('writer', '__test.sleep', { ms: 30_000, steps: 300 });
  const closing = pool.close({ drainMs: 3000 });
  await assert.rejects(pool.call('reader', '__test.sleep', { ms: 1, steps: 1 }), (e: WorkerCallError) => e.wire.kind === 'shutdown');
  assert.deepEqual(await short, { slept: 100 });
  await assert.rejects(long, (e: WorkerCallError) => e.wire.kind === 'cancelled');
  await closing;
  rmSync(home, { recursive: true, force: true });
});

test('every worker runs under a V8 heap limit; one that reaches it fails its call with a resource-limit error naming the limit, and is restarted', async () => {
  const home = tempHome();
  const logs: string[] = [];
  // A small limit keeps the test quick; the apps use WORKER_HEAP_LIMITS.engine (512 MB).
  const heapLimits = { maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 };
  const pool = new EnginePool({ home, workerScript: defaultWorkerScript(), readers: 1, testHooks: true, heapLimits, log: (l, m) => logs.push(`${l}: ${m}`) });
  await pool.start();
  try {
    await assert.rejects(pool.call('writer', '__test.exhaustHeap', {}), (e: WorkerCallError) => {
      assert.equal(e.wire.kind, 'crashed');
      assert.equal(e.wire.code, 'resource-limit');
      assert.equal(e.wire.category, 'invalid-input');
      assert.match(e.message, /writer worker ran out of memory: its JavaScript heap is limited to 160 MB \(WORKER_HEAP_LIMITS\.engine\.maxOldGenerationSizeMb, engine\/core\/limits\.ts\) while running __test\.exhaustHeap/);
      return true;
    });
    assert.deepEqual(await pool.call('writer', '__test.sleep', { ms: 1, steps: 1 }), { slept: 1 });
    assert.ok(logs.some((l) => /ran out of memory.*restarting/.test(l)), logs.join('\n'));
  } finally {
    await pool.close({ drainMs: 1000 });
    rmSync(home, { recursive: true, force: true });
  }
});
