/** `app://stella/…`: the built UI served from dist/renderer with the CSP, never anything outside it. */
import { readFile } from 'node:fs/promises';
import { lookupStatic } from '../host/static';
import { ELECTRON_CSP, isAppUrl } from './security';

export async function serveAppRequest(uiDir: string, url: string): Promise<Response> {
  if (!isAppUrl(url)) return new Response('forbidden', { status: 403 });
  const found = lookupStatic(uiDir, new URL(url).pathname);
  switch (found.kind) {
    case 'forbidden':
      return new Response('forbidden', { status: 403 });
    case 'missing':
      return new Response(`not found (is the UI built in ${uiDir}?)`, { status: 404 });
    case 'file': {
      const body = await readFile(found.path);
      return new Response(body, {
        status: 200,
        headers: { 'content-type': found.type, 'content-security-policy': ELECTRON_CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' },
      });
    }
  }
}
