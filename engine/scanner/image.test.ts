import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { needsTool, tempDir } from '../../build/test-support/fixtures';
import { openStore } from '../store';
import { inventoryTarget, type InventoryOptions } from './index';
import { lieAboutSize, makeTar, sha, writeDockerArchive, writeOciLayout, type TarEntrySpec } from './_internal/testkit';

const status = (pkgs: [string, string][]): string => pkgs.map(([n, v]) => `Package: ${n}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${v}\n`).join('\n');
const meta = (name: string, v: string): string => `Metadata-Version: 2.1\nName: ${name}\nVersion: ${v}\n\ndescription\n`;
const SP = 'usr/lib/python3/dist-packages';

const L1: TarEntrySpec[] = [
  { name: 'etc/', type: 'directory' },
  { name: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
  { name: 'usr/lib/os-release', body: 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' },
  { name: 'var/lib/dpkg/status', body: status([['a', '1'], ['b', '1']]) },
  { name: `${SP}/x-1.dist-info/METADATA`, body: meta('x', '1') },
  { name: `${SP}/gone-1.dist-info/METADATA`, body: meta('gone', '1') },
  { name: 'opt/app/keep-1.dist-info/METADATA', body: meta('keep', '1') },
];
const L2: TarEntrySpec[] = [
  { name: 'var/lib/dpkg/status', body: status([['a', '1'], ['b', '1:2'], ['c', '1']]) },
  { name: `${SP}/.wh.gone-1.dist-info`, body: '' },
  { name: 'opt/app/.wh..wh..opq', body: '' },
  { name: 'opt/app/new-1.dist-info/METADATA', body: meta('New_Pkg', '1') },
];
const L3: TarEntrySpec[] = [
  { name: 'var/lib/dpkg/status', body: status([['a', '1'], ['b', '1:2'], ['c', '1']]) },
  { name: 'srv/data.txt', body: 'unrelated' },
];

const noCache: InventoryOptions = { cache: false, workers: 0 };

async function layers(): Promise<Buffer[]> {
  return [await makeTar(L1), await makeTar(L2), await makeTar(L3)];
}

function summary(r: Awaited<ReturnType<typeof inventoryTarget>>, diffIds: string[]): string[] {
  return r.document.packages.map((p) => `${p.purl} L${p.layer ? diffIds.indexOf(p.layer) + 1 : '-'} ${p.locations.join(',')}`);
}

const EXPECTED = [
  'pkg:deb/debian/a@1?arch=amd64&distro=debian-12 L1 /var/lib/dpkg/status',
  'pkg:deb/debian/b@1:2?arch=amd64&distro=debian-12 L2 /var/lib/dpkg/status',
  'pkg:deb/debian/c@1?arch=amd64&distro=debian-12 L2 /var/lib/dpkg/status',
  'pkg:pypi/new-pkg@1 L2 /opt/app/new-1.dist-info/METADATA',
  'pkg:pypi/x@1 L1 /usr/lib/python3/dist-packages/x-1.dist-info/METADATA',
];

for (const how of ['gzip', 'none', 'zstd'] as const) {
  test(`OCI layout (${how} layers): whiteouts, opaque dirs, upgrades and per-layer attribution`, how === 'zstd' ? needsTool('zstd', 'apt-get install -y zstd') : {}, async () => {
    const dir = tempDir();
    const ls = await layers();
    const oci = writeOciLayout(join(dir, 'oci'), ls, how);
    const r = await inventoryTarget(join(dir, 'oci'), noCache);
    assert.equal(r.kind, 'oci-dir');
    assert.deepEqual(r.document.os, { id: 'debian', versionId: '12' });
    assert.equal(r.document.image?.digest, oci.manifest);
    assert.deepEqual(r.document.image?.layers, oci.layers);
    assert.deepEqual(summary(r, oci.layers.map((l) => l.diffId)), EXPECTED);
    assert.deepEqual(r.document.issues, []);
  });
}

test('docker-archive and OCI layout of the same layers give the same inventory', async () => {
  const dir = tempDir();
  const ls = await layers();
  writeOciLayout(join(dir, 'oci'), ls, 'gzip');
  await writeDockerArchive(join(dir, 'image.tar'), ls);
  const a = await inventoryTarget(join(dir, 'oci'), noCache);
  const b = await inventoryTarget(join(dir, 'image.tar'), noCache);
  assert.equal(b.kind, 'docker-archive');
  assert.deepEqual(b.document.packages, a.document.packages);
  assert.deepEqual(b.document.image?.layers.map((l) => l.diffId), ls.map(sha));
});

test('layers analyzed in worker threads give the same result as in-thread', async () => {
  const dir = tempDir();
  writeOciLayout(join(dir, 'oci'), await layers(), 'gzip');
  const a = await inventoryTarget(join(dir, 'oci'), noCache);
  const b = await inventoryTarget(join(dir, 'oci'), { cache: false, workers: 2 });
  assert.deepEqual(b.document, a.document);
});

test('hostile entries: ../ and absolute paths, link escapes, devices — located issues, nothing followed or written', async () => {
  const dir = tempDir();
  const evil = await makeTar([
    { name: '../../evil', body: 'x' },
    { name: '/var/lib/dpkg/status', body: status([['abs', '1']]) },
    { name: 'var/lib/dpkg/status.d/linked', type: 'link', linkname: '../../../../etc/shadow' },
    { name: 'etc/os-release', type: 'symlink', linkname: '../../../../../../usr/lib/os-release' },
    { name: 'usr/lib/os-release', body: 'ID=debian\nVERSION_ID=12\n' },
    { name: 'var/lib/dpkg/status.d/sym', type: 'symlink', linkname: '/etc/passwd' },
    { name: 'dev/null', type: 'character-device' },
    { name: 'a/b/../../../up', body: 'y' },
  ]);
  writeOciLayout(join(dir, 'oci'), [evil], 'gzip');
  const before = readdirSync(dir).sort();
  const r = await inventoryTarget(join(dir, 'oci'), noCache);
  const diffId = sha(evil);
  // the absolute path is read relative to the root; the symlinked os-release climbing out is clamped to the root
  assert.deepEqual(r.document.packages.map((p) => p.purl), ['pkg:deb/debian/abs@1?arch=amd64&distro=debian-12']);
  assert.deepEqual(r.document.os, { id: 'debian', versionId: '12' });
  const issues = r.document.issues.map((i) => `${i.severity} ${i.path ?? '-'} ${i.message.slice(0, 30)}`);
  assert.deepEqual(issues, [
    'warning - entry "../../evil" climbs abov',
    'warning - entry "a/b/../../../up" climbs',
    'info /dev/null character-device entry recorde',
    'warning /var/lib/dpkg/status entry "/var/lib/dpkg/status" h',
    'warning /var/lib/dpkg/status.d/linked hard link "var/lib/dpkg/status',
  ]);
  for (const i of r.document.issues) assert.equal(i.layer, diffId);
  assert.deepEqual(readdirSync(dir).sort(), before);
  assert.equal(existsSync(join(dir, '..', 'evil')), false);
});

test('gzip bomb: reading stops at the layer-size limit with a located error; partial results kept', async () => {
  const dir = tempDir();
  const bomb = await makeTar([
    { name: 'var/lib/dpkg/status', body: status([['early', '1']]) },
    { name: 'zeros', body: Buffer.alloc(48 * 1024 * 1024) },
  ]);
  const { layers: ls } = writeOciLayout(join(dir, 'oci'), [bomb], 'gzip');
  const before = process.memoryUsage.rss();
  const r = await inventoryTarget(join(dir, 'oci'), { ...noCache, limits: { maxLayerBytes: 4 * 1024 * 1024 } });
  assert.ok(process.memoryUsage.rss() - before < 256 * 1024 * 1024, 'memory stays bounded');
  assert.deepEqual(r.document.packages.map((p) => p.name), ['early']);
  const err = r.document.issues.find((i) => i.severity === 'error');
  assert.match(err?.message ?? '', /exceeds 4194304 bytes .*decompression bomb.*last entry read: "zeros"/);
  assert.equal(err?.layer, ls[0]?.diffId);
});

test('gzip bomb by ratio: a layer expanding past the compression ratio is stopped without any size limit hit', async () => {
  const dir = tempDir();
  const bomb = await makeTar([
    { name: 'var/lib/dpkg/status', body: status([['early', '1']]) },
    { name: 'zeros', body: Buffer.alloc(32 * 1024 * 1024) },
  ]);
  writeOciLayout(join(dir, 'oci'), [bomb], 'gzip');
  const r = await inventoryTarget(join(dir, 'oci'), { ...noCache, limits: { ratioCheckAfterBytes: 2 * 1024 * 1024, maxCompressionRatio: 100 } });
  assert.deepEqual(r.document.packages.map((p) => p.name), ['early']);
  assert.match(r.document.issues.find((i) => i.severity === 'error')?.message ?? '', /expands more than 100x its stored size past 2097152 bytes \(decompression bomb\)/);
});

test('truncated layer: a located error naming the layer and last entry; earlier files still analyzed', async () => {
  const dir = tempDir();
  const t = await makeTar([
    { name: 'var/lib/dpkg/status', body: status([['kept', '1']]) },
    { name: 'big.bin', body: Buffer.alloc(200_000, 7) },
  ]);
  const gz = gzipSync(t);
  const oci = writeOciLayout(join(dir, 'oci'), [t], 'gzip');
  // cut the blob in half, keep its name: the manifest digest no longer matches either
  writeFileSync(join(dir, 'oci', 'blobs', 'sha256', (oci.layers[0]?.digest ?? '').slice(7)), gz.subarray(0, Math.floor(gz.length / 2)));
  const r = await inventoryTarget(join(dir, 'oci'), noCache);
  assert.deepEqual(r.document.packages.map((p) => p.name), ['kept']);
  const errs = r.document.issues.filter((i) => i.severity === 'error');
  assert.equal(errs.length, 1);
  assert.match(errs[0]?.message ?? '', /truncated or corrupt \(gzip\).*last entry read: "big.bin".*partial/);
});

for (const [what, delta, pattern] of [
  ['larger', 1_000_000, /truncated or corrupt \(none\): Unexpected end of data/],
  ['smaller', -600, /truncated or corrupt \(none\): Invalid tar header/],
] as const) {
  test(`tar header lying about size (${what} than the data): located error, no crash`, async () => {
    const dir = tempDir();
    const t = await makeTar([
      { name: 'var/lib/dpkg/status', body: status([['ok', '1']]) },
      { name: 'payload', body: Buffer.alloc(4096, 0x41) },
      { name: 'after', body: 'z' },
    ]);
    // header of "payload" follows the status entry: 512 header + status body padded to 512
    const statusLen = Buffer.byteLength(status([['ok', '1']]));
    const off = 512 + Math.ceil(statusLen / 512) * 512;
    const lying = lieAboutSize(t, off, 4096 + delta);
    writeOciLayout(join(dir, 'oci'), [lying], 'none');
    const r = await inventoryTarget(join(dir, 'oci'), noCache);
    assert.deepEqual(r.document.packages.map((p) => p.name), ['ok']);
    const err = r.document.issues.find((i) => i.severity === 'error');
    assert.match(err?.message ?? '', pattern);
    assert.equal(err?.layer, sha(lying));
  });
}

test('a layer blob that does not hash to its manifest digest is reported and never cached', async () => {
  const dir = tempDir();
  const t = await makeTar([{ name: 'var/lib/dpkg/status', body: status([['a', '1']]) }]);
  const oci = writeOciLayout(join(dir, 'oci'), [t], 'gzip');
  writeFileSync(join(dir, 'oci', 'blobs', 'sha256', (oci.layers[0]?.digest ?? '').slice(7)), gzipSync(t, { level: 1 }));
  const store = openStore({ home: join(dir, 'home') });
  try {
    const r = await inventoryTarget(join(dir, 'oci'), { store, workers: 0 });
    assert.match(r.document.issues.find((i) => i.severity === 'error')?.message ?? '', /layer bytes hash to sha256:[0-9a-f]{64}, the manifest says/);
    assert.equal((store.db.prepare('SELECT COUNT(*) AS n FROM scanner_layer_cache').get() as { n: number }).n, 0);
  } finally {
    store.close();
  }
});

test('layer cache: warm rescan reuses every layer after re-hashing it; changed bytes are analyzed again', async () => {
  const dir = tempDir();
  const ls = await layers();
  const oci = writeOciLayout(join(dir, 'oci'), ls, 'gzip');
  const store = openStore({ home: join(dir, 'home') });
  try {
    const cold = await inventoryTarget(join(dir, 'oci'), { store, workers: 0 });
    assert.deepEqual(cold.stats, { layers: 3, cached: 0, analyzed: 3 });
    const warm = await inventoryTarget(join(dir, 'oci'), { store, workers: 0 });
    assert.deepEqual(warm.stats, { layers: 3, cached: 3, analyzed: 0 });
    assert.deepEqual(warm.document, cold.document);
    // Same name, other bytes: the cache entry must not be trusted.
    const p2 = join(dir, 'oci', 'blobs', 'sha256', (oci.layers[1]?.digest ?? '').slice(7));
    writeFileSync(p2, gzipSync(await makeTar([...L2.slice(0, 3)]), { level: 9 }));
    const tampered = await inventoryTarget(join(dir, 'oci'), { store, workers: 0 });
    assert.deepEqual(tampered.stats, { layers: 3, cached: 2, analyzed: 1 });
    assert.ok(tampered.document.issues.some((i) => i.severity === 'error' && /manifest says/.test(i.message)));
    assert.ok(!tampered.document.packages.some((p) => p.name === 'New_Pkg'));
  } finally {
    store.close();
  }
  assert.ok(readFileSync(join(dir, 'home', 'stella.db')).length > 0);
});

test('rootfs directory: symlinks are never followed out of the root (os-release resolved inside it)', async () => {
  const { mkdirSync, symlinkSync } = await import('node:fs');
  const root = join(tempDir(), 'root');
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(join(root, 'usr/lib'), { recursive: true });
  mkdirSync(join(root, 'var/lib/dpkg'), { recursive: true });
  writeFileSync(join(root, 'usr/lib/os-release'), 'ID=testos\nVERSION_ID=7\n');
  // absolute and climbing links that would reach the host's files if followed
  symlinkSync('/usr/lib/os-release', join(root, 'etc/os-release'));
  symlinkSync('../../../../../../var/lib/dpkg/status', join(root, 'var/lib/dpkg/status'));
  const r = await inventoryTarget(root, noCache);
  assert.deepEqual(r.document.os, { id: 'testos', versionId: '7' });
  assert.deepEqual(r.document.packages, []);
});

test('selected bytes per layer are bounded: over the cap is a located warning, not memory growth', async () => {
  const dir = tempDir();
  const t = await makeTar([
    { name: `${SP}/a-1.dist-info/METADATA`, body: meta('a', '1') },
    { name: `${SP}/b-1.dist-info/METADATA`, body: meta('b', '1') + 'x'.repeat(4096) },
  ]);
  writeOciLayout(join(dir, 'oci'), [t], 'gzip');
  const r = await inventoryTarget(join(dir, 'oci'), { ...noCache, limits: { maxSelectedBytes: 1024 } });
  assert.deepEqual(r.document.packages.map((p) => p.name), ['a']);
  assert.deepEqual(r.document.issues.map((i) => [i.severity, i.path]), [['warning', `/${SP}/b-1.dist-info/METADATA`]]);
});

test('cancellation: an aborted signal ends the inventory with a cancelled error, in-thread and with workers', async () => {
  const dir = tempDir();
  writeOciLayout(join(dir, 'oci'), await layers(), 'gzip');
  for (const workers of [0, 2]) {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(inventoryTarget(join(dir, 'oci'), { cache: false, workers, signal: ac.signal }), (e: Error & { code?: string }) => e.code === 'cancelled');
  }
});

test('a gzip-compressed image archive is refused with what to do instead', async () => {
  const dir = tempDir();
  const ls = await layers();
  await writeDockerArchive(join(dir, 'image.tar'), ls);
  writeFileSync(join(dir, 'image.tar.gz'), gzipSync(readFileSync(join(dir, 'image.tar'))));
  await assert.rejects(inventoryTarget(join(dir, 'image.tar.gz'), noCache), /gzip-compressed archive.*run gunzip first/);
});

test('image details: OCI blob digests, stored sizes and media types; per-layer progress by index and digest, in-thread and with workers; the inventory document is unchanged', async () => {
  const ls = await layers();
  const dir = join(tempDir(), 'oci');
  const written = writeOciLayout(dir, ls, 'gzip');
  for (const workers of [0, 2]) {
    const events: { index: number; digest: string; state: string }[] = [];
    const r = await inventoryTarget(dir, { cache: false, workers, onProgress: (p) => p.layer && events.push(p.layer) });
    const d = r.imageDetails;
    assert.ok(d);
    assert.equal(d.digest, written.manifest);
    assert.equal(d.format, 'oci');
    assert.deepEqual([d.architecture, d.os, d.refs], ['amd64', 'linux', []]);
    assert.deepEqual(
      d.layers.map((l) => [l.index, l.digest, l.diffId, l.size, l.mediaType]),
      written.layers.map((l, i) => [i, l.digest, l.diffId, readFileSync(join(dir, 'blobs', 'sha256', l.digest.slice(7))).length, 'application/vnd.oci.image.layer.v1.tar+gzip']),
    );
    // the layer's history is not recorded by this builder: nothing is guessed
    assert.ok(d.layers.every((l) => l.createdBy === undefined));
    for (let i = 0; i < 3; i++) {
      const states = events.filter((e) => e.index === i);
      assert.deepEqual(states.map((e) => e.state), ['queued', 'running', 'done'], `layer ${i} with ${workers} workers`);
      assert.ok(states.every((e) => e.digest === written.layers[i]?.digest));
    }
    assert.deepEqual(Object.keys(r.document.image ?? {}).sort(), ['digest', 'format', 'layers']);
    assert.deepEqual(r.document.image?.layers, written.layers);
  }
});

test('a plain tar of a root filesystem is inventoried like the folder, as one layer without image details', async () => {
  const dir = tempDir();
  const file = join(dir, 'rootfs.tar');
  writeFileSync(file, await makeTar(L1));
  const r = await inventoryTarget(file, noCache);
  assert.equal(r.kind, 'rootfs-tar');
  assert.equal(r.image, null);
  assert.equal(r.imageDetails, null);
  assert.deepEqual(r.os && [r.os.id, r.os.versionId], ['debian', '12']);
  assert.deepEqual(r.document.packages.map((p) => `${p.name}@${p.version}:${p.layer}`).sort(), ['a@1:null', 'b@1:null', 'gone@1:null', 'keep@1:null', 'x@1:null']);
});
