import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFixtureTarball, fixture, needsFixtures } from '../../build/test-support/fixtures';
import { parseSbom, SbomError, validateSbom } from './index';

const SPEC = needsFixtures('sbom', 'cyclonedx-spec-tests.tar.gz');

/**
 * Spec-test files that are neither `valid-*` nor `invalid-*` by name. `informal-invalid-*` (1.7) need the
 * XSD 1.1 assertion "versionRange only on external components", which libxml2 (XSD 1.0) cannot check:
 * our semantic check rejects them. `skip_invalid-*` (1.2) are skipped upstream; the schema rejects them.
 * Nothing in the suite is allow-listed: every file is told apart.
 */
const EXPECT_INVALID_PREFIXES = ['invalid-', 'informal-invalid-', 'skip_invalid-'];
const ALLOW_LIST: Record<string, string> = {};

test('every CycloneDX spec test (1.2–1.7, JSON and XML): valid-* imports, invalid-* is rejected with a located message', SPEC, async () => {
  const root = join(extractFixtureTarball('sbom', 'cyclonedx-spec-tests.tar.gz'), 'cyclonedx-spec-tests');
  let valid = 0;
  let invalid = 0;
  for (const version of ['1.2', '1.3', '1.4', '1.5', '1.6', '1.7']) {
    for (const name of readdirSync(join(root, version)).sort()) {
      if (!/\.(json|xml)$/.test(name) || ALLOW_LIST[name]) continue;
      const bytes = readFileSync(join(root, version, name));
      if (name.startsWith('valid-')) {
        const r = await parseSbom(bytes, { fileName: name });
        assert.equal(r.specVersion, version, name);
        assert.equal(r.format, name.endsWith('.json') ? 'cyclonedx-json' : 'cyclonedx-xml', name);
        valid++;
      } else {
        assert.ok(EXPECT_INVALID_PREFIXES.some((p) => name.startsWith(p)), `unexpected spec test name ${name}`);
        await assert.rejects(parseSbom(bytes, { fileName: name }), (e: unknown) => {
          assert.ok(e instanceof SbomError, `${name}: ${String(e)}`);
          assert.equal(e.category, 'invalid-input', name);
          assert.ok(e.message.startsWith(`${name}: `), `message names the file: ${e.message}`);
          assert.match(e.message, /expected/, `message says what was expected: ${e.message}`);
          return true;
        });
        const v = await validateSbom(bytes, { fileName: name });
        assert.equal(v.valid, false, name);
        assert.ok(v.errors.length > 0 && v.errors.every((x) => x.path && x.message), name);
        invalid++;
      }
    }
  }
  assert.ok(valid > 250 && invalid > 250, `${valid} valid, ${invalid} invalid`);
});

test('schema errors carry the JSON pointer and the expected value', SPEC, async () => {
  const root = join(extractFixtureTarball('sbom', 'cyclonedx-spec-tests.tar.gz'), 'cyclonedx-spec-tests');
  const cases: [string, string, RegExp][] = [
    ['1.6/invalid-scope-1.6.json', '/components/0/scope', /"required", "optional", "excluded"/],
    ['1.6/invalid-dependency-1.6.json', '/dependencies/0/ref', /property "ref"/],
    ['1.5/invalid-hash-alg-1.5.json', '/components/0/hashes/0/alg', /"SHA-256"/],
    ['1.6/invalid-component-type-1.6.xml', '//component/@type (line 4)', /'library'/],
    ['1.7/informal-invalid-component-versionRange-non-external-implicit.xml', '/components/0/versionRange', /isExternal=true/],
  ];
  for (const [file, path, expected] of cases) {
    const v = await validateSbom(readFileSync(join(root, file)), { fileName: file });
    assert.equal(v.valid, false, file);
    assert.equal(v.errors[0]?.path, path, file);
    assert.match(v.errors[0]?.expected ?? '', expected, file);
  }
});

const EXAMPLES = needsFixtures('sbom', 'cyclonedx-bom-examples');

test('real product SBOMs in cyclonedx-bom-examples import with the expected counts', EXAMPLES, async () => {
  const cases: [string, number, number][] = [
    ['SBOM/dropwizard-1.3.15/bom.json', 167, 167],
    ['SBOM/dropwizard-1.3.15/bom.xml', 167, 167],
    ['SBOM/laravel-7.12.0/bom.1.1.xml', 62, 0],
    ['SBOM/laravel-7.12.0/bom.1.4.json', 62, 63],
    ['SBOM/laravel-7.12.0/bom.1.4.xml', 62, 63],
    ['SBOM/proton-bridge/proton-bridge-v1.8.0.bom.json', 201, 202],
    ['SBOM/cern-lhc-vdm-editor-e564943/bom.xml', 43, 0],
    ['CBOM/Example-With-Dependencies/bom.json', 3, 4],
    ['HBOM/PCIe-SATA-adapter-board/bom.json', 6, 0],
    ['SaaSBOM/apigateway-microservices-datastores/bom.json', 0, 5],
  ];
  for (const [file, components, depEntries] of cases) {
    const path = fixture('sbom', 'cyclonedx-bom-examples', file) as string;
    const r = await parseSbom(readFileSync(path), { fileName: file });
    assert.equal(r.inventory.components.length, components, file);
    assert.equal(r.inventory.dependencies.length, depEntries, file);
    const refs = r.inventory.components.map((c) => c.ref);
    assert.deepEqual(refs, [...refs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), `${file}: sorted by ref`);
  }
});

