/**
 * Test helpers for plug-in authors: an in-memory AnalyzerFile, as the host would hand one over.
 * Only tests import this module; it is not part of a plug-in's runtime.
 */
import type { AnalyzerFile } from './index';

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
