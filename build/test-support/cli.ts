/** Running the `stella` CLI in-process for tests: captured stdout/stderr, no environment, a chosen cwd. */
import { PassThrough, Writable } from 'node:stream';
import { runCli } from '../../engine/cli/main';
import { REPO_ROOT } from './fixtures';

/** A writable that keeps what is written. */
export function sink(): { stream: Writable; text: () => string } {
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

/** `stella ARGS` with empty stdin and environment (unless given); resolves to the exit code and both outputs. */
export async function cli(args: string[], cwd = REPO_ROOT, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = sink();
  const err = sink();
  const code = await runCli(args, { io: { stdout: out.stream, stderr: err.stream, stdin: new PassThrough(), env, cwd } });
  return { code, stdout: out.text(), stderr: err.text() };
}

/** `stella --home HOME …argv`, from this process's working directory. */
export function stella(home: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cli(['--home', home, ...argv], process.cwd());
}
