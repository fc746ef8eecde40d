/**
 * Bundle entry of the serve host (built to dist/serve.mjs). `stella serve` and `npm start` load it at
 * runtime; tests and the bench use `startServe` in-process.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveHome } from '../../engine/store';
import { preferredPortFor, startServe, type ServeHandle, type ServeOptions } from './server';

export { startServe, preferredPortFor, type ServeHandle, type ServeOptions } from './server';

export interface RunServeOptions extends ServeOptions {
  open?: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Stops the server (drain, close) when aborted — SIGINT in the CLI. */
  signal?: AbortSignal;
  /** Opens a local file in the browser (default: xdg-open / open / start); given the private launcher file, never the URL. */
  openUrl?: (file: string) => Promise<void>;
  /** How long the launcher file lives, ms (default 120 s; it also goes when the server stops). */
  launcherTtlMs?: number;
}

/** Start, print exactly one line `http://127.0.0.1:PORT/?token=TOKEN` on stdout, run until `signal` aborts. */
export async function runServe(opts: RunServeOptions = {}): Promise<void> {
  const stderr = opts.stderr ?? process.stderr;
  const stdout = opts.stdout ?? process.stdout;
  // Without --port, prefer a stable port per home (see preferredPortFor) so browser-side drafts persist.
  const preferredPort = opts.port === undefined ? (opts.preferredPort ?? preferredPortFor(resolveHome({ home: opts.home }))) : undefined;
  const handle: ServeHandle = await startServe({ ...opts, preferredPort, log: opts.log ?? ((l) => stderr.write(`${l}\n`)) });
  stdout.write(`${handle.url}\n`);
  stderr.write(`stella serve: the evidence store is ${handle.home}; listening on 127.0.0.1:${handle.port} only. Press Ctrl-C to stop.\n`);
  let launcher: { file: string; remove(): void } | undefined;
  if (opts.open) {
    try {
      launcher = writeLauncher(handle.url, join(handle.home, 'tmp'), opts.launcherTtlMs ?? 120_000);
      await (opts.openUrl ?? openInBrowser)(launcher.file);
    } catch (e) {
      launcher?.remove();
      stderr.write(`stella serve: could not open a browser (${(e as Error).message}); open the URL above yourself.\n`);
    }
  }
  await new Promise<void>((resolve) => {
    if (!opts.signal) return; // runs until the process ends
    if (opts.signal.aborted) resolve();
    else opts.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  stderr.write('stella serve: stopping (finishing running jobs)…\n');
  launcher?.remove();
  await handle.close();
}

/**
 * `--open` without putting the token on another process's command line, where every local user can read
 * it (`ps`, /proc/PID/cmdline): the browser is handed a private launcher file — 0600, in a fresh 0700
 * folder under the home's tmp — that redirects to the URL. (A one-time code in the opened URL would not
 * do: another user could read it from the process list and redeem it before the browser does.) The file
 * is removed after `ttlMs` or when the server stops, whichever comes first.
 */
export function writeLauncher(url: string, parent: string, ttlMs: number): { file: string; remove(): void } {
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  const dir = join(parent, `open-${randomBytes(8).toString('hex')}`);
  mkdirSync(dir, { mode: 0o700 });
  const file = join(dir, 'stella.html');
  const href = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  writeFileSync(
    file,
    `<!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0;url=${href}"><title>Opening Stella…</title></head><body><p>Opening Stella… if nothing happens, <a href="${href}">continue</a>.</p></body></html>\n`,
    { mode: 0o600, flag: 'wx' },
  );
  const remove = (): void => {
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };
  const timer = setTimeout(remove, ttlMs);
  timer.unref();
  return { file, remove };
}

/** Open a local file (the launcher) with the desktop's handler for it. */
export function openInBrowser(file: string): Promise<void> {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [file]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', file]] : ['xdg-open', [file]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.once('error', (e) => reject(new Error(`${cmd}: ${e.message}`)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
