import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { EventPayloads } from '../../common/contract';
import { WorkerCallError, type WireError } from '../../workers/protocol';
import { EngineHost, pathScrubber, type EngineBackend } from './engine-host';
import { cutUtf8, fileResolver, MAX_NAME_BYTES, PathGrants, UploadStore, safeName } from './files';

type Call = { role: string; method: string; args: unknown };

/** A backend whose calls are settled by the test. */
function fakeBackend() {
  const calls: Call[] = [];
  const pending: { call: Call; resolve(v: unknown): void; reject(e: unknown): void; opts: Parameters<EngineBackend['call']>[3] }[] = [];
  let closed = false;
  const backend: EngineBackend = {
    call(role, method, args, opts) {
      const call = { role, method, args };
      calls.push(call);
      return new Promise((resolve, reject) => {
        pending.push({ call, resolve, reject, opts });
        opts?.signal?.addEventListener('abort', () => reject(new WorkerCallError({ kind: 'cancelled', code: 'cancelled', category: 'cancelled', message: 'cancelled' })));
      });
    },
    async close() {
      closed = true;
    },
  };
  return { backend, calls, pending, isClosed: () => closed };
}

function collect(host: EngineHost) {
  const events: { event: string; payload: unknown }[] = [];
  host.bus.onAny((event, payload) => events.push({ event, payload }));
  return events;
}

const info = { version: '1.2.3', mode: 'electron' as const, home: '/h', platform: 'linux' };
const tick = () => new Promise((r) => setImmediate(r));

test('router: validates every request and wraps every reply', async () => {
  const f = fakeBackend();
  const host = new EngineHost({ backend: f.backend, files: fileResolver({}), info });
  const cases: [string, unknown, string][] = [
    ['nope', {}, 'unknown-channel'],
    ['constructor', {}, 'unknown-channel'],
    ['sbom.get', {}, 'invalid-request'],
    ['sbom.get', { id: '' }, 'invalid-request'],
    ['sbom.get', { id: 'x', extra: true }, 'invalid-request'],
    ['sbom.export', { id: 'x', format: 'pdf' }, 'invalid-request'],
    ['advisories.import', { files: [] }, 'invalid-request'],
    ['advisories.search', { query: 'x', limit: 0 }, 'invalid-request'],
    ['sbom.import', { file: { kind: 'upload', uploadId: '../../etc', name: 'x' } }, 'invalid-request'],
    ['files.open', { purpose: 'sbom' }, 'unsupported'],
    ['sbom.import', { file: { kind: 'path', path: '/etc/passwd' } }, 'unsupported'],
    ['jobs.cancel', { jobId: 'job_x' }, 'not-found'],
  ];
  for (const [channel, args, code] of cases) {
    const r = await host.invoke(channel, args);
    assert.equal(r.ok, false, `${channel} ${JSON.stringify(args)}`);
    assert.equal(!r.ok && r.error.code, code, `${channel} ${JSON.stringify(args)}`);
  }
  assert.equal(f.calls.length, 0, 'nothing invalid reached a worker');
  const i = await host.invoke('app.info', {});
  assert.deepEqual(i, { ok: true, value: { ...info, nativeDialogs: false } });
});

test('router: queries go to a reader; engine errors map to contract codes with the engine code in details', async () => {
  const f = fakeBackend();
  const host = new EngineHost({ backend: f.backend, files: fileResolver({}), info });
  const p = host.invoke('sbom.get', { id: 'sbom_1' });
  await tick();
  assert.deepEqual(f.calls[0], { role: 'reader', method: 'sbom.get', args: { id: 'sbom_1' } });
  f.pending[0]!.reject(new WorkerCallError({ kind: 'engine', module: 'sbom', code: 'not-found', category: 'missing-data', message: 'no SBOM sbom_1' }));
  const r = await p;
  assert.deepEqual(r, { ok: false, error: { code: 'not-found', message: 'no SBOM sbom_1', details: { engineCode: 'not-found', module: 'sbom' } } });

  const table: [WireError, string][] = [
    [{ kind: 'engine', code: 'invalid-document', category: 'invalid-input', message: 'm' }, 'invalid-input'],
    [{ kind: 'engine', code: 'no-advisories', category: 'missing-data', message: 'm' }, 'missing-data'],
    [{ kind: 'engine', code: 'bad-signature', category: 'trust', message: 'm' }, 'trust'],
    [{ kind: 'crashed', code: 'internal', category: 'internal', message: 'm' }, 'internal'],
    [{ kind: 'unknown-method', code: 'unknown-method', category: 'usage', message: 'm' }, 'unsupported'],
    [{ kind: 'shutdown', code: 'busy', category: 'internal', message: 'm' }, 'busy'],
  ];
  for (const [wire, code] of table) {
    const q = host.invoke('sbom.list', {});
    await tick();
    f.pending.at(-1)!.reject(new WorkerCallError(wire));
    const rr = await q;
    assert.equal(!rr.ok && rr.error.code, code, wire.code);
  }
});

