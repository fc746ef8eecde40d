import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fixture, needsFixtures } from '../../build/test-support/fixtures';
import { detectSbomFormat, parseSbom, SbomError, validateSbom } from './index';

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
}

const SPDX_DOC = /\.(json|spdx|xml|yaml)$/;

test('every SPDX example in the fixtures imports (2.2/2.3 JSON, YAML, XML, tag-value, UTF-16; 3.0.1 JSON-LD)', needsFixtures('sbom', 'spdx-examples'), async () => {
  const roots = [fixture('sbom', 'spdx-examples') as string, fixture('sbom', 'spdx-tools-python') as string];
  const seen = new Set<string>();
  let n = 0;
  for (const root of roots) {
    for (const path of walk(root)) {
      if (!SPDX_DOC.test(path) || path.includes('/invalid/')) continue;
      const name = relative(root, path);
      const r = await parseSbom(readFileSync(path), { fileName: name });
      assert.match(r.format, /^spdx/, name);
      seen.add(r.format);
      n++;
    }
  }
  assert.deepEqual([...seen].sort(), ['spdx-json', 'spdx-tag-value', 'spdx-xml', 'spdx-yaml', 'spdx3-jsonld']);
  assert.ok(n >= 65, `${n} documents`);
});

test('the invalid SPDX example is rejected naming the document path and what was expected', needsFixtures('sbom', 'spdx-tools-python', 'invalid'), async () => {
  const dir = fixture('sbom', 'spdx-tools-python', 'invalid') as string;
  for (const name of readdirSync(dir)) {
    const bytes = readFileSync(join(dir, name));
    await assert.rejects(parseSbom(bytes, { fileName: name }), (e: unknown) => {
      assert.ok(e instanceof SbomError);
      assert.equal(e.code, 'schema-invalid');
      assert.match(e.message, /\/packages\/0\/downloadLocation: missing required field; expected a string/);
      return true;
    });
    const v = await validateSbom(bytes, { fileName: name });
    assert.equal(v.valid, false);
    // Trivy wrote "DESCRIBE" instead of "DESCRIBES": the enumeration is reported with the allowed values.
    assert.ok(v.errors.some((e) => e.path === '/relationships/0/relationshipType' && /"DESCRIBES"/.test(e.expected ?? '')), JSON.stringify(v.errors.slice(0, 3)));
  }
});

const TOOLS = needsFixtures('sbom', 'spdx-tools-python');

test('one SPDX 2 document in every encoding normalizes to the same packages', TOOLS, async () => {
  const view = async (file: string) => {
    const r = await parseSbom(readFileSync(fixture('sbom', 'spdx-tools-python', file) as string), { fileName: file });
    return { format: r.format, components: r.inventory.components.map((c) => ({ ref: c.ref, name: c.name, version: c.version, purl: c.purl, hashes: c.hashes, licenses: c.licenses, cpes: c.cpes })) };
  };
  const json = await view('SPDXJSONExample-v2.3.spdx.json');
  assert.equal(json.components.length, 4);
  for (const [file, format] of [
    ['SPDXYAMLExample-v2.3.spdx.yaml', 'spdx-yaml'],
    ['SPDXXMLExample-v2.3.spdx.xml', 'spdx-xml'],
    ['SPDXTagExample-v2.3.spdx', 'spdx-tag-value'],
  ] as const) {
    const other = await view(file);
    assert.equal(other.format, format);
    assert.deepEqual(other.components, json.components, file);
  }
  // UTF-16 (BOM) variants decode to the same documents as their UTF-8 2.2 versions.
  for (const [utf16, utf8] of [
    ['SPDXJSONExample-UTF-16.spdx.json', 'SPDXJSONExample-v2.2.spdx.json'],
    ['SPDXTagExample-UTF-16.spdx', 'SPDXTagExample-v2.2.spdx'],
    ['SPDXXMLExample-UTF-16.spdx.xml', 'SPDXXMLExample-v2.2.spdx.xml'],
    ['SPDXYAMLExample-UTF-16.spdx.yaml', 'SPDXYAMLExample-v2.2.spdx.yaml'],
  ] as const) {
    assert.deepEqual((await view(utf16)).components, (await view(utf8)).components, utf16);
  }
});

