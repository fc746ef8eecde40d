/**
 * Helpers shared by the connectors: decoding, JSON/YAML parsing with located errors, typed field
 * readers that name the document path in their error, and small normalizers.
 */
import { parse as parseYamlText, type Tags } from 'yaml';
import { DEFAULT_LIMITS, describeStringViolation, findTextLimitViolation, isObject, jsonNestingExceeds, lineColumnAt, type TextShape } from '../../../core';
import { AdvisoryError } from '../../errors';
import type { RawInput } from '../types';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: unknown };

/** Decode UTF-8 (a BOM is dropped: it is not part of the document's text). */
export function decodeText(input: RawInput): string {
  const b = input.bytes;
  const start = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  return b.toString('utf8', start);
}

/** First non-whitespace character of the bytes (cheap sniff without decoding everything). */
export function firstSignificantByte(bytes: Buffer): string {
  let i = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return String.fromCharCode(c);
  }
  return '';
}

export function invalid(input: RawInput, path: string, expected: string, cause?: unknown): AdvisoryError {
  return new AdvisoryError('invalid-document', `${input.uri}: ${path || '/'}: expected ${expected}`, {
    details: { file: input.uri, path: path || '/', expected },
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Refuse a document with one oversized value before it is decoded or parsed: a 200 MB string field
 * would otherwise be copied several times (decoded text, parsed value, observation body).
 */
export function checkValueSizes(input: RawInput, shape: TextShape, maxStringBytes = DEFAULT_LIMITS.maxStringBytes): void {
  // No value (or line) is longer than the whole document: the scan is only needed for big ones.
  if (input.bytes.length <= maxStringBytes) return;
  const v = findTextLimitViolation(input.bytes, { maxStringBytes }, shape);
  if (v?.kind !== 'string') return;
  const where = lineColumnAt(input.bytes, v.offset);
  throw new AdvisoryError('invalid-document', `${input.uri}: ${describeStringViolation(v, where)}; expected a document whose values are at most ${maxStringBytes} bytes each`, {
    details: { file: input.uri, line: where.line, column: where.column, size: v.length, limit: 'maxStringBytes', expected: `at most ${maxStringBytes} bytes per value` },
  });
}

export { jsonNestingExceeds };

export function parseJsonText(input: RawInput, text: string): unknown {
  if (jsonNestingExceeds(text, DEFAULT_LIMITS.maxDepth)) {
    throw new AdvisoryError('invalid-document', `${input.uri}: JSON nested deeper than ${DEFAULT_LIMITS.maxDepth} levels`, {
      details: { file: input.uri, expected: `at most ${DEFAULT_LIMITS.maxDepth} levels of nesting` },
    });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new AdvisoryError('invalid-document', `${input.uri}: not valid JSON (${msg})`, {
      details: { file: input.uri, expected: 'a JSON document' },
      cause: e,
    });
  }
}

/**
 * YAML 1.2 core schema without the int/float tags: every number-looking scalar stays the text as
 * written, so versions such as `1.10` or `010` are never rewritten (advisory formats have no numeric
 * fields that matter; the raw bytes are stored anyway). Booleans and null keep their meaning.
 */
const noNumberTags = (tags: Tags): Tags =>
  tags.filter((t) => {
    const tag = typeof t === 'string' ? t : t.tag;
    return !/:(int|float)$/.test(tag);
  });

export function parseYamlDocument(input: RawInput, text: string): unknown {
  try {
    return parseYamlText(text, {
      customTags: noNumberTags,
      maxAliasCount: DEFAULT_LIMITS.maxYamlAliases,
      uniqueKeys: true,
      prettyErrors: true,
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    const pos = (e as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    throw new AdvisoryError('invalid-document', `${input.uri}: not valid YAML (${msg})`, {
      details: { file: input.uri, expected: 'a YAML document', ...(pos ? { line: pos.line, column: pos.col } : {}) },
      cause: e,
    });
  }
}

export { isObject };

/** Typed readers: each names the document path in its error. */
export class Reader {
  constructor(readonly input: RawInput) {}

  obj(v: unknown, path: string): JsonObject {
    if (!isObject(v)) throw invalid(this.input, path, 'an object');
    return v;
  }
  optObj(v: unknown, path: string): JsonObject | undefined {
    return v === undefined || v === null ? undefined : this.obj(v, path);
  }
  arr(v: unknown, path: string): unknown[] {
    if (!Array.isArray(v)) throw invalid(this.input, path, 'an array');
    return v;
  }
  optArr(v: unknown, path: string): unknown[] {
    return v === undefined || v === null ? [] : this.arr(v, path);
  }
  str(v: unknown, path: string): string {
    if (typeof v !== 'string') throw invalid(this.input, path, 'a string');
    return v;
  }
  /** A string; numbers are accepted and kept as written by JavaScript (some feeds emit ids/scores as numbers). */
  strOrNum(v: unknown, path: string): string {
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    return this.str(v, path);
  }
  optStr(v: unknown, path: string): string | undefined {
    return v === undefined || v === null ? undefined : this.str(v, path);
  }
  nonEmpty(v: unknown, path: string): string {
    const s = this.str(v, path);
    if (s.trim() === '') throw invalid(this.input, path, 'a non-empty string');
    return s;
  }
  strArr(v: unknown, path: string): string[] {
    return this.optArr(v, path).map((x, i) => this.str(x, `${path}/${i}`));
  }
}

/** Keep only JSON-object values (for *_specific fields, which are free-form objects). */
export function optRecord(v: unknown): Record<string, unknown> | undefined {
  return isObject(v) ? v : undefined;
}

/** Last path segment of a uri (archive member or file), without the `#L12` line suffix. */
export function baseName(uri: string): string {
  const noFrag = uri.replace(/#L\d+$/, '');
  const i = Math.max(noFrag.lastIndexOf('/'), noFrag.lastIndexOf('\\'), noFrag.lastIndexOf('!'));
  return noFrag.slice(i + 1);
}

/** File name with a trailing `.gz` removed (readInputs decompresses single `.gz` files). */
export function logicalName(uri: string): string {
  return baseName(uri).replace(/\.gz$/i, '');
}

export function hasExt(uri: string, ...exts: string[]): boolean {
  const n = logicalName(uri).toLowerCase();
  return exts.some((e) => n.endsWith(e));
}

/** Sorted, de-duplicated strings (aliases and id lists are sets). */
export function uniqSorted(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort();
}

/** Unique, order kept. */
export function uniq<T>(xs: Iterable<T>): T[] {
  return [...new Set(xs)];
}

const CVE_RE = /^CVE-\d{4}-\d{4,}$/;
export function isCveId(s: string): boolean {
  return CVE_RE.test(s);
}

/** Ecosystem (OSV spelling) for a purl type, where one exists. */
export const ECOSYSTEM_BY_PURL_TYPE: Readonly<Record<string, string>> = Object.freeze({
  npm: 'npm',
  pypi: 'PyPI',
  maven: 'Maven',
  golang: 'Go',
  nuget: 'NuGet',
  gem: 'RubyGems',
  composer: 'Packagist',
  cargo: 'crates.io',
  hex: 'Hex',
  pub: 'Pub',
  swift: 'SwiftURL',
  deb: 'Debian',
  apk: 'Alpine',
  cran: 'CRAN',
  hackage: 'Hackage',
  conan: 'ConanCenter',
});

/** Package name in OSV spelling for a parsed purl (`group:artifact` for Maven, `ns/name` for npm/Go/composer). */
export function osvNameFromPurl(type: string, namespace: string | undefined, name: string): string {
  if (!namespace) return name;
  if (type === 'maven') return `${namespace}:${name}`;
  return `${namespace}/${name}`;
}

/** Split `pkg:type/ns/name@version?q#s` without validating more than needed here. */
export function splitPurl(purl: string): { type: string; namespace?: string; name: string; version?: string; base: string } | null {
  const m = /^pkg:([a-zA-Z][a-zA-Z0-9.+-]*)\/([^?#@]+)(?:@([^?#]*))?/.exec(purl);
  if (!m) return null;
  const type = m[1]!.toLowerCase();
  const segs = m[2]!.split('/').filter((s) => s !== '');
  if (segs.length === 0) return null;
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const name = dec(segs[segs.length - 1]!);
  const namespace = segs.length > 1 ? segs.slice(0, -1).map(dec).join('/') : undefined;
  const version = m[3] === undefined ? undefined : dec(m[3]);
  return { type, namespace, name, version, base: `pkg:${type}/${m[2]!}` };
}

/** purl for an npm package name (scope `@` percent-encoded as the purl spec requires). */
export function npmPurl(name: string): string {
  if (name.startsWith('@') && name.includes('/')) {
    const [scope, rest] = [name.slice(0, name.indexOf('/')), name.slice(name.indexOf('/') + 1)];
    return `pkg:npm/${encodeURIComponent(scope)}/${encodeURIComponent(rest)}`;
  }
  return `pkg:npm/${encodeURIComponent(name)}`;
}

const MONTHS: Record<string, string> = {
  Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06',
  Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12',
};

/** `29 Mar 2023` → `2023-03-29`, or null. */
export function dayMonYear(s: string): string | null {
  const m = /^(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})$/.exec(s.trim());
  if (!m) return null;
  const mm = MONTHS[m[2]!];
  if (!mm) return null;
  return `${m[3]}-${mm}-${m[1]!.padStart(2, '0')}`;
}