test('jobs: queued → running → progress → finished, store.changed after success', async () => {
  const home = mkdtempSync(join(tmpdir(), 'stella-host-'));
  const file = join(home, 'bom.json');
  writeFileSync(file, '{}');
  const grants = new PathGrants();
  const ref = grants.grant(file);
  const f = fakeBackend();
  const host = new EngineHost({ backend: f.backend, files: fileResolver({ paths: grants }), info, jobs: { progressIntervalMs: 0 } });
  const events = collect(host);
  const r = await host.invoke('sbom.import', { file: ref });
  assert.ok(r.ok);
  const jobId = (r.value as { jobId: string }).jobId;
  await tick();
  assert.deepEqual(f.calls[0], { role: 'writer', method: 'sbom.import', args: { path: file, name: 'bom.json' } });
  assert.equal((await host.invoke('jobs.list', {}) as { value: { state: string }[] }).value[0]!.state, 'queued');
  const { opts } = f.pending[0]!;
  opts?.onStart?.();
  assert.equal(host.jobs.get(jobId)?.state, 'running');
  opts?.onProgress?.({ phase: 'parse', done: 1, total: 4 });
  const summary = { id: 'sbom_1', digest: `sha256:${'0'.repeat(64)}`, name: 'bom.json', format: 'cyclonedx-json', specVersion: '1.6', componentCount: 0, dependencyCount: 0, importedAt: '2026-01-01T00:00:00.000Z' };
  f.pending[0]!.resolve(summary);
  await tick();
  await tick();
  assert.deepEqual(
    events.map((e) => e.event),
    ['job.progress', 'job.finished', 'store.changed', 'store.changed'],
  );
  assert.deepEqual(events[1]!.payload, { jobId, kind: 'sbom.import', state: 'succeeded', result: summary });
  // an SBOM import changes the SBOM list and (audited) the audit trail
  assert.deepEqual(events.slice(2).map((e) => e.payload), [{ what: 'sboms' }, { what: 'audit' }]);
  assert.deepEqual(events[2]!.payload, { what: 'sboms' });
  rmSync(home, { recursive: true, force: true });
});

test('jobs: cancel reports cancelled; a crashed worker reports failed/internal; never lost', async () => {
  const f = fakeBackend();
  const host = new EngineHost({ backend: f.backend, files: fileResolver({}), info });
  const events = collect(host);
  const a = (await host.invoke('scan.run', { sbomId: 'sbom_1' })) as { ok: true; value: { jobId: string } };
  const b = (await host.invoke('scan.run', { sbomId: 'sbom_2' })) as { ok: true; value: { jobId: string } };
  await tick();
  assert.deepEqual(await host.invoke('jobs.cancel', { jobId: a.value.jobId }), { ok: true, value: { cancelled: true } });
  f.pending[1]!.reject(new WorkerCallError({ kind: 'crashed', code: 'internal', category: 'internal', message: 'the writer worker stopped unexpectedly (exit code 3) while running scan.run' }));
  await tick();
  await tick();
  const finished = events.filter((e) => e.event === 'job.finished').map((e) => e.payload as EventPayloads['job.finished']);
  assert.deepEqual(
    finished.map((x) => [x.jobId, x.state, x.error?.code]),
    [
      [a.value.jobId, 'cancelled', 'cancelled'],
      [b.value.jobId, 'failed', 'internal'],
    ],
  );
  assert.deepEqual(await host.invoke('jobs.cancel', { jobId: a.value.jobId }), { ok: true, value: { cancelled: false } });
});

