/**
 * Detection modes: a language package that a distro-vendor OS package installed (`ownedBy`) is matched only
 * through the OS package by default, and as a language package too with `--detection comprehensive`, its
 * findings labelled with the OS package. On an SBOM carrying the mark (always runs) and on the real Debian
 * image of ../shared/tools/make-debian-image.sh (where it can be built).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stella } from '../../../build/test-support/cli';
import { fixture, needsFixtures, tempDir } from '../../../build/test-support/fixtures';
import { DEBIAN_IMAGE, debianImageNeeds, ensureDebianImage } from '../../../build/test-support/debian-image';

const cli = stella;

interface ScanDoc {
  detection: string;
  findings: { vulnerabilityId: string; purl: string | null; ownedBy?: string }[];
}

const PYSEC = ['advisories', 'pypi-pysec-advisory-database.tar.gz'];

async function pysecHome(): Promise<string> {
  const home = tempDir();
  const r = await cli(home, 'advisories', 'import', fixture(...PYSEC) as string, '--json');
  assert.equal(r.code, 0, r.stderr);
  return home;
}

const OWNER = 'pkg:deb/debian/python3-requests@2.28.1%2Bdfsg-1?arch=all&distro=debian-12';

test('an SBOM component marked stella:ownedBy: skipped by default, matched and labelled with --detection comprehensive', needsFixtures(...PYSEC), async () => {
  const home = await pysecHome();
  const bom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    components: [
      { type: 'library', 'bom-ref': 'a', name: 'requests', version: '2.28.1', purl: 'pkg:pypi/requests@2.28.1', properties: [{ name: 'stella:ownedBy', value: OWNER }] },
      { type: 'library', 'bom-ref': 'b', name: 'urllib3', version: '1.26.12', purl: 'pkg:pypi/urllib3@1.26.12' },
      { type: 'application', 'bom-ref': 'c', name: 'requests', version: '2.28.0', purl: 'pkg:pypi/requests@2.28.0', properties: [{ name: 'stella:root', value: 'true' }] },
    ],
  };
  const file = join(tempDir(), 'bom.cdx.json');
  writeFileSync(file, JSON.stringify(bom));
  const def = JSON.parse((await cli(home, 'scan', file, '--json')).stdout) as ScanDoc;
  assert.equal(def.detection, 'default');
  assert.deepEqual([...new Set(def.findings.map((f) => f.purl))], ['pkg:pypi/urllib3@1.26.12'], 'the owned package and the root package are not matched');
  const comp = await cli(home, 'scan', file, '--json', '--detection', 'comprehensive');
  assert.equal(comp.code, 0, comp.stderr);
  const doc = JSON.parse(comp.stdout) as ScanDoc;
  assert.equal(doc.detection, 'comprehensive');
  assert.deepEqual([...new Set(doc.findings.map((f) => f.purl))].sort(), ['pkg:pypi/requests@2.28.1', 'pkg:pypi/urllib3@1.26.12'], 'the root package is never matched');
  assert.ok(doc.findings.filter((f) => f.purl === 'pkg:pypi/requests@2.28.1').every((f) => f.ownedBy === OWNER));
  assert.ok(doc.findings.filter((f) => f.purl === 'pkg:pypi/urllib3@1.26.12').every((f) => f.ownedBy === undefined));
  const table = await cli(home, 'scan', file, '--detection', 'comprehensive');
  assert.match(table.stdout, /pkg:pypi\/requests@2\.28\.1 .* \(owned by pkg:deb\/debian\/python3-requests@/);
  assert.match(table.stdout, /detection comprehensive/);
  const bad = await cli(home, 'scan', file, '--detection', 'everything');
  assert.equal(bad.code, 2, 'an unknown mode is a usage error');
});

test('real Debian image: no PyPI finding for the dist-packages Debian installed by default; found and labelled with --detection comprehensive', { ...(fixture(...PYSEC) ? debianImageNeeds : { skip: 'fixture corpus missing' }), timeout: 900_000 }, async (t) => {
  if (!ensureDebianImage(t)) return;
  const home = await pysecHome();
  const oci = join(DEBIAN_IMAGE, 'oci');
  const inv = JSON.parse((await cli(home, 'inventory', oci, '--json')).stdout) as { packages: { type: string; name: string; ownedBy?: string }[] };
  assert.deepEqual(
    inv.packages.filter((p) => p.type === 'pypi').map((p) => `${p.name} ${p.ownedBy?.split('@')[0]}`),
    ['certifi pkg:deb/debian/python3-certifi', 'chardet pkg:deb/debian/python3-chardet', 'charset-normalizer pkg:deb/debian/python3-charset-normalizer', 'idna pkg:deb/debian/python3-idna', 'requests pkg:deb/debian/python3-requests', 'six pkg:deb/debian/python3-six', 'urllib3 pkg:deb/debian/python3-urllib3'],
  );
  const def = await cli(home, 'scan', oci, '--json');
  assert.equal(def.code, 0, def.stderr);
  const d = JSON.parse(def.stdout) as ScanDoc;
  assert.deepEqual(d.findings.filter((f) => f.purl?.startsWith('pkg:pypi/')), [], 'by default the Debian packages speak for them');
  const comp = await cli(home, 'scan', oci, '--json', '--detection', 'comprehensive');
  assert.equal(comp.code, 0, comp.stderr);
  const c = JSON.parse(comp.stdout) as ScanDoc;
  const pypi = c.findings.filter((f) => f.purl?.startsWith('pkg:pypi/'));
  // the four the issue names: requests 2.28.1, urllib3 1.26.12, idna 3.3, certifi 2022.9.24
  assert.deepEqual([...new Set(pypi.map((f) => f.purl))].sort(), ['pkg:pypi/certifi@2022.9.24', 'pkg:pypi/idna@3.3', 'pkg:pypi/requests@2.28.1', 'pkg:pypi/urllib3@1.26.12']);
  for (const f of pypi) assert.match(f.ownedBy ?? '', /^pkg:deb\/debian\/python3-/, `${f.purl} ${f.vulnerabilityId} is labelled with its Debian package`);
  assert.ok(pypi.some((f) => f.purl === 'pkg:pypi/requests@2.28.1' && f.vulnerabilityId === 'CVE-2023-32681'));
});
