/**
 * The image view from a stored scan: a two-layer docker-archive built from real fixture folders (a
 * Debian bookworm dpkg database, then Debian's Python dist-packages) is scanned; the job's progress
 * reports every layer by index and digest; the stored SBOM alone gives back the layers with their
 * sizes and build steps, the packages each layer added, the distribution and the tags. A root
 * filesystem packed as a plain tar (how the browser uploads a folder) is inventoried like a folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock, sequentialIds } from '../core';
import { openStore, type Store } from '../store';
import { fixture, needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { filesUnder, tarOf, writeDockerArchive } from '../../build/test-support/images';
import { imageFromProperties, imageProperties, type ImageDetails } from '../scanner/image-properties';
import { jobContext, type JobContext, type JobProgress } from './context';
import { importAdvisoriesJob } from './import-advisories';
import { imageViewJob } from './image';
import { scanTargetJob } from './scan';

const DPKG = ['analyzers', 'dpkg-rootfs', 'debian-bookworm-built'];
const PYTHON = ['analyzers', 'python-site-packages', 'debian-bookworm-dist-packages'];
const ids = sequentialIds();
// one clock for the file: later scans are newer
const clock = fixedClock('2026-02-01T00:00:00.000Z', 1000);
const ctx = (over: Partial<JobContext> = {}): JobContext => jobContext({ clock, ids, ...over });

/** A store with one advisory (matching needs some); the image view does not depend on findings. */
async function storeWithAdvisory(): Promise<Store> {
  const dir = tempDir();
  const p = join(dir, 'osv.json');
  writeFileSync(p, JSON.stringify({ schema_version: '1.6.0', id: 'PYSEC-2099-7', modified: '2026-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'PyPI', name: 'chardet' }, versions: ['5.1.0'] }] }));
  const store = openStore({ home: tempDir() });
  await importAdvisoriesJob(store, { paths: [p] }, ctx());
  return store;
}

async function debianImage(): Promise<{ file: string; built: Awaited<ReturnType<typeof writeDockerArchive>> }> {
  const file = join(tempDir(), 'app.tar');
  const built = await writeDockerArchive(file, [
    { files: filesUnder(fixture(...DPKG) as string), createdBy: '/bin/sh -c #(nop) ADD file:bookworm-rootfs in / ' },
    { files: filesUnder(fixture(...PYTHON) as string), createdBy: 'RUN /bin/sh -c apt-get install -y python3-chardet python3-charset-normalizer # buildkit' },
  ]);
  return { file, built };
}

test('an image scan reports each layer by index and digest, and the image view rebuilds layers, build steps and per-layer packages from the stored SBOM', needsFixtures(...DPKG), async () => {
  const store = await storeWithAdvisory();
  try {
    const { file, built } = await debianImage();
    const events: JobProgress[] = [];
    const first = await scanTargetJob(store, { path: file, name: 'app.tar' }, ctx({ onProgress: (p) => events.push(p) }));
    assert.equal(first.target, 'docker-archive');
    const items = events.filter((e) => e.item).map((e) => `${e.item?.index}:${e.item?.state}`);
    for (const i of [0, 1]) {
      assert.ok(items.includes(`${i}:queued`) && items.includes(`${i}:running`) && items.includes(`${i}:done`), `layer ${i} states in ${items.join(' ')}`);
      assert.ok(items.indexOf(`${i}:queued`) < items.indexOf(`${i}:running`) && items.indexOf(`${i}:running`) < items.indexOf(`${i}:done`), items.join(' '));
    }
    // docker-archive layers are named by their diffID (the layer file's digest)
    assert.deepEqual([...new Set(events.filter((e) => e.item).map((e) => `${e.item?.index}=${e.item?.id}`))].sort(), built.layers.map((l, i) => `${i}=${l.diffId}`));
    assert.ok(events.filter((e) => e.item?.state === 'done').every((e) => e.phase === 'analyzing layers' && e.total === 2));

    const view = imageViewJob(store, { scanId: first.scan.id });
    assert.equal(view.sbom.id, first.sbom.id);
    assert.equal(view.scan?.id, first.scan.id);
    assert.equal(view.image.digest, built.digest);
    assert.equal(view.image.format, 'docker-archive');
    assert.equal(view.image.architecture, 'amd64');
    assert.equal(view.image.os, 'linux');
    assert.deepEqual(view.image.refs, ['stella-test/app:1.0']);
    assert.deepEqual(view.distro, { id: 'debian', versionId: '12', name: 'Debian GNU/Linux 12 (bookworm)' });
    assert.deepEqual(
      view.layers.map((l) => ({ index: l.index, diffId: l.diffId, size: l.size, createdBy: l.createdBy })),
      built.layers.map((l, index) => ({ index, diffId: l.diffId, size: l.size, createdBy: l.createdBy })),
      'the empty_layer history step between the layers is skipped',
    );
    const { inventory } = (await import('./read')).requireStoredSbom(store, view.sbom.id);
    const purlOf = new Map(inventory.components.map((c) => [c.ref, c.purl ?? '']));
    const [base, python] = view.layers;
    assert.ok(base && base.components.length > 50, `the rootfs layer added the dpkg packages (${base?.components.length})`);
    assert.ok(base.components.every((r) => purlOf.get(r)?.startsWith('pkg:deb/debian/')), 'layer 0 holds only Debian packages');
    // every dist-info folder of the fixture, and nothing of the layer below
    assert.deepEqual(python?.components.map((r) => purlOf.get(r)?.replace(/\?.*$/, '')).sort(), [
      'pkg:pypi/certifi@2022.9.24',
      'pkg:pypi/chardet@5.1.0',
      'pkg:pypi/charset-normalizer@3.0.1',
      'pkg:pypi/idna@3.3',
      'pkg:pypi/requests@2.28.1',
      'pkg:pypi/six@1.16.0',
      'pkg:pypi/urllib3@1.26.12',
    ]);
    assert.deepEqual(view.unattributed, []);
    assert.equal(view.layers.reduce((n, l) => n + l.components.length, 0), inventory.components.length);

    // by SBOM id: the newest scan of it is named; a second scan serves both layers from the layer cache
    const again: JobProgress[] = [];
    const second = await scanTargetJob(store, { path: file, name: 'app.tar' }, ctx({ onProgress: (p) => again.push(p) }));
    assert.deepEqual(again.filter((e) => e.item?.state === 'cached').map((e) => e.item?.index).sort(), [0, 1]);
    assert.equal(imageViewJob(store, { sbomId: first.sbom.id }).scan?.id, second.scan.id);
  } finally {
    store.close();
  }
});

test('the image view refuses what is not an image, naming it; unknown scans are not found', needsFixtures(...DPKG), async () => {
  const store = await storeWithAdvisory();
  try {
    // a root filesystem packed as a plain tar: inventoried like a folder, stored, but it has no layers
    const file = join(tempDir(), 'rootfs.tar');
    writeFileSync(file, await tarOf(filesUnder(fixture(...DPKG) as string)));
    const events: JobProgress[] = [];
    const r = await scanTargetJob(store, { path: file, name: 'rootfs.tar' }, ctx({ onProgress: (p) => events.push(p) }));
    assert.equal(r.target, 'rootfs-tar');
    assert.ok(r.sbom.componentCount > 50, `dpkg packages of the packed rootfs (${r.sbom.componentCount})`);
    assert.deepEqual(events.filter((e) => e.item).map((e) => e.item?.state), ['running', 'done']);
    assert.throws(() => imageViewJob(store, { sbomId: r.sbom.id }), (e: unknown) => (e as { code?: string }).code === 'not-an-image' && /was not made from a container image/.test((e as Error).message));
    assert.throws(() => imageViewJob(store, { scanId: 'scan_nope' }), (e: unknown) => (e as { code?: string }).code === 'not-found' && /scan_nope/.test((e as Error).message));
    assert.throws(() => imageViewJob(store, {}), (e: unknown) => (e as { code?: string }).code === 'not-found');
  } finally {
    store.close();
  }
});

test('image properties round-trip, and SBOMs stored before sizes and history were recorded still give their layers', () => {
  const full: ImageDetails = {
    digest: `sha256:${'a'.repeat(64)}`,
    format: 'oci',
    architecture: 'arm64',
    os: 'linux',
    variant: 'v8',
    created: '2024-01-01T00:00:00Z',
    refs: ['registry.local/app:2', 'app:latest'],
    layers: [
      { index: 0, digest: `sha256:${'b'.repeat(64)}`, diffId: `sha256:${'c'.repeat(64)}`, size: 1234, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', createdBy: 'ADD rootfs /', created: '2024-01-01T00:00:00Z', comment: 'base' },
      { index: 1, digest: `sha256:${'d'.repeat(64)}`, diffId: `sha256:${'e'.repeat(64)}`, size: 0 },
    ],
  };
  assert.deepEqual(imageFromProperties(imageProperties(full)), full);
  // what inventories wrote before: the digest and each layer's diffID only
  const old = imageFromProperties([
    { name: 'stella:image:digest', value: full.digest },
    { name: 'stella:image:layer:1', value: `sha256:${'e'.repeat(64)}` },
    { name: 'stella:image:layer:0', value: `sha256:${'c'.repeat(64)}` },
    { name: 'scanner:unrelated', value: 'x' },
  ]);
  assert.deepEqual(old, { digest: full.digest, refs: [], layers: [{ index: 0, digest: '', diffId: `sha256:${'c'.repeat(64)}` }, { index: 1, digest: '', diffId: `sha256:${'e'.repeat(64)}` }] });
  assert.equal(imageFromProperties([{ name: 'stella:source:name', value: 'x' }]), null);
});
