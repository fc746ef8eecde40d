/**
 * Whole-process CLI runs, timed like hyperfine (one warm-up, then repeated runs; median, mean ± sd, min):
 *  - `stella scan dropwizard-1.3.15/bom.xml --json` (167 components, CycloneDX 1.2 XML) against the whole
 *    fixture advisory corpus (3,693 documents, 24,064 advisories):
 *      · re-scan: the SBOM is already stored (the same file scanned again — nothing to parse);
 *      · first scan: a store holding only the advisories (the SBOM is read, XSD-validated and stored);
 *    each scan is judged by the active (shipped default) pack with the stored VEX, recorded and audited;
 *  - the reference `node -e 0` in the same run, and each scan as a multiple of it.
 * What a scan loads is what it needs: the SBOM parsers and validators only when the SBOM is new, the
 * scanner only for images, root filesystems and lockfiles (engine/jobs/scan.ts).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { jobContext } from '../../engine/jobs';
import { importAdvisoriesJob } from '../../engine/jobs/import-advisories';
import { openStore } from '../../engine/store';
import { fixture, REPO_ROOT, tempDir } from '../test-support/fixtures';
import { report } from './harness';

const BENCH = 'cli';
const RUNS = 10;
const advisories = fixture('advisories');
const sbom = fixture('sbom', 'cyclonedx-bom-examples', 'SBOM', 'dropwizard-1.3.15', 'bom.xml');
if (!advisories || !sbom) {
  report({ bench: BENCH, metric: 'skipped', value: 0, note: 'shared fixtures not found (set STELLA_FIXTURES)' });
  process.exit(0);
}
if (!existsSync(join(REPO_ROOT, 'dist', 'cli.mjs'))) {
  report({ bench: BENCH, metric: 'skipped', value: 0, note: 'dist/cli.mjs is not built (npm run build)' });
  process.exit(0);
}

interface Stats {
  median: number;
  mean: number;
  sd: number;
  min: number;
}

function stats(ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const sd = Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, s.length - 1));
  return { median: s[Math.floor(s.length / 2)] as number, mean, sd, min: s[0] as number };
}

/**
 * Time `node ARGS` RUNS times after one warm-up; `before` runs untimed before each run. `status` is the
 * expected exit code (a scan of dropwizard 1.3.15 is BLOCKED by the shipped default pack: 1).
 */
function time(args: string[], before: () => void = () => undefined, status = 0): Stats {
  const once = (): number => {
    before();
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== status) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return ms;
  };
  once();
  return stats(Array.from({ length: RUNS }, once));
}

const fmt = (s: Stats): string => `median ${(s.median / 1000).toFixed(3)} s, mean ${(s.mean / 1000).toFixed(3)} ± ${(s.sd / 1000).toFixed(3)} s, min ${(s.min / 1000).toFixed(3)} s over ${RUNS} runs`;

// A home with the whole advisory corpus (not timed).
const pristine = tempDir('stella-bench-cli-');
const store = openStore({ home: pristine });
const imported = await importAdvisoriesJob(store, { paths: [advisories], importedAt: '2026-01-01T00:00:00.000Z' }, jobContext());
store.close();
const corpus = `${imported.new} documents, ${imported.observations} advisories`;

const stella = join(REPO_ROOT, 'bin', 'stella.mjs');
const note = (s: Stats, ref: Stats): string => `${fmt(s)}; ${(s.median / ref.median).toFixed(1)}× \`node -e 0\`; ${corpus}; load avg ${loadavg()[0]?.toFixed(1)}`;

const reference = time(['-e', '0']);
report({ bench: BENCH, metric: 'reference: `node -e 0`', value: reference.median / 1000, unit: 's', note: fmt(reference) });

// Re-scan: the SBOM is stored by the warm-up run, every timed run scans it again.
const rescanHome = tempDir('stella-bench-cli-rescan-');
cpSync(pristine, rescanHome, { recursive: true });
const rescan = time([stella, '--home', rescanHome, '-q', 'scan', sbom, '--json'], undefined, 1);
report({ bench: BENCH, metric: '`stella scan` dropwizard bom.xml (167 components), SBOM already stored', value: rescan.median / 1000, unit: 's', target: '<= 0.6', note: note(rescan, reference) });

// First scan: each run starts from a copy of the advisories-only home (the copy is not timed).
const firstHome = tempDir('stella-bench-cli-first-');
const fresh = (): void => {
  rmSync(firstHome, { recursive: true, force: true });
  cpSync(pristine, firstHome, { recursive: true });
};
const first = time([stella, '--home', firstHome, '-q', 'scan', sbom, '--json'], fresh, 1);
report({
  bench: BENCH,
  metric: '`stella scan` dropwizard bom.xml (167 components), first scan (SBOM parsed, XSD-validated, stored)',
  value: first.median / 1000,
  unit: 's',
  target: '<= 0.6',
  note: note(first, reference),
});
