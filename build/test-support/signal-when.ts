/**
 * Spawn the `stella` binary and send it a signal once a line on its stderr matches: Ctrl-C (SIGINT)
 * in the cancellation tests, kill -9 (SIGKILL) in the crash tests.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from './fixtures';

export interface Signalled {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The stderr line the signal was sent after ('' when none matched), and ms from the signal to the exit. */
  at: string;
  ms: number;
}

export function signalWhen(args: readonly string[], when: (line: string) => boolean, signal: NodeJS.Signals): Promise<Signalled> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'stella.mjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    let at = '';
    let sentAt = 0;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (sentAt === 0 && when(line)) {
          at = line;
          sentAt = performance.now();
          child.kill(signal);
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code, sig) => resolve({ code, signal: sig, stdout, stderr, at, ms: sentAt ? performance.now() - sentAt : NaN }));
  });
}
