/**
 * Bytes → text → JSON with the guards every SBOM parser needs: encoding detection by BOM, strict UTF-8
 * (the first bad byte is named), a nesting-depth cap applied before JSON.parse (which would otherwise
 * overflow the stack on a JSON bomb), and syntax errors reported with line and column.
 */
import { isUtf8 } from 'node:buffer';
import { DEFAULT_LIMITS, describeStringViolation, findTextLimitViolation, lineColumnAt } from '../../core';
import { SbomError } from '../errors';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

export function sniffEncoding(bytes: Uint8Array): TextEncoding {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8-bom';
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8Offset(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      min = 0x10000;
    } else return i;
    if (i + n >= b.length) return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

/** Decode a document: UTF-8 (BOM optional) or UTF-16 LE/BE with BOM; anything else is an error naming the byte offset. */
export function decodeText(bytes: Uint8Array, file: string): { text: string; encoding: TextEncoding } {
  const encoding = sniffEncoding(bytes);
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    try {
      return { text: new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes), encoding };
    } catch (cause) {
      throw new SbomError('invalid-encoding', `${file}: not valid ${encoding.toUpperCase()} text (the byte-order mark says ${encoding.toUpperCase()}, but the bytes contain an unpaired surrogate or an odd length)`, {
        cause,
        details: { file, expected: `${encoding.toUpperCase()} text` },
      });
    }
  }
  const body = encoding === 'utf-8-bom' ? bytes.subarray(3) : bytes;
  if (!isUtf8(body)) {
    const off = firstInvalidUtf8Offset(body) + (encoding === 'utf-8-bom' ? 3 : 0);
    throw new SbomError('invalid-encoding', `${file}: invalid UTF-8 byte 0x${(bytes[off] ?? 0).toString(16).padStart(2, '0')} at byte offset ${off}; expected UTF-8 text, or UTF-16 with a byte-order mark`, {
      details: { file, offset: off, expected: 'UTF-8 or UTF-16 (with BOM) text' },
    });
  }
  return { text: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'), encoding };
}

export const lineColumn = lineColumnAt;

/** Offset of the first bracket nested deeper than `limit` (strings skipped), or -1. */
export function jsonDepthExceeds(text: string, limit: number): number {
  const v = findTextLimitViolation(text, { maxDepth: limit }, 'json');
  return v?.kind === 'depth' ? v.offset : -1;
}

/**
 * Refuse a document with one oversized value before it is decoded or parsed (UTF-8 bytes; UTF-16
 * documents are checked on their decoded text): a 200 MB string field would otherwise be copied several
 * times on its way to the store.
 */
export function checkValueSizes(src: string | Uint8Array, file: string, maxStringBytes: number): void {
  const v = findTextLimitViolation(src, { maxStringBytes });
  if (v?.kind !== 'string') return;
  const where = lineColumnAt(src, v.offset);
  throw new SbomError('too-large', `${file}: ${describeStringViolation(v, where, typeof src === 'string' ? 'characters' : 'bytes')}; expected a document whose values are at most ${maxStringBytes} bytes each`, {
    details: { file, line: where.line, column: where.column, size: v.length, limit: 'maxStringBytes', expected: `at most ${maxStringBytes} bytes per value` },
  });
}

/** JSON.parse with a depth cap and syntax errors that say where (line/column) and what was expected. */
export function parseJsonText(text: string, file: string, maxDepth = DEFAULT_LIMITS.maxDepth): unknown {
  const deep = jsonDepthExceeds(text, maxDepth);
  if (deep >= 0) {
    const { line, column } = lineColumn(text, deep);
    throw new SbomError('too-deep', `${file}: JSON nested deeper than ${maxDepth} levels at line ${line}, column ${column}; expected at most ${maxDepth} nested arrays/objects`, {
      details: { file, line, column, expected: `nesting depth <= ${maxDepth}` },
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const msg = (cause as Error).message;
    const m = /position (\d+)/.exec(msg);
    const pos = m ? Number(m[1]) : /end of JSON input|Unterminated/i.test(msg) ? text.length : 0;
    const { line, column } = lineColumn(text, pos);
    const truncated = pos >= text.trimEnd().length;
    const reason = msg.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '');
    throw new SbomError('malformed', `${file}: ${truncated ? 'truncated JSON (the document ends early)' : 'malformed JSON'} at line ${line}, column ${column}: ${reason}; expected a complete JSON document`, {
      cause,
      details: { file, line, column, expected: 'a complete, well-formed JSON document' },
    });
  }
}

/** JSON pointer segment escaping (RFC 6901). */
export function pointer(...segs: (string | number)[]): string {
  return segs.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