test('SPDX 2 package fields: purl, CPE, checksums, licenses, supplier, unknown fields kept', TOOLS, async () => {
  const r = await parseSbom(readFileSync(fixture('sbom', 'spdx-tools-python', 'SPDXJSONExample-v2.3.spdx.json') as string), { fileName: 'x.json' });
  const pkg = r.inventory.components.find((c) => c.ref === 'SPDXRef-Package');
  assert.ok(pkg);
  assert.equal(pkg.name, 'glibc');
  assert.equal(pkg.version, '2.11.1');
  assert.deepEqual(pkg.cpes, ['cpe:2.3:a:pivotal_software:spring_framework:4.1.0:*:*:*:*:*:*:*']);
  assert.deepEqual(pkg.hashes.map((h) => h.alg).sort(), ['BLAKE2b-384', 'MD5', 'SHA-1', 'SHA-256']);
  assert.deepEqual(pkg.licenses, [
    { expression: '(LGPL-2.0-only AND LicenseRef-3)', acknowledgement: 'declared' },
    { expression: '(LGPL-2.0-only OR LicenseRef-3)', acknowledgement: 'concluded' },
  ]);
  assert.deepEqual(pkg.supplier, { name: 'Jane Doe', contact: [{ email: 'jane.doe@example.com' }] });
  assert.equal(pkg.extra['spdx:downloadLocation'], 'http://ftp.gnu.org/gnu/glibc/glibc-ports-2.15.tar.gz');
  assert.ok(Array.isArray(pkg.extra['spdx:externalRefs']), 'non-purl/cpe external refs are kept');
  assert.equal(r.inventory.document.serialNumber, 'http://spdx.org/spdxdocs/spdx-example-444504E0-4F89-41D3-9A0C-0305E82C3301');
  assert.ok(Array.isArray(r.inventory.document.extra['spdx:relationships']));
  assert.ok(Array.isArray(r.inventory.document.extra['spdx:files']));
});

test('SPDX 2: sourceInfo "built package from", stella annotations, DEPENDS_ON/DEPENDENCY_OF edges, files as locations', async () => {
  const doc = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'img',
    documentNamespace: 'https://example.com/img-1',
    creationInfo: { created: '2026-01-01T00:00:00Z', creators: ['Tool: trivy-0.58.0', 'Organization: aquasecurity'] },
    packages: [
      {
        SPDXID: 'SPDXRef-libc6',
        name: 'libc6',
        versionInfo: '2.36-9+deb12u4',
        downloadLocation: 'NONE',
        sourceInfo: 'built package from: glibc 2.36-9+deb12u4',
        licenseDeclared: 'LGPL-2.1-or-later',
        externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64' }],
        annotations: [{ annotator: 'Tool: stella', annotationDate: '2026-01-01T00:00:00Z', annotationType: 'OTHER', comment: 'stella:layer=sha256:' + 'e'.repeat(64) }],
        hasFiles: ['SPDXRef-File-1'],
      },
      { SPDXID: 'SPDXRef-gcc', name: 'libgcc-s1', versionInfo: '12.2.0-14', downloadLocation: 'NOASSERTION' },
      { SPDXID: 'SPDXRef-app', name: 'app', downloadLocation: 'NOASSERTION', externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'broken' }] },
    ],
    files: [{ SPDXID: 'SPDXRef-File-1', fileName: '/lib/x86_64-linux-gnu/libc.so.6', checksums: [{ algorithm: 'SHA1', checksumValue: 'a'.repeat(40) }] }],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-app' },
      { spdxElementId: 'SPDXRef-app', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-libc6' },
      { spdxElementId: 'SPDXRef-gcc', relationshipType: 'DEPENDENCY_OF', relatedSpdxElement: 'SPDXRef-libc6' },
    ],
  };
  const r = await parseSbom(Buffer.from(JSON.stringify(doc)), { fileName: 'trivy.spdx.json' });
  assert.equal(r.inventory.components.length, 3, 'every package counts');
  const libc = r.inventory.components.find((c) => c.name === 'libc6');
  assert.deepEqual(libc?.source, { name: 'glibc', version: '2.36-9+deb12u4' });
  assert.equal(libc?.layer, 'sha256:' + 'e'.repeat(64));
  assert.equal(libc?.purl, 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64');
  assert.deepEqual(libc?.locations, [{ path: '/lib/x86_64-linux-gnu/libc.so.6' }]);
  assert.deepEqual(r.inventory.dependencies, [
    { ref: 'SPDXRef-app', dependsOn: ['SPDXRef-libc6'] },
    { ref: 'SPDXRef-libc6', dependsOn: ['SPDXRef-gcc'] },
  ]);
  assert.deepEqual(r.inventory.document.tools, [{ name: 'trivy', version: '0.58.0' }]);
  assert.ok(r.warnings.some((w) => w.includes('"broken"')));
});

