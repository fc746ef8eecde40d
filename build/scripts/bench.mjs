#!/usr/bin/env node
// `npm run bench`: runs every build/bench/*.bench.ts in its own process (so peak RSS is per bench),
// collects the JSON result lines each prints on stdout ({"bench","metric","value","unit","target"?,"note"?}),
// and writes a Markdown table to bench-results/bench.md (also printed). Filters: `npm run bench -- sbom`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const filters = process.argv.slice(2);
const built = spawnSync(process.execPath, [join(root, 'build/scripts/build.mjs'), '--if-needed'], { stdio: 'inherit', cwd: root });
if (built.status !== 0) process.exit(built.status ?? 1);
const benchDir = join(root, 'build/bench');
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !filters.length || filters.some((x) => f.includes(x)))
  .sort();
const rows = [];
let failed = 0;
for (const f of files) {
  process.stderr.write(`bench: ${f}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(benchDir, f)], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      rows.push(JSON.parse(line));
    } catch {
      /* not a result line */
    }
  }
  if (r.status !== 0) {
    failed++;
    rows.push({ bench: f, metric: 'FAILED', value: r.status, unit: 'exit code' });
  }
}
const fmt = (v) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 3 : 1)) : String(v ?? ''));
const lines = [
  `# Stella benchmarks (${new Date().toISOString()}, node ${process.version}, ${(await import('node:os')).cpus().length} cores)`,
  '',
  '| bench | metric | value | unit | target | note |',
  '| --- | --- | ---: | --- | --- | --- |',
  ...rows.map((r) => `| ${r.bench} | ${r.metric} | ${fmt(r.value)} | ${r.unit ?? ''} | ${r.target ?? ''} | ${r.note ?? ''} |`),
];
mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(join(root, 'bench-results/bench.md'), `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
process.exit(failed ? 1 : 0);
