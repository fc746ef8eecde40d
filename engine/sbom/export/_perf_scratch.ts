import { newComponent, type Inventory } from '../../core';
import { exportInventory } from './index';
const n = 20000;
const comps = Array.from({ length: n }, (_, i) => newComponent({ ref: `pkg:npm/p${i}@1.0.${i}`, name: `p${i}`, type: 'library', version: `1.0.${i}`, purl: `pkg:npm/p${i}@1.0.${i}`, hashes: [{ alg: 'SHA-256', content: 'a'.repeat(64) }], licenses: [{ expression: 'MIT' }], parent: i % 10 === 0 && i > 0 ? `pkg:npm/p${i - 1}@1.0.${i - 1}` : undefined }));
const inv: Inventory = { document: { format: 'cyclonedx-json', specVersion: '1.6', tools: [], authors: [], properties: [], extra: {} }, components: comps, dependencies: comps.slice(1).map((c, i) => ({ ref: comps[i]!.ref, dependsOn: [c.ref] })) };
for (const f of ['cyclonedx-json', 'cyclonedx-xml', 'spdx-json', 'spdx3-json']) { const t = Date.now(); const r = exportInventory(inv, { format: f }); console.log(f, r.bytes.length, Date.now() - t, 'ms'); }
