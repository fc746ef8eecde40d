/** Reading VEX documents: decoding, JSON with a nesting bound, and typed field readers with located errors. */
import { DEFAULT_LIMITS, describeStringViolation, findTextLimitViolation, isObject, jsonNestingExceeds, lineColumnAt } from '../../core';
import { invalidDocument } from '../errors';

export type JsonObject = { [key: string]: unknown };

export { isObject };

export function decodeUtf8(bytes: Uint8Array): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  return b.toString('utf8', start);
}

/** Parse JSON; a syntax error names the line and column; one oversized value is refused before parsing. */
export function parseJson(file: string, text: string): unknown {
  if (jsonNestingExceeds(text, DEFAULT_LIMITS.maxDepth)) throw invalidDocument(file, '/', `JSON nested at most ${DEFAULT_LIMITS.maxDepth} levels deep`);
  const big = findTextLimitViolation(text, { maxStringBytes: DEFAULT_LIMITS.maxStringBytes }, 'json');
  if (big?.kind === 'string') throw invalidDocument(file, '/', `values of at most ${DEFAULT_LIMITS.maxStringBytes} characters: ${describeStringViolation(big, lineColumnAt(text, big.offset), 'characters')}`);
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    let where = '';
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split('\n').length;
      where = ` at line ${line}, column ${Number(pos[1]) - before.lastIndexOf('\n')}`;
    }
    throw invalidDocument(file, '/', `well-formed JSON (${msg}${where})`, e);
  }
}

/** Field readers that throw a located `invalid-document` error. */
export class Fields {
  constructor(readonly file: string) {}

  obj(v: unknown, path: string): JsonObject {
    if (!isObject(v)) throw invalidDocument(this.file, path, 'an object');
    return v;
  }

  optObj(v: unknown, path: string): JsonObject | undefined {
    return v === undefined || v === null ? undefined : this.obj(v, path);
  }

  arr(v: unknown, path: string): unknown[] {
    if (!Array.isArray(v)) throw invalidDocument(this.file, path, 'an array');
    return v;
  }

  optArr(v: unknown, path: string): unknown[] {
    return v === undefined || v === null ? [] : this.arr(v, path);
  }

  str(v: unknown, path: string): string {
    if (typeof v !== 'string' || !v.trim()) throw invalidDocument(this.file, path, 'a non-empty string');
    return v;
  }

  optStr(v: unknown, path: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw invalidDocument(this.file, path, 'a string');
    return v.trim() ? v : undefined;
  }

  /** ISO-8601 date-time (as RFC 3339 allows it), optional. */
  optTime(v: unknown, path: string): string | undefined {
    const s = this.optStr(v, path);
    if (s === undefined) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s) || Number.isNaN(Date.parse(s))) {
      throw invalidDocument(this.file, path, 'an RFC 3339 date-time (e.g. 2024-01-31T12:00:00Z)');
    }
    return s;
  }
}

export function uniq<T>(xs: Iterable<T>): T[] {
  return [...new Set(xs)];
}
