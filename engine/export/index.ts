/**
 * engine/export — what leaves the workstation: evidence bundles of a scan (a signed, deterministic
 * `.tar.gz` with verify.sh, attestations and report.html) and their verification. See README.md.
 */
export { ExportError, type ExportErrorCode } from './errors';
export {
  EVIDENCE_BUNDLE_TYPE,
  MANIFEST_FILE,
  SIGNATURE_FILE,
  CHECKSUMS_FILE,
  VERIFY_SCRIPT,
  SIGNER_KEY_FILE,
  META_FILES,
  MIN_OPENSSL,
  bundleRootName,
  checksumsText,
  opensslVerifyCommand,
  verifyScript,
  assembleEvidenceBundle,
  type EvidenceFile,
  type EvidenceManifest,
  type EvidenceManifestFile,
  type AssembledBundle,
  type AssembleInput,
} from './evidence-bundle';
export { subjectArtifact, type ScanEvidence, type EvidenceSigner } from './evidence-model';
export {
  EVIDENCE_PATHS,
  ATTESTATION_KINDS,
  SIGSTORE_BUNDLE_MEDIA_TYPE,
  attestationPath,
  evidenceDocuments,
  findingsDocument,
  consensusDocument,
  packDocument,
  vexPredicate,
  verdictPredicate,
  vexDecision,
  jsonBytes,
  type AttestationKind,
} from './evidence-documents';
export {
  verifyEvidenceBundle,
  CANONICAL_GZIP_HEADER,
  EVIDENCE_ARCHIVE_LIMITS,
  type EvidenceCheck,
  type EvidenceCheckName,
  type EvidenceCheckStatus,
  type EvidenceOutcome,
  type EvidenceVerification,
  type VerifyEvidenceOptions,
} from './evidence-verify';
export { renderReportHtml, esc, STALE_FEED_DAYS, type ReportInput } from './report';
