/**
 * Request gatekeeping for `stella serve`. The server listens on 127.0.0.1 only, but any web page the
 * user visits can still *send* requests to it (CSRF) or reach it through a hostname it controls that
 * resolves to 127.0.0.1 (DNS rebinding). Hence every request must:
 *  - carry the per-start token (Authorization: Bearer, X-Stella-Token, ?token= or the HttpOnly cookie);
 *  - name us in Host exactly (`127.0.0.1:PORT` or `localhost:PORT`);
 *  - if it has an Origin, come from exactly that origin; and not be marked cross-site by the browser.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface Gate {
  port: number;
  token: string;
}

export type GateResult = { ok: true; via: 'header' | 'query' | 'cookie' } | { ok: false; reason: string };

export function cookieName(port: number): string {
  // Cookies are not isolated by port: two serve instances on one machine need distinct names.
  return `stella_token_${port}`;
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

function tokenEquals(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    if (!out.has(k)) out.set(k, v);
  }
  return out;
}

/** Check Host, Origin, Sec-Fetch-Site and the token. `url` is the parsed request URL. */
export function checkRequest(req: IncomingMessage, url: URL, gate: Gate): GateResult {
  const host = req.headers.host;
  if (!host || !allowedHosts(gate.port).includes(host.toLowerCase())) return { ok: false, reason: `foreign Host header ${JSON.stringify(host ?? '')}` };
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedHosts(gate.port).some((h) => origin.toLowerCase() === `http://${h}`)) return { ok: false, reason: `foreign Origin ${JSON.stringify(origin)}` };
  if (req.headers['sec-fetch-site'] === 'cross-site') return { ok: false, reason: 'cross-site request' };

  const auth = req.headers.authorization;
  const bearer = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
  const header = typeof req.headers['x-stella-token'] === 'string' ? req.headers['x-stella-token'] : undefined;
  const query = url.searchParams.get('token') ?? undefined;
  const cookie = parseCookies(req.headers.cookie).get(cookieName(gate.port));
  const candidates: [GateResult & { ok: true }, string | undefined][] = [
    [{ ok: true, via: 'header' }, bearer ?? header],
    [{ ok: true, via: 'query' }, query],
    [{ ok: true, via: 'cookie' }, cookie],
  ];
  let presented = false;
  for (const [result, value] of candidates) {
    if (value === undefined) continue;
    presented = true;
    if (tokenEquals(value, gate.token)) return result;
  }
  return { ok: false, reason: presented ? 'wrong token' : 'no token' };
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
