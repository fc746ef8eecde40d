/**
 * Version comparators: in-process throughput per ecosystem (first pass = parse + compare, then cached
 * compares) and the spawned `stella version compare --batch` over the whole reference file (pairs/s,
 * startup included). Targets are reported, never asserted.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { fixture, REPO_ROOT } from '../test-support/fixtures';
import { createComparator } from '../../engine/match/versions';
import { runCli } from '../../engine/cli/main';
import { measure, report } from './harness';

const BENCH = 'versions';

function pairsByEcosystem(): Map<string, [string, string][]> {
  const by = new Map<string, [string, string][]>();
  const path = fixture('versions', 'reference-labeled-pairs.tsv');
  if (path) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const [eco, a, b] = line.split('\t');
      if (eco === undefined || a === undefined || b === undefined) continue;
      let list = by.get(eco);
      if (!list) by.set(eco, (list = []));
      list.push([a, b]);
    }
  }
  // ecosystems without a reference file: deterministic synthetic pairs
  const synth = (make: (i: number) => string): [string, string][] => Array.from({ length: 10_000 }, (_, i) => [make(i), make((i * 7919) % 10_007)]);
  by.set('Alpine', synth((i) => `${i % 7}.${i % 13}.${i % 101}${i % 5 === 0 ? '_rc1' : i % 3 === 0 ? '_p2' : ''}-r${i % 4}`));
  by.set('NuGet', synth((i) => `${i % 7}.${i % 13}.${i % 101}${i % 4 === 0 ? `-beta.${i % 9}` : ''}`));
  by.set('Pub', synth((i) => `${i % 7}.${i % 13}.${i % 101}${i % 4 === 0 ? `-dev.${i % 9}` : ''}${i % 6 === 0 ? '+1' : ''}`));
  by.set('Hackage', synth((i) => `${i % 7}.${i % 13}.${i % 101}${i % 3 === 0 ? `.${i % 11}` : ''}`));
  by.set('Hex', synth((i) => `${i % 7}.${i % 13}.${i % 101}${i % 4 === 0 ? `-rc.${i % 9}` : ''}`));
  return by;
}

function throughput(eco: string, pairs: [string, string][]): { first: number; cached: number } {
  const cmp = createComparator(eco); // a fresh parse cache: the first pass really parses
  const run = (): number => {
    const t0 = performance.now();
    for (const [a, b] of pairs) {
      try {
        cmp(a, b);
      } catch {
        /* E lines count as compared */
      }
    }
    return performance.now() - t0;
  };
  const first = run();
  let best = Infinity;
  for (let i = 0; i < 5; i++) best = Math.min(best, run());
  return { first: (pairs.length / first) * 1000, cached: (pairs.length / best) * 1000 };
}

const refFile = fixture('versions', 'reference-labeled-pairs.tsv');
if (refFile) {
  // the CLI input: the reference file without its label column
  const lines = readFileSync(refFile, 'utf8').split('\n').filter(Boolean);
  const input = `${lines.map((l) => l.slice(0, l.lastIndexOf('\t'))).join('\n')}\n`;
  // the batch in-process first (cold caches, no process start-up), by CPU time, which contention does not inflate
  const buf = Buffer.from(input, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += 65536) chunks.push(buf.subarray(i, i + 65536));
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.resume();
  stderr.resume();
  const cpu0 = process.cpuUsage();
  await runCli(['version', 'compare', '--batch'], { io: { stdout, stderr, stdin: Readable.from(chunks), env: {} } });
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  report({ bench: BENCH, metric: '--batch in-process over the reference file (runCli, CPU time)', value: Math.round((lines.length / cpuMs) * 1000), unit: 'pairs/CPU-s', note: `${cpuMs.toFixed(0)} ms CPU` });

  const { ms, result } = await measure(
    () =>
      new Promise<{ code: number | null; bytes: number }>((resolve, reject) => {
        const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'stella.mjs'), 'version', 'compare', '--batch'], { stdio: ['pipe', 'pipe', 'ignore'] });
        let bytes = 0;
        child.stdout.on('data', (c: Buffer) => (bytes += c.length));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, bytes }));
        child.stdin.end(input);
      }),
  );
  const load = `load average ${loadavg()[0]?.toFixed(1)} on this machine`;
  report({
    bench: BENCH,
    metric: 'stella version compare --batch, whole reference file (spawned, startup included)',
    value: Math.round((lines.length / ms) * 1000),
    unit: 'pairs/s',
    target: '>= 100000 pairs/s',
    note: `${lines.length} pairs in ${ms.toFixed(0)} ms wall, exit ${result.code}, ${result.bytes} bytes out; ${load}`,
  });

  // start-up of the binary alone: one single comparison
  const start = await measure(
    () =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'stella.mjs'), 'version', 'compare', 'npm', '1.0.0', '2.0.0'], { stdio: 'ignore' });
        child.on('error', reject);
        child.on('close', () => resolve());
      }),
  );
  report({ bench: BENCH, metric: 'stella version compare (single, spawned: start-up cost)', value: Math.round(start.ms), unit: 'ms', note: load });
}

// per-ecosystem throughput in-process
for (const [eco, pairs] of pairsByEcosystem()) {
  const { first, cached } = throughput(eco, pairs);
  report({ bench: BENCH, metric: `${eco}: first pass (parse+compare)`, value: Math.round(first), unit: 'pairs/s', note: `${pairs.length} pairs` });
  report({ bench: BENCH, metric: `${eco}: repeat passes (best of 5, parse cache 2×1024)`, value: Math.round(cached), unit: 'pairs/s' });
}

