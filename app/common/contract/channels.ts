/**
 * The one typed contract between the renderer and the engine host. Every request channel has a zod
 * schema for its arguments (validated where the message enters main / the serve host / a worker) and a
 * TypeScript result type. Long operations return a JobRef and report through the `job.*` events.
 */
import { z } from 'zod';
import type { Reply } from './envelope';
import { FILE_PURPOSES, type CHANNEL_NAMES, type EVENT_NAMES } from './names';
import { fileRefSchema, type FileRef } from './file-ref';
import { imageRequestSchemas, type ImageChannelResults } from './image';
import { attestRequestSchemas, type AttestChannelResults } from './attest';
import { workspaceRequestSchemas, type FirstRunSummary, type WorkspaceChannelResults } from './workspace';
import { packFileSchema, vexPolicyRequestSchemas, type ImportPackView, type ReevaluateResult, type ScanVerdictView, type VexImportSummary, type VexPolicyChannelResults } from './vex-policy';

// ---------- shared value types ----------
export { fileRefSchema, type FileRef } from './file-ref';

/** A folder chosen in a native dialog (Electron): kit inputs, an output folder, a mounted removable medium. */
export const folderRefSchema = z.object({ kind: z.literal('folder'), path: z.string().min(1).max(4096), name: z.string().max(1024).optional() }).strict();
export type FolderRef = z.infer<typeof folderRefSchema>;

export type SeverityLevel = 'critical' | 'high' | 'medium' | 'low' | 'none' | 'unknown';

export interface JobRef {
  jobId: string;
}

export type JobKind =
  | 'sbom.import'
  | 'advisories.import'
  | 'scan.run'
  | 'scan.target'
  | 'vex.import'
  | 'policy.reevaluate'
  | 'export.evidence'
  | 'export.verify'
  | 'kits.import'
  | 'kits.build'
  | 'mirror.export'
  | 'media.write'
  | 'notify.test'
  | 'notify.setRules'
  | 'firstrun.inventory';

export interface JobProgressItem {
  index: number;
  id: string;
  state: 'queued' | 'running' | 'done' | 'cached';
}

/** What a `store.changed` event says changed (the UI refetches what shows it). */
export const STORE_AREAS = ['sboms', 'advisories', 'scans', 'vex', 'policy', 'keys', 'trust', 'attestations', 'audit', 'kits', 'notifications'] as const;
export type StoreArea = (typeof STORE_AREAS)[number];

/** What a finished job of each kind changed, for `store.changed` (exports write files no client lists). */
export const JOB_CHANGES: Record<JobKind, readonly StoreArea[]> = {
  'sbom.import': ['sboms', 'audit'],
  'advisories.import': ['advisories', 'audit'],
  'scan.run': ['scans', 'audit'],
  'scan.target': ['scans', 'audit'],
  'vex.import': ['vex', 'audit'],
  'policy.reevaluate': ['scans', 'audit'],
  'export.evidence': ['attestations', 'audit'],
  'export.verify': [],
  'kits.import': ['kits', 'advisories', 'vex', 'policy', 'trust', 'audit'],
  'kits.build': ['kits', 'audit'],
  'mirror.export': ['kits', 'audit'],
  'media.write': ['kits', 'audit'],
  'notify.test': ['notifications'],
  'notify.setRules': ['notifications', 'audit'],
  'firstrun.inventory': ['sboms', 'audit'],
};

export type FilePurpose = (typeof FILE_PURPOSES)[number];

export interface JobStatus {
  jobId: string;
  kind: JobKind;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  phase?: string;
  done?: number;
  total?: number;
  error?: { code: string; message: string };
}

export interface AppInfo {
  version: string;
  mode: 'electron' | 'serve';
  home: string;
  platform: string;
  /** Native file dialogs available (Electron) — otherwise the UI uploads files. */
  nativeDialogs: boolean;
}

export interface SbomSummary {
  id: string;
  digest: string;
  name: string;
  format: string;
  specVersion: string;
  componentCount: number;
  dependencyCount: number;
  importedAt: string;
}

export interface ComponentRow {
  ref: string;
  name: string;
  group?: string;
  version?: string;
  purl?: string;
  type: string;
  ecosystem?: string;
  licenses: string[];
  hashes: { alg: string; content: string }[];
  source?: { name: string; version?: string };
  parent?: string;
  layer?: string;
  locations: { path: string; layer?: string }[];
}

