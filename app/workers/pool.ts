/**
 * The host side of the worker protocol: one `writer` worker (the only writable store connection; its
 * calls run one at a time in FIFO order) and N `reader` workers (read-only connections, least-busy
 * dispatch). A worker that exits or throws is restarted and every call it had in flight is rejected
 * with a `crashed` error — never lost silently. `close()` stops accepting calls, drains in-flight
 * calls (cancelling them after a timeout), then shuts the workers down (they close their stores).
 */
import { Worker } from 'node:worker_threads';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { WORKER_HEAP_LIMITS, type WorkerHeapLimits } from '../../engine/core';
import { WorkerCallError, workerToHostSchema, type WireError, type WireProgress, type WorkerData, type WorkerRole } from './protocol';

export interface PoolOptions {
  home: string;
  /** Reader workers (default: 2). */
  readers?: number;
  /** Enables `__test.*` worker methods. */
  testHooks?: boolean;
  /**
   * The worker entry: dist/workers/engine.worker.mjs when bundled, app/workers/engine.worker.ts (run
   * through tsx) from source — see worker-script.ts (`defaultWorkerScript`).
   */
  workerScript: string;
  /** Log sink for worker log lines and restarts (default: stderr). */
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  /** Restarts allowed per role within a minute before the role is declared broken (default 5). */
  maxRestartsPerMinute?: number;
  /** V8 heap limits of every worker (default WORKER_HEAP_LIMITS.engine, engine/core/limits.ts). */
  heapLimits?: WorkerHeapLimits;
}

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (p: WireProgress) => void;
  /** Called when a writer call leaves the queue and starts running. */
  onStart?: () => void;
}

interface Pending {
  seq: number;
  method: string;
  args: unknown;
  opts: CallOptions;
  resolve(v: unknown): void;
  reject(e: WorkerCallError): void;
  slot?: Slot;
  cleanup?: () => void;
}

interface Slot {
  role: WorkerRole;
  index: number;
  worker: Worker | null;
  ready: Promise<void>;
  inFlight: Map<number, Pending>;
  restarts: number[];
  broken: WireError | null;
}

/** file: URL of tsx's ESM register API, resolved from the TypeScript worker's location. */
function tsxEsmApi(from: string): string {
  const pkgFile = createRequire(from).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports?: Record<string, { import?: string | { default?: string } }> };
  const entry = pkg.exports?.['./esm/api']?.import;
  const rel = typeof entry === 'string' ? entry : (entry?.default ?? './dist/esm/api/index.mjs');
  return pathToFileURL(join(dirname(pkgFile), rel)).href;
}

export class EnginePool {
  private readonly opts: Required<Omit<PoolOptions, 'log'>>;
  private readonly log: NonNullable<PoolOptions['log']>;
  private writer!: Slot;
  private readers: Slot[] = [];
  private readonly writerQueue: Pending[] = [];
  private writerBusy: Pending | null = null;
  private nextSeq = 1;
  private closing = false;
  private closed = false;

  constructor(opts: PoolOptions) {
    this.opts = {
      home: opts.home,
      readers: Math.max(1, opts.readers ?? 2),
      testHooks: opts.testHooks ?? false,
      workerScript: opts.workerScript,
      maxRestartsPerMinute: opts.maxRestartsPerMinute ?? 5,
      heapLimits: opts.heapLimits ?? WORKER_HEAP_LIMITS.engine,
    };
    this.log = opts.log ?? ((level, message) => process.stderr.write(`stella ${level}: ${message}\n`));
  }

  /** Start the writer (it migrates the store) and then the readers; resolves when all are ready. */
  async start(): Promise<void> {
    if (!existsSync(this.opts.workerScript)) {
      throw new Error(`the engine worker is not built: ${this.opts.workerScript} is missing — run \`npm run build\``);
    }
    this.writer = this.makeSlot('writer', 0);
    await this.writer.ready;
    this.readers = Array.from({ length: this.opts.readers }, (_, i) => this.makeSlot('reader', i));
    await Promise.all(this.readers.map((r) => r.ready));
  }

  /** Number of calls not yet settled (queued or running). */
  get inFlight(): number {
    return this.writerQueue.length + (this.writerBusy ? 1 : 0) + this.readers.reduce((n, r) => n + r.inFlight.size, 0);
  }

