/**
 * Transport-agnostic EngineClient implementations the renderer uses:
 *  - `createHttpClient(baseUrl, token?)` — `stella serve`: requests over `POST /api/invoke/:channel`,
 *    events over one WebSocket `GET /api/ws` (reconnecting), uploads over `POST /api/upload`. The token
 *    travels in the Authorization header, and on the WebSocket as its subprotocol — never in a URL or a
 *    cookie.
 *  - `clientFromBridge(window.stella)` — Electron: the preload's allow-listed invoke/subscribe.
 *  - `getEngineClient()` — picks the Electron bridge when present, else serve over `location.origin`.
 * Browser-safe: no Node imports. Node tests pass `fetch`/`WebSocket` implementations in the options.
 */
import { CHANNELS, EVENTS, type Channel, type ChannelArgs, type ChannelResult, type EngineClient, type EventName, type EventPayloads, type FileRef } from './channels';
import { replySchema, type Reply } from './envelope';
import type { StellaBridge } from './bridge';

/** The subset of the WebSocket API the client uses (browser WebSocket and the `ws` package both fit). */
export interface WebSocketLike {
  readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(code?: number, reason?: string): void;
}
export type WebSocketCtor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** The event socket's subprotocol, and the prefix of the one that carries the token (see app/serve/security.ts). */
export const WS_PROTOCOL = 'stella.v1';
export const WS_TOKEN_PREFIX = 'stella.token.';

export interface HttpClientOptions {
  fetch?: typeof fetch;
  WebSocket?: WebSocketCtor;
  /** First reconnect delay of the event socket, ms (doubles up to 10 s). Default 500. */
  reconnectMs?: number;
}

export interface HttpEngineClient extends EngineClient {
  /** Upload a file's bytes to the serve host; the reply's FileRef (`kind: 'upload'`) can be passed to import channels. */
  upload(body: Blob | ArrayBuffer | Uint8Array, name: string): Promise<Reply<FileRef>>;
  /** Close the event socket and stop reconnecting. */
  close(): void;
}

const CHANNEL_SET = new Set<string>(CHANNELS);
const EVENT_SET = new Set<string>(EVENTS);

function transportFailure(message: string, details: Record<string, unknown> = {}): Reply<never> {
  return { ok: false, error: { code: 'internal', message, details: { transport: true, ...details } } };
}

async function readReply(res: Response): Promise<Reply<unknown>> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return transportFailure(`the Stella host answered HTTP ${res.status} without a JSON reply`, { status: res.status });
  }
  const parsed = replySchema.safeParse(body);
  if (!parsed.success) return transportFailure(`the Stella host answered HTTP ${res.status} with a malformed reply`, { status: res.status });
  return parsed.data as Reply<unknown>;
}

