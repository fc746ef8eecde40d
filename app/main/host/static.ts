/** Static files of the built UI (dist/renderer): correct content types, no way out of the root. */
import { createReadStream, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticLookup = { kind: 'file'; path: string; size: number; type: string } | { kind: 'forbidden' } | { kind: 'missing' };

/**
 * Map a URL pathname to a file under `root`. Decoded segments containing `..`, `\`, NUL or starting
 * with `.` are refused; the resolved path must stay inside `root`. Paths without an extension that
 * don't exist fall back to index.html (client-side routes).
 */
export function lookupStatic(root: string, pathname: string): StaticLookup {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: 'forbidden' };
  }
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s.startsWith('.') || s.includes('\\') || s.includes('\0'))) return { kind: 'forbidden' };
  const base = resolve(root);
  const target = resolve(base, ...segments);
  if (target !== base && !target.startsWith(base + sep)) return { kind: 'forbidden' };
  const file = segments.length === 0 ? join(base, 'index.html') : target;
  const found = statFile(file);
  if (found) return { kind: 'file', path: file, size: found, type: contentType(file) };
  if (extname(file) === '') {
    const index = join(base, 'index.html');
    const size = statFile(index);
    if (size !== null) return { kind: 'file', path: index, size, type: contentType(index) };
  }
  return { kind: 'missing' };
}

function statFile(p: string): number | null {
  try {
    const s = statSync(p);
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
}

export { createReadStream };
