/**
 * Runs layer tasks (analyze a layer, or re-hash a cached one) on a piscina worker pool, one layer per
 * task, at most `workers` at a time. Without a worker entry (or with `workers: 0`) the same tasks run in
 * this thread. Workers get the host's verified plug-in bytes (never the folder) and a V8 heap limit
 * (WORKER_HEAP_LIMITS.scannerLayer); a worker that reaches it ends the inventory with a `resource-limit`
 * error naming the limit, the layer and what the worker was analyzing at the time.
 *
 * Why piscina rather than hand-managed `Worker`s: it already does what this needs and is easy to get
 * subtly wrong — a bounded queue, `resourceLimits`, AbortSignal per task (terminating the worker that
 * runs it), rejecting the task of a worker that crashed or ran out of memory and replacing that worker.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Piscina } from 'piscina';
import { serializeError, WORKER_HEAP_LIMITS, type SerializedError, type WorkerHeapLimits } from '../../core';
import { ScannerError } from '../errors';
import type { PluginSet, VerifiedEntry } from '../plugins';
import { createFsView, DEFAULT_MAX_RELATED_FILES, LayeredBackend } from './fsview';
import { hashSource, scanLayer, type LayerSource, type ScanLayerOptions } from './layer';
import type { LayerScan, ScanLimits } from './types';

/** `lower`: the sources of the layers below (bottom first), for the analyzers' view of the filesystem. */
export type LayerTask = { kind: 'scan'; source: LayerSource; lower?: LayerSource[] } | { kind: 'verify'; source: LayerSource; expect: string; cached: LayerScan };
export type LayerTaskResult = { kind: 'scanned'; scan: LayerScan } | { kind: 'verified'; ok: boolean; actual: string };

export interface PoolOptions {
  workers: number;
  plugins: PluginSet;
  limits: ScanLimits;
  /** Parent folder for spooled files (the host creates it and removes it afterwards). */
  spoolDir: string;
  /** V8 heap limits of each worker (default WORKER_HEAP_LIMITS.scannerLayer). */
  heapLimits?: WorkerHeapLimits;
  signal?: AbortSignal;
}

/** What each layer worker gets once, at start: the host's verified plug-ins. */
export interface LayerWorkerData {
  pluginsDir: string;
  fingerprint: string;
  verified: VerifiedEntry[];
}

/** One task as it crosses to a worker (the cached scan never travels: only the digest to check). */
export interface WorkerRequest {
  task: { kind: 'scan'; source: LayerSource; lower?: LayerSource[] } | { kind: 'verify'; source: LayerSource; expect: string };
  limits: ScanLimits;
  spoolDir: string;
}
export type WorkerReply = { ok: true; result: LayerTaskResult } | { ok: false; error: SerializedError };

/** What a worker posts before each analyzer runs, so an out-of-memory error can say what it was doing. */
export interface WorkerActivity {
  stellaLayerActivity: true;
  layer: string;
  doing: string;
}

/** The activity a worker posts when it takes a task (before any analyzer runs). */
const TASK_STARTED = 'reading the layer';

export function isWorkerActivity(m: unknown): m is WorkerActivity {
  return typeof m === 'object' && m !== null && (m as { stellaLayerActivity?: unknown }).stellaLayerActivity === true;
}

export async function runTask(
  task: WorkerRequest['task'],
  plugins: PluginSet,
  limits: ScanLimits,
  spoolDir: string,
  signal?: AbortSignal,
  onActivity?: (doing: string) => void,
): Promise<LayerTaskResult> {
  if (task.kind === 'verify') {
    const actual = await hashSource(task.source);
    return { kind: 'verified', ok: actual === task.expect, actual };
  }
  const related: ScanLayerOptions['related'] = (self) => {
    const backend = new LayeredBackend(
      [...(task.lower ?? []).map((source) => ({ label: source.label, source, kept: new Map<string, Buffer>() })), { label: task.source.label, source: task.source, view: self.view, kept: new Map<string, Buffer>(), own: self.read }],
      limits,
      signal,
    );
    const top = task.lower?.length ?? 0;
    return {
      views: (a, reads) => createFsView(backend, { maxFileBytes: a.maxFileBytes, maxFiles: DEFAULT_MAX_RELATED_FILES, budget: self.budget }, reads, top),
      dependsOnLower: () => backend.usedLower,
    };
  };
  return { kind: 'scanned', scan: await scanLayer(task.source, { analyzers: plugins.analyzers, limits, spoolDir, related, ...(signal ? { signal } : {}), ...(onActivity ? { onActivity } : {}) }) };
}

function workerEntry(): string | undefined {
  // A CommonJS bundle (Electron main) has no import.meta.url: run in-thread there.
  const here = (import.meta as { url?: string }).url;
  if (typeof here !== 'string') return undefined;
  if (here.endsWith('.ts')) return fileURLToPath(new URL('./layer-worker-dev.mjs', here));
  // This code runs from dist/*.mjs or from a CLI chunk in dist/chunks/.
  for (const rel of ['./workers/scanner-layer.mjs', '../workers/scanner-layer.mjs']) {
    const built = fileURLToPath(new URL(rel, here));
    if (existsSync(built)) return built;
  }
  return undefined;
}

function strip(task: LayerTask): WorkerRequest['task'] {
  return task.kind === 'verify' ? { kind: 'verify', source: task.source, expect: task.expect } : { kind: 'scan', source: task.source, ...(task.lower ? { lower: task.lower } : {}) };
}