test('JSON and XML encodings of one BOM normalize to the same components', EXAMPLES, async () => {
  // dropwizard's XML lacks some <licenses> and <externalReferences> its JSON has (differences in the fixture itself), so those are compared for laravel only.
  for (const [a, b, withLicenses] of [
    ['SBOM/laravel-7.12.0/bom.1.4.json', 'SBOM/laravel-7.12.0/bom.1.4.xml', true],
    ['SBOM/dropwizard-1.3.15/bom.json', 'SBOM/dropwizard-1.3.15/bom.xml', false],
  ] as const) {
    const ja = await parseSbom(readFileSync(fixture('sbom', 'cyclonedx-bom-examples', a) as string), { fileName: a });
    const xb = await parseSbom(readFileSync(fixture('sbom', 'cyclonedx-bom-examples', b) as string), { fileName: b });
    const view = (r: typeof ja) => r.inventory.components.map((c) => ({ ref: c.ref, name: c.name, group: c.group, version: c.version, purl: c.purl, type: c.type, hashes: c.hashes, licenses: withLicenses ? c.licenses : null, properties: c.properties, externalReferences: withLicenses ? c.externalReferences : null }));
    assert.deepEqual(view(xb), view(ja), `${a} vs ${b}`);
    assert.deepEqual(xb.inventory.dependencies, ja.inventory.dependencies);
  }
});

