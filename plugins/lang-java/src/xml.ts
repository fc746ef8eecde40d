/**
 * Safe XML for Maven and Gradle files. DOCTYPE/ENTITY declarations are refused before parsing (no
 * external entities, no entity expansion, no billion laughs); fast-xml-parser runs with entity
 * processing off and we decode only the five predefined entities and numeric references. Nothing
 * here throws: a refusal is returned as a located message.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const MAX_XML_DEPTH = 64;

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return PREDEFINED[e] ?? m;
  });
}

/** 1-based line of a character offset (one-off lookups; see `nodeLines` for many). */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

export type XmlNode = Record<string, unknown>;

export type XmlParse = { ok: true; doc: XmlNode } | { ok: false; line?: number; message: string };

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

/**
 * A lookup of the source line where an element parsed with metadata starts. Line starts are indexed
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

function dtdOffset(text: string): number {
  const re = /<!(DOCTYPE|ENTITY)\b/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const open = text.lastIndexOf('<!--', m.index);
    const close = open >= 0 ? text.indexOf('-->', open) : -1;
    if (open >= 0 && (close < 0 || close > m.index)) continue; // inside a comment
    return m.index;
  }
  return -1;
}

/**
 * Parse `text` as XML. `arrays` lists the element paths (`project.dependencies.dependency`) that are
 * always arrays, so one element and many look the same.
 */
export function parseXml(text: string, arrays: ReadonlySet<string>): XmlParse {
  const dtd = dtdOffset(text);
  if (dtd >= 0) {
    return { ok: false, line: lineAt(text, dtd), message: 'XML DOCTYPE/ENTITY declarations are refused (they enable external entities and entity expansion); expected an XML document without a DTD' };
  }
  const v = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (v !== true) return { ok: false, line: v.err.line, message: `malformed XML at line ${v.err.line}, column ${v.err.col}: ${v.err.msg}` };
  // Depth check before building objects: a deeply nested document must not exhaust the stack.
  let depth = 0;
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
    const n = text.charCodeAt(i + 1);
    if (n === 47) depth--;
    else if (n !== 33 && n !== 63) {
      const end = text.indexOf('>', i);
      if (end > 0 && text.charCodeAt(end - 1) !== 47) depth++;
      if (depth > MAX_XML_DEPTH) return { ok: false, line: lineAt(text, i), message: `XML nested deeper than ${MAX_XML_DEPTH} elements; expected a shallower document` };
    }
  }
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
    captureMetaData: true,
    maxNestedTags: MAX_XML_DEPTH + 1,
    isArray: (_name, jpath) => arrays.has(String(jpath)),
    tagValueProcessor: (_n, val) => decodeEntities(String(val)),
    attributeValueProcessor: (_n, val) => decodeEntities(String(val)),
  });
  try {
    return { ok: true, doc: parser.parse(text) as XmlNode };
  } catch (e) {
    // fast-xml-parser refuses reserved names such as __proto__ (prototype pollution).
    return { ok: false, message: `XML refused: ${(e as Error).message.replace(/^\[SECURITY\]\s*/, '')}` };
  }
}

/** The trimmed text of an element (`<a>x</a>` or `<a attr="..">x</a>`), or undefined. */
export function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const t = (v as XmlNode)['#text'];
    if (typeof t === 'string') return t.trim();
    if (Object.keys(v).every((k) => k.startsWith('@_'))) return '';
  }
  return undefined;
}

export function childObject(v: unknown): XmlNode | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as XmlNode) : undefined;
}

export function childArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}
