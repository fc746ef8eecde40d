/**
 * Advisory connectors: format detection and dispatch. `parseRawInput` parses a document's syntax once
 * (JSON, YAML or text, chosen from the name and the first byte), then offers the parsed value to each
 * connector of that syntax in `CONNECTORS` order; the first whose structural sniff matches parses it.
 *
 * | module       | format (ParsedDocument.format)                 | source                                        |
 * |--------------|------------------------------------------------|-----------------------------------------------|
 * | osv          | osv-json, osv-yaml                             | ghsa (GHSA-*), pysec (PYSEC-*), osv            |
 * | nvd          | nvd-cve-api-2.0                                | nvd                                           |
 * | cve5         | cve-json-5                                     | cve5                                          |
 * | csaf         | csaf-json                                      | csaf                                          |
 * | debian       | debian-dsa-list, debian-dla-list, debian-tracker-json | debian-dsa, debian-dla, debian-security-tracker |
 * | alpine       | alpine-secdb-yaml, alpine-secdb-json           | alpine-secdb                                  |
 * | nswg         | nswg-eco-json, nswg-core-json, nswg-deps-json  | nodejs-security-wg                            |
 * | enrichment   | kev-json, kev-csv, epss-csv (no observations)  | kev, epss                                     |
 *
 * Errors: 'unsupported-format' (no connector recognizes the document; the message says what it is
 * when it is a known non-advisory: SBOM, VEX, JSON Schema …), 'invalid-document' (a connector
 * recognized it but it is malformed; the message names the document path or line), 'not-an-advisory'
 * (an aggregate index file of the Node Security WG).
 */
import { AdvisoryError } from '../errors';
import { alpineJsonConnector, alpineYamlConnector } from './alpine';
import { cve5Connector } from './cve5';
import { csafConnector } from './csaf';
import { debianListConnector, debianTrackerJsonConnector } from './debian';
import { epssCsvConnector, kevCsvConnector, kevJsonConnector } from './enrichment';
import { fastParseBlockYaml } from './_internal/fast-yaml';
import { nswgConnector } from './nswg';
import { nvdConnector } from './nvd';
import { osvJsonConnector, osvYamlConnector } from './osv';
import { checkValueSizes, decodeText, firstSignificantByte, hasExt, isObject, parseJsonText, parseYamlDocument } from './_internal/util';
import type { Connector, ParsedDocument, RawInput } from './types';

export type { Connector, EpssRecord, KevRecord, ObservationDraft, ParsedDocument, RawInput } from './types';

/** Every connector, in detection order (most specific structural sniff first). */
export const CONNECTORS: Connector[] = [
  nvdConnector,
  cve5Connector,
  csafConnector,
  kevJsonConnector,
  nswgConnector,
  alpineJsonConnector,
  osvJsonConnector,
  debianTrackerJsonConnector,
  alpineYamlConnector,
  osvYamlConnector,
  debianListConnector,
  kevCsvConnector,
  epssCsvConnector,
];

export interface ParseOptions {
  /** Source name to record instead of the connector's default (e.g. `ubuntu` for Ubuntu OSV). */
  source?: string;
}

type Syntax = Connector['syntax'];

function syntaxOf(input: RawInput): Syntax {
  if (hasExt(input.uri, '.yaml', '.yml')) return 'yaml';
  const c = firstSignificantByte(input.bytes);
  if (c === '{') return 'json';
  // `[29 Mar 2023] DSA-…` (Debian lists) also starts with a bracket.
  if (c === '[') return /^\s*\[\d{1,2} [A-Z][a-z]{2} \d{4}\]/.test(input.bytes.subarray(0, 64).toString('latin1')) ? 'text' : 'json';
  return 'text';
}

/** A name for well-known non-advisory JSON, so the error says what the file is. */
function describeForeignJson(v: unknown): string | null {
  if (!isObject(v)) return Array.isArray(v) ? 'a JSON array that is not a list of OSV records' : null;
  if (v.bomFormat === 'CycloneDX') return 'a CycloneDX SBOM';
  if (typeof v.spdxVersion === 'string') return 'an SPDX SBOM';
  if (typeof v['@context'] === 'string' && /openvex/.test(v['@context'])) return 'an OpenVEX document';
  if (typeof v.$schema === 'string' && isObject(v.properties)) return `a JSON Schema${typeof v.title === 'string' ? ` ("${v.title}")` : ''}`;
  if (typeof v.payloadType === 'string' && Array.isArray(v.signatures)) return 'a DSSE envelope';
  if (typeof v.mediaType === 'string' && /sigstore/.test(v.mediaType)) return 'a Sigstore bundle';
  return null;
}

function unsupported(input: RawInput, what: string): AdvisoryError {
  return new AdvisoryError('unsupported-format', `${input.uri}: ${what}; no advisory connector recognizes it (supported: OSV JSON/YAML, NVD CVE API 2.0, CVE JSON 5, CSAF 2.0, Debian DSA/DLA lists and tracker JSON, Alpine secdb, Node Security WG, CISA KEV JSON/CSV, EPSS CSV)`, {
    details: { file: input.uri, expected: 'an advisory document' },
  });
}

/** Detect the format of one raw document and parse it (throws AdvisoryError 'unsupported-format' / 'invalid-document'). */
export function parseRawInput(input: RawInput, opts: ParseOptions = {}): ParsedDocument {
  if (input.bytes.length === 0) throw unsupported(input, 'empty document');
  const syntax = syntaxOf(input);
  checkValueSizes(input, syntax === 'json' ? 'json' : 'lines');
  let value: unknown;
  switch (syntax) {
    case 'json':
      value = parseJsonText(input, decodeText(input));
      break;
    case 'yaml': {
      const text = decodeText(input);
      value = fastParseBlockYaml(text) ?? parseYamlDocument(input, text);
      break;
    }
    case 'text':
      value = decodeText(input);
      break;
  }
  const connector = CONNECTORS.find((c) => c.syntax === syntax && c.detectValue(value, input));
  if (!connector) {
    if (syntax === 'json' || syntax === 'yaml') {
      const foreign = describeForeignJson(value);
      if (foreign) throw unsupported(input, `this is ${foreign}, not an advisory document`);
      const keys = isObject(value) ? Object.keys(value).slice(0, 8).join(', ') : typeof value;
      throw unsupported(input, `unrecognized ${syntax.toUpperCase()} document (top-level: ${keys})`);
    }
    const head = (value as string).slice(0, 60).split('\n')[0];
    throw unsupported(input, `unrecognized text document (first line: "${head}")`);
  }
  const doc = connector.parseValue(value, input);
  if (opts.source) doc.source = opts.source;
  return doc;
}
