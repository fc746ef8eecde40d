import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { extractFixtureTarball, fixture, needsFixtures } from '../../../build/test-support/fixtures';
import { type AdvisoryError } from '../errors';
import { parseRawInput } from './index';
import { osvJsonConnector, osvYamlConnector } from './osv';
import type { RawInput } from './types';

const testdata = (name: string): RawInput => {
  const url = new URL(`./testdata/${name}`, import.meta.url);
  return { uri: url.pathname, bytes: readFileSync(url) };
};

test('PYSEC YAML: ids, aliases, GIT + ECOSYSTEM ranges in event order, versions, references', needsFixtures('advisories', 'pypi-pysec-advisory-database.tar.gz'), () => {
  const root = extractFixtureTarball('advisories', 'pypi-pysec-advisory-database.tar.gz');
  const file = join(root, 'pypa-advisory-database/vulns/accesscontrol/PYSEC-2021-335.yaml');
  const d = parseRawInput({ uri: file, bytes: readFileSync(file) });
  assert.equal(d.source, 'pysec');
  assert.equal(d.format, 'osv-yaml');
  const o = d.observations[0]!;
  assert.equal(o.advisoryId, 'PYSEC-2021-335');
  assert.deepEqual(o.aliases, ['CVE-2021-32807', 'GHSA-qcx9-j53g-ccgf']);
  assert.equal(o.published, '2021-07-30T22:15:00Z');
  assert.equal(o.modified, '2021-09-26T23:32:08.989778Z');
  assert.deepEqual(o.affected, [
    {
      ecosystem: 'PyPI',
      name: 'accesscontrol',
      purl: 'pkg:pypi/accesscontrol',
      ranges: [
        { type: 'GIT', repo: 'https://github.com/zopefoundation/AccessControl', events: [{ introduced: '0' }, { fixed: 'b42dd4badf803bb9fb71ac34cd9cb0c249262f2c' }] },
        { type: 'ECOSYSTEM', events: [{ introduced: '4.0' }, { fixed: '4.3' }, { introduced: '5.0' }, { fixed: '5.2' }] },
      ],
      versions: ['4.0', '4.1', '4.2', '5.0', '5.1'],
    },
  ]);
  assert.equal(o.references.length, 3);
  assert.deepEqual(o.references[1], { type: 'FIX', url: 'https://github.com/zopefoundation/AccessControl/commit/b42dd4badf803bb9fb71ac34cd9cb0c249262f2c' });
  assert.match(o.details!, /^The module `AccessControl` defines security policies for Python code used in restricted code/);

  const withdrawnFile = join(root, 'pypa-advisory-database/vulns/redis/PYSEC-2023-73.yaml');
  const w = parseRawInput({ uri: withdrawnFile, bytes: readFileSync(withdrawnFile) }).observations[0]!;
  assert.equal(w.withdrawn, '2023-06-06T10:37:00Z');
  assert.ok(w.affected[0]!.versions.includes('1.34'), 'quoted numbers stay text');
});