export function createHttpClient(baseUrl: string, token?: string, opts: HttpClientOptions = {}): HttpEngineClient {
  const base = baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const WS = opts.WebSocket ?? (globalThis as unknown as { WebSocket?: WebSocketCtor }).WebSocket;
  const headers = (extra: Record<string, string>): Record<string, string> => (token ? { ...extra, authorization: `Bearer ${token}` } : extra);
  const handlers = new Map<string, Set<(payload: unknown) => void>>();
  let socket: WebSocketLike | null = null;
  let closed = false;
  let retryMs = opts.reconnectMs ?? 500;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const subscriberCount = (): number => [...handlers.values()].reduce((n, s) => n + s.size, 0);

  function connect(): void {
    if (closed || socket || !WS) return;
    const wsUrl = `${base.replace(/^http/, 'ws')}/api/ws`;
    // Browsers cannot set headers on a WebSocket: the token rides as a subprotocol the server never echoes.
    const ws = token ? new WS(wsUrl, [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${token}`]) : new WS(wsUrl);
    socket = ws;
    ws.onopen = () => {
      retryMs = opts.reconnectMs ?? 500;
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      let msg: unknown;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (!msg || typeof msg !== 'object') return;
      const { event, payload } = msg as { event?: unknown; payload?: unknown };
      if (typeof event !== 'string' || !EVENT_SET.has(event)) return;
      for (const h of handlers.get(event) ?? []) {
        try {
          h(payload);
        } catch (e) {
          console.error(`stella: a ${event} handler threw`, e);
        }
      }
    };
    ws.onerror = () => {};
    ws.onclose = () => {
      if (socket === ws) socket = null;
      if (closed || subscriberCount() === 0) return;
      retryTimer = setTimeout(() => {
        retryTimer = null;
        connect();
      }, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  }

  return {
    async invoke<C extends Channel>(channel: C, args: ChannelArgs<C>): Promise<Reply<ChannelResult<C>>> {
      if (!CHANNEL_SET.has(channel)) return { ok: false, error: { code: 'unknown-channel', message: `unknown channel ${String(channel)}` } };
      let res: Response;
      try {
        res = await doFetch(`${base}/api/invoke/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: headers({ 'content-type': 'application/json' }),
          body: JSON.stringify(args ?? {}),
          credentials: 'omit',
        });
      } catch (e) {
        return transportFailure(`cannot reach the Stella host at ${base}: ${e instanceof Error ? e.message : String(e)}`);
      }
      return (await readReply(res)) as Reply<ChannelResult<C>>;
    },
    subscribe<E extends EventName>(event: E, handler: (payload: EventPayloads[E]) => void): () => void {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      const h = handler as (payload: unknown) => void;
      set.add(h);
      connect();
      return () => {
        set.delete(h);
      };
    },
    async upload(body, name) {
      let res: Response;
      try {
        res = await doFetch(`${base}/api/upload?name=${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: headers({ 'content-type': 'application/octet-stream' }),
          body: body as BodyInit,
          credentials: 'omit',
        });
      } catch (e) {
        return transportFailure(`upload of ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      return (await readReply(res)) as Reply<FileRef>;
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      socket?.close(1000, 'client closed');
      socket = null;
    },
  };
}

/** The Electron preload bridge as an EngineClient (types restored; the bridge itself is untyped at runtime). */
export function clientFromBridge(bridge: StellaBridge): EngineClient {
  return {
    invoke: (channel, args) => bridge.invoke(channel, args) as Promise<Reply<never>>,
    subscribe: (event, handler) => bridge.subscribe(event, handler as (payload: unknown) => void),
  };
}

/** Where the serve page keeps its token: this tab only, gone when the tab closes. */
export const SERVE_TOKEN_KEY = 'stella.serve.token';

interface PageGlobals {
  location: Pick<Location, 'href'>;
  history?: Pick<History, 'state' | 'replaceState'>;
  sessionStorage?: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * The serve token of this page: read once from the address (`?token=…`, as `stella serve` prints it),
 * kept in sessionStorage (so a reload of the same tab keeps working), and removed from the visible URL so
 * it does not linger in history, screenshots or a copied link. Null when the page was opened without it.
 */
export function takeServeToken(w: PageGlobals): string | null {
  const url = new URL(w.location.href);
  const fromAddress = url.searchParams.get('token');
  if (fromAddress !== null) {
    try {
      w.sessionStorage?.setItem(SERVE_TOKEN_KEY, fromAddress);
    } catch {
      /* storage disabled: the token still works for this page load */
    }
    url.searchParams.delete('token');
    w.history?.replaceState(w.history.state, '', url.pathname + url.search + url.hash);
    return fromAddress;
  }
  try {
    return w.sessionStorage?.getItem(SERVE_TOKEN_KEY) ?? null;
  } catch {
    return null;
  }
}

/** The client for the running UI: the Electron bridge when present, else `stella serve` on this origin. */
export function getEngineClient(): EngineClient & { mode: 'electron' | 'serve'; upload?: HttpEngineClient['upload']; token?: string | null } {
  const w = globalThis as unknown as { stella?: StellaBridge; location?: Location; history?: History; sessionStorage?: Storage };
  if (w.stella) return { ...clientFromBridge(w.stella), mode: 'electron' };
  if (!w.location) throw new Error('getEngineClient: neither the Electron bridge nor a browser location is available');
  const token = takeServeToken({ location: w.location, history: w.history, sessionStorage: w.sessionStorage });
  const c = createHttpClient(w.location.origin, token ?? undefined);
  return { invoke: c.invoke, subscribe: c.subscribe, upload: c.upload, mode: 'serve', token };
}