test('close drains jobs, cancels after the timeout, closes the backend and refuses new work', async () => {
  const f = fakeBackend();
  const host = new EngineHost({ backend: f.backend, files: fileResolver({}), info });
  const events = collect(host);
  await host.invoke('scan.run', { sbomId: 'sbom_1' });
  await tick();
  await host.close({ drainMs: 50 });
  assert.equal(f.isClosed(), true);
  const fin = events.find((e) => e.event === 'job.finished')?.payload as EventPayloads['job.finished'];
  assert.equal(fin.state, 'cancelled');
  const r = await host.invoke('sbom.list', {});
  assert.equal(!r.ok && r.error.code, 'busy');
});

test('PathGrants: only granted, absolute, existing regular files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stella-grants-'));
  const file = join(dir, 'a.json');
  writeFileSync(file, '{}');
  const g = new PathGrants();
  assert.throws(() => g.resolvePath({ kind: 'path', path: file }), /not chosen in a dialog/);
  g.grant(file);
  assert.deepEqual(g.resolvePath({ kind: 'path', path: file }), { path: file, name: 'a.json', uri: file });
  assert.throws(() => g.resolvePath({ kind: 'path', path: 'a.json' }), /must be absolute/);
  g.grant(dir);
  assert.throws(() => g.resolvePath({ kind: 'path', path: dir }), /not a regular file/);
  rmSync(file);
  assert.throws(() => g.resolvePath({ kind: 'path', path: file }), /file not found/);
  rmSync(dir, { recursive: true, force: true });
});

test('UploadStore: sanitized names, size cap with cleanup, unknown ids, close removes everything', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'stella-up-')), 'uploads');
  const u = new UploadStore({ dir, maxBytes: 10, maxUploads: 2 });
  const a = await u.receive(Readable.from([Buffer.from('12345')]), '../../x.json');
  assert.equal(a.name, 'x.json');
  const ra = u.resolveUpload(a);
  assert.equal(ra.path, join(dir, a.uploadId, 'x.json'));
  assert.equal(ra.uri, 'upload:x.json', 'provenance records the name it was uploaded under, not the temp path');
  assert.equal(ra.hidden, true);
  ra.release?.();
  assert.throws(() => u.resolveUpload(a), /unknown/, 'an upload is single-use: released with its job');
  await assert.rejects(u.receive(Readable.from([Buffer.alloc(6), Buffer.alloc(6)]), 'big'), /exceeds the upload limit/);
  await assert.rejects(u.receive(Readable.from([]), 'big', 11), /limited to 10 bytes/);
  const b = await u.receive(Readable.from([Buffer.from('1')]), 'b');
  const c = await u.receive(Readable.from([Buffer.from('1')]), 'c');
  await u.receive(Readable.from([Buffer.from('1')]), 'd');
  assert.throws(() => u.resolveUpload(b), /unknown/, 'oldest upload evicted past maxUploads');
  assert.ok(u.resolveUpload(c));
  u.close();
  assert.throws(() => u.resolveUpload(c));
  assert.deepEqual(['', '.', '..', 'a\u0000b', 'C:\\dir\\file.txt'].map(safeName), ['upload.bin', 'upload.bin', 'upload.bin', 'ab', 'file.txt']);
});

test('UploadStore.sweepStale removes only old folders of dead hosts', async () => {
  const { mkdirSync, utimesSync, existsSync } = await import('node:fs');
  const tmp = mkdtempSync(join(tmpdir(), 'stella-sweep-'));
  const mine = join(tmp, 'serve-uploads-aaa');
  const old = join(tmp, 'serve-uploads-old');
  const fresh = join(tmp, 'serve-uploads-new');
  const other = join(tmp, 'keep-me');
  for (const d of [mine, old, fresh, other]) mkdirSync(d);
  const twoDaysAgo = (Date.now() - 2 * 86400_000) / 1000;
  utimesSync(old, twoDaysAgo, twoDaysAgo);
  utimesSync(other, twoDaysAgo, twoDaysAgo);
  utimesSync(mine, twoDaysAgo, twoDaysAgo);
  assert.deepEqual(UploadStore.sweepStale(mine, 'serve-uploads-', 86400_000), [old]);
  assert.deepEqual([mine, old, fresh, other].map((d) => existsSync(d)), [true, false, true, true]);
  rmSync(tmp, { recursive: true, force: true });
});

