/**
 * Shared helpers for the end-to-end tests and the UI bench: Debian's Chromium through playwright-core,
 * a static server for the built renderer (bench's synthetic mode), and the screenshot folder.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM as CHROMIUM_PATH } from '../../build/test-support/chromium';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
// The launcher and the screenshot folder are shared with engine tests (report.html) through build/test-support.
export { CHROMIUM, SCREENSHOTS, launchChromium, screenshotPath } from '../../build/test-support/chromium';
export const RENDERER_DIST = join(REPO_ROOT, 'dist', 'renderer');

/** Skip reason when Chromium or the built UI is missing, else false. */
export function needsChromium(): { skip: string | false } {
  if (!existsSync(CHROMIUM_PATH)) return { skip: `Chromium not found at ${CHROMIUM_PATH} (install with: apt-get update && apt-get install -y chromium)` };
  if (!existsSync(join(RENDERER_DIST, 'index.html'))) return { skip: 'dist/renderer is not built (run: npm run build)' };
  return { skip: false };
}


const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Serves a built renderer (default dist/renderer) on 127.0.0.1, with no API: enough for the bench's synthetic-data entry. */
export async function serveStatic(root: string = RENDERER_DIST): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

/** Polls `cond` (a test-side condition, e.g. on the mock engine's recorded calls) until it holds or `ms` pass. */
export async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

let axeSource: string | null = null;

/**
 * axe-core's WCAG 2 A/AA violations on the page as it is now (injected through the debugger: the app's CSP
 * forbids injected script tags), each with its rule, help text and up to three places.
 */
export async function axeViolations(page: Page): Promise<{ rule: string; help: string; where: string[] }[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  return page.evaluate(`axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'], resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ rule: v.id, help: v.help, where: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })))`);
}