export interface SbomDetail {
  summary: SbomSummary;
  subject?: ComponentRow;
  components: ComponentRow[];
  dependencies: { ref: string; dependsOn: string[] }[];
}

export const EXPORT_FORMATS = ['cyclonedx-json', 'cyclonedx-xml', 'spdx-json', 'spdx3-json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportedFile {
  fileName: string;
  mediaType: string;
  /** base64 of the exported bytes (binary-safe over every transport). */
  contentBase64: string;
  digest: string;
}

export interface ImportReport {
  documents: number;
  new: number;
  unchanged: number;
  superseded: number;
  rejected: { path: string; error: string }[];
}

export interface SnapshotInfo {
  id: string | null;
  documentCount: number;
  createdAt: string | null;
  sources: { source: string; documents: number; observations: number; newestImportAt: string | null }[];
}

export interface ObservationView {
  id: string;
  source: string;
  advisoryId: string;
  aliases: string[];
  summary?: string;
  published?: string;
  modified?: string;
  withdrawn?: string;
  severities: { type: string; score: string; source?: string }[];
  affected: { ecosystem: string; name: string; purl?: string; ranges: { type: string; events: Record<string, string>[] }[]; versions: string[] }[];
  references: { type?: string; url: string }[];
  raw: { digest: string; source: string; uri: string; format: string; specVersion?: string; importedAt?: string };
}

export interface LinksetView {
  id: string;
  aliases: string[];
  observations: ObservationView[];
  conflicts: { type: 'severity-mismatch' | 'affected-range-divergence' | 'alias-inconsistency' | 'reference-clash'; field?: string; observations: string[]; message: string }[];
}

export interface AdvisoryHit {
  id: string;
  aliases: string[];
  sources: string[];
  summary?: string;
}

export interface ScanSummary {
  id: string;
  subject: string;
  sbomId?: string;
  snapshot: string | null;
  createdAt: string;
  findingCount: number;
  bySeverity: Record<SeverityLevel, number>;
  kevCount: number;
  fixableCount: number;
  /** The scan's verdict under the policy pack that judged it (absent for scans stored before verdicts were). */
  verdict?: ScanVerdictView;
}

/**
 * How far a scan matches: `default` matches a language package that a distro OS package installed only
 * through that OS package's advisories; `comprehensive` matches it as a language package too (`stella scan
 * --detection`). Chosen in Settings, sent with every scan request.
 */
export const detectionSchema = z.enum(['default', 'comprehensive']);
export type DetectionMode = z.infer<typeof detectionSchema>;

export interface FindingRow {
  id: string;
  vulnerabilityId: string;
  aliases: string[];
  packageName: string;
  ecosystem: string;
  purl?: string;
  componentRef: string;
  installedVersion: string;
  fixedVersions: string[];
  severity: SeverityLevel;
  score: number | null;
  kev: boolean;
  epss?: number;
  /** The OS package that installed this language package (such findings exist only with comprehensive detection). */
  ownedBy?: string;
}

export interface FindingExplain {
  finding: FindingRow;
  component: ComponentRow | null;
  evidence: {
    observation: ObservationView;
    matchedBy: string;
    range?: { type: string; events: Record<string, string>[] };
    explicitVersion?: string;
    comparisons: { left: string; op: string; right: string; result: boolean; event?: string }[];
    /** First bytes of the raw advisory document as stored (UTF-8), for the evidence drawer. */
    rawExcerpt: string;
  }[];
}

// ---------- offline kits, mirror bundles, removable media, notifications ----------
export type KitCheckName = 'read' | 'signature' | 'jws' | 'digests' | 'version' | 'activate';

/** One verification step of a kit import. `kits.import` jobs report each as `job.progress` with `phase` = the step's name and `message` = `pass: …` / `fail: …`. */
export interface KitCheckView {
  name: KitCheckName;
  status: 'pass' | 'fail' | 'skipped' | 'forced';
  message: string;
}

/** How old the advisory data is (a kit's data date, else the newest import); stale data is used, and said so. */
export interface FeedAgeView {
  asOf: string | null;
  ageDays: number | null;
  stale: boolean;
  staleAfterDays: number;
  basis: 'kit' | 'import' | 'none';
  snapshot: string | null;
  message: string;
}

export interface DocumentCounts {
  new: number;
  unchanged: number;
  superseded: number;
}

