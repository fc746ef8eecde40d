/**
 * The scanner's memory bounds: the per-layer read budget, spooling of big selected files, the layer
 * workers' heap limit, and a layer-cache key that changes with the plug-ins' code and the limits.
 * (The full-size hostile image, run through the CLI with its peak RSS measured, is in
 * engine/cli/hostile.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../build/test-support/fixtures';
import { openStore } from '../store';
import { inventoryTarget, loadPluginsUncached, type InventoryOptions } from './index';
import { asBuiltins, makeTar, writeOciLayout, writePlugin } from './_internal/testkit';

const SP = 'usr/lib/python3/dist-packages';
const meta = (name: string, v: string, pad = 0): string => `Metadata-Version: 2.1\nName: ${name}\nVersion: ${v}\n\n${'d'.repeat(pad)}\n`;

async function pythonImage(dir: string): Promise<string> {
  const oci = join(dir, 'oci');
  const t = await makeTar([
    { name: `${SP}/a-1.dist-info/METADATA`, body: meta('a', '1') },
    { name: `${SP}/b-2.dist-info/METADATA`, body: meta('b', '2', 5000) },
    { name: `${SP}/c-3.dist-info/METADATA`, body: meta('c', '3', 300) },
    { name: `${SP}/d-4.dist-info/METADATA`, body: meta('d', '4', 20_000) },
  ]);
  writeOciLayout(oci, [t], 'gzip');
  return oci;
}

test('big selected files are spooled to a private folder, analyzed the same, and the folder is removed (in-thread and in a worker)', async () => {
  const dir = tempDir();
  const oci = await pythonImage(dir);
  const plain = await inventoryTarget(oci, { cache: false, workers: 0 });
  assert.deepEqual(plain.document.packages.map((p) => `${p.name}@${p.version}`), ['a@1', 'b@2', 'c@3', 'd@4']);
  const spoolDir = join(dir, 'spool');
  mkdirSync(spoolDir);
  // Everything above 100 bytes goes to disk, and memory holds at most 400 bytes of the rest.
  const limits = { spoolFileBytes: 100, maxInMemorySelectedBytes: 400 };
  for (const workers of [0, 1]) {
    const spooled = await inventoryTarget(oci, { cache: false, workers, spoolDir, limits });
    assert.deepEqual(spooled.document, plain.document, `workers: ${workers}`);
    assert.deepEqual(readdirSync(spoolDir), [], 'nothing is left in the spool folder');
  }
});

test('the read budget: files are admitted in tar order while they fit; the others are located warnings naming maxSelectedBytes', async () => {
  const oci = await pythonImage(tempDir());
  const r = await inventoryTarget(oci, { cache: false, workers: 0, limits: { maxSelectedBytes: 5300 } });
  // a (~50 B) and b (~5 KB) fit; c (~350 B) does not fit in what is left; d (~20 KB) is over the whole budget.
  assert.deepEqual(r.document.packages.map((p) => p.name), ['a', 'b']);
  assert.deepEqual(
    r.document.issues.map((i) => [i.severity, i.path, /maxSelectedBytes/.test(i.message)]),
    [
      ['warning', `/${SP}/c-3.dist-info/METADATA`, true],
      ['warning', `/${SP}/d-4.dist-info/METADATA`, true],
    ],
  );
  assert.match(r.document.issues[1]?.message ?? '', /more than the layer's whole read budget of 5300 bytes/);
});

test('layer cache: the key covers the limits and every plug-in entry digest, not just name@version', async () => {
  const dir = tempDir();
  const oci = await pythonImage(dir);
  const store = openStore({ home: join(dir, 'home') });
  try {
    const base: InventoryOptions = { store, workers: 0 };
    assert.deepEqual((await inventoryTarget(oci, base)).stats, { layers: 1, cached: 0, analyzed: 1 });
    assert.deepEqual((await inventoryTarget(oci, base)).stats, { layers: 1, cached: 1, analyzed: 0 });
    // Another budget admits other files: never served from a cache entry made under different limits.
    assert.deepEqual((await inventoryTarget(oci, { ...base, limits: { maxSelectedBytes: 5300 } })).stats, { layers: 1, cached: 0, analyzed: 1 });
    // Where bytes wait (memory or disk) does not change results: same key.
    assert.deepEqual((await inventoryTarget(oci, { ...base, limits: { spoolFileBytes: 10 } })).stats, { layers: 1, cached: 1, analyzed: 0 });
    // A plug-in set with the same name@version list but other entry bytes is another key.
    const plugins = join(dir, 'plugins');
    const body = (tag: string): string => `export default { name: 'test/meta', version: 1, async analyze() { return { packages: [], relationships: [], issues: [] }; } }; // ${tag}\n`;
    writePlugin(plugins, 'test-meta', 'test/meta', body('one'), ['**/METADATA']);
    const one = await loadPluginsUncached(asBuiltins(plugins));
    assert.deepEqual((await inventoryTarget(oci, { ...base, plugins: one })).stats, { layers: 1, cached: 0, analyzed: 1 });
    assert.deepEqual((await inventoryTarget(oci, { ...base, plugins: one })).stats, { layers: 1, cached: 1, analyzed: 0 });
    writePlugin(plugins, 'test-meta', 'test/meta', body('two'), ['**/METADATA']);
    const two = await loadPluginsUncached(asBuiltins(plugins));
    assert.deepEqual(two.analyzers.map((a) => a.id), one.analyzers.map((a) => a.id));
    assert.deepEqual((await inventoryTarget(oci, { ...base, plugins: two })).stats, { layers: 1, cached: 0, analyzed: 1 });
  } finally {
    store.close();
  }
});

test('a layer worker that reaches its heap limit ends the inventory with a resource-limit error naming the limit, the layer and the file', async () => {
  const dir = tempDir();
  const plugins = join(dir, 'plugins');
  writePlugin(
    plugins,
    'test-hog',
    'test/hog',
    `export default { name: 'test/hog', version: 1, async analyze(files) {
      const text = await files[0].readText();
      const hoard = [];
      for (;;) hoard.push(Array.from({ length: 100000 }, (_, i) => ({ i, text })));
    } };\n`,
  );
  const set = await loadPluginsUncached(asBuiltins(plugins));
  const oci = join(dir, 'oci');
  writeOciLayout(oci, [await makeTar([{ name: 'f.txt', body: 'x' }])], 'gzip');
  const heap = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8, stackSizeMb: 4 };
  await assert.rejects(inventoryTarget(oci, { plugins: set, cache: false, workers: 1, workerHeapLimits: heap }), (e: Error & { code?: string; category?: string }) => {
    assert.equal(e.code, 'resource-limit');
    assert.equal(e.category, 'invalid-input');
    assert.match(e.message, /^layer sha256:[0-9a-f]{64}: the layer worker ran out of memory — its JavaScript heap is limited to 64 MB \(WORKER_HEAP_LIMITS\.scannerLayer\.maxOldGenerationSizeMb, engine\/core\/limits\.ts\) while test\/hog@1 was analyzing \/f\.txt \(1 bytes\)/);
    return true;
  });
});
