/**
 * The lexer of `stella-dsl@1`. It never throws: malformed text becomes `invalid` tokens plus a
 * diagnostic, so the editor can highlight a half-typed file and lint can report every problem at once.
 * Positions are 1-based lines and columns (UTF-16 code units, as editors count them) plus 0-based offsets.
 *
 * Like language.ts this file imports no Node built-ins; the editor may run `tokenize` in the renderer.
 */
import { KEYWORDS, OPERATORS, PUNCTUATION, type TokenKind } from './language';

export interface Position {
  line: number;
  column: number;
  offset: number;
}

export interface Span {
  start: Position;
  end: Position;
}

export interface Token {
  kind: TokenKind;
  text: string;
  /** Decoded value of a string literal (escapes resolved). */
  value?: string;
  span: Span;
}

export type DiagnosticSeverity = 'error' | 'warning';

export interface Diagnostic {
  /** Pack-relative file the problem is in (`policy.stella`, `pack.yaml`, `fixtures/kev.yaml`). */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: DiagnosticSeverity;
  /** Stable identifier of the check (`syntax`, `unknown-identifier`, `type`, `unreachable-rule`, …). */
  code: string;
  message: string;
}

const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);
const DATE_RE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?/;
const NUMBER_RE = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*/;

export interface LexResult {
  tokens: Token[];
  /** Comments are kept apart so the parser skips them and the editor still colours them. */
  comments: Token[];
  diagnostics: Diagnostic[];
}

/** Tokenize a whole file. `tokens` ends with no EOF token; the parser synthesizes one at the end position. */
export function tokenize(source: string, file = '<input>'): LexResult {
  const tokens: Token[] = [];
  const comments: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  let offset = 0;
  let line = 1;
  let column = 1;

  const pos = (): Position => ({ line, column, offset });
  const advance = (n: number): void => {
    for (let i = 0; i < n; i++) {
      if (source.charCodeAt(offset) === 10) {
        line++;
        column = 1;
      } else column++;
      offset++;
    }
  };
  const push = (list: Token[], kind: TokenKind, start: Position, value?: string): void => {
    const t: Token = { kind, text: source.slice(start.offset, offset), span: { start, end: pos() } };
    if (value !== undefined) t.value = value;
    list.push(t);
  };
  const error = (start: Position, message: string): void => {
    const end = pos();
    diagnostics.push({ file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, severity: 'error', code: 'syntax', message });
  };

  while (offset < source.length) {
    const ch = source[offset] as string;
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n' || ch === '\uFEFF') {
      advance(1);
      continue;
    }
    const start = pos();
    const rest = source.slice(offset, offset + 64);
    if (ch === '#' || rest.startsWith('//')) {
      let n = 0;
      while (offset + n < source.length && source[offset + n] !== '\n') n++;
      advance(n);
      push(comments, 'comment', start);
      continue;
    }
    if (rest.startsWith('/*')) {
      const close = source.indexOf('*/', offset + 2);
      if (close < 0) {
        advance(source.length - offset);
        push(comments, 'comment', start);
        error(start, 'unterminated block comment: expected "*/"');
        continue;
      }
      advance(close + 2 - offset);
      push(comments, 'comment', start);
      continue;
    }
    if (ch === '"') {
      lexString(start);
      continue;
    }
    const date = DATE_RE.exec(rest);
    if (date && !/[A-Za-z0-9_]/.test(source[offset + date[0].length] ?? '')) {
      advance(date[0].length);
      push(tokens, 'date', start);
      continue;
    }
    const num = /[-0-9]/.test(ch) ? NUMBER_RE.exec(source.slice(offset, offset + 400)) : null;
    if (num) {
      advance(num[0].length);
      if (/[A-Za-z_]/.test(source[offset] ?? '')) {
        // `12abc`: one bad token rather than a number followed by a surprising identifier.
        while (/[A-Za-z0-9_]/.test(source[offset] ?? '')) advance(1);
        push(tokens, 'invalid', start);
        error(start, `invalid number ${JSON.stringify(source.slice(start.offset, offset))}`);
        continue;
      }
      push(tokens, 'number', start);
      continue;
    }
    const ident = IDENT_RE.exec(source.slice(offset, offset + 256));
    if (ident) {
      let n = ident[0].length;
      // Identifiers longer than the probe window are rare but legal.
      while (/[A-Za-z0-9_]/.test(source[offset + n] ?? '')) n++;
      advance(n);
      push(tokens, KEYWORD_SET.has(source.slice(start.offset, offset)) ? 'keyword' : 'identifier', start);
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (op) {
      advance(op.length);
      push(tokens, 'operator', start);
      continue;
    }
    if ((PUNCTUATION as readonly string[]).includes(ch)) {
      advance(1);
      push(tokens, 'punctuation', start);
      continue;
    }
    advance(1);
    push(tokens, 'invalid', start);
    error(start, `unexpected character ${JSON.stringify(ch)}`);
  }
  return { tokens, comments, diagnostics };

  function lexString(start: Position): void {
    advance(1);
    let value = '';
    for (;;) {
      if (offset >= source.length || source[offset] === '\n') {
        push(tokens, 'invalid', start);
        error(start, 'unterminated string: expected a closing \'"\' on the same line');
        return;
      }
      const c = source[offset] as string;
      if (c === '"') {
        advance(1);
        push(tokens, 'string', start, value);
        return;
      }
      if (c === '\\') {
        const e = source[offset + 1] ?? '';
        const simple: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r', '/': '/' };
        if (e in simple) {
          value += simple[e];
          advance(2);
          continue;
        }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(offset + 2, offset + 6))) {
          value += String.fromCharCode(parseInt(source.slice(offset + 2, offset + 6), 16));
          advance(6);
          continue;
        }
        const escStart = pos();
        advance(Math.min(2, source.length - offset));
        error(escStart, `invalid escape ${JSON.stringify(`\\${e}`)} in string: expected \\" \\\\ \\n \\t \\r \\/ or \\uXXXX`);
        continue;
      }
      value += c;
      advance(1);
    }
  }
}

