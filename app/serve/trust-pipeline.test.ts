// The image view, keys, trust roots, attestations, the transparency log, the audit trail and VEX trust
// over HTTP + WebSocket against the real engine in real workers: a key generated through the contract
// signs with the CLI, the bundle is listed and verified (and a changed artifact refused, naming the
// check), the log proof checks out, every change is in a verified audit trail; an image scan's layer
// states reach the client as job progress, and the image view names each layer's packages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startServe } from './server';
import { cli } from '../../build/test-support/cli';
import { writeDockerArchive } from '../../build/test-support/images';
import { createHttpClient, type EventPayloads, type HttpEngineClient, type JobResults, type Reply, type WebSocketCtor } from '../common/contract';

function value<T>(r: Reply<T>): T {
  if (!r.ok) assert.fail(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`${what}: not in time`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function runJob(client: HttpEngineClient, start: () => Promise<Reply<{ jobId: string }>>): Promise<{ finished: EventPayloads['job.finished']; progress: EventPayloads['job.progress'][] }> {
  const progress: EventPayloads['job.progress'][] = [];
  const finished: EventPayloads['job.finished'][] = [];
  const offP = client.subscribe('job.progress', (p) => progress.push(p));
  const offF = client.subscribe('job.finished', (p) => finished.push(p));
  const { jobId } = value(await start());
  await until(() => finished.some((f) => f.jobId === jobId), 'job.finished');
  offP();
  offF();
  return { finished: finished.find((f) => f.jobId === jobId) as EventPayloads['job.finished'], progress: progress.filter((p) => p.jobId === jobId) };
}

const PASSPHRASE = 'a passphrase typed once in Settings';

test('keys, trust roots, attestations, log proofs, audit and VEX trust over HTTP + WebSocket', { timeout: 120_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'stella-trust-pipeline-'));
  const work = mkdtempSync(join(tmpdir(), 'stella-trust-work-'));
  const s = await startServe({ home, readers: 1, log: () => {} });
  const client = createHttpClient(`http://127.0.0.1:${s.port}`, s.token, { WebSocket: WebSocket as unknown as WebSocketCtor });
  const changed: string[] = [];
  try {
    client.subscribe('store.changed', (p) => changed.push(p.what));
    await until(() => s.eventSockets() >= 1, 'event socket');

    // a passphrase that is too short is refused without being repeated
    const short = await client.invoke('keys.generate', { name: 'ci', profile: 'world', passphrase: 'short' });
    assert.equal(short.ok, false);
    assert.ok(!short.ok && !JSON.stringify(short.error).includes('short"') && /at least 8 characters/.test(short.error.message), JSON.stringify(short));
    const key = value(await client.invoke('keys.generate', { name: 'ci', profile: 'world', algorithm: 'ed25519', passphrase: PASSPHRASE, makeDefault: true }));
    assert.deepEqual([key.name, key.profile, key.algorithm, key.isDefault], ['ci', 'world', 'ed25519', true]);
    await until(() => ['keys', 'trust', 'audit'].every((w) => changed.includes(w)), 'store.changed keys/trust/audit');
    const listing = value(await client.invoke('keys.list', {}));
    assert.deepEqual(listing.keys.map((k) => k.keyId), [key.keyId]);
    assert.deepEqual(listing.profiles.map((p) => p.profile), ['world', 'fips', 'sm']);
    const pub = value(await client.invoke('keys.exportPublic', { name: 'ci' }));
    assert.equal(pub.fileName, 'ci.pub.pem');
    assert.equal(pub.pem, key.publicKey);

    // trust roots: an uploaded PEM, for attestations and kits; refusals name the upload, not its server path
    const partner = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const pem = value(await client.upload(new TextEncoder().encode(partner), 'partner.pem'));
    const added = value(await client.invoke('trust.add', { file: pem, purposes: ['attestations', 'kits'] }));
    assert.deepEqual([added.name, added.origin, added.purposes], ['partner', 'added', ['attestations', 'kits']]);
    const junk = value(await client.upload(new TextEncoder().encode('not a key'), 'junk.pem'));
    const refused = await client.invoke('trust.add', { file: junk, name: 'junk', purposes: ['plugins'] });
    assert.ok(!refused.ok && refused.error.code === 'invalid-input' && /junk\.pem/.test(refused.error.message), JSON.stringify(refused));
    assert.ok(!JSON.stringify(refused).includes('serve-uploads'), 'no server path in the error');
    const trusted = value(await client.invoke('trust.list', {}));
    assert.ok(trusted.some((t) => t.name === 'partner') && trusted.some((t) => t.origin === 'workstation' && t.keyIds.includes(key.keyId)));
    value(await client.invoke('trust.remove', { name: 'partner' }));
    assert.ok(!value(await client.invoke('trust.list', {})).some((t) => t.name === 'partner'));

    // sign with the CLI, using the key made through the contract
    const artifact = join(work, 'app.tar');
    writeFileSync(artifact, 'the artifact\n');
    const predicate = join(work, 'custom.json');
    writeFileSync(predicate, JSON.stringify({ built: 'here' }));
    const bundleFile = join(work, 'app.sigstore.json');
    const sign = (...argv: string[]) => cli(['--home', home, ...argv], process.cwd(), { STELLA_PASSPHRASE: PASSPHRASE });
    const signed = await sign('attest', 'sign', '--type', 'custom', '--predicate-type', 'https://example.com/build/v1', '--predicate', predicate, '--subject', artifact, '--key', 'ci', '-o', bundleFile);
    assert.equal(signed.code, 0, signed.stderr);
    void (await sign('attest', 'sign', '--type', 'custom', '--predicate-type', 'https://example.com/build/v1', '--predicate', predicate, '--subject', artifact, '--key', 'ci', '-o', join(work, 'again.json')));

    const page = value(await client.invoke('attest.list', {}));
    assert.equal(page.total, 1, 'the same statement signed twice is one log entry');
    const item = page.items[0];
    assert.equal(item?.signers[0]?.keyName, 'ci');
    assert.equal(item?.signedBy?.type, 'custom');
    assert.deepEqual(item?.signedBy?.predicateTypes, ['https://example.com/build/v1']);
    assert.match(item?.signedBy?.subject ?? '', /^app\.tar@sha256:[0-9a-f]{64}$/);

    const bundle = value(await client.upload(readFileSync(bundleFile), 'app.sigstore.json'));
    const good = value(await client.upload(readFileSync(artifact), 'app.tar'));
    const report = value(await client.invoke('attest.verify', { bundle, artifact: { file: good } }));
    assert.equal(report.verified, true, JSON.stringify(report.firstFailure));
    assert.equal(report.artifact.label, 'app.tar');
    assert.deepEqual(report.items[0]?.checks.filter((c) => c.status === 'fail'), []);
    assert.ok(report.items[0]?.checks.some((c) => c.name === 'tlog-inclusion' && c.status === 'pass'));
    // uploads are single-use: a second verification uploads again
    const again = await client.invoke('attest.verify', { bundle, artifact: { file: good } });
    assert.ok(!again.ok && again.error.code === 'not-found');
    const bundle2 = value(await client.upload(readFileSync(bundleFile), 'app.sigstore.json'));
    const changedArtifact = value(await client.upload(new TextEncoder().encode('the artifact, changed\n'), 'app.tar'));
    const bad = value(await client.invoke('attest.verify', { bundle: bundle2, artifact: { file: changedArtifact } }));
    assert.equal(bad.verified, false);
    assert.equal(bad.firstFailure?.check, 'artifact-digest');
    const bundle3 = value(await client.upload(readFileSync(bundleFile), 'app.sigstore.json'));
    const byDigest = value(await client.invoke('attest.verify', { bundle: bundle3, artifact: { digest: report.artifact.digests.sha256 === undefined ? 'sha256:0' : `sha256:${report.artifact.digests.sha256}` } }));
    assert.equal(byDigest.verified, true);

    const info = value(await client.invoke('log.info', {}));
    assert.equal(info.treeSize, 1);
    const proof = value(await client.invoke('log.proof', { entry: '0' }));
    assert.equal(proof.verified, true);
    assert.equal(proof.leafHash, proof.entry.uuid);
    assert.equal(proof.checkpoint.origin, info.origin);
    assert.match(proof.entry.body, /"kind": "dsse"/);
    const missing = await client.invoke('log.proof', { entry: '7' });
    assert.ok(!missing.ok, 'no entry 7');

    // every change above is in the trail, which verifies
    const audit = value(await client.invoke('audit.list', {}));
    const kinds = audit.entries.map((e) => e.kind);
    for (const k of ['key.generated', 'key.public-exported', 'trust.added', 'trust.removed', 'attest.signed']) assert.ok(kinds.includes(k), `${k} in ${kinds.join(', ')}`);
    assert.deepEqual(audit.entries.map((e) => e.seq), [...audit.entries.map((e) => e.seq)].sort((a, b) => b - a), 'newest first');
    assert.ok(!JSON.stringify(audit).includes(PASSPHRASE), 'the passphrase is not in the trail');
    const trustOnly = value(await client.invoke('audit.list', { kind: 'trust' }));
    assert.deepEqual(trustOnly.entries.map((e) => e.kind), ['trust.removed', 'trust.added']);
    const verified = value(await client.invoke('audit.verify', {}));
    assert.deepEqual([verified.ok, verified.entries, verified.head.seq], [true, audit.total, audit.head.seq]);

    // VEX issuer trust
    const before = value(await client.invoke('vex.trust', {}));
    assert.deepEqual(before.classes.vendor, { tier: 3, weight: 1 });
    const after = value(await client.invoke('vex.trust.set', { target: { kind: 'issuer', issuer: 'ACME PSIRT', issuerClass: 'vendor', tier: 5 } }));
    assert.deepEqual(after.issuers, [{ issuer: 'acme psirt', class: 'vendor', tier: 5 }]);
    await until(() => changed.includes('vex'), 'store.changed vex');
    const bad2 = await client.invoke('vex.trust.set', { target: { kind: 'class', issuerClass: 'vendor', weight: 2 } });
    assert.ok(!bad2.ok && bad2.error.code === 'invalid-request');
  } finally {
    client.close();
    await s.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
});

test('an image scan reports each layer to the client; the image view names each layer’s packages; a non-image SBOM is refused', { timeout: 120_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'stella-image-pipeline-'));
  const work = mkdtempSync(join(tmpdir(), 'stella-image-work-'));
  const s = await startServe({ home, readers: 1, log: () => {} });
  const client = createHttpClient(`http://127.0.0.1:${s.port}`, s.token, { WebSocket: WebSocket as unknown as WebSocketCtor });
  try {
    client.subscribe('store.changed', () => {});
    await until(() => s.eventSockets() >= 1, 'event socket');
    const osv = { schema_version: '1.6.0', id: 'PYSEC-2099-9', modified: '2026-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'PyPI', name: 'x' }, versions: ['1'] }] };
    const adv = await runJob(client, async () => client.invoke('advisories.import', { files: [value(await client.upload(new TextEncoder().encode(JSON.stringify(osv)), 'x.json'))] }));
    assert.equal(adv.finished.state, 'succeeded');

    const file = join(work, 'app.tar');
    const built = await writeDockerArchive(file, [
      { files: [{ path: 'etc/os-release', bytes: Buffer.from('ID=debian\nVERSION_ID="12"\n') }], createdBy: 'ADD rootfs /' },
      { files: [{ path: 'usr/lib/python3/dist-packages/x-1.dist-info/METADATA', bytes: Buffer.from('Metadata-Version: 2.1\nName: x\nVersion: 1\n\n') }], createdBy: 'RUN pip install x==1' },
    ]);
    const upload = value(await client.upload(readFileSync(file), 'app.tar'));
    const scan = await runJob(client, () => client.invoke('scan.target', { file: upload }));
    assert.equal(scan.finished.state, 'succeeded', JSON.stringify(scan.finished.error));
    const layerEvents = scan.progress.filter((p) => p.item);
    for (const [i, l] of built.layers.entries()) {
      const states = layerEvents.filter((p) => p.item?.index === i).map((p) => p.item?.state);
      assert.deepEqual(states, ['queued', 'running', 'done'], `layer ${i}: every state change arrives (none throttled away)`);
      assert.ok(layerEvents.filter((p) => p.item?.index === i).every((p) => p.item?.id === l.diffId));
    }
    const summary = scan.finished.result as JobResults['scan.target'];
    assert.equal(summary.findingCount, 1);
    const view = value(await client.invoke('image.get', { scanId: summary.id }));
    assert.equal(view.digest, built.digest);
    assert.deepEqual(view.refs, ['stella-test/app:1.0']);
    assert.deepEqual(view.layers.map((l) => [l.createdBy, l.size, l.components.length]), [
      ['ADD rootfs /', built.layers[0]?.size, 0],
      ['RUN pip install x==1', built.layers[1]?.size, 1],
    ]);
    const sbom = value(await client.invoke('sbom.get', { id: view.sbomId }));
    assert.equal(sbom.components.find((c) => c.ref === view.layers[1]?.components[0])?.purl, 'pkg:pypi/x@1');

    const lock = value(await client.upload(new TextEncoder().encode(JSON.stringify({ name: 'a', lockfileVersion: 3, packages: { '': { name: 'a' } } })), 'package-lock.json'));
    const lockScan = await runJob(client, () => client.invoke('scan.target', { file: lock }));
    const notImage = await client.invoke('image.get', { scanId: (lockScan.finished.result as JobResults['scan.target']).id });
    assert.ok(!notImage.ok && notImage.error.code === 'missing-data' && notImage.error.details?.engineCode === 'not-an-image', JSON.stringify(notImage));
    const noArgs = await client.invoke('image.get', {} as never);
    assert.ok(!noArgs.ok && noArgs.error.code === 'invalid-request');
  } finally {
    client.close();
    await s.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
});
