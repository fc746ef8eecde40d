/**
 * Offline Update Kit: build, verify and import a kit of 300 MB of feed data — the corpus's real GHSA
 * records replicated under new ids (`-R<k>`) as `.jsonl` files, generated once in /tmp. Targets: verify +
 * activate ≤ 5 s on this machine, and hashing at ≥ 0.6× the speed of `sha256sum` on the same file
 * (both measured here, in the same run, on the kit file).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { fixedClock, sequentialIds } from '../../engine/core';
import { buildKitJob, importKitJob } from '../../engine/jobs/kit';
import { jobContext } from '../../engine/jobs/context';
import { openStore } from '../../engine/store';
import { fixture, tempDir } from '../test-support/fixtures';
import { measure, report } from './harness';

const BENCH = 'kit';
const FEED_BYTES = 300 * 1024 * 1024;
const FILE_BYTES = 50 * 1024 * 1024;
const src = fixture('advisories', 'maven', 'osv-scalibr-maven-ghsa.jsonl.gz');
if (!src) {
  report({ bench: BENCH, metric: 'skipped', value: 'shared fixtures not found (set STELLA_FIXTURES)' });
  process.exit(0);
}
const note = () => `load avg ${loadavg()[0]?.toFixed(1)}`;

/** 300 MB of OSV documents in /tmp, reused by later runs. */
function feed(): { dir: string; bytes: number; documents: number } {
  const dir = '/tmp/stella-kit-bench/feed';
  const stamp = join('/tmp/stella-kit-bench', 'feed.json');
  if (existsSync(stamp)) {
    const s = JSON.parse(readFileSync(stamp, 'utf8')) as { bytes: number; documents: number };
    if (s.bytes >= FEED_BYTES) return { dir, ...s };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const base = gunzipSync(readFileSync(src as string))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { id: string; aliases?: string[] });
  let bytes = 0;
  let documents = 0;
  let file = 0;
  let lines: string[] = [];
  let fileBytes = 0;
  const flush = (): void => {
    writeFileSync(join(dir, `ghsa-${String(file++).padStart(2, '0')}.jsonl`), `${lines.join('\n')}\n`);
    lines = [];
    fileBytes = 0;
  };
  for (let k = 0; bytes < FEED_BYTES; k++) {
    for (const r of base) {
      const line = JSON.stringify({ ...r, id: `${r.id}-R${k}`, aliases: (r.aliases ?? []).map((a) => `${a}-R${k}`) });
      lines.push(line);
      bytes += line.length + 1;
      fileBytes += line.length + 1;
      documents++;
      if (fileBytes >= FILE_BYTES) flush();
      if (bytes >= FEED_BYTES) break;
    }
  }
  if (lines.length) flush();
  writeFileSync(stamp, JSON.stringify({ bytes, documents }));
  return { dir, bytes, documents };
}

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path, { highWaterMark: 1024 * 1024 })) h.update(c as Buffer);
  return h.digest('hex');
}

function best(runs: number[]): number {
  return Math.min(...runs);
}

const f = feed();
report({ bench: BENCH, metric: 'feed data', value: f.bytes / 1024 / 1024, unit: 'MB', note: `${f.documents} OSV documents in ${readdirSync(f.dir).length} .jsonl files (/tmp/stella-kit-bench)` });

const home = tempDir('stella-bench-kit-');
const store = openStore({ home });
const ctx = () => jobContext({ clock: fixedClock('2026-03-01T09:00:00.000Z', 1), ids: sequentialIds() });
const kitPath = join(tempDir('stella-bench-kit-out-'), 'stable-1.0.0.tar.gz');
const built = await measure(() =>
  buildKitJob(store, { channel: 'stable', version: '1.0.0', feeds: [f.dir], output: kitPath }, async () => 'bench-passphrase', ctx(), { kdf: { memoryKiB: 1024, iterations: 1, parallelism: 1 } }),
);
const kitBytes = statSync(kitPath).size;
report({ bench: BENCH, metric: 'build (parse every document, write the signed .tar.gz)', value: built.ms / 1000, unit: 's', note: `kit ${(kitBytes / 1024 / 1024).toFixed(1)} MB compressed; ${built.peakRssMb.toFixed(0)} MB peak RSS; ${note()}` });

// Hashing the kit file: ours (the reader's streaming sha256) against sha256sum, alternating, best of 3.
const ours: number[] = [];
const theirs: number[] = [];
let oursHex = '';
for (let i = 0; i < 3; i++) {
  let t = performance.now();
  const r = spawnSync('sha256sum', [kitPath], { encoding: 'utf8' });
  theirs.push(performance.now() - t);
  t = performance.now();
  oursHex = await hashFile(kitPath);
  ours.push(performance.now() - t);
  if (r.status === 0 && !r.stdout.startsWith(oursHex)) throw new Error('sha256sum and our hash disagree');
}
const mbps = (ms: number) => kitBytes / 1024 / 1024 / (ms / 1000);
report({ bench: BENCH, metric: 'sha256 of the kit file: ours / sha256sum', value: mbps(best(ours)) / mbps(best(theirs)), unit: '×', target: '>= 0.6', note: `${mbps(best(ours)).toFixed(0)} vs ${mbps(best(theirs)).toFixed(0)} MB/s (best of 3 each, ${(kitBytes / 1024 / 1024).toFixed(0)} MB file)` });

const dry = await measure(() => importKitJob(store, { path: kitPath, dryRun: true }, ctx()));
report({ bench: BENCH, metric: 'verify only (signature, JWS, every digest; dry run)', value: dry.ms / 1000, unit: 's', note: `${(f.bytes / 1024 / 1024 / (dry.ms / 1000)).toFixed(0)} MB of feed data/s; ${note()}` });

// A fresh store for the import (the build's store holds the key only; its advisory tables are empty too).
const imp = await measure(() => importKitJob(store, { path: kitPath }, ctx()));
if (!imp.result.activated) throw new Error('the kit was not activated');
report({
  bench: BENCH,
  metric: 'verify + activate (one transaction)',
  value: imp.ms / 1000,
  unit: 's',
  target: '<= 5',
  note: `${imp.result.activation?.advisories.new} documents; ${imp.peakRssMb.toFixed(0)} MB peak RSS; ${note()}`,
});
store.close();
rmSync(home, { recursive: true, force: true });
rmSync(kitPath, { force: true });
