/**
 * Long jobs (imports, scans): a registry of JobStatus with progress and cancellation, reported on the
 * bus as `job.progress` (throttled) and exactly one `job.finished` per job — also when the worker
 * running it crashed (state failed, code internal) or the host shut down (cancelled).
 */
import { randomBytes } from 'node:crypto';
import type { ContractError, JobKind, JobProgressItem, JobRef, JobResults, JobStatus } from '../../common/contract';
import type { EventBus } from './events';
import { contractErrorOf } from './errors';

export interface JobContext {
  signal: AbortSignal;
  /** The job left the queue and is running now. */
  started(): void;
  progress(p: { phase: string; done: number; total?: number; message?: string; item?: JobProgressItem }): void;
}

export interface JobRegistryOptions {
  /** Minimum interval between two `job.progress` events of one job, ms (default 100). */
  progressIntervalMs?: number;
  /** Finished jobs kept for `jobs.list` (default 200). */
  keepFinished?: number;
}

interface JobEntry {
  status: JobStatus;
  controller: AbortController;
  done: Promise<void>;
  lastProgressAt: number;
}

export class JobRegistry {
  private readonly jobs = new Map<string, JobEntry>();
  private readonly bus: EventBus;
  private readonly progressIntervalMs: number;
  private readonly keepFinished: number;

  constructor(bus: EventBus, opts: JobRegistryOptions = {}) {
    this.bus = bus;
    this.progressIntervalMs = opts.progressIntervalMs ?? 100;
    this.keepFinished = opts.keepFinished ?? 200;
  }

  start<K extends JobKind>(kind: K, run: (ctx: JobContext) => Promise<JobResults[K]>, onSuccess?: (result: JobResults[K]) => void): JobRef {
    const jobId = `job_${randomBytes(9).toString('base64url')}`;
    const controller = new AbortController();
    const status: JobStatus = { jobId, kind, state: 'queued' };
    const entry: JobEntry = { status, controller, done: Promise.resolve(), lastProgressAt: 0 };
    this.jobs.set(jobId, entry);
    const ctx: JobContext = {
      signal: controller.signal,
      started: () => {
        if (status.state === 'queued') status.state = 'running';
      },
      progress: (p) => {
        if (status.state !== 'running' && status.state !== 'queued') return;
        status.state = 'running';
        status.phase = p.phase;
        status.done = p.done;
        status.total = p.total;
        const now = Date.now();
        const last = p.total !== undefined && p.done >= p.total;
        // item events (an image's layers changing state) are few and each one matters: never dropped
        if (!last && !p.item && now - entry.lastProgressAt < this.progressIntervalMs) return;
        entry.lastProgressAt = now;
        this.bus.emit('job.progress', { jobId, kind, phase: p.phase, done: p.done, ...(p.total !== undefined ? { total: p.total } : {}), ...(p.message ? { message: p.message } : {}), ...(p.item ? { item: p.item } : {}) });
      },
    };
    entry.done = (async () => {
      try {
        const result = await run(ctx);
        status.state = 'succeeded';
        this.bus.emit('job.finished', { jobId, kind, state: 'succeeded', result });
        try {
          onSuccess?.(result);
        } catch {
          /* a follow-up notification must not turn a finished job into a failure */
        }
      } catch (e) {
        const err: ContractError = controller.signal.aborted && contractErrorOf(e).code !== 'internal' ? { code: 'cancelled', message: 'cancelled' } : contractErrorOf(e);
        status.state = err.code === 'cancelled' ? 'cancelled' : 'failed';
        status.error = { code: err.code, message: err.message };
        this.bus.emit('job.finished', { jobId, kind, state: status.state, error: status.error });
      }
      this.prune();
    })();
    return { jobId };
  }

  cancel(jobId: string): boolean {
    const e = this.jobs.get(jobId);
    if (!e || (e.status.state !== 'queued' && e.status.state !== 'running')) return false;
    e.controller.abort();
    return true;
  }

  get(jobId: string): JobStatus | undefined {
    const e = this.jobs.get(jobId);
    return e ? { ...e.status } : undefined;
  }

  list(): JobStatus[] {
    return [...this.jobs.values()].map((e) => ({ ...e.status }));
  }

  get active(): number {
    return [...this.jobs.values()].filter((e) => e.status.state === 'queued' || e.status.state === 'running').length;
  }

  /** Wait for every job to finish; after `timeoutMs`, cancel those still running and wait for them. */
  async drain(timeoutMs: number): Promise<void> {
    const all = (): Promise<unknown> => Promise.all([...this.jobs.values()].map((e) => e.done));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([all().then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), timeoutMs)))]);
    clearTimeout(timer);
    if (timedOut) {
      for (const id of this.jobs.keys()) this.cancel(id);
      await all();
    }
  }

  private prune(): void {
    const finished = [...this.jobs.entries()].filter(([, e]) => e.status.state !== 'queued' && e.status.state !== 'running');
    for (const [id] of finished.slice(0, Math.max(0, finished.length - this.keepFinished))) this.jobs.delete(id);
  }
}
