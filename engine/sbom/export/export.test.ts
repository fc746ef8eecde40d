/* eslint-disable @typescript-eslint/no-explicit-any -- the assertions walk parsed JSON documents of four formats */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import { newComponent, type Inventory } from '../../core';
import {
  applyDocumentStellaProperties,
  applyStellaProperties,
  componentToStellaProperties,
  inventoryToStellaProperties,
  STELLA_PROP,
  stellaCpeProperty,
  stellaExternalReferenceProperty,
  stellaFieldProperty,
  stellaHashProperty,
  stellaLicensesProperty,
  stellaLocationProperty,
  stellaWrappedProperty,
} from '../_internal/stella-properties';
import { isIriReference } from './_internal/common';
import { exportInventory, EXPORT_SPEC_VERSIONS, SbomExportError, type ExportFormat } from './index';
import { validateCycloneDxJsonWithLibrary, validateCycloneDxJsonWithSchema, validateCycloneDxXml, validateSpdx23, validateSpdx3 } from './_internal/validators';

const SMALL = fileURLToPath(new URL('./testdata/small-inventory.json', import.meta.url));
const loadSmall = (): Inventory => JSON.parse(readFileSync(SMALL, 'utf8')) as Inventory;

const CASES: { format: ExportFormat; specVersion: string }[] = Object.entries(EXPORT_SPEC_VERSIONS).flatMap(([format, versions]) =>
  versions.map((specVersion) => ({ format: format as ExportFormat, specVersion })),
);

for (const { format, specVersion } of CASES) {
  test(`${format} ${specVersion}: output validates`, needsFixtures('sbom', 'cyclonedx-schema'), async () => {
    const r = exportInventory(loadSmall(), { format, specVersion });
    const text = r.bytes.toString('utf8');
    assert.equal(r.specVersion, specVersion);
    switch (format) {
      case 'cyclonedx-json':
        assert.deepEqual(validateCycloneDxJsonWithSchema(text, fixture('sbom', 'cyclonedx-schema')!, specVersion), []);
        assert.deepEqual(await validateCycloneDxJsonWithLibrary(text, specVersion), []);
        assert.equal((JSON.parse(text) as { specVersion: string }).specVersion, specVersion);
        break;
      case 'cyclonedx-xml':
        assert.deepEqual(await validateCycloneDxXml(text, specVersion), []);
        assert.match(text, new RegExp(`xmlns="http://cyclonedx.org/schema/bom/${specVersion.replace('.', '\\.')}"`));
        break;
      case 'spdx-json':
        assert.deepEqual(validateSpdx23(text), []);
        break;
      case 'spdx3-json':
        assert.deepEqual(validateSpdx3(text), []);
        break;
    }
  });

  test(`${format} ${specVersion}: deterministic regardless of input order`, () => {
    const a = exportInventory(loadSmall(), { format, specVersion });
    const shuffled = loadSmall();
    shuffled.components.reverse();
    shuffled.dependencies.reverse();
    for (const c of shuffled.components) {
      c.hashes.reverse();
      c.cpes.reverse();
      c.properties.reverse();
      c.externalReferences.reverse();
    }
    const b = exportInventory(shuffled, { format, specVersion });
    assert.equal(b.bytes.toString('utf8'), a.bytes.toString('utf8'));
    assert.equal(b.digest, a.digest);
  });
}

test('validators reject broken documents (they can fail)', needsFixtures('sbom', 'cyclonedx-schema'), async () => {
  const cdx = JSON.parse(exportInventory(loadSmall(), { format: 'cyclonedx-json' }).bytes.toString('utf8')) as { components: { type: string }[] };
  cdx.components[0]!.type = 'not-a-type';
  assert.notDeepEqual(validateCycloneDxJsonWithSchema(JSON.stringify(cdx), fixture('sbom', 'cyclonedx-schema')!, '1.6'), []);
  const xml = exportInventory(loadSmall(), { format: 'cyclonedx-xml' }).bytes.toString('utf8').replace('<name>libssl3</name>', '<nom>libssl3</nom>');
  assert.notDeepEqual(await validateCycloneDxXml(xml, '1.6'), []);
  const spdx = JSON.parse(exportInventory(loadSmall(), { format: 'spdx-json' }).bytes.toString('utf8')) as { packages: { SPDXID: string }[] };
  spdx.packages[0]!.SPDXID = 'bad id';
  assert.notDeepEqual(validateSpdx23(JSON.stringify(spdx)), []);
  const s3 = JSON.parse(exportInventory(loadSmall(), { format: 'spdx3-json' }).bytes.toString('utf8')) as { '@graph': { type: string; from?: string }[] };
  s3['@graph'].find((e) => e.type === 'Relationship')!.from = 'https://nowhere.invalid/x';
  assert.notDeepEqual(validateSpdx3(JSON.stringify(s3)), []);
});

