import { readFileSync } from 'node:fs';
import { parseSbom } from './index';
import { exportInventory } from './export';
import { makeIdAllocator } from './export/_internal/spdx-common';
import type { Component, Inventory } from '../core';
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sortJ = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort(cmp);
function proj(c: Component, map: (r: string) => string) {
  return {
    type: c.type, name: c.name, group: c.group, version: c.version, purl: c.purl, cpes: [...c.cpes].sort(cmp), hashes: sortJ(c.hashes), licenses: sortJ(c.licenses),
    source: c.source, parent: c.parent === undefined ? undefined : map(c.parent), supplier: c.supplier, author: c.author, publisher: c.publisher, copyright: c.copyright,
    description: c.description, scope: c.scope, locations: sortJ(c.locations), externalReferences: sortJ(c.externalReferences), foundBy: c.foundBy, layer: c.layer, declared: c.declared,
    properties: sortJ(c.properties),
  };
}
function view(inv: Inventory, map: (r: string) => string) {
  const comps: Record<string, unknown> = {};
  for (const c of [...(inv.subject ? [inv.subject] : []), ...inv.components]) comps[map(c.ref)] = proj(c, map);
  const edges = inv.dependencies.flatMap((e) => e.dependsOn.map((d) => `${map(e.ref)} -> ${map(d)}`)).sort(cmp);
  return { subject: undefined, comps, edges };
}
const file = process.argv[2]!;
const inv1 = file.endsWith('small-inventory.json') ? JSON.parse(readFileSync(file, 'utf8')) as Inventory : (await parseSbom(readFileSync(file), { fileName: file })).inventory;
for (const [format, specVersion] of [['cyclonedx-json', '1.6'], ['cyclonedx-xml', '1.7'], ['spdx-json', '2.3'], ['spdx3-json', '3.0.1']]) {
  const out = exportInventory(inv1, { format: format!, specVersion });
  const inv2 = (await parseSbom(out.bytes, { fileName: 'x' })).inventory;
  const alloc = makeIdAllocator('SPDXRef-', (m) => { throw new Error(m); });
  const back = new Map<string, string>();
  for (const r of [inv1.subject?.ref, ...inv1.components.map((c) => c.ref)]) if (r) back.set(alloc(r), r);
  const map2 = (r: string) => back.get(r.includes('#') ? r.slice(r.lastIndexOf('#') + 1) : r) ?? r;
  const a = view(inv1, (r) => r); const b = view(inv2, map2);
  const diffs: string[] = [];
  if (JSON.stringify(a.subject) !== JSON.stringify(b.subject)) diffs.push('subject: ' + String(JSON.stringify(a.subject)).slice(0, 300) + '\n   vs ' + String(JSON.stringify(b.subject)).slice(0, 300));
  const keys = new Set([...Object.keys(a.comps), ...Object.keys(b.comps)]);
  for (const k of keys) {
    const x = a.comps[k] as Record<string, unknown> | undefined, y = b.comps[k] as Record<string, unknown> | undefined;
    if (!x || !y) { diffs.push(`missing ${k} ${!x ? 'in orig' : 'in re-import'}`); continue; }
    for (const f of Object.keys(x)) if (JSON.stringify(x[f]) !== JSON.stringify(y[f])) diffs.push(`${k}.${f}: ${JSON.stringify(x[f])?.slice(0, 200)} vs ${JSON.stringify(y[f])?.slice(0, 200)}`);
  }
  if (JSON.stringify(a.edges) !== JSON.stringify(b.edges)) diffs.push(`edges ${a.edges.length} vs ${b.edges.length}: ${a.edges.filter((e) => !b.edges.includes(e)).slice(0, 3)} | ${b.edges.filter((e) => !a.edges.includes(e)).slice(0, 3)}`);
  const fields = new Map<string, number>();
  for (const d of diffs) { const f = /\.(\w+):/.exec(d)?.[1] ?? d.slice(0, 20); fields.set(f, (fields.get(f) ?? 0) + 1); }
  console.log(format, specVersion, inv1.components.length, inv2.components.length, 'diffs', diffs.length, [...fields]);
  for (const d of diffs.slice(0, 4)) console.log('   ', d);
}
