/**
 * engine/attest — keys and crypto profiles (KMS interface, file keystore, service keys), DSSE, in-toto
 * statements and predicates, in-toto bundles with a signed manifest, Sigstore bundles v0.3, the
 * embedded transparency log (RFC 6962, signed checkpoints, Rekor-compatible entries), trusted roots,
 * the trust store with purposes, and verification with a per-check report. See README.md.
 */
export { AttestError, type AttestErrorCode } from './errors';
export {
  type CryptoProfile,
  type SigningAlgorithm,
  type VerifyAlgorithm,
  CRYPTO_PROFILES,
  SIGNING_ALGORITHMS,
  PROFILE_ALGORITHMS,
  ALGORITHM_INFO,
  isCryptoProfile,
  isSigningAlgorithm,
  smSupport,
  assertProfileAlgorithm,
  algorithmOfKey,
  verifySignature,
  keyIdOf,
  keyFingerprints,
  publicKeyPem,
  parsePublicKey,
  spkiDer,
} from './crypto';
export { type SigningKey, LocalSigningKey, createMemoryKey } from './kms';
export {
  type KeyRecord,
  type KeystoreOptions,
  type GenerateKeyInput,
  DEFAULT_KEY_NAME,
  DEFAULT_KDF,
  MIN_PASSPHRASE_LENGTH,
  generateKey,
  listKeys,
  findKey,
  getKey,
  defaultKeys,
  unlockKey,
  unlockDelayMs,
  unlockFailures,
  assertKeyName,
} from './keystore';
export { type ServiceRole, serviceKey, serviceKeyPath } from './service-keys';
export {
  type DsseEnvelope,
  type DsseSignature,
  type VerificationKey,
  type DsseVerification,
  INTOTO_PAYLOAD_TYPE,
  pae,
  signEnvelope,
  signEnvelopeSync,
  parseEnvelope,
  envelopePayload,
  serializeEnvelope,
  verifyEnvelope,
  assertEnvelopeVerified,
} from './dsse';
export { type Statement, type ResourceDescriptor, type DigestSet, type ArtifactDigests, STATEMENT_TYPE_V1, buildStatement, statementBytes, parseStatement, digestFile, subjectForFile, subjectsMatching } from './statement';
export {
  type PredicateKind,
  type VerdictPredicate,
  type ScannerIdentity,
  type SnapshotRef,
  PREDICATE_TYPES,
  classifyPredicateType,
  predicateProblems,
  assertPredicate,
  vulnsPredicateFromScan,
  cosignVulnPredicateFromScan,
  vsaFromVerdict,
} from './predicates';
export { buildIntotoBundle, manifestProblems, type ManifestEntry } from './intoto-bundle';
export { EMPTY_ROOT, leafHash, nodeHash, inclusionProof, consistencyProof, verifyInclusion, verifyConsistency, rootFromInclusionProof, inclusionProofSides, MemoryTree, type NodeSource } from './merkle';
export { type Checkpoint, signCheckpoint, parseSignedNote, verifyCheckpoint, noteKeyId } from './checkpoint';
export { type RekorKind, hashedrekordBody, dsseBody, intotoBody, parseEntryBody } from './rekor';
export {
  type LogIdentity,
  type LogEntry,
  type AppendedEntry,
  type InclusionProofData,
  type LogInfo,
  type LogVerification,
  logIdentity,
  recordedLogIdentity,
  appendEntry,
  appendEntries,
  logInfo,
  getLogEntry,
  proveEntry,
  proveEntryAtFirstCheckpoint,
  proveConsistency,
  firstCheckpointCovering,
  verifyLog,
} from './tlog';
export { type BuiltBundle, type BundleOptions, type DsseEntryKind, BUNDLE_V03_MEDIA_TYPE, buildDsseBundle, buildMessageBundle, parseBundle, toBundleTlogEntry } from './sigstore';
export { type SerializedTrustedRoot, TRUSTED_ROOT_MEDIA_TYPE, buildTrustedRoot, parseTrustedRoot, workstationTlog } from './trusted-root';
export {
  type TrustPurpose,
  type TrustEntry,
  TRUST_PURPOSES,
  isTrustPurpose,
  parsePurposes,
  parseTrustFile,
  addTrust,
  removeTrust,
  listTrust,
  trustedKeysFor,
  trustedRootsJsonFor,
  verificationMaterialFor,
  exportTrustedRoot,
  workstationTlogs,
  verifyEnvelopeForPurpose,
} from './trust';
export {
  type CheckName,
  type CheckStatus,
  type VerificationCheck,
  type ItemVerification,
  type VerificationMaterial,
  type ArtifactInput,
  type VerifyOptions,
  type AttestationItem,
  verifySigstoreBundle,
  verifyDsseItem,
  readAttestationItems,
  envelopeDigest,
} from './verify';
export {
  type PluginFiles,
  pluginStatement,
  signPluginStatement,
  verifyPluginSignature,
} from './plugin-signature';
