/**
 * The one safe XML reader of Stella — every XML input (CycloneDX and SPDX XML in engine/sbom, pom.xml and
 * Gradle metadata in plugins/lang-java, …) goes through `readXml`. It lives in the SDK because plug-ins
 * may import only plugins/sdk and the engine may import the SDK; it is a separate entry
 * (`plugins/sdk/xml`) so that plug-ins without XML do not bundle the parser.
 *
 * Safety comes from the configuration, not from guessing at the text:
 *  - **entity-free**: fast-xml-parser runs with entity processing off (no DOCTYPE entity is ever
 *    expanded, so a billion-laughs document cannot grow); the five predefined entities and numeric
 *    character references are decoded here, one for one, without recursion;
 *  - **no DTD**: the markup is tokenized the way an XML parser does it — comments, processing
 *    instructions, CDATA sections and quoted attribute values are skipped as units — and the first
 *    markup declaration (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`, `<![INCLUDE[` …) at a real markup position
 *    is refused with its line and column. A `<!--` inside a processing instruction, or a `<!DOCTYPE`
 *    inside a comment or CDATA, cannot fool it: they are not markup there. The same pass caps nesting.
 * Nothing here throws: a refusal is a located `XmlProblem`, which the caller turns into its own error
 * (the engine: exit 3; a plug-in: a file issue).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isObject } from './guards';

export type XmlNode = Record<string, unknown>;

export type XmlProblemKind = 'dtd' | 'malformed' | 'truncated' | 'too-deep' | 'reserved-name';

export interface XmlProblem {
  kind: XmlProblemKind;
  /** What is wrong, with its place (`line 2, column 1: …`, `malformed XML at line 3, column 7: …`). */
  message: string;
  /** What was expected instead, to append as `; expected …`. */
  expected: string;
  line?: number;
  column?: number;
}

export type XmlRead = { ok: true; doc: XmlNode } | { ok: false; problem: XmlProblem };

export interface XmlReadOptions {
  /** Which elements always become arrays (so one element and many look the same). `jpath` is `a.b.c`. */
  isArray?: (name: string, jpath: string) => boolean;
  /** Deepest element nesting accepted (default 256). */
  maxDepth?: number;
  /** Record each element's source offset, for `nodeLines` (costs a little memory per element). */
  withLines?: boolean;
}

export const DEFAULT_MAX_XML_DEPTH = 256;

/** 1-based line and column (UTF-16 code units) of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decode the predefined entities and numeric character references; anything else stays as written. */
export function decodeXmlEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return PREDEFINED[e] ?? m;
  });
}

function problemAt(text: string, offset: number, kind: XmlProblemKind, what: (where: string) => string, expected: string): XmlProblem {
  const { line, column } = lineColumnAt(text, offset);
  return { kind, message: what(`line ${line}, column ${column}`), expected, line, column };
}

/**
 * Tokenize the markup once: refuse the first markup declaration, cap the nesting depth. Returns null when
 * neither applies — including for malformed markup (an unclosed comment or tag), which the validator
 * then reports precisely.
 */
function scanMarkup(text: string, maxDepth: number): XmlProblem | null {
  const n = text.length;
  let depth = 0;
  let i = text.indexOf('<');
  while (i >= 0) {
    const c = text.charCodeAt(i + 1);
    if (c === 33 /* ! */) {
      if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i + 4);
        if (end < 0) return null;
        i = text.indexOf('<', end + 3);
        continue;
      }
      if (text.startsWith('<![CDATA[', i)) {
        const end = text.indexOf(']]>', i + 9);
        if (end < 0) return null;
        i = text.indexOf('<', end + 3);
        continue;
      }
      const word = /^<!(\[?[A-Za-z]*)/.exec(text.slice(i, i + 24))?.[1] ?? '';
      const decl = word === '' ? 'markup' : `<!${word.toUpperCase()}>`;
      return problemAt(text, i, 'dtd', (at) => `${at}: XML ${decl} declarations are not accepted (they enable entity expansion and external entities)`, 'an XML document without a DTD');
    }
    if (c === 63 /* ? */) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return null;
      i = text.indexOf('<', end + 2);
      continue;
    }
    // A start or end tag: its '>' is the first one outside a quoted attribute value.
    let j = i + 1;
    let quote = 0;
    for (; j < n; j++) {
      const ch = text.charCodeAt(j);
      if (quote !== 0) {
        if (ch === quote) quote = 0;
      } else if (ch === 34 || ch === 39) quote = ch;
      else if (ch === 62) break;
    }
    if (j >= n) return null;
    if (c === 47 /* / */) depth--;
    else if (text.charCodeAt(j - 1) !== 47) {
      depth++;
      if (depth > maxDepth) {
        return problemAt(text, i, 'too-deep', (at) => `XML nested deeper than ${maxDepth} levels at ${at}`, `at most ${maxDepth} nested elements`);
      }
    }
    i = text.indexOf('<', j + 1);
  }
  return null;
}

