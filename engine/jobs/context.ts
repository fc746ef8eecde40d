/**
 * The contract every job in engine/jobs follows. A job is one user-level task (import an SBOM, scan a
 * target, evaluate a policy, export a bundle …) that every host — the CLI, a worker thread, `stella
 * serve` — calls the same way and then only formats the result:
 *
 *   export async function scanTarget(store: Store, input: ScanTargetInput, ctx: JobContext): Promise<ScanTargetResult>
 *
 * - `ctx.signal` is checked at safe points (`await checkpoint(ctx)` between batches); a cancelled job
 *   throws a `cancelled` error and leaves the store as it was (writes happen in transactions).
 * - `ctx.onProgress` receives phase changes and per-item counts; hosts throttle it, jobs need not.
 * - Time and ids come only from `ctx.clock` / `ctx.ids`, so a job's output is reproducible.
 */
import { type Clock, type IdSource, defaultContext, yieldAndCheck } from '../core';
import type { NotificationSink } from '../notify';

export interface JobProgress {
  /** Short, human-readable phase name ("reading target", "matching"). */
  phase: string;
  done: number;
  total?: number;
  message?: string;
  /**
   * A job that works through a list the user can see (an image's layers) reports each item's state
   * change. Hosts deliver these unthrottled (there are few), so a UI can show every item's state.
   */
  item?: JobProgressItem;
}

export interface JobProgressItem {
  /** Position in the list (an image's layers: bottom first). */
  index: number;
  /** What the item is (a layer's digest; empty when it has none). */
  id: string;
  state: 'queued' | 'running' | 'done' | 'cached';
}

export type JobLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface JobContext {
  signal: AbortSignal;
  onProgress: (p: JobProgress) => void;
  clock: Clock;
  ids: IdSource;
  /** Warnings and notes a host shows beside the result (stderr in the CLI, the log in the app). */
  log: (level: JobLogLevel, message: string) => void;
  /**
   * Notifications a job raised (engine/notify), after they are logged: the CLI prints their `stderr`
   * deliveries. Optional — the app shows `desktop` deliveries from the notification log instead.
   */
  notify?: NotificationSink;
}

/** A context with defaults for whatever the caller does not supply (system clock, random ids, no-op sinks). */
export function jobContext(partial: Partial<JobContext> = {}): JobContext {
  return {
    signal: partial.signal ?? new AbortController().signal,
    onProgress: partial.onProgress ?? (() => undefined),
    clock: partial.clock ?? defaultContext.clock,
    ids: partial.ids ?? defaultContext.ids,
    log: partial.log ?? (() => undefined),
    ...(partial.notify ? { notify: partial.notify } : {}),
  };
}

/**
 * A cooperative cancellation point: throws when the job was cancelled, and yields to the event loop so
 * that a cancel message (worker port, SIGINT) can be delivered while a long synchronous loop runs.
 */
export function checkpoint(ctx: Pick<JobContext, 'signal'>): Promise<void> {
  return yieldAndCheck(ctx.signal);
}
