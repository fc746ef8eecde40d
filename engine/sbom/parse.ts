/**
 * parseSbom / validateSbom: bytes → (detect → decode → parse → schema-validate → normalize).
 * Every failure is an SbomError naming the file, the place in the document and what was expected.
 */
import { DEFAULT_LIMITS, throwIfCancelled, type InputLimits, type Inventory, type SbomFormat } from '../core';
import { applyDocumentStellaProperties } from './_internal/stella-properties';
import { isObject, str } from './_internal/common';
import { checkValueSizes, decodeText, parseJsonText, sniffEncoding } from './_internal/text';
import { detectFromText, unknownFormatError } from './detect';
import { SbomError, type SbomProblem } from './errors';
import { normalizeCycloneDx } from './cyclonedx/normalize';
import { CYCLONEDX_JSON_VERSIONS, CYCLONEDX_XML_VERSIONS, validateCycloneDxJson, validateCycloneDxXmlText } from './cyclonedx/validate';
// The readers of the other formats (and the XML parser) are loaded when a document needs them: each
// brings its own libraries (yaml, zod schemas, fast-xml-parser), and a process reads one or two formats.

export interface ParseOptions {
  /** Name used in messages (and as the record name on import). */
  fileName?: string;
  limits?: Partial<InputLimits>;
  signal?: AbortSignal;
}

export interface ParseResult {
  inventory: Inventory;
  format: SbomFormat;
  specVersion: string;
  /** Non-fatal findings (invalid purls kept verbatim, dangling dependency refs, …). */
  warnings: string[];
}

export interface ValidationResult {
  valid: boolean;
  format: SbomFormat | null;
  specVersion: string | null;
  errors: SbomProblem[];
}

/** What a format reader returns: schema problems, or a way to build the inventory. */
export interface FormatRead {
  format: SbomFormat;
  specVersion: string;
  problems: SbomProblem[];
  build(): { inventory: Inventory; warnings: string[] };
}

function limitsOf(opts: ParseOptions): InputLimits {
  return { ...DEFAULT_LIMITS, ...(opts.limits ?? {}) };
}

function unsupportedVersion(file: string, format: string, got: string | undefined, supported: readonly string[], path: string): SbomError {
  return new SbomError('unsupported-version', `${file}: ${path}: ${format} version ${got === undefined ? '(missing)' : JSON.stringify(got)} is not supported; expected one of ${supported.join(', ')}`, {
    details: { file, path, expected: `one of ${supported.join(', ')}` },
  });
}

async function readCycloneDxJson(text: string, file: string, limits: InputLimits): Promise<FormatRead> {
  const doc = parseJsonText(text, file, limits.maxDepth);
  if (!isObject(doc)) throw unknownFormatError(file);
  const v = str(doc.specVersion);
  if (v === undefined || !(CYCLONEDX_JSON_VERSIONS as readonly string[]).includes(v)) throw unsupportedVersion(file, 'CycloneDX JSON', v, CYCLONEDX_JSON_VERSIONS, '/specVersion');
  const problems = validateCycloneDxJson(doc, v);
  return { format: 'cyclonedx-json', specVersion: v, problems, build: () => normalizeCycloneDx(doc, 'cyclonedx-json', v, file) };
}

async function readCycloneDxXmlDoc(text: string, file: string, limits: InputLimits, v: string | undefined): Promise<FormatRead> {
  if (v === undefined || !(CYCLONEDX_XML_VERSIONS as readonly string[]).includes(v)) {
    throw unsupportedVersion(file, 'CycloneDX XML namespace', v === undefined ? undefined : `http://cyclonedx.org/schema/bom/${v}`, CYCLONEDX_XML_VERSIONS.map((x) => `…/bom/${x}`), '/bom/@xmlns');
  }
  const { readCycloneDxXml } = await import('./cyclonedx/xml');
  const { json } = readCycloneDxXml(text, file, limits.maxDepth);
  let problems: SbomProblem[];
  try {
    problems = await validateCycloneDxXmlText(text, v);
  } catch (cause) {
    // The document already passed the safe reader; libxml2 refusing it anyway is still bad input, not a crash.
    const msg = (cause instanceof Error ? cause.message : String(cause)).trim();
    throw new SbomError('malformed', `${file}: the CycloneDX XML schema validator refused the document: ${msg}; expected a well-formed XML document without a DTD`, {
      cause,
      details: { file, expected: 'a well-formed XML document without a DTD' },
    });
  }
  json.specVersion = v;
  return { format: 'cyclonedx-xml', specVersion: v, problems, build: () => normalizeCycloneDx(json, 'cyclonedx-xml', v, file) };
}

