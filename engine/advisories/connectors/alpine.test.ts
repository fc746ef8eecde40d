import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import { type AdvisoryError } from '../errors';
import { alpineYamlConnector } from './alpine';
import { parseRawInput } from './index';

const secdb = (...p: string[]) => fixture('advisories', 'distro', 'alpine-secdb', ...p)!;

test('Alpine secdb YAML per branch/repo: observation counts', needsFixtures('advisories', 'distro', 'alpine-secdb'), () => {
  const table: [branch: string, repo: string, observations: number][] = [
    ['v3.3', 'community', 0],
    ['v3.8', 'main', 1090],
    ['v3.11', 'main', 1124], // = distinct first ids of secfixes entries (checked with awk)
    ['v3.11', 'community', 830],
  ];
  for (const [branch, repo, n] of table) {
    const path = secdb(branch, `${repo}.yaml`);
    const d = parseRawInput({ uri: path, bytes: readFileSync(path) });
    assert.equal(d.source, 'alpine-secdb');
    assert.equal(d.format, 'alpine-secdb-yaml');
    assert.equal(d.specVersion, branch);
    assert.equal(d.observations.length, n, `${branch}/${repo}`);
    for (const o of d.observations) for (const a of o.affected) assert.equal(a.ecosystem, `Alpine:${branch}`);
  }
});

test('secfixes: fixed versions as ranges on the origin package, "0" = not affected, extra ids are aliases', needsFixtures('advisories', 'distro', 'alpine-secdb'), () => {
  const path = secdb('v3.8', 'main.yaml');
  const d = parseRawInput({ uri: path, bytes: readFileSync(path) });
  const byId = new Map(d.observations.map((o) => [o.advisoryId, o] as const));
  const ansible = byId.get('CVE-2012-2738')!;
  assert.deepEqual(ansible.affected, [
    { ecosystem: 'Alpine:v3.8', name: 'vte', ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '0.28.2-r12' }] }], versions: [], isSourcePackage: true },
  ]);
  const db = byId.get('CVE-2016-0682')!;
  assert.deepEqual(db.affected, []);
  assert.deepEqual(db.databaseSpecific, { distroversion: 'v3.8', reponame: 'main', notAffected: ['db'] });
  const xen = byId.get('CVE-2017-8904')!;
  assert.deepEqual(xen.aliases, ['XSA-214']);
  assert.equal(xen.affected[0]!.name, 'xen');
});

test('Alpine secdb JSON (hand-made testdata in secdb.alpinelinux.org shape)', () => {
  const url = new URL('./testdata/alpine-v3.19-main.json', import.meta.url);
  const d = parseRawInput({ uri: url.pathname, bytes: readFileSync(url) });
  assert.equal(d.format, 'alpine-secdb-json');
  assert.deepEqual(
    d.observations.map((o) => [o.advisoryId, o.aliases, o.affected.map((a) => `${a.name}<${(a.ranges[0]!.events[1] as { fixed: string }).fixed}`)]),
    [
      ['CVE-2022-1292', [], []],
      ['CVE-2023-46837', ['XSA-449'], ['xen<4.18.0-r2']],
      ['CVE-2023-5363', [], ['openssl<3.1.4-r1']],
      ['CVE-2023-5678', [], ['openssl<3.1.4-r1']],
      ['CVE-2023-6129', [], ['openssl<3.1.4-r5']],
      ['CVE-2023-6237', [], ['openssl<3.1.4-r5']],
      ['CVE-2024-25062', [], ['libxml2<2.11.7-r0']],
    ],
  );
});

test('invalid secdb documents name the path', () => {
  const cases: [yaml: string, path: string][] = [
    ['distroversion: 3.11\nreponame: main\npackages: []\n', '/distroversion'],
    ['distroversion: v3.11\nreponame: main\npackages:\n- pkg:\n    secfixes: {}\n', '/packages/0/pkg/name'],
    ['distroversion: v3.11\nreponame: main\npackages:\n- pkg:\n    name: x\n    secfixes:\n      1.0-r0: CVE-2020-1\n', '/packages/0/pkg/secfixes/1.0-r0'],
  ];
  for (const [yaml, path] of cases) {
    assert.throws(
      () => alpineYamlConnector.parse({ uri: '/t/main.yaml', bytes: Buffer.from(yaml) }),
      (e: AdvisoryError) => e.code === 'invalid-document' && e.details.path === path,
      path,
    );
  }
});
