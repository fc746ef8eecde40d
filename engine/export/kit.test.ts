import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentSnapshot, verifyAoc } from '../advisories';
import { type ArchiveEntry, deterministicTarGz, readTarGz } from '../core';
import { buildKitJob, importKitJob } from '../jobs/kit';
import { listAudit, verifyAudit } from '../audit';
import { listTrust } from '../attest';
import { listPackVersions } from '../policy';
import { openStore } from '../store';
import { cli } from '../../build/test-support/cli';
import { needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { FAST, consumerTrusting, ctxAt, kitInputs, passphrase, type KitInputs } from './testdata/kit-fixtures';
import { listPluginsJob } from '../jobs/plugins';
import { activeKit, listQuarantine, parseManifest } from '.';

const skip = needsFixtures('advisories', 'distro', 'alpine-secdb', 'v3.5');

async function producerKits(): Promise<{ producer: ReturnType<typeof openStore>; dir: string; v1: string; v2: string; inputs: KitInputs }> {
  const producer = openStore({ home: tempDir('stella-producer-') });
  const dir = tempDir('stella-kits-');
  const inputs = await kitInputs(producer);
  const build = (version: string) =>
    buildKitJob(
      producer,
      {
        channel: 'stable',
        version,
        feeds: inputs.feeds,
        vex: inputs.vex,
        plugins: inputs.plugins,
        policyPacks: inputs.policyPacks,
        trustRoots: [{ file: inputs.trustRoot, purposes: ['attestations'] }],
        output: join(dir, `kit-${version}.tar.gz`),
      },
      passphrase,
      ctxAt('2025-06-01T00:00:00Z'),
      FAST,
    );
  const a = await build('1.0.0');
  const b = await build('1.1.0');
  return { producer, dir, v1: a.output, v2: b.output, inputs };
}

let shared: Awaited<ReturnType<typeof producerKits>> | undefined;
async function kits(): Promise<Awaited<ReturnType<typeof producerKits>>> {
  shared ??= await producerKits();
  return shared;
}

async function importCli(home: string, file: string, ...flags: string[]): Promise<{ code: number; json: { error?: { code: string; details: Record<string, unknown> } } & Record<string, unknown> }> {
  const r = await cli(['--home', home, 'offline', 'import', file, '--json', ...flags]);
  return { code: r.code, json: JSON.parse(r.stdout) as never };
}

function state(home: string): { snapshot: string | null; active: string | null; documents: number } {
  const s = openStore({ home });
  try {
    return { snapshot: currentSnapshot(s).id, active: activeKit(s, 'stable')?.version ?? null, documents: currentSnapshot(s).documentCount };
  } finally {
    s.close();
  }
}

test('kits built twice from the same inputs are byte-identical, wherever the inputs lie', skip, async () => {
  const { producer, dir, v1, inputs } = await kits();
  // The same inputs copied elsewhere: uris are relative to each feed, so nothing of the path leaks in.
  const moved = tempDir('stella-moved-inputs-');
  const feeds = inputs.feeds.map((f, i) => {
    const to = join(moved, `f${i}`, f.split('/').pop()!);
    cpSync(f, to, { recursive: true });
    return to;
  });
  const again = await buildKitJob(
    producer,
    { channel: 'stable', version: '1.0.0', feeds, vex: inputs.vex, plugins: inputs.plugins, policyPacks: inputs.policyPacks, trustRoots: [{ file: inputs.trustRoot, purposes: ['attestations'] }], output: join(dir, 'again.tar.gz') },
    passphrase,
    ctxAt('2031-01-01T00:00:00Z'),
    FAST,
  );
  assert.deepEqual(readFileSync(again.output), readFileSync(v1));
  // The kit's layout: signatures first, then the payload, every payload file in the signed manifest.
  const entries = await readTarGz(v1, 'kit');
  assert.deepEqual(entries.slice(0, 3).map((e) => e.path), ['kit/manifest.dsse.json', 'kit/manifest.json', 'kit/manifest.jws']);
  const m = parseManifest(entries.find((e) => e.path === 'kit/manifest.json')!.bytes, 'manifest');
  assert.deepEqual(
    entries.slice(3).map((e) => e.path),
    m.files.map((f) => `payload/${f.path}`),
  );
  assert.ok(m.documents.some((d) => d.type === 'advisory' && d.uri === 'v3.5/main.yaml' && d.source === 'alpine-secdb'));
  assert.ok(m.documents.some((d) => d.type === 'vex' && d.format === 'openvex'));
  assert.equal(m.kind === 'kit' && m.plugins[0]?.name, 'acme-apk');
  assert.deepEqual(m.kind === 'kit' && m.plugins[0]?.files, ['plugins/acme-apk/dist/index.mjs', 'plugins/acme-apk/plugin.json', 'plugins/acme-apk/plugin.sig.dsse.json']);
});

test('a good kit activates in one step: advisories, VEX, plug-in, policy pack, trust root, audit, feed age', skip, async () => {
  const { producer, v1 } = await kits();
  const home = consumerTrusting(producer, ['kits', 'plugins']);
  const store = openStore({ home });
  const r = await importKitJob(store, { path: v1 }, ctxAt('2025-06-02T00:00:00Z'));
  assert.equal(r.activated, true);
  assert.deepEqual(
    r.checks.map((c) => `${c.name}:${c.status}`),
    ['read:pass', 'signature:pass', 'jws:pass', 'digests:pass', 'version:pass', 'activate:pass'],
  );
  assert.equal(currentSnapshot(store).id, r.activation?.snapshot.advisories);
  assert.ok(r.activation!.advisories.new > 0 && r.activation!.vex.new === 1);
  assert.deepEqual(r.pluginsInstalled, ['acme-apk']);
  assert.deepEqual(readdirSync(join(home, 'plugins', 'acme-apk')).sort(), ['dist', 'plugin.json', 'plugin.sig.dsse.json']);
  // The plug-in loader accepts it: signed by a key this workstation trusts for plug-ins.
  const plugins = await listPluginsJob(store, {}, ctxAt('2025-06-02T00:00:00Z'));
  const acme = plugins.loaded.find((p) => p.name === 'acme/apk');
  assert.ok(acme, `acme/apk not loaded: ${JSON.stringify(plugins.refused)}`);
  assert.equal(acme.source, 'third-party');
  assert.equal(acme.origin, 'producer');
  assert.ok(listTrust(store).some((t) => t.name === 'kit-partner' && t.purposes.join() === 'attestations'));
  assert.deepEqual(r.activation!.policyPacks.map((p) => p.name), ['stella-default']);
  // The kit's pack is an imported version of the pack store now (not active: that takes two approvals).
  const stored = listPackVersions(store);
  assert.deepEqual(stored.map((p) => [p.name, p.digest]), [['stella-default', r.activation!.policyPacks[0]!.packDigest]]);
  const packAudit = listAudit(store, { kind: 'policy.imported' });
  assert.equal(packAudit.length, 1);
  assert.equal(packAudit[0]!.details.from, 'kit');
  const audit = listAudit(store, { kind: 'kit.activated' });
  assert.equal(audit.length, 1);
  assert.equal(audit[0]!.details.kitDigest, r.digest);
  assert.equal(r.feedAge.basis, 'kit');
  assert.equal(r.feedAge.asOf, r.package.feedDate);
  assert.equal(verifyAoc(store).ok, true);
  assert.equal((await verifyAudit(store, { signal: new AbortController().signal })).ok, true);
  // The next version activates too; the same version again is a replay (exit 8).
  store.close();
  assert.equal((await importCli(home, (await kits()).v2)).code, 0);
  const replay = await importCli(home, v1);
  assert.equal(replay.code, 8);
  assert.equal(replay.json.error?.code, 'non-monotonic');
});

interface Tamper {
  name: string;
  change: (entries: ArchiveEntry[], other: ArchiveEntry[]) => ArchiveEntry[];
  code: number;
  error: string;
}

const flipByte = (b: Uint8Array, at: number): Buffer => {
  const c = Buffer.from(b);
  c[at] = c[at]! ^ 0x01;
  return c;
};

const TAMPERS: Tamper[] = [
  {
    name: 'one byte of an advisory document',
    change: (e) => e.map((x) => (x.path.startsWith('payload/advisories/') && x === e.find((y) => y.path.startsWith('payload/advisories/')) ? { ...x, bytes: flipByte(x.bytes, 10) } : x)),
    code: 6,
    error: 'digest-mismatch',
  },
  { name: 'one byte of the plug-in', change: (e) => e.map((x) => (x.path.endsWith('dist/index.mjs') ? { ...x, bytes: flipByte(x.bytes, 3) } : x)), code: 6, error: 'digest-mismatch' },
  { name: 'one byte of the manifest', change: (e) => e.map((x) => (x.path === 'kit/manifest.json' ? { ...x, bytes: flipByte(x.bytes, 40) } : x)), code: 6, error: 'signature-invalid' },
  { name: 'a payload file missing', change: (e) => e.filter((x) => !x.path.startsWith('payload/vex/')), code: 6, error: 'file-missing' },
  { name: 'an extra payload file', change: (e) => [...e, { path: 'payload/advisories/extra.json', bytes: Buffer.from('{}') }], code: 6, error: 'file-unexpected' },
  { name: 'an extra file outside the payload', change: (e) => [...e, { path: 'zz-readme.txt', bytes: Buffer.from('hi') }], code: 6, error: 'file-unexpected' },
  { name: 'the manifest signature missing', change: (e) => e.filter((x) => x.path !== 'kit/manifest.dsse.json'), code: 6, error: 'signature-invalid' },
  { name: 'the JWS missing', change: (e) => e.filter((x) => x.path !== 'kit/manifest.jws'), code: 6, error: 'jws-invalid' },
  {
    name: "a swapped signature (another kit's envelope and JWS)",
    change: (e, other) => e.map((x) => (x.path === 'kit/manifest.dsse.json' || x.path === 'kit/manifest.jws' ? other.find((o) => o.path === x.path)! : x)),
    code: 6,
    error: 'signature-invalid',
  },
  {
    name: "a swapped JWS only",
    change: (e, other) => e.map((x) => (x.path === 'kit/manifest.jws' ? other.find((o) => o.path === x.path)! : x)),
    code: 6,
    error: 'jws-invalid',
  },
  { name: 'an executable bit on a document', change: (e) => e.map((x) => (x.path.startsWith('payload/vex/') ? { ...x, mode: 0o755 as const } : x)), code: 6, error: 'digest-mismatch' },
];

test('tampered kits are rejected with the right exit code, quarantined, and the active snapshot stays', skip, async () => {
  const { producer, v1, v2 } = await kits();
  const home = consumerTrusting(producer);
  assert.equal((await importCli(home, v1)).code, 0);
  const before = state(home);
  const entries = await readTarGz(v2, 'v2');
  const other = await readTarGz(v1, 'v1');
  const dir = tempDir('stella-tampered-');
  for (const t of TAMPERS) {
    const file = join(dir, `${t.name.replace(/\W+/g, '-')}.tar.gz`);
    writeFileSync(file, await deterministicTarGz(t.change(entries, other)));
    const r = await importCli(home, file);
    assert.equal(r.code, t.code, `${t.name}: exit ${r.code} (${JSON.stringify(r.json.error)})`);
    assert.equal(r.json.error?.code, t.error, t.name);
    assert.deepEqual(state(home), before, `${t.name}: the active snapshot changed`);
  }
  const q = listQuarantine(home);
  assert.equal(q.length, TAMPERS.length);
  assert.ok(q.every((e) => e.files.length === 1 && existsSync(join(e.dir, e.files[0]!)) && existsSync(join(e.dir, 'reason.json'))));
  const store = openStore({ home });
  assert.equal(listAudit(store, { kind: 'kit.rejected' }).length, TAMPERS.length);
  assert.equal((await verifyAudit(store, { signal: new AbortController().signal })).ok, true);
  store.close();
});

test('any single changed byte of a kit file, or an appended byte, is rejected (3 damaged or 6 trust), nothing activated', skip, async () => {
  const { producer, v1 } = await kits();
  const home = consumerTrusting(producer);
  const good = readFileSync(v1);
  const dir = tempDir('stella-bytes-');
  // The gzip header (its time, flags and OS bytes are ignored by gunzip), the trailer, and positions spread over the body.
  const positions = [...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 24 }, (_, i) => Math.floor(((i + 1) * good.length) / 26)), ...Array.from({ length: 8 }, (_, i) => good.length - 8 + i)];
  const variants: [string, Buffer][] = [...positions.map((p): [string, Buffer] => [`byte ${p}`, flipByte(good, p)]), ['appended byte', Buffer.concat([good, Buffer.from([0])])]];
  for (const [name, bytes] of variants) {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.tar.gz`);
    writeFileSync(file, bytes);
    const r = await importCli(home, file);
    assert.ok(r.code === 3 || r.code === 6, `${name}: exit ${r.code}`);
    assert.equal(r.code === 3, ['kit-unreadable', 'manifest-invalid'].includes(r.json.error?.code ?? ''), `${name}: ${r.json.error?.code} with exit ${r.code}`);
  }
  assert.deepEqual(state(home), { snapshot: null, active: null, documents: 0 });
  // The kit itself still imports: every rejection above was the change, not the kit.
  assert.equal((await importCli(home, v1)).code, 0);
});

test('trust: an untrusted producer, a key trusted only for plug-ins, and not-a-kit inputs', skip, async () => {
  const { producer, v1 } = await kits();
  const stranger = tempDir('stella-stranger-');
  openStore({ home: stranger }).close();
  let r = await importCli(stranger, v1);
  assert.equal(r.code, 6);
  assert.equal(r.json.error?.code, 'signature-invalid');
  const pluginsOnly = consumerTrusting(producer, ['plugins']);
  r = await importCli(pluginsOnly, v1);
  assert.equal(r.code, 6);
  assert.deepEqual(state(pluginsOnly), { snapshot: null, active: null, documents: 0 });
  const dir = tempDir('stella-notkit-');
  writeFileSync(join(dir, 'plain.tar.gz'), 'not gzip at all');
  r = await importCli(stranger, join(dir, 'plain.tar.gz'));
  assert.equal(r.code, 3);
  // A truncated kit: a trusting workstation finds the damage (an untrusting one stops at the signature).
  const trusting = consumerTrusting(producer);
  for (const cut of [5000, Math.floor(readFileSync(v1).length / 2)]) {
    writeFileSync(join(dir, `cut-${cut}.tar.gz`), readFileSync(v1).subarray(0, cut));
    r = await importCli(trusting, join(dir, `cut-${cut}.tar.gz`));
    assert.equal(r.code, 3, `cut at ${cut}`);
    assert.equal(r.json.error?.code, 'kit-unreadable');
  }
  assert.deepEqual(state(trusting), { snapshot: null, active: null, documents: 0 });
  r = await importCli(stranger, join(dir, 'does-not-exist.tar.gz'));
  assert.equal(r.code, 3);
});

test('replays: an older kit is refused (8) unless forced with a reason, which is audited; dry runs change nothing', skip, async () => {
  const { producer, v1, v2 } = await kits();
  const home = consumerTrusting(producer);
  const dry = await importCli(home, v2, '--dry-run');
  assert.equal(dry.code, 0);
  assert.equal(dry.json.activated, false);
  assert.deepEqual(state(home), { snapshot: null, active: null, documents: 0 });
  assert.equal((await importCli(home, v2)).code, 0);
  const older = await importCli(home, v1);
  assert.equal(older.code, 8);
  assert.equal(state(home).active, '1.1.0');
  assert.equal((await cli(['--home', home, 'offline', 'import', v1, '--force-activate'])).code, 2, '--force-activate needs a reason');
  const forced = await importCli(home, v1, '--force-activate', '--force-reason', 'roll back: 1.1.0 breaks the Alpine feed');
  assert.equal(forced.code, 0);
  assert.equal(forced.json.forced, true);
  assert.equal(state(home).active, '1.0.0');
  const store = openStore({ home });
  const last = listAudit(store, { kind: 'kit.activated' }).pop()!;
  assert.equal(last.details.forced, true);
  assert.equal(last.details.forceReason, 'roll back: 1.1.0 breaks the Alpine feed');
  store.close();
  // Dry runs never quarantine: only the refused import above is there.
  assert.equal(listQuarantine(home).length, 1);
  assert.deepEqual(readdirSync(join(home, 'quarantine')).length, 1);
});

test('a cancelled import (at any step) leaves the store, the quarantine and the scratch folder as they were', skip, async () => {
  const { producer, v2 } = await kits();
  const home = consumerTrusting(producer);
  const store = openStore({ home });
  for (const at of ['digests', 'activate']) {
    const ac = new AbortController();
    const ctx = { ...ctxAt('2025-06-02T00:00:00Z'), signal: ac.signal, onProgress: (p: { phase: string }) => void (p.phase === at && ac.abort()) };
    await assert.rejects(importKitJob(store, { path: v2 }, ctx), (e: unknown) => (e as { code?: string }).code === 'cancelled', at);
    assert.equal(currentSnapshot(store).id, null, at);
    assert.equal(activeKit(store, 'stable'), null, at);
  }
  assert.deepEqual(listQuarantine(home), [], 'a cancel is not a rejection');
  assert.deepEqual(readdirSync(join(home, 'tmp')).filter((n) => n.endsWith('.spool')), [], 'no spool left behind');
  assert.equal(listAudit(store, { kind: 'kit' }).length, 0);
  store.close();
});

test('a cancelled build writes no kit and leaves no temporary file', skip, async () => {
  const { producer, inputs } = await kits();
  const out = tempDir('stella-cancel-build-');
  for (const at of ['reading feeds', 'writing kit']) {
    const ac = new AbortController();
    const ctx = { ...ctxAt('2025-06-01T00:00:00Z'), signal: ac.signal, onProgress: (p: { phase: string; done: number }) => void (p.phase === at && p.done > 0 && ac.abort()) };
    await assert.rejects(buildKitJob(producer, { channel: 'edge', version: '9.9.9', feeds: inputs.feeds, output: join(out, 'k.tar.gz') }, passphrase, ctx, FAST), (e: unknown) => (e as { code?: string }).code === 'cancelled', at);
    assert.deepEqual(readdirSync(out), [], at);
  }
  assert.deepEqual(readdirSync(join(producer.home, 'tmp')).filter((n) => n.endsWith('.spool')), []);
});
