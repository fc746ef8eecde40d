import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import semver from 'semver';
import { extractFixtureTarball, needsFixtures } from '../../../build/test-support/fixtures';
import { type AdvisoryError } from '../errors';
import { parseRawInput } from './index';
import { nswgConnector, semverRangeToEvents, subtractPatched } from './nswg';

const root = () => join(extractFixtureTarball('advisories', 'npm', 'nodejs-security-wg-vuln.tar.gz'), 'nodejs-security-wg', 'vuln');
const load = (...p: string[]) => {
  const path = join(root(), ...p);
  return parseRawInput({ uri: path, bytes: readFileSync(path) });
};

test('semver range → OSV events (best effort) and vulnerable-minus-patched for core', () => {
  const events: [range: string, expected: unknown][] = [
    ['<=1.5.1', [{ type: 'SEMVER', events: [{ introduced: '0' }, { last_affected: '1.5.1' }] }]],
    ['<1.0.0', [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }]],
    ['*', [{ type: 'SEMVER', events: [{ introduced: '0' }] }]],
    ['>=2.0.0 <2.3.1 || <1.9.9', [
      { type: 'SEMVER', events: [{ introduced: '2.0.0' }, { fixed: '2.3.1' }] },
      { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.9.9' }] },
    ]],
    ['1.2.3', [{ type: 'SEMVER', events: [{ introduced: '1.2.3' }, { last_affected: '1.2.3' }] }]],
    ['>1.0.0', null], // no inclusive lower-bound event: semverRange alone is evaluated
    ['not a range %%', null],
  ];
  for (const [range, expected] of events) assert.deepEqual(semverRangeToEvents(range), expected, range);

  const cuts: [vulnerable: string, patched: string, expected: string | null][] = [
    ['8.x || 7.x || 5.x', '^8.1.4 || ^7.10.1', '>=8.0.0 <8.1.4 || >=7.0.0 <7.10.1 || >=5.0.0 <6.0.0-0'],
    ['^7.1.0', '^7.2.0', '>=7.1.0 <7.2.0'],
    ['>=6.0.0 <6.2.0 || 5.x || 4.x', '^4.4.6 || ^5.12.0', '>=6.0.0 <6.2.0 || >=5.0.0 <5.12.0 || >=4.0.0 <4.4.6'],
    ['>=6.0.0', '^6.2.0', '>=6.0.0 <6.2.0 || >=7.0.0-0'], // the patched line ends at 7: later majors stay affected
    ['<= 10', '^6.14.4 || ^8.11.4 || >= 10.9.0', '<6.14.4 || >=7.0.0-0 <8.11.4 || >=9.0.0-0 <10.9.0'], // real CORE-54
    ['8.5.0', '^8.6.0', '8.5.0'], // real CORE-42
    ['5.x || 4.x', '^5.10.0 || 4.4.2', '>=5.0.0 <5.10.0 || >=4.0.0 <4.4.2 || >4.4.2 <5.0.0-0'], // real CORE-26
    ['1.x', '*', '<0.0.0-0'],
    ['not a range %%', '1.0.0', null],
  ];
  for (const [v, p, expected] of cuts) {
    const got = subtractPatched(v, p);
    assert.equal(got, expected, `${v} minus ${p}`);
    // Cross-check the arithmetic on sample versions: affected ⇔ in vulnerable and not in patched.
    if (got === null) continue;
    for (const x of ['0.1.0', '4.0.0', '4.4.2', '4.4.3', '5.9.9', '5.10.0', '6.0.0', '6.14.3', '6.14.4', '7.1.0', '7.1.5', '7.2.0', '8.5.0', '8.11.3', '10.0.0', '10.8.9', '10.9.0', '11.0.0']) {
      assert.equal(semver.satisfies(x, got), semver.satisfies(x, v, { loose: true }) && !semver.satisfies(x, p, { loose: true }), `${x} in ${got}`);
    }
  }
});

test('npm advisory: NSWG-ECO id, npm purl, node-semver range kept, CVSS vector as given', needsFixtures('advisories', 'npm', 'nodejs-security-wg-vuln.tar.gz'), () => {
  const d = load('npm', '1.json');
  assert.equal(d.source, 'nodejs-security-wg');
  assert.equal(d.format, 'nswg-eco-json');
  const o = d.observations[0]!;
  assert.equal(o.advisoryId, 'NSWG-ECO-1');
  assert.deepEqual(o.aliases, ['CVE-2014-7205']);
  assert.equal(o.summary, 'Arbitrary JavaScript Execution');
  assert.equal(o.published, '2014-09-27');
  assert.equal(o.modified, '2016-04-28');
  assert.deepEqual(o.affected, [
    {
      ecosystem: 'npm',
      name: 'bassmaster',
      purl: 'pkg:npm/bassmaster',
      semverRange: '<=1.5.1',
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { last_affected: '1.5.1' }] }],
      versions: [],
      databaseSpecific: { patched_versions: '>=1.5.2' },
    },
  ]);
  assert.deepEqual(o.severities, [{ type: 'CVSS_V3', score: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N' }]);
  assert.equal(o.references.length, 2);
});

test('core advisory: affected = vulnerable minus patched, evaluable with semver.satisfies', needsFixtures('advisories', 'npm', 'nodejs-security-wg-vuln.tar.gz'), () => {
  const o = load('core', '1.json').observations[0]!;
  assert.equal(o.advisoryId, 'NSWG-CORE-1');
  assert.deepEqual(o.aliases, ['CVE-2017-1000381']);
  const a = o.affected[0]!;
  assert.equal(a.ecosystem, 'Node.js');
  assert.equal(a.name, 'node');
  const table: [version: string, affected: boolean][] = [
    ['8.1.3', true],
    ['8.1.4', false],
    ['7.10.1', false],
    ['5.12.0', true], // 5.x had no patched release
    ['9.0.0', false],
  ];
  for (const [v, expected] of table) assert.equal(semver.satisfies(v, a.semverRange!), expected, v);
  assert.deepEqual(o.severities, [{ type: 'text', score: 'high', source: 'severity' }]);
});

test('deps assessment: not-affected evidence without affected packages; index files are refused visibly', needsFixtures('advisories', 'npm', 'nodejs-security-wg-vuln.tar.gz'), () => {
  const o = load('deps', '3.json').observations[0]!;
  assert.equal(o.advisoryId, 'NSWG-DEPS-3');
  assert.deepEqual(o.aliases, ['CVE-2024-4761', 'CVE-2024-4947', 'CVE-2024-5274']);
  assert.deepEqual(o.affected, []);
  assert.equal(o.databaseSpecific?.assessment, 'not_affected');
  assert.throws(() => load('core', 'index.json'), (e: AdvisoryError) => e.code === 'not-an-advisory' && /index/.test(e.message));
});

test('invalid Node Security WG documents', () => {
  const cases: [name: string, doc: object, path: string][] = [
    ['/t/vuln/npm/5.json', { id: 5, module_name: 'x', vulnerable_versions: '<<<' }, '/vulnerable_versions'],
    ['/t/vuln/core/9.json', { cve: ['NOT-A-CVE'], vulnerable: '8.x', patched: '^8.1.0' }, '/cve/0'],
    ['/t/vuln/core/mock.json', { cve: ['CVE-2020-1'], vulnerable: '8.x' }, '/'],
  ];
  for (const [uri, doc, path] of cases) {
    assert.throws(() => nswgConnector.parse({ uri, bytes: Buffer.from(JSON.stringify(doc)) }), (e: AdvisoryError) => e.code === 'invalid-document' && e.details.path === path, uri);
  }
});
