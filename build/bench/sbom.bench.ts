/**
 * SBOM ingest: parse + validate + normalize + store (importSbom into a fresh home) of
 *  - a 10,000-component CycloneDX 1.6 JSON built from the real purls found in the shared SBOM fixtures
 *    (cycled, with a numeric version suffix where a purl repeats so every component is distinct), and
 *  - the largest valid SBOM in ../shared/fixtures/sbom.
 * Reported cold (the first import in the process compiles the CycloneDX JSON schema with ajv, ~0.3 s)
 * and warm (validators compiled once and cached, as in the app and a long-running worker).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { fixedClock } from '../../engine/core';
import { openStore } from '../../engine/store';
import { importSbom, parseSbom } from '../../engine/sbom';
import { fixture, tempDir } from '../test-support/fixtures';
import { measure, report } from './harness';

const BENCH = 'sbom';
const clock = fixedClock('2026-01-01T00:00:00.000Z');

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
}

const root = fixture('sbom');
if (!root) {
  report({ bench: BENCH, metric: 'skipped', value: 'shared fixtures not found (set STELLA_FIXTURES)' });
  process.exit(0);
}
const docs = walk(root).filter((p) => /\.(json|xml|spdx|yaml)$/.test(p) && !p.includes('cyclonedx-schema'));

// Real purls from the corpus.
const purls = new Set<string>();
for (const p of docs) {
  for (const m of readFileSync(p, 'utf8').matchAll(/pkg:[a-z0-9.+-]+\/[^"<\s]+/gi)) purls.add(m[0].replace(/&amp;/g, '&'));
}
const realPurls = [...purls].filter((p) => /@/.test(p)).sort();

function build10k(n: number): Buffer {
  const components = [];
  const dependencies = [];
  for (let i = 0; i < n; i++) {
    const base = realPurls[i % realPurls.length] as string;
    const round = Math.floor(i / realPurls.length);
    const [head, query] = base.split('?') as [string, string | undefined];
    const at = head.lastIndexOf('@');
    const name = decodeURIComponent(head.slice(head.lastIndexOf('/', at) + 1, at));
    const version = `${head.slice(at + 1)}${round ? `.${round}` : ''}`;
    const purl = `${head.slice(0, at)}@${version}${query ? `?${query}` : ''}`;
    components.push({
      type: 'library',
      'bom-ref': `c${i}`,
      name,
      version,
      purl,
      hashes: [{ alg: 'SHA-256', content: (i.toString(16).padStart(8, '0') + 'ab').repeat(8).slice(0, 64) }],
      licenses: [{ license: { id: i % 2 ? 'MIT' : 'Apache-2.0' } }],
      properties: [{ name: 'aquasecurity:trivy:LayerDiffID', value: `sha256:${'0'.repeat(63)}${i % 10}` }],
    });
    if (i > 0) dependencies.push({ ref: `c${i}`, dependsOn: [`c${i - 1}`] });
  }
  return Buffer.from(
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
      version: 1,
      metadata: { timestamp: '2026-01-01T00:00:00Z', component: { type: 'application', name: 'bench', 'bom-ref': 'root' } },
      components,
      dependencies,
    }),
  );
}

async function importOnce(bytes: Buffer, name: string): Promise<{ ms: number; cpuMs: number; peakRssMb: number; components: number }> {
  const store = openStore({ home: tempDir('stella-bench-') });
  try {
    let cpuMs = 0;
    const m = await measure(async () => {
      // CPU time next to wall time: on a shared, loaded machine wall time mostly measures waiting for a core.
      const c0 = process.cpuUsage();
      const rec = await importSbom(store, { bytes, name }, { clock });
      const d = process.cpuUsage(c0);
      cpuMs = (d.user + d.system) / 1000;
      return rec;
    });
    return { ms: m.ms, cpuMs, peakRssMb: m.peakRssMb, components: m.result.componentCount };
  } finally {
    store.close();
  }
}

const big = build10k(10_000);
const note = `CycloneDX 1.6 JSON, ${(big.length / 1e6).toFixed(1)} MB, built from ${realPurls.length} real purls in the fixtures`;
const cold = await importOnce(big, 'bench-10k.cdx.json');
report({ bench: BENCH, metric: '10k components: parse+validate+normalize+store, cold (incl. schema compile)', value: Math.round(cold.ms), unit: 'ms', target: '≤ 1000 ms', note });
report({ bench: BENCH, metric: '10k components: CPU time (user+sys), cold', value: Math.round(cold.cpuMs), unit: 'ms' });
report({ bench: BENCH, metric: '10k components: peak RSS, cold', value: Math.round(cold.peakRssMb), unit: 'MB', target: '≤ 300 MB' });
const warm = await importOnce(big, 'bench-10k.cdx.json');
report({ bench: BENCH, metric: '10k components: parse+validate+normalize+store, warm', value: Math.round(warm.ms), unit: 'ms', target: '≤ 1000 ms', note: `${warm.components} components stored` });
report({ bench: BENCH, metric: '10k components: CPU time (user+sys), warm', value: Math.round(warm.cpuMs), unit: 'ms', note: `load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores while measuring` });
report({ bench: BENCH, metric: '10k components: peak RSS, warm', value: Math.round(warm.peakRssMb), unit: 'MB', target: '≤ 300 MB' });

// Largest valid SBOM in the corpus.
const bySize = docs.map((p) => ({ p, size: statSync(p).size })).sort((a, b) => b.size - a.size);
for (const { p, size } of bySize) {
  try {
    await parseSbom(readFileSync(p), { fileName: p });
  } catch {
    continue; // the invalid example
  }
  const r = await importOnce(readFileSync(p), p);
  const rel = p.slice(root.length + 1);
  report({ bench: BENCH, metric: 'largest fixture SBOM: parse+validate+normalize+store', value: Math.round(r.ms), unit: 'ms', note: `${rel} (${(size / 1024).toFixed(0)} KiB, ${r.components} components)` });
  report({ bench: BENCH, metric: 'largest fixture SBOM: peak RSS', value: Math.round(r.peakRssMb), unit: 'MB' });
  break;
}
