import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { openStore, type Store } from '../store';
import { fixedClock, newComponent, sequentialIds, type Inventory, type Observation } from '../core';
import { importAdvisories } from '../advisories';
import { explainFinding, getScan, listScans, scanInventory } from './index';

const PARTS = [
  ['advisories', 'maven', 'osv-scalibr-maven-ghsa.jsonl.gz'],
  ['advisories', 'distro', 'debian-security-tracker', 'DSA', 'list'],
  ['advisories', 'distro', 'alpine-secdb', 'v3.11'],
  ['advisories', 'npm', 'loopbackio-security', 'advisories', 'lbsa-20201130.osv.json'],
  ['advisories', 'kev', 'known_exploited_vulnerabilities.json.gz'],
];
const gate = needsFixtures(...(PARTS[0] as string[]));
let store: Store;
const clock = fixedClock('2026-02-01T00:00:00.000Z');

function inventory(purls: string[]): Inventory {
  return {
    document: { format: 'cyclonedx-json', specVersion: '1.6', tools: [], authors: [], properties: [], extra: {} },
    components: purls.map((p, i) => newComponent({ ref: `c${String(i).padStart(5, '0')}`, name: p, type: 'library', purl: p })),
    dependencies: [],
  };
}

before(async () => {
  if (gate.skip) return;
  store = openStore({ home: tempDir() });
  const paths = PARTS.map((p) => fixture(...p)).filter((p): p is string => p !== null);
  const r = await importAdvisories(store, paths, { importedAt: '2026-01-01T00:00:00.000Z' });
  assert.equal(r.rejected.length, 0, JSON.stringify(r.rejected));
});
after(() => store?.close());

test('real GHSA advisories with explicit versions: an affected version matches, the fixed version does not', gate, async () => {
  const obs = (store.db.prepare("SELECT body FROM adv_observations WHERE source = 'ghsa' ORDER BY advisory_id").all() as { body: string }[]).map((r) => JSON.parse(r.body) as Observation);
  interface Case {
    advisoryId: string;
    affectedPurl: string;
    fixedPurl: string;
  }
  const cases: Case[] = [];
  for (const o of obs) {
    if (o.withdrawn) continue;
    for (const p of o.affected) {
      if (!p.purl || !p.versions.length || p.purl.includes('@')) continue;
      const fixed = p.ranges.flatMap((r) => (r.type === 'GIT' ? [] : r.events.flatMap((e) => ('fixed' in e ? [e.fixed] : []))));
      const allListed = new Set(o.affected.filter((q) => q.purl === p.purl).flatMap((q) => q.versions));
      const fix = fixed.find((f) => !allListed.has(f));
      const version = p.versions[Math.floor(p.versions.length / 2)] as string;
      if (!fix) continue;
      const enc = (v: string) => encodeURIComponent(v);
      cases.push({ advisoryId: o.advisoryId, affectedPurl: `${p.purl}@${enc(version)}`, fixedPurl: `${p.purl}@${enc(fix)}` });
    }
  }
  assert.ok(cases.length >= 300, `expected most of the 364 GHSA records to give a case, got ${cases.length}`);
  const purls = [...new Set(cases.flatMap((c) => [c.affectedPurl, c.fixedPurl]))].sort();
  const r = await scanInventory(store, inventory(purls), { subject: 'ghsa-cases', clock, ids: sequentialIds(), persist: false });
  const hits = new Map<string, Set<string>>();
  for (const f of r.findings) {
    const s = hits.get(f.purl as string) ?? new Set<string>();
    for (const e of f.evidence) s.add(e.advisoryId);
    hits.set(f.purl as string, s);
  }
  const failures: string[] = [];
  for (const c of cases) {
    if (!hits.get(c.affectedPurl)?.has(c.advisoryId)) failures.push(`${c.advisoryId}: ${c.affectedPurl} should match`);
    if (hits.get(c.fixedPurl)?.has(c.advisoryId)) failures.push(`${c.advisoryId}: ${c.fixedPurl} (fixed) should not match`);
  }
  assert.deepEqual(failures, []);
});

test('findings carry preferred id, aliases, fixed versions, severity (given + normalized), KEV flag and evidence', gate, async () => {
  const r = await scanInventory(store, inventory(['pkg:maven/junit/junit@4.12', 'pkg:maven/junit/junit@4.13.1']), { subject: 'junit', clock, ids: sequentialIds(), persist: false });
  assert.equal(r.findings.length, 1);
  const f = r.findings[0];
  assert.ok(f);
  assert.equal(f.vulnerabilityId, 'CVE-2020-15250');
  assert.deepEqual(f.aliases, ['GHSA-269g-pwp5-87pp']);
  assert.equal(f.installedVersion, '4.12');
  assert.deepEqual(f.fixedVersions, ['4.13.1']);
  assert.equal(f.severity.level, 'medium');
  assert.equal(f.severity.score, 4.4);
  assert.ok(f.severity.given.some((g) => g.type === 'CVSS_V3'));
  assert.equal(f.kev, false);
  const ev = f.evidence[0];
  assert.equal(ev?.advisoryId, 'GHSA-269g-pwp5-87pp');
  assert.equal(ev?.rawDocument.source, 'ghsa');
  assert.match(ev?.rawDocument.digest ?? '', /^sha256:[0-9a-f]{64}$/);
  assert.ok(ev?.explicitVersion === '4.12' || ev?.range !== undefined);
  assert.ok((ev?.comparisons.length ?? 0) > 0);
  assert.equal(r.summary.fixable, 1);
});

