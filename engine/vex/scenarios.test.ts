/**
 * VEX applied to stored SBOMs: the CISA use cases of the CycloneDX examples give the outcome their
 * READMEs describe, and the Node.js OpenVEX document yields the statements it should for a matching SBOM.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { fixedClock, sequentialIds } from '../core';
import { importVex, vexConsensus } from '../jobs/vex';
import { jobContext } from '../jobs/context';
import { importSbom } from '../sbom';
import { openStore, type Store } from '../store';
import { consensusBatch, verifyVexAoc } from './index';

const CASES = ['vex', 'cyclonedx-bom-examples', 'VEX', 'CISA-Use-Cases'];
const clock = fixedClock('2026-03-01T00:00:00Z');
const ctx = () => jobContext({ clock, ids: sequentialIds() });

function freshStore(): Store {
  return openStore({ home: tempDir('stella-vex-') });
}

async function importFiles(store: Store, ...rel: string[][]) {
  return importVex(store, { paths: rel.map((r) => fixture(...r) as string) }, ctx());
}

test('CISA use case 1: one VEX per status, each about its own product', needsFixtures(...CASES), async () => {
  const store = freshStore();
  const files = ['vex-affected.json', 'vex-fixed.json', 'vex-not_affected.json', 'vex-under_investigation.json'];
  const r = await importFiles(store, ...files.map((f) => [...CASES, 'Case-1', f]));
  assert.deepEqual(r.rejected, []);
  assert.deepEqual(
    r.statements.map((s) => [s.product, s.status, s.justification]).sort(),
    [
      ['product-ABC', 'not_affected', 'vulnerable_code_not_present'],
      ['product-DEF', 'affected', null],
      ['product-DEF', 'fixed', null],
      ['product-GHI', 'under_investigation', null],
    ].sort(),
  );
  // No SBOM is stored: every statement is reported as unmatched, none is dropped.
  assert.equal(r.unmatched.length, 4);
  const c = await vexConsensus(store, { vulnerabilityId: 'CVE-2021-44228', ref: 'product-GHI' }, ctx());
  assert.equal(c.status, 'under_investigation');
});

test('CISA use case 3: one product, many vulnerabilities, each with the status its README gives', needsFixtures(...CASES), async () => {
  const store = freshStore();
  const r = await importFiles(store, [...CASES, 'Case-3', 'vex.json']);
  const by = new Map(r.statements.map((s) => [s.vulnerability, s.status]));
  for (const id of ['CVE-2020-11897', 'CVE-2020-11902', 'CVE-2020-11899', 'CVE-2020-11905', 'CVE-2020-11906', 'CVE-2020-11913']) assert.equal(by.get(id), 'not_affected', id);
  for (const id of ['CVE-2020-11898', 'CVE-2020-11907', 'CVE-2020-11909', 'CVE-2020-11910', 'CVE-2020-11911']) assert.equal(by.get(id), 'affected', id);
  for (const id of ['CVE-2020-11896', 'CVE-2020-11900', 'CVE-2020-11904', 'CVE-2020-11903', 'CVE-2020-11908']) assert.equal(by.get(id), 'under_investigation', id);
  for (const id of ['CVE-2020-11901', 'CVE-2020-11912', 'CVE-2020-11914']) assert.equal(by.get(id), 'fixed', id);
});

test('CISA use cases 6 and 7: per-version statuses from versions and vers ranges, products by BOM-Link', needsFixtures(...CASES), async () => {
  const store = freshStore();
  for (const b of ['bom-1.json', 'bom-2.json']) await importSbom(store, { path: fixture(...CASES, 'Case-7', b) as string }, { clock });
  const r = await importFiles(store, [...CASES, 'Case-7', 'vex.json'], [...CASES, 'Case-6', 'vex.json']);
  assert.deepEqual(r.rejected, []);
  // Case 7 names its products by BOM-Link to the two stored SBOMs' subjects: all matched.
  assert.deepEqual(r.unmatched.filter((u) => u.document.includes('Case-7')), []);
  const abc = 'urn:cdx:cbb2cd68-2857-43b8-a10b-e8c03d277d18/1#product-ABC';
  const jkl = 'urn:cdx:e4c3eedc-4978-470c-ad02-6ffff63738ff/1#product-JKL';
  const expect: [string, string, string][] = [
    [abc, '2.4', 'affected'],
    [abc, '2.6', 'affected'],
    [abc, '3.0', 'affected'], // inside >=2.9|<=4.1
    [abc, '4.1', 'affected'],
    [abc, '1.5', 'not_affected'], // inside >=1.0|<=2.3
    [abc, '2.5', 'not_affected'],
    [abc, '2.8', 'not_affected'],
    [abc, '4.2', 'not_affected'],
    [abc, '5.0', 'none'], // nothing is said about it
    [jkl, '4.7', 'affected'],
    [jkl, '3.0', 'not_affected'],
    [jkl, '5.1', 'fixed'],
    [jkl, '5.2', 'none'],
  ];
  for (const [ref, version, status] of expect) {
    const c = await vexConsensus(store, { vulnerabilityId: 'CVE-2021-44228', ref, version }, ctx());
    assert.equal(c.status, status, `${ref} ${version}`);
    if (status !== 'none') assert.equal(c.conflicts.length, 0);
  }
  // A BOM-Link names one BOM: JKL (named only by BOM-Link) in an SBOM with another serial is not covered.
  const jklIn = async (sbomSerial: string) => (await vexConsensus(store, { vulnerabilityId: 'CVE-2021-44228', ref: 'product-JKL', version: '4.7', sbomSerial }, ctx())).status;
  assert.equal(await jklIn('urn:uuid:00000000-0000-4000-8000-000000000000'), 'none');
  assert.equal(await jklIn('urn:uuid:e4c3eedc-4978-470c-ad02-6ffff63738ff'), 'affected');
  assert.equal(verifyVexAoc(store).ok, true);
});

test('CISA use case 8: two vulnerabilities; JKL 5.1 fixed for one and affected by the other', needsFixtures(...CASES), async () => {
  const store = freshStore();
  await importFiles(store, [...CASES, 'Case-8', 'vex.json']);
  const jkl = 'urn:cdx:e4c3eedc-4978-470c-ad02-6ffff63738ff/1#product-JKL';
  assert.equal((await vexConsensus(store, { vulnerabilityId: 'CVE-2021-44228', ref: jkl, version: '5.1' }, ctx())).status, 'fixed');
  assert.equal((await vexConsensus(store, { vulnerabilityId: 'CVE-2021-45105', ref: jkl, version: '5.1' }, ctx())).status, 'affected');
  // The document says both `resolved` and `unaffected` of JKL 5.2: an explicit conflict, the more cautious status.
  const c = await vexConsensus(store, { vulnerabilityId: 'CVE-2021-45105', ref: jkl, version: '5.2' }, ctx());
  assert.equal(c.status, 'fixed');
  assert.deepEqual(c.conflicts.map((k) => k.statuses), [['fixed', 'not_affected']]);
  assert.ok(c.statements.every((s) => s.role === 'conflicting'));
});

test('Node.js OpenVEX applied to an SBOM with node 5.1.1 and node 20.11.0', needsFixtures('vex', 'nodejs-security-wg', 'node.openvex.json'), async () => {
  const store = freshStore();
  const dir = tempDir();
  const bom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    serialNumber: 'urn:uuid:6a1d4c9e-1b7e-4c51-9a57-2b7d2f0c1a11',
    components: [
      { type: 'application', 'bom-ref': 'node-old', name: 'node', version: 'v5.1.1', purl: 'pkg:nodejs/node@v5.1.1' },
      { type: 'application', 'bom-ref': 'node-new', name: 'node', version: 'v20.11.0', purl: 'pkg:nodejs/node@v20.11.0' },
      { type: 'library', 'bom-ref': 'left-pad', name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' },
    ],
  };
  writeFileSync(join(dir, 'bom.json'), JSON.stringify(bom));
  await importSbom(store, { path: join(dir, 'bom.json') }, { clock });
  const r = await importFiles(store, ['vex', 'nodejs-security-wg', 'node.openvex.json']);
  assert.equal(r.documents, 1);
  assert.deepEqual(r.rejected, []);
  assert.equal(r.statements.length, 476);
  // Every statement names node at some release; releases the SBOM does not hold are unmatched, not dropped.
  assert.ok(r.unmatched.length > 0 && r.unmatched.length < r.statements.length);
  assert.ok(r.unmatched.every((u) => u.product.startsWith('pkg:nodejs/node')));
  const queries = [
    { vulnerabilityId: 'CVE-2015-3193', purl: 'pkg:nodejs/node@v5.1.1' }, // fixed in 5.1.1
    { vulnerabilityId: 'CVE-2015-3193', purl: 'pkg:nodejs/node@v20.11.0' }, // not said for 20.11.0
    { vulnerabilityId: 'CVE-2023-45853', purl: 'pkg:nodejs/node@v20.11.0' }, // versionless not_affected: every release
    { vulnerabilityId: 'CVE-2023-45853', purl: 'pkg:nodejs/node@v5.1.1' },
    { vulnerabilityId: 'CVE-2024-13176', purl: 'pkg:nodejs/node@v20.11.0' },
    { vulnerabilityId: 'CVE-2023-45853', purl: 'pkg:npm/left-pad@1.3.0' }, // another package: nothing
  ];
  const out = consensusBatch(store, queries);
  assert.deepEqual(
    out.map((c) => [c.status, c.justification ?? null]),
    [
      ['fixed', null],
      ['none', null],
      ['not_affected', 'vulnerable_code_not_present'],
      ['not_affected', 'vulnerable_code_not_present'],
      ['not_affected', 'vulnerable_code_not_in_execute_path'],
      ['none', null],
    ],
  );
  // The Node.js Security WG's role "Project" makes it the vendor of node.
  assert.equal(out[0]!.statements[0]!.issuerClass, 'vendor');
  assert.equal(out[0]!.statements[0]!.role, 'decisive');
});
