/**
 * What the worker method tables share: loading engine modules on first use, and the job context a
 * method hands to an engine job.
 */
import { defaultContext } from '../../engine/core';
import type { JobContext } from '../../engine/jobs/context';
import type { MethodContext } from './runtime';

/**
 * An engine module loaded on first use, so a worker starts (and every other channel works) even when
 * one module fails to load; the failure is reported on that module's channels only.
 */
export function lazy<T>(name: string, load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () =>
    (p ??= load().catch((e: unknown) => {
      p = undefined;
      throw new Error(`the engine module ${name} failed to load: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }));
}

/** The job's context in a worker: the call's signal, progress on the port, the system clock and random ids. */
export function jobContextOf<S>(ctx: MethodContext<S>): JobContext {
  return {
    signal: ctx.signal,
    // The port's progress schema bounds its strings; a job's free-text message must not fail the call.
    onProgress: (p) =>
      ctx.progress({
        phase: p.phase.slice(0, 200),
        done: p.done,
        ...(p.total !== undefined ? { total: p.total } : {}),
        ...(p.message !== undefined ? { message: p.message.slice(0, 2000) } : {}),
        ...(p.item !== undefined ? { item: { index: p.item.index, id: p.item.id.slice(0, 200), state: p.item.state } } : {}),
      }),
    clock: defaultContext.clock,
    ids: defaultContext.ids,
    log: ctx.log,
  };
}