/** A worker's failure as the error the inventory reports. */
function workerFailure(e: unknown, label: string, doing: string | undefined, heap: number, signal: AbortSignal | undefined): ScannerError {
  if (signal?.aborted || (e as { name?: string }).name === 'AbortError') return new ScannerError('cancelled', 'cancelled');
  const code = (e as { code?: string }).code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new ScannerError(
      'resource-limit',
      `layer ${label}: the layer worker ran out of memory — its JavaScript heap is limited to ${heap} MB (WORKER_HEAP_LIMITS.scannerLayer.maxOldGenerationSizeMb, engine/core/limits.ts)${doing ? ` while ${doing}` : ''}; the layer holds input too large or too complex to analyze within that limit`,
      { cause: e, details: { layer: label, limit: 'WORKER_HEAP_LIMITS.scannerLayer.maxOldGenerationSizeMb', limitMb: heap, ...(doing ? { activity: doing } : {}) } },
    );
  }
  return new ScannerError('worker-failed', `layer worker failed on ${label}${doing ? ` while ${doing}` : ''}: ${(e as Error).message ?? String(e)}`, { cause: e, details: { layer: label } });
}

export async function runLayerTasks(tasks: readonly LayerTask[], opts: PoolOptions, onDone?: (i: number, result: LayerTaskResult) => void, onStart?: (i: number) => void): Promise<LayerTaskResult[]> {
  const results: LayerTaskResult[] = new Array(tasks.length);
  const entry = opts.workers > 0 && tasks.length > 0 ? workerEntry() : undefined;
  if (!entry) {
    // In-thread: still overlap I/O and zlib (which runs on libuv's pool) across layers.
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < tasks.length) {
        const i = next++;
        onStart?.(i);
        const r = await runTask(strip(tasks[i] as LayerTask), opts.plugins, opts.limits, opts.spoolDir, opts.signal);
        results[i] = r;
        onDone?.(i, r);
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.limits.maxConcurrentLayers, tasks.length) }, lane));
    return results;
  }
  const threads = Math.max(1, Math.min(opts.workers, tasks.length, opts.limits.maxConcurrentLayers));
  const heapLimits = opts.heapLimits ?? WORKER_HEAP_LIMITS.scannerLayer;
  const workerData: LayerWorkerData = { pluginsDir: opts.plugins.pluginsDir, fingerprint: opts.plugins.fingerprint, verified: opts.plugins.verified };
  // Loaded only when layers are analyzed in workers: a warm inventory (every layer cached) never needs it.
  const { Piscina: Pool } = await import('piscina');
  const pool: Piscina<WorkerRequest, WorkerReply> = new Pool<WorkerRequest, WorkerReply>({
    filename: entry,
    minThreads: threads,
    maxThreads: threads,
    // Tasks are whole layers; waking an idle worker faster than a message does not matter here.
    atomics: 'disabled',
    resourceLimits: { ...heapLimits },
    workerData,
    execArgv: [],
  });
  const doing = new Map<string, string>();
  // A task has started when its worker first reports activity for its layer (tasks are queued in the
  // pool all at once); layers with the same label start in order.
  const notStarted = new Map<string, number[]>();
  tasks.forEach((t, i) => notStarted.set(t.source.label, [...(notStarted.get(t.source.label) ?? []), i]));
  const start = (i: number): void => {
    const waiting = notStarted.get((tasks[i] as LayerTask).source.label);
    const at = waiting?.indexOf(i) ?? -1;
    if (at < 0) return;
    waiting?.splice(at, 1);
    onStart?.(i);
  };
  pool.on('message', (m: unknown) => {
    if (!isWorkerActivity(m)) return;
    doing.set(m.layer, m.doing);
    const first = m.doing === TASK_STARTED ? notStarted.get(m.layer)?.[0] : undefined;
    if (first !== undefined) start(first);
  });
  // A crash with no task in flight is reported on the pool; the task that caused it rejects anyway.
  pool.on('error', () => undefined);
  try {
    await Promise.all(
      tasks.map(async (t, i) => {
        const label = t.source.label;
        let reply: WorkerReply;
        try {
          reply = await pool.run({ task: strip(t), limits: opts.limits, spoolDir: opts.spoolDir }, opts.signal ? { signal: opts.signal } : {});
        } catch (e) {
          throw workerFailure(e, label, doing.get(label), heapLimits.maxOldGenerationSizeMb, opts.signal);
        }
        if (!reply.ok) {
          if (reply.error.category === 'cancelled') throw new ScannerError('cancelled', 'cancelled');
          throw new ScannerError('worker-failed', `layer ${label}: ${reply.error.message}`, { details: { layer: label } });
        }
        results[i] = reply.result;
        // the result can overtake the worker's start message: a task is always reported started first
        start(i);
        onDone?.(i, reply.result);
      }),
    );
  } finally {
    await pool.destroy();
  }
  return results;
}

/** The worker side of one task: a reply, never a throw (errors cross the thread as data). */
export async function serveLayerTask(req: WorkerRequest, plugins: Promise<PluginSet>, expectFingerprint: string, post: (m: WorkerActivity) => void): Promise<WorkerReply> {
  try {
    const set = await plugins;
    if (set.fingerprint !== expectFingerprint) throw new ScannerError('worker-failed', `the worker loaded plug-ins ${set.fingerprint}, the host has ${expectFingerprint}`);
    const label = req.task.source.label;
    post({ stellaLayerActivity: true, layer: label, doing: TASK_STARTED });
    return { ok: true, result: await runTask(req.task, set, req.limits, req.spoolDir, undefined, (d) => post({ stellaLayerActivity: true, layer: label, doing: d })) };
  } catch (e) {
    return { ok: false, error: serializeError(e) };
  }
}
