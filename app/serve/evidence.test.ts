// Evidence bundles through the app contract, over HTTP + WebSocket against the real engine in real
// workers: report.html of a stored scan, the export job (progress events, the passphrase in the request,
// the audit head in the result), the bundle's bytes back from the exports folder, and the verify job's
// per-check results for an intact and a damaged bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { readTarGz, deterministicTarGz } from '../../engine/core';
import { startServe } from './server';
import { createHttpClient, type JobResults, type WebSocketCtor } from '../common/contract';
import { runJob, value, waitForSockets } from '../../build/test-support/serve-client';
import { PASSPHRASE, needsScannedHome, scannedHome } from '../../build/test-support/evidence';

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
    const phases = job.progress.map((p) => p.phase);
    assert.ok(phases.includes('signing attestations') && phases.includes('writing bundle'), phases.join(', '));
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
