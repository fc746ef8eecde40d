/**
 * Export of the workstation's own VEX (every current triage decision) as OpenVEX 0.2.0 or CycloneDX
 * 1.6 VEX. Deterministic: statements sorted by (vulnerability, product); ids, serial number and
 * timestamp derived from the content (the document timestamp is the newest decision's, never the clock).
 */
import { digestJson, sha256Hex, type VexStatement } from '../core';
import { parsePurl } from '../sbom/purl';
import { validateCycloneDxJson } from '../sbom';
import type { Store } from '../store';
import { VexError } from './errors';
import { currentVexDocuments, readStatements } from './raw-store';
import { OPENVEX_CONTEXT, TRIAGE_SOURCE, triageIdentity } from './triage';
import { CYCLONEDX_JUSTIFICATION_FOR, CYCLONEDX_STATE_FOR } from './vocabulary';

export type VexExportFormat = 'openvex' | 'cyclonedx';

export interface VexExport {
  format: VexExportFormat;
  statements: number;
  /** The document (pretty JSON, trailing newline). */
  bytes: Buffer;
  digest: string;
}

/** Current triage statements, sorted. */
export function triageStatements(store: Store): VexStatement[] {
  const out = currentVexDocuments(store, { source: TRIAGE_SOURCE }).flatMap((d) => readStatements(store, d.seq));
  const k = (s: VexStatement) => `${s.vulnerability}\u0000${s.product.purl ?? ''}\u0000${s.id}`;
  return out.sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
}

function newest(statements: VexStatement[]): string {
  return statements.reduce((m, s) => (s.timestamp && Date.parse(s.timestamp) > Date.parse(m) ? s.timestamp : m), '1970-01-01T00:00:00.000Z');
}

function openVexDocument(author: string, statements: VexStatement[]): Record<string, unknown> {
  const body = statements.map((s) => ({
    vulnerability: { name: s.vulnerability, ...(s.aliases.length ? { aliases: s.aliases } : {}) },
    ...(s.timestamp ? { timestamp: s.timestamp } : {}),
    products: [{ '@id': s.product.purl as string }],
    status: s.status,
    ...(s.justification ? { justification: s.justification } : {}),
    ...(s.impact ? { impact_statement: s.impact } : {}),
    ...(s.action ? { action_statement: s.action } : {}),
  }));
  return {
    '@context': OPENVEX_CONTEXT,
    '@id': `https://stella.invalid/vex/export/${digestJson({ author, statements: body }).slice(7, 39)}`,
    author,
    role: 'triage',
    timestamp: newest(statements),
    version: 1,
    statements: body,
  };
}

function cycloneDxDocument(author: string, statements: VexStatement[]): Record<string, unknown> {
  const purls = [...new Set(statements.map((s) => s.product.purl as string))].sort();
  const components = purls.map((purl) => {
    const p = parsePurl(purl);
    return { type: 'library', 'bom-ref': purl, ...(p.namespace ? { group: p.namespace } : {}), name: p.name, ...(p.version ? { version: p.version } : {}), purl };
  });
  const vulnerabilities = statements.map((s) => ({
    'bom-ref': s.id,
    id: s.vulnerability,
    ...(s.aliases.length ? { references: s.aliases.map((a) => ({ id: a, source: { name: 'alias' } })) } : {}),
    analysis: {
      state: CYCLONEDX_STATE_FOR[s.status],
      ...(s.justification ? { justification: CYCLONEDX_JUSTIFICATION_FOR[s.justification] } : {}),
      ...(s.impact ?? s.action ? { detail: (s.impact ?? s.action) as string } : {}),
      ...(s.timestamp ? { lastUpdated: s.timestamp } : {}),
    },
    affects: [{ ref: s.product.purl as string }],
    ...(s.impact || s.action
      ? { properties: [...(s.impact ? [{ name: 'stella:vex:impact', value: s.impact }] : []), ...(s.action ? [{ name: 'stella:vex:action', value: s.action }] : [])] }
      : {}),
  }));
  const content = { author, components, vulnerabilities };
  const hex = sha256Hex(JSON.stringify(content));
  // A content-derived version-4-shaped UUID: the same decisions always give the same serial number.
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${uuid}`,
    version: 1,
    metadata: { timestamp: newest(statements), authors: [{ name: author }], tools: { components: [{ type: 'application', name: 'stella' }] } },
    components,
    vulnerabilities,
  };
}

export function exportTriageVex(store: Store, format: VexExportFormat): VexExport {
  const statements = triageStatements(store);
  if (!statements.length) {
    throw new VexError('not-found', 'no triage decisions are recorded in this store (make one with `stella vex create`)', { details: { expected: 'at least one triage decision' } });
  }
  const author = triageIdentity(store);
  let doc: Record<string, unknown>;
  switch (format) {
    case 'openvex':
      doc = openVexDocument(author, statements);
      break;
    case 'cyclonedx': {
      doc = cycloneDxDocument(author, statements);
      const problems = validateCycloneDxJson(doc, '1.6');
      if (problems.length) throw new Error(`internal: the CycloneDX VEX export does not validate: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
      break;
    }
  }
  const bytes = Buffer.from(`${JSON.stringify(doc, null, 2)}\n`);
  return { format, statements: statements.length, bytes, digest: `sha256:${sha256Hex(bytes)}` };
}
