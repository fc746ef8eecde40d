import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { memoryFile as file } from '../../sdk/testing';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import apk from './index';

const DB = '/lib/apk/db/installed';


async function analyzeFixture(rel: string) {
  const p = fixture('analyzers', 'apk-installed', rel) as string;
  return apk.analyze([file(DB, readFileSync(p))], { foundBy: 'os/apk@1', target: 'file' });
}

/** [fixture, expected "name=version arch=… src=origin" sorted, expected issue severity@line] */
const cases: [string, string[], string[]][] = [
  ['osv-scanner/empty_installed', [], []],
  ['osv-scanner/single_installed', ['apk-tools=2.12.10-r1 arch=x86_64 src=apk-tools'], []],
  ['osv-scanner/shuffled_installed', ['apk-tools=2.12.10-r1 arch=x86_64 src=apk-tools'], []],
  [
    'osv-scanner/multiple_installed',
    ['alpine-baselayout-data=3.4.0-r0 arch=x86_64 src=alpine-baselayout', 'busybox=1.35.0-r29 arch=x86_64 src=busybox', 'musl=1.2.3-r4 arch=x86_64 src=musl'],
    [],
  ],
  // Free-text lines are located warnings; the two records without "P:" (lines 8, 72) are skipped with a
  // warning; busybox (record at line 92, no "V:") is kept unversioned with a warning.
  [
    'osv-scanner/malformed_installed',
    ['busybox=undefined arch=x86_64 src=busybox'],
    ['warning@2', 'warning@6', 'warning@71', 'warning@91', 'warning@8', 'warning@72', 'warning@92'],
  ],
  ['osv-scanner/not_installed', [], ['error@undefined']],
  ['syft/alpine__single', ['musl-utils=1.1.24-r2 arch=x86_64 src=musl'], []],
  [
    'syft/alpine__multiple-1/lib/apk/db/installed',
    ['bash=5.2.21-r0 arch=x86_64 src=bash', 'busybox-binsh=1.36.1-r15 arch=x86_64 src=busybox', 'musl=1.2.4_git20230717-r4 arch=x86_64 src=musl', 'readline=8.2.1-r2 arch=x86_64 src=readline'],
    [],
  ],
];

for (const [rel, expected, issues] of cases) {
  test(`os/apk: ${rel}`, needsFixtures('analyzers', 'apk-installed', rel), async () => {
    const r = await analyzeFixture(rel);
    const got = r.packages.map((p) => `${p.name}=${p.version} arch=${p.properties?.arch} src=${p.source?.name}`).sort();
    assert.deepEqual(got, expected);
    assert.deepEqual(
      r.issues.map((i) => `${i.severity}@${i.line}`),
      issues,
    );
    for (const i of r.issues) assert.equal(i.path, DB);
    for (const p of r.packages) {
      assert.equal(p.purl.type, 'apk');
      assert.equal(p.purl.version, p.version);
      assert.equal(p.distroBound, true);
      assert.deepEqual(p.locations, [DB]);
    }
  });
}

test('os/apk: dependencies resolve through provides (so:, cmd:) to installed packages', needsFixtures('analyzers', 'apk-installed', 'syft/alpine__multiple-1/lib/apk/db/installed'), async () => {
  const r = await analyzeFixture('syft/alpine__multiple-1/lib/apk/db/installed');
  const edges = r.relationships.map((e) => `${e.from} -> ${e.to}`).sort();
  assert.ok(edges.includes('bash:x86_64 -> musl:x86_64'), edges.join('\n'));
  assert.ok(edges.includes('bash:x86_64 -> readline:x86_64'), edges.join('\n'));
  for (const e of r.relationships) assert.notEqual(e.from, e.to);
});

test('os/apk: each package lists the files it installed (F: directories + R: files)', needsFixtures('analyzers', 'apk-installed', 'syft/alpine__multiple-1/lib/apk/db/installed'), async () => {
  const r = await analyzeFixture('syft/alpine__multiple-1/lib/apk/db/installed');
  assert.deepEqual(Object.fromEntries(r.packages.map((p) => [p.name, p.files])), {
    bash: undefined,
    'busybox-binsh': ['/bin/sh'],
    musl: ['/lib/ld-musl-x86_64.so.1', '/lib/libc.musl-x86_64.so.1'],
    readline: ['/etc/inputrc', '/usr/lib/libreadline.so.8'],
  });
});

test('os/apk: a file that is not an apk database is rejected with an error naming the expected format', async () => {
  const r = await apk.analyze([file(DB, Buffer.from('{"name": "not apk"}\n'))], { foundBy: 'os/apk@1', target: 'file' });
  assert.equal(r.packages.length, 0);
  assert.equal(r.issues.length, 1);
  assert.equal(r.issues[0]?.severity, 'error');
  assert.match(r.issues[0]?.message ?? '', /not an apk installed database/);
});

test('os/apk: a malformed record is a located issue and the good ones are still reported; no version is an empty version', async () => {
  const text = ['P:good', 'V:1.0-r0', 'A:x86_64', '', 'V:2.0-r0', 'A:x86_64', 'this is not apk', '', 'P:noversion', 'A:x86_64', '', 'P:last', 'V:3.0-r1', ''].join('\n');
  const r = await apk.analyze([file('/lib/apk/db/installed', text)], { foundBy: 'os/apk@2', target: 'file' });
  assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version ?? ''}`), ['good@1.0-r0', 'noversion@', 'last@3.0-r1']);
  assert.deepEqual(r.issues.map((i) => `${i.severity}@${i.line}`), ['warning@7', 'warning@5', 'warning@9']);
});
