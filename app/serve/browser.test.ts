// The serve transport in a real browser (Chromium via playwright-core): the page reads ?token= once,
// keeps it in sessionStorage and strips it from the address bar; invoke / upload send it in a header and
// the event WebSocket as its subprotocol; no cookie is ever set; a reload of the tab keeps working, a new
// tab without the token does not; the CSP blocks inline script; a page from another origin can't use the
// API even though it runs on the same machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { startServe, type ServeHandle } from './server';

const CHROMIUM = process.env.STELLA_CHROMIUM ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium not found at ${CHROMIUM}: apt-get update && apt-get install -y chromium (or set STELLA_CHROMIUM)`;

let browser: Browser;
let s: ServeHandle;
let foreign: Server;
let foreignPort = 0;
const dirs: string[] = [];
const logs: string[] = [];

before(async () => {
  if (skip) return;
  const ui = mkdtempSync(join(tmpdir(), 'stella-browser-ui-'));
  const home = mkdtempSync(join(tmpdir(), 'stella-browser-home-'));
  dirs.push(ui, home);
  // A tiny page that drives the real contract client, bundled for the browser like the renderer is.
  const entry = join(ui, 'entry.ts');
  const contract = fileURLToPath(new URL('../common/contract/index.ts', import.meta.url));
  writeFileSync(
    entry,
    `import { getEngineClient } from ${JSON.stringify(contract)};
     const client = getEngineClient();
     const events = [];
     client.subscribe('job.finished', (p) => events.push(p));
     Object.assign(window, { client, events });`,
  );
  await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', outfile: join(ui, 'app.js'), logLevel: 'silent' });
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Stella test</title><script type="module" src="/app.js"></script><script>window.inlineRan = true</script>');
  s = await startServe({ home, uiDir: ui, readers: 1, testHooks: true, log: (l) => logs.push(l) });
  foreign = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>evil</title>'));
  await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', r));
  foreignPort = (foreign.address() as { port: number }).port;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  if (skip) return;
  await browser?.close();
  await s?.close();
  await new Promise((r) => foreign?.close(r));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test('the token: read once from the address into sessionStorage, sent in a header and as the WebSocket subprotocol; never a cookie', { skip, timeout: 60_000 }, async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const requests: { url: string; auth?: string }[] = [];
  const sockets: string[] = [];
  page.on('request', (r) => requests.push({ url: r.url(), auth: r.headers()['authorization'] }));
  page.on('websocket', (ws) => sockets.push(ws.url()));
  await page.goto(s.url);
  await page.waitForFunction(() => 'client' in window);
  assert.equal(new URL(page.url()).searchParams.has('token'), false, 'token stripped from the address bar');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('stella.serve.token')), s.token, 'kept in sessionStorage');
  assert.deepEqual(await ctx.cookies(), [], 'no cookie carries the token');
  assert.equal(await page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan ?? false), false, 'inline script blocked by the CSP');

  const info = await page.evaluate(async () => (window as unknown as { client: { invoke(c: string, a: unknown): Promise<unknown> } }).client.invoke('app.info', {}));
  assert.deepEqual((info as { ok: boolean; value: { mode: string } }).value.mode, 'serve');

  const upload = (await page.evaluate(async () => {
    const c = (window as unknown as { client: { upload(b: Blob, n: string): Promise<unknown> } }).client;
    return c.upload(new Blob(['{"hello":1}']), 'hello.json');
  })) as { ok: boolean; value: { kind: string; name: string } };
  assert.deepEqual([upload.ok, upload.value.kind, upload.value.name], [true, 'upload', 'hello.json']);

  // a job started on the host reaches the page over the WebSocket (the token rides as its subprotocol)
  const deadline = Date.now() + 30_000;
  while (s.eventSockets() < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const ref = s.host.jobs.start('scan.run', async () => ({ id: 'scan_x' }) as never);
  await page.waitForFunction((id) => (window as unknown as { events: { jobId: string }[] }).events.some((e) => e.jobId === id), ref.jobId, { timeout: 10_000 });

  // The event socket (connected: the server checked its subprotocol) has no token in its address.
  assert.deepEqual(sockets, [`ws://127.0.0.1:${s.port}/api/ws`]);
  // Only the page request carried the token in its address; the API got it in a header.
  const withToken = requests.filter((r) => r.url.includes('token='));
  assert.deepEqual(withToken.map((r) => new URL(r.url).pathname), ['/'], 'the token is in no address but the page itself');
  const api = requests.filter((r) => r.url.includes('/api/invoke/') || r.url.includes('/api/upload'));
  assert.ok(api.length >= 2 && api.every((r) => r.auth === `Bearer ${s.token}`), JSON.stringify(api));
  const assets = requests.filter((r) => r.url.endsWith('/app.js'));
  assert.ok(assets.length >= 1 && assets.every((r) => r.auth === undefined), 'assets load without the token');

  // Reload the tab (no token in the address now): sessionStorage still has it.
  await page.reload();
  await page.waitForFunction(() => 'client' in window);
  const afterReload = (await page.evaluate(async () => (window as unknown as { client: { invoke(c: string, a: unknown): Promise<unknown> } }).client.invoke('app.info', {}))) as { ok: boolean };
  assert.equal(afterReload.ok, true);
  assert.deepEqual(await ctx.cookies(), []);

  // Another tab opened without the token gets the page but no data.
  const other = await ctx.newPage();
  await other.goto(`http://127.0.0.1:${s.port}/`);
  await other.waitForFunction(() => 'client' in window);
  const refused = (await other.evaluate(async () => (window as unknown as { client: { invoke(c: string, a: unknown): Promise<unknown> } }).client.invoke('app.info', {}))) as { ok: boolean; error?: { message: string } };
  assert.equal(refused.ok, false);
  assert.match(refused.error?.message ?? '', /forbidden: no token/);
  await ctx.close();
});

test('a page from another local origin cannot call the API or open the event socket', { skip, timeout: 60_000 }, async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  // first the legitimate page runs in this browser context
  await page.goto(s.url);
  await page.goto(`http://127.0.0.1:${foreignPort}/`);
  const result = await page.evaluate(async (port) => {
    const out: string[] = [];
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/invoke/app.info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', credentials: 'include' });
      out.push(`fetch ${r.status}`);
    } catch {
      out.push('fetch blocked');
    }
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/invoke/app.info`, { method: 'POST', body: '{}', mode: 'no-cors', credentials: 'include' });
      out.push(`no-cors ${r.type}`);
    } catch {
      out.push('no-cors blocked');
    }
    out.push(
      await new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws`);
        ws.onopen = () => resolve('ws open');
        ws.onerror = () => resolve('ws refused');
      }),
    );
    return out;
  }, s.port);
  assert.equal(result[0], 'fetch blocked', 'CORS preflight fails: no Access-Control-Allow-Origin is ever sent');
  assert.equal(result[2], 'ws refused', 'foreign Origin on the WebSocket upgrade');
  // the no-cors POST was refused server-side (foreign Origin; it carries no token either)
  assert.ok(logs.some((l) => l.includes(`403 (foreign Origin "http://127.0.0.1:${foreignPort}")`)), logs.join('\n'));
  await ctx.close();
});
