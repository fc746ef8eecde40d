/**
 * engine/jobs — the application layer: one function per user-level job, `(store, input, ctx: JobContext)`,
 * shared by every host (CLI, app workers, serve). Hosts parse arguments, call one job and format its
 * result; they never string domain steps together. See README.md.
 *
 * Hosts that care about start-up time (the CLI, the workers) import the job's own file
 * (`engine/jobs/scan`) instead of this index, which loads every job's dependencies.
 */
export { jobContext, checkpoint, type JobContext, type JobProgress, type JobProgressItem, type JobLogLevel } from './context';
export { JobError, type JobErrorCode } from './errors';
export { importSbomJob, importSbomAudited, storedSbom, type ImportSbomInput, type ImportSbomResult } from './import-sbom';
export { inventoryJob, type InventoryInput } from './inventory';
export { scanTargetJob, rescanSbomJob, type ScanTargetInput, type RescanSbomInput, type ScanJobOptions, type ScanJobResult } from './scan';
export { importAdvisoriesJob, type ImportAdvisoriesInput, type ImportReport } from './import-advisories';
export {
  importVex,
  vexConsensus,
  createVexStatement,
  exportVex,
  vexTrust,
  type ImportVexInput,
  type VexConsensusInput,
  type CreateVexInput,
  type CreateVexResult,
  type ExportVexInput,
  type ExportVexResult,
  type VexTrustInput,
  type VexTrustResult,
} from './vex';
export { requireStoredSbom, searchAdvisoryGroups, findingDetail, type AdvisorySearchGroup, type FindingDetail } from './read';
export * from './policy';
export * from './policy-packs';
export * from './scan-verdict';
export * from './attest';
export * from './keys';
export * from './trust';
export * from './log';
export * from './audit';
export { replayJob, type ReplayJobInput, type ReplayJobResult } from './replay';
export {
  exportEvidenceJob,
  verifyEvidenceJob,
  evidenceSignerOf,
  evidenceFileName,
  readExportedFile,
  EXPORTS_DIR,
  type ExportEvidenceInput,
  type ExportEvidenceResult,
  type VerifyEvidenceInput,
  type VerifyEvidenceResult,
} from './evidence';
export { reportJob, type ReportJobInput, type ReportJobResult, type ReportFormat } from './report';
export * from './plugins';
export * from './kit';
export * from './mirror';
export * from './notify';
export { imageViewJob, type ImageViewInput, type ImageView, type ImageLayerView } from './image';
export { listMediaJob, type ListMediaInput, type ListMediaResult } from './media';
export { firstRunInventoryJob, hostPackageDatabases, type FirstRunInput, type FirstRunResult, type FirstRunTarget } from './first-run';
