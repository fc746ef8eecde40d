// Offline kits, mirror bundles, removable media and notifications through the app: engine host →
// real writer/reader workers → engine/jobs. A kit import reports each verification step as a
// `job.progress` phase, its result and the readers (status, feed age, quarantine) match the contract,
// and desktop-routed notifications reach the bus as `notify.desktop`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Channel, ChannelArgs, ChannelResult, EventPayloads, FolderRef, JobResults, Reply } from '../common/contract';
import { openStore } from '../../engine/store';
import { buildKitJob } from '../../engine/jobs/kit';
import { FAST, PASSPHRASE, ctxAt, kitInputs, passphrase } from '../../engine/export/testdata/kit-fixtures';
import { needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { EngineHost } from '../main/host/engine-host';
import { fileResolver, PathGrants } from '../main/host/files';
import { EnginePool } from './pool';
import { defaultWorkerScript } from './worker-script';

const folder = (path: string): FolderRef => ({ kind: 'folder', path });

test('kits, mirror bundles, media and notifications through the engine host and workers', { ...needsFixtures('advisories', 'distro', 'alpine-secdb', 'v3.5'), timeout: 120_000 }, async () => {
  const home = tempDir('stella-app-kits-');
  // The workstation's own key signs the kit (it always trusts its own keys).
  const store = openStore({ home });
  const inputs = await kitInputs();
  const kitDir = tempDir('stella-app-kit-');
  const kit = await buildKitJob(store, { channel: 'stable', version: '1.2.0', feeds: inputs.feeds, vex: inputs.vex, output: join(kitDir, 'stable-1.2.0.tar.gz') }, passphrase, ctxAt('2025-06-01T00:00:00Z'), FAST);
  store.close();

  const pool = new EnginePool({ home, workerScript: defaultWorkerScript(), readers: 1, log: () => {} });
  await pool.start();
  const grants = new PathGrants(true);
  const host = new EngineHost({ backend: pool, files: fileResolver({ paths: grants }), info: { version: '0', mode: 'electron', home, platform: process.platform }, jobs: { progressIntervalMs: 0 }, notifications: true });
  const events: { event: string; payload: unknown }[] = [];
  host.bus.onAny((event, payload) => events.push({ event, payload }));
  const ask = async <C extends Channel>(channel: C, args: ChannelArgs<C>): Promise<Reply<ChannelResult<C>>> => (await host.invoke(channel, args)) as Reply<ChannelResult<C>>;
  const runJob = async <K extends keyof JobResults>(start: Promise<Reply<unknown>>): Promise<EventPayloads['job.finished'] & { result?: JobResults[K] }> => {
    let off = (): void => undefined;
    const finished = new Promise<EventPayloads['job.finished']>((resolve) => (off = host.bus.on('job.finished', resolve)));
    const r = await start;
    assert.ok(r.ok, JSON.stringify(r));
    const f = await finished;
    off();
    return f as EventPayloads['job.finished'] & { result?: JobResults[K] };
  };
  try {
    // Dry run, then the import: every verification step is a progress phase with its outcome.
    const dry = await runJob<'kits.import'>(host.invoke('kits.import', { file: { kind: 'path', path: kit.output }, dryRun: true }));
    assert.equal(dry.state, 'succeeded', JSON.stringify(dry.error));
    assert.equal(dry.result?.activated, false);
    events.length = 0;
    const done = await runJob<'kits.import'>(host.invoke('kits.import', { file: { kind: 'path', path: kit.output } }));
    assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
    const r = done.result!;
    assert.equal(r.activated, true);
    assert.equal(r.digest, kit.digest);
    assert.deepEqual(r.checks.map((c) => `${c.name}:${c.status}`), ['read:pass', 'signature:pass', 'jws:pass', 'digests:pass', 'version:pass', 'activate:pass']);
    const phases = (events.filter((e) => e.event === 'job.progress').map((e) => e.payload) as EventPayloads['job.progress'][]).filter((p) => p.message?.startsWith('pass:')).map((p) => p.phase);
    assert.deepEqual(phases, ['read', 'signature', 'jws', 'digests', 'version', 'activate'], 'each step is shown live');
    const changed = events.filter((e) => e.event === 'store.changed').map((e) => (e.payload as { what: string }).what);
    assert.deepEqual(changed, ['kits', 'advisories', 'vex', 'policy', 'trust', 'audit']);
    // The kit.imported notification (default rules: desktop) reaches the bus.
    for (let i = 0; i < 50 && !events.some((e) => e.event === 'notify.desktop'); i++) await new Promise((res) => setTimeout(res, 50));
    const desktop = events.filter((e) => e.event === 'notify.desktop').map((e) => e.payload as EventPayloads['notify.desktop']);
    assert.ok(desktop.some((n) => n.kind === 'kit.imported' && n.title.includes('stable 1.2.0')), JSON.stringify(desktop));

    const status = await ask('kits.status', {});
    assert.ok(status.ok);
    assert.deepEqual(status.value.channels.map((c) => `${c.channel}@${c.version}`), ['stable@1.2.0']);
    assert.equal(status.value.feedAge.basis, 'kit');
    const age = await ask('feeds.age', {});
    assert.ok(age.ok && age.value.asOf === kit.manifest.createdAt);

    // The same kit again: refused (non-monotonic), quarantined, listed; the failure notifies too.
    const replay = await runJob(host.invoke('kits.import', { file: { kind: 'path', path: kit.output } }));
    assert.equal(replay.state, 'failed');
    const q = await ask('kits.quarantine', {});
    assert.ok(q.ok);
    assert.deepEqual(q.value.map((x) => `${x.check}:${x.exitCode}`), ['version:8']);

    // Removable media: a folder chosen in a dialog; the result carries the read-back.
    const stick = tempDir('stella-app-stick-');
    grants.grantFolder(stick);
    const media = await runJob<'media.write'>(host.invoke('media.write', { source: { kind: 'path', path: kit.output }, to: folder(stick) }));
    assert.equal(media.state, 'succeeded', JSON.stringify(media.error));
    assert.deepEqual(media.result?.readBack, { ok: true, files: 1, bytes: kit.size });

    // A mirror bundle of what is now stored, into an output folder, straight onto the stick too.
    const outDir = tempDir('stella-app-out-');
    mkdirSync(join(stick, 'mirror'), { recursive: true });
    const mirror = await runJob<'mirror.export'>(host.invoke('mirror.export', { passphrase: PASSPHRASE, outputDir: folder(outDir), name: 'mirror-1', media: folder(join(stick, 'mirror')) }));
    assert.equal(mirror.state, 'succeeded', JSON.stringify(mirror.error));
    assert.equal(mirror.result?.generation, 1);
    assert.equal(mirror.result?.media?.readBack.ok, true);
    const badName = await host.invoke('mirror.export', { passphrase: PASSPHRASE, outputDir: folder(outDir), name: '../escape' });
    assert.equal(badName.ok, false);

    // Notification rules: set (validated), test, read.
    const digestDir = tempDir('stella-app-digest-');
    const set = await runJob<'notify.setRules'>(host.invoke('notify.setRules', { settings: { rules: [{ id: 'everything', kinds: ['kit.rejected', 'scan.completed'], channels: ['desktop', 'digest'] }], digest: { dir: digestDir, formats: ['html'] } } }));
    assert.equal(set.state, 'succeeded', JSON.stringify(set.error));
    const bad = await runJob(host.invoke('notify.setRules', { settings: { rules: [{ id: 'x', kinds: ['nope'], channels: ['desktop'] }] } }));
    assert.equal(bad.state, 'failed');
    assert.match(bad.error?.message ?? '', /\/rules\/0\/kinds\/0/);
    const t = await runJob<'notify.test'>(host.invoke('notify.test', { kind: 'kit.rejected', severity: 'high' }));
    assert.equal(t.state, 'succeeded');
    assert.deepEqual(t.result?.notification?.channels, ['desktop', 'digest']);
    assert.equal(t.result?.digestFiles.length, 1);
    const rules = await ask('notify.rules', {});
    assert.ok(rules.ok && rules.value.source === 'stored');
    const since = await ask('notify.since', {});
    assert.ok(since.ok && since.value.notifications.length >= 3);
  } finally {
    await host.close({ drainMs: 1000 });
  }
});
