/**
 * Request gatekeeping for `stella serve`. The server listens on 127.0.0.1 only, but any web page the
 * user visits can still *send* requests to it (CSRF) or reach it through a hostname it controls that
 * resolves to 127.0.0.1 (DNS rebinding), and any local process can connect. Hence:
 *  - every request must name us in Host exactly (`127.0.0.1:PORT` or `localhost:PORT`), come from exactly
 *    that origin if it has an Origin, and not be marked cross-site by the browser;
 *  - the API needs the per-start token in a header (`Authorization: Bearer`, or `X-Stella-Token`), the
 *    event WebSocket as its subprotocol (`stella.token.<token>` beside `stella.v1`: browsers cannot set
 *    headers on a WebSocket);
 *  - the page and its static assets need no token (they hold no data); a `?token=` in the address is
 *    accepted only on the page itself — where the UI reads it once into sessionStorage and removes it —
 *    and refused everywhere else, so a token never travels in an API or asset URL;
 *  - no cookie carries the token: browsers do not separate cookies by port, so any other local web server
 *    the browser visits would receive it.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../common/contract';

export interface Gate {
  port: number;
  token: string;
}

/** What a request is for: the UI page, one of its static files, the JSON API, or the event WebSocket. */
export type RequestKind = 'document' | 'asset' | 'api' | 'websocket';

export type GateResult = { ok: true; via: 'header' | 'query' | 'subprotocol' | 'none' } | { ok: false; reason: string };

// The subprotocol the event WebSocket speaks (the server selects it, never echoing the token), and the
// prefix of the one that carries the token: shared with the client in the contract.
export { WS_PROTOCOL, WS_TOKEN_PREFIX };

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

function tokenEquals(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Host, Origin and Sec-Fetch-Site: the checks every request passes, token or not. Null when they pass. */
export function checkOrigin(req: IncomingMessage, port: number): string | null {
  const host = req.headers.host;
  if (!host || !allowedHosts(port).includes(host.toLowerCase())) return `foreign Host header ${JSON.stringify(host ?? '')}`;
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedHosts(port).some((h) => origin.toLowerCase() === `http://${h}`)) return `foreign Origin ${JSON.stringify(origin)}`;
  if (req.headers['sec-fetch-site'] === 'cross-site') return 'cross-site request';
  return null;
}

/** The offered WebSocket subprotocols (`Sec-WebSocket-Protocol: a, b`). */
export function offeredProtocols(req: IncomingMessage): string[] {
  const h = req.headers['sec-websocket-protocol'];
  return (Array.isArray(h) ? h.join(',') : (h ?? '')).split(',').map((p) => p.trim()).filter((p) => p !== '');
}

function headerToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const x = req.headers['x-stella-token'];
  return typeof x === 'string' ? x : undefined;
}

/** Check one request of the given kind (`url` is the parsed request URL). */
export function checkRequest(req: IncomingMessage, url: URL, gate: Gate, kind: RequestKind): GateResult {
  const foreign = checkOrigin(req, gate.port);
  if (foreign) return { ok: false, reason: foreign };
  const query = url.searchParams.get('token');
  if (query !== null && kind !== 'document') {
    return { ok: false, reason: 'a token in the address is accepted only when opening the page; send it in the Authorization header (the WebSocket: as its subprotocol)' };
  }
  switch (kind) {
    case 'document':
      if (query === null) return { ok: true, via: 'none' };
      // A stale bookmark (stella serve restarted with a new token) gets a clear answer, not a UI whose every call fails.
      return tokenEquals(query, gate.token) ? { ok: true, via: 'query' } : { ok: false, reason: 'the token in this address is not the current one (stella serve was restarted?)' };
    case 'asset':
      return { ok: true, via: 'none' };
    case 'api': {
      const t = headerToken(req);
      if (t === undefined) return { ok: false, reason: 'no token' };
      return tokenEquals(t, gate.token) ? { ok: true, via: 'header' } : { ok: false, reason: 'wrong token' };
    }
    case 'websocket': {
      const offered = offeredProtocols(req);
      const carried = offered.filter((p) => p.startsWith(WS_TOKEN_PREFIX)).map((p) => p.slice(WS_TOKEN_PREFIX.length));
      if (carried.length > 0) {
        if (!offered.includes(WS_PROTOCOL)) return { ok: false, reason: `the token subprotocol needs ${WS_PROTOCOL} beside it` };
        return carried.some((t) => tokenEquals(t, gate.token)) ? { ok: true, via: 'subprotocol' } : { ok: false, reason: 'wrong token' };
      }
      // Non-browser clients can send the header.
      const t = headerToken(req);
      if (t === undefined) return { ok: false, reason: 'no token' };
      return tokenEquals(t, gate.token) ? { ok: true, via: 'header' } : { ok: false, reason: 'wrong token' };
    }
  }
}

/** Content-Security-Policy for the UI served over HTTP: nothing but this origin (plus its WebSocket). */
export function contentSecurityPolicy(port: number): string {
  const ws = allowedHosts(port).map((h) => `ws://${h}`).join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${ws}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
