/**
 * Helpers for build/bench/*.bench.ts files: each bench prints one JSON line per result on stdout;
 * build/scripts/bench.mjs collects them into bench-results/bench.md.
 */
import { performance } from 'node:perf_hooks';

export interface BenchRow {
  bench: string;
  metric: string;
  value: number | string;
  unit?: string;
  target?: string;
  note?: string;
}

export function report(row: BenchRow): void {
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

/** Wall time of `fn` in ms and peak RSS (MB) sampled every 5 ms while it runs. */
export async function measure<T>(fn: () => Promise<T> | T): Promise<{ ms: number; peakRssMb: number; result: T }> {
  const g = globalThis as { gc?: () => void };
  g.gc?.();
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const t0 = performance.now();
  try {
    const result = await fn();
    const ms = performance.now() - t0;
    peak = Math.max(peak, process.memoryUsage.rss());
    return { ms, peakRssMb: peak / 1024 / 1024, result };
  } finally {
    clearInterval(timer);
  }
}
