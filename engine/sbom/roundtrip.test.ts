/**
 * Round trip: import (parseSbom) → export in every format → import again gives the same components,
 * purls, hashes, licenses, dependency edges and source-package info (and every other normalized field),
 * on real fixture SBOMs of every input family. Every export is also checked against its schema.
 *
 * Refs: CycloneDX keeps refs; SPDX exports derive SPDXIDs from refs, so re-imported refs are mapped back
 * through the same derivation. SPDX has no separate subject (the importer makes the described package a
 * component), so subject and components are compared as one set.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fixture, needsFixtures } from '../../build/test-support/fixtures';
import type { Component, Inventory } from '../core';
import { parseSbom } from './index';
import { exportInventory, type ExportFormat } from './export';
import { makeIdAllocator } from './export/_internal/spdx-common';
import { validateCycloneDxJsonWithSchema, validateCycloneDxXml, validateSpdx23, validateSpdx3 } from './export/_internal/validators';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/** Inputs: shared fixtures (path parts) or files of this repository (absolute path). */
const SOURCES: { name: string; parts?: string[]; path?: string; inventoryJson?: boolean }[] = [
  { name: 'CycloneDX 1.x JSON (dropwizard)', parts: ['sbom', 'cyclonedx-bom-examples', 'SBOM', 'dropwizard-1.3.15', 'bom.json'] },
  { name: 'CycloneDX 1.4 JSON (laravel)', parts: ['sbom', 'cyclonedx-bom-examples', 'SBOM', 'laravel-7.12.0', 'bom.1.4.json'] },
  { name: 'CycloneDX XML (cern)', parts: ['sbom', 'cyclonedx-bom-examples', 'SBOM', 'cern-lhc-vdm-editor-e564943', 'bom.xml'] },
  { name: 'CycloneDX XML (proton-bridge)', parts: ['sbom', 'cyclonedx-bom-examples', 'SBOM', 'proton-bridge', 'proton-bridge-v1.8.0.bom.xml'] },
  { name: 'SPDX 2.3 JSON (tools-python example)', parts: ['sbom', 'spdx-tools-python', 'SPDXJSONExample-v2.3.spdx.json'] },
  { name: 'SPDX 2.3 JSON (maven enriched)', parts: ['sbom', 'spdx-examples', 'software', 'example14', 'spdx2.3', 'examplemaven-0.0.1-enriched.spdx.json'] },
  { name: 'SPDX 3.0.1 JSON-LD (hello-source)', parts: ['sbom', 'spdx-examples', 'software', 'example10', 'spdx3.0', 'hello-source.spdx3.json'] },
  { name: 'Syft JSON (debian, source packages)', path: here('./testdata/syft-debian.syft.json') },
  { name: 'Trivy JSON (debian, source packages)', path: here('./testdata/trivy-debian.trivy.json') },
  { name: 'hand-made inventory (every field)', path: here('./export/testdata/small-inventory.json'), inventoryJson: true },
];

const TARGETS: { format: ExportFormat; specVersion: string }[] = [
  { format: 'cyclonedx-json', specVersion: '1.6' },
  { format: 'cyclonedx-json', specVersion: '1.7' },
  { format: 'cyclonedx-xml', specVersion: '1.6' },
  { format: 'cyclonedx-xml', specVersion: '1.7' },
  { format: 'spdx-json', specVersion: '2.3' },
  { format: 'spdx3-json', specVersion: '3.0.1' },
];

/** Every normalized component field (some formats carry part of them as stella:* properties/annotations). */
const FIELDS = [
  'type', 'name', 'group', 'version', 'purl', 'cpes', 'hashes', 'licenses', 'source', 'parent', 'supplier', 'author', 'publisher',
  'copyright', 'description', 'scope', 'locations', 'externalReferences', 'foundBy', 'layer', 'declared', 'properties',
] as const;

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sortedJson = (xs: readonly unknown[]): string[] => xs.map((x) => JSON.stringify(x)).sort(cmp);

