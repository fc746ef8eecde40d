// The zod checks at the process boundary (development and test builds): a worker result, an engine-host
// reply or an event that does not match the contract never reaches the UI; the error names the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { z } from 'zod';
import { BOUNDARY_CHECKS, type WorkerToHost } from '../../workers/protocol';
import { method, serveWorker } from '../../workers/runtime';
import { EngineHost, type EngineBackend } from './engine-host';
import { EventBus } from './events';
import { fileResolver } from './files';

const gate = { skip: BOUNDARY_CHECKS ? false : 'boundary checks are off (NODE_ENV=production without STELLA_DEV_CHECKS=1)' };

function reply(port: MessagePort, seq: number): Promise<WorkerToHost> {
  return new Promise((resolve) => {
    port.on('message', (m: WorkerToHost) => {
      if ((m.type === 'result' || m.type === 'error') && m.seq === seq) resolve(m);
    });
  });
}

test('worker port: a result that does not match the method\'s schema becomes an internal error naming the field', gate, async () => {
  const { port1, port2 } = new MessageChannel();
  const methods = {
    good: method(z.object({}), z.object({ n: z.number() }), () => ({ n: 1 })),
    bad: method(z.object({}), z.object({ n: z.number() }), () => ({ n: 'one' }) as unknown as { n: number }),
  };
  serveWorker(port1, {}, methods, () => undefined);
  try {
    const cases: [string, (m: WorkerToHost) => void][] = [
      ['good', (m) => assert.deepEqual(m, { type: 'result', seq: 1, result: { n: 1 } })],
      [
        'bad',
        (m) => {
          assert.equal(m.type, 'error');
          if (m.type !== 'error') return;
          assert.equal(m.error.code, 'invalid-result');
          assert.match(m.error.message, /bad returned a result that does not match the contract: n: /);
        },
      ],
    ];
    let seq = 0;
    for (const [name, check] of cases) {
      seq++;
      const r = reply(port2, seq);
      port2.postMessage({ type: 'call', seq, method: name, args: {} });
      check(await r);
    }
  } finally {
    port1.close();
    port2.close();
  }
});

test('engine host: a reply that does not match its channel is refused; so is an event payload', gate, async () => {
  const results: Record<string, unknown> = {
    'sbom.list': [{ id: 'sbom_1', digest: 'sha256:0', name: 'x', format: 'cyclonedx-json', specVersion: '1.6', componentCount: 1, dependencyCount: 0, importedAt: '2026-01-01T00:00:00Z' }],
    'scan.list': [{ id: 'scan_1', subject: 'x' }],
  };
  const backend: EngineBackend = { call: async (_role, m) => results[m], close: async () => undefined };
  const host = new EngineHost({ backend, files: fileResolver({}), info: { version: '1', mode: 'serve', home: '/h', platform: 'linux' } });
  assert.deepEqual(await host.invoke('sbom.list', {}), { ok: true, value: results['sbom.list'] });
  const bad = await host.invoke('scan.list', {});
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? bad.error.message : '', /the scan\.list result does not match the contract: .*0\.createdAt: /);

  const bus = new EventBus();
  const seen: unknown[] = [];
  bus.onAny((_e, p) => seen.push(p));
  bus.emit('store.changed', { what: 'scans' });
  assert.throws(() => bus.emit('store.changed', { what: 'everything' } as never), /the store\.changed event does not match the contract: what: /);
  // A finished job's result is checked against its job kind's result schema.
  assert.throws(() => bus.emit('job.finished', { jobId: 'j', kind: 'scan.run', state: 'succeeded', result: { slept: 1 } }), /job\.finished event does not match the contract: result\./);
  assert.deepEqual(seen, [{ what: 'scans' }], 'only the conforming event was delivered');
});
