import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import { type AdvisoryError } from '../errors';
import { csafConnector } from './csaf';
import { parseRawInput } from './index';

test('LoopBack CSAF 2.0: tracking id, CVE alias, purl products → npm affected versions, fixed versions kept', needsFixtures('advisories', 'npm', 'loopbackio-security'), () => {
  const dir = fixture('advisories', 'npm', 'loopbackio-security', 'advisories')!;
  const csafPath = `${dir}/lbsa-20201130.csaf.json`;
  const d = parseRawInput({ uri: csafPath, bytes: readFileSync(csafPath) });
  assert.equal(d.source, 'csaf');
  assert.equal(d.specVersion, '2.0');
  const o = d.observations[0]!;
  assert.equal(o.advisoryId, 'LBSA-20201130');
  assert.deepEqual(o.aliases, ['CVE-2020-4988'], 'its non-standard singular "id" (IBM X-Force) is not a CSAF 2.0 ids[] entry');
  assert.equal(o.affected.length, 1);
  const a = o.affected[0]!;
  assert.equal(a.ecosystem, 'npm');
  assert.equal(a.name, '@loopback/rest');
  assert.equal(a.purl, 'pkg:npm/%40loopback/rest');
  // The same advisory in OSV form: CSAF's explicit affected versions are the OSV record's versions.
  const osvPath = `${dir}/lbsa-20201130.osv.json`;
  const osv = parseRawInput({ uri: osvPath, bytes: readFileSync(osvPath) }).observations[0]!;
  assert.deepEqual([...a.versions].sort(), [...osv.affected[0]!.versions].sort());
  const fixed = a.databaseSpecific?.fixedVersions as string[];
  assert.ok(fixed.includes('9.0.0'), 'first fixed release listed');
  assert.ok(!a.versions.includes('9.0.0'));
  assert.ok(o.severities.every((s) => s.source === 'csaf'));
  assert.match(o.details!, /Prototype Pollution/);
});

test('CSAF: several vulnerabilities → composite advisory ids; unknown product ids are errors', () => {
  const doc = {
    document: { csaf_version: '2.0', category: 'csaf_security_advisory', title: 'T', tracking: { id: 'ACME-2024-1', initial_release_date: '2024-01-01T00:00:00Z', current_release_date: '2024-01-02T00:00:00Z', status: 'final' } },
    product_tree: {
      full_product_names: [
        { product_id: 'P1', name: 'lib 1.0', product_identification_helper: { purl: 'pkg:maven/org.acme/lib@1.0' } },
        { product_id: 'P2', name: 'appliance', product_identification_helper: { cpe: 'cpe:2.3:h:acme:box:1:*:*:*:*:*:*:*' } },
        { product_id: 'P3', name: 'mystery product' },
      ],
    },
    vulnerabilities: [
      { cve: 'CVE-2024-0001', product_status: { known_affected: ['P1', 'P2', 'P3'] }, scores: [{ products: ['P1'], cvss_v3: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.8 } }] },
      { ids: [{ system_name: 'ACME', text: 'ACME-BUG-7' }], product_status: { known_not_affected: ['P1'] } },
    ],
  };
  const d = parseRawInput({ uri: '/t/acme.json', bytes: Buffer.from(JSON.stringify(doc)) });
  assert.deepEqual(
    d.observations.map((o) => [o.advisoryId, o.aliases]),
    [
      ['ACME-2024-1/CVE-2024-0001', ['CVE-2024-0001', 'ACME-2024-1']],
      ['ACME-2024-1/ACME-BUG-7', ['ACME-BUG-7', 'ACME-2024-1']],
    ],
  );
  const first = d.observations[0]!;
  assert.deepEqual(
    first.affected.map((a) => [a.ecosystem, a.name, a.purl, a.versions]),
    [
      ['Maven', 'org.acme:lib', 'pkg:maven/org.acme/lib', ['1.0']],
      ['CPE', 'cpe:2.3:h:acme:box:1:*:*:*:*:*:*:*', undefined, []],
    ],
  );
  assert.deepEqual(first.databaseSpecific?.unidentifiedProducts, ['mystery product']);
  assert.deepEqual(d.observations[1]!.databaseSpecific?.knownNotAffected, ['pkg:maven/org.acme/lib@1.0']);

  const bad = structuredClone(doc);
  bad.vulnerabilities[0]!.product_status = { known_affected: ['P9'] } as never;
  assert.throws(
    () => csafConnector.parse({ uri: '/t/acme.json', bytes: Buffer.from(JSON.stringify(bad)) }),
    (e: AdvisoryError) => e.code === 'invalid-document' && /product id "P9" defined in \/product_tree/.test(e.message),
  );
});
