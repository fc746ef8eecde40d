/**
 * Limits checked on a document's raw bytes (or its decoded text) BEFORE it is parsed: nesting depth
 * and the longest single string. One scanner for every JSON/XML/line-based input (SBOMs, advisories):
 * it skips string bodies with native `indexOf` jumps, so a 200 MB string costs one memchr, and stops
 * at the first violation with its offset (turned into line/column by `lineColumnAt`).
 */

/** What kind of text a document is, by its first significant character. */
export type TextShape = 'json' | 'xml' | 'lines';

export type TextLimitViolation =
  /** An array/object nested deeper than `limit`; `offset` is the opening bracket. */
  | { kind: 'depth'; offset: number; limit: number }
  /**
   * A string longer than `limit`: a JSON string (between its quotes), an XML text node or attribute
   * value (between two markup characters) or one line. `length` is in bytes for byte input and in
   * UTF-16 code units for text input; `offset` is where it starts.
   */
  | { kind: 'string'; shape: TextShape; offset: number; length: number; limit: number };

export interface TextLimits {
  maxDepth?: number;
  maxStringBytes?: number;
}

/** Uniform, allocation-free access to bytes or text: the hot loops are the same for both. */
interface Source {
  readonly length: number;
  at(i: number): number;
  /** Next index of `code` at or after `from`, or -1 (native memchr / String#indexOf). */
  find(code: number, from: number): number;
}

function sourceOf(src: string | Uint8Array): Source {
  if (typeof src === 'string') {
    return { length: src.length, at: (i) => src.charCodeAt(i), find: (code, from) => src.indexOf(String.fromCharCode(code), from) };
  }
  const b = Buffer.isBuffer(src) ? src : Buffer.from(src.buffer, src.byteOffset, src.byteLength);
  return { length: b.length, at: (i) => b[i] as number, find: (code, from) => b.indexOf(code, from) };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const LT = 0x3c;
const GT = 0x3e;

function firstSignificant(s: Source): number {
  let i = 0;
  if (s.length >= 3 && s.at(0) === 0xef && s.at(1) === 0xbb && s.at(2) === 0xbf) i = 3;
  else if (s.length >= 1 && s.at(0) === 0xfeff) i = 1;
  for (; i < s.length; i++) {
    const c = s.at(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return c;
  }
  return -1;
}

/** `{`/`[` → json, `<` → xml, anything else (YAML, SPDX tag-value, CSV, text) → lines. */
export function textShapeOf(src: string | Uint8Array): TextShape {
  const c = firstSignificant(sourceOf(src));
  return c === 0x7b || c === 0x5b ? 'json' : c === LT ? 'xml' : 'lines';
}

function scanJson(s: Source, maxDepth: number, maxString: number): TextLimitViolation | null {
  const n = s.length;
  let depth = 0;
  let i = 0;
  while (i < n) {
    const c = s.at(i);
    if (c === QUOTE) {
      const start = i;
      let end = n;
      for (let from = i + 1; ; ) {
        const q = s.find(QUOTE, from);
        if (q < 0) break; // unterminated: the parser reports it; the length counts to the end
        // A quote is escaped by an odd run of backslashes before it; each run is looked at once.
        let k = q - 1;
        while (k > start && s.at(k) === BACKSLASH) k--;
        if ((q - 1 - k) % 2 === 0) {
          end = q;
          break;
        }
        from = q + 1;
      }
      const length = end - start - 1;
      if (length > maxString) return { kind: 'string', shape: 'json', offset: start, length, limit: maxString };
      i = end + 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return { kind: 'depth', offset: i, limit: maxDepth };
    } else if (c === 0x7d || c === 0x5d) depth--;
    i++;
  }
  return null;
}

/** Longest run between delimiters; `delims` holds one or two codes. */
function scanRuns(s: Source, shape: TextShape, delims: readonly number[], maxString: number): TextLimitViolation | null {
  const n = s.length;
  // Next occurrence of each delimiter, recomputed only once passed: linear however they interleave.
  const next = delims.map((d) => s.find(d, 0));
  let start = 0;
  for (;;) {
    let end = n;
    for (let k = 0; k < delims.length; k++) {
      let p = next[k] as number;
      if (p >= 0 && p < start) p = next[k] = s.find(delims[k] as number, start);
      if (p >= 0 && p < end) end = p;
    }
    const length = end - start;
    if (length > maxString) return { kind: 'string', shape, offset: start, length, limit: maxString };
    if (end >= n) return null;
    start = end + 1;
  }
}

/**
 * The first violation of `limits` in a document, or null. JSON is checked for depth and string length;
 * XML for the longest run between markup characters (text nodes, attribute values; depth is the XML
 * parser's job); anything else for its longest line.
 */
export function findTextLimitViolation(src: string | Uint8Array, limits: TextLimits, shape: TextShape = textShapeOf(src)): TextLimitViolation | null {
  const s = sourceOf(src);
  const maxDepth = limits.maxDepth ?? Number.POSITIVE_INFINITY;
  const maxString = limits.maxStringBytes ?? Number.POSITIVE_INFINITY;
  switch (shape) {
    case 'json':
      return scanJson(s, maxDepth, maxString);
    case 'xml':
      return Number.isFinite(maxString) ? scanRuns(s, 'xml', [LT, GT], maxString) : null;
    case 'lines':
      return Number.isFinite(maxString) ? scanRuns(s, 'lines', [NEWLINE], maxString) : null;
  }
}

/**
 * True when brackets nest deeper than `max` (strings skipped): checked before parsing, so that no later
 * recursive walk (canonical JSON, digests) meets a hostile 100,000-deep document.
 */
export function jsonNestingExceeds(src: string | Uint8Array, max: number): boolean {
  return findTextLimitViolation(src, { maxDepth: max }, 'json')?.kind === 'depth';
}

/** 1-based line and column of `offset` (columns count UTF-16 code units for text, bytes for byte input). */
export function lineColumnAt(src: string | Uint8Array, offset: number): { line: number; column: number } {
  const s = sourceOf(src);
  const end = Math.min(offset, s.length);
  let line = 1;
  let lineStart = 0;
  for (let p = s.find(NEWLINE, 0); p >= 0 && p < end; p = s.find(NEWLINE, p + 1)) {
    line++;
    lineStart = p + 1;
  }
  return { line, column: end - lineStart + 1 };
}

/** The sentence every host prints for a string violation, naming the limit. */
export function describeStringViolation(v: Extract<TextLimitViolation, { kind: 'string' }>, where: { line: number; column: number }, unit: 'bytes' | 'characters' = 'bytes'): string {
  const what = v.shape === 'json' ? 'a JSON string' : v.shape === 'xml' ? 'an XML text or attribute value' : 'a line';
  return `${what} of ${v.length} ${unit} at line ${where.line}, column ${where.column} is longer than the ${v.limit}-byte limit for one value (maxStringBytes, engine/core/limits.ts)`;
}
