/** Run the `stella` CLI in-process for tests: arguments in, exit code and captured stdout/stderr out. */
import { PassThrough } from 'node:stream';
import { runCli } from '../../engine/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `stella --home HOME …argv`, with an empty environment and this process's working directory. */
export async function stella(home: string, ...argv: string[]): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(['--home', home, ...argv], { io: { stdout, stderr, env: {}, cwd: process.cwd() } });
  return { code, stdout: out, stderr: err };
}
