import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stella } from '../../../build/test-support/cli';
import { fixture, needsFixtures, tempDir } from '../../../build/test-support/fixtures';

const cli = stella;

interface ScanDoc {
  subject: string;
  snapshot: string;
  findings: { vulnerabilityId: string; purl: string | null; installedVersion: string; fixedVersions: string[] }[];
}

const PYSEC = ['advisories', 'pypi-pysec-advisory-database.tar.gz'];
const DIST = ['analyzers', 'python-site-packages', 'debian-bookworm-dist-packages'];

test('stella scan DIR: a root filesystem is inventoried, stored as an SBOM and matched', needsFixtures(...DIST), async () => {
  const home = tempDir();
  assert.equal((await cli(home, 'advisories', 'import', fixture(...PYSEC) as string, '--json')).code, 0);
  const r = await cli(home, 'scan', fixture(...DIST) as string, '--json');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as ScanDoc;
  assert.match(doc.snapshot, /^sha256:[0-9a-f]{64}$/);
  // Debian bookworm ships urllib3 1.26.12; PYSEC/GHSA list CVE-2023-43804 as fixed in 1.26.17.
  const urllib3 = doc.findings.filter((f) => f.purl === 'pkg:pypi/urllib3@1.26.12').map((f) => f.vulnerabilityId);
  assert.ok(urllib3.includes('CVE-2023-43804'), JSON.stringify(urllib3));
  const requests = doc.findings.find((f) => f.purl === 'pkg:pypi/requests@2.28.1' && f.vulnerabilityId === 'CVE-2023-32681');
  assert.deepEqual(requests?.fixedVersions, ['2.31.0']);
  // The inventory was stored as an SBOM, so the UI can show what was scanned.
  const list = JSON.parse((await cli(home, 'sbom', 'list', '--json')).stdout) as { componentCount: number }[];
  assert.equal(list.length, 1);
  assert.equal(list[0]?.componentCount, 7);
});

test('stella scan FILE --as PATH: a lockfile under another name is analyzed and matched', needsFixtures(...PYSEC), async () => {
  const home = tempDir();
  assert.equal((await cli(home, 'advisories', 'import', fixture(...PYSEC) as string, '--json')).code, 0);
  const file = join(tempDir(), 'deps.txt');
  writeFileSync(file, 'requests==2.28.1\nurllib3==1.26.12 \\\n    --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000\n');
  const r = await cli(home, 'scan', file, '--as', 'requirements.txt', '--json');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as ScanDoc;
  const ids = new Set(doc.findings.map((f) => `${f.purl} ${f.vulnerabilityId}`));
  assert.ok(ids.has('pkg:pypi/requests@2.28.1 CVE-2023-32681'), [...ids].join('\n'));
  assert.ok(ids.has('pkg:pypi/urllib3@1.26.12 CVE-2023-43804'), [...ids].join('\n'));
});

test('stella scan without advisories loaded exits 4 before doing any work', async () => {
  const home = tempDir();
  const file = join(tempDir(), 'notes.txt');
  writeFileSync(file, 'just some notes\n');
  const r = await cli(home, 'scan', file, '--json');
  // No advisories are loaded yet: that is reported first (exit 4), before any work is done.
  assert.equal(r.code, 4);
  assert.match(r.stderr, /no advisories are loaded/);
});
