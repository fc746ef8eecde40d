/**
 * The renderer's access to the engine: one `EngineClient` (the contract interface), chosen by feature
 * detection — Electron's preload exposes `window.stella`; in `stella serve` the page talks HTTP + a
 * WebSocket to its own origin (the contract's `getEngineClient`, which keeps the page's token in sessionStorage).
 */
import { getEngineClient, type Channel, type ChannelArgs, type ChannelResult, type ContractError, type EngineClient, type EventName, type EventPayloads, type FileRef, type Reply } from '../../../common/contract';

/** A failed reply, thrown so react-query sees it as an error. Keeps code, message and details. */
export class EngineError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(error: ContractError | { code: string; message: string; details?: Record<string, unknown> }) {
    super(error.message);
    this.name = 'EngineError';
    this.code = error.code;
    this.details = error.details;
  }
}

/** What the UI needs beyond the contract: how to turn a user-picked browser File into a FileRef. */
export interface UiClient extends EngineClient {
  readonly mode: 'electron' | 'serve' | 'memory';
  /** serve mode: uploads the bytes and returns an `{kind:'upload'}` ref; Electron: a dropped file's path. */
  fileRef(file: File, onProgress?: (sent: number, total: number) => void, signal?: AbortSignal): Promise<FileRef>;
}

export function unwrap<T>(reply: Reply<T>): T {
  if (reply.ok) return reply.value;
  throw new EngineError(reply.error);
}

export async function call<C extends Channel>(client: EngineClient, channel: C, args: ChannelArgs<C>): Promise<ChannelResult<C>> {
  return unwrap(await client.invoke(channel, args));
}

// ---------- Electron (preload) ----------
interface PreloadBridge extends EngineClient {
  // The contract's StellaBridge is untyped at runtime; this is the typed view the renderer uses.
  /** Absolute path of a dropped File (Electron's webUtils.getPathForFile, exposed by the preload). */
  pathForFile?(file: File): string;
}

function electronClient(bridge: PreloadBridge): UiClient {
  return {
    mode: 'electron',
    invoke: (channel, args) => bridge.invoke(channel, args),
    subscribe: (event, handler) => bridge.subscribe(event, handler),
    async fileRef(file) {
      const path = bridge.pathForFile?.(file);
      if (!path) throw new EngineError({ code: 'unsupported', message: `cannot read the path of "${file.name}": use the Open… button instead of dropping` });
      return { kind: 'path', path, name: file.name };
    },
  };
}

// ---------- serve (HTTP + WebSocket, transport from the contract's getEngineClient) ----------
type Listener = (payload: unknown) => void;

/** Uploads with XMLHttpRequest rather than fetch because it reports upload progress. Auth: the token as a bearer header. */
export function xhrUpload(baseUrl: string, token: string | null) {
  return (file: File, onProgress?: (sent: number, total: number) => void, signal?: AbortSignal) =>
    new Promise<FileRef>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      const url = new URL('api/upload', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
      url.searchParams.set('name', file.name);
      xhr.open('POST', url);
      if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
      xhr.setRequestHeader('content-type', 'application/octet-stream');
      xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
      xhr.onerror = () => reject(new EngineError({ code: 'internal', message: `upload of "${file.name}" failed: the Stella host did not answer — is \`stella serve\` still running?` }));
      xhr.onabort = () => reject(new EngineError({ code: 'cancelled', message: `upload of "${file.name}" was cancelled` }));
      xhr.onload = () => {
        let body: unknown;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          reject(new EngineError({ code: 'internal', message: `upload of "${file.name}": HTTP ${xhr.status} ${xhr.statusText}`, details: { file: file.name } }));
          return;
        }
        const b = body as { ok?: boolean; value?: FileRef | { uploadId?: string }; error?: ContractError };
        if (b.ok === false && b.error) return reject(new EngineError({ ...b.error, details: { file: file.name, ...b.error.details } }));
        const v = b.value as { uploadId?: string; name?: string } | undefined;
        if (!v?.uploadId) return reject(new EngineError({ code: 'internal', message: `upload of "${file.name}": the host returned no uploadId (HTTP ${xhr.status})` }));
        // The host's name: what it stored the file under (cut to its byte limit, cleaned).
        resolve({ kind: 'upload', uploadId: v.uploadId, name: typeof v.name === 'string' && v.name ? v.name : file.name.slice(0, 200) });
      };
      signal?.addEventListener('abort', () => xhr.abort(), { once: true });
      xhr.send(file);
    });
}

/** Picks the transport for this page: `window.stella` (Electron preload) or serve's HTTP API. */
export function detectClient(win: Window = window): UiClient {
  const bridge = (win as unknown as { stella?: PreloadBridge }).stella;
  if (bridge && typeof bridge.invoke === 'function' && typeof bridge.subscribe === 'function') return electronClient(bridge);
  const c = getEngineClient();
  return { mode: 'serve', invoke: c.invoke, subscribe: c.subscribe, fileRef: xhrUpload(win.location.origin, c.token ?? null) };
}

/** An in-memory client over plain functions (tests, and the bench's synthetic mode). */
export function memoryClient(handlers: { [C in Channel]?: (args: ChannelArgs<C>) => ChannelResult<C> | Promise<ChannelResult<C>> }): UiClient & { emit<E extends EventName>(e: E, p: EventPayloads[E]): void } {
  const listeners = new Map<string, Set<Listener>>();
  return {
    mode: 'memory',
    async invoke(channel, args) {
      const h = handlers[channel] as ((a: unknown) => unknown) | undefined;
      if (!h) return { ok: false, error: { code: 'unknown-channel', message: `no handler for ${channel}` } };
      try {
        return { ok: true, value: (await h(args)) as never };
      } catch (e) {
        if (e instanceof EngineError) return { ok: false, error: { code: e.code as ContractError['code'], message: e.message, details: e.details } };
        return { ok: false, error: { code: 'internal', message: (e as Error).message } };
      }
    },
    subscribe(event, handler) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(handler as Listener);
      return () => set.delete(handler as Listener);
    },
    async fileRef(file) {
      return { kind: 'upload', uploadId: `mem-${file.name.replace(/[^A-Za-z0-9_-]/g, '_')}`.padEnd(8, '_').slice(0, 64), name: file.name };
    },
    emit(e, p) {
      for (const l of listeners.get(e) ?? []) l(p);
    },
  };
}
