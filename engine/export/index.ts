/**
 * engine/export — what leaves and enters the workstation: evidence bundles of a scan (a signed,
 * deterministic `.tar.gz` with verify.sh, attestations and report.html) and their verification; Offline
 * Update Kits (build, verify, activate, quarantine, feed age), mirror bundles of the advisory and VEX
 * snapshots (full or delta), and the removable-media writer (free space, FAT32 splits, read-back). See README.md.
 */
export { ExportError, type ExportErrorCode } from './errors';

// ---- offline kits and mirror bundles: manifest, signatures
export {
  KIT_MANIFEST_SCHEMA,
  MIRROR_MANIFEST_SCHEMA,
  MANIFEST_PAYLOAD_TYPE,
  KIT_CHANNELS,
  activationChannel,
  packageVersion,
  parseManifest,
  manifestBytes,
  type KitChannel,
  type KitManifest,
  type MirrorManifest,
  type PackageManifest,
  type KitDocument,
  type KitFileEntry,
  type KitPlugin,
  type KitPolicyPack,
  type KitTrustRoot,
} from './kit-manifest';
export { KIT_SIGNING_ALGORITHMS, signManifest, signDetachedJws, verifyManifestEnvelope, verifyManifestJws, type SignatureCheck } from './kit-sign';

// ---- build, verify, activate
export { buildKit, assertKitVersion, type KitBuildInput, type KitBuildOptions, type KitBuildResult } from './kit-build';
export {
  locatePackage,
  verifyPackage,
  checkOfError,
  KIT_META_PREFIX,
  KIT_PAYLOAD_PREFIX,
  MANIFEST_DSSE_FILE,
  MANIFEST_JWS_FILE,
  type PackageLocation,
  type VerifiedPackage,
  type VerifyPackageOptions,
  type KitCheck,
  type KitCheckName,
  type KitCheckStatus,
} from './kit-read';
export { activeKit, activeKits, kitHistory, type ActiveKit } from './kit-state';
export {
  activatePackage,
  checkVersion,
  reconcilePlugins,
  pluginsHome,
  vexSnapshotId,
  type ActivationReport,
  type ActivationOptions,
  type VersionCheck,
} from './kit-activate';
export { feedAge, feedDataDate, kitStatus, staleAfterDays, setStaleAfterDays, DEFAULT_STALE_AFTER_DAYS, type FeedAge, type KitStatus } from './kit-status';
export { quarantinePackage, listQuarantine, quarantineDir, type QuarantineEntry } from './kit-quarantine';

// ---- mirror bundles
export { buildMirror, currentFeedSnapshot, listMirrorSnapshots, resolveMirrorBase, type FeedSnapshot, type MirrorBuildInput, type MirrorBuildOptions, type MirrorBuildResult } from './mirror';

// ---- removable media
export { writeToMedia, freeBytesOf, FAT32_MAX_FILE_BYTES, MEDIA_MANIFEST_SUFFIX, type MediaFile, type MediaWriteInput, type MediaWriteOptions, type MediaWriteResult } from './media';

// ---- evidence bundles (MANIFEST_FILE is the same name, manifest.json, in kits and bundles)
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
export { listRemovableMedia, folderVolume, parseProcMounts, removableMounts, parseWindowsDisks, type MediaVolume, type MountEntry, type SysBlock, type ListMediaOptions } from './media-volumes';