export interface KitImportSummary {
  source: string;
  container: 'kit' | 'bundle';
  digest: string;
  kind: 'kit' | 'mirror';
  channel: string;
  version: string;
  feedDate: string;
  producerKeyId: string;
  checks: KitCheckView[];
  dryRun: boolean;
  activated: boolean;
  forced: boolean;
  previousVersion: string | null;
  advisories: DocumentCounts | null;
  vex: DocumentCounts | null;
  pluginsInstalled: string[];
  policyPacks: string[];
  trustRoots: string[];
  snapshot: string | null;
  feedAge: FeedAgeView;
}

export interface ActiveKitView {
  channel: string;
  kind: 'kit' | 'mirror';
  version: string;
  feedDate: string;
  activatedAt: string;
  forced: boolean;
  kitDigest: string;
}

export interface KitStatusView {
  channels: ActiveKitView[];
  feedAge: FeedAgeView;
  snapshot: string | null;
  documents: number;
}

export interface QuarantineView {
  id: string;
  quarantinedAt: string;
  source: string;
  kind: 'kit' | 'bundle';
  check: KitCheckName;
  code: string;
  exitCode: number;
  message: string;
  digest: string | null;
  dir: string;
}

export interface MediaWriteSummary {
  /** What to import from the medium: the kit's (logical) path, or the bundle folder. */
  target: string;
  mediaManifest: string;
  bytes: number;
  split: boolean;
  files: { path: string; size: number; digest: string; parts: number }[];
  readBack: { ok: boolean; files: number; bytes: number };
}

export interface KitBuildSummary {
  output: string;
  digest: string;
  size: number;
  channel: string;
  version: string;
  createdAt: string;
  documents: { advisories: number; vex: number };
  plugins: string[];
  policyPacks: string[];
  trustRoots: string[];
  media: MediaWriteSummary | null;
}

export interface MirrorExportSummary {
  output: string;
  manifestDigest: string;
  generation: number;
  mode: 'full' | 'delta';
  baseGeneration: number | null;
  snapshot: string;
  createdAt: string;
  documents: { advisories: number; vex: number };
  bytes: number;
  media: MediaWriteSummary | null;
}

export const NOTIFY_EVENT_KINDS = ['scan.completed', 'policy.blocked', 'kit.imported', 'kit.rejected', 'feed.stale'] as const;
export type NotifyEventKind = (typeof NOTIFY_EVENT_KINDS)[number];
export const NOTIFY_CHANNELS = ['desktop', 'stderr', 'digest'] as const;
export type NotifyChannelName = (typeof NOTIFY_CHANNELS)[number];

export interface NotificationView {
  seq: number;
  at: string;
  kind: NotifyEventKind;
  subject: string;
  title: string;
  body: string;
  severity: SeverityLevel;
  kev: boolean;
  channels: NotifyChannelName[];
}

export interface NotifyRuleView {
  id: string;
  enabled: boolean;
  kinds: NotifyEventKind[];
  minSeverity?: SeverityLevel;
  kevOnly?: boolean;
  channels: NotifyChannelName[];
}

export interface NotifySettingsView {
  rules: NotifyRuleView[];
  quietHours?: { start: string; end: string; timeZone?: string; channels: NotifyChannelName[] };
  digest?: { dir: string; formats: ('markdown' | 'html')[] };
}

export interface NotifyRulesView {
  source: 'default' | 'stored';
  updatedAt: string | null;
  settings: NotifySettingsView;
}

export interface NotifyTestSummary {
  notification: NotificationView | null;
  rules: string[];
  suppressed: { channel: NotifyChannelName; reason: string }[];
  digestFiles: string[];
}

/** A written evidence bundle (job `export.evidence`); fetch its bytes with `export.file {fileName}`. */
export interface EvidenceExportSummary {
  scanId: string;
  subject: string;
  /** The bundle's file name in the workstation's exports folder. */
  fileName: string;
  digest: string;
  size: number;
  files: number;
  verdict: string;
  signer: { keyId: string; algorithm: string; name?: string };
  attestations: number;
  auditHead: { seq: number; entryHash: string };
  /** Written to a medium too (`export.evidence {media}`), with the read-back result. */
  media?: MediaWriteSummary;
}

export type EvidenceCheckName = 'archive' | 'layout' | 'manifest' | 'checksums' | 'files' | 'signature' | 'signer' | 'attestations';