  call(role: WorkerRole, method: string, args: unknown, opts: CallOptions = {}): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      if (this.closing) {
        reject(new WorkerCallError({ kind: 'shutdown', code: 'busy', category: 'internal', message: 'the engine host is shutting down' }));
        return;
      }
      const p: Pending = { seq: this.nextSeq++, method, args, opts, resolve, reject };
      if (opts.signal?.aborted) {
        reject(cancelledError());
        return;
      }
      if (opts.signal) {
        const onAbort = (): void => this.cancel(p);
        opts.signal.addEventListener('abort', onAbort, { once: true });
        p.cleanup = () => opts.signal?.removeEventListener('abort', onAbort);
      }
      if (role === 'writer') {
        this.writerQueue.push(p);
        this.pumpWriter();
      } else {
        const slot = this.readers.filter((r) => !r.broken).sort((a, b) => a.inFlight.size - b.inFlight.size)[0];
        if (!slot) {
          this.settle(p, this.readers[0]?.broken ?? { kind: 'internal', code: 'internal', category: 'internal', message: 'no reader worker is available' });
          return;
        }
        void this.dispatch(slot, p);
      }
    });
  }

  private cancel(p: Pending): void {
    const qi = this.writerQueue.indexOf(p);
    if (qi >= 0) {
      this.writerQueue.splice(qi, 1);
      this.settle(p, { kind: 'cancelled', code: 'cancelled', category: 'cancelled', message: 'cancelled before it started' });
      return;
    }
    p.slot?.worker?.postMessage({ type: 'cancel', seq: p.seq });
  }

  private pumpWriter(): void {
    if (this.writerBusy || this.writerQueue.length === 0) return;
    const p = this.writerQueue.shift()!;
    if (this.writer.broken) {
      this.settle(p, this.writer.broken);
      this.pumpWriter();
      return;
    }
    this.writerBusy = p;
    p.opts.onStart?.();
    void this.dispatch(this.writer, p);
  }

  private async dispatch(slot: Slot, p: Pending): Promise<void> {
    p.slot = slot;
    slot.inFlight.set(p.seq, p);
    try {
      await slot.ready;
    } catch {
      // settled by the crash path
      return;
    }
    if (!slot.inFlight.has(p.seq)) return;
    if (p.opts.signal?.aborted) {
      slot.inFlight.delete(p.seq);
      this.settle(p, { kind: 'cancelled', code: 'cancelled', category: 'cancelled', message: 'cancelled' });
      return;
    }
    if (slot.role === 'reader') p.opts.onStart?.();
    try {
      slot.worker!.postMessage({ type: 'call', seq: p.seq, method: p.method, args: p.args });
    } catch (e) {
      slot.inFlight.delete(p.seq);
      this.settle(p, { kind: 'internal', code: 'internal', category: 'internal', message: `cannot send ${p.method} to the ${slot.role} worker: ${(e as Error).message}` });
    }
  }

  private settle(p: Pending, error: WireError | null, result?: unknown): void {
    p.cleanup?.();
    if (this.writerBusy === p) {
      this.writerBusy = null;
      setImmediate(() => this.pumpWriter());
    }
    if (error) p.reject(new WorkerCallError(error));
    else p.resolve(result);
  }

  private makeSlot(role: WorkerRole, index: number, previous?: Slot): Slot {
    const slot: Slot = previous ?? { role, index, worker: null, ready: Promise.resolve(), inFlight: new Map(), restarts: [], broken: null };
    const data: WorkerData = { role, home: this.opts.home, testHooks: this.opts.testHooks };
    const script = this.opts.workerScript;
    // Every worker runs jobs on user input: a V8 heap limit turns a runaway job into a clear error
    // (ERR_WORKER_OUT_OF_MEMORY, reported below) instead of a process that swaps or is killed.
    const resourceLimits = { ...this.opts.heapLimits };
    const worker = script.endsWith('.ts')
      ? // From source (tests, dev): register tsx inside the worker, then load the TypeScript entry.
        new Worker(
          `import(${JSON.stringify(tsxEsmApi(script))}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(script).href)}); });`,
          { eval: true, workerData: data, resourceLimits },
        )
      : new Worker(script, { workerData: data, resourceLimits });
    slot.worker = worker;
    let markReady!: () => void;
    let markFailed!: (e: Error) => void;
    slot.ready = new Promise<void>((res, rej) => {
      markReady = res;
      markFailed = rej;
    });
    slot.ready.catch(() => {});
    let initError: WireError | null = null;

    worker.on('message', (raw: unknown) => {
      const parsed = workerToHostSchema.safeParse(raw);
      if (!parsed.success) {
        this.log('error', `${role} worker sent a malformed message (dropped): ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
        const seq = (raw as { seq?: unknown } | null)?.seq;
        const p = typeof seq === 'number' ? slot.inFlight.get(seq) : undefined;
        if (p) {
          slot.inFlight.delete(p.seq);
          this.settle(p, { kind: 'internal', code: 'internal', category: 'internal', message: `the ${role} worker sent a malformed reply to ${p.method}` });
        }
        return;
      }
      const m = parsed.data;
      switch (m.type) {
        case 'ready':
          markReady();
          return;
        case 'init-failed':
          initError = m.error;
          markFailed(new WorkerCallError(m.error));
          return;
        case 'log':
          this.log(m.level, `[${role}${role === 'reader' ? ` ${index}` : ''}] ${m.message}`);
          return;
        case 'progress': {
          const p = slot.inFlight.get(m.seq);
          try {
            p?.opts.onProgress?.(m.progress);
          } catch (e) {
            this.log('warn', `a progress handler threw: ${(e as Error).message}`);
          }
          return;
        }
        case 'result':
        case 'error': {
          const p = slot.inFlight.get(m.seq);
          if (!p) return;
          slot.inFlight.delete(m.seq);
          if (m.type === 'result') this.settle(p, null, m.result);
          else this.settle(p, m.error);
          return;
        }
      }
    });
    let crashReason = '';
    let outOfMemory = false;
    worker.on('error', (e) => {
      crashReason = e instanceof Error ? e.message : String(e);
      outOfMemory = (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
    });
    worker.on('exit', (code) => {
      slot.worker = null;
      if (this.closed) return;
      const heap = this.opts.heapLimits.maxOldGenerationSizeMb;
      const reason = initError
        ? `the ${role} worker could not start: ${initError.message}`
        : outOfMemory
          ? `the ${role} worker ran out of memory: its JavaScript heap is limited to ${heap} MB (WORKER_HEAP_LIMITS.engine.maxOldGenerationSizeMb, engine/core/limits.ts)`
          : `the ${role} worker stopped unexpectedly (${crashReason ? `error: ${crashReason}` : `exit code ${code}`})`;
      markFailed(new Error(reason));
      const inFlight = [...slot.inFlight.values()];
      slot.inFlight.clear();
      for (const p of inFlight) {
        // Out of memory: the job's input needs more than the documented limit allows (exit 3 in the CLI's terms).
        const wire: WireError = outOfMemory
          ? { kind: 'crashed', code: 'resource-limit', category: 'invalid-input', message: `${reason} while running ${p.method}; its input is too large or too complex for that limit`, details: { method: p.method, limit: 'WORKER_HEAP_LIMITS.engine.maxOldGenerationSizeMb', limitMb: heap } }
          : { kind: 'crashed', code: 'internal', category: 'internal', message: `${reason} while running ${p.method}`, details: { method: p.method } };
        this.settle(p, wire);
      }
      if (this.closing) return;
      if (initError) {
        slot.broken = { ...initError, message: reason };
        this.log('error', reason);
        if (role === 'writer') this.pumpWriter();
        return;
      }
      const now = Date.now();
      slot.restarts = slot.restarts.filter((t) => now - t < 60_000);
      if (slot.restarts.length >= this.opts.maxRestartsPerMinute) {
        slot.broken = { kind: 'crashed', code: 'internal', category: 'internal', message: `the ${role} worker keeps crashing (${slot.restarts.length} restarts in a minute); restart Stella` };
        this.log('error', slot.broken.message);
        if (role === 'writer') this.pumpWriter();
        return;
      }
      slot.restarts.push(now);
      this.log('warn', `${reason}; restarting it`);
      this.makeSlot(role, index, slot);
    });
    return slot;
  }

  /**
   * Stop accepting calls, wait for in-flight and queued calls up to `drainMs`, cancel what is still
   * running, then shut the workers down (each closes its store connection).
   */
  async close(opts: { drainMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    const deadline = Date.now() + (opts.drainMs ?? 10_000);
    while (this.inFlight > 0 && Date.now() < deadline) await sleep(20);
    if (this.inFlight > 0) {
      for (const p of this.writerQueue.splice(0)) this.settle(p, { kind: 'shutdown', code: 'cancelled', category: 'cancelled', message: 'cancelled: the engine host shut down before it started' });
      for (const slot of [this.writer, ...this.readers]) for (const p of slot?.inFlight.values() ?? []) slot.worker?.postMessage({ type: 'cancel', seq: p.seq });
      const grace = Date.now() + 2000;
      while (this.inFlight > 0 && Date.now() < grace) await sleep(20);
    }
    this.closed = true;
    const slots = [...this.readers, this.writer].filter((s): s is Slot => !!s);
    await Promise.all(
      slots.map(async (slot) => {
        const w = slot.worker;
        for (const p of slot.inFlight.values()) this.settle(p, { kind: 'shutdown', code: 'cancelled', category: 'cancelled', message: 'cancelled: the engine host shut down' });
        slot.inFlight.clear();
        if (!w) return;
        const exited = new Promise<void>((res) => w.once('exit', () => res()));
        w.postMessage({ type: 'shutdown' });
        const timedOut = await Promise.race([exited.then(() => false), sleep(3000).then(() => true)]);
        if (timedOut) await w.terminate();
      }),
    );
  }
}

function cancelledError(): WorkerCallError {
  return new WorkerCallError({ kind: 'cancelled', code: 'cancelled', category: 'cancelled', message: 'cancelled' });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
