import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startServe, type ServeHandle } from './server';
import { createHttpClient, type WebSocketCtor } from '../common/contract';
import { waitForSockets } from '../../build/test-support/serve-client';

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function http(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

let home: string;
let ui: string;
let s: ServeHandle;
const logs: string[] = [];

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'stella-serve-'));
  ui = mkdtempSync(join(tmpdir(), 'stella-ui-'));
  mkdirSync(join(ui, 'assets'));
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Stella</title>');
  writeFileSync(join(ui, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(ui, 'assets', 'app.css'), 'body{}');
  s = await startServe({ home, uiDir: ui, readers: 1, testHooks: true, maxUploadBytes: 1024, log: (l) => logs.push(l) });
});

after(async () => {
  await s.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(ui, { recursive: true, force: true });
});


const auth = (): Record<string, string> => ({ authorization: `Bearer ${s.token}` });

test('listens on 127.0.0.1 only, with a fresh 32-byte token and the URL on one line', () => {
  assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
  assert.equal(Buffer.from(s.token, 'base64url').length, 32);
});

test('server address is 127.0.0.1', async () => {
  assert.equal(s.address, '127.0.0.1');
  // a connection to another local address of the machine must fail (nothing listens there)
  const res = await new Promise<string>((resolve) => {
    const r = request({ host: '127.0.0.2', port: s.port, path: '/' }, () => resolve('connected'));
    r.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    r.end();
  });
  assert.equal(res, 'ECONNREFUSED');
});

