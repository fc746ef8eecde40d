/**
 * Format detection from the document's text: the first significant character says JSON / XML / text,
 * then a few marker keys or the XML root element say which SBOM format it is.
 */
import type { SbomFormat } from '../core';
import { decodeText } from './_internal/text';
import { SbomError } from './errors';

export interface DetectedFormat {
  format: SbomFormat;
  /** Spec version when the marker gives it cheaply (CycloneDX XML namespace, SPDX version line). */
  specVersion?: string;
}

function xmlRoot(text: string): { name: string; xmlns?: string } | undefined {
  const re = /<([A-Za-z_][\w:.-]*)([^>]*)>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const full = m[0];
    if (full.startsWith('<?') || full.startsWith('<!')) continue;
    const name = (m[1] as string).replace(/^.*:/, '');
    const ns = /\sxmlns(?::[\w.-]+)?\s*=\s*["']([^"']*)["']/.exec(m[2] ?? '')?.[1];
    return ns === undefined ? { name } : { name, xmlns: ns };
  }
  return undefined;
}

/** Detect from already-decoded text; null when the text is no SBOM format we read. */
export function detectFromText(text: string): DetectedFormat | null {
  const start = /\S/.exec(text);
  if (!start) return null;
  const c = text[start.index];
  if (c === '<') {
    const root = xmlRoot(text.slice(start.index, start.index + 65536));
    if (!root) return null;
    if (root.name === 'bom' && root.xmlns?.startsWith('http://cyclonedx.org/schema/bom/')) {
      return { format: 'cyclonedx-xml', specVersion: root.xmlns.slice('http://cyclonedx.org/schema/bom/'.length) };
    }
    if (root.name === 'bom') return { format: 'cyclonedx-xml' };
    if (root.name === 'Document' || root.name === 'SpdxDocument') {
      const v = /<spdxVersion>\s*SPDX-([0-9.]+)\s*</.exec(text)?.[1];
      return v ? { format: 'spdx-xml', specVersion: v } : { format: 'spdx-xml' };
    }
    return null;
  }
  if (c === '{') {
    if (/"bomFormat"\s*:\s*"CycloneDX"/.test(text)) return { format: 'cyclonedx-json' };
    if (/"@context"\s*:\s*(\[[^\]]*)?"https?:\/\/spdx\.org\/rdf\/3/.test(text)) return { format: 'spdx3-jsonld' };
    if (/"spdxVersion"\s*:/.test(text)) return { format: 'spdx-json' };
    if (/"artifacts"\s*:/.test(text) && /"descriptor"\s*:/.test(text) && /"schema"\s*:/.test(text)) return { format: 'syft-json' };
    if (/"SchemaVersion"\s*:/.test(text) && /"ArtifactName"\s*:/.test(text)) return { format: 'trivy-json' };
    return null;
  }
  const tv = /^SPDXVersion:\s*SPDX-([0-9.]+)\s*$/m.exec(text);
  if (tv) return { format: 'spdx-tag-value', specVersion: tv[1] as string };
  const y = /^['"]?spdxVersion['"]?\s*:\s*['"]?SPDX-([0-9.]+)/m.exec(text);
  if (y) return { format: 'spdx-yaml', specVersion: y[1] as string };
  return null;
}

/**
 * Which SBOM format `bytes` hold (the file name is only used in messages). Returns null when the bytes
 * are text but no format we read; throws SbomError('invalid-encoding') when they are not text at all.
 */
export function detectSbomFormat(bytes: Uint8Array, fileName = '<input>'): DetectedFormat | null {
  const { text } = decodeText(bytes, fileName);
  return detectFromText(text);
}

export function unknownFormatError(file: string): SbomError {
  return new SbomError(
    'unknown-format',
    `${file}: not a recognized SBOM; expected CycloneDX (JSON/XML), SPDX 2.x (JSON, YAML, XML, tag-value), SPDX 3.0 JSON-LD, Syft JSON or Trivy JSON`,
    { details: { file, expected: 'a CycloneDX, SPDX, Syft or Trivy document' } },
  );
}