test('SPDX 3.0.1: packages, purls, licenses via relationships, dependsOn edges', needsFixtures('sbom', 'spdx-examples'), async () => {
  const path = fixture('sbom', 'spdx-examples', 'software', 'example9', 'spdx3.0', 'appbomination.spdx3.json') as string;
  const r = await parseSbom(readFileSync(path), { fileName: 'appbomination.spdx3.json' });
  assert.equal(r.format, 'spdx3-jsonld');
  assert.equal(r.specVersion, '3.0.1');
  assert.equal(r.inventory.components.length, 7);
  assert.ok(r.inventory.components.some((c) => c.purl?.startsWith('pkg:')), 'purls read');
  assert.ok(r.inventory.components.some((c) => c.licenses.length > 0), 'licenses read');
  assert.equal(r.inventory.dependencies.length, 2);
  const ai = await parseSbom(readFileSync(fixture('sbom', 'spdx-examples', 'ai', 'example01', 'spdx3.0', 'simplehtr-example.json') as string), { fileName: 'simplehtr.json' });
  assert.ok(ai.inventory.components.some((c) => c.type === 'machine-learning-model'));
  assert.ok(ai.warnings.some((w) => w.includes('repeats an identical earlier element')));
});

test('format detection', TOOLS, () => {
  const cases: [string, string][] = [
    ['SPDXJSONExample-v2.3.spdx.json', 'spdx-json'],
    ['SPDXJSONExample-UTF-16.spdx.json', 'spdx-json'],
    ['SPDXTagExample-v2.3.spdx', 'spdx-tag-value'],
    ['SPDXYAMLExample-v2.3.spdx.yaml', 'spdx-yaml'],
    ['SPDXXMLExample-v2.3.spdx.xml', 'spdx-xml'],
  ];
  for (const [file, format] of cases) assert.equal(detectSbomFormat(readFileSync(fixture('sbom', 'spdx-tools-python', file) as string), file)?.format, format, file);
  assert.equal(detectSbomFormat(Buffer.from('{"hello":"world"}')), null);
  assert.equal(detectSbomFormat(Buffer.from('<bom xmlns="http://cyclonedx.org/schema/bom/1.5"/>'))?.specVersion, '1.5');
});

