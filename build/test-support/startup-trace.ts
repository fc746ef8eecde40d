/**
 * What a `stella` process loads before its first byte of work, seen from outside: the CLI is spawned
 * with a module-loader hook (registered through `--import`) that writes `stella: load <url>` on stderr,
 * synchronously, for every module file the ESM loader loads (a CommonJS package appears once, by its
 * entry point; what it `require`s inside is not listed), and with STELLA_TRACE_STARTUP=1, which makes
 * the CLI write `stella: trace: first progress (<phase>)` at its job's first progress event
 * (engine/cli/context.ts). `timeToFirstProgress` times that line's arrival from outside: spawn → marker
 * on the child's stderr, and spawn → exit. Used by the start-up tests and the `cli-process` bench.
 */
import { spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { REPO_ROOT } from './fixtures';

const HOOKS = `
import { writeSync } from 'node:fs';
export async function load(url, context, next) {
  const r = await next(url, context);
  if (url.startsWith('file:')) writeSync(2, 'stella: load ' + url + '\\n');
  return r;
}`;
const REGISTER = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});`)}`;

export interface StartupTrace {
  status: number | null;
  /** Module files loaded before the first progress event (all of them when there was none), as paths below the repository. */
  loadedBeforeWork: string[];
  /** Whether the job emitted a progress event. */
  progressed: boolean;
  stdout: string;
  stderr: string;
}

/** Spawn `stella ARGS` (the built CLI when present) with the loader trace on. */
export function traceStartup(args: readonly string[], env: NodeJS.ProcessEnv = {}): StartupTrace {
  const r = spawnSync(process.execPath, ['--import', REGISTER, join(REPO_ROOT, 'bin', 'stella.mjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env, STELLA_TRACE_STARTUP: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });
  const loaded: string[] = [];
  let progressed = false;
  for (const line of r.stderr.split('\n')) {
    const load = /^stella: load file:\/\/(.*)$/.exec(line);
    if (load && !progressed) loaded.push(decodeURIComponent(load[1] as string).replace(`${REPO_ROOT}/`, ''));
    if (MARK.test(line)) progressed = true;
  }
  return { status: r.status, loadedBeforeWork: loaded, progressed, stdout: r.stdout, stderr: r.stderr };
}

const MARK = /^stella: trace: first progress/;

/**
 * Spawn `stella ARGS` (no loader hook) and time, from outside, the first-progress marker on its stderr
 * and its exit: ms since the spawn call. Rejects when it exits with a status not in `statuses`.
 */
export function timeToFirstProgress(args: readonly string[], statuses: readonly number[] = [0]): Promise<{ firstProgressMs: number | null; exitMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'stella.mjs'), ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, STELLA_TRACE_STARTUP: '1' } });
    let firstProgressMs: number | null = null;
    let pending = '';
    let tail = '';
    child.stderr.on('data', (d: Buffer) => {
      const text = d.toString('utf8');
      tail = (tail + text).slice(-2000);
      if (firstProgressMs !== null) return;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      if (lines.some((l) => MARK.test(l))) firstProgressMs = performance.now() - t0;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const exitMs = performance.now() - t0;
      if (code === null || !statuses.includes(code)) reject(new Error(`stella ${args.join(' ')} exited ${code}: ${tail}`));
      else resolve({ firstProgressMs, exitMs });
    });
  });
}

/** The npm packages among loaded module paths (`node_modules/<pkg>/…` → `<pkg>`), sorted, unique. */
export function packagesOf(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p);
    if (m) out.add(m[1] as string);
  }
  return [...out].sort();
}
