// A worker crash in the middle of a job, end to end: the real pool under the real EngineHost. The job
// is reported `failed` with code `internal` (never lost), the writer is restarted, the next job runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventPayloads } from '../common/contract';
import { EngineHost } from '../main/host/engine-host';
import { fileResolver } from '../main/host/files';
import { EnginePool } from './pool';
import { defaultWorkerScript } from './worker-script';

test('a writer crash during a job → job.finished failed/internal, writer restarted, next job succeeds', async () => {
  const home = mkdtempSync(join(tmpdir(), 'stella-crash-'));
  const pool = new EnginePool({ home, workerScript: defaultWorkerScript(), readers: 1, testHooks: true, log: () => {} });
  await pool.start();
  const host = new EngineHost({ backend: pool, files: fileResolver({}), info: { version: '0', mode: 'serve', home, platform: process.platform } });
  const finished: EventPayloads['job.finished'][] = [];
  host.bus.on('job.finished', (p) => finished.push(p));
  // A finished job's result is checked against the contract: the test hooks' results become a scan summary.
  const summary = { id: 'scan_1', subject: 'x', snapshot: null, createdAt: '2026-01-01T00:00:00.000Z', findingCount: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, none: 0, unknown: 0 }, kevCount: 0, fixableCount: 0 };
  const run = (method: string, args: unknown) => host.jobs.start('scan.run', (ctx) => pool.call('writer', method, args, { signal: ctx.signal, onStart: ctx.started, onProgress: ctx.progress }).then(() => summary));
  try {
    const crash = run('__test.crash', { how: 'exit' });
    const after = run('__test.sleep', { ms: 10, steps: 1 });
    while (finished.length < 2) await new Promise((r) => setTimeout(r, 20));
    const byId = new Map(finished.map((f) => [f.jobId, f]));
    assert.equal(byId.get(crash.jobId)?.state, 'failed');
    assert.equal(byId.get(crash.jobId)?.error?.code, 'internal');
    assert.match(byId.get(crash.jobId)?.error?.message ?? '', /writer worker stopped unexpectedly/);
    assert.equal(byId.get(after.jobId)?.state, 'succeeded');
    // the restarted writer still owns a working store connection
    const r = await host.invoke('advisories.snapshot', {});
    assert.equal(r.ok, true);
  } finally {
    await host.close({ drainMs: 1000 });
    rmSync(home, { recursive: true, force: true });
  }
});
