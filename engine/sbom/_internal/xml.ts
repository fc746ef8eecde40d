/**
 * Safe XML reading with fast-xml-parser: DOCTYPE and ENTITY declarations are refused before parsing
 * (no entity expansion, no external entities, no billion laughs), entity processing is off and only the
 * five predefined entities and numeric character references are decoded, by us, without expansion.
 * Well-formedness errors (truncation included) are reported with line and column.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DEFAULT_LIMITS } from '../../core';
import { SbomError } from '../errors';
import { lineColumn } from './text';

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXmlEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : _m;
    }
    return PREDEFINED[e] ?? _m;
  });
}

/** Refuse DOCTYPE / ENTITY declarations anywhere outside comments (they are the vehicle of XXE and entity bombs). */
export function assertNoDtd(text: string, file: string): void {
  const re = /<!(DOCTYPE|ENTITY)\b/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const before = text.lastIndexOf('<!--', m.index);
    const closed = before >= 0 ? text.indexOf('-->', before) : -1;
    if (before >= 0 && (closed < 0 || closed > m.index)) continue; // inside a comment
    const { line, column } = lineColumn(text, m.index);
    throw new SbomError('forbidden-construct', `${file}: line ${line}, column ${column}: XML <!${(m[1] as string).toUpperCase()}> declarations are not accepted (they enable entity expansion and external entities); expected an XML document without a DTD`, {
      details: { file, line, column, expected: 'an XML document without DOCTYPE/ENTITY declarations' },
    });
  }
}

export function assertWellFormedXml(text: string, file: string): void {
  const r = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (r === true) return;
  const { line, col, msg } = r.err;
  const tail = lineColumn(text, text.length);
  const truncated = line >= tail.line && /closed|Unclosed|end|Invalid '\[/i.test(msg);
  throw new SbomError('malformed', `${file}: ${truncated ? 'truncated XML (the document ends early)' : 'malformed XML'} at line ${line}, column ${col}: ${msg}; expected a well-formed XML document`, {
    details: { file, line, column: col, expected: 'a complete, well-formed XML document' },
  });
}

export interface SafeXmlOptions {
  /** `(jpath) => boolean`: which element paths always become arrays. */
  isArray?: (name: string, jpath: string) => boolean;
  maxDepth?: number;
}

/** Parse XML into fast-xml-parser's object form (`@_attr`, `#text`), after the safety checks above. */
export function parseSafeXml(text: string, file: string, opts: SafeXmlOptions = {}): Record<string, unknown> {
  assertNoDtd(text, file);
  assertWellFormedXml(text, file);
  const maxDepth = opts.maxDepth ?? DEFAULT_LIMITS.maxDepth;
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
    isArray: (name, jpath) => (opts.isArray ? opts.isArray(name, String(jpath)) : false),
    maxNestedTags: maxDepth + 1,
    tagValueProcessor: (_n, v) => decodeXmlEntities(String(v)),
    attributeValueProcessor: (_n, v) => decodeXmlEntities(String(v)),
  });
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== 60) continue;
    const n = text.charCodeAt(i + 1);
    if (n === 47) depth--; // </
    else if (n !== 33 && n !== 63) {
      // an opening tag unless self-closing
      const end = text.indexOf('>', i);
      if (end > 0 && text.charCodeAt(end - 1) !== 47) depth++;
      if (depth > max) max = depth;
      if (max > maxDepth) {
        const { line, column } = lineColumn(text, i);
        throw new SbomError('too-deep', `${file}: XML nested deeper than ${maxDepth} levels at line ${line}, column ${column}; expected at most ${maxDepth} nested elements`, {
          details: { file, line, column, expected: `nesting depth <= ${maxDepth}` },
        });
      }
    }
  }
  try {
    return parser.parse(text) as Record<string, unknown>;
  } catch (cause) {
    // fast-xml-parser refuses names such as __proto__ (prototype pollution) and over-deep nesting.
    const msg = (cause as Error).message.replace(/^\[SECURITY\]\s*/, '');
    throw new SbomError('forbidden-construct', `${file}: XML refused: ${msg}; expected an XML document without reserved names and at most ${maxDepth} nested elements`, {
      cause,
      details: { file, expected: 'element and attribute names that are not JavaScript reserved property names' },
    });
  }
}