/** The verification of an evidence bundle (job `export.verify`): `damaged` is exit 3 in the CLI, `untrusted` exit 6. */
export interface EvidenceVerifyReport {
  outcome: 'ok' | 'damaged' | 'untrusted';
  digest: string;
  root: string | null;
  scanId: string | null;
  subject: string | null;
  checks: { name: EvidenceCheckName; status: 'pass' | 'fail' | 'skipped'; detail: string }[];
  signer: { keyId: string; algorithm: string; trustedAs: string | null } | null;
  failure: { name: EvidenceCheckName; detail: string } | null;
}

/** One plug-in as the host loaded it at start-up, or refused it with the reason. */
export interface PluginInfo {
  name: string;
  version?: number;
  kind?: string;
  /** Shipped with the application, or from the workstation's plug-in folder (signed). */
  source: 'built-in' | 'third-party';
  /** `built-in`, the signer's trust entry name, or `unverified`. */
  origin: string;
  signer?: { name: string; keyId: string };
  /** sha256 of the entry bundle / of plugin.json, when they were read. */
  digest?: string;
  manifestDigest?: string;
  status: 'loaded' | 'refused';
  /** Why it was refused (`digest-mismatch`, `unsigned`, `untrusted-signer`, …). */
  code?: string;
  reason?: string;
  /** The plug-in's folder name. */
  folder: string;
}

export interface PluginList {
  sdkApi: number;
  /** Every plug-in, loaded and refused, by name. */
  plugins: PluginInfo[];
}

// ---------- request channels ----------
const empty = z.object({}).strict();
const id = z.string().min(1).max(200);

