/**
 * engine/export — what leaves and enters the workstation on removable media: Offline Update Kits
 * (build, verify, activate, quarantine, feed age), mirror bundles of the advisory and VEX snapshots
 * (full or delta), and the removable-media writer (free space, FAT32 splits, read-back). See README.md.
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
  MANIFEST_FILE,
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
