import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { REPO_ROOT, tempDir } from '../../build/test-support/fixtures';
import { runCli } from '../cli/main';
import { addTrust, createMemoryKey, pluginStatement, serializeEnvelope, signPluginStatement, verifyPluginSignature } from '../attest';
import { defaultContext } from '../core';
import { openStore } from '../store';
import { describePlugins, loadPluginsUncached, loadVerifiedPlugins, thirdPartyPluginsDir } from './index';
import { BUILTIN_PLUGINS } from './_internal/builtin-plugins.gen';
import { asBuiltins, makeTar, writeOciLayout, writePlugin } from './_internal/testkit';

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

/** The fingerprint as documented: SDK API + sha256 over the sorted `name@version=entry digest:manifest digest` lines. */
function expectedFingerprint(analyzers: { id: string; entrySha256: string; manifestSha256: string }[]): string {
  const lines = analyzers.map((a) => `${a.id}=${a.entrySha256}:${a.manifestSha256}`).sort();
  return `sdk1:sha256:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
}

test('the repository plug-ins all load as built-ins — the digests compiled into the engine are current — sorted by name, with a fingerprint over name@version and entry digests', async () => {
  const set = await loadPluginsUncached(REAL);
  const ids = set.analyzers.map((a) => a.id);
  assert.deepEqual(set.refused, []);
  // Every plug-in folder of the repository is in the compiled-in table, with the digests its files have.
  const folders = readdirSync(REAL).filter((f) => existsSync(join(REAL, f, 'plugin.json'))).sort();
  assert.deepEqual(BUILTIN_PLUGINS.map((b) => b.folder), folders);
  assert.equal(set.analyzers.length, folders.length);
  for (const a of set.analyzers) {
    const compiled = BUILTIN_PLUGINS.find((b) => b.name === a.manifest.name);
    assert.deepEqual(a.origin, { source: 'built-in' });
    assert.equal(a.manifestSha256, `sha256:${createHash('sha256').update(readFileSync(join(a.dir, 'plugin.json'))).digest('hex')}`);
    assert.deepEqual([a.manifestSha256, a.entrySha256], [compiled?.manifestSha256, compiled?.entrySha256]);
  }
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
  // Re-pinning in plugin.json alone proves nothing: the application was built with the old digests.
  assert.deepEqual((await loadPluginsUncached(dir)).refused.map((r) => [r.name, r.code]), [['os/dpkg', 'digest-mismatch']]);
  // An application built with the rebuilt plug-in loads it, under another fingerprint.
  const after = await loadPluginsUncached(asBuiltins(dir));
  assert.deepEqual(after.analyzers.map((a) => a.id), before.analyzers.map((a) => a.id));
  assert.notEqual(after.fingerprint, before.fingerprint);
});

test('plug-ins run from the bytes that were verified: changing the file afterwards changes nothing, in this thread or in a worker', async () => {
  const dir = join(tempDir(), 'plugins');
  const good = `export default { name: 'test/which', version: 1, async analyze(files) { return { packages: [{ id: 'v', name: 'verified', version: '1', purl: { type: 'generic', name: 'verified', version: '1' }, locations: [files[0].path] }], relationships: [], issues: [] }; } };\n`;
  writePlugin(dir, 'test-which', 'test/which', good);
  const set = await loadPluginsUncached(asBuiltins(dir));
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

test('a signed third-party plug-in runs from the bytes that were verified, in this thread and in a worker; the next start refuses the replaced bundle', async () => {
  const home = tempDir();
  const dir = join(thirdPartyPluginsDir(home), 'test-which');
  const good = `export default { name: 'test/which', version: 1, async analyze(files) { return { packages: [{ id: 'v', name: 'verified', version: '1', purl: { type: 'generic', name: 'verified', version: '1' }, locations: [files[0].path] }], relationships: [], issues: [] }; } };\n`;
  writePlugin(thirdPartyPluginsDir(home), 'test-which', 'test/which', good);
  const key = createMemoryKey('ed25519');
  const manifestBytes = readFileSync(join(dir, 'plugin.json'));
  const statement = pluginStatement({ manifestBytes, entry: 'dist/index.mjs', entryBytes: Buffer.from(good), predicate: { name: 'test/which', version: 1, kind: 'analyzer', sdkApi: 1, entry: 'dist/index.mjs' } });
  writeFileSync(join(dir, 'plugin.sig.dsse.json'), serializeEnvelope(await signPluginStatement(statement, [key])));
  const store = openStore({ home });
  try {
    addTrust(store, { name: 'tester', text: key.publicKey(), file: 'tester.pem', purposes: ['plugins'] }, defaultContext);
    const sources = { builtinDir: REAL, thirdPartyDir: thirdPartyPluginsDir(home), verifySignature: (i: Parameters<typeof verifyPluginSignature>[1]) => verifyPluginSignature(store, i) };
    const set = await loadPluginsUncached(sources);
    assert.deepEqual(set.refused, []);
    const which = set.analyzers.find((a) => a.id === 'test/which@1');
    assert.deepEqual(which?.origin, { source: 'third-party', signer: { name: 'tester', keyId: key.keyId } });
    writeFileSync(join(dir, 'dist', 'index.mjs'), good.replace("name: 'verified'", "name: 'tampered'"));
    const { inventoryTarget } = await import('./index');
    const oci = join(tempDir(), 'oci');
    writeOciLayout(oci, [await makeTar([{ name: 'f.txt', body: 'content' }])], 'gzip');
    for (const workers of [0, 1]) {
      const r = await inventoryTarget(oci, { plugins: set, cache: false, workers });
      assert.deepEqual(r.document.packages.filter((p) => p.foundBy === 'test/which@1').map((p) => p.name), ['verified'], `workers: ${workers}`);
    }
    const next = await loadPluginsUncached(sources);
    assert.deepEqual(next.refused.map((r) => [r.name, r.code]), [['test/which', 'digest-mismatch']]);
    assert.match(next.refused[0]?.reason ?? '', /^dist\/index\.mjs hashes to sha256:[0-9a-f]{64}, but the signature names sha256:[0-9a-f]{64}: it was changed after signing$/);
  } finally {
    store.close();
  }
});

test('a plug-in bundle that imports anything but Node built-ins is refused with the reason (it is loaded from a data: URL)', async () => {
  const dir = join(tempDir(), 'plugins');
  writePlugin(dir, 'test-native', 'test/native', `import Database from 'better-sqlite3';\nexport default { name: 'test/native', version: 1, async analyze() { return { packages: [], relationships: [], issues: [] }; } };\n`);
  writePlugin(dir, 'test-builtin', 'test/builtin', `import { inflateSync } from 'node:zlib';\nexport default { name: 'test/builtin', version: 1, async analyze() { return { packages: [], relationships: [], issues: [{ path: '/f.txt', severity: 'info', message: typeof inflateSync }] }; } };\n`);
  const set = await loadPluginsUncached(asBuiltins(dir));
  assert.deepEqual(set.analyzers.map((a) => a.id), ['test/builtin@1']);
  assert.deepEqual(set.refused.map((r) => [r.name, r.code]), [['test/native', 'entry-failed']]);
  assert.match(set.refused[0]?.reason ?? '', /better-sqlite3/);
});

// A built-in is checked against the digests compiled into the engine: any change to its files refuses it,
// whatever its plugin.json says.
const tampered: [string, (dir: string) => void, RegExp][] = [
  ['a byte appended to the dist file', (d) => appendFileSync(join(d, 'os-dpkg', 'dist', 'index.mjs'), '\n// tampered\n'), /^entry dist\/index\.mjs hashes to sha256:[0-9a-f]{64}; the application was built with dist\/index\.mjs = sha256:/],
  [
    'the dist file changed and re-pinned in plugin.json',
    (d) => {
      const entry = join(d, 'os-dpkg', 'dist', 'index.mjs');
      appendFileSync(entry, '\n// tampered\n');
      editManifest(d, 'os-dpkg', (m) => (m.entrySha256 = `sha256:${createHash('sha256').update(readFileSync(entry)).digest('hex')}`));
    },
    /^plugin\.json hashes to sha256:[0-9a-f]{64}; the application was built with sha256:/,
  ],
  ['a selector added to plugin.json', (d) => editManifest(d, 'os-dpkg', (m) => (m.selectors = [...(m.selectors as unknown[]), { glob: '**/*' }])), /^plugin\.json hashes to sha256:[0-9a-f]{64}; the application was built with sha256:/],
  ['the dist file emptied', (d) => writeFileSync(join(d, 'os-dpkg', 'dist', 'index.mjs'), ''), /^entry dist\/index\.mjs hashes to sha256:e3b0c442/],
];

for (const [what, damage, reason] of tampered) {
  test(`a built-in whose files differ from the digests compiled into the engine is refused with the reason: ${what}`, async () => {
    const dir = pluginsCopy();
    damage(dir);
    const set = await loadPluginsUncached(dir);
    assert.deepEqual(set.analyzers.map((a) => a.id), ['lang/python@1']);
    assert.deepEqual(set.refused.map((r) => [r.name, r.source, r.code]), [['os/dpkg', 'built-in', 'digest-mismatch']]);
    assert.match(set.refused[0]?.reason ?? '', reason);
  });
}

test('a folder in the application plug-in folder that the application was not built with is refused (not-built-in)', async () => {
  const dir = pluginsCopy();
  writePlugin(dir, 'test-extra', 'test/extra', `export default { name: 'test/extra', version: 1, async analyze() { return { packages: [], relationships: [], issues: [] }; } };\n`);
  const set = await loadPluginsUncached(dir);
  assert.deepEqual(set.analyzers.map((a) => a.id), ['lang/python@1', 'os/dpkg@2']);
  assert.deepEqual(set.refused.map((r) => [r.name, r.code]), [['test/extra', 'not-built-in']]);
  assert.match(set.refused[0]?.reason ?? '', /test-extra is in the application's plug-in folder but the application was not built with it; a third-party plug-in goes into <home>\/plugins\/test-extra\/ with a plugin\.sig\.dsse\.json/);
});

// The other checks, on plug-ins whose digests the application was built with.
const refusals: [string, (dir: string) => void, string, RegExp][] = [
  ['entry differs from the manifest pin', (d) => editManifest(d, 'os-dpkg', (m) => (m.entrySha256 = `sha256:${'0'.repeat(64)}`)), 'digest-mismatch', /entry dist\/index.mjs hashes to sha256:[0-9a-f]{64}, manifest pins sha256:0{64}/],
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
    const set = await loadPluginsUncached(asBuiltins(dir));
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
  assert.deepEqual(doc.loaded.map((p) => `${p.name}@${p.version} ${p.origin}`), ['os/dpkg@2 built-in']);
  assert.deepEqual(doc.refused.map((r) => [r.name, r.code]), [['lang/python', 'digest-mismatch']]);
  // One row per plug-in: name, version, kind, origin, digest, status (and the reason when refused).
  const dpkg = BUILTIN_PLUGINS.find((b) => b.name === 'os/dpkg');
  assert.deepEqual(
    doc.plugins.map((p) => [p.name, p.version, p.kind, p.origin, p.status, p.code ?? null]),
    [
      ['lang/python', 1, 'analyzer', 'built-in', 'refused', 'digest-mismatch'],
      ['os/dpkg', 2, 'analyzer', 'built-in', 'loaded', null],
    ],
  );
  assert.deepEqual([doc.plugins[1]?.digest, doc.plugins[1]?.manifestDigest], [dpkg?.entrySha256, dpkg?.manifestSha256]);
  assert.match(doc.plugins[0]?.reason ?? '', /the application was built with/);
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
  const set = await loadPluginsUncached(asBuiltins(dir));
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