export const requestSchemas = {
  'app.info': empty,
  /** `directory`: choose a folder (an OCI layout or root filesystem to scan) instead of files. */
  'files.open': z.object({ purpose: z.enum(FILE_PURPOSES), multiple: z.boolean().optional(), directory: z.boolean().optional() }).strict(),
  'sbom.import': z.object({ file: fileRefSchema }).strict(),
  'sbom.list': empty,
  'sbom.get': z.object({ id }).strict(),
  'sbom.export': z.object({ id, format: z.enum(EXPORT_FORMATS), specVersion: z.enum(['1.6', '1.7', '2.3', '3.0.1']).optional() }).strict(),
  'advisories.import': z.object({ files: z.array(fileRefSchema).min(1).max(10000), source: z.string().max(100).optional() }).strict(),
  'advisories.snapshot': empty,
  'advisories.linkset': z.object({ id }).strict(),
  'advisories.search': z.object({ query: z.string().max(200), limit: z.number().int().min(1).max(1000).optional() }).strict(),
  'scan.run': z.object({ sbomId: id, detection: detectionSchema.optional() }).strict(),
  /** Inventory a container image (docker-archive / OCI tar), root filesystem, lockfile or SBOM, store it as an SBOM and scan it. */
  'scan.target': z.object({ file: fileRefSchema, detection: detectionSchema.optional() }).strict(),
  'scan.list': empty,
  'findings.list': z.object({ scanId: id }).strict(),
  'findings.explain': z.object({ scanId: id, findingId: id }).strict(),
  /** Write the signed evidence bundle of a scan into the workstation's exports folder (a job; progress events). */
  'export.evidence': z
    .object({
      scanId: id,
      key: z.string().min(1).max(200).optional(),
      /** Unlocks the signing key (never logged, never in a result). */
      passphrase: z.string().max(4096).optional(),
      pack: z.string().min(1).max(4096).optional(),
      /** Also write the bundle to this medium (a FolderRef from `media.list` or `files.chooseFolder`) and read it back. */
      media: folderRefSchema.optional(),
    })
    .strict(),
  /** Verify an evidence bundle (a job: per-check results). */
  'export.verify': z.union([z.object({ file: fileRefSchema }).strict(), /** a bundle `export.evidence` wrote to the exports folder */ z.object({ fileName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/) }).strict()]),
  /** The bytes of a file in the exports folder (a bundle `export.evidence` wrote). */
  'export.file': z.object({ fileName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/) }).strict(),
  /** report.html of a scan (the page the bundle carries), to show or print. */
  'report.html': z.object({ scanId: id, pack: z.string().min(1).max(4096).optional() }).strict(),
  'jobs.list': empty,
  'jobs.cancel': z.object({ jobId: id }).strict(),
  /** Electron: a native folder dialog (kit inputs, an output folder, a mounted medium); serve: `unsupported`. */
  'files.chooseFolder': z.object({ purpose: z.enum(['media', 'kit-inputs', 'output']), multiple: z.boolean().optional() }).strict(),
  /** Verify a kit (signature, JWS, digests, version) and activate it; each step is a `job.progress` phase. */
  'kits.import': z.object({ file: fileRefSchema, dryRun: z.boolean().optional(), forceReason: z.string().min(1).max(2000).optional() }).strict(),
  /** Build a signed kit into `outputDir/name` from feed / VEX / plug-in / pack folders; optionally write it to a medium. */
  'kits.build': z
    .object({
      channel: z.enum(['stable', 'edge']),
      version: z.string().min(1).max(100),
      feeds: z.array(z.union([folderRefSchema, fileRefSchema])).min(1).max(1000),
      vex: z.array(z.union([folderRefSchema, fileRefSchema])).max(1000).optional(),
      plugins: z.array(folderRefSchema).max(1000).optional(),
      policyPacks: z.array(z.union([folderRefSchema, fileRefSchema])).max(100).optional(),
      trustRoot: fileRefSchema.optional(),
      date: z.string().max(40).optional(),
      key: z.string().min(1).max(64).optional(),
      /** Unlocks the signing key; never logged or stored. */
      passphrase: z.string().min(1).max(1024),
      outputDir: folderRefSchema,
      name: z.string().min(1).max(200),
      media: folderRefSchema.optional(),
    })
    .strict(),
  /** Write the advisory and VEX snapshots as a signed mirror bundle folder `outputDir/name` (delta with `since`). */
  'mirror.export': z
    .object({ since: z.string().min(8).max(80).optional(), key: z.string().min(1).max(64).optional(), passphrase: z.string().min(1).max(1024), outputDir: folderRefSchema, name: z.string().min(1).max(200), media: folderRefSchema.optional() })
    .strict(),
  /** Copy a kit (file) or bundle (folder) to a medium: free-space check, FAT32 splits, fsync, read-back. */
  'media.write': z.object({ source: z.union([fileRefSchema, folderRefSchema]), to: folderRefSchema }).strict(),
  'kits.status': empty,
  'kits.quarantine': empty,
  'feeds.age': empty,
  'notify.rules': empty,
  /** Replace the notification settings (validated; the error names the field), or go back to the defaults. */
  'notify.setRules': z.union([z.object({ settings: z.record(z.string(), z.unknown()) }).strict(), z.object({ reset: z.literal(true) }).strict()]),
  'notify.test': z.object({ kind: z.enum(NOTIFY_EVENT_KINDS).optional(), severity: z.enum(['critical', 'high', 'medium', 'low', 'none', 'unknown']).optional(), kev: z.boolean().optional() }).strict(),
  /** Notifications logged after `afterSeq` (all recent ones without it), oldest first, and the newest seq. */
  'notify.since': z.object({ afterSeq: z.number().int().nonnegative().optional(), limit: z.number().int().min(1).max(500).optional() }).strict(),
  /** Import VEX documents (OpenVEX, CSAF, CycloneDX VEX): a job; its result lists statements, unmatched and rejected ones. */
  'vex.import': z.object({ files: z.array(fileRefSchema).min(1).max(10000) }).strict(),
  ...vexPolicyRequestSchemas,
  /** Import a pack as an immutable version, from the editor's files or from a file (.tar.gz) (writer). */
  'policy.import': z
    .object({ pack: z.discriminatedUnion('kind', [z.object({ kind: z.literal('files'), files: z.array(packFileSchema).min(1).max(5000), label: z.string().max(200).optional() }).strict(), z.object({ kind: z.literal('file'), file: fileRefSchema }).strict()]) })
    .strict(),
  /** Record a fresh verdict of stored scans (default: all) with the active pack and the stored VEX: a job. */
  'policy.reevaluate': z.object({ scanIds: z.array(id).max(10000).optional() }).strict(),
  /** The plug-ins loaded at start-up and every refused one, with why. */
  'plugins.list': empty,
  ...imageRequestSchemas,
  ...attestRequestSchemas,
  ...workspaceRequestSchemas,
} as const;

export type Channel = keyof typeof requestSchemas;
export const CHANNELS = Object.keys(requestSchemas) as Channel[];

