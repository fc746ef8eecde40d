import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import { AdvisoryError } from '../errors';
import { isInputError, readInputs } from '../input';
import { CONNECTORS, parseRawInput } from './index';

interface Tally {
  perFormat: Record<string, { documents: number; observations: number; kev: number; epss: number }>;
  failures: Record<string, string[]>; // code → uris (relative)
  ms: number;
}

async function importAll(paths: string[], root: string): Promise<Tally> {
  const t: Tally = { perFormat: {}, failures: {}, ms: 0 };
  const start = performance.now();
  const fail = (code: string, uri: string) => (t.failures[code] ??= []).push(uri.slice(root.length + 1));
  for await (const item of readInputs(paths)) {
    if (isInputError(item)) {
      fail(item.error.code, item.uri);
      continue;
    }
    try {
      const d = parseRawInput(item);
      const k = `${d.source} ${d.format}`;
      const row = (t.perFormat[k] ??= { documents: 0, observations: 0, kev: 0, epss: 0 });
      row.documents++;
      row.observations += d.observations.length;
      row.kev += d.kev?.length ?? 0;
      row.epss += d.epss?.length ?? 0;
    } catch (e) {
      assert.ok(e instanceof AdvisoryError, `unexpected ${String(e)}`);
      assert.ok(e.message.startsWith(item.uri), `error message names the document: ${e.message}`);
      fail(e.code, item.uri);
    }
  }
  t.ms = performance.now() - start;
  return t;
}

test('every advisory fixture imports: per-source document/observation counts', needsFixtures('advisories'), async (t) => {
  const root = fixture('advisories')!;
  const tally = await importAll([root], root);
  t.diagnostic(`imported the advisory corpus in ${tally.ms.toFixed(0)} ms`);
  for (const [k, v] of Object.entries(tally.perFormat)) t.diagnostic(`${k}: ${JSON.stringify(v)}`);
  const row = (documents: number, observations: number, kev = 0, epss = 0) => ({ documents, observations, kev, epss });
  assert.deepEqual(tally.perFormat, {
    'alpine-secdb alpine-secdb-yaml': row(18, 11453),
    'debian-dla debian-dla-list': row(1, 3534),
    'debian-dsa debian-dsa-list': row(1, 5406),
    'kev kev-csv': row(1, 0, 1460),
    'kev kev-json': row(1, 0, 1404),
    'ghsa osv-json': row(364, 364),
    'csaf csaf-json': row(1, 1),
    'osv osv-json': row(1, 1),
    'nodejs-security-wg nswg-core-json': row(171, 171),
    'nodejs-security-wg nswg-deps-json': row(6, 6),
    'nodejs-security-wg nswg-eco-json': row(467, 467),
    'pysec osv-yaml': row(2661, 2661),
  });
  const tgz = 'npm/nodejs-security-wg-vuln.tar.gz!/nodejs-security-wg';
  assert.deepEqual(tally.failures, {
    'not-an-advisory': [
      'distro/alpine-secdb/README.md',
      'npm/loopbackio-security/LICENSE',
      'npm/loopbackio-security/advisories/README.md',
      'npm/loopbackio-security/advisories/lbsa-20201130.csaf.json.license',
      'npm/loopbackio-security/advisories/lbsa-20201130.osv.json.license',
      `${tgz}/LICENSE.md`,
      `${tgz}/vuln/README.md`,
      `${tgz}/vuln/core/index.json`,
      `${tgz}/vuln/deps/index.json`,
      `${tgz}/vuln/npm/index.json`,
      'pypi-pysec-advisory-database.tar.gz!/pypa-advisory-database/LICENSE',
      'pypi-pysec-advisory-database.tar.gz!/pypa-advisory-database/vulns/.id-allocator',
    ].sort(),
    // The KEV JSON Schema next to the catalog is refused by name.
    'unsupported-format': ['kev/known_exploited_vulnerabilities_schema.json'],
    // The Node Security WG's own schema-test mocks are not numbered advisories.
    'invalid-document': [`${tgz}/test/fixtures/valid-vuln.json`, `${tgz}/test/fixtures/wrong-vuln.json`],
  });
});

