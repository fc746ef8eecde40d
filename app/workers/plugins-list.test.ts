// The app's plug-in list (`plugins.list`, answered by a reader worker): the plug-ins the engine loaded at
// start-up — the built-ins, compiled into the engine — and each refused third-party plug-in with why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PluginList } from '../common/contract';
import { REPO_ROOT, tempDir } from '../../build/test-support/fixtures';
import { BUILTIN_PLUGINS } from '../../engine/scanner';
import { EngineHost } from '../main/host/engine-host';
import { fileResolver, PathGrants } from '../main/host/files';
import { EnginePool } from './pool';
import { defaultWorkerScript } from './worker-script';

test('plugins.list: the built-ins loaded, an unsigned third-party plug-in in <home>/plugins refused with the reason', async () => {
  const home = tempDir();
  const dir = join(home, 'plugins', 'acme-dpkg');
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'index.mjs'), readFileSync(join(REPO_ROOT, 'plugins', 'os-dpkg', 'dist', 'index.mjs')));
  writeFileSync(join(dir, 'plugin.json'), readFileSync(join(REPO_ROOT, 'plugins', 'os-dpkg', 'plugin.json')));
  const pool = new EnginePool({ home, workerScript: defaultWorkerScript(), readers: 1, log: () => {} });
  await pool.start();
  const host = new EngineHost({ backend: pool, files: fileResolver({ paths: new PathGrants(true) }), info: { version: '0', mode: 'serve', home, platform: process.platform } });
  try {
    const r = await host.invoke('plugins.list', {});
    assert.ok(r.ok, JSON.stringify(r));
    const list = r.value as PluginList;
    assert.equal(list.sdkApi, 1);
    const loaded = list.plugins.filter((p) => p.status === 'loaded');
    assert.deepEqual(loaded.map((p) => [p.name, p.origin]).sort(), BUILTIN_PLUGINS.map((b) => [b.name, 'built-in']).sort());
    assert.equal(loaded.find((p) => p.name === 'os/dpkg')?.digest, BUILTIN_PLUGINS.find((b) => b.name === 'os/dpkg')?.entrySha256);
    const refused = list.plugins.filter((p) => p.status === 'refused');
    assert.deepEqual(refused.map((p) => [p.folder, p.name, p.source, p.origin, p.code]), [['acme-dpkg', 'os/dpkg', 'third-party', 'unverified', 'unsigned']]);
    assert.match(refused[0]?.reason ?? '', /no plugin\.sig\.dsse\.json: a third-party plug-in loads only when signed by a key trusted for plugins/);
  } finally {
    await host.close({ drainMs: 1000 });
  }
});