test('UploadStore: an overall quota; room is made from the oldest uploads no job is reading; release removes', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'stella-quota-')), 'uploads');
  const u = new UploadStore({ dir, maxBytes: 100, maxTotalBytes: 250 });
  const body = (n: number) => Readable.from([Buffer.alloc(n, 0x61)]);
  const a = await u.receive(body(100), 'a.json', 100);
  const b = await u.receive(body(100), 'b.json');
  assert.equal(u.usedBytes, 200);
  const readingA = u.resolveUpload(a);
  const readingB = u.resolveUpload(b);
  // Both kept uploads are being read: 100 more bytes cannot fit, declared or streamed.
  await assert.rejects(u.receive(body(60), 'c.json', 60), (e: unknown) => /would exceed their quota of 250 bytes/.test((e as Error).message) && (e as { code?: string }).code === 'invalid-input');
  await assert.rejects(u.receive(body(60), 'd.json'), /quota of 250 bytes/);
  assert.equal(u.usedBytes, 200, 'refused uploads reserve nothing');
  assert.deepEqual(readdirSync(dir).sort(), [a.uploadId, b.uploadId].sort(), 'refused uploads leave no file');
  // The job reading A ends: A is removed, so C fits.
  readingA.release?.();
  assert.equal(existsSync(readingA.path), false);
  assert.throws(() => u.resolveUpload(a), /unknown/);
  const c = await u.receive(body(100), 'c.json', 100);
  // B is still being read; C is not: a new upload evicts C (the oldest unpinned), never B.
  const d = await u.receive(body(100), 'd.json', 100);
  assert.throws(() => u.resolveUpload(c), /unknown/);
  assert.equal(existsSync(readingB.path), true);
  readingB.release?.();
  readingB.release?.(); // twice is harmless
  assert.ok(u.resolveUpload(d));
  u.close();
});

test('UploadStore: private files (0600) in private folders (0700)', { skip: process.platform === 'win32' ? 'POSIX modes' : false }, async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'stella-modes-')), 'uploads');
  const u = new UploadStore({ dir });
  const a = await u.receive(Readable.from([Buffer.from('{}')]), 'a.json');
  const r = u.resolveUpload(a);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, a.uploadId)).mode & 0o777, 0o700);
  assert.equal(statSync(r.path).mode & 0o777, 0o600);
  u.close();
});

test('safeName: cut by UTF-8 bytes without splitting a character, extension kept, lone surrogates replaced', () => {
  const cases: [string, (n: string) => void][] = [
    ['€'.repeat(300) + '.json', (n) => assert.ok(n.endsWith('.json') && /^€+\.json$/.test(n))],
    ['a' + '😀'.repeat(100) + '.tar.gz', (n) => assert.ok(n.endsWith('.gz') && !/[\ud800-\udfff](?![\udc00-\udfff])/.test(n.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')))],
    ['x'.repeat(500), (n) => assert.equal(n, 'x'.repeat(MAX_NAME_BYTES))],
    ['bad\ud800name.json', (n) => assert.equal(n, 'bad\ufffdname.json')],
    ['é'.repeat(150) + '.averyveryverylongextension', (n) => assert.ok(Buffer.byteLength(n) <= MAX_NAME_BYTES && !n.includes('.')) ],
  ];
  for (const [input, check] of cases) {
    const n = safeName(input);
    assert.ok(Buffer.byteLength(n, 'utf8') <= MAX_NAME_BYTES, `${input.slice(0, 20)}…: ${Buffer.byteLength(n)} bytes`);
    assert.equal(Buffer.from(n, 'utf8').toString('utf8'), n, 'survives a UTF-8 round trip');
    check(n);
  }
  assert.equal(cutUtf8('a€b', 3), 'a');
  assert.equal(cutUtf8('a€b', 4), 'a€');
  assert.equal(cutUtf8('😀😀', 5), '😀');
});

test('jobs on uploads: clients see the upload name, never the server path; the upload is released when the job ends', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'stella-scrub-')), 'serve-uploads-x');
  const uploads = new UploadStore({ dir });
  const { backend, pending } = fakeBackend();
  const host = new EngineHost({ backend, files: fileResolver({ uploads }), info: { version: '0', mode: 'serve', home: '/h', platform: 'linux' } });
  const events = collect(host);
  const ref = await uploads.receive(Readable.from([Buffer.from('{"bomFormat":')]), 'bad-bom.json');
  const started = await host.invoke('sbom.import', { file: ref });
  assert.ok(started.ok);
  await new Promise((r) => setImmediate(r));
  const job = pending[0]!;
  const serverPath = (job.call.args as { path: string }).path;
  assert.ok(serverPath.startsWith(dir), 'the worker gets the real path');
  job.opts?.onProgress?.({ phase: 'parse', done: 1, total: 3, message: `reading ${serverPath}` });
  job.reject(new WorkerCallError({ kind: 'engine', module: 'sbom', code: 'malformed', category: 'invalid-input', message: `${serverPath}: truncated JSON at line 1, column 14`, details: { file: serverPath } } as WireError));
  await new Promise((r) => setTimeout(r, 20));
  const wire = JSON.stringify(events) + JSON.stringify(host.jobs.list());
  assert.ok(!wire.includes(dir), `a server path reached a client: ${wire}`);
  const fin = events.find((e) => e.event === 'job.finished')!.payload as EventPayloads['job.finished'];
  assert.equal(fin.state, 'failed');
  assert.equal(fin.error?.message, 'bad-bom.json: truncated JSON at line 1, column 14');
  assert.equal(existsSync(serverPath), false, 'the upload was removed with its job');
  uploads.close();
});