export interface ChannelResults extends ImageChannelResults, AttestChannelResults, VexPolicyChannelResults, WorkspaceChannelResults {
  'app.info': AppInfo;
  'files.open': FileRef[];
  'sbom.import': JobRef;
  'sbom.list': SbomSummary[];
  'sbom.get': SbomDetail;
  'sbom.export': ExportedFile;
  'advisories.import': JobRef;
  'advisories.snapshot': SnapshotInfo;
  'advisories.linkset': LinksetView;
  'advisories.search': AdvisoryHit[];
  'scan.run': JobRef;
  'scan.target': JobRef;
  'scan.list': ScanSummary[];
  'findings.list': FindingRow[];
  'findings.explain': FindingExplain;
  'export.evidence': JobRef;
  'export.verify': JobRef;
  'export.file': ExportedFile;
  'report.html': ExportedFile;
  'jobs.list': JobStatus[];
  'jobs.cancel': { cancelled: boolean };
  'files.chooseFolder': FolderRef[];
  'kits.import': JobRef;
  'kits.build': JobRef;
  'mirror.export': JobRef;
  'media.write': JobRef;
  'kits.status': KitStatusView;
  'kits.quarantine': QuarantineView[];
  'feeds.age': FeedAgeView;
  'notify.rules': NotifyRulesView;
  'notify.setRules': JobRef;
  'notify.test': JobRef;
  'notify.since': { last: number; notifications: NotificationView[] };
  'vex.import': JobRef;
  'policy.import': ImportPackView;
  'policy.reevaluate': JobRef;
  'plugins.list': PluginList;
}

export type ChannelArgs<C extends Channel> = z.infer<(typeof requestSchemas)[C]>;
export type ChannelResult<C extends Channel> = ChannelResults[C];

/** Results of finished jobs, by job kind. */
export interface JobResults {
  'sbom.import': SbomSummary;
  'advisories.import': ImportReport;
  'scan.run': ScanSummary;
  'scan.target': ScanSummary;
  'kits.import': KitImportSummary;
  'kits.build': KitBuildSummary;
  'mirror.export': MirrorExportSummary;
  'media.write': MediaWriteSummary;
  'notify.test': NotifyTestSummary;
  'notify.setRules': NotifyRulesView;
  'vex.import': VexImportSummary;
  'policy.reevaluate': ReevaluateResult;
  'export.evidence': EvidenceExportSummary;
  'export.verify': EvidenceVerifyReport;
  'firstrun.inventory': FirstRunSummary;
}

// ---------- event streams ----------
export interface EventPayloads {
  /**
   * `item`: one item of a list the job works through changed state — an image scan reports each layer
   * (`index`, `id` = its digest) as queued, running, done or cached. Never dropped by throttling.
   */
  'job.progress': { jobId: string; kind: JobKind; phase: string; done: number; total?: number; message?: string; item?: JobProgressItem };
  'job.finished': { jobId: string; kind: JobKind; state: 'succeeded' | 'failed' | 'cancelled'; result?: unknown; error?: { code: string; message: string } };
  'store.changed': { what: StoreArea };
  /**
   * A notification whose rules route it to the desktop (engine/notify), raised by any job or process on
   * this store: Electron shows it as a system notification; the renderer may show it in the app.
   */
  'notify.desktop': NotificationView;
  /**
   * Files dropped on the Electron window (preload turns the dropped File objects into path refs that
   * main has granted). `purpose` is the `data-drop-purpose` attribute of the nearest drop zone, if any.
   * Never emitted in serve mode: there the UI uploads the dropped files itself.
   */
  'files.dropped': { files: FileRef[]; purpose?: FilePurpose };
}
export type EventName = keyof EventPayloads;
export const EVENTS: EventName[] = ['job.progress', 'job.finished', 'store.changed', 'files.dropped', 'notify.desktop'];

/** What the renderer codes against; implemented over Electron IPC (preload) and over HTTP+WebSocket (serve). */
export interface EngineClient {
  invoke<C extends Channel>(channel: C, args: ChannelArgs<C>): Promise<Reply<ChannelResult<C>>>;
  subscribe<E extends EventName>(event: E, handler: (payload: EventPayloads[E]) => void): () => void;
}

// The zod-free name lists (names.ts, used by the sandboxed preload) must list exactly these.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _channelNamesMatch: Same<(typeof CHANNEL_NAMES)[number], Channel> = true;
const _eventNamesMatch: Same<(typeof EVENT_NAMES)[number], EventName> = true;
void _channelNamesMatch;
void _eventNamesMatch;
