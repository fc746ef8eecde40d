/**
 * engine/match — version comparators per ecosystem (versions/), OSV range evaluation, component →
 * advisory matching with evidence, stored scans and their explanation, SARIF rendering.
 */
export { scanInventory, matchInventory, buildFindings, type ScanOptions, type ScanResult, type ScanSummary } from './scan';
export { listScans, getScan, explainFinding, MAX_EXCERPT_BYTES, type ScanListEntry, type FindingExplanation, type EvidenceLink } from './stored';
export { evaluateAffected, evaluateRange, comparatorFor, type RangeVerdict, type Compare } from './ranges';
export { targetsOf, goToolchainVersion, DETECTION_MODES, type DetectionMode, type LookupTarget, type ComponentTargets } from './targets';
export { parseCpe } from './cpe';
export { toSarif, SARIF_SCHEMA } from './sarif';
