/**
 * Test helpers for plug-in authors: an in-memory AnalyzerFile, as the host would hand one over.
 * Only tests import this module; it is not part of a plug-in's runtime.
 */
import type { AnalyzerFile } from './index';
import { normalizeAbsolute, type FileSystemView } from './fs';

/** An AnalyzerFile over bytes (or text) held in memory; `readText` drops a UTF-8 BOM and `readRange` copies a slice, like the host. */
export function memoryFile(path: string, body: Uint8Array | string): AnalyzerFile {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return {
    path,
    size: bytes.length,
    readBytes: async () => new Uint8Array(bytes),
    readText: async () => {
      const text = bytes.toString('utf8');
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    },
    readRange: async (offset: number, length: number) => new Uint8Array(bytes.subarray(offset, offset + length)),
  };
}

/**
 * A FileSystemView over files held in memory, for analyzer tests: `memoryFs({'/app/base.txt': 'django==2'})`.
 * Directories are implied by the file paths; `maxFileBytes` and `maxFiles` behave like the host's limits.
 */
export function memoryFs(files: Record<string, Uint8Array | string>, limits: { maxFileBytes?: number; maxFiles?: number } = {}): FileSystemView & { opened: string[] } {
  const byPath = new Map(Object.entries(files).map(([p, b]) => [normalizeAbsolute(p), b]));
  const dirs = new Set<string>(['/']);
  for (const p of byPath.keys()) for (let d = p.slice(0, p.lastIndexOf('/')); d; d = d.slice(0, d.lastIndexOf('/'))) dirs.add(d);
  const opened: string[] = [];
  return {
    opened,
    async stat(path) {
      const p = normalizeAbsolute(path);
      const body = byPath.get(p);
      if (body !== undefined) return { path: p, kind: 'file', size: typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength };
      return dirs.has(p) ? { path: p, kind: 'dir', size: 0 } : undefined;
    },
    async open(path) {
      const p = normalizeAbsolute(path);
      const body = byPath.get(p);
      if (body === undefined) return dirs.has(p) ? { ok: false, reason: 'not-a-file', message: `${p} is a directory` } : { ok: false, reason: 'not-found', message: `${p} does not exist` };
      const f = memoryFile(p, body);
      if (limits.maxFileBytes !== undefined && f.size > limits.maxFileBytes) return { ok: false, reason: 'too-large', message: `${p} is over ${limits.maxFileBytes} bytes` };
      if (limits.maxFiles !== undefined && opened.length >= limits.maxFiles) return { ok: false, reason: 'budget-exhausted', message: `more than ${limits.maxFiles} related files` };
      opened.push(p);
      return { ok: true, file: f };
    },
    async list(dir) {
      const d = normalizeAbsolute(dir);
      if (!dirs.has(d)) return undefined;
      const prefix = d === '/' ? '/' : `${d}/`;
      const names = new Set<string>();
      for (const p of [...byPath.keys(), ...dirs]) if (p.startsWith(prefix) && p !== d) names.add(p.slice(prefix.length).split('/')[0] as string);
      return [...names].sort();
    },
  };
}
