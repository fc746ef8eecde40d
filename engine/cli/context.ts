/**
 * What every `stella` command gets: parsed global flags, output channels (machine output on stdout,
 * everything else on stderr), the store opener and the injected clock/ids.
 */
import { openStore, type Store } from '../store';
import { defaultContext, type EngineContext, StellaError, type ErrorCategory, type ErrorDetails } from '../core';
import type { JobContext, JobProgress } from '../jobs/context';

export interface GlobalFlags {
  home?: string;
  json?: boolean;
  quiet?: boolean;
}

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export type CliErrorCode = 'usage' | 'missing-data' | 'invalid-input' | 'rejected';

export class CliError extends StellaError<CliErrorCode> {
  readonly module = 'cli';
  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(code, code as ErrorCategory, message, options);
    this.name = 'CliError';
  }
}

export class CommandContext {
  readonly flags: GlobalFlags;
  readonly io: CliIO;
  readonly engine: EngineContext;
  readonly signal: AbortSignal;
  private store: Store | undefined;
  /** Exit code a command asks for without throwing (e.g. validation said no → 1 or 3). */
  exitCode = 0;

  constructor(flags: GlobalFlags, io: CliIO, engine: EngineContext = defaultContext, signal: AbortSignal = new AbortController().signal) {
    this.flags = flags;
    this.io = io;
    this.engine = engine;
    this.signal = signal;
  }

  get json(): boolean {
    return this.flags.json === true;
  }

  /** Opens (and migrates) the store on first use; closed by the CLI runner. */
  openStore(): Store {
    this.store ??= openStore({ home: this.flags.home, env: this.io.env });
    return this.store;
  }

  closeStore(): void {
    this.store?.close();
    this.store = undefined;
  }

  /** Machine output: one JSON document on stdout. */
  printJson(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Human output on stdout. */
  print(line = ''): void {
    this.io.stdout.write(`${line}\n`);
  }

  /** Logs, warnings and progress: stderr, never stdout. */
  log(line: string): void {
    if (!this.flags.quiet) this.io.stderr.write(`${line}\n`);
  }

  /**
   * The context of this command's job: the command's signal (SIGINT), the injected clock and ids, and
   * progress and log lines on stderr. Progress is printed when a phase starts, at its first step, and
   * then at most once a second, so a long job shows it is alive without flooding the terminal.
   */
  job(): JobContext {
    let phase = '';
    let stepped = false;
    let lastAt = 0;
    const clock = this.engine.clock;
    return {
      signal: this.signal,
      clock,
      ids: this.engine.ids,
      onProgress: (p: JobProgress) => {
        const now = clock.nowMs();
        const first = p.phase !== phase;
        const firstStep = !first && !stepped && p.done > 0;
        if (!first && !firstStep && now - lastAt < 1000) return;
        if (first) stepped = p.done > 0;
        if (firstStep) stepped = true;
        phase = p.phase;
        lastAt = now;
        this.log(`stella: ${p.phase}${p.done > 0 || p.total !== undefined ? ` ${p.done}${p.total !== undefined ? `/${p.total}` : ''}` : ''}${p.message ? ` (${p.message})` : ''}`);
      },
      // Info lines read as plain notes; warnings and errors say so. Debug lines are not shown.
      log: (level, message) => {
        if (level !== 'debug') this.log(`stella: ${level === 'info' ? '' : `${level}: `}${message}`);
      },
      // The CLI's notification channel is stderr (engine/notify rules decide what goes there).
      notify: (n) => {
        if (n.channels.includes('stderr')) this.log(`stella: notification [${n.kind}${n.severity !== 'none' ? `, ${n.severity}` : ''}]: ${n.title} — ${n.body}`);
      },
    };
  }

  /** Either JSON (with --json) or the human rendering. */
  output(value: unknown, human: () => void): void {
    if (this.json) this.printJson(value);
    else human();
  }
}
