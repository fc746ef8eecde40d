/**
 * Live state of the engine's long jobs, fed by `job.progress` / `job.finished` events. A tiny external
 * store (read with useSyncExternalStore) so progress events re-render only the progress bars.
 */
import { useSyncExternalStore } from 'react';
import type { EventPayloads, JobKind, JobProgressItem } from '../../../common/contract';

export interface TrackedJob {
  jobId: string;
  kind: JobKind;
  label: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  phase?: string;
  done: number;
  total?: number;
  message?: string;
  error?: { code: string; message: string };
  result?: unknown;
  startedAt: number;
  /** Items the job reported by index (an image scan's layers), latest state each. */
  items?: JobProgressItem[];
}

type Waiter = (job: TrackedJob) => void;

class JobStore {
  private jobs = new Map<string, TrackedJob>();
  private snapshot: TrackedJob[] = [];
  private listeners = new Set<() => void>();
  private waiters = new Map<string, Waiter[]>();

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  getSnapshot = () => this.snapshot;

  private emit() {
    this.snapshot = [...this.jobs.values()].sort((a, b) => b.startedAt - a.startedAt);
    for (const l of this.listeners) l();
  }

  /** Registers a job the UI started (events for it may already have arrived). */
  track(jobId: string, kind: JobKind, label: string) {
    const prev = this.jobs.get(jobId);
    this.jobs.set(jobId, { jobId, kind, label, state: 'running', done: 0, startedAt: Date.now(), ...prev, ...(prev ? { label } : {}) });
    this.emit();
    if (prev && isFinal(prev.state)) this.resolveWaiters(prev);
  }

  progress(p: EventPayloads['job.progress']) {
    const prev = this.jobs.get(p.jobId);
    this.jobs.set(p.jobId, {
      jobId: p.jobId,
      kind: p.kind,
      label: prev?.label ?? p.kind,
      startedAt: prev?.startedAt ?? Date.now(),
      ...prev,
      state: prev && isFinal(prev.state) ? prev.state : 'running',
      phase: p.phase,
      done: p.done,
      total: p.total,
      message: p.message,
      ...(p.item ? { items: withItem(prev?.items, p.item) } : {}),
    });
    this.emit();
  }

  finished(p: EventPayloads['job.finished']) {
    const prev = this.jobs.get(p.jobId);
    const job: TrackedJob = {
      jobId: p.jobId,
      kind: p.kind,
      label: prev?.label ?? p.kind,
      startedAt: prev?.startedAt ?? Date.now(),
      done: prev?.done ?? 0,
      ...prev,
      state: p.state,
      error: p.error,
      result: p.result,
    };
    if (p.state === 'succeeded' && job.total !== undefined) job.done = job.total;
    this.jobs.set(p.jobId, job);
    this.emit();
    this.resolveWaiters(job);
  }

  /** Resolves when the job reaches a final state (or immediately if it already has). */
  wait(jobId: string): Promise<TrackedJob> {
    const j = this.jobs.get(jobId);
    if (j && isFinal(j.state)) return Promise.resolve(j);
    return new Promise((resolve) => {
      const list = this.waiters.get(jobId) ?? [];
      list.push(resolve);
      this.waiters.set(jobId, list);
    });
  }

  dismiss(jobId: string) {
    this.jobs.delete(jobId);
    this.emit();
  }

  get(jobId: string) {
    return this.jobs.get(jobId);
  }

  private resolveWaiters(job: TrackedJob) {
    const list = this.waiters.get(job.jobId);
    if (!list) return;
    this.waiters.delete(job.jobId);
    for (const w of list) w(job);
  }
}

/** A copy of `items` with `item` at its index (items arrive in any order; a later state replaces an earlier one). */
export function withItem(items: readonly JobProgressItem[] | undefined, item: JobProgressItem): JobProgressItem[] {
  const next = [...(items ?? [])];
  next[item.index] = item;
  return next;
}

export function isFinal(state: TrackedJob['state']): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled';
}

export const jobStore = new JobStore();

export function useJobs(): TrackedJob[] {
  return useSyncExternalStore(jobStore.subscribe, jobStore.getSnapshot);
}
