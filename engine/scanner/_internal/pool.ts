/**
 * Runs layer tasks (analyze a layer, or re-hash a cached one) on worker threads, one layer per task,
 * at most `workers` at a time. Without a worker entry (or with `workers: 0`) the same tasks run in this
 * thread. Workers load the same plug-in folder and must arrive at the same analyzer-set fingerprint.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type SerializedError } from '../../core';
import { ScannerError } from '../errors';
import type { PluginSet } from '../plugins';
import { createFsView, DEFAULT_MAX_RELATED_FILES, LayeredBackend } from './fsview';
import { hashSource, scanLayer, type LayerSource, type ScanLayerOptions } from './layer';
import type { LayerScan, ScanLimits } from './types';

/** `lower`: the sources of the layers below (bottom first), for the analyzers' view of the filesystem. */
export type LayerTask = { kind: 'scan'; source: LayerSource; lower?: LayerSource[] } | { kind: 'verify'; source: LayerSource; expect: string; cached: LayerScan };
export type LayerTaskResult = { kind: 'scanned'; scan: LayerScan } | { kind: 'verified'; ok: boolean; actual: string };

export interface PoolOptions {
  workers: number;
  pluginsDir: string;
  plugins: PluginSet;
  limits: ScanLimits;
  signal?: AbortSignal;
}

/** The message a worker receives (the cached scan never travels: only the digest to check). */
export type WorkerRequest = { id: number; pluginsDir: string; fingerprint: string; limits: ScanLimits; task: { kind: 'scan'; source: LayerSource; lower?: LayerSource[] } | { kind: 'verify'; source: LayerSource; expect: string } };
export type WorkerReply = { id: number; result?: LayerTaskResult; error?: SerializedError };

export async function runTask(task: WorkerRequest['task'], plugins: PluginSet, limits: ScanLimits, signal?: AbortSignal): Promise<LayerTaskResult> {
  if (task.kind === 'verify') {
    const actual = await hashSource(task.source);
    return { kind: 'verified', ok: actual === task.expect, actual };
  }
  const related: ScanLayerOptions['related'] = (self) => {
    const backend = new LayeredBackend(
      [...(task.lower ?? []).map((source) => ({ label: source.label, source, kept: new Map<string, Buffer>() })), { label: task.source.label, source: task.source, view: self.view, kept: self.kept }],
      limits,
      signal,
    );
    const top = task.lower?.length ?? 0;
    return {
      views: (a, reads) => createFsView(backend, { maxFileBytes: a.maxFileBytes, maxFiles: DEFAULT_MAX_RELATED_FILES, budget: self.budget }, reads, top),
      dependsOnLower: () => backend.usedLower,
    };
  };
  return { kind: 'scanned', scan: await scanLayer(task.source, { analyzers: plugins.analyzers, limits, related, ...(signal ? { signal } : {}) }) };
}

function workerEntry(): { url: URL; execArgv: string[] } | undefined {
  // A CommonJS bundle (Electron main) has no import.meta.url: run in-thread there.
  const here = (import.meta as { url?: string }).url;
  if (typeof here !== 'string') return undefined;
  if (here.endsWith('.ts')) return { url: new URL('./layer-worker-dev.mjs', here), execArgv: [] };
  // This code runs from dist/*.mjs or from a CLI chunk in dist/chunks/.
  for (const rel of ['./workers/scanner-layer.mjs', '../workers/scanner-layer.mjs']) {
    const built = new URL(rel, here);
    if (existsSync(fileURLToPath(built))) return { url: built, execArgv: [] };
  }
  return undefined;
}

function strip(task: LayerTask): WorkerRequest['task'] {
  return task.kind === 'verify' ? { kind: 'verify', source: task.source, expect: task.expect } : { kind: 'scan', source: task.source, ...(task.lower ? { lower: task.lower } : {}) };
}

export async function runLayerTasks(tasks: readonly LayerTask[], opts: PoolOptions, onDone?: (i: number) => void): Promise<LayerTaskResult[]> {
  const results: LayerTaskResult[] = new Array(tasks.length);
  const entry = opts.workers > 0 ? workerEntry() : undefined;
  let next = 0;
  if (!entry) {
    // In-thread: still overlap I/O and zlib (which runs on libuv's pool) across two layers.
    const lane = async (): Promise<void> => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await runTask(strip(tasks[i] as LayerTask), opts.plugins, opts.limits, opts.signal);
        onDone?.(i);
      }
    };
    await Promise.all(Array.from({ length: Math.min(2, tasks.length) }, lane));
    return results;
  }
  const count = Math.min(opts.workers, tasks.length);
  const workers: Worker[] = [];
  // Cancelling stops the workers mid-layer; their exit rejects the pending tasks as cancelled.
  const onAbort = (): void => void workers.forEach((w) => void w.terminate());
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.all(
      Array.from({ length: count }, async () => {
        const w = new Worker(entry.url, { execArgv: entry.execArgv });
        workers.push(w);
        while (next < tasks.length) {
          if (opts.signal?.aborted) throw new ScannerError('cancelled', 'cancelled');
          const i = next++;
          const req: WorkerRequest = { id: i, pluginsDir: opts.pluginsDir, fingerprint: opts.plugins.fingerprint, limits: opts.limits, task: strip(tasks[i] as LayerTask) };
          results[i] = await new Promise<LayerTaskResult>((resolve, reject) => {
            const onMessage = (m: WorkerReply): void => {
              if (m.id !== i) return;
              cleanup();
              if (m.result) resolve(m.result);
              else reject(new ScannerError('worker-failed', `layer ${req.task.source.label}: ${m.error?.message ?? 'worker failed'}`, { details: { layer: req.task.source.label } }));
            };
            const onError = (e: Error): void => {
              cleanup();
              reject(new ScannerError('worker-failed', `layer worker crashed on ${req.task.source.label}: ${e.message}`, { cause: e }));
            };
            const onExit = (code: number): void => {
              cleanup();
              if (opts.signal?.aborted) reject(new ScannerError('cancelled', 'cancelled'));
              else reject(new ScannerError('worker-failed', `layer worker exited (${code}) on ${req.task.source.label}`));
            };
            const cleanup = (): void => {
              w.off('message', onMessage);
              w.off('error', onError);
              w.off('exit', onExit);
            };
            w.on('message', onMessage);
            w.on('error', onError);
            w.on('exit', onExit);
            w.postMessage(req);
          });
          onDone?.(i);
        }
      }),
    );
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