/**
 * Is an ISO date/date-time literal a real instant? `2026-02-30` matches the lexer's shape but is not a
 * date. Returns epoch milliseconds of the instant — for a date without time, the END of that UTC day,
 * because `ignore until 2026-03-01` means "through March 1st" — or null.
 */
export function parseIsoDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(text);
  if (!m) return null;
  const [, ys, mos, ds, hs, mis, ss, frac, zone] = m;
  const y = Number(ys);
  const mo = Number(mos);
  const d = Number(ds);
  if (mo < 1 || mo > 12 || d < 1) return null;
  if (d > daysInMonth(y, mo)) return null;
  if (hs === undefined) return Date.UTC(y, mo - 1, d, 23, 59, 59, 999);
  const h = Number(hs);
  const mi = Number(mis);
  const s = Number(ss ?? '0');
  if (h > 23 || mi > 59 || s > 59) return null;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  let t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(4, 6));
    if (zh > 23 || zm > 59) return null;
    t -= sign * (zh * 60 + zm) * 60_000;
  }
  return t;
}

/** Days of a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `YYYY-MM-DD` of the day after the date a date/date-time literal starts with, or null. */
export function dayAfter(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!m || parseIsoDate(m[0]) === null) return null;
  let y = Number(m[1]);
  let mo = Number(m[2]);
  let d = Number(m[3]) + 1;
  if (d > daysInMonth(y, mo)) {
    d = 1;
    mo++;
    if (mo > 12) {
      mo = 1;
      y++;
    }
  }
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The instant an evaluation happens at: a date means the START of that UTC day; a date-time is itself. */
export function evaluationInstant(text: string): number | null {
  const end = parseIsoDate(text);
  if (end === null) return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? end - 86_399_999 : end;
}