test('pathScrubber: paths and their folders, in nested strings and keys; visible paths stay', () => {
  const scrub = pathScrubber([
    { path: '/srv/home/tmp/serve-uploads-1/Ab/bom.json', name: 'bom.json', uri: 'upload:bom.json', hidden: true },
    { path: '/home/me/chosen.json', name: 'chosen.json', uri: '/home/me/chosen.json' },
  ]);
  assert.deepEqual(scrub({ m: 'x /srv/home/tmp/serve-uploads-1/Ab/bom.json: y', list: ['in /srv/home/tmp/serve-uploads-1/Ab'], '/srv/home/tmp/serve-uploads-1/Ab/bom.json': 1, n: 3, keep: '/home/me/chosen.json' }), {
    m: 'x bom.json: y',
    list: ['in (upload)'],
    'bom.json': 1,
    n: 3,
    keep: '/home/me/chosen.json',
  });
});

test('job progress items (an image scan’s layers) are never throttled away; other progress is', async () => {
  const home = mkdtempSync(join(tmpdir(), 'stella-host-'));
  const file = join(home, 'app.tar');
  writeFileSync(file, 'x');
  const f = fakeBackend();
  const grants = new PathGrants();
  // a long interval: only items and the final step may pass
  const host = new EngineHost({ backend: f.backend, files: fileResolver({ paths: grants }), info, jobs: { progressIntervalMs: 60_000 } });
  const events = collect(host);
  const r = await host.invoke('scan.target', { file: grants.grant(file) });
  assert.ok(r.ok);
  await tick();
  const onProgress = f.pending[0]!.opts?.onProgress;
  onProgress?.({ phase: 'reading target', done: 0 });
  onProgress?.({ phase: 'analyzing layers', done: 0, total: 2 });
  for (const [index, state] of [[0, 'queued'], [1, 'queued'], [0, 'running'], [0, 'done'], [1, 'running'], [1, 'cached']] as const) {
    onProgress?.({ phase: 'analyzing layers', done: 0, total: 2, item: { index, id: `sha256:${index}`, state } });
  }
  onProgress?.({ phase: 'matching', done: 1 });
  const progress = events.filter((e) => e.event === 'job.progress').map((e) => e.payload as EventPayloads['job.progress']);
  assert.deepEqual(
    progress.filter((p) => p.item).map((p) => `${p.item?.index}:${p.item?.state}`),
    ['0:queued', '1:queued', '0:running', '0:done', '1:running', '1:cached'],
  );
  assert.equal(progress.filter((p) => !p.item).length, 1, 'plain progress inside the interval is throttled');
  f.pending[0]!.resolve({ id: 's', subject: 'x', snapshot: null, createdAt: 't', findingCount: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, none: 0, unknown: 0 }, kevCount: 0, fixableCount: 0 });
  await tick();
  rmSync(home, { recursive: true, force: true });
});

