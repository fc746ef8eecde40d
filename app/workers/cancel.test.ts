// Cancel in the app: the real engine host over the real worker pool (workers from source). A running
// 10,000-component scan and a 5,000-document advisory import, cancelled mid-way through `jobs.cancel`,
// finish as `cancelled` within 1 s and leave the store as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import type { Channel, EventPayloads } from '../common/contract';
import { needsFixtures } from '../../build/test-support/fixtures';
import { cancellationSetup, GHSA_FIXTURE, storeState } from '../../build/test-support/large-inputs';
import { EngineHost } from '../main/host/engine-host';
import { fileResolver, PathGrants } from '../main/host/files';
import { EnginePool } from './pool';
import { defaultWorkerScript } from './worker-script';

test('cancel ends a running 10,000-component scan and a 5,000-document import within 1 s; the store is as it was', needsFixtures(...GHSA_FIXTURE), async () => {
  const { home, sbom, feed, before } = await cancellationSetup();
  const pool = new EnginePool({ home, workerScript: defaultWorkerScript(), readers: 1, log: () => {} });
  await pool.start();
  const host = new EngineHost({ backend: pool, files: fileResolver({ paths: new PathGrants(true) }), info: { version: '0', mode: 'serve', home, platform: process.platform } });
  try {
    const cases: { name: string; channel: Channel; args: unknown; phase: string }[] = [
      { name: 'scan', channel: 'scan.target', args: { file: { kind: 'path', path: sbom } }, phase: 'matching' },
      { name: 'advisories import', channel: 'advisories.import', args: { files: [{ kind: 'path', path: feed }] }, phase: 'importing advisories' },
    ];
    for (const k of cases) {
      let at: EventPayloads['job.progress'] | undefined;
      let cancelledAt = 0;
      const offProgress = host.bus.on('job.progress', (p) => {
        if (at || p.phase !== k.phase || p.done === 0) return;
        at = p;
        cancelledAt = performance.now();
        void host.invoke('jobs.cancel', { jobId: p.jobId });
      });
      let offFinished = (): void => undefined;
      const finished = new Promise<EventPayloads['job.finished']>((resolve) => (offFinished = host.bus.on('job.finished', resolve)));
      const started = await host.invoke(k.channel, k.args);
      assert.ok(started.ok, JSON.stringify(started));
      const f = await finished;
      const ms = performance.now() - cancelledAt;
      offProgress();
      offFinished();
      assert.ok(at && (at.total === undefined || at.done < at.total), `${k.name}: cancelled mid-way (${JSON.stringify(at)}; finished ${JSON.stringify(f)})`);
      assert.equal(f.state, 'cancelled', `${k.name}: ${JSON.stringify(f)}`);
      assert.equal(f.error?.code, 'cancelled');
      assert.ok(ms < 1000, `${k.name}: finished ${Math.round(ms)} ms after the cancel`);
      assert.deepEqual(storeState(home), before, `${k.name}: the store is as it was`);
    }
  } finally {
    await host.close({ drainMs: 1000 });
  }
});