test('stella:* annotations written by the exporter come back: SPDX 2 package/document, SPDX 3 package/document', async () => {
  const created = '2026-01-01T00:00:00Z';
  const spdx2 = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'doc',
    documentNamespace: 'https://stella.invalid/spdx/doc-1',
    creationInfo: { created, creators: ['Tool: stella-evidence-workstation'] },
    annotations: [
      { annotator: 'Tool: stella-evidence-workstation', annotationDate: created, annotationType: 'OTHER', comment: 'build:id=42' },
      { annotator: 'Person: Jane', annotationDate: created, annotationType: 'REVIEW', comment: 'looks fine = ok' },
    ],
    packages: [
      {
        SPDXID: 'SPDXRef-a',
        name: 'a',
        downloadLocation: 'NOASSERTION',
        annotations: [
          { annotator: 'Tool: stella-evidence-workstation', annotationDate: created, annotationType: 'OTHER', comment: 'stella:location={"path":"/usr/lib/a.so","layer":"sha256:' + 'f'.repeat(64) + '"}' },
          { annotator: 'Tool: stella-evidence-workstation', annotationDate: created, annotationType: 'OTHER', comment: 'stella:property:cdx:npm:package:path=node_modules/a' },
          { annotator: 'Tool: stella-evidence-workstation', annotationDate: created, annotationType: 'OTHER', comment: 'stella:field:scope="optional"' },
        ],
      },
    ],
  };
  const r2 = await parseSbom(Buffer.from(JSON.stringify(spdx2)), { fileName: 'stella.spdx.json' });
  const a = r2.inventory.components[0];
  assert.deepEqual(a?.locations, [{ path: '/usr/lib/a.so', layer: 'sha256:' + 'f'.repeat(64) }]);
  assert.deepEqual(a?.properties, [{ name: 'cdx:npm:package:path', value: 'node_modules/a' }]);
  assert.equal(a?.scope, 'optional');
  assert.deepEqual(r2.inventory.document.properties, [{ name: 'build:id', value: '42' }]);
  assert.equal((r2.inventory.document.extra['spdx:annotations'] as unknown[]).length, 1, 'the human annotation is kept as is');

  const ci = '_:ci';
  const spdx3 = {
    '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld',
    '@graph': [
      { '@id': ci, type: 'CreationInfo', specVersion: '3.0.1', created, createdBy: ['urn:agent:stella'] },
      { spdxId: 'urn:agent:stella', type: 'SoftwareAgent', name: 'stella-evidence-workstation', creationInfo: ci },
      { spdxId: 'urn:doc', type: 'SpdxDocument', name: 'doc', creationInfo: ci, rootElement: ['urn:pkg:a'] },
      { spdxId: 'urn:pkg:a', type: 'software_Package', name: 'a', software_packageVersion: '1', software_sourceInfo: 'built package from: a-src 0.9', creationInfo: ci },
      { spdxId: 'urn:lic:1', type: 'simplelicensing_LicenseExpression', simplelicensing_licenseExpression: 'MIT', creationInfo: ci },
      { spdxId: 'urn:rel:1', type: 'Relationship', from: 'urn:pkg:a', to: ['urn:lic:1'], relationshipType: 'hasDeclaredLicense', creationInfo: ci },
      { spdxId: 'urn:ann:1', type: 'Annotation', subject: 'urn:pkg:a', annotationType: 'other', statement: 'stella:layer=sha256:' + 'a'.repeat(64), creationInfo: ci },
      { spdxId: 'urn:ann:2', type: 'Annotation', subject: 'urn:doc', annotationType: 'other', statement: 'build:id=42', creationInfo: ci },
    ],
  };
  const r3 = await parseSbom(Buffer.from(JSON.stringify(spdx3)), { fileName: 'stella.spdx3.json' });
  const p = r3.inventory.components[0];
  assert.equal(p?.layer, 'sha256:' + 'a'.repeat(64));
  assert.deepEqual(p?.source, { name: 'a-src', version: '0.9' });
  assert.deepEqual(p?.licenses, [{ expression: 'MIT', acknowledgement: 'declared' }]);
  assert.deepEqual(r3.inventory.document.properties, [{ name: 'build:id', value: '42' }]);
  const rest = r3.inventory.document.extra['spdx3:@graph'] as { type: string }[];
  assert.ok(!rest.some((e) => e.type === 'Annotation'), 'decoded annotations are not kept twice');
});
