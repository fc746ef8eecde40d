import type { VexIssuer, VexStatement } from '../../core';

/** A statement before it is stored: the raw ref (digest, uri) and id are added by the store. */
export type StatementDraft = Omit<VexStatement, 'id' | 'raw'> & { path: string };

export type VexFormat = 'openvex' | 'csaf' | 'cyclonedx';

/** One VEX document, parsed and validated, as the raw store needs it. */
export interface ParsedVexDocument {
  format: VexFormat;
  specVersion: string;
  /** What makes two revisions "the same document" (OpenVEX @id, CSAF namespace + tracking id, CycloneDX serial). */
  identity: string;
  /** The document's own version (OpenVEX/CycloneDX `version`, CSAF `tracking.version`). */
  docVersion?: string;
  issuer: VexIssuer;
  statements: StatementDraft[];
  /** Parts of the document that are not VEX statements and were skipped (said, not silently dropped). */
  notes: string[];
}
