import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import { type AdvisoryError } from '../errors';
import { epssCsvConnector, kevCsvConnector } from './enrichment';
import { parseRawInput } from './index';

const kev = (...p: string[]) => fixture('advisories', 'kev', ...p)!;

test('KEV JSON catalog: 1,404 records, catalogVersion as spec version', needsFixtures('advisories', 'kev'), () => {
  const d = parseRawInput({ uri: kev('known_exploited_vulnerabilities.json.gz'), bytes: gunzipSync(readFileSync(kev('known_exploited_vulnerabilities.json.gz'))) });
  assert.equal(d.source, 'kev');
  assert.equal(d.format, 'kev-json');
  assert.equal(d.specVersion, '2025.08.25');
  assert.deepEqual(d.observations, []);
  assert.equal(d.kev!.length, 1404);
  const r = d.kev![0]!;
  assert.equal(r.cveId, 'CVE-2025-48384');
  assert.equal(r.vendorProject, 'Git');
  assert.equal(r.dateAdded, '2025-08-25');
  assert.equal(r.dueDate, '2025-09-15');
  assert.equal(r.knownRansomwareCampaignUse, 'Unknown');
  assert.deepEqual(r.cwes, ['CWE-59', 'CWE-436']);
});

test('KEV CSV (newer mirror): 1,460 records, quoted fields with commas', needsFixtures('advisories', 'kev'), () => {
  const p = kev('known_exploited_vulnerabilities-mirror-2025-11.csv.gz');
  const d = parseRawInput({ uri: p, bytes: gunzipSync(readFileSync(p)) });
  assert.equal(d.format, 'kev-csv');
  assert.equal(d.kev!.length, 1460);
  assert.deepEqual(d.kev![0], {
    cveId: 'CVE-2025-64446',
    vendorProject: 'Fortinet',
    product: 'FortiWeb',
    vulnerabilityName: 'Fortinet FortiWeb Path Traversal Vulnerability',
    dateAdded: '2025-11-14',
    shortDescription:
      'Fortinet FortiWeb contains a relative path traversal vulnerability that may allow an unauthenticated attacker to execute administrative commands on the system via crafted HTTP or HTTPS requests.',
    requiredAction: 'Apply mitigations per vendor instructions, follow applicable BOD 22-01 guidance for cloud services, or discontinue use of the product if mitigations are unavailable.',
    dueDate: '2025-11-21',
    knownRansomwareCampaignUse: 'Unknown',
    notes: 'https://www.fortiguard.com/psirt/FG-IR-25-910 ; https://nvd.nist.gov/vuln/detail/CVE-2025-64446',
    cwes: ['CWE-23'],
  });
  // Every CVE of the older JSON catalog is still in the newer CSV.
  const json = parseRawInput({ uri: kev('known_exploited_vulnerabilities.json.gz'), bytes: gunzipSync(readFileSync(kev('known_exploited_vulnerabilities.json.gz'))) });
  const csvIds = new Set(d.kev!.map((r) => r.cveId));
  assert.equal(json.kev!.filter((r) => !csvIds.has(r.cveId)).length, 0);
});

test('the KEV JSON Schema is refused as unsupported-format, saying what it is', needsFixtures('advisories', 'kev'), () => {
  const p = kev('known_exploited_vulnerabilities_schema.json');
  assert.throws(
    () => parseRawInput({ uri: p, bytes: readFileSync(p) }),
    (e: AdvisoryError) => e.code === 'unsupported-format' && /JSON Schema of the CISA KEV catalog, not a KEV catalog/.test(e.message),
  );
});

test('EPSS CSV (hand-made testdata with the published header): model version, score date, scores', () => {
  const url = new URL('./testdata/epss_scores-2023-03-28.csv', import.meta.url);
  const d = parseRawInput({ uri: url.pathname, bytes: readFileSync(url) });
  assert.equal(d.source, 'epss');
  assert.equal(d.specVersion, 'v2023.03.01');
  assert.deepEqual(d.epss![1], { cveId: 'CVE-2021-44228', epss: 0.97565, percentile: 0.99997, date: '2023-03-28' });
  assert.equal(d.epss!.length, 3);
});

test('bad CSV rows are errors naming the line', () => {
  const cases: [connector: typeof kevCsvConnector, text: string, re: RegExp][] = [
    [epssCsvConnector, '#model_version:v1,score_date:2023-01-01T00:00:00+0000\ncve,epss,percentile\nCVE-2020-0001,1.5,0.5\n', /line 3: epss: expected a probability between 0 and 1/],
    [epssCsvConnector, 'cve,epss,percentile\nCVE-2020-0001,0.5\n', /line 2: percentile: expected a percentile/],
    [epssCsvConnector, 'cve,epss,percentile\nnope,0.5,0.5\n', /line 2: cve: expected a CVE id, found "nope"/],
    [kevCsvConnector, 'cveID,vendorProject,product,dateAdded\nCVE-2020-0001,a,"b,c\n', /line 2: unterminated quoted field/],
    [kevCsvConnector, 'cveID,vendorProject,product,dateAdded\nCVE-2020-0001,a,b\n', /line 2: expected 4 fields \(as the header\), found 3/],
  ];
  for (const [c, text, re] of cases) {
    assert.throws(() => c.parse({ uri: '/t/x.csv', bytes: Buffer.from(text) }), (e: AdvisoryError) => e.code === 'invalid-document' && re.test(e.message), text);
  }
});