function project(c: Component, map: (ref: string) => string, fields: readonly string[]): Record<string, unknown> {
  const full: Record<string, unknown> = {
    type: c.type,
    name: c.name,
    group: c.group,
    version: c.version,
    purl: c.purl,
    cpes: [...c.cpes].sort(cmp),
    hashes: sortedJson(c.hashes),
    licenses: sortedJson(c.licenses),
    source: c.source,
    parent: c.parent === undefined ? undefined : map(c.parent),
    supplier: c.supplier,
    author: c.author,
    publisher: c.publisher,
    copyright: c.copyright,
    description: c.description,
    scope: c.scope,
    locations: sortedJson(c.locations),
    externalReferences: sortedJson(c.externalReferences),
    foundBy: c.foundBy,
    layer: c.layer,
    declared: c.declared,
    properties: sortedJson(c.properties),
  };
  return Object.fromEntries(fields.map((f) => [f, JSON.parse(JSON.stringify(full[f] ?? null))]));
}

function view(inv: Inventory, map: (ref: string) => string, fields: readonly string[]): { components: Record<string, unknown>; edges: string[] } {
  const components: Record<string, unknown> = {};
  for (const c of [...(inv.subject ? [inv.subject] : []), ...inv.components]) components[map(c.ref)] = project(c, map, fields);
  const edges = inv.dependencies.flatMap((e) => e.dependsOn.map((d) => `${map(e.ref)} -> ${map(d)}`)).sort(cmp);
  return { components, edges };
}

/** Re-imported ref → original ref (SPDX ids are derived from refs by the exporter's allocator). */
function refMapper(original: Inventory): (ref: string) => string {
  const alloc = makeIdAllocator('SPDXRef-', (m) => {
    throw new Error(m);
  });
  const back = new Map<string, string>();
  for (const r of [original.subject?.ref, ...original.components.map((c) => c.ref)]) if (r !== undefined) back.set(alloc(r), r);
  return (ref) => back.get(ref.slice(ref.lastIndexOf('#') + 1)) ?? ref;
}

async function load(src: (typeof SOURCES)[number]): Promise<Inventory> {
  const path = src.path ?? fixture(...src.parts!)!;
  if (src.inventoryJson) return JSON.parse(readFileSync(path, 'utf8')) as Inventory;
  return (await parseSbom(readFileSync(path), { fileName: path })).inventory;
}

async function validate(format: ExportFormat, specVersion: string, text: string): Promise<string[]> {
  switch (format) {
    case 'cyclonedx-json':
      return validateCycloneDxJsonWithSchema(text, fixture('sbom', 'cyclonedx-schema')!, specVersion);
    case 'cyclonedx-xml':
      return validateCycloneDxXml(text, specVersion);
    case 'spdx-json':
      return validateSpdx23(text);
    case 'spdx3-json':
      return validateSpdx3(text);
  }
}

function skipFor(src: (typeof SOURCES)[number]): { skip: string | false } {
  if (src.parts) return needsFixtures(...src.parts);
  return existsSync(src.path!) ? { skip: false } : { skip: `${src.path} not found` };
}

async function roundTrip(src: (typeof SOURCES)[number], t: (typeof TARGETS)[number], fields: readonly string[]): Promise<void> {
  const original = await load(src);
  const exported = exportInventory(original, t);
  const text = exported.bytes.toString('utf8');
  assert.deepEqual(await validate(t.format, t.specVersion, text), [], `${t.format} ${t.specVersion} export of ${src.name} is not valid`);
  const again = await parseSbom(exported.bytes, { fileName: `export${exported.extension}` });
  assert.equal(again.specVersion, t.specVersion);
  const a = view(original, (r) => r, fields);
  const b = view(again.inventory, refMapper(original), fields);
  assert.ok(Object.keys(a.components).length > 0);
  assert.deepEqual(Object.keys(b.components).sort(cmp), Object.keys(a.components).sort(cmp), 'component set');
  for (const ref of Object.keys(a.components)) assert.deepEqual(b.components[ref], a.components[ref], `component ${ref}`);
  assert.deepEqual(b.edges, a.edges, 'dependency edges');
}

for (const src of SOURCES) {
  for (const t of TARGETS) {
    test(`round trip ${src.name} → ${t.format} ${t.specVersion} → import: every normalized field`, skipFor(src), async () => {
      await roundTrip(src, t, FIELDS);
    });
  }
}
