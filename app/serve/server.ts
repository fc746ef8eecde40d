/**
 * `stella serve`: the engine host and the built UI over HTTP + WebSocket on 127.0.0.1 only.
 *   GET  /…                 the UI (dist/renderer): no token needed; `?token=` accepted (checked) only here
 *   POST /api/invoke/:ch    a contract request (JSON body) → reply envelope; token in a header
 *   POST /api/upload?name=  a file body, streamed to <home>/tmp under a per-file cap, an overall quota and
 *                           time limits → FileRef {kind:'upload'}; token in a header
 *   GET  /api/ws            WebSocket: every contract event as {event, payload}; token as subprotocol
 * Every request needs our own Host/Origin (see security.ts), else 403; no cookie is ever set.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { stellaVersion } from '../../engine/core';
import { resolveHome } from '../../engine/store';
import type { Reply } from '../common/contract';
import { EngineHost } from '../main/host/engine-host';
import { fileResolver, PathGrants, UploadStore } from '../main/host/files';
import { contractErrorOf } from '../main/host/errors';
import { EnginePool } from '../workers/pool';
import { defaultWorkerScript } from '../workers/worker-script';
import { checkOrigin, checkRequest, contentSecurityPolicy, WS_PROTOCOL, type Gate, type RequestKind } from './security';
import { lookupStatic } from '../main/host/static';

export interface ServeOptions {
  /** Evidence store directory (default: $STELLA_HOME, else the per-OS app-data folder). */
  home?: string;
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** When `port` is not given: try this port first, fall back to a free one if it is taken. */
  preferredPort?: number;
  /** Built UI directory (default: dist/renderer). */
  uiDir?: string;
  /** Reader workers (default 2). */
  readers?: number;
  /** Largest upload, bytes (default 2 GiB). */
  maxUploadBytes?: number;
  /** Most bytes all kept uploads may hold together (default 8 GiB); consumed uploads are removed when their job ends. */
  maxTotalUploadBytes?: number;
  /** A request (headers and body, uploads included) must arrive within this, ms (default 15 min). */
  requestTimeoutMs?: number;
  /** An upload that sends nothing for this long is aborted, ms (default 60 s). */
  uploadIdleMs?: number;
  /** Accept FileRefs of kind 'path' (any local file). Only for trusted programmatic callers (bench, tests). */
  allowLocalPaths?: boolean;
  /** Enables the workers' `__test.*` methods. */
  testHooks?: boolean;
  /** Log sink (default: stderr). */
  log?: (line: string) => void;
  /** Drain timeout for close(), ms (default 10 s). */
  drainMs?: number;
  /** `--feeds DIR`: import this folder (or file) of advisories at start, as an `advisories.import` job the UI shows. */
  feeds?: string;
  /** `--media DIR` (repeatable): folders offered as export targets besides the exports folder and mounted removable media. */
  mediaFolders?: string[];
  /** The app's package-lock.json for the first-run inventory (default: the repository's / installation's, beside dist/). */
  appLockfile?: string;
}

export interface ServeHandle {
  url: string;
  /** The address the server is bound to (always 127.0.0.1). */
  address: string;
  port: number;
  token: string;
  home: string;
  host: EngineHost;
  /** Open event WebSockets (tests wait for their client's socket before starting jobs). */
  eventSockets(): number;
  close(): Promise<void>;
}

const MAX_JSON_BYTES = 16 * 1024 * 1024;

function moduleDir(): string {
  return dirname(fileURLToPath(import.meta.url));
}

/** dist/renderer next to the bundle (dist/serve.mjs) or, from source, the repository's dist/renderer. */
export function defaultUiDir(): string {
  const here = moduleDir();
  return /\.ts$/.test(fileURLToPath(import.meta.url)) ? join(here, '..', '..', 'dist', 'renderer') : join(here, 'renderer');
}

/** The package-lock.json of this installation: beside dist/ (the bundle) or at the repository root (from source). */
export function defaultAppLockfile(): string {
  const here = moduleDir();
  return /\.ts$/.test(fileURLToPath(import.meta.url)) ? join(here, '..', '..', 'package-lock.json') : join(here, '..', 'package-lock.json');
}

