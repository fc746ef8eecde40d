/** Running the `stella` CLI in-process in tests, with stdout and stderr captured. */
import { PassThrough, Writable } from 'node:stream';
import { runCli, type RunOptions } from '../../engine/cli/main';

/** A writable that keeps what was written. */
export function textSink(): { stream: Writable; text: () => string } {
  let s = '';
  return {
    stream: new Writable({
      write(chunk: Buffer, _enc, cb) {
        s += chunk.toString();
        cb();
      },
    }),
    text: () => s,
  };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `stella ARGS` with an empty environment (unless given), no stdin, in `cwd`. */
export async function runCliCaptured(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; engine?: RunOptions['engine'] } = {}): Promise<CliRun> {
  const out = textSink();
  const err = textSink();
  const code = await runCli(args, { io: { stdout: out.stream, stderr: err.stream, stdin: new PassThrough(), env: opts.env ?? {}, cwd: opts.cwd ?? process.cwd() }, ...(opts.engine ? { engine: opts.engine } : {}) });
  return { code, stdout: out.text(), stderr: err.text() };
}