test('unsupported format / spec version → SbomExportError (usage) naming allowed values', () => {
  const rows: { opts: { format: string; specVersion?: string }; code: string; mentions: string[] }[] = [
    { opts: { format: 'cyclonedx-yaml' }, code: 'unsupported-format', mentions: ['cyclonedx-json', 'cyclonedx-xml', 'spdx-json', 'spdx3-json'] },
    { opts: { format: 'cyclonedx-json', specVersion: '1.4' }, code: 'unsupported-spec-version', mentions: ['1.6', '1.7'] },
    { opts: { format: 'spdx-json', specVersion: '2.2' }, code: 'unsupported-spec-version', mentions: ['2.3'] },
    { opts: { format: 'spdx3-json', specVersion: '3.0' }, code: 'unsupported-spec-version', mentions: ['3.0.1'] },
  ];
  for (const row of rows) {
    assert.throws(
      () => exportInventory(loadSmall(), row.opts),
      (e: unknown) => {
        assert.ok(e instanceof SbomExportError);
        assert.equal(e.code, row.code);
        assert.equal(e.category, 'usage');
        assert.equal(e.exitCode, 2);
        for (const m of row.mentions) assert.ok(e.message.includes(m), `${e.message} should mention ${m}`);
        return true;
      },
    );
  }
});

test('defaults: CycloneDX 1.6, SPDX 2.3, SPDX 3.0.1; media types and extensions', () => {
  const rows: [ExportFormat, string, string, string][] = [
    ['cyclonedx-json', '1.6', 'application/vnd.cyclonedx+json; version=1.6', '.cdx.json'],
    ['cyclonedx-xml', '1.6', 'application/vnd.cyclonedx+xml; version=1.6', '.cdx.xml'],
    ['spdx-json', '2.3', 'application/spdx+json', '.spdx.json'],
    ['spdx3-json', '3.0.1', 'application/spdx+json', '.spdx3.json'],
  ];
  for (const [format, v, media, ext] of rows) {
    const r = exportInventory(loadSmall(), { format });
    assert.equal(r.specVersion, v);
    assert.equal(r.mediaType, media);
    assert.equal(r.extension, ext);
    assert.match(r.digest, /^sha256:[0-9a-f]{64}$/);
  }
});

test('duplicate or empty refs are refused as invalid input naming the path', () => {
  const dup = loadSmall();
  dup.components.push({ ...dup.components[0]! });
  const empty = loadSmall();
  empty.components[1]!.ref = '';
  for (const [inv, path] of [
    [dup, '/components/'],
    [empty, '/components/1/ref'],
  ] as const) {
    for (const { format } of CASES) {
      assert.throws(
        () => exportInventory(inv, { format }),
        (e: unknown) => e instanceof SbomExportError && e.code === 'invalid-inventory' && e.category === 'invalid-input' && e.message.includes(path),
      );
    }
  }
});