const refusals: [string, string, { method?: string; headers?: Record<string, string>; body?: string }][] = [
  ['no token (api)', '/api/invoke/app.info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }],
  ['wrong token', '/api/invoke/app.info', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer AAAA' }, body: '{}' }],
  ['a stale token in the page address', '/?token=nope', {}],
  ['the right token, but in an API address', '/api/invoke/app.info?token=TOKEN_RAW', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }],
  ['the right token in an API address, beside the header', '/api/invoke/app.info?token=TOKEN_RAW', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'TOKEN' }, body: '{}' }],
  ['the right token in an upload address', '/api/upload?name=a.json&token=TOKEN_RAW', { method: 'POST', body: '{}' }],
  ['the right token in an asset address', '/assets/app.js?token=TOKEN_RAW', {}],
  ['the token in a cookie (cookies are not a credential)', '/api/invoke/app.info', { method: 'POST', headers: { 'content-type': 'application/json', cookie: `stella_token_PORT=TOKEN_RAW` }, body: '{}' }],
  ['page from a foreign Host', '/', { headers: { host: 'evil.com:PORT' } }],
  ['asset from a foreign Host (DNS rebinding)', '/assets/app.js', { headers: { host: 'evil.com:PORT' } }],
  ['asset for a foreign Origin', '/assets/app.js', { headers: { origin: 'http://evil.com' } }],
  ['asset fetched cross-site', '/assets/app.js', { headers: { 'sec-fetch-site': 'cross-site' } }],
  ['foreign Host (DNS rebinding)', '/api/invoke/app.info', { method: 'POST', headers: { 'content-type': 'application/json', host: 'evil.com:PORT', authorization: 'TOKEN' }, body: '{}' }],
  ['Host on another port', '/', { headers: { host: '127.0.0.1:1', authorization: 'TOKEN' } }],
  ['foreign Origin', '/api/invoke/app.info', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://evil.com', authorization: 'TOKEN' }, body: '{}' }],
  ['cross-site fetch', '/api/invoke/app.info', { method: 'POST', headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site', authorization: 'TOKEN' }, body: '{}' }],
  ['upload without token', '/api/upload?name=a.json', { method: 'POST', body: '{}' }],
];
for (const [name, path, opts] of refusals) {
  test(`403: ${name}`, async () => {
    const fill = (v: string): string => v.replace('PORT', String(s.port)).replace('TOKEN_RAW', s.token).replace('TOKEN', `Bearer ${s.token}`);
    const headers = Object.fromEntries(Object.entries(opts.headers ?? {}).map(([k, v]) => [k, fill(v)]));
    const r = await http(s.port, fill(path), { ...opts, headers });
    assert.equal(r.status, 403, r.body);
    assert.equal(r.headers['set-cookie'], undefined);
  });
}

test('the page and its assets need no token; ?token= is accepted on the page only; the API takes it in a header; no cookie is ever set', async () => {
  const info = (headers: Record<string, string>) => http(s.port, '/api/invoke/app.info', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
  const page = await http(s.port, `/?token=${s.token}`);
  assert.equal(page.status, 200);
  assert.match(page.body, /<title>Stella/);
  assert.equal(page.headers['set-cookie'], undefined, 'the token never becomes a cookie: browsers share cookies across ports');
  assert.equal(page.headers['referrer-policy'], 'no-referrer');
  assert.equal(page.headers['cache-control'], 'no-store');
  for (const path of ['/', '/findings/scan_1', `/findings?token=${s.token}`, '/assets/app.js', '/assets/app.css']) {
    const r = await http(s.port, path);
    assert.equal(r.status, 200, path);
    assert.equal(r.headers['set-cookie'], undefined, path);
  }
  assert.equal((await info({})).status, 403);
  assert.equal((await info({ authorization: `Bearer ${s.token}` })).status, 200);
  assert.equal((await info({ 'x-stella-token': s.token })).status, 200);
  assert.equal((await info({ ...auth(), host: `localhost:${s.port}`, origin: `http://localhost:${s.port}` })).status, 200);
  const stale = await http(s.port, '/?token=AAAA');
  assert.match(JSON.parse(stale.body).error.message, /not the current one/);
});

test('static files: content types, CSP on HTML, SPA fallback, no traversal', async () => {
  const html = await http(s.port, '/', { headers: auth() });
  assert.equal(html.headers['content-type'], 'text/html; charset=utf-8');
  assert.match(String(html.headers['content-security-policy']), /default-src 'self'.*connect-src 'self' ws:\/\/127\.0\.0\.1:\d+/);
  assert.equal(html.headers['x-frame-options'], 'DENY');
  assert.equal((await http(s.port, '/assets/app.js', { headers: auth() })).headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal((await http(s.port, '/assets/app.css', { headers: auth() })).headers['content-type'], 'text/css; charset=utf-8');
  const route = await http(s.port, '/findings/scan_1', { headers: auth() });
  assert.equal(route.status, 200);
  assert.match(route.body, /<title>Stella/);
  assert.equal((await http(s.port, '/assets/missing.js', { headers: auth() })).status, 404);
  for (const p of ['/..%2f..%2fetc/passwd', '/assets/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/.env', '/assets/%00x', '/..\\..\\etc\\passwd']) {
    const r = await http(s.port, p, { headers: auth() });
    // WHATWG URL parsing already folds `%2e%2e` segments, so such a path may land on the UI page — never outside the root.
    assert.ok(r.status === 403 || r.status === 404 || (r.status === 200 && r.body.includes('<title>Stella')), `${p} → ${r.status}`);
    assert.doesNotMatch(r.body, /root:/);
  }
});

test('invoke: replies with the envelope; invalid args → invalid-request; unknown channel; wrong content type', async () => {
  const info = await http(s.port, '/api/invoke/app.info', { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{}' });
  assert.equal(info.status, 200);
  const v = JSON.parse(info.body);
  assert.equal(v.ok, true);
  assert.equal(v.value.mode, 'serve');
  assert.equal(v.value.nativeDialogs, false);
  assert.equal(v.value.home, home);

  const bad = JSON.parse((await http(s.port, '/api/invoke/sbom.get', { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{"id":42}' })).body);
  assert.equal(bad.ok, false);
  assert.equal(bad.error.code, 'invalid-request');
  assert.equal(bad.error.details.issues[0].path, 'id');

  const extra = JSON.parse((await http(s.port, '/api/invoke/app.info', { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{"x":1}' })).body);
  assert.equal(extra.error.code, 'invalid-request');

  const notJson = await http(s.port, '/api/invoke/app.info', { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{' });
  assert.equal(notJson.status, 400);
  assert.equal(JSON.parse(notJson.body).error.code, 'invalid-request');

  const unknown = await http(s.port, '/api/invoke/fs.readFile', { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{}' });
  assert.equal(unknown.status, 404);
  assert.equal(JSON.parse(unknown.body).error.code, 'unknown-channel');

  const proto = await http(s.port, '/api/invoke/__proto__', { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{}' });
  assert.equal(JSON.parse(proto.body).error.code, 'unknown-channel');

  assert.equal((await http(s.port, '/api/invoke/app.info', { method: 'POST', headers: { ...auth(), 'content-type': 'text/plain' }, body: '{}' })).status, 415);

  const dialog = JSON.parse((await http(s.port, '/api/invoke/files.open', { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{"purpose":"sbom"}' })).body);
  assert.equal(dialog.error.code, 'unsupported');
});

test('local path FileRefs are refused in serve mode; unknown upload ids are not-found', async () => {
  const post = async (body: unknown) => JSON.parse((await http(s.port, '/api/invoke/sbom.import', { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) })).body);
  const p = await post({ file: { kind: 'path', path: '/etc/passwd' } });
  assert.equal(p.error.code, 'unsupported');
  const u = await post({ file: { kind: 'upload', uploadId: 'AAAAAAAAAAAAAAAA', name: 'x.json' } });
  assert.equal(u.error.code, 'not-found');
});

test('upload: streams to a temp dir in the home, names are sanitized, the size cap is enforced', async () => {
  const ok = JSON.parse((await http(s.port, '/api/upload?name=..%2F..%2Fevil.json', { method: 'POST', headers: auth(), body: '{"a":1}' })).body);
  assert.equal(ok.ok, true);
  assert.equal(ok.value.kind, 'upload');
  assert.equal(ok.value.name, 'evil.json');
  assert.match(ok.value.uploadId, /^[A-Za-z0-9_-]{8,64}$/);
  const tmp = join(home, 'tmp');
  const dirs = readdirSync(tmp);
  assert.equal(dirs.length, 1);
  assert.ok(existsSync(join(tmp, dirs[0]!, ok.value.uploadId, 'evil.json')));

  const big = await http(s.port, '/api/upload?name=big.bin', { method: 'POST', headers: auth(), body: Buffer.alloc(4096) });
  assert.equal(big.status, 413);
  assert.equal(JSON.parse(big.body).error.code, 'invalid-input');
  assert.equal(readdirSync(join(tmp, dirs[0]!)).length, 1, 'the refused upload left nothing behind');
});

test('WebSocket: refused without token or from a foreign origin; delivers job events with the token', async () => {
  const wsUrl = `ws://127.0.0.1:${s.port}/api/ws`;
  const refused = (url: string, headers: Record<string, string> = {}) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(url, { headers });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('error', () => resolve(-1));
    });
  const withProtocols = (protocols: string[], headers: Record<string, string> = {}) =>
    new Promise<{ status: number; protocol?: string; responseHeader?: string }>((resolve) => {
      const ws = new WebSocket(wsUrl, protocols, { headers });
      ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
      ws.on('upgrade', (res) => {
        const h = res.headers['sec-websocket-protocol'];
        ws.once('open', () => {
          ws.close();
          resolve({ status: 101, protocol: ws.protocol, responseHeader: Array.isArray(h) ? h.join(',') : h });
        });
      });
      ws.on('error', () => resolve({ status: -1 }));
    });
  assert.equal(await refused(wsUrl), 403);
  assert.equal(await refused(`${wsUrl}?token=${s.token}`), 403, 'a token in the WebSocket address is refused');
  assert.equal((await withProtocols(['stella.v1', 'stella.token.wrong'])).status, 403);
  assert.equal((await withProtocols([`stella.token.${s.token}`])).status, 403, 'the token protocol needs stella.v1 beside it');
  assert.equal((await withProtocols(['stella.v1', `stella.token.${s.token}`], { origin: 'http://evil.com' })).status, 403);
  assert.equal((await withProtocols(['stella.v1', `stella.token.${s.token}`], { host: `evil.com:${s.port}` })).status, 403);
  const good = await withProtocols(['stella.v1', `stella.token.${s.token}`]);
  assert.deepEqual(good, { status: 101, protocol: 'stella.v1', responseHeader: 'stella.v1' }, 'the server selects stella.v1 and never echoes the token');

  const client = createHttpClient(`http://127.0.0.1:${s.port}`, s.token, { WebSocket: WebSocket as unknown as WebSocketCtor });
  const events: string[] = [];
  const finished = new Promise<unknown>((resolve) => {
    client.subscribe('job.progress', (p) => events.push(`progress ${p.done}`));
    client.subscribe('job.finished', (p) => resolve(p));
  });
  await waitForSockets(s);
  // a job through the host's registry, run by the real writer worker (test hook method)
  // (its result is replaced by a scan summary: finished jobs' results are checked against the contract)
  const summary = { id: 'scan_1', subject: 'x', snapshot: null, createdAt: '2026-01-01T00:00:00.000Z', findingCount: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, none: 0, unknown: 0 }, kevCount: 0, fixableCount: 0 };
  const ref = s.host.jobs.start('scan.run', (ctx) => s.host['opts'].backend.call('writer', '__test.sleep', { ms: 50, steps: 2 }, { signal: ctx.signal, onProgress: ctx.progress, onStart: ctx.started }).then(() => summary));
  const done = (await finished) as { jobId: string; state: string };
  assert.equal(done.jobId, ref.jobId);
  assert.equal(done.state, 'succeeded');
  assert.ok(events.length >= 1, 'progress events arrived');
  const list = await client.invoke('jobs.list', {});
  assert.ok(list.ok && list.value.some((j) => j.jobId === ref.jobId && j.state === 'succeeded'));
  client.close();
});

test('the HTTP client reports a refused token clearly', async () => {
  const client = createHttpClient(`http://127.0.0.1:${s.port}`, 'wrong-token');
  const r = await client.invoke('app.info', {});
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.error.message : '', /forbidden: wrong token/);
});

test('preferred port: used when free, a free port when taken; stable per home', async () => {
  const { createServer } = await import('node:net');
  const { preferredPortFor } = await import('./server');
  assert.equal(preferredPortFor('/a/home'), preferredPortFor('/a/home'));
  assert.ok(preferredPortFor('/a/home') >= 47800 && preferredPortFor('/a/home') < 48800);
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const taken = (blocker.address() as { port: number }).port;
  const h2 = mkdtempSync(join(tmpdir(), 'stella-serve-port-'));
  const seen: string[] = [];
  const a = await startServe({ home: h2, uiDir: ui, readers: 1, preferredPort: taken, log: (l) => seen.push(l) });
  try {
    assert.notEqual(a.port, taken);
    assert.ok(seen.some((l) => l.includes(`port ${taken} is busy`)));
  } finally {
    await a.close();
  }
  await new Promise((r) => blocker.close(r));
  const b = await startServe({ home: h2, uiDir: ui, readers: 1, preferredPort: taken, log: () => {} });
  try {
    assert.equal(b.port, taken);
  } finally {
    await b.close();
    rmSync(h2, { recursive: true, force: true });
  }
});

test('upload names are cut by UTF-8 bytes; the stored file is private', async () => {
  const name = `${'€'.repeat(300)}.json`;
  const r = JSON.parse((await http(s.port, `/api/upload?name=${encodeURIComponent(name)}`, { method: 'POST', headers: auth(), body: '{}' })).body);
  assert.equal(r.ok, true);
  assert.ok(Buffer.byteLength(r.value.name, 'utf8') <= 200, r.value.name);
  assert.match(r.value.name, /^€+\.json$/);
  const tmp = join(home, 'tmp');
  const folder = join(tmp, readdirSync(tmp)[0]!, r.value.uploadId);
  if (process.platform !== 'win32') {
    assert.equal(statSync(folder).mode & 0o777, 0o700);
    assert.equal(statSync(join(folder, r.value.name)).mode & 0o777, 0o600);
  }
});

test('a job on an upload reports the upload name, never the server path, and removes the upload when it ends', async () => {
  const up = JSON.parse((await http(s.port, '/api/upload?name=broken-bom.json', { method: 'POST', headers: auth(), body: '{"bomFormat":"CycloneDX","specVersion":"1.6",' })).body);
  assert.equal(up.ok, true);
  const client = createHttpClient(`http://127.0.0.1:${s.port}`, s.token, { WebSocket: WebSocket as unknown as WebSocketCtor });
  const seen: unknown[] = [];
  const finished = new Promise<{ jobId: string; state: string; error?: { message: string } }>((resolve) => {
    client.subscribe('job.progress', (p) => seen.push(p));
    client.subscribe('job.finished', (p) => {
      seen.push(p);
      resolve(p as never);
    });
  });
  await waitForSockets(s);
  const started = await client.invoke('sbom.import', { file: up.value });
  assert.ok(started.ok, JSON.stringify(started));
  const done = await finished;
  assert.equal(done.state, 'failed');
  assert.match(done.error?.message ?? '', /^broken-bom\.json: truncated JSON/);
  const list = await client.invoke('jobs.list', {});
  const wire = JSON.stringify(seen) + JSON.stringify(list);
  assert.ok(!wire.includes(home) && !wire.includes('serve-uploads'), `a server path reached the client: ${wire}`);
  // Single-use: the job ended, so the upload is gone from disk and from the server.
  const again = await client.invoke('sbom.import', { file: up.value });
  assert.equal(!again.ok && again.error.code, 'not-found');
  client.close();
});

describe('upload limits', () => {
  let q: ServeHandle;
  let qHome: string;
  before(async () => {
    qHome = mkdtempSync(join(tmpdir(), 'stella-serve-q-'));
    q = await startServe({ home: qHome, uiDir: ui, readers: 1, maxUploadBytes: 1000, maxTotalUploadBytes: 1500, requestTimeoutMs: 1200, uploadIdleMs: 300, log: (l) => logs.push(l) });
  });
  after(async () => {
    await q.close();
    rmSync(qHome, { recursive: true, force: true });
  });
  const qAuth = (): Record<string, string> => ({ authorization: `Bearer ${q.token}` });
  const uploadDir = (): string => join(qHome, 'tmp', readdirSync(join(qHome, 'tmp'))[0]!);

  test('overall quota: the oldest unused uploads make room', async () => {
    const a = JSON.parse((await http(q.port, '/api/upload?name=a.bin', { method: 'POST', headers: qAuth(), body: Buffer.alloc(900) })).body);
    const b = JSON.parse((await http(q.port, '/api/upload?name=b.bin', { method: 'POST', headers: qAuth(), body: Buffer.alloc(900) })).body);
    assert.ok(a.ok && b.ok);
    assert.deepEqual(readdirSync(uploadDir()), [b.value.uploadId], 'a was evicted to keep the total under 1500 bytes');
    // Nothing reads b, so it makes room for c too (uploads being read are never evicted: see the UploadStore tests).
    const c = JSON.parse((await http(q.port, '/api/upload?name=c.bin', { method: 'POST', headers: qAuth(), body: Buffer.alloc(1000) })).body);
    assert.ok(c.ok);
    assert.deepEqual(readdirSync(uploadDir()), [c.value.uploadId]);
  });

  test('an upload that stalls is aborted; nothing is left behind', async () => {
    const before = readdirSync(uploadDir()).length;
    const outcome = await new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.1', port: q.port, path: '/api/upload?name=slow.bin', method: 'POST', headers: { host: `127.0.0.1:${q.port}`, 'content-length': '500', ...qAuth() } }, (res) => resolve(`status ${res.statusCode}`));
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      req.write(Buffer.alloc(10)); // then nothing
    });
    assert.match(outcome, /ECONNRESET|socket hang up|EPIPE|status 408/);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(readdirSync(uploadDir()).length, before);
    assert.ok(logs.some((l) => /upload of "slow\.bin" aborted: no data for 300 ms/.test(l)), logs.join('\n'));
  });

  test('a request that trickles past the request timeout gets 408', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.1', port: q.port, path: '/api/upload?name=trickle.bin', method: 'POST', headers: { host: `127.0.0.1:${q.port}`, 'content-length': '900', ...qAuth() } }, (res) => {
        clearInterval(timer);
        resolve(`status ${res.statusCode}`);
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        clearInterval(timer);
        resolve(e.code ?? 'error');
      });
      // 10 bytes every 100 ms: never idle for 300 ms, but 900 bytes would take 9 s.
      const timer = setInterval(() => req.write(Buffer.alloc(10)), 100);
    });
    assert.match(outcome, /status 408|ECONNRESET|EPIPE/);
  });
});
