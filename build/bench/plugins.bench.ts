/**
 * The plug-in host at start-up: loading the built-ins (every file read once, hashed, checked against the
 * digests compiled into the engine, imported from its bytes), and the cost a signed third-party plug-in
 * adds (DSSE verification against the trust for `plugins`, both digests).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { addTrust, createMemoryKey, pluginStatement, serializeEnvelope, signPluginStatement, verifyPluginSignature } from '../../engine/attest';
import { defaultContext } from '../../engine/core';
import { loadPluginsUncached, thirdPartyPluginsDir } from '../../engine/scanner';
import { openStore } from '../../engine/store';
import { REPO_ROOT, tempDir } from '../test-support/fixtures';
import { measure, report } from './harness';

const BUILTIN_DIR = join(REPO_ROOT, 'plugins');
const THIRD_PARTY = 16;

async function main(): Promise<void> {
  // Cold: the first load in this process (each bundle's data: URL is compiled once per process).
  const cold = await measure(() => loadPluginsUncached(BUILTIN_DIR));
  report({ bench: 'plugins', metric: `load ${cold.result.analyzers.length} built-ins, first in a process (read, hash, check compiled digests, import)`, value: Math.round(cold.ms), unit: 'ms' });
  let warm = Infinity;
  for (let i = 0; i < 5; i++) warm = Math.min(warm, (await measure(() => loadPluginsUncached(BUILTIN_DIR))).ms);
  report({ bench: 'plugins', metric: 'load the built-ins again (modules cached by V8: reading, hashing and checking), best of 5', value: Math.round(warm * 10) / 10, unit: 'ms' });

  const home = tempDir();
  const store = openStore({ home });
  try {
    const key = createMemoryKey('ed25519');
    addTrust(store, { name: 'bench', text: key.publicKey(), file: 'bench.pem', purposes: ['plugins'] }, defaultContext);
    let lastInput: Parameters<typeof verifyPluginSignature>[1] | undefined;
    for (let i = 0; i < THIRD_PARTY; i++) {
      const name = `bench/p${i}`;
      const dir = join(thirdPartyPluginsDir(home), `p${i}`);
      mkdirSync(join(dir, 'dist'), { recursive: true });
      const entry = Buffer.from(`export default { name: '${name}', version: 1, async analyze() { return { packages: [], relationships: [], issues: [] }; } };\n`);
      writeFileSync(join(dir, 'dist', 'index.mjs'), entry);
      const { createHash } = await import('node:crypto');
      const entrySha256 = `sha256:${createHash('sha256').update(entry).digest('hex')}`;
      const manifest = Buffer.from(JSON.stringify({ name, version: 1, kind: 'analyzer', sdkApi: 1, requirements: { network: false }, selectors: [{ glob: 'f.txt' }], entry: 'dist/index.mjs', entrySha256 }));
      writeFileSync(join(dir, 'plugin.json'), manifest);
      const envelope = Buffer.from(serializeEnvelope(await signPluginStatement(pluginStatement({ manifestBytes: manifest, entry: 'dist/index.mjs', entryBytes: entry, predicate: { name, version: 1, kind: 'analyzer', sdkApi: 1, entry: 'dist/index.mjs' } }), [key])));
      writeFileSync(join(dir, 'plugin.sig.dsse.json'), envelope);
      lastInput = { envelope, manifestSha256: `sha256:${createHash('sha256').update(manifest).digest('hex')}`, entry: 'dist/index.mjs', entrySha256 };
    }
    const sources = { builtinDir: BUILTIN_DIR, thirdPartyDir: thirdPartyPluginsDir(home), verifySignature: (i: Parameters<typeof verifyPluginSignature>[1]) => verifyPluginSignature(store, i) };
    const withThirdParty = await measure(() => loadPluginsUncached(sources));
    if (withThirdParty.result.refused.length) throw new Error(`refused: ${JSON.stringify(withThirdParty.result.refused)}`);
    report({ bench: 'plugins', metric: `load the built-ins + ${THIRD_PARTY} signed third-party plug-ins, first time for the third-party ones`, value: Math.round(withThirdParty.ms), unit: 'ms' });
    const input = lastInput as Parameters<typeof verifyPluginSignature>[1];
    const n = 2000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) if (!verifyPluginSignature(store, input).ok) throw new Error('verification failed');
    const per = (performance.now() - t0) / n;
    report({ bench: 'plugins', metric: 'one third-party signature check (trust lookup, Ed25519 DSSE verify, statement, both digests)', value: Math.round(per * 1000) / 1000, unit: 'ms' });
  } finally {
    store.close();
  }
}

await main();