test('quick writes go to the writer and announce what changed; files of reads and writes are resolved and released, their paths scrubbed', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'stella-host-')), 'uploads');
  const uploads = new UploadStore({ dir });
  const f = fakeBackend();
  const host = new EngineHost({ backend: f.backend, files: fileResolver({ uploads }), info });
  const events = collect(host);

  const gen = host.invoke('keys.generate', { name: 'ci', profile: 'world', passphrase: 'a long passphrase' });
  await tick();
  assert.deepEqual(f.calls.at(-1), { role: 'writer', method: 'keys.generate', args: { name: 'ci', profile: 'world', passphrase: 'a long passphrase' } });
  f.pending.at(-1)!.resolve({ name: 'ci', keyId: 'k', profile: 'world', algorithm: 'ed25519', isDefault: true, createdAt: 't', publicKey: 'p' });
  assert.ok((await gen).ok);
  assert.deepEqual(events.filter((e) => e.event === 'store.changed').map((e) => (e.payload as { what: string }).what), ['keys', 'trust', 'audit']);

  // trust.add: the upload becomes a path for the writer; an engine error names the upload, not its path
  const pem = await uploads.receive(Readable.from([Buffer.from('not a key')]), 'partner.pem');
  const add = host.invoke('trust.add', { file: pem, purposes: ['kits'] });
  await tick();
  const call = f.calls.at(-1) as { role: string; method: string; args: { path: string; purposes: string[] } };
  assert.deepEqual([call.role, call.method, call.args.purposes], ['writer', 'trust.add', ['kits']]);
  assert.ok(call.args.path.startsWith(dir) && call.args.path.endsWith('partner.pem'));
  f.pending.at(-1)!.reject(new WorkerCallError({ kind: 'engine', module: 'attest', code: 'invalid-key', category: 'invalid-input', message: `${call.args.path}: not a PEM public key`, details: { file: call.args.path } }));
  const r = await add;
  assert.deepEqual(r, { ok: false, error: { code: 'invalid-input', message: 'partner.pem: not a PEM public key', details: { file: 'partner.pem', engineCode: 'invalid-key', module: 'attest' } } });
  assert.deepEqual(readdirSync(dir), [], 'the upload is removed when the call ends');

  // attest.verify: bundle, artifact file and key resolved in order; a digest artifact needs no file
  const bundle = await uploads.receive(Readable.from([Buffer.from('{}')]), 'b.json');
  const art = await uploads.receive(Readable.from([Buffer.from('a')]), 'a.tar');
  const key = await uploads.receive(Readable.from([Buffer.from('k')]), 'k.pem');
  const v = host.invoke('attest.verify', { bundle, artifact: { file: art }, key, identity: { subjectAlternativeName: 's', issuer: 'i' } });
  await tick();
  const vc = f.calls.at(-1) as { role: string; method: string; args: { bundle: string; artifact: { path: string }; key: string; identity: unknown } };
  assert.deepEqual([vc.role, vc.method], ['reader', 'attest.verify']);
  assert.deepEqual([vc.args.bundle.endsWith('b.json'), vc.args.artifact.path.endsWith('a.tar'), vc.args.key.endsWith('k.pem')], [true, true, true]);
  assert.deepEqual(vc.args.identity, { subjectAlternativeName: 's', issuer: 'i' });
  f.pending.at(-1)!.resolve({ verified: true, artifact: { label: 'a.tar', digests: {} }, items: [], ignored: [`${vc.args.bundle} line 2`] });
  const vr = await v;
  assert.ok(vr.ok && (vr.value as { ignored: string[] }).ignored[0] === 'b.json line 2', JSON.stringify(vr));
  const byDigest = host.invoke('attest.verify', { bundle: await uploads.receive(Readable.from([Buffer.from('{}')]), 'c.json'), artifact: { digest: `sha256:${'a'.repeat(64)}` } });
  await tick();
  assert.deepEqual((f.calls.at(-1)?.args as { artifact: unknown }).artifact, { digest: `sha256:${'a'.repeat(64)}` });
  f.pending.at(-1)!.resolve({ verified: false, artifact: { label: 'x', digests: {} }, items: [], ignored: [] });
  await byDigest;
  assert.deepEqual(readdirSync(dir), []);
  uploads.close();
});

test('PathGrants: a folder only where it was granted as one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stella-grants-'));
  const g = new PathGrants();
  g.grant(dir);
  assert.throws(() => g.resolvePath({ kind: 'path', path: dir }), /not a regular file/);
  g.grant(dir, { directory: true });
  assert.deepEqual(g.resolvePath({ kind: 'path', path: dir }), { path: dir, name: dir.split('/').pop(), uri: dir });
  rmSync(dir, { recursive: true, force: true });
});
