import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHttpClient, clientFromBridge, SERVE_TOKEN_KEY, takeServeToken, type WebSocketLike } from './client';
import { CHANNEL_NAMES, EVENT_NAMES } from './names';
import { CHANNELS, EVENTS } from './channels';
import { contractErrorFromEngine } from './envelope';

class FakeWS implements WebSocketLike {
  static all: FakeWS[] = [];
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closed = false;
  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    FakeWS.all.push(this);
  }
  close() {
    this.closed = true;
  }
}

const jsonResponse = (status: number, body: unknown) => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

test('invoke posts JSON with the bearer token and returns the validated envelope', async () => {
  const seen: { url: string; init: RequestInit }[] = [];
  const fetchFake = (async (url: string, init: RequestInit) => {
    seen.push({ url, init });
    return jsonResponse(200, { ok: true, value: [] });
  }) as unknown as typeof fetch;
  const c = createHttpClient('http://127.0.0.1:5/', 'T0K', { fetch: fetchFake, WebSocket: FakeWS });
  assert.deepEqual(await c.invoke('sbom.list', {}), { ok: true, value: [] });
  assert.equal(seen[0]!.url, 'http://127.0.0.1:5/api/invoke/sbom.list');
  assert.equal((seen[0]!.init.headers as Record<string, string>).authorization, 'Bearer T0K');
  assert.equal(seen[0]!.init.credentials, 'omit', 'no cookie is needed or sent');
  assert.equal(seen[0]!.init.body, '{}');
});

test('transport failures and malformed replies become internal errors, never throws', async () => {
  const cases: [typeof fetch, RegExp][] = [
    [(async () => {
      throw new TypeError('connection refused');
    }) as unknown as typeof fetch, /cannot reach the Stella host.*connection refused/],
    [(async () => jsonResponse(502, 'Bad gateway')) as unknown as typeof fetch, /HTTP 502 without a JSON reply/],
    [(async () => jsonResponse(200, { ok: 'yes' })) as unknown as typeof fetch, /malformed reply/],
  ];
  for (const [f, re] of cases) {
    const r = await createHttpClient('http://h', undefined, { fetch: f }).invoke('app.info', {});
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error.message : '', re);
    assert.equal(!r.ok && r.error.code, 'internal');
  }
  const unknown = await createHttpClient('http://h', undefined, { fetch: (async () => assert.fail('no request')) as unknown as typeof fetch }).invoke('nope' as 'app.info', {});
  assert.equal(!unknown.ok && unknown.error.code, 'unknown-channel');
});

test('subscribe: one socket, events dispatched by name, unknown events ignored, reconnect with backoff, close stops', async () => {
  FakeWS.all = [];
  const c = createHttpClient('http://127.0.0.1:5', 'T', { fetch: (async () => jsonResponse(200, {})) as unknown as typeof fetch, WebSocket: FakeWS, reconnectMs: 10 });
  const got: unknown[] = [];
  const off = c.subscribe('store.changed', (p) => got.push(p));
  c.subscribe('job.finished', () => got.push('finished'));
  assert.equal(FakeWS.all.length, 1);
  assert.equal(FakeWS.all[0]!.url, 'ws://127.0.0.1:5/api/ws', 'no token in the WebSocket address');
  assert.deepEqual(FakeWS.all[0]!.protocols, ['stella.v1', 'stella.token.T'], 'the token rides as a subprotocol');
  const ws = FakeWS.all[0]!;
  ws.onopen?.({});
  ws.onmessage?.({ data: JSON.stringify({ event: 'store.changed', payload: { what: 'sboms' } }) });
  ws.onmessage?.({ data: JSON.stringify({ event: 'evil.event', payload: 1 }) });
  ws.onmessage?.({ data: 'not json' });
  assert.deepEqual(got, [{ what: 'sboms' }]);
  off();
  ws.onmessage?.({ data: JSON.stringify({ event: 'store.changed', payload: { what: 'scans' } }) });
  assert.equal(got.length, 1, 'unsubscribed');
  ws.onclose?.({});
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(FakeWS.all.length, 2, 'reconnected');
  c.close();
  assert.equal(FakeWS.all[1]!.closed, true);
  FakeWS.all[1]!.onclose?.({});
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(FakeWS.all.length, 2, 'no reconnect after close()');
});

test('bridge client passes through; name lists match the schemas; engine errors map by category', async () => {
  const calls: unknown[] = [];
  const c = clientFromBridge({ invoke: async (ch, a) => (calls.push([ch, a]), { ok: true, value: 1 }), subscribe: () => () => {} });
  assert.deepEqual(await c.invoke('app.info', {}), { ok: true, value: 1 });
  assert.deepEqual(calls, [['app.info', {}]]);
  assert.deepEqual([...CHANNEL_NAMES].sort(), [...CHANNELS].sort());
  assert.deepEqual([...EVENT_NAMES].sort(), [...EVENTS].sort());
  const table: [string, string, string][] = [
    ['invalid-input', 'invalid-document', 'invalid-input'],
    ['missing-data', 'no-advisories', 'missing-data'],
    ['missing-data', 'not-found', 'not-found'],
    ['trust', 'bad-signature', 'trust'],
    ['cancelled', 'cancelled', 'cancelled'],
    ['usage', 'unknown-ecosystem', 'invalid-request'],
    ['network', 'needs-network', 'unsupported'],
    ['internal', 'internal', 'internal'],
    ['weird', 'x', 'internal'],
  ];
  for (const [category, code, want] of table) assert.equal(contractErrorFromEngine({ category, code, message: 'm' }).code, want, `${category}/${code}`);
});

test('takeServeToken: read once from the address into sessionStorage, removed from the visible URL; later loads use the stored one', () => {
  const storage = new Map<string, string>();
  const sessionStorage = { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) };
  const replaced: string[] = [];
  const page = (href: string) => ({ location: { href }, history: { state: { s: 1 }, replaceState: (_s: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)) }, sessionStorage });
  assert.equal(takeServeToken(page('http://127.0.0.1:9/findings?token=TOK&view=kev#/x')), 'TOK');
  assert.equal(storage.get(SERVE_TOKEN_KEY), 'TOK');
  assert.deepEqual(replaced, ['/findings?view=kev#/x'], 'the token leaves the address bar; the rest of the URL stays');
  assert.equal(takeServeToken(page('http://127.0.0.1:9/findings')), 'TOK', 'a reload of the tab uses the stored token');
  assert.equal(replaced.length, 1, 'nothing to remove then');
  storage.clear();
  assert.equal(takeServeToken(page('http://127.0.0.1:9/')), null, 'a page opened without the token has none');
  const noStorage = { location: { href: 'http://127.0.0.1:9/?token=X' }, sessionStorage: { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } } };
  assert.equal(takeServeToken(noStorage), 'X', 'storage disabled: the token still works for this load');
});
