import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { REPO_ROOT, tempDir } from '../../build/test-support/fixtures';
import { runCli } from '../cli/main';
import { describePlugins, loadPluginsUncached } from './index';

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

test('the repository plug-ins all load, sorted by name, with a fingerprint of name@version + SDK API', async () => {
  const set = await loadPluginsUncached(REAL);
  const ids = set.analyzers.map((a) => a.id);
  assert.deepEqual(set.refused, []);
  // Loaded in order of plug-in name (`lang/python` before `lang/python-lock`), the fingerprint sorts ids.
  const names = ids.map((id) => id.slice(0, id.lastIndexOf('@')));
  assert.deepEqual(names, [...names].sort());
  assert.ok(ids.includes('lang/python@1') && ids.includes('os/dpkg@2'));
  assert.equal(set.fingerprint, `sdk1:${[...ids].sort().join(',')}`);
});

test('the scanner copy of the plug-ins (sdk + the two reference analyzers) loads in sorted order', async () => {
  const set = await loadPluginsUncached(pluginsCopy());
  assert.deepEqual(set.analyzers.map((a) => a.id), ['lang/python@1', 'os/dpkg@2']);
  assert.equal(set.fingerprint, 'sdk1:lang/python@1,os/dpkg@2');
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

/** A hand-written third-party plug-in (plain JS entry, digest pinned here) in its own folder. */
function writePlugin(dir: string, folder: string, name: string, body: string): void {
  mkdirSync(join(dir, folder, 'dist'), { recursive: true });
  writeFileSync(join(dir, folder, 'dist', 'index.mjs'), body);
  const entrySha256 = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  writeFileSync(
    join(dir, folder, 'plugin.json'),
    JSON.stringify({ name, version: 1, kind: 'analyzer', sdkApi: 1, requirements: { network: false }, selectors: [{ glob: 'f.txt' }], entry: 'dist/index.mjs', entrySha256 }),
  );
}

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