const bom = (extra: Record<string, unknown>): Buffer =>
  Buffer.from(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79', version: 1, ...extra }));

test('normalization: nested components flattened with parent, subject excluded, purls canonical, evidence, source, unknown fields kept', async () => {
  const doc = bom({
    metadata: {
      timestamp: '2026-01-01T00:00:00Z',
      tools: { components: [{ type: 'application', name: 'cdxgen', version: '11.0.0', publisher: 'OWASP' }] },
      component: { type: 'application', name: 'app', version: '1.0.0', 'bom-ref': 'app' },
      lifecycles: [{ phase: 'build' }],
    },
    components: [
      {
        type: 'library',
        'bom-ref': 'pkg:npm/%40scope/outer@1.0.0',
        group: '@scope',
        name: 'outer',
        version: '1.0.0',
        purl: 'pkg:NPM/%40scope/outer@1.0.0',
        hashes: [{ alg: 'SHA-256', content: 'AB'.repeat(32) }],
        licenses: [{ expression: 'MIT OR Apache-2.0' }],
        evidence: { occurrences: [{ location: '/app/node_modules/@scope/outer/package.json' }], identity: [{ field: 'purl', confidence: 1 }] },
        pedigree: { ancestors: [{ type: 'library', name: 'outer-upstream', version: '0.9' }] },
        properties: [
          { name: 'aquasecurity:trivy:LayerDiffID', value: 'sha256:' + 'c'.repeat(64) },
          { name: 'stella:foundBy', value: 'lang/npm@1' },
          { name: 'stella:extra:custom', value: '{"a":1}' },
          { name: 'cdx:npm:package:path', value: 'node_modules/@scope/outer' },
        ],
        omniborId: ['gitoid:blob:sha1:261eeb9e9f8b2b4b0d119366dda99c6fd7d35c64'],
        components: [{ type: 'library', 'bom-ref': 'inner', name: 'inner', version: '2.0.0', licenses: [{ license: { name: 'Custom Corp License' } }, { license: { id: 'BSD-3-Clause' } }], purl: 'not-a-purl', cpe: 'cpe:2.3:a:x:inner:2.0.0:*:*:*:*:*:*:*' }],
      },
      {
        type: 'library',
        'bom-ref': 'deb',
        name: 'libc6',
        version: '2.36-9+deb12u4',
        purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?upstream=glibc%402.36-9%2Bdeb12u4&arch=amd64',
        properties: [{ name: 'syft:location:0:path', value: '/var/lib/dpkg/status' }, { name: 'syft:location:0:layerID', value: 'sha256:' + 'd'.repeat(64) }],
      },
    ],
    dependencies: [{ ref: 'app', dependsOn: ['pkg:npm/%40scope/outer@1.0.0'] }, { ref: 'pkg:npm/%40scope/outer@1.0.0', dependsOn: ['inner', 'deb'] }],
    vulnerabilities: [{ id: 'CVE-2024-0001' }],
  });
  const r = await parseSbom(doc, { fileName: 'unit.json' });
  const inv = r.inventory;
  assert.equal(inv.subject?.ref, 'app');
  assert.deepEqual(inv.components.map((c) => c.ref), ['deb', 'inner', 'pkg:npm/%40scope/outer@1.0.0']);
  const outer = inv.components.find((c) => c.name === 'outer');
  const inner = inv.components.find((c) => c.name === 'inner');
  const deb = inv.components.find((c) => c.name === 'libc6');
  assert.ok(outer && inner && deb);
  assert.equal(outer.purl, 'pkg:npm/%40scope/outer@1.0.0');
  assert.equal(outer.hashes[0]?.content, 'ab'.repeat(32));
  assert.deepEqual(outer.licenses, [{ expression: 'MIT OR Apache-2.0' }]);
  assert.deepEqual(inner.licenses, [{ name: 'Custom Corp License' }, { expression: 'BSD-3-Clause' }]);
  assert.deepEqual(outer.locations, [{ path: '/app/node_modules/@scope/outer/package.json' }]);
  assert.deepEqual(outer.source, { name: 'outer-upstream', version: '0.9' });
  assert.equal(outer.layer, 'sha256:' + 'c'.repeat(64));
  assert.equal(outer.foundBy, 'lang/npm@1');
  assert.deepEqual(outer.extra.custom, { a: 1 });
  assert.deepEqual(outer.extra['cyclonedx:omniborId'], ['gitoid:blob:sha1:261eeb9e9f8b2b4b0d119366dda99c6fd7d35c64']);
  assert.deepEqual(outer.extra['cyclonedx:evidence'], { identity: [{ field: 'purl', confidence: 1 }] });
  assert.ok(outer.extra['cyclonedx:pedigree']);
  assert.deepEqual(outer.properties.map((p) => p.name), ['aquasecurity:trivy:LayerDiffID', 'cdx:npm:package:path']);
  assert.equal(inner.parent, outer.ref);
  assert.equal(inner.purl, undefined);
  assert.equal(inner.extra['cyclonedx:purl'], 'not-a-purl');
  assert.deepEqual(inner.cpes, ['cpe:2.3:a:x:inner:2.0.0:*:*:*:*:*:*:*']);
  assert.ok(r.warnings.some((w) => w.includes('/components/0/components/0/purl') && w.includes('not-a-purl')));
  assert.deepEqual(deb.source, { name: 'glibc', version: '2.36-9+deb12u4' });
  assert.deepEqual(deb.locations, [{ path: '/var/lib/dpkg/status', layer: 'sha256:' + 'd'.repeat(64) }]);
  assert.equal(deb.layer, 'sha256:' + 'd'.repeat(64));
  assert.deepEqual(inv.document.tools, [{ name: 'cdxgen', vendor: 'OWASP', version: '11.0.0' }]);
  assert.deepEqual(inv.document.extra['cyclonedx:vulnerabilities'], [{ id: 'CVE-2024-0001' }]);
  assert.deepEqual((inv.document.extra['cyclonedx:metadata'] as Record<string, unknown>).lifecycles, [{ phase: 'build' }]);
  assert.deepEqual(inv.dependencies, [
    { ref: 'app', dependsOn: ['pkg:npm/%40scope/outer@1.0.0'] },
    { ref: 'pkg:npm/%40scope/outer@1.0.0', dependsOn: ['deb', 'inner'] },
  ]);
});

test('semantic checks the schema cannot express', async () => {
  const cases: [string, Buffer, RegExp][] = [
    ['duplicate bom-ref across nesting', bom({ components: [{ type: 'library', name: 'a', 'bom-ref': 'x', components: [{ type: 'library', name: 'b', 'bom-ref': 'x' }] }] }), /\/components\/0\/components\/0\/bom-ref: duplicate bom-ref "x"/],
    ['duplicate bom-ref between subject and component', bom({ metadata: { component: { type: 'application', name: 'a', 'bom-ref': 'x' } }, components: [{ type: 'library', name: 'b', 'bom-ref': 'x' }] }), /duplicate bom-ref "x"/],
  ];
  for (const [name, bytes, re] of cases) {
    await assert.rejects(parseSbom(bytes, { fileName: 'sem.json' }), (e: unknown) => e instanceof SbomError && e.code === 'semantic-invalid' && re.test(e.message), name);
  }
  // A dependency pointing at an unknown ref is kept and reported, not fatal (real SBOMs reference external BOMs).
  const r = await parseSbom(bom({ components: [{ type: 'library', name: 'a', 'bom-ref': 'a' }], dependencies: [{ ref: 'a', dependsOn: ['elsewhere'] }] }), { fileName: 'dangling.json' });
  assert.deepEqual(r.inventory.dependencies, [{ ref: 'a', dependsOn: ['elsewhere'] }]);
  assert.ok(r.warnings.some((w) => w.includes('/dependencies/0/dependsOn/0') && w.includes('"elsewhere"')));
});

test('unsupported CycloneDX versions are refused with the supported list', async () => {
  await assert.rejects(parseSbom(bom({ specVersion: '1.1' }), { fileName: 'old.json' }), /\/specVersion: CycloneDX JSON version "1.1" is not supported; expected one of 1.2, 1.3/);
  await assert.rejects(parseSbom(Buffer.from('<bom xmlns="http://cyclonedx.org/schema/bom/9.9" version="1"/>'), { fileName: 'x.xml' }), /not supported; expected one of/);
});
