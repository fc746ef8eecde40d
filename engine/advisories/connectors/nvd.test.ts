import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { type AdvisoryError } from '../errors';
import { parseRawInput } from './index';
import { nvdConnector } from './nvd';

// testdata/nvd-cve-api-2.0-page-1.json is hand-written in the NVD CVE API 2.0 response shape
// (no NVD fixture exists in the shared corpus); values follow the public CVE-2021-44228 entry.
const page = () => {
  const url = new URL('./testdata/nvd-cve-api-2.0-page-1.json', import.meta.url);
  return { uri: url.pathname, bytes: readFileSync(url) };
};

test('NVD page: one observation per CVE, CPE matches as affected entries, metrics as given, Rejected → withdrawn', () => {
  const d = parseRawInput(page());
  assert.equal(d.source, 'nvd');
  assert.equal(d.format, 'nvd-cve-api-2.0');
  assert.equal(d.specVersion, '2.0');
  assert.deepEqual(
    d.observations.map((o) => o.advisoryId),
    ['CVE-2021-44228', 'CVE-2023-0001'],
  );
  const log4j = d.observations[0]!;
  assert.match(log4j.details!, /^Apache Log4j2 2\.0-beta9 through 2\.15\.0/);
  assert.equal(log4j.published, '2021-12-10T10:15:09.143');
  assert.equal(log4j.modified, '2023-11-07T03:39:36.747');
  assert.equal(log4j.withdrawn, undefined);
  assert.deepEqual(log4j.severities, [
    { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', source: 'nvd@nist.gov' },
    { type: 'CVSS_V2', score: 'AV:N/AC:M/Au:N/C:C/I:C/A:C', source: 'nvd@nist.gov' },
  ]);
  assert.deepEqual(
    log4j.affected.map((a) => [a.ecosystem, a.name, a.ranges.map((r) => r.events), a.versions]),
    [
      ['CPE', 'cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*', [[{ introduced: '2.0.1' }, { fixed: '2.3.1' }]], []],
      ['CPE', 'cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*', [[{ introduced: '2.4.0' }, { fixed: '2.12.2' }]], []],
      ['CPE', 'cpe:2.3:a:apache:log4j:2.0:beta9:*:*:*:*:*:*', [], ['2.0']],
      ['CPE', 'cpe:2.3:a:siemens:sppa-t3000_ses3000_firmware:*:*:*:*:*:*:*:*', [[{ introduced: '0' }, { last_affected: '5.2' }]], []],
    ],
    'vulnerable matches only; the hardware platform of the AND configuration is context',
  );
  assert.deepEqual(log4j.affected[3]!.ecosystemSpecific, {
    configuration: 1,
    node: 0,
    configurationOperator: 'AND',
    operator: 'OR',
    matchCriteriaId: 'A1A7C2F1-0000-4000-8000-000000000001',
  });
  assert.deepEqual(log4j.databaseSpecific, { vulnStatus: 'Analyzed', sourceIdentifier: 'security@apache.org', cwes: ['CWE-917', 'CWE-502', 'CWE-20'], cisaExploitAdd: '2021-12-10' });
  assert.equal(log4j.references.length, 2);
  const rejected = d.observations[1]!;
  assert.equal(rejected.withdrawn, '2023-02-20T16:12:40.140');
  assert.deepEqual(rejected.affected, []);
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

test('invalid NVD pages name the path', () => {
  const base: Json = JSON.parse(readFileSync(new URL('./testdata/nvd-cve-api-2.0-page-1.json', import.meta.url), 'utf8'));
  const cases: [at: (string | number)[], value: Json | undefined, path: string][] = [
    [['version'], '1.0', '/version'],
    [['vulnerabilities', 1, 'cve', 'id'], undefined, '/vulnerabilities/1/cve/id'],
    [['vulnerabilities', 0, 'cve', 'configurations', 0, 'nodes', 0, 'cpeMatch', 0, 'criteria'], 'cpe:/a:apache:log4j', '/vulnerabilities/0/cve/configurations/0/nodes/0/cpeMatch/0/criteria'],
    [['vulnerabilities', 0, 'cve', 'metrics', 'cvssMetricV31', 0, 'cvssData'], {}, '/vulnerabilities/0/cve/metrics/cvssMetricV31/0/cvssData/vectorString'],
  ];
  for (const [at, value, path] of cases) {
    const doc = mutated(base, at, value);
    assert.throws(() => nvdConnector.parse({ uri: '/t/nvd.json', bytes: Buffer.from(JSON.stringify(doc)) }), (e: AdvisoryError) => e.code === 'invalid-document' && e.details.path === path, path);
  }
});