/** `Invalid '[ "a", "c" ]' found.` → `<a>, <c> are`. */
function openElements(msg: string): string {
  try {
    const names = JSON.parse(/^Invalid '([\s\S]*)' found/.exec(msg)?.[1] ?? '') as unknown;
    if (Array.isArray(names) && names.length) return `${names.map((x) => `<${String(x)}>`).join(', ')} ${names.length === 1 ? 'is' : 'are'}`;
  } catch {
    /* an unexpected validator message: say it as it is */
  }
  return `elements ${msg} are`;
}

function wellFormedness(text: string): XmlProblem | null {
  const r = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (r === true) return null;
  const { msg } = r.err;
  const end = lineColumnAt(text, text.length);
  // Elements still open at the end ("Invalid '[ "a", "c" ]' found") are reported by the validator at line
  // 1; the place that matters is where the document stops.
  const unclosed = /^Invalid '\[/.test(msg);
  const { line, col } = unclosed ? { line: end.line, col: end.column } : r.err;
  const truncated = unclosed || (line >= end.line && /closed|Unclosed|end/i.test(msg));
  return {
    kind: truncated ? 'truncated' : 'malformed',
    message: `${truncated ? 'truncated XML (the document ends early)' : 'malformed XML'} at line ${line}, column ${col}: ${unclosed ? `${openElements(msg)} not closed` : msg}`,
    expected: 'a well-formed XML document',
    line,
    column: col,
  };
}

/** Parse `text` into fast-xml-parser's object form (`@_attr`, `#text`, prefixes removed), safely. */
export function readXml(text: string, opts: XmlReadOptions = {}): XmlRead {
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_XML_DEPTH;
  const refused = scanMarkup(text, maxDepth) ?? wellFormedness(text);
  if (refused) return { ok: false, problem: refused };
  const isArray = opts.isArray;
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    textNodeName: '#text',
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    removeNSPrefix: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    commentPropName: false,
    cdataPropName: false,
    captureMetaData: opts.withLines === true,
    maxNestedTags: maxDepth + 1,
    isArray: isArray ? (name, jpath) => isArray(name, String(jpath)) : () => false,
    tagValueProcessor: (_n, v) => decodeXmlEntities(String(v)),
    attributeValueProcessor: (_n, v) => decodeXmlEntities(String(v)),
  });
  try {
    return { ok: true, doc: parser.parse(text) as XmlNode };
  } catch (e) {
    // fast-xml-parser refuses names such as __proto__ (prototype pollution).
    return {
      ok: false,
      problem: { kind: 'reserved-name', message: `XML refused: ${(e as Error).message.replace(/^\[SECURITY\]\s*/, '')}`, expected: 'element and attribute names that are not JavaScript reserved property names' },
    };
  }
}

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

/**
 * For a document read `withLines`: the source line where an element starts. Line starts are indexed
 * once per text, so files with many elements stay linear.
 */
export function nodeLines(text: string): (node: unknown) => number | undefined {
  let starts: number[] | undefined;
  return (node) => {
    if (typeof node !== 'object' || node === null) return undefined;
    const index = (node as Record<symbol, { startIndex?: number } | undefined>)[META]?.startIndex;
    if (typeof index !== 'number') return undefined;
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** The trimmed text of an element (`<a>x</a>` or `<a attr="..">x</a>`), '' for an element with only attributes, else undefined. */
export function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim();
  if (isObject(v)) {
    const t = v['#text'];
    if (typeof t === 'string') return t.trim();
    if (Object.keys(v).every((k) => k.startsWith('@_'))) return '';
  }
  return undefined;
}

export function childObject(v: unknown): XmlNode | undefined {
  return isObject(v) ? v : undefined;
}

export function childArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}