test('SBOMs, VEX and schemas are not mistaken for advisories', needsFixtures('sbom', 'cyclonedx-bom-examples'), async () => {
  const root = fixture()!;
  const paths = ['sbom/cyclonedx-bom-examples', 'sbom/spdx-tools-python', 'vex/openvex-vexctl/examples/openvex', 'vex/openvex-spec/openvex_json_schema.json'].map((p) => join(root, p));
  const tally = await importAll(paths, root);
  assert.deepEqual(tally.perFormat, {}, 'no connector claimed any of these documents');
  assert.ok((tally.failures['unsupported-format'] ?? []).length >= 30);
  assert.deepEqual(Object.keys(tally.failures).sort(), ['not-an-advisory', 'unsupported-format']);
  const bom = join(root, 'sbom/cyclonedx-bom-examples/SBOM/dropwizard-1.3.15/bom.json');
  assert.throws(
    () => parseRawInput({ uri: bom, bytes: readFileSync(bom) }),
    (e: AdvisoryError) => e.code === 'unsupported-format' && /this is a CycloneDX SBOM, not an advisory document/.test(e.message) && e.details.file === bom,
  );
});

test('dispatch: source override, empty input, invalid JSON, unknown text', () => {
  const osv = { uri: '/x/GHSA-1.json', bytes: Buffer.from('{"id":"GHSA-xxxx-yyyy-zzzz","modified":"2024-01-01T00:00:00Z"}') };
  assert.equal(parseRawInput(osv).source, 'ghsa');
  assert.equal(parseRawInput(osv, { source: 'github' }).source, 'github');
  const cases: [string, string, string, RegExp][] = [
    ['/x/empty.json', '', 'unsupported-format', /empty document/],
    ['/x/broken.json', '{"id": ', 'invalid-document', /broken\.json: not valid JSON/],
    ['/x/notes.txt', 'hello world', 'unsupported-format', /unrecognized text document \(first line: "hello world"\)/],
    ['/x/a.yaml', 'id: [unclosed', 'invalid-document', /a\.yaml: not valid YAML/],
    ['/x/other.json', '{"foo": 1}', 'unsupported-format', /unrecognized JSON document \(top-level: foo\)/],
    ['/x/deep.json', `{"id":"OSV-1","modified":"x","database_specific":${'['.repeat(300)}${']'.repeat(300)}}`, 'invalid-document', /deep\.json: JSON nested deeper than 256 levels/],
  ];
  for (const [uri, text, code, re] of cases) {
    assert.throws(
      () => parseRawInput({ uri, bytes: Buffer.from(text) }),
      (e: AdvisoryError) => e.code === code && re.test(e.message),
      uri,
    );
  }
});

test('CONNECTORS: unique syntax/name pairs, each detects its own testdata', () => {
  const seen = new Set(CONNECTORS.map((c) => `${c.name}/${c.syntax}`));
  assert.equal(seen.size, CONNECTORS.length);
  const dir = new URL('./testdata/', import.meta.url);
  const table: [file: string, connector: string][] = [
    ['nvd-cve-api-2.0-page-1.json', 'nvd'],
    ['cve5-published-pypi.json', 'cve5'],
    ['debian-tracker.json', 'debian-security-tracker'],
    ['epss_scores-2023-03-28.csv', 'epss'],
    ['alpine-v3.19-main.json', 'alpine-secdb'],
    ['osv-debian-dsa.json', 'osv'],
    ['osv-ubuntu-usn.yaml', 'osv'],
  ];
  for (const [file, name] of table) {
    const input = { uri: new URL(file, dir).pathname, bytes: readFileSync(new URL(file, dir)) };
    const c = CONNECTORS.find((x) => x.name === name && x.detect(input));
    assert.ok(c, `${name} detects ${file}`);
    // parse() (standalone, parses the bytes itself) and parseRawInput (dispatch) agree.
    assert.deepEqual(c.parse(input), parseRawInput(input), file);
  }
});
