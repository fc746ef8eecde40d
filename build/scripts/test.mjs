#!/usr/bin/env node
// `npm test`: builds what the tests spawn (CLI, workers, UI), then runs every `*.test.ts` / `*.test.tsx`
// under engine/, app/, plugins/ and build/ with node's test runner (TypeScript through tsx).
// Extra arguments are file filters: `npm test -- sbom` runs only test files whose path contains "sbom".
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const passthrough = process.argv.slice(2).filter((a) => a.startsWith('-'));

const built = spawnSync(process.execPath, [join(root, 'build/scripts/build.mjs'), '--if-needed'], { stdio: 'inherit', cwd: root });
if (built.status !== 0) process.exit(built.status ?? 1);

const files = [];
const walk = (d) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name === 'testdata' || e.name.startsWith('.')) continue;
    const p = join(d, e.name);
    // build/out holds packaging stages (copies of the sources); their tests are not ours to run twice.
    if (relative(root, p) === join('build', 'out')) continue;
    if (e.isDirectory()) walk(p);
    else if (/\.test\.tsx?$/.test(e.name)) files.push(relative(root, p));
  }
};
for (const d of ['engine', 'app', 'plugins', 'build']) walk(join(root, d));
files.sort();
const selected = filters.length ? files.filter((f) => filters.some((x) => f.includes(x))) : files;
if (selected.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
const concurrency = process.env.STELLA_TEST_CONCURRENCY ?? '2';
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...passthrough, ...selected], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=4096`.trim() },
});
process.exit(r.status ?? 1);
