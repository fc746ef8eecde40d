/**
 * The worker side of the protocol: receives calls, validates them (envelope + the method's own args
 * schema), runs the method with an AbortSignal and a progress reporter, and posts exactly one
 * result or error per call. No business logic lives here — methods come from engine-api.ts.
 */
import type { MessagePort } from 'node:worker_threads';
import type { z } from 'zod';
import { conformanceProblems } from '../common/contract/results';
import { BOUNDARY_CHECKS, hostToWorkerSchema, type WireError, type WireProgress, type WorkerToHost } from './protocol';

const PROGRESS_INTERVAL_MS = 50;

export interface MethodContext<S> {
  store: S;
  signal: AbortSignal;
  progress(p: WireProgress): void;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
}

/**
 * A worker method: its argument schema (checked on arrival), its result schema (checked before the
 * result leaves the worker, in development and test builds) and the function. `run` is a method, so a
 * table of methods with different argument types still fits `MethodTable`.
 */
export interface MethodDef<S, A = unknown, R = unknown> {
  args: z.ZodType<A>;
  result: z.ZodType<R>;
  run(args: A, ctx: MethodContext<S>): Promise<R> | R;
}

export type MethodTable<S> = Record<string, MethodDef<S, unknown, unknown>>;

/** Define a method from its schemas (keeps `run`'s argument and result types tied to them). */
export function method<S, A, R>(args: z.ZodType<A>, result: z.ZodType<R>, run: (args: A, ctx: MethodContext<S>) => Promise<R> | R): MethodDef<S, A, R> {
  return { args, result, run };
}

/** Serialize anything thrown by a method into a WireError (engine StellaErrors keep module/code/category). */
export function toWireError(e: unknown, signal?: AbortSignal): WireError {
  if (e && typeof e === 'object' && 'code' in e && 'category' in e && typeof (e as { category: unknown }).category === 'string') {
    const se = e as { module?: unknown; code: unknown; category: string; message?: unknown; details?: unknown };
    const category = se.category;
    return {
      kind: category === 'cancelled' ? 'cancelled' : 'engine',
      module: typeof se.module === 'string' ? se.module : undefined,
      code: String(se.code),
      category,
      message: typeof se.message === 'string' ? se.message : String(se.code),
      details: se.details && typeof se.details === 'object' ? plain(se.details as Record<string, unknown>) : undefined,
    };
  }
  if ((e instanceof Error && e.name === 'AbortError') || signal?.aborted) {
    return { kind: 'cancelled', code: 'cancelled', category: 'cancelled', message: 'cancelled' };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { kind: 'internal', code: 'internal', category: 'internal', message, details: e instanceof Error && e.stack ? { stack: e.stack } : undefined };
}

/** Details must survive structured clone and JSON: drop functions, keep it shallow-safe via JSON. */
function plain(d: Record<string, unknown>): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(d)) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function serveWorker<S>(port: MessagePort, store: S, methods: MethodTable<S>, onShutdown: () => void): void {
  const running = new Map<number, AbortController>();
  const post = (m: WorkerToHost): void => port.postMessage(m);
  const log = (level: 'debug' | 'info' | 'warn' | 'error', message: string): void => post({ type: 'log', level, message });

  port.on('message', (raw: unknown) => {
    const parsed = hostToWorkerSchema.safeParse(raw);
    if (!parsed.success) {
      log('error', `dropped a malformed message from the host: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const seq = (raw as { seq?: unknown } | null)?.seq;
      if (typeof seq === 'number') post({ type: 'error', seq, error: { kind: 'invalid-args', code: 'invalid-request', category: 'usage', message: 'malformed call message' } });
      return;
    }
    const msg = parsed.data;
    switch (msg.type) {
      case 'cancel':
        running.get(msg.seq)?.abort();
        return;
      case 'shutdown':
        for (const c of running.values()) c.abort();
        onShutdown();
        return;
      case 'call':
        void runCall(msg.seq, msg.method, msg.args);
        return;
    }
  });

  async function runCall(seq: number, name: string, rawArgs: unknown): Promise<void> {
    const def = Object.prototype.hasOwnProperty.call(methods, name) ? methods[name] : undefined;
    if (!def) {
      post({ type: 'error', seq, error: { kind: 'unknown-method', code: 'unknown-method', category: 'usage', message: `this worker has no method ${name}` } });
      return;
    }
    const args = def.args.safeParse(rawArgs);
    if (!args.success) {
      post({
        type: 'error',
        seq,
        error: { kind: 'invalid-args', code: 'invalid-request', category: 'usage', message: `invalid arguments for ${name}`, details: { issues: args.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } },
      });
      return;
    }
    const controller = new AbortController();
    running.set(seq, controller);
    let lastPhase = '';
    let lastProgressAt = 0;
    try {
      const result = await def.run(args.data, {
        store,
        signal: controller.signal,
        progress: (p) => {
          // Engines may report per item (100k components): cross the thread at most every 50 ms,
          // but always deliver phase changes, the final step and list-item state changes (layers).
          const now = Date.now();
          const final = p.total !== undefined && p.done >= p.total;
          if (!final && !p.item && p.phase === lastPhase && now - lastProgressAt < PROGRESS_INTERVAL_MS) return;
          lastPhase = p.phase;
          lastProgressAt = now;
          post({ type: 'progress', seq, progress: p });
        },
        log,
      });
      if (BOUNDARY_CHECKS) {
        const problems = conformanceProblems(def.result, result);
        if (problems.length) {
          post({ type: 'error', seq, error: { kind: 'internal', code: 'invalid-result', category: 'internal', message: `${name} returned a result that does not match the contract: ${problems.join('; ')}`, details: { problems } } });
          return;
        }
      }
      // A method that finished despite a late cancel did its work (and its writes): report the result.
      post({ type: 'result', seq, result });
    } catch (e) {
      post({ type: 'error', seq, error: toWireError(e, controller.signal) });
    } finally {
      running.delete(seq);
    }
  }
}