async function readDocument(bytes: Uint8Array, opts: ParseOptions): Promise<FormatRead> {
  const file = opts.fileName ?? '<input>';
  const limits = limitsOf(opts);
  if (bytes.byteLength > limits.maxDocumentBytes) {
    throw new SbomError('too-large', `${file}: ${bytes.byteLength} bytes is larger than the ${limits.maxDocumentBytes}-byte limit for one SBOM; expected a smaller document`, {
      details: { file, size: bytes.byteLength, expected: `at most ${limits.maxDocumentBytes} bytes` },
    });
  }
  throwIfCancelled(opts.signal);
  const utf16 = sniffEncoding(bytes).startsWith('utf-16');
  if (!utf16) checkValueSizes(bytes, file, limits.maxStringBytes);
  const { text } = decodeText(bytes, file);
  if (utf16) checkValueSizes(text, file, limits.maxStringBytes);
  const detected = detectFromText(text);
  if (!detected) {
    // A JSON/XML document we cannot classify may still be broken JSON: say so rather than "unknown format".
    const first = /\S/.exec(text);
    if (first && (text[first.index] === '{' || text[first.index] === '[')) {
      const doc = parseJsonText(text, file, limits.maxDepth);
      if (isObject(doc) && 'bomFormat' in doc) {
        throw new SbomError('schema-invalid', `${file}: /bomFormat: ${JSON.stringify(doc.bomFormat)} is not a CycloneDX marker; expected "CycloneDX"`, {
          details: { file, path: '/bomFormat', expected: '"CycloneDX"', problems: [{ path: '/bomFormat', message: `unexpected value ${JSON.stringify(doc.bomFormat)}`, expected: '"CycloneDX"' }] },
        });
      }
    }
    throw unknownFormatError(file);
  }
  switch (detected.format) {
    case 'cyclonedx-json':
      return readCycloneDxJson(text, file, limits);
    case 'cyclonedx-xml':
      return readCycloneDxXmlDoc(text, file, limits, detected.specVersion);
    case 'spdx-json':
    case 'spdx-yaml':
    case 'spdx-xml':
    case 'spdx-tag-value':
      return (await import('./spdx/spdx2')).readSpdx2(text, file, detected.format, limits);
    case 'spdx3-jsonld':
      return (await import('./spdx/spdx3')).readSpdx3(text, file, limits);
    case 'syft-json':
      return (await import('./syft')).readSyft(text, file, limits);
    case 'trivy-json':
      return (await import('./trivy')).readTrivy(text, file, limits);
    case 'stella-inventory':
      throw unknownFormatError(file);
  }
}

function schemaError(file: string, read: FormatRead): SbomError {
  const first = read.problems[0] as SbomProblem;
  const more = read.problems.length > 1 ? ` (and ${read.problems.length - 1} more problem(s))` : '';
  return new SbomError('schema-invalid', `${file}: not a valid ${read.format} ${read.specVersion} document: ${first.path}: ${first.message}${first.expected ? `; expected ${first.expected}` : ''}${more}`, {
    details: { file, path: first.path, expected: first.expected, problems: read.problems },
  });
}

/** Parse, validate and normalize an SBOM. Throws SbomError on anything invalid. */
export async function parseSbom(bytes: Uint8Array, opts: ParseOptions = {}): Promise<ParseResult> {
  const file = opts.fileName ?? '<input>';
  const read = await readDocument(bytes, opts);
  if (read.problems.length) throw schemaError(file, read);
  throwIfCancelled(opts.signal);
  const { inventory, warnings } = read.build();
  // Document-level stella:* properties (the scanned OS) come back the same way for every format.
  if (!inventory.os) inventory.document.properties = applyDocumentStellaProperties(inventory, inventory.document.properties);
  return { inventory, format: read.format, specVersion: read.specVersion, warnings };
}

/** Validate without storing; problems are returned, not thrown (only I/O-level failures throw). */
export async function validateSbom(bytes: Uint8Array, opts: ParseOptions = {}): Promise<ValidationResult> {
  let read: FormatRead | undefined;
  try {
    read = await readDocument(bytes, opts);
    if (read.problems.length) return { valid: false, format: read.format, specVersion: read.specVersion, errors: read.problems };
    read.build();
    return { valid: true, format: read.format, specVersion: read.specVersion, errors: [] };
  } catch (e) {
    if (!(e instanceof SbomError) || e.category !== 'invalid-input') throw e;
    const problems: SbomProblem[] = e.details.problems ?? [
      { path: e.details.path ?? (e.details.line !== undefined ? `line ${e.details.line}, column ${e.details.column ?? 0}` : '/'), message: e.message, ...(e.details.expected ? { expected: e.details.expected } : {}) },
    ];
    return { valid: false, format: read?.format ?? null, specVersion: read?.specVersion ?? null, errors: problems };
  }
}
