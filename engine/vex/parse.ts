/**
 * Format detection by content and dispatch: OpenVEX (`@context` under openvex.dev/ns), CSAF
 * (`document.csaf_version`), CycloneDX (`bomFormat: CycloneDX` with vulnerabilities[]). Anything else
 * is refused with what it looks like (SPDX, SARIF, a JSON-LD context, a JSON schema, a CSAF aggregator …).
 */
import { VexError, invalidDocument } from './errors';
import type { ParsedVexDocument } from './_internal/draft';
import { decodeUtf8, isObject, parseJson } from './_internal/json';
import { looksLikeCsaf, parseCsaf } from './_internal/csaf';
import { looksLikeCycloneDx, parseCycloneDxVex } from './_internal/cyclonedx';
import { looksLikeOpenVex, parseOpenVex } from './_internal/openvex';

export type { ParsedVexDocument, StatementDraft, VexFormat } from './_internal/draft';

function describeForeign(v: unknown): string {
  if (!isObject(v)) return Array.isArray(v) ? 'a JSON array' : `a JSON ${v === null ? 'null' : typeof v}`;
  if (typeof v.spdxVersion === 'string') return 'an SPDX SBOM (SPDX carries no VEX statements this importer reads)';
  if (typeof v.$schema === 'string' && /sarif/i.test(v.$schema)) return 'a SARIF scan report';
  if (typeof v.version === 'string' && Array.isArray(v.runs)) return 'a SARIF scan report';
  if (isObject(v['@context']) && !('statements' in v)) return 'a JSON-LD context';
  if (typeof v.$schema === 'string' && (isObject(v.properties) || isObject(v.$defs) || isObject(v.definitions))) return `a JSON Schema${typeof v.title === 'string' ? ` ("${v.title}")` : ''}`;
  if (isObject(v.aggregator)) return 'a CSAF aggregator document';
  if (typeof v.canonical_url === 'string' && isObject(v.publisher)) return 'a CSAF provider metadata document';
  if (isObject(v.feed) || isObject(v.service) || isObject(v.categories)) return 'a ROLIE feed/service/category document';
  if (typeof v['@context'] === 'string' && /openvex/.test(v['@context'])) return 'an OpenVEX document without statements';
  return `an unrecognized JSON document (top-level keys: ${Object.keys(v).slice(0, 8).join(', ')})`;
}

/** Detect the format of one document and parse it into statements (throws VexError with a located message). */
export async function parseVexDocument(bytes: Uint8Array, file: string): Promise<ParsedVexDocument> {
  if (bytes.byteLength === 0) throw new VexError('unsupported-format', `${file}: empty file; expected an OpenVEX, CSAF or CycloneDX VEX document`, { details: { file } });
  const text = decodeUtf8(bytes);
  const first = text.trimStart()[0];
  if (first === '<') {
    throw new VexError('unsupported-format', `${file}: an XML document; VEX is read from JSON only (OpenVEX, CSAF, CycloneDX JSON)`, { details: { file, expected: 'a JSON VEX document' } });
  }
  if (first !== '{' && first !== '[') throw invalidDocument(file, '/', 'a JSON VEX document (OpenVEX, CSAF or CycloneDX)');
  const value = parseJson(file, text);
  if (looksLikeOpenVex(value)) return parseOpenVex(file, value);
  if (looksLikeCsaf(value)) return parseCsaf(file, value);
  if (looksLikeCycloneDx(value)) return parseCycloneDxVex(file, value);
  throw new VexError('unsupported-format', `${file}: this is ${describeForeign(value)}, not a VEX document (supported: OpenVEX 0.0.1/0.2.0, CSAF 2.0/2.1, CycloneDX 1.4–1.7 VEX)`, {
    details: { file, expected: 'an OpenVEX, CSAF or CycloneDX VEX document' },
  });
}
