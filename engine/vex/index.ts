/**
 * engine/vex — VEX ingest (OpenVEX 0.0.1/0.2.0, CSAF 2.0/2.1, CycloneDX 1.4–1.7 VEX) under the
 * Aggregation-Only Contract, normalized statements, issuer trust, the consensus lattice, the
 * auditor's own triage statements and their export. See README.md for the lattice and the formats.
 */
export { VexError, type VexErrorCode } from './errors';
export { parseVexDocument, type ParsedVexDocument, type StatementDraft, type VexFormat } from './parse';
export { importVexFiles, type VexInputPath, type VexImportReport, type VexImportStatement, type VexUnmatched, type VexRejected, type VexImportDocument, type VexImportOptions } from './import';
export { storeVexDocument, currentVexDocuments, listVexDocuments, readStatements, statementId, type RawVexRow, type StoredVexDocument, type StoreOutcome } from './raw-store';
export { consensusFor, consensusBatch, applicableConsensusBatch, openVexIndex, vexSetDigest, type VexConsensusQuery, type VexIndex, type VexIndexOptions } from './query';
export { joinVex, elementOf, resolveConsensus, noConsensus, EMPTY_ELEMENT, type TrustedStatement, type VexLatticeElement, type ResolveQuery } from './consensus';
export {
  DEFAULT_CLASS_TRUST,
  readTrustSettings,
  writeTrustSetting,
  trustResolver,
  classifyIssuer,
  issuerKey,
  isIssuerClass,
  type TrustLevel,
  type TrustSettings,
  type IssuerTrustSetting,
  type EffectiveTrust,
} from './trust';
export { recordTriageDecision, triageIdentity, setTriageIdentity, triageDocumentId, TRIAGE_SOURCE, type TriageDecision, type TriageResult } from './triage';
export { exportTriageVex, triageStatements, type VexExport, type VexExportFormat } from './export';
export { unmatchedStatements, type StoredUnmatchedStatement } from './stored-components';
export { verifyVexAoc, type VexAocReport, type VexAocViolation, type VexAocViolationKind } from './aoc';
export { normalizeJustification, isVexStatus, isVexJustification, CYCLONEDX_JUSTIFICATION_FOR, CYCLONEDX_STATE_FOR } from './vocabulary';
export { productLabel, type ComponentQuery } from './_internal/product';
export { parseVers, versContains } from './_internal/vers';
