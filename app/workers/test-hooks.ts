/**
 * Test-only worker methods, registered only when the pool is started with `testHooks: true`:
 * a cancellable sleep that reports progress (progress/cancel/drain tests) and deliberate crashes
 * (restart tests). The apps never enable them.
 */
import { z } from 'zod';
import { method, type MethodTable } from './runtime';

export function testHookMethods<S>(): MethodTable<S> {
  return {
    '__test.sleep': method<S, { ms: number; steps: number }, { slept: number }>(z.object({ ms: z.number().int().min(0).max(60_000), steps: z.number().int().min(1).max(1000).default(1) }), z.object({ slept: z.number() }), async (args, ctx) => {
      for (let i = 0; i < args.steps; i++) {
        ctx.progress({ phase: 'sleeping', done: i, total: args.steps });
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(resolve, args.ms / args.steps);
          ctx.signal.addEventListener(
            'abort',
            () => {
              clearTimeout(t);
              reject(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
            },
            { once: true },
          );
        });
      }
      ctx.progress({ phase: 'sleeping', done: args.steps, total: args.steps });
      return { slept: args.ms };
    }),
    '__test.crash': method<S, { how: 'exit' | 'throw' }, never>(z.object({ how: z.enum(['exit', 'throw']) }), z.never(), (args) => {
      if (args.how === 'exit') process.exit(3);
      setTimeout(() => {
        throw new Error('deliberate crash (test hook)');
      }, 0);
      return new Promise(() => {});
    }),
    // Grows the heap until the worker's resourceLimits stop it (out-of-memory reporting tests).
    '__test.exhaustHeap': method<S, Record<string, never>, never>(z.object({}), z.never(), async () => {
      const hoard: unknown[] = [];
      for (;;) {
        hoard.push(Array.from({ length: 100_000 }, (_, i) => ({ i, s: `x${i}` })));
        if (hoard.length % 16 === 0) await new Promise((r) => setImmediate(r));
      }
    }),
    '__test.fail': method<S, { code: string; category: string }, never>(z.object({ code: z.string(), category: z.string() }), z.never(), (args) => {
      throw Object.assign(new Error(`deliberate ${args.code}`), { module: 'test', code: args.code, category: args.category, details: { file: 'x.json' } });
    }),
  };
}
