/**
 * XML for SBOM readers: the shared safe reader (`plugins/sdk/xml` — entity-free, DTDs refused by a real
 * tokenizer, depth capped) with its refusals turned into located SbomErrors (exit 3).
 */
import { readXml, type XmlProblemKind } from '../../../plugins/sdk/xml';
import { DEFAULT_LIMITS } from '../../core';
import { SbomError, type SbomErrorCode } from '../errors';

export { decodeXmlEntities } from '../../../plugins/sdk/xml';

export interface SafeXmlOptions {
  /** `(name, jpath) => boolean`: which element paths always become arrays. */
  isArray?: (name: string, jpath: string) => boolean;
  maxDepth?: number;
}

const CODE: Record<XmlProblemKind, SbomErrorCode> = {
  dtd: 'forbidden-construct',
  'reserved-name': 'forbidden-construct',
  malformed: 'malformed',
  truncated: 'malformed',
  'too-deep': 'too-deep',
};

/** Parse XML into fast-xml-parser's object form (`@_attr`, `#text`); refusals throw a located SbomError. */
export function parseSafeXml(text: string, file: string, opts: SafeXmlOptions = {}): Record<string, unknown> {
  const r = readXml(text, { maxDepth: opts.maxDepth ?? DEFAULT_LIMITS.maxDepth, ...(opts.isArray ? { isArray: opts.isArray } : {}) });
  if (r.ok) return r.doc;
  const p = r.problem;
  throw new SbomError(CODE[p.kind], `${file}: ${p.message}; expected ${p.expected}`, {
    details: { file, ...(p.line !== undefined ? { line: p.line, column: p.column } : {}), expected: p.expected },
  });
}
