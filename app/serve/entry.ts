/**
 * Bundle entry of the serve host (built to dist/serve.mjs). `stella serve` and `npm start` load it at
 * runtime; tests and the bench use `startServe` in-process.
 */
import { spawn } from 'node:child_process';
import { resolveHome } from '../../engine/store';
import { preferredPortFor, startServe, type ServeHandle, type ServeOptions } from './server';

export { startServe, preferredPortFor, type ServeHandle, type ServeOptions } from './server';

export interface RunServeOptions extends ServeOptions {
  open?: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Stops the server (drain, close) when aborted — SIGINT in the CLI. */
  signal?: AbortSignal;
  /** Browser opener (default: xdg-open / open / start). */
  openUrl?: (url: string) => Promise<void>;
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
  if (opts.open) {
    try {
      await (opts.openUrl ?? openInBrowser)(handle.url);
    } catch (e) {
      stderr.write(`stella serve: could not open a browser (${(e as Error).message}); open the URL above yourself.\n`);
    }
  }
  await new Promise<void>((resolve) => {
    if (!opts.signal) return; // runs until the process ends
    if (opts.signal.aborted) resolve();
    else opts.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  stderr.write('stella serve: stopping (finishing running jobs)…\n');
  await handle.close();
}

export function openInBrowser(url: string): Promise<void> {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.once('error', (e) => reject(new Error(`${cmd}: ${e.message}`)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
