import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FindingRow } from '../../../common/contract';
import { EMPTY_FILTERS, filterFindings, groupFindings, sortFindings, syntheticFindings, toDisplayRows } from './model';

const row = (over: Partial<FindingRow>): FindingRow => ({
  id: over.vulnerabilityId ?? 'x',
  vulnerabilityId: 'CVE-2024-0001',
  aliases: [],
  packageName: 'lodash',
  ecosystem: 'npm',
  componentRef: 'c1',
  installedVersion: '4.17.0',
  fixedVersions: [],
  severity: 'medium',
  score: 5,
  kev: false,
  ...over,
});

const rows: FindingRow[] = [
  row({ id: 'a', vulnerabilityId: 'CVE-2021-44228', packageName: 'log4j-core', ecosystem: 'Maven', severity: 'critical', score: 10, kev: true, fixedVersions: ['2.17.1'] }),
  row({ id: 'b', vulnerabilityId: 'CVE-2020-8203', packageName: 'lodash', severity: 'high', score: 7.4, fixedVersions: ['4.17.19'], aliases: ['GHSA-p6mc-m468-83gw'] }),
  row({ id: 'c', vulnerabilityId: 'PYSEC-2020-1', packageName: 'django', ecosystem: 'PyPI', severity: 'low', score: null }),
  row({ id: 'd', vulnerabilityId: 'CVE-2019-10744', packageName: 'lodash', severity: 'critical', score: 9.1, kev: false }),
  row({ id: 'e', vulnerabilityId: 'CVE-2022-1', packageName: 'zlib', ecosystem: 'Debian', severity: 'unknown', score: null, kev: true }),
];
const ids = (r: FindingRow[]) => r.map((f) => f.id);

test('filter: table of filters', () => {
  const cases: [string, Partial<typeof EMPTY_FILTERS>, string[]][] = [
    ['no filters keep everything in order', {}, ['a', 'b', 'c', 'd', 'e']],
    ['KEV only', { kevOnly: true }, ['a', 'e']],
    ['fixable only', { fixableOnly: true }, ['a', 'b']],
    ['severity set', { severities: ['critical', 'low'] }, ['a', 'c', 'd']],
    ['ecosystem set', { ecosystems: ['npm'] }, ['b', 'd']],
    ['text matches id, case-insensitive', { text: 'cve-2021' }, ['a']],
    ['text matches alias', { text: 'ghsa-p6mc' }, ['b']],
    ['text matches package', { text: 'LODASH' }, ['b', 'd']],
    ['filters combine (AND)', { kevOnly: true, severities: ['critical'] }, ['a']],
    ['nothing matches', { text: 'no-such-thing' }, []],
  ];
  for (const [name, f, want] of cases) assert.deepEqual(ids(filterFindings(rows, { ...EMPTY_FILTERS, ...f })), want, name);
});

test('sort: numeric, textual, nulls last when descending, stable tiebreak', () => {
  assert.deepEqual(ids(sortFindings(rows, 'severity', 'desc')), ['d', 'a', 'b', 'c', 'e']); // ties: by id ascending
  assert.deepEqual(ids(sortFindings(rows, 'severity', 'asc')), ['e', 'c', 'b', 'd', 'a']);
  assert.deepEqual(ids(sortFindings(rows, 'score', 'desc')), ['a', 'd', 'b', 'e', 'c']);
  assert.deepEqual(ids(sortFindings(rows, 'packageName', 'asc')), ['c', 'd', 'b', 'a', 'e']);
  assert.deepEqual(ids(sortFindings(rows, 'kev', 'desc')), ['a', 'e', 'd', 'b', 'c']);
  assert.deepEqual(ids(sortFindings(rows, 'vulnerabilityId', 'asc')), ['d', 'b', 'a', 'e', 'c']);
  assert.deepEqual(ids(sortFindings(rows, 'vulnerabilityId', 'desc')), ['c', 'e', 'a', 'b', 'd']);
  // natural order: digit runs compare as numbers
  const nat = [row({ id: 'x1', vulnerabilityId: 'CVE-2020-10650' }), row({ id: 'x2', vulnerabilityId: 'CVE-2020-9546' })];
  assert.deepEqual(ids(sortFindings(nat, 'vulnerabilityId', 'asc')), ['x2', 'x1']);
  assert.deepEqual(ids(sortFindings(nat, 'severity', 'asc')), ['x2', 'x1'], 'ties follow the natural id order');
  // a subset of an already sorted set sorts consistently
  assert.deepEqual(ids(sortFindings(rows.slice(1, 4), 'severity', 'desc')), ['d', 'b', 'c']);
  // input is not mutated
  assert.deepEqual(ids(rows), ['a', 'b', 'c', 'd', 'e']);
});

test('group: by severity in severity order, by KEV, by fixable, by package; display rows honor collapse', () => {
  assert.deepEqual(groupFindings(rows, 'severity').map((g) => [g.key, ids(g.rows)]), [
    ['critical', ['a', 'd']],
    ['high', ['b']],
    ['low', ['c']],
    ['unknown', ['e']],
  ]);
  assert.deepEqual(groupFindings(rows, 'kev').map((g) => [g.key, g.rows.length]), [['KEV', 2], ['not in KEV', 3]]);
  assert.deepEqual(groupFindings(rows, 'fixable').map((g) => [g.key, g.rows.length]), [['fixable', 2], ['no fix', 3]]);
  assert.deepEqual(groupFindings(rows, 'package').map((g) => g.key), ['django', 'lodash', 'log4j-core', 'zlib']);
  assert.deepEqual(groupFindings(rows, 'ecosystem').map((g) => g.key), ['Debian', 'Maven', 'npm', 'PyPI']);

  const flat = toDisplayRows(rows, 'kev', new Set(['not in KEV']));
  assert.deepEqual(flat.map((r) => (r.kind === 'group' ? `[${r.key}:${r.count}${r.collapsed ? '+' : ''}]` : r.finding.id)), ['[KEV:2]', 'a', 'e', '[not in KEV:3+]']);
  assert.equal(toDisplayRows(rows, 'none').length, 5);
});

test('100,000 synthetic rows: filter, sort and group stay correct at scale (speed is in npm run bench)', () => {
  const big = syntheticFindings(100_000, 7);
  assert.equal(big.length, 100_000);
  assert.deepEqual(syntheticFindings(10, 7), big.slice(0, 10), 'generator is deterministic');

  const kev = filterFindings(big, { ...EMPTY_FILTERS, kevOnly: true });
  assert.ok(kev.length > 1000 && kev.length < 6000, `~3% KEV, got ${kev.length}`);
  assert.ok(kev.every((f) => f.kev));

  const sorted = sortFindings(big, 'score', 'desc');
  for (let i = 1; i < sorted.length; i++) assert.ok((sorted[i - 1]?.score ?? -1) >= (sorted[i]?.score ?? -1), `sorted at ${i}`);

  const groups = groupFindings(sorted, 'severity');
  assert.equal(groups.reduce((n, g) => n + g.rows.length, 0), 100_000);
  assert.deepEqual(groups.map((g) => g.key), ['critical', 'high', 'medium', 'low', 'none', 'unknown']);
  const byPkg = groupFindings(sorted, 'package');
  assert.ok(byPkg.length > 4000);
  assert.equal(toDisplayRows(sorted, 'package').length, 100_000 + byPkg.length);
});
