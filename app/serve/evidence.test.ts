// Evidence bundles through the app contract, over HTTP + WebSocket against the real engine in real
// workers: report.html of a stored scan, the export job (progress events, the passphrase in the request,
// the audit head in the result), the bundle's bytes back from the exports folder, and the verify job's
// per-check results for an intact and a damaged bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { readTarGz, deterministicTarGz } from '../../engine/core';
import { startServe } from './server';
import { createHttpClient, type EventPayloads, type HttpEngineClient, type JobResults, type Reply, type WebSocketCtor } from '../common/contract';
import { PASSPHRASE, needsScannedHome, scannedHome } from '../../build/test-support/evidence';

function value<T>(r: Reply<T>): T {
  if (!r.ok) assert.fail(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

async function waitForSockets(s: { eventSockets(): number }): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (s.eventSockets() < 1) {
    if (Date.now() > deadline) throw new Error('the event WebSocket did not connect');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function runJob(client: HttpEngineClient, start: () => Promise<Reply<{ jobId: string }>>): Promise<{ finished: EventPayloads['job.finished']; phases: string[] }> {
  const phases: string[] = [];
  const seen: EventPayloads['job.finished'][] = [];
  let jobId = '';
  let done!: (p: EventPayloads['job.finished']) => void;
  const finished = new Promise<EventPayloads['job.finished']>((r) => (done = r));
  const offP = client.subscribe('job.progress', (p) => {
    if (!jobId || p.jobId === jobId) phases.push(p.phase);
  });
  const offF = client.subscribe('job.finished', (p) => (jobId ? p.jobId === jobId && done(p) : seen.push(p)));
  jobId = value(await start()).jobId;
  const early = seen.find((p) => p.jobId === jobId);
  if (early) done(early);
  const f = await finished;
  offP();
  offF();
  return { finished: f, phases };
}

test('export.evidence, export.file, export.verify and report.html over the contract', { ...needsScannedHome(), timeout: 120_000 }, async () => {
  const h = await scannedHome();
  const s = await startServe({ home: h.home, readers: 1, log: () => {} });
  const client = createHttpClient(`http://127.0.0.1:${s.port}`, s.token, { WebSocket: WebSocket as unknown as WebSocketCtor });
  try {
    client.subscribe('store.changed', () => {});
    await waitForSockets(s);

    const page = value(await client.invoke('report.html', { scanId: h.scanId }));
    assert.equal(page.mediaType, 'text/html; charset=utf-8');
    assert.match(Buffer.from(page.contentBase64, 'base64').toString('utf8'), /<h1>Evidence report<\/h1>/);

    const locked = await runJob(client, () => client.invoke('export.evidence', { scanId: h.scanId }));
    assert.equal(locked.finished.state, 'failed');
    assert.match(locked.finished.error?.message ?? '', /a passphrase is needed to unlock the signing key default/);

    const job = await runJob(client, () => client.invoke('export.evidence', { scanId: h.scanId, passphrase: PASSPHRASE }));
    assert.equal(job.finished.state, 'succeeded', JSON.stringify(job.finished.error));
    const r = job.finished.result as JobResults['export.evidence'];
    assert.equal(r.fileName, `stella-evidence-${h.scanId}.tar.gz`);
    assert.equal(r.signer.keyId, h.keyId);
    assert.equal(r.attestations, 5);
    assert.ok(job.phases.includes('signing attestations') && job.phases.includes('writing bundle'), job.phases.join(', '));
    assert.ok(!JSON.stringify(job.finished).includes(PASSPHRASE), 'the passphrase never comes back');

    const file = value(await client.invoke('export.file', { fileName: r.fileName }));
    const bytes = Buffer.from(file.contentBase64, 'base64');
    assert.equal(file.digest, r.digest);
    assert.equal(bytes.length, r.size);
    const traversal = await client.invoke('export.file', { fileName: '../stella.db' });
    assert.equal(traversal.ok, false);

    const good = await runJob(client, async () => client.invoke('export.verify', { file: value(await client.upload(bytes, 'bundle.tar.gz')) }));
    const ok = good.finished.result as JobResults['export.verify'];
    assert.equal(ok.outcome, 'ok', JSON.stringify(ok.failure));
    assert.equal(ok.scanId, h.scanId);
    assert.ok(ok.checks.every((c) => c.status === 'pass'));

    const members = await readTarGz(bytes, 'bundle');
    const damaged = await deterministicTarGz(members.map((m) => (m.path.endsWith('/report.html') ? { ...m, bytes: Buffer.concat([Buffer.from(m.bytes), Buffer.from('<!-- -->')]) } : m)));
    const bad = await runJob(client, async () => client.invoke('export.verify', { file: value(await client.upload(damaged, 'damaged.tar.gz')) }));
    const no = bad.finished.result as JobResults['export.verify'];
    assert.equal(no.outcome, 'damaged');
    assert.equal(no.failure?.name, 'files');
    assert.match(no.failure?.detail ?? '', /report\.html was changed/);
  } finally {
    client.close?.();
    await s.close();
  }
});
