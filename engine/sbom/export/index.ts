/**
 * engine/sbom/export — write a normalized Inventory as CycloneDX 1.6/1.7 (JSON, XML), SPDX 2.3 JSON or
 * SPDX 3.0.1 JSON-LD. Output bytes depend only on the inventory: collections are sorted, identifiers
 * (serialNumber, documentNamespace, SPDXIDs) are derived from content, and no wall clock is read.
 */
import { sha256Digest, type Digest, type Inventory } from '../../core';
import { danglingEdges, exportCycloneDx } from './cyclonedx';
import { exportSpdx2 } from './spdx2';
import { exportSpdx3 } from './spdx3';
import { SbomExportError } from './errors';
import { canonicalInventory, checkedComponents } from './_internal/common';

export { SbomExportError, type SbomExportErrorCode } from './errors';
export { inventoryToCycloneDxBom } from './cyclonedx';
export { SPDX_DEFAULT_CREATED } from './spdx2';

export type ExportFormat = 'cyclonedx-json' | 'cyclonedx-xml' | 'spdx-json' | 'spdx3-json';

/** Allowed spec versions per format; the first one is the default. */
export const EXPORT_SPEC_VERSIONS: Readonly<Record<ExportFormat, readonly string[]>> = Object.freeze({
  'cyclonedx-json': ['1.6', '1.7'],
  'cyclonedx-xml': ['1.6', '1.7'],
  'spdx-json': ['2.3'],
  'spdx3-json': ['3.0.1'],
});

export const EXPORT_FORMATS = Object.keys(EXPORT_SPEC_VERSIONS) as ExportFormat[];

export interface ExportOptions {
  format: string;
  /** Defaults: CycloneDX 1.6, SPDX 2.3, SPDX 3.0.1. */
  specVersion?: string;
}

export interface ExportResult {
  bytes: Buffer;
  format: ExportFormat;
  specVersion: string;
  mediaType: string;
  /** File name extension including the dot (`.cdx.json`). */
  extension: string;
  /** `sha256:` of `bytes`. */
  digest: Digest;
  /** Things the target format could not carry (e.g. dependency edges to refs that are not in the document). */
  warnings: string[];
}

export function isExportFormat(f: string): f is ExportFormat {
  return Object.hasOwn(EXPORT_SPEC_VERSIONS, f);
}

/** Validates format and spec version once; throws SbomExportError (usage) naming the allowed values. */
export function normalizeExportOptions(opts: ExportOptions): { format: ExportFormat; specVersion: string } {
  if (!isExportFormat(opts.format)) {
    throw new SbomExportError('unsupported-format', `unsupported export format ${JSON.stringify(opts.format)}; expected one of ${EXPORT_FORMATS.join(', ')}`, {
      details: { expected: EXPORT_FORMATS.join('|') },
    });
  }
  const allowed = EXPORT_SPEC_VERSIONS[opts.format];
  const specVersion = opts.specVersion ?? allowed[0]!;
  if (!allowed.includes(specVersion)) {
    throw new SbomExportError(
      'unsupported-spec-version',
      `format ${opts.format} cannot be written in spec version ${JSON.stringify(specVersion)}; expected one of ${allowed.join(', ')}`,
      { details: { expected: allowed.join('|') } },
    );
  }
  return { format: opts.format, specVersion };
}

const MEDIA: Record<ExportFormat, (v: string) => { mediaType: string; extension: string }> = {
  'cyclonedx-json': (v) => ({ mediaType: `application/vnd.cyclonedx+json; version=${v}`, extension: '.cdx.json' }),
  'cyclonedx-xml': (v) => ({ mediaType: `application/vnd.cyclonedx+xml; version=${v}`, extension: '.cdx.xml' }),
  'spdx-json': () => ({ mediaType: 'application/spdx+json', extension: '.spdx.json' }),
  'spdx3-json': () => ({ mediaType: 'application/spdx+json', extension: '.spdx3.json' }),
};

/** Serialize an inventory in the requested format. Same inventory and options → identical bytes. */
export function exportInventory(input: Inventory, opts: ExportOptions): ExportResult {
  const { format, specVersion } = normalizeExportOptions(opts);
  // Refs are checked on the input so that error paths point into the caller's document.
  checkedComponents(input, (message, path) => {
    throw new SbomExportError('invalid-inventory', `cannot export inventory: ${message} (at ${path})`, { details: { path } });
  });
  const inventory = canonicalInventory(input);
  let text: string;
  switch (format) {
    case 'cyclonedx-json':
    case 'cyclonedx-xml':
      text = exportCycloneDx(inventory, { specVersion: specVersion as '1.6' | '1.7', encoding: format === 'cyclonedx-json' ? 'json' : 'xml' });
      break;
    case 'spdx-json':
      text = exportSpdx2(inventory);
      break;
    case 'spdx3-json':
      text = exportSpdx3(inventory);
      break;
  }
  const warnings = danglingEdges(inventory).map((e) => `dependency edge ${e.ref} -> ${e.dependsOn} not written: both ends must be components of the document`);
  if (format === 'cyclonedx-json' || format === 'cyclonedx-xml') {
    for (const e of inventory.dependencies) if (e.dependsOn.includes(e.ref)) warnings.push(`dependency edge ${e.ref} -> ${e.ref} not written: CycloneDX cannot express a self-dependency`);
  }
  const bytes = Buffer.from(text, 'utf8');
  return { bytes, format, specVersion, ...MEDIA[format](specVersion), digest: sha256Digest(bytes), warnings };
}