export async function startServe(opts: ServeOptions = {}): Promise<ServeHandle> {
  const home = resolveHome({ home: opts.home });
  if (opts.feeds !== undefined && !existsSync(opts.feeds)) throw new Error(`--feeds ${opts.feeds}: no such file or folder`);
  for (const d of opts.mediaFolders ?? []) if (!existsSync(d)) throw new Error(`--media ${d}: no such folder`);
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const uiDir = opts.uiDir ?? defaultUiDir();
  const token = randomBytes(32).toString('base64url');
  try {
    mkdirSync(home, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new Error(`cannot use ${home} as the Stella home: ${(e as Error).message}`, { cause: e });
  }
  const uploadDir = join(home, 'tmp', `serve-uploads-${randomBytes(6).toString('hex')}`);
  const uploads = new UploadStore({ dir: uploadDir, maxBytes: opts.maxUploadBytes, maxTotalBytes: opts.maxTotalUploadBytes });
  for (const p of UploadStore.sweepStale(uploadDir, 'serve-uploads-', 24 * 3600 * 1000)) log(`stella serve: removed stale uploads ${p}`);

  const pool = new EnginePool({ home, workerScript: defaultWorkerScript(), readers: opts.readers, testHooks: opts.testHooks, log: (level, m) => log(`stella ${level}: ${m}`) });
  try {
    await pool.start();
  } catch (e) {
    uploads.close();
    await pool.close({ drainMs: 0 }).catch(() => {});
    throw e;
  }
  // Folder-only grants: exactly the export targets `media.list` offered (the browser never names a path).
  const folderGrants = new PathGrants();
  const host = new EngineHost({
    backend: pool,
    files: fileResolver({ uploads, folders: folderGrants, ...(opts.allowLocalPaths ? { paths: new PathGrants(true) } : {}) }),
    grantFolder: (path) => folderGrants.grantFolder(path),
    mediaFolders: (opts.mediaFolders ?? []).map((d) => resolve(d)),
    appLockfile: opts.appLockfile ?? defaultAppLockfile(),
    info: { version: stellaVersion(), mode: 'serve', home, platform: process.platform },
    // The page shows desktop-routed notifications in the app (a browser tab has no system ones).
    notifications: true,
  });

  if (opts.feeds !== undefined) {
    // an ordinary job: every page sees it in jobs.list and its job.* events, the first-run workspace shows it
    const { jobId } = host.importFeedsAtStart(resolve(opts.feeds));
    log(`stella serve: importing the advisories in ${resolve(opts.feeds)} (job ${jobId})`);
  }

  const gate: Gate = { port: 0, token };
  const sockets = new Set<WebSocket>();
  // The client offers `stella.v1` and `stella.token.<token>`; the answer names only `stella.v1`.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false) });
  const unsubscribe = host.bus.onAny((event, payload) => {
    const data = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(data);
  });

  const requestTimeoutMs = opts.requestTimeoutMs ?? 15 * 60_000;
  const server = createServer({ requestTimeout: requestTimeoutMs, headersTimeout: Math.min(30_000, requestTimeoutMs), connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(requestTimeoutMs / 4))) }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      log(`stella serve: ${req.method} ${(req.url ?? '').replace(/([?&]token=)[^&]*/g, '$1…')}: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'internal error' } });
      else res.destroy();
    });
  });
  const uploadIdleMs = opts.uploadIdleMs ?? 60_000;

  /** Refuse (403) unless the request passes the gate for its kind. */
  function admitted(req: IncomingMessage, res: ServerResponse, url: URL, kind: RequestKind): boolean {
    const check = checkRequest(req, url, gate, kind);
    if (!check.ok) forbidden(res, check.reason);
    return check.ok;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (path.startsWith('/api/')) {
      if (!admitted(req, res, url, 'api')) return;
      if (path.startsWith('/api/invoke/') && req.method === 'POST') return invoke(req, res, path.slice('/api/invoke/'.length));
      if (path === '/api/upload' && req.method === 'POST') return upload(req, res, url);
      sendJson(res, 404, { ok: false, error: { code: 'not-found', message: `no API ${req.method} ${path}` } });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const foreign = checkOrigin(req, gate.port);
      if (foreign) forbidden(res, foreign);
      else res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    serveStatic(req, res, url);
  }

  async function invoke(req: IncomingMessage, res: ServerResponse, rawChannel: string): Promise<void> {
    // A JSON content type forces a CORS preflight for any cross-origin sender, on top of the token.
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      sendJson(res, 415, { ok: false, error: { code: 'invalid-request', message: 'POST /api/invoke needs Content-Type: application/json' } });
      return;
    }
    let channel: string;
    try {
      channel = decodeURIComponent(rawChannel);
    } catch {
      channel = rawChannel;
    }
    let body: unknown;
    try {
      const text = await readBody(req, MAX_JSON_BYTES);
      body = text.trim() === '' ? {} : JSON.parse(text);
    } catch (e) {
      sendJson(res, 400, { ok: false, error: { code: 'invalid-request', message: `request body is not valid JSON: ${(e as Error).message}` } });
      return;
    }
    const reply = await host.invoke(channel, body);
    sendJson(res, statusOf(reply), reply);
  }

  async function upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const name = url.searchParams.get('name') ?? 'upload.bin';
    const length = req.headers['content-length'] !== undefined ? Number(req.headers['content-length']) : undefined;
    // A body that stalls holds a connection and a share of the quota: give up on it.
    let idle = false;
    req.setTimeout(uploadIdleMs, () => {
      idle = true;
      req.destroy(new Error(`no data for ${uploadIdleMs} ms`));
    });
    try {
      const ref = await uploads.receive(req, name, Number.isFinite(length) ? length : undefined);
      sendJson(res, 200, { ok: true, value: ref });
    } catch (e) {
      const error = contractErrorOf(e);
      if (idle) {
        log(`stella serve: upload of ${JSON.stringify(name.slice(0, 200))} aborted: no data for ${uploadIdleMs} ms`);
        res.destroy();
        return;
      }
      // Stop reading a body we refused, then answer.
      req.unpipe();
      req.resume();
      sendJson(res, error.code === 'invalid-input' ? 413 : 500, { ok: false, error }, true);
    } finally {
      // The idle limit is for this body only, not for later requests on the same keep-alive socket.
      if (!idle) req.setTimeout(0);
    }
  }

  function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const found = lookupStatic(uiDir, url.pathname);
    // The page (index.html, also for client-side routes) is the document; every other file an asset.
    const kind: RequestKind = found.kind === 'file' && found.type.startsWith('text/html') ? 'document' : 'asset';
    if (!admitted(req, res, url, kind)) return;
    if (found.kind === 'forbidden') {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('forbidden\n');
      return;
    }
    if (found.kind === 'missing') {
      if (!existsSync(join(uiDir, 'index.html'))) {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end(`The Stella UI is not built (${uiDir} is missing). Run \`npm run build\`; the API is available meanwhile.\n`);
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const headers: Record<string, string | string[]> = {
      'content-type': found.type,
      'content-length': String(found.size),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    };
    if (found.type.startsWith('text/html')) {
      headers['content-security-policy'] = contentSecurityPolicy(gate.port);
      headers['x-frame-options'] = 'DENY';
      headers['cache-control'] = 'no-store';
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(found.path).on('error', () => res.destroy()).pipe(res);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const check = checkRequest(req, url, gate, 'websocket');
    if (!check.ok || url.pathname !== '/api/ws') {
      const status = check.ok ? '404 Not Found' : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      if (!check.ok) log(`stella serve: refused WebSocket: ${check.reason}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
      // The socket is events-only; anything the client sends is ignored.
      ws.on('message', () => {});
    });
  });

  function forbidden(res: ServerResponse, reason: string): void {
    log(`stella serve: 403 (${reason})`);
    sendJson(res, 403, { ok: false, error: { code: 'invalid-request', message: `forbidden: ${reason}. Open the URL printed by \`stella serve\` (it carries the token).` } });
  }

  const listen = (port: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  try {
    if (opts.port === undefined && opts.preferredPort !== undefined) {
      // A stable port keeps the UI's origin (and so its IndexedDB drafts) across restarts; any free one otherwise.
      await listen(opts.preferredPort).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EADDRINUSE' && e.code !== 'EACCES') throw e;
        log(`stella serve: port ${opts.preferredPort} is busy; using a free port (UI drafts saved in the browser are kept per port)`);
        return listen(0);
      });
    } else {
      await listen(opts.port ?? 0);
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    await host.close({ drainMs: 0 });
    uploads.close();
    throw new Error(e.code === 'EADDRINUSE' ? `port ${opts.port} on 127.0.0.1 is already in use; choose another with --port or omit it` : `cannot listen on 127.0.0.1: ${e.message}`, { cause: e });
  }
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('stella serve: no TCP address');
  gate.port = address.port;

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${address.port}/?token=${token}`,
    address: address.address,
    port: address.port,
    token,
    home,
    host,
    eventSockets: () => sockets.size,
    close() {
      closing ??= (async () => {
        unsubscribe();
        server.close();
        for (const ws of sockets) ws.close(1001, 'stella serve is shutting down');
        await host.close({ drainMs: opts.drainMs ?? 10_000 });
        server.closeAllConnections();
        wss.close();
        uploads.close();
      })();
      return closing;
    },
  };
}

function statusOf(reply: Reply<unknown>): number {
  if (reply.ok) return 200;
  switch (reply.error.code) {
    case 'invalid-request':
      return 400;
    case 'unknown-channel':
      return 404;
    case 'internal':
      return 500;
    default:
      return 200;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, close = false): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(data)),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(data);
}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new Error(`body larger than ${max} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The port `stella serve` tries first for a home: stable per home directory, so the browser origin —
 * and the UI state it keeps in IndexedDB (policy drafts, views) — survives restarts. 47800–48799.
 */
export function preferredPortFor(home: string): number {
  return 47800 + (createHash('sha256').update(home).digest().readUInt16BE(0) % 1000);
}
