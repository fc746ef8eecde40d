import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { type AdvisoryError } from '../errors';
import { cve5Connector, ecosystemForCollection } from './cve5';
import { parseRawInput } from './index';

// testdata/cve5-*.json are hand-written in the CVE JSON 5.1 record shape (no CVE 5 fixture exists in
// the shared corpus); the published one follows the public CVE-2023-37920 (certifi) record.
const load = (name: string) => {
  const url = new URL(`./testdata/${name}`, import.meta.url);
  return { uri: url.pathname, bytes: readFileSync(url) };
};

test('collectionURL → ecosystem', () => {
  const table: [string | undefined, string | undefined][] = [
    ['https://pypi.org', 'PyPI'],
    ['https://pypi.org/', 'PyPI'],
    ['https://registry.npmjs.org', 'npm'],
    ['https://repo.maven.apache.org/maven2', 'Maven'],
    ['https://pkg.go.dev', 'Go'],
    ['https://crates.io', 'crates.io'],
    ['https://example.com/packages', undefined],
    [undefined, undefined],
  ];
  for (const [url, eco] of table) assert.equal(ecosystemForCollection(url), eco, String(url));
});

test('CVE 5 published record: package ecosystems, ranges, version expressions, cna + adp metrics', () => {
  const d = parseRawInput(load('cve5-published-pypi.json'));
  assert.equal(d.source, 'cve5');
  assert.equal(d.format, 'cve-json-5');
  assert.equal(d.specVersion, '5.1');
  const o = d.observations[0]!;
  assert.equal(o.advisoryId, 'CVE-2023-37920');
  assert.equal(o.summary, 'Removal of e-Tugra root certificate in certifi');
  assert.equal(o.published, '2023-07-25T20:34:30.209Z');
  assert.equal(o.withdrawn, undefined);
  const [pypi, git, appliance] = o.affected;
  assert.deepEqual([pypi!.ecosystem, pypi!.name, pypi!.ranges], ['PyPI', 'certifi', [{ type: 'ECOSYSTEM', events: [{ introduced: '2015.04.28' }, { fixed: '2023.07.22' }] }]]);
  assert.deepEqual([git!.ecosystem, git!.name, git!.versions], ['CVE5', 'certifi:python-certifi-git', []]);
  assert.deepEqual(git!.ranges, [{ type: 'GIT', repo: 'https://github.com/certifi/python-certifi', events: [{ introduced: '0' }, { fixed: '8fb96ed81f71e7097ed11bc4d9b19afd7ea5c909' }] }]);
  assert.deepEqual(git!.ecosystemSpecific?.versionExpressions, ['< 2023.07.22']);
  // defaultStatus affected + "unaffected from 4.2": the fix.
  assert.deepEqual(appliance!.ranges, [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '4.2' }] }]);
  assert.deepEqual(appliance!.ecosystemSpecific?.cpes, ['cpe:2.3:a:example:appliance:*:*:*:*:*:*:*:*']);
  assert.deepEqual(o.severities[0], { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:L/A:N', source: 'GitHub_M' });
  assert.equal(o.severities[1]!.type, 'ssvc');
  assert.equal(o.severities[1]!.source, 'CISA-ADP');
  assert.deepEqual(o.databaseSpecific, { state: 'PUBLISHED', assignerShortName: 'GitHub_M', cwes: ['CWE-345'] });
});

test('CVE 5 rejected record → withdrawn', () => {
  const o = parseRawInput(load('cve5-rejected.json')).observations[0]!;
  assert.equal(o.withdrawn, '2023-02-20T15:00:00.000Z');
  assert.match(o.details!, /withdrawn by its CNA/);
  assert.deepEqual(o.affected, []);
});

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
/** Set (or delete, with undefined) the value at a JSON pointer-like path in a cloned document. */
function mutated(doc: Json, path: (string | number)[], value: Json | undefined): Json {
  const copy = structuredClone(doc);
  let cur = copy as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return copy;
}

test('invalid CVE 5 records name the path', () => {
  const base: Json = JSON.parse(readFileSync(new URL('./testdata/cve5-published-pypi.json', import.meta.url), 'utf8'));
  const cases: [at: (string | number)[], value: Json | undefined, path: string][] = [
    [['dataVersion'], '4.0', '/dataVersion'],
    [['cveMetadata', 'state'], 'RESERVED', '/cveMetadata/state'],
    [['containers', 'cna', 'affected', 0, 'versions', 0, 'status'], 'vulnerable', '/containers/cna/affected/0/versions/0/status'],
    [['containers', 'cna', 'affected', 1], { versions: [] }, '/containers/cna/affected/1'],
  ];
  for (const [at, value, path] of cases) {
    const doc = mutated(base, at, value);
    assert.throws(() => cve5Connector.parse({ uri: '/t/cve.json', bytes: Buffer.from(JSON.stringify(doc)) }), (e: AdvisoryError) => e.code === 'invalid-document' && e.details.path === path, path);
  }
});
