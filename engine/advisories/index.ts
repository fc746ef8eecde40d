/**
 * engine/advisories — connectors (format parsers), the raw store (AOC), observations, linksets with
 * conflicts, feed snapshots and the invariant checker.
 */
export { AdvisoryError, type AdvisoryErrorCode } from './errors';
export { importAdvisories, importAdvisoryInputs, identityKey, type ImportOptions, type ImportReport } from './raw-store';
export { readInputs, type InputPath, type InputItem } from './input';
export {
  currentSnapshot,
  hasAdvisories,
  getSnapshot,
  listSnapshots,
  resolveSnapshot,
  snapshotIdOf,
  currentRawRows,
  type CurrentRawRow,
  type SnapshotInfo,
  type SnapshotSourceInfo,
} from './snapshots';
export { getLinkset, linksetFromView, detectConflicts, preferredId, MAX_LINKSET_OBSERVATIONS, type Linkset, type LinksetConflict, type ConflictKind, type LinksetOptions } from './linksets';
export { searchAdvisories, type AdvisorySearchHit } from './search';
export { verifyAoc, type AocReport, type AocViolation, type AocViolationKind } from './aoc';
export { openAdvisoryView, type AdvisoryView, type StoredObservation, type EpssInfo } from './view';
export { packageKey, splitEcosystem, normalizePackageName, normalizeRelease } from './package-key';
export { normalizeSeverity, scoreOne, cvss3BaseScore, cvss2BaseScore, cvss4ApproxScore, levelOfScore, type NormalizedSeverity, type ScoreMethod } from './severity';

/** Read the raw bytes of a stored advisory document (byte-exact, re-hashed on read). */
export { readRawDocument, getRawDocument, type RawDocumentRow } from './raw-read';