test('Debian: binary package matched through its source package and release (DSA list)', gate, async () => {
  const table: [string, boolean][] = [
    ['pkg:deb/debian/xserver-xorg-core@2:1.20.11-1%2Bdeb11u5?distro=debian-11&upstream=xorg-server', true],
    ['pkg:deb/debian/xorg-server@2:1.20.11-1%2Bdeb11u5?distro=bullseye', true],
    ['pkg:deb/debian/xserver-xorg-core@2:1.20.11-1%2Bdeb11u6?distro=debian-11&upstream=xorg-server', false],
    ['pkg:deb/debian/xserver-xorg-core@2:1.20.4-1%2Bdeb10u9?distro=debian-10&upstream=xorg-server', false],
    // A binary that merely shares the name of the source package the DSA is about, built from another source.
    ['pkg:deb/debian/xorg-server@2:1.20.11-1%2Bdeb11u5?distro=debian-11&upstream=some-other-source', false],
  ];
  const r = await scanInventory(store, inventory(table.map((t) => t[0])), { subject: 'deb', clock, ids: sequentialIds(), persist: false });
  for (const [purl, want] of table) {
    const f = r.findings.find((x) => x.purl === purl && x.evidence.some((e) => e.advisoryId === 'DSA-5380-1'));
    assert.equal(f !== undefined, want, purl);
    if (f) {
      assert.equal(f.vulnerabilityId, 'CVE-2023-1393');
      assert.deepEqual(f.fixedVersions, ['2:1.20.11-1+deb11u6']);
      if (purl.includes('upstream=')) assert.equal(f.evidence[0]?.matchedBy, 'source-package');
    }
  }
});

test('Node.js itself: pkg:nodejs/node matched against the Node.js Security WG core advisories (ecosystem Node.js)', needsFixtures('advisories', 'npm', 'nodejs-security-wg-vuln.tar.gz'), async () => {
  const s = openStore({ home: tempDir() });
  try {
    const r = await importAdvisories(s, [fixture('advisories', 'npm', 'nodejs-security-wg-vuln.tar.gz') as string], { importedAt: '2026-01-01T00:00:00.000Z' });
    // The archive's index files, READMEs and test fixtures are refused; the numbered advisories are not.
    assert.ok(r.rejected.every((x) => /index|README|LICENSE|test\/fixtures/.test(x.path)), JSON.stringify(r.rejected));
    // NSWG-CORE-1 (CVE-2017-1000381): 8.1.3 is affected, 8.1.4 has the fix; 5.x never got one.
    const table: [string, boolean][] = [
      ['pkg:nodejs/node@8.1.3', true],
      ['pkg:nodejs/node@v8.1.3', true],
      ['pkg:nodejs/node@8.1.4', false],
      ['pkg:nodejs/node@5.12.0', true],
    ];
    const scan = await scanInventory(s, inventory(table.map((t) => t[0])), { subject: 'node', clock, ids: sequentialIds(), persist: false });
    for (const [purl, want] of table) {
      const f = scan.findings.find((x) => x.purl === purl && x.evidence.some((e) => e.advisoryId === 'NSWG-CORE-1'));
      assert.equal(f !== undefined, want, purl);
      if (f) assert.deepEqual([f.vulnerabilityId, f.ecosystem], ['CVE-2017-1000381', 'Node.js']);
    }
  } finally {
    s.close();
  }
});

test('Alpine: secfixes by origin package and release; KEV flag from the stored catalog', gate, async () => {
  const r = await scanInventory(
    store,
    inventory(['pkg:apk/alpine/ansible@2.9.2-r0?distro=alpine-3.11.3', 'pkg:apk/alpine/ansible@2.9.3-r0?distro=alpine-3.11', 'pkg:apk/alpine/ansible@2.9.2-r0?distro=alpine-3.10']),
    { subject: 'apk', clock, ids: sequentialIds(), persist: false },
  );
  const by = (p: string) => r.findings.filter((f) => f.purl === p).map((f) => f.vulnerabilityId);
  assert.deepEqual(by('pkg:apk/alpine/ansible@2.9.2-r0?distro=alpine-3.11.3'), ['CVE-2019-14904', 'CVE-2019-14905']);
  assert.deepEqual(by('pkg:apk/alpine/ansible@2.9.3-r0?distro=alpine-3.11'), []);
  assert.deepEqual(by('pkg:apk/alpine/ansible@2.9.2-r0?distro=alpine-3.10'), [], 'only v3.11 secfixes were imported');

  // log4shell is in the KEV catalog and fixed in Debian by DSA-5020-1.
  const k = await scanInventory(store, inventory(['pkg:deb/debian/liblog4j2-java@2.13.3-1?distro=debian-11&upstream=apache-log4j2']), { subject: 'kev', clock, ids: sequentialIds(), persist: false });
  const log4shell = k.findings.find((f) => f.vulnerabilityId === 'CVE-2021-44228');
  assert.ok(log4shell);
  assert.equal(log4shell.kev, true);
  assert.ok(k.summary.kev >= 1);
});

