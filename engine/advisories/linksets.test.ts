import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { openStore, type Store } from '../store';
import { getLinkset, importAdvisories, searchAdvisories } from './index';

const PARTS = [
  ['advisories', 'npm', 'loopbackio-security', 'advisories'],
  ['advisories', 'maven', 'osv-scalibr-maven-ghsa.jsonl.gz'],
  ['advisories', 'pypi-pysec-advisory-database.tar.gz'],
  ['advisories', 'distro', 'debian-security-tracker'],
  ['advisories', 'npm', 'nodejs-security-wg-vuln.tar.gz'],
];
const gate = needsFixtures(...(PARTS[0] as string[]));
let store: Store;

before(async () => {
  if (gate.skip) return;
  store = openStore({ home: tempDir() });
  const paths = PARTS.map((p) => fixture(...p)).filter((p): p is string => p !== null);
  await importAdvisories(store, paths, { importedAt: '2026-01-01T00:00:00Z' });
});
after(() => store?.close());

test('LoopBack OSV + CSAF pair: one linkset, two unmerged observations', gate, () => {
  const l = getLinkset(store, 'LBSA-20201130');
  assert.ok(l);
  assert.equal(l.id, 'CVE-2020-4988');
  assert.deepEqual(l.aliases, ['LBSA-20201130']);
  assert.deepEqual(
    l.observations.map((o) => [o.source, o.raw.format.split('-')[0]]),
    [
      ['csaf', 'csaf'],
      ['osv', 'osv'],
    ],
  );
  assert.notEqual(l.observations[0]?.raw.digest, l.observations[1]?.raw.digest, 'each observation keeps its own raw document');
  // Both list the same 165 versions; CSAF's self/external reference categories are not OSV reference types.
  assert.deepEqual(l.conflicts, []);
  // The same linkset is reached from the CVE.
  assert.deepEqual(getLinkset(store, 'cve-2020-4988')?.observations.map((o) => o.id), l.observations.map((o) => o.id));
});

test('GHSA / PYSEC / CVE ids reach the same linkset (union through aliases)', gate, () => {
  const ids = ['CVE-2021-22570', 'GHSA-77rm-9x9h-xj3g', 'PYSEC-2022-48'];
  const sets = ids.map((i) => getLinkset(store, i));
  for (const s of sets) {
    assert.equal(s?.id, 'CVE-2021-22570');
    assert.deepEqual(s?.observations.map((o) => `${o.source}:${o.advisoryId}`), ['ghsa:GHSA-77rm-9x9h-xj3g', 'pysec:PYSEC-2022-48']);
    assert.ok(s?.aliases.includes('GHSA-77rm-9x9h-xj3g') && s.aliases.includes('PYSEC-2022-48'));
  }
  const avro = getLinkset(store, 'PYSEC-2023-188');
  const clash = avro?.conflicts.filter((c) => c.kind === 'reference-clash') ?? [];
  assert.ok(clash.length >= 1, 'GHSA and PYSEC classify some of the same URLs differently');
  assert.deepEqual([...new Set(clash[0]?.values.map((v) => v.source))].sort(), ['ghsa', 'pysec']);
  const git = getLinkset(store, 'PYSEC-2020-217');
  assert.deepEqual(git?.observations.map((o) => o.source), ['debian-dla', 'ghsa', 'pysec']);
  assert.equal(git?.id, 'CVE-2014-9390');
});

test('severity-mismatch between sources on real data (CVE-2023-44487: GHSA CVSS vs Node.js WG text level)', gate, () => {
  const l = getLinkset(store, 'CVE-2023-44487');
  const m = l?.conflicts.find((c) => c.kind === 'severity-mismatch');
  assert.ok(m, JSON.stringify(l?.conflicts));
  assert.deepEqual(m.values.map((v) => v.source).sort(), ['ghsa', 'nodejs-security-wg']);
  assert.deepEqual(new Set(m.values.map((v) => (v.value as { level: string }).level)).size, 2);
});

test('a bulletin naming several CVEs joins each CVE linkset without chaining them together', gate, () => {
  const xen = getLinkset(store, 'CVE-2022-42331');
  assert.ok(xen?.observations.some((o) => o.advisoryId === 'DSA-5378-1'));
  assert.equal(xen?.id, 'CVE-2022-42331');
  assert.ok(!xen?.aliases.includes('CVE-2022-42332'), 'other CVEs of the bulletin are not aliases');
  const dsa = getLinkset(store, 'DSA-5378-1');
  assert.equal(dsa?.id, 'DSA-5378-1');
  assert.equal(getLinkset(store, 'CVE-1999-99999999'), null);
});

test('search by id prefix and by summary text, current revisions only', gate, () => {
  const byId = searchAdvisories(store, 'ghsa-269g', 5);
  assert.equal(byId[0]?.advisoryId, 'GHSA-269g-pwp5-87pp', 'id matches come before text mentions');
  const byText = searchAdvisories(store, 'JLine vulnerable to out of memory', 5);
  assert.ok(byText.some((h) => h.advisoryId === 'GHSA-2268-98wh-qfhf'));
  assert.deepEqual(searchAdvisories(store, '', 5), []);
});