test('GHSA OSV (jsonl line): severities as given incl. database_specific.severity, *_specific kept, source ghsa', needsFixtures('advisories', 'maven', 'osv-scalibr-maven-ghsa.jsonl.gz'), () => {
  const f = fixture('advisories', 'maven', 'osv-scalibr-maven-ghsa.jsonl.gz')!;
  const line = gunzipSync(readFileSync(f)).toString('utf8').split('\n')[0]!;
  const d = parseRawInput({ uri: `${f}#L1`, bytes: Buffer.from(line) });
  assert.equal(d.source, 'ghsa');
  assert.equal(d.specVersion, '1.6.0');
  const o = d.observations[0]!;
  assert.equal(o.advisoryId, 'GHSA-2268-98wh-qfhf');
  assert.deepEqual(o.aliases, ['CVE-2023-50572']);
  assert.deepEqual(o.severities, [
    { type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H' },
    { type: 'text', score: 'MODERATE', source: 'database_specific.severity' },
  ]);
  assert.deepEqual(o.databaseSpecific?.cwe_ids, ['CWE-122', 'CWE-787']);
  assert.equal(o.affected[0]!.name, 'org.jline:jline-parent');
  assert.match(String(o.affected[0]!.databaseSpecific?.source), /github-reviewed\/2023\/12\/GHSA-2268-98wh-qfhf/);
  assert.equal(o.affected[0]!.isSourcePackage, undefined);
});

test('LoopBack OSV: GIT range (with repo) kept beside the SEMVER range; source osv', needsFixtures('advisories', 'npm', 'loopbackio-security'), () => {
  const f = fixture('advisories', 'npm', 'loopbackio-security', 'advisories', 'lbsa-20201130.osv.json')!;
  const d = parseRawInput({ uri: f, bytes: readFileSync(f) });
  assert.equal(d.source, 'osv');
  const a = d.observations[0]!.affected[0]!;
  assert.equal(a.purl, 'pkg:npm/%40loopback/rest');
  assert.deepEqual(
    a.ranges.map((r) => [r.type, r.repo, r.events]),
    [
      ['GIT', 'https://github.com/loopbackio/loopback-next.git', [{ introduced: '02e2ce0a031367438afeaeabdfae2e29e10f25ee' }, { fixed: 'f47fad3f4669c3ceae5e0927dc6098da18df864d' }]],
      ['SEMVER', undefined, [{ introduced: '0' }, { fixed: '9.0.0' }]],
    ],
  );
});

test('Debian and Ubuntu OSV name source packages; related ids are not aliases', () => {
  const deb = parseRawInput(testdata('osv-debian-dsa.json'));
  const o = deb.observations[0]!;
  assert.equal(deb.source, 'osv');
  assert.deepEqual(o.aliases, []);
  assert.deepEqual(o.related, ['CVE-2023-0464', 'CVE-2023-0465', 'CVE-2023-0466', 'CVE-2023-2650']);
  assert.equal(o.affected[0]!.ecosystem, 'Debian:11');
  assert.equal(o.affected[0]!.isSourcePackage, true);

  const ubu = parseRawInput(testdata('osv-ubuntu-usn.yaml'), { source: 'ubuntu' });
  const u = ubu.observations[0]!;
  assert.equal(ubu.source, 'ubuntu');
  assert.equal(ubu.format, 'osv-yaml');
  assert.equal(ubu.specVersion, '1.6.3', 'schema_version stays text in YAML');
  assert.equal(u.affected[0]!.ecosystem, 'Ubuntu:22.04:LTS');
  assert.equal(u.affected[0]!.isSourcePackage, true);
  assert.deepEqual(u.affected[0]!.ecosystemSpecific, { binaries: [{ binary_name: 'libssl3', binary_version: '3.0.2-0ubuntu1.14' }] });
  assert.deepEqual(u.severities, [{ type: 'Ubuntu', score: 'medium' }]);
  assert.equal(u.details, 'David Benjamin discovered that OpenSSL incorrectly handled excessive time\nspent checking DH keys.\n');
});

test('YAML numbers are never rewritten; a JSON array of OSV records gives one observation each', () => {
  const y = parseRawInput({
    uri: '/t/OSV-2024-1.yaml',
    bytes: Buffer.from('id: OSV-2024-1\nmodified: 2024-01-01T00:00:00Z\naffected:\n- package: {ecosystem: PyPI, name: x}\n  versions: [1.10, 010, 2.0]\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: 0\n    - fixed: 1.10\n'),
  });
  const a = y.observations[0]!.affected[0]!;
  assert.deepEqual(a.versions, ['1.10', '010', '2.0']);
  assert.deepEqual(a.ranges[0]!.events, [{ introduced: '0' }, { fixed: '1.10' }]);

  const arr = parseRawInput({
    uri: '/t/vulns.json',
    bytes: Buffer.from(JSON.stringify([{ id: 'GHSA-aaaa-bbbb-cccc', modified: 'x' }, { id: 'GHSA-dddd-eeee-ffff', modified: 'y' }])),
  });
  assert.equal(arr.source, 'ghsa');
  const api = parseRawInput({ uri: '/t/query.json', bytes: Buffer.from(JSON.stringify({ vulns: [{ id: 'PYSEC-2024-1', modified: 'x' }], next_page_token: 'abc' })) });
  assert.deepEqual([api.source, api.observations.map((o) => o.advisoryId)], ['pysec', ['PYSEC-2024-1']]);
  assert.throws(
    () => parseRawInput({ uri: '/t/query.json', bytes: Buffer.from(JSON.stringify({ vulns: [{ id: 'PYSEC-2024-1', modified: 'x', aliases: 7 }] })) }),
    (e: AdvisoryError) => e.details.path === '/vulns/0/aliases',
  );
  assert.deepEqual(
    arr.observations.map((o) => o.advisoryId),
    ['GHSA-aaaa-bbbb-cccc', 'GHSA-dddd-eeee-ffff'],
  );
});

test('invalid OSV documents name the path and what was expected', () => {
  const base = { id: 'OSV-1', modified: '2024-01-01T00:00:00Z' };
  const cases: [doc: object, path: string, expected: RegExp][] = [
    [{ ...base, affected: [{ package: { ecosystem: 'PyPI', name: 'x' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0', fixed: '1' }] }] }] }, '/affected/0/ranges/0/events/0', /exactly one of introduced, fixed, last_affected, limit/],
    [{ ...base, affected: [{ package: { ecosystem: 'PyPI', name: 'x' }, ranges: [{ type: 'RANGE', events: [] }] }] }, '/affected/0/ranges/0/type', /SEMVER, ECOSYSTEM, GIT/],
    [{ ...base, affected: [{ versions: ['1'] }] }, '/affected/0/package', /a package object/],
    [{ ...base, affected: [{ package: { ecosystem: 'PyPI', name: 'x' }, versions: [1] }] }, '/affected/0/versions/0', /a string/],
    [{ ...base, aliases: 'CVE-1' }, '/aliases', /an array/],
    [{ ...base, references: [{ type: 'WEB' }] }, '/references/0/url', /a string/],
  ];
  for (const [doc, path, expected] of cases) {
    const input = { uri: '/t/bad.json', bytes: Buffer.from(JSON.stringify(doc)) };
    assert.throws(
      () => osvJsonConnector.parse(input),
      (e: AdvisoryError) => e.code === 'invalid-document' && e.details.path === path && expected.test(e.message) && e.message.startsWith('/t/bad.json: '),
      path,
    );
  }
  assert.throws(() => osvYamlConnector.parse({ uri: '/t/x.yaml', bytes: Buffer.from('a: &x 1\nb: *x\nc: [') }), (e: AdvisoryError) => e.code === 'invalid-document' && /not valid YAML/.test(e.message));
});

test('YAML alias expansion is capped (billion laughs)', () => {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  const bomb = Buffer.from(`id: OSV-1\nmodified: x\n${lines.join('\n')}\n`);
  assert.throws(() => parseRawInput({ uri: '/t/bomb.yaml', bytes: bomb }), (e: AdvisoryError) => e.code === 'invalid-document' && /bomb\.yaml: not valid YAML/.test(e.message));
});
