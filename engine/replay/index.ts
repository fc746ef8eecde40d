/**
 * engine/replay — replay manifests: every input digest of a scan (SBOM, image and layers, analyzer
 * plug-ins, advisory snapshot, VEX set, policy pack IR, engine version, evaluation date, options) and
 * every output digest (findings, summary, verdict); comparison of a re-run with its manifest down to the
 * first differing JSON pointer. The re-run itself is a job (engine/jobs/replay.ts). See README.md.
 */
export { ReplayError, type ReplayErrorCode } from './errors';
export {
  REPLAY_MANIFEST_TYPE,
  MAX_MANIFEST_BYTES,
  manifestBytes,
  manifestDigest,
  parseReplayManifest,
  readReplayManifest,
  type ReplayManifest,
  type ReplayInputs,
  type ReplayOutputDigests,
} from './manifest';
export { scanOutputs, verdictOutput, outputDigests, outputDigest, type ScanOutputs, type VerdictOutput } from './outputs';
export { buildReplayManifest, replayInputs, engineIdentity, type ReplayInputParts } from './build';
export {
  compareReplay,
  inputLabel,
  MAX_SHOWN_BYTES,
  type ReplayReport,
  type ReplayResult,
  type ReplayedInputs,
  type InputComparison,
  type InputName,
  type OutputComparison,
  type OutputName,
  type FirstDifference,
} from './compare';
export { firstDifference, valueAt, joinPointer, pointerToken, type JsonValue } from './diff';
export { saveRecordedManifest, recordedManifest } from './recorded';
