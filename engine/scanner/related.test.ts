/**
 * The analyzers' filesystem view in real image scans: a requirements file in one layer includes a file of a
 * layer below; the view sees it (worker threads or not), the result is cached under the layer chain, and a
 * later layer that changes the included file without touching the including one is reported.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../../build/test-support/fixtures';
import { openStore } from '../store';
import { inventoryTarget } from './index';
import { makeTar, writeDockerArchive, writeOciLayout } from './_internal/testkit';

async function image(withChange: boolean): Promise<Buffer[]> {
  const l1 = await makeTar([
    { name: 'app/', type: 'directory' },
    { name: 'app/base.txt', body: 'django==2.2.24\n' },
    { name: 'app/constraints/pins.txt', body: 'flask==2.0.1\n' },
  ]);
  const l2 = await makeTar([
    { name: 'app/', type: 'directory' },
    { name: 'app/requirements.txt', body: '-r base.txt\n-c constraints/pins.txt\nflask\nrequests==2.31.0\n' },
  ]);
  const l3 = await makeTar([{ name: 'app/', type: 'directory' }, { name: 'app/base.txt', body: 'django==4.2.0\n' }]);
  return withChange ? [l1, l2, l3] : [l1, l2];
}

test('image: a -r include and a -c constraints file of a lower layer are read through the view', async () => {
  const dir = tempDir();
  const ls = await image(false);
  const oci = writeOciLayout(join(dir, 'oci'), ls, 'gzip');
  await writeDockerArchive(join(dir, 'image.tar'), ls);
  for (const [target, workers] of [['oci', 0], ['oci', 2], ['image.tar', 0]] as const) {
    const r = await inventoryTarget(join(dir, target), { cache: false, workers });
    assert.deepEqual(
      r.document.packages.map((p) => `${p.purl} ${p.locations.join(',')}`),
      ['pkg:pypi/django@2.2.24 /app/base.txt,/app/requirements.txt', 'pkg:pypi/flask@2.0.1 /app/requirements.txt', 'pkg:pypi/requests@2.31.0 /app/requirements.txt'],
      `${target} workers=${workers}`,
    );
    assert.ok(r.document.packages.every((p) => p.layer === oci.layers[1]?.diffId), 'attributed to the layer of the requirements file');
    assert.deepEqual(r.document.issues, []);
  }
});

test('image: a layer whose analysis read the layers below is cached under the layer chain', async () => {
  const dir = tempDir();
  writeOciLayout(join(dir, 'oci'), await image(false), 'gzip');
  const store = openStore({ home: tempDir() });
  try {
    const first = await inventoryTarget(join(dir, 'oci'), { store, workers: 0 });
    assert.deepEqual(first.stats, { layers: 2, cached: 0, analyzed: 2 });
    const warm = await inventoryTarget(join(dir, 'oci'), { store, workers: 0 });
    assert.deepEqual(warm.stats, { layers: 2, cached: 2, analyzed: 0 });
    assert.deepEqual(warm.document, first.document);
    const keys = (store.db.prepare('SELECT layer_digest FROM scanner_layer_cache ORDER BY layer_digest').all() as { layer_digest: string }[]).map((r) => r.layer_digest);
    assert.equal(keys.filter((k) => k.startsWith('chain:sha256:')).length, 1, keys.join('\n'));
    // the same top layer over a different base is analyzed again (its chain differs)
    const other = await makeTar([{ name: 'app/', type: 'directory' }, { name: 'app/base.txt', body: 'django==3.0\n' }]);
    writeOciLayout(join(dir, 'oci2'), [other, (await image(false))[1] as Buffer], 'gzip');
    const rebased = await inventoryTarget(join(dir, 'oci2'), { store, workers: 0 });
    assert.deepEqual(rebased.stats, { layers: 2, cached: 0, analyzed: 2 });
    assert.ok(rebased.document.packages.some((p) => p.purl === 'pkg:pypi/django@3.0'));
  } finally {
    store.close();
  }
});

test('image: an included file changed by a later layer is a located warning, not a silent stale result', async () => {
  const dir = tempDir();
  const oci = writeOciLayout(join(dir, 'oci'), await image(true), 'gzip');
  const r = await inventoryTarget(join(dir, 'oci'), { cache: false, workers: 0 });
  const stale = r.document.issues.filter((i) => i.path === '/app/base.txt');
  assert.equal(stale.length, 1, JSON.stringify(r.document.issues));
  assert.equal(stale[0]?.severity, 'warning');
  assert.equal(stale[0]?.layer, oci.layers[1]?.diffId);
  assert.match(stale[0]?.message ?? '', new RegExp(`found in ${oci.layers[0]?.diffId}.*layer ${oci.layers[2]?.diffId} changes it`));
});