test('GIT ranges are skipped with a reason; withdrawn advisories are excluded', gate, async () => {
  const r = await scanInventory(store, inventory(['pkg:npm/%40loopback/rest@1.0.0']), { subject: 'lb', clock, ids: sequentialIds(), persist: false });
  assert.ok(r.findings.some((f) => f.vulnerabilityId === 'CVE-2020-4988'));
  assert.ok(r.summary.skippedRanges.some((s) => /GIT range .* skipped/.test(s.reason)));

  const dir = tempDir();
  const withdrawn = { schema_version: '1.6.0', id: 'OSV-TEST-WITHDRAWN-1', modified: '2026-01-01T00:00:00Z', withdrawn: '2026-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, versions: ['1.0.0'] }] };
  writeFileSync(join(dir, 'w.json'), JSON.stringify(withdrawn));
  const s2 = openStore({ home: tempDir() });
  try {
    await importAdvisories(s2, [join(dir, 'w.json')], { importedAt: '2026-01-01T00:00:00Z' });
    const w = await scanInventory(s2, inventory(['pkg:npm/left-pad@1.0.0']), { subject: 'w', clock, ids: sequentialIds(), persist: false });
    assert.deepEqual(w.findings, []);
    assert.equal(w.summary.withdrawnExcluded, 1);
  } finally {
    s2.close();
  }
});

test('scans are stored with their snapshot; finding ids are content-addressed; explain returns the raw evidence', gate, async () => {
  const purls = ['pkg:maven/junit/junit@4.12', 'pkg:deb/debian/xorg-server@2:1.20.11-1%2Bdeb11u5?distro=debian-11'];
  const a = await scanInventory(store, inventory(purls), { subject: 'sbom-a', clock, ids: sequentialIds() });
  const b = await scanInventory(store, inventory(purls), { subject: 'sbom-a', clock, ids: { next: (p) => `${p}_other` } });
  assert.deepEqual(a.findings.map((f) => f.id), b.findings.map((f) => f.id));
  assert.deepEqual(JSON.stringify(a.findings), JSON.stringify(b.findings), 'same inputs, byte-identical findings');
  assert.match(a.snapshot, /^sha256:/);
  const listed = listScans(store).map((s) => s.id);
  assert.ok(listed.includes(a.id) && listed.includes(b.id));
  const stored = getScan(store, a.id);
  assert.equal(stored.snapshot, a.snapshot);
  assert.deepEqual(stored.findings, a.findings);
  const f = a.findings.find((x) => x.vulnerabilityId === 'CVE-2023-1393');
  assert.ok(f);
  const ex = explainFinding(store, a.id, f.id);
  const link = ex.chain[0];
  assert.equal(link?.advisoryId, 'DSA-5380-1');
  assert.equal(link?.rawDocument.source, 'debian-dsa');
  assert.ok(link?.excerpt.text.includes('DSA-5380-1'));
  assert.ok((link?.excerpt.length ?? 0) <= 4096 && link?.excerpt.truncated === true);
  assert.throws(() => explainFinding(store, a.id, 'fnd_nope'), /has no finding/);
});

test('no advisories loaded → missing-data error', async () => {
  const s = openStore({ home: tempDir() });
  try {
    await assert.rejects(
      () => scanInventory(s, inventory(['pkg:npm/x@1.0.0']), { subject: 'x', clock, ids: sequentialIds() }),
      (e: unknown) => (e as { code?: string; exitCode?: number }).code === 'no-advisories' && (e as { exitCode: number }).exitCode === 4,
    );
  } finally {
    s.close();
  }
});

test('findingId is exactly the content id of the finding key (RFC 8785 canonical form)', async () => {
  const { contentId } = await import('../core');
  const { findingId } = await import('./scan');
  const cases: [string, string | null, string, string][] = [
    ['pkg-1', 'pkg:npm/%40scope/a@1.0.0', '1.0.0', 'CVE-2021-1'],
    ['ref "quoted" \\ \u2028 é', null, '1:2.3-4', 'GHSA-xxxx-yyyy-zzzz'],
  ];
  for (const [componentRef, purl, installedVersion, vulnerabilityId] of cases) {
    assert.equal(findingId(componentRef, purl, installedVersion, vulnerabilityId), contentId('fnd', { componentRef, purl, installedVersion, vulnerabilityId }));
  }
});
