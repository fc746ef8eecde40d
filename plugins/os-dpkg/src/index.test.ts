import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { memoryFile as file } from '../../sdk/testing';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import dpkg from './index';


async function analyzeFixture(rel: string, at = '/var/lib/dpkg/status') {
  const p = fixture('analyzers', 'dpkg-status', rel) as string;
  return dpkg.analyze([file(at, readFileSync(p))], { foundBy: 'os/dpkg@1', target: 'file' });
}

/** [fixture, expected "name=version[ src=name@version]" sorted, expected issue severities+lines] */
const cases: [string, string[], string[]][] = [
  ['osv-scanner/empty_status', [], []],
  ['osv-scanner/single_status', ['sudo=1.8.27-1+deb10u1 arch=amd64 src=sudo@1.8.27-1+deb10u1'], []],
  [
    'osv-scanner/multiple_status',
    [
      'base-files=12.4+deb12u5 arch=amd64 src=base-files@12.4+deb12u5',
      'bash=5.1-2+deb11u1 arch=amd64 src=bash@5.1-2+deb11u1',
      'bsdutils=1:2.36.1-8+deb11u1 arch=amd64 src=util-linux@2.36.1-8+deb11u1',
      'libc6=2.31-13+deb11u5 arch=amd64 src=glibc@2.31-13+deb11u5',
    ],
    ['warning@76'],
  ],
  ['osv-scanner/shuffled_status', ['libc6=2.31-13+deb11u5 arch=amd64 src=glibc@2.31-13+deb11u5'], []],
  ['osv-scanner/source_ver_override_status', ['dmeventd=2:1.02.145-4.1ubuntu3 arch=amd64 src=lvm2@2.02.176-4.1ubuntu3'], []],
  // osv-scanner: bash (no version) and util-linux — the latter from a paragraph with no Package field, which
  // osv-scanner names by its Source; we report binary packages, and a paragraph without one is a located issue
  ['osv-scanner/malformed_status', ['bash= arch=amd64 src=bash@'], ['warning@1', 'warning@3', 'warning@5', 'warning@39', 'warning@43', 'warning@61', 'warning@63', 'warning@87', 'warning@90']],
  ['osv-scanner/not_status', [], ['error@1']],
  ['syft/debian__var__lib__dpkg__status.d__deinstall', ['linux-image-6.14.0-1012-aws=6.14.0-1012.12~24.04.1 arch=amd64 src=linux-signed-aws-6.14@6.14.0-1012.12~24.04.1'], []],
  [
    'syft/debian__var__lib__dpkg__status.d__multiple',
    // Syft: "no-version" is reported without a version
    ['no-version= arch= src=no-version@', 'tzdata=2020a-0+deb10u1 arch=all src=tzdata-dev@2020a-0+deb10u1', 'util-linux=2.33.1-0.1 arch=amd64 src=util-linux@2.33.1-0.1'],
    ['warning@1', 'warning@3'],
  ],
];

for (const [rel, expected, issues] of cases) {
  test(`os/dpkg: ${rel}`, needsFixtures('analyzers', 'dpkg-status', rel), async () => {
    const r = await analyzeFixture(rel);
    const got = r.packages.map((p) => `${p.name}=${p.version ?? ''} arch=${p.properties?.arch ?? ''} src=${p.source?.name}@${p.source?.version ?? ''}`).sort();
    assert.deepEqual(got, expected);
    assert.deepEqual(r.issues.map((i) => `${i.severity}@${i.line}`).sort((a, b) => Number(a.split('@')[1]) - Number(b.split('@')[1])), issues);
    for (const i of r.issues) assert.equal(i.path, '/var/lib/dpkg/status');
    for (const p of r.packages) {
      assert.equal(p.purl.type, 'deb');
      assert.equal(p.purl.version, p.version, 'the purl carries the full version, epoch included');
      assert.equal(p.distroBound, true);
      assert.deepEqual(p.locations, ['/var/lib/dpkg/status']);
    }
  });
}

test('os/dpkg: not-a-status file is rejected with a located error naming what was expected', needsFixtures('analyzers', 'dpkg-status', 'osv-scanner/not_status'), async () => {
  const r = await analyzeFixture('osv-scanner/not_status');
  assert.equal(r.packages.length, 0);
  assert.match(r.issues[0]?.message ?? '', /not a dpkg status file.*expected/);
});

test('os/dpkg: Depends / Pre-Depends become relationships between installed packages', needsFixtures('analyzers', 'dpkg-status', 'osv-scanner/multiple_status'), async () => {
  const r = await analyzeFixture('osv-scanner/multiple_status');
  assert.deepEqual(
    r.relationships.map((x) => `${x.from}>${x.to}`).sort(),
    ['bash:amd64>base-files:amd64', 'bash:amd64>libc6:amd64', 'bsdutils:amd64>libc6:amd64'],
  );
});

test('os/dpkg: config-files and not-installed states are not packages; unknown states are located warnings', async () => {
  const text = ['Package: a', 'Status: deinstall ok config-files', 'Version: 1', '', 'Package: b', 'Status: install ok unpacked', 'Version: 1:2-3', 'Architecture: arm64', '', 'Package: c', 'Status: install ok weird', 'Version: 1', ''].join('\n');
  const r = await dpkg.analyze([file('/var/lib/dpkg/status', Buffer.from(text))], { foundBy: 'os/dpkg@1', target: 'file' });
  assert.deepEqual(r.packages.map((p) => `${p.name}=${p.version}`), ['b=1:2-3']);
  assert.deepEqual(r.issues.map((i) => [i.line, i.severity]), [[10, 'warning']]);
});

test('os/dpkg: installed-file lists (info/*.list, distroless status.d/*.md5sums) become installedFiles', async () => {
  const r = await dpkg.analyze(
    [
      file('/var/lib/dpkg/status', ['Package: python3-requests', 'Status: install ok installed', 'Architecture: all', 'Version: 2.28.1+dfsg-1', '', 'Package: libc6', 'Status: install ok installed', 'Architecture: amd64', 'Version: 2.36-9', ''].join('\n')),
      file('/var/lib/dpkg/info/python3-requests.list', '/.\n/usr\n/usr/lib/python3/dist-packages/requests-2.28.1.egg-info\n/usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO\n'),
      file('/var/lib/dpkg/info/libc6:amd64.list', '/lib/x86_64-linux-gnu/libc.so.6\n'),
      file('/var/lib/dpkg/status.d/tzdata.md5sums', 'd41d8cd98f00b204e9800998ecf8427e  usr/share/zoneinfo/UTC\n'),
    ],
    { foundBy: 'os/dpkg@2', target: 'rootfs' },
  );
  assert.deepEqual(r.issues, []);
  assert.deepEqual(r.packages.map((p) => p.id), ['python3-requests:all', 'libc6:amd64']);
  assert.deepEqual(r.installedFiles, [
    { package: 'libc6:amd64', source: '/var/lib/dpkg/info/libc6:amd64.list', paths: ['/lib/x86_64-linux-gnu/libc.so.6'] },
    { package: 'python3-requests', source: '/var/lib/dpkg/info/python3-requests.list', paths: ['/usr', '/usr/lib/python3/dist-packages/requests-2.28.1.egg-info', '/usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO'] },
    { package: 'tzdata', source: '/var/lib/dpkg/status.d/tzdata.md5sums', paths: ['/usr/share/zoneinfo/UTC'] },
  ]);
});
