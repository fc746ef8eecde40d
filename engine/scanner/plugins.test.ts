import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { REPO_ROOT, tempDir } from '../../build/test-support/fixtures';
import { runCli } from '../cli/main';
import { describePlugins, loadPluginsUncached, loadVerifiedPlugins } from './index';
import { makeTar, writeOciLayout, writePlugin } from './_internal/testkit';

const REAL = join(REPO_ROOT, 'plugins');

/** A copy of the real plug-in folder (sdk + the two analyzers) that a test may damage. */
function pluginsCopy(): string {
  const dir = join(tempDir(), 'plugins');
  mkdirSync(dir);
  for (const d of ['sdk', 'os-dpkg', 'lang-python']) cpSync(join(REAL, d), join(dir, d), { recursive: true });
  return dir;
}

function editManifest(dir: string, folder: string, edit: (m: Record<string, unknown>) => void): void {
  const p = join(dir, folder, 'plugin.json');
  const m = JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
  edit(m);
  writeFileSync(p, JSON.stringify(m));
}

/** The fingerprint as documented: SDK API + sha256 over the sorted `name@version=entry digest` lines. */
function expectedFingerprint(analyzers: { id: string; entrySha256: string }[]): string {
  const lines = analyzers.map((a) => `${a.id}=${a.entrySha256}`).sort();
  return `sdk1:sha256:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
}

test('the repository plug-ins all load, sorted by name, with a fingerprint over name@version and entry digests', async () => {
  const set = await loadPluginsUncached(REAL);
  const ids = set.analyzers.map((a) => a.id);
  assert.deepEqual(set.refused, []);
  // Loaded in order of plug-in name (`lang/python` before `lang/python-lock`).
  const names = ids.map((id) => id.slice(0, id.lastIndexOf('@')));
  assert.deepEqual(names, [...names].sort());
  assert.ok(ids.includes('lang/python@1') && ids.includes('os/dpkg@2'));
  for (const a of set.analyzers) assert.equal(a.entrySha256, JSON.parse(readFileSync(join(a.dir, 'plugin.json'), 'utf8')).entrySha256);
  assert.equal(set.fingerprint, expectedFingerprint(set.analyzers));
  // Every loaded analyzer's verified bytes travel with the set (for worker threads), in load order.
  assert.deepEqual(set.verified.map((v) => v.manifest.name), names);
  for (const v of set.verified) assert.ok(Buffer.from(v.bytes).equals(readFileSync(join(v.dir, v.manifest.entry))));
});

test('the scanner copy of the plug-ins (sdk + the two reference analyzers) loads in sorted order', async () => {
  const set = await loadPluginsUncached(pluginsCopy());
  assert.deepEqual(set.analyzers.map((a) => a.id), ['lang/python@1', 'os/dpkg@2']);
  assert.match(set.fingerprint, /^sdk1:sha256:[0-9a-f]{64}$/);
});

test('a rebuilt entry with the same name@version (re-pinned digest) changes the fingerprint, so the layer cache never reuses its results', async () => {
  const dir = pluginsCopy();
  const before = await loadPluginsUncached(dir);
  const entry = join(dir, 'os-dpkg', 'dist', 'index.mjs');
  appendFileSync(entry, '\n// rebuilt\n');
  editManifest(dir, 'os-dpkg', (m) => (m.entrySha256 = `sha256:${createHash('sha256').update(readFileSync(entry)).digest('hex')}`));
  const after = await loadPluginsUncached(dir);
  assert.deepEqual(after.analyzers.map((a) => a.id), before.analyzers.map((a) => a.id));
  assert.notEqual(after.fingerprint, before.fingerprint);
});

test('plug-ins run from the bytes that were verified: changing the file afterwards changes nothing, in this thread or in a worker', async () => {
  const dir = join(tempDir(), 'plugins');
  const good = `export default { name: 'test/which', version: 1, async analyze(files) { return { packages: [{ id: 'v', name: 'verified', version: '1', purl: { type: 'generic', name: 'verified', version: '1' }, locations: [files[0].path] }], relationships: [], issues: [] }; } };\n`;
  writePlugin(dir, 'test-which', 'test/which', good);
  const set = await loadPluginsUncached(dir);
  assert.deepEqual(set.refused, []);
  // The file on disk is replaced after the check (same length, other code): the set still runs what was hashed.
  writeFileSync(join(dir, 'test-which', 'dist', 'index.mjs'), good.replace("name: 'verified'", "name: 'tampered'"));
  const { inventoryTarget } = await import('./index');
  const file = join(tempDir(), 'input');
  writeFileSync(file, 'content');
  const single = await inventoryTarget(file, { as: 'f.txt', plugins: set, cache: false });
  assert.deepEqual(single.document.packages.map((p) => p.name), ['verified']);
  const oci = join(tempDir(), 'oci');
  writeOciLayout(oci, [await makeTar([{ name: 'f.txt', body: 'content' }])], 'gzip');
  const layered = await inventoryTarget(oci, { plugins: set, cache: false, workers: 1 });
  assert.deepEqual(layered.document.packages.map((p) => p.name), ['verified']);
  assert.deepEqual(layered.document.issues, []);
  // A worker re-hashes what it is sent: bytes that do not match their manifest's pin never load.
  const forged = set.verified.map((v) => ({ ...v, bytes: Buffer.from(good.replace("name: 'verified'", "name: 'tampered'")) }));
  await assert.rejects(loadVerifiedPlugins(dir, forged), /test\/which: entry bytes hash to sha256:[0-9a-f]{64}, manifest pins sha256:/);
});

test('a plug-in bundle that imports anything but Node built-ins is refused with the reason (it is loaded from a data: URL)', async () => {
  const dir = join(tempDir(), 'plugins');
  writePlugin(dir, 'test-native', 'test/native', `import Database from 'better-sqlite3';\nexport default { name: 'test/native', version: 1, async analyze() { return { packages: [], relationships: [], issues: [] }; } };\n`);
  writePlugin(dir, 'test-builtin', 'test/builtin', `import { inflateSync } from 'node:zlib';\nexport default { name: 'test/builtin', version: 1, async analyze() { return { packages: [], relationships: [], issues: [{ path: '/f.txt', severity: 'info', message: typeof inflateSync }] }; } };\n`);
  const set = await loadPluginsUncached(dir);
  assert.deepEqual(set.analyzers.map((a) => a.id), ['test/builtin@1']);
  assert.deepEqual(set.refused.map((r) => [r.name, r.code]), [['test/native', 'entry-failed']]);
  assert.match(set.refused[0]?.reason ?? '', /better-sqlite3/);
});

const refusals: [string, (dir: string) => void, string, RegExp][] = [
  ['tampered entry', (d) => appendFileSync(join(d, 'os-dpkg', 'dist', 'index.mjs'), '\n// tampered\n'), 'digest-mismatch', /entry dist\/index.mjs hashes to sha256:[0-9a-f]{64}, manifest pins sha256:/],
  ['unsupported SDK API', (d) => editManifest(d, 'os-dpkg', (m) => (m.sdkApi = 99)), 'unsupported-api', /needs SDK API 99; this host supports 1/],
  ['needs network', (d) => editManifest(d, 'os-dpkg', (m) => (m.requirements = { network: true })), 'needs-network', /requires network access/],
  ['wrong kind', (d) => editManifest(d, 'os-dpkg', (m) => (m.kind = 'notifier')), 'wrong-kind', /kind "notifier"/],
  ['invalid manifest', (d) => editManifest(d, 'os-dpkg', (m) => (m.selectors = 'all')), 'invalid-manifest', /\/selectors: expected an array/],
  ['manifest/entry identity mismatch', (d) => editManifest(d, 'os-dpkg', (m) => (m.version = 3)), 'entry-failed', /defines os\/dpkg@2 but the manifest says os\/dpkg@3/],
];

for (const [what, damage, code, reason] of refusals) {
  test(`a plug-in is refused and listed with the reason: ${what}`, async () => {
    const dir = pluginsCopy();
    damage(dir);
    const set = await loadPluginsUncached(dir);
    assert.deepEqual(set.analyzers.map((a) => a.id), ['lang/python@1']);
    assert.equal(set.refused.length, 1);
    assert.equal(set.refused[0]?.name, 'os/dpkg');
    assert.equal(set.refused[0]?.code, code);
    assert.match(set.refused[0]?.reason ?? '', reason);
    assert.equal(describePlugins(set).refused[0]?.code, code);
  });
}

function capture(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  return {
    stream: new Writable({
      write(c: Buffer, _e, cb) {
        chunks.push(Buffer.from(c));
        cb();
      },
    }),
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

test('stella plugins list --json lists loaded and refused plug-ins', async () => {
  const dir = pluginsCopy();
  appendFileSync(join(dir, 'lang-python', 'dist', 'index.mjs'), '\n');
  const out = capture();
  const err = capture();
  const code = await runCli(['plugins', 'list', '--json'], { io: { stdout: out.stream, stderr: err.stream, env: { ...process.env, STELLA_PLUGINS_DIR: dir, STELLA_HOME: tempDir() } } });
  assert.equal(code, 0, err.text());
  const doc = JSON.parse(out.text()) as ReturnType<typeof describePlugins>;
  assert.equal(doc.sdkApi, 1);
  assert.deepEqual(doc.loaded.map((p) => `${p.name}@${p.version}`), ['os/dpkg@2']);
  assert.deepEqual(doc.refused.map((r) => [r.name, r.code]), [['lang/python', 'digest-mismatch']]);
});

test('third-party analyzers: unusable records and a throwing analyzer become issues; other results are kept', async () => {
  const dir = join(tempDir(), 'plugins');
  writePlugin(
    dir,
    'test-sloppy',
    'test/sloppy',
    `export default { name: 'test/sloppy', version: 1, async analyze(files) {
      return { packages: [
        { id: 'ok', name: 'ok', version: '1', purl: { type: 'generic', name: 'ok', version: '1' }, locations: [files[0].path], declared: true, scope: 'optional', hashes: [{ alg: 'SHA-256', content: 'ab01' }, { alg: 'SHA-1', content: 'NOT HEX' }] },
        { id: 'x', name: 5, purl: { type: 'generic', name: 'x' }, locations: ['/f.txt'] },
        { id: 'y', name: 'y', purl: { type: 'generic', name: 'y' }, locations: ['relative.txt'] },
      ], relationships: [{ from: 'ok', to: 'nowhere', type: 'depends-on' }], issues: [{ path: '/f.txt', severity: 'info', message: 'seen' }] };
    } };\n`,
  );
  writePlugin(dir, 'test-throws', 'test/throws', `export default { name: 'test/throws', version: 1, async analyze() { throw new Error('boom'); } };\n`);
  const set = await loadPluginsUncached(dir);
  assert.deepEqual(set.analyzers.map((a) => a.id), ['test/sloppy@1', 'test/throws@1']);
  const file = join(tempDir(), 'input');
  writeFileSync(file, 'content');
  const { inventoryTarget } = await import('./index');
  const r = await inventoryTarget(file, { as: 'f.txt', plugins: set, cache: false });
  assert.deepEqual(r.document.packages.map((p) => `${p.purl} ${p.foundBy}`), ['pkg:generic/ok@1 test/sloppy@1']);
  const c = r.inventory.components[0];
  assert.deepEqual([c?.declared, c?.scope, c?.hashes], [true, 'optional', [{ alg: 'SHA-256', content: 'ab01' }]]);
  assert.deepEqual(
    r.document.issues.map((i) => `${i.severity} ${i.plugin} ${i.message.slice(0, 42)}`),
    [
      'error test/throws@1 analyzer failed on 1 file(s): boom',
      'error test/sloppy@1 analyzer returned an unusable record #1 (i',
      'error test/sloppy@1 analyzer returned an unusable record #2 (l',
      'info test/sloppy@1 seen',
    ],
  );
});