test('CycloneDX: serial number from content, no timestamp without document.created, nesting by parent', () => {
  const inv = loadSmall();
  const a = JSON.parse(exportInventory(inv, { format: 'cyclonedx-json' }).bytes.toString('utf8')) as Record<string, any>;
  assert.match(a.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(a.metadata.timestamp, '2024-05-01T12:00:00.000Z');
  const util = a.components.find((c: any) => c['bom-ref'] === 'pkg:npm/%40acme/util@2.3.4');
  assert.equal(util.components[0]['bom-ref'], 'pkg:npm/%40acme/util@2.3.4#lib/inner');
  assert.equal(a.components.some((c: any) => c['bom-ref'] === 'pkg:npm/%40acme/util@2.3.4#lib/inner'), false);
  assert.deepEqual(a.properties, [{ name: 'acme:build', value: '42' }]);

  const noTime = loadSmall();
  delete noTime.document.created;
  const b = JSON.parse(exportInventory(noTime, { format: 'cyclonedx-json' }).bytes.toString('utf8')) as Record<string, any>;
  assert.equal(b.metadata.timestamp, undefined);
  assert.notEqual(b.serialNumber, a.serialNumber);
  const xml = exportInventory(noTime, { format: 'cyclonedx-xml' }).bytes.toString('utf8');
  assert.equal(xml.includes('<timestamp>'), false);

  // A parent that is not in the document cannot be expressed by nesting: it travels as stella:parent.
  const orphan = loadSmall();
  orphan.components.find((c) => c.ref.endsWith('#lib/inner'))!.parent = 'missing-parent';
  const o = JSON.parse(exportInventory(orphan, { format: 'cyclonedx-json' }).bytes.toString('utf8')) as Record<string, any>;
  const inner = o.components.find((c: any) => c['bom-ref'] === 'pkg:npm/%40acme/util@2.3.4#lib/inner');
  assert.ok(inner.properties.some((p: any) => p.name === 'stella:parent' && p.value === 'missing-parent'));
});

test('edges that cannot be written are reported as warnings, never dropped silently', () => {
  const inv = loadSmall();
  inv.dependencies.push({ ref: 'pkg:pypi/requests@2.31.0', dependsOn: ['pkg:pypi/requests@2.31.0', 'pkg:pypi/not-in-document@1'] });
  for (const { format } of CASES) {
    const w = exportInventory(inv, { format }).warnings;
    assert.ok(w.includes('dependency edge pkg:pypi/requests@2.31.0 -> pkg:pypi/not-in-document@1 not written: both ends must be components of the document'), format);
    assert.equal(w.some((x) => x.includes('self-dependency')), format.startsWith('cyclonedx'), format);
  }
  const spdx = JSON.parse(exportInventory(inv, { format: 'spdx-json' }).bytes.toString('utf8')) as Record<string, any>;
  const req = spdx.packages.find((p: any) => p.name === 'requests').SPDXID;
  assert.ok(spdx.relationships.some((r: any) => r.spdxElementId === req && r.relatedSpdxElement === req && r.relationshipType === 'DEPENDS_ON'));
});

test('CycloneDX: fields without a slot become stella:* properties', () => {
  const a = JSON.parse(exportInventory(loadSmall(), { format: 'cyclonedx-json', specVersion: '1.7' }).bytes.toString('utf8')) as Record<string, any>;
  const ssl = a.components.find((c: any) => c.name === 'libssl3');
  const names = ssl.properties.map((p: any) => p.name);
  assert.deepEqual(names, [...names].sort());
  for (const n of ['stella:cpe', 'stella:foundBy', 'stella:hash:SHA-224', 'stella:layer', 'stella:location', 'stella:source:name', 'stella:source:version']) assert.ok(names.includes(n), n);
  assert.deepEqual(
    ssl.hashes.map((h: any) => h.alg),
    ['MD5', 'SHA-256'],
  );
  const req = a.components.find((c: any) => c.name === 'requests');
  const lic = req.properties.find((p: any) => p.name === 'stella:licenses');
  assert.deepEqual(JSON.parse(lic.value), [
    { expression: 'Apache-2.0', acknowledgement: 'concluded' },
    { expression: 'LicenseRef-acme-addendum', acknowledgement: 'declared' },
  ]);
});

test('CycloneDX: same-family extras go back natively in JSON when the target schema accepts them', () => {
  const inv = loadSmall();
  const util = inv.components.find((c) => c.name === 'util')!;
  util.extra['cyclonedx:bogusField'] = 1;
  const ssl = inv.components.find((c) => c.name === 'libssl3')!;
  ssl.extra['cyclonedx:pedigree'] = 'not an object';
  inv.document.extra['cyclonedx:metadata'] = { lifecycles: [{ phase: 'build' }], supplier: 42 };
  inv.document.extra['cyclonedx:compositions'] = [{ aggregate: 'complete' }];
  for (const specVersion of ['1.6', '1.7']) {
    const a = JSON.parse(exportInventory(inv, { format: 'cyclonedx-json', specVersion }).bytes.toString('utf8')) as Record<string, any>;
    const u = a.components.find((c: any) => c.name === 'util');
    assert.deepEqual(u.pedigree, { notes: 'patched' });
    assert.equal(u.properties.some((p: any) => p.name === 'stella:extra:cyclonedx:pedigree'), false);
    assert.equal(u.bogusField, undefined);
    assert.ok(u.properties.some((p: any) => p.name === 'stella:extra:cyclonedx:bogusField' && p.value === '1'));
    const s = a.components.find((c: any) => c.name === 'libssl3');
    assert.equal(s.pedigree, undefined);
    assert.ok(s.properties.some((p: any) => p.name === 'stella:extra:cyclonedx:pedigree'));
    assert.deepEqual(a.metadata.lifecycles, [{ phase: 'build' }]);
    assert.equal(a.metadata.supplier, undefined);
    assert.deepEqual(a.compositions, [{ aggregate: 'complete' }]);
  }
  const xml = exportInventory(inv, { format: 'cyclonedx-xml' }).bytes.toString('utf8');
  assert.ok(xml.includes('<property name="stella:extra:cyclonedx:pedigree">{"notes":"patched"}</property>'));
});

test('SPDX 2.3: ids, checksums (every algorithm kept), relationships, LicenseRefs, wrapped properties', () => {
  const d = JSON.parse(exportInventory(loadSmall(), { format: 'spdx-json' }).bytes.toString('utf8')) as Record<string, any>;
  assert.match(d.documentNamespace, /^https:\/\/stella\.invalid\/spdx\/demo-app-[0-9a-f-]{36}$/);
  assert.equal(d.creationInfo.created, '2024-05-01T12:00:00Z');
  const ssl = d.packages.find((p: any) => p.name === 'libssl3');
  assert.deepEqual(
    ssl.checksums.map((c: any) => c.algorithm),
    ['MD5', 'SHA224', 'SHA256'],
  );
  assert.deepEqual(ssl.externalRefs[0], { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:deb/debian/libssl3@3.0.11-1?arch=amd64&distro=debian-12' });
  assert.equal(ssl.externalRefs.filter((r: any) => r.referenceType === 'cpe23Type').length, 2);
  const id = (name: string): string => d.packages.find((p: any) => p.name === name).SPDXID;
  const rels = d.relationships.map((r: any) => `${r.spdxElementId} ${r.relationshipType} ${r.relatedSpdxElement}`);
  assert.ok(rels.includes(`SPDXRef-DOCUMENT DESCRIBES ${id('demo-app')}`));
  // Nesting travels as stella:parent (readers take CONTAINS as a dependency edge).
  assert.equal(rels.some((r: string) => r.includes('CONTAINS')), false);
  assert.ok(d.packages.find((p: any) => p.name === 'inner.js').annotations.some((a: any) => a.comment === 'stella:parent=pkg:npm/%40acme/util@2.3.4'));
  assert.ok(rels.includes(`${id('util')} DEPENDS_ON ${id('libssl3')}`));
  assert.ok(rels.includes(`${id('demo-app')} DEPENDS_ON ${id('requests')}`));
  const inner = d.packages.find((p: any) => p.name === 'inner.js');
  assert.match(inner.licenseDeclared, /^MIT AND LicenseRef-Acme-Proprietary-[0-9a-f]{8}$/);
  assert.ok(d.hasExtractedLicensingInfos.some((x: any) => x.name === 'Acme Proprietary' && x.extractedText === 'All rights reserved.'));
  assert.ok(ssl.annotations.some((a: any) => a.comment === 'stella:property:acme:section=libs'));
  const noTime = loadSmall();
  delete noTime.document.created;
  const e = JSON.parse(exportInventory(noTime, { format: 'spdx-json' }).bytes.toString('utf8')) as Record<string, any>;
  assert.equal(e.creationInfo.created, '1970-01-01T00:00:00Z');
});

test('SPDX 3.0.1: graph shape', () => {
  const d = JSON.parse(exportInventory(loadSmall(), { format: 'spdx3-json' }).bytes.toString('utf8')) as Record<string, any>;
  assert.equal(d['@context'], 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld');
  const g: any[] = d['@graph'];
  assert.equal(g[0].type, 'CreationInfo');
  const docEl = g.find((e) => e.type === 'SpdxDocument');
  const pkg = (name: string): any => g.find((e) => e.type === 'software_Package' && e.name === name);
  assert.deepEqual(docEl.rootElement, [pkg('demo-app').spdxId]);
  const ssl = pkg('libssl3');
  assert.equal(ssl.software_packageUrl, 'pkg:deb/debian/libssl3@3.0.11-1?arch=amd64&distro=debian-12');
  assert.deepEqual(
    ssl.verifiedUsing.map((h: any) => h.algorithm),
    ['md5', 'sha224', 'sha256'],
  );
  assert.equal(ssl.externalIdentifier.length, 2);
  const rel = (from: string, type: string): any => g.find((e) => e.type === 'Relationship' && e.from === from && e.relationshipType === type);
  assert.equal(rel(pkg('util').spdxId, 'contains'), undefined);
  assert.deepEqual(rel(pkg('util').spdxId, 'dependsOn').to, [ssl.spdxId]);
  const lic = g.find((e) => e.spdxId === rel(ssl.spdxId, 'hasDeclaredLicense').to[0]);
  assert.equal(lic.simplelicensing_licenseExpression, 'Apache-2.0');
  assert.ok(g.some((e) => e.type === 'Annotation' && e.subject === ssl.spdxId && e.statement === 'stella:source:name=openssl'));
});

test('stella:* encoders and applyStellaProperties are symmetric', () => {
  const c = newComponent({ ref: 'r', name: 'n', type: 'library' });
  const full = newComponent({
    ref: 'r',
    name: 'n',
    type: 'cryptographic-asset',
    group: 'g',
    author: 'a',
    publisher: 'p',
    scope: 'optional',
    supplier: { name: 's', url: ['https://s.invalid/'], contact: [{ name: 'k', email: 'k@s.invalid' }] },
    source: { name: 'src', version: '1' },
    layer: 'sha256:00',
    foundBy: 'os/dpkg@1',
    declared: false,
    parent: 'p0',
    cpes: ['cpe:2.3:a:x:y:1:*:*:*:*:*:*:*'],
    hashes: [{ alg: 'SHA-224', content: 'ab' }],
    locations: [
      { path: 'a', layer: 'sha256:00', line: 3 },
      { path: 'a', layer: 'sha256:00', line: 3 },
    ],
    externalReferences: [{ type: 'x-kind', url: 'u', comment: 'c' }],
    licenses: [{ name: 'N', url: 'https://l.invalid/', text: 't', acknowledgement: 'concluded' }, { expression: 'MIT' }],
    extra: { 'cyclonedx:pedigree': { notes: 'x' } },
    properties: [{ name: 'acme:x', value: '1' }],
  });
  const props = [
    ...full.properties.map(stellaWrappedProperty),
    ...componentToStellaProperties(full),
    { name: STELLA_PROP.parent, value: full.parent! },
    ...(['type', 'group', 'author', 'publisher', 'scope', 'supplier'] as const).map((f) => stellaFieldProperty(full, f)!),
    ...full.cpes.map(stellaCpeProperty),
    ...full.hashes.map(stellaHashProperty),
    ...full.locations.map(stellaLocationProperty),
    ...full.externalReferences.map(stellaExternalReferenceProperty),
    stellaLicensesProperty(full.licenses),
    { name: 'other:prop', value: 'kept' },
  ];
  const rest = applyStellaProperties(c, props);
  c.properties = rest.filter((p) => p.name !== 'other:prop');
  assert.deepEqual(c, full);
  assert.deepEqual(
    rest.map((p) => p.name),
    ['acme:x', 'other:prop'],
  );
  // Malformed values are kept as plain properties, never dropped.
  const d = newComponent({ ref: 'r', name: 'n', type: 'library' });
  const bad = [
    { name: 'stella:field:scope', value: '"sometimes"' },
    { name: 'stella:location', value: 'not json' },
    { name: 'stella:licenses', value: '{}' },
  ];
  assert.deepEqual(applyStellaProperties(d, bad), bad);
});

test('inventory.os travels as document-level stella:os:* properties in every format', () => {
  const inv = loadSmall();
  inv.os = { id: 'debian', versionId: '12', name: 'Debian GNU/Linux 12 (bookworm)' };
  const cdx = JSON.parse(exportInventory(inv, { format: 'cyclonedx-json' }).bytes.toString('utf8')) as Record<string, any>;
  assert.ok(cdx.properties.some((p: any) => p.name === 'stella:os:id' && p.value === 'debian'));
  assert.ok(exportInventory(inv, { format: 'cyclonedx-xml' }).bytes.toString('utf8').includes('<property name="stella:os:versionId">12</property>'));
  const spdx = JSON.parse(exportInventory(inv, { format: 'spdx-json' }).bytes.toString('utf8')) as Record<string, any>;
  assert.ok(spdx.annotations.some((a: any) => a.comment === 'stella:os:name=Debian GNU/Linux 12 (bookworm)'));
  const s3 = exportInventory(inv, { format: 'spdx3-json' }).bytes.toString('utf8');
  assert.ok(s3.includes('"statement": "stella:os:id=debian"'));
  const back: Inventory = { ...loadSmall() };
  const rest = applyDocumentStellaProperties(back, [...inventoryToStellaProperties(inv), { name: 'acme:build', value: '42' }]);
  assert.deepEqual(back.os, inv.os);
  assert.deepEqual(rest, [{ name: 'acme:build', value: '42' }]);
});

test('IRI-reference check used for URLs', () => {
  const rows: [string, boolean][] = [
    ['https://example.org/a?b#c', true],
    ['git+https://github.com/CERN/lhc-vdm-editor.git', true],
    ['git+ssh://git@github.com/maxogden/concat-stream.git', true],
    ['relative/path', true],
    ['https://github.com/FasterXML/${project.artifactId}/issues', false],
    ['http://x y', false],
    ['1http://x', false],
    ['http://x/%zz', false],
  ];
  for (const [s, ok] of rows) assert.equal(isIriReference(s), ok, s);
});
