import { test } from 'node:test';
import assert from 'node:assert/strict';
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
  assert.deepEqual(ids, [...ids].sort());
  assert.ok(ids.includes('lang/python@1') && ids.includes('os/dpkg@1'));
  assert.equal(set.fingerprint, `sdk1:${ids.join(',')}`);
});

test('the scanner copy of the plug-ins (sdk + the two reference analyzers) loads in sorted order', async () => {
  const set = await loadPluginsUncached(pluginsCopy());
  assert.deepEqual(set.analyzers.map((a) => a.id), ['lang/python@1', 'os/dpkg@1']);
  assert.equal(set.fingerprint, 'sdk1:lang/python@1,os/dpkg@1');
});

const refusals: [string, (dir: string) => void, string, RegExp][] = [
  ['tampered entry', (d) => appendFileSync(join(d, 'os-dpkg', 'dist', 'index.mjs'), '\n// tampered\n'), 'digest-mismatch', /entry dist\/index.mjs hashes to sha256:[0-9a-f]{64}, manifest pins sha256:/],
  ['unsupported SDK API', (d) => editManifest(d, 'os-dpkg', (m) => (m.sdkApi = 99)), 'unsupported-api', /needs SDK API 99; this host supports 1/],
  ['needs network', (d) => editManifest(d, 'os-dpkg', (m) => (m.requirements = { network: true })), 'needs-network', /requires network access/],
  ['wrong kind', (d) => editManifest(d, 'os-dpkg', (m) => (m.kind = 'notifier')), 'wrong-kind', /kind "notifier"/],
  ['invalid manifest', (d) => editManifest(d, 'os-dpkg', (m) => (m.selectors = 'all')), 'invalid-manifest', /\/selectors: expected an array/],
  ['manifest/entry identity mismatch', (d) => editManifest(d, 'os-dpkg', (m) => (m.version = 2)), 'entry-failed', /defines os\/dpkg@1 but the manifest says os\/dpkg@2/],
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
  assert.deepEqual(doc.loaded.map((p) => `${p.name}@${p.version}`), ['os/dpkg@1']);
  assert.deepEqual(doc.refused.map((r) => [r.name, r.code]), [['lang/python', 'digest-mismatch']]);
});
