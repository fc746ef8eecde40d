/**
 * Runtime schemas of what the engine host sends back: every channel's result, every job's result and
 * every event payload. Hosts check them where results cross a process boundary (the worker port, the
 * engine host that serve and Electron IPC answer through) in development and test builds; production
 * builds skip the check for speed. The compile-time assertions at the end keep each schema and its
 * TypeScript type (channels.ts) the same shape, so neither can drift from the other.
 */
import { z } from 'zod';
import { imageResultSchemas } from './image';
import { firstRunSummarySchema, workspaceResultSchemas } from './workspace';
import { attestResultSchemas } from './attest';
import {
  fileRefSchema,
  folderRefSchema,
  requestSchemas,
  NOTIFY_CHANNELS,
  NOTIFY_EVENT_KINDS,
  type ActiveKitView,
  type FeedAgeView,
  type KitBuildSummary,
  type KitCheckView,
  type KitImportSummary,
  type KitStatusView,
  type MediaWriteSummary,
  type MirrorExportSummary,
  type NotificationView,
  type NotifyRulesView,
  type NotifyTestSummary,
  type QuarantineView,
  type ChannelArgs,
  type AdvisoryHit,
  type AppInfo,
  type Channel,
  type ChannelResults,
  type ComponentRow,
  type EvidenceExportSummary,
  type EvidenceVerifyReport,
  type EventName,
  type EventPayloads,
  type ExportedFile,
  type FindingExplain,
  type FindingRow,
  type ImportReport,
  type JobKind,
  type JobResults,
  type JobStatus,
  type LinksetView,
  type ObservationView,
  type PluginInfo,
  type PluginList,
  type SbomDetail,
  type SbomSummary,
  type ScanSummary,
  type SnapshotInfo,
  STORE_AREAS,
} from './channels';
import { importPackViewSchema, reevaluateResultSchema, scanVerdictViewSchema, vexImportSummarySchema, vexPolicyResultSchemas } from './vex-policy';
import { FILE_PURPOSES } from './names';

const JOB_KINDS = ['sbom.import', 'advisories.import', 'scan.run', 'scan.target', 'vex.import', 'policy.reevaluate', 'export.evidence', 'export.verify', 'kits.import', 'kits.build', 'mirror.export', 'media.write', 'notify.test', 'notify.setRules', 'firstrun.inventory'] as const satisfies readonly JobKind[];
const jobKind = z.enum(JOB_KINDS);
const severityLevel = z.enum(['critical', 'high', 'medium', 'low', 'none', 'unknown']);
const count = z.number().int().nonnegative();
const stringRecord = z.record(z.string(), z.string());

const appInfo = z.object({ version: z.string(), mode: z.enum(['electron', 'serve']), home: z.string(), platform: z.string(), nativeDialogs: z.boolean() }).strict();
const jobRef = z.object({ jobId: z.string() }).strict();

const sbomSummary = z
  .object({ id: z.string(), digest: z.string(), name: z.string(), format: z.string(), specVersion: z.string(), componentCount: count, dependencyCount: count, importedAt: z.string() })
  .strict();

const componentRow = z
  .object({
    ref: z.string(),
    name: z.string(),
    group: z.string().optional(),
    version: z.string().optional(),
    purl: z.string().optional(),
    type: z.string(),
    ecosystem: z.string().optional(),
    licenses: z.array(z.string()),
    hashes: z.array(z.object({ alg: z.string(), content: z.string() }).strict()),
    source: z.object({ name: z.string(), version: z.string().optional() }).strict().optional(),
    parent: z.string().optional(),
    layer: z.string().optional(),
    locations: z.array(z.object({ path: z.string(), layer: z.string().optional() }).strict()),
  })
  .strict();

const sbomDetail = z
  .object({ summary: sbomSummary, subject: componentRow.optional(), components: z.array(componentRow), dependencies: z.array(z.object({ ref: z.string(), dependsOn: z.array(z.string()) }).strict()) })
  .strict();

const exportedFile = z.object({ fileName: z.string(), mediaType: z.string(), contentBase64: z.string(), digest: z.string() }).strict();

const importReport = z
  .object({ documents: count, new: count, unchanged: count, superseded: count, rejected: z.array(z.object({ path: z.string(), error: z.string() }).strict()) })
  .strict();

const snapshotInfo = z
  .object({
    id: z.string().nullable(),
    documentCount: count,
    createdAt: z.string().nullable(),
    sources: z.array(z.object({ source: z.string(), documents: count, observations: count, newestImportAt: z.string().nullable() }).strict()),
  })
  .strict();

const range = z.object({ type: z.string(), events: z.array(stringRecord) }).strict();

const observationView = z
  .object({
    id: z.string(),
    source: z.string(),
    advisoryId: z.string(),
    aliases: z.array(z.string()),
    summary: z.string().optional(),
    published: z.string().optional(),
    modified: z.string().optional(),
    withdrawn: z.string().optional(),
    severities: z.array(z.object({ type: z.string(), score: z.string(), source: z.string().optional() }).strict()),
    affected: z.array(z.object({ ecosystem: z.string(), name: z.string(), purl: z.string().optional(), ranges: z.array(range), versions: z.array(z.string()) }).strict()),
    references: z.array(z.object({ type: z.string().optional(), url: z.string() }).strict()),
    raw: z.object({ digest: z.string(), source: z.string(), uri: z.string(), format: z.string(), specVersion: z.string().optional(), importedAt: z.string().optional() }).strict(),
  })
  .strict();

const linksetView = z
  .object({
    id: z.string(),
    aliases: z.array(z.string()),
    observations: z.array(observationView),
    conflicts: z.array(
      z
        .object({
          type: z.enum(['severity-mismatch', 'affected-range-divergence', 'alias-inconsistency', 'reference-clash']),
          field: z.string().optional(),
          observations: z.array(z.string()),
          message: z.string(),
        })
        .strict(),
    ),
  })
  .strict();

const advisoryHit = z.object({ id: z.string(), aliases: z.array(z.string()), sources: z.array(z.string()), summary: z.string().optional() }).strict();

const scanSummary = z
  .object({
    id: z.string(),
    subject: z.string(),
    sbomId: z.string().optional(),
    snapshot: z.string().nullable(),
    createdAt: z.string(),
    findingCount: count,
    bySeverity: z.record(severityLevel, count),
    kevCount: count,
    fixableCount: count,
    verdict: scanVerdictViewSchema.optional(),
  })
  .strict();

const findingRow = z
  .object({
    id: z.string(),
    vulnerabilityId: z.string(),
    aliases: z.array(z.string()),
    packageName: z.string(),
    ecosystem: z.string(),
    purl: z.string().optional(),
    componentRef: z.string(),
    installedVersion: z.string(),
    fixedVersions: z.array(z.string()),
    severity: severityLevel,
    score: z.number().nullable(),
    kev: z.boolean(),
    epss: z.number().optional(),
    ownedBy: z.string().optional(),
  })
  .strict();

const findingExplain = z
  .object({
    finding: findingRow,
    component: componentRow.nullable(),
    evidence: z.array(
      z
        .object({
          observation: observationView,
          matchedBy: z.string(),
          range: range.optional(),
          explicitVersion: z.string().optional(),
          comparisons: z.array(z.object({ left: z.string(), op: z.string(), right: z.string(), result: z.boolean(), event: z.string().optional() }).strict()),
          rawExcerpt: z.string(),
        })
        .strict(),
    ),
  })
  .strict();

// ---- offline kits, mirror bundles, media, notifications
const kitCheck = z.object({ name: z.enum(['read', 'signature', 'jws', 'digests', 'version', 'activate']), status: z.enum(['pass', 'fail', 'skipped', 'forced']), message: z.string() }).strict();
const feedAge = z
  .object({
    asOf: z.string().nullable(),
    ageDays: count.nullable(),
    stale: z.boolean(),
    staleAfterDays: count,
    basis: z.enum(['kit', 'import', 'none']),
    snapshot: z.string().nullable(),
    message: z.string(),
  })
  .strict();
const documentCounts = z.object({ new: count, unchanged: count, superseded: count }).strict();
const kitImportSummary = z
  .object({
    source: z.string(),
    container: z.enum(['kit', 'bundle']),
    digest: z.string(),
    kind: z.enum(['kit', 'mirror']),
    channel: z.string(),
    version: z.string(),
    feedDate: z.string(),
    producerKeyId: z.string(),
    checks: z.array(kitCheck),
    dryRun: z.boolean(),
    activated: z.boolean(),
    forced: z.boolean(),
    previousVersion: z.string().nullable(),
    advisories: documentCounts.nullable(),
    vex: documentCounts.nullable(),
    pluginsInstalled: z.array(z.string()),
    policyPacks: z.array(z.string()),
    trustRoots: z.array(z.string()),
    snapshot: z.string().nullable(),
    feedAge,
  })
  .strict();
const activeKitView = z.object({ channel: z.string(), kind: z.enum(['kit', 'mirror']), version: z.string(), feedDate: z.string(), activatedAt: z.string(), forced: z.boolean(), kitDigest: z.string() }).strict();
const kitStatusView = z.object({ channels: z.array(activeKitView), feedAge, snapshot: z.string().nullable(), documents: count }).strict();
const quarantineView = z
  .object({
    id: z.string(),
    quarantinedAt: z.string(),
    source: z.string(),
    kind: z.enum(['kit', 'bundle']),
    check: z.enum(['read', 'signature', 'jws', 'digests', 'version', 'activate']),
    code: z.string(),
    exitCode: count,
    message: z.string(),
    digest: z.string().nullable(),
    dir: z.string(),
  })
  .strict();
const mediaWriteSummary = z
  .object({
    target: z.string(),
    mediaManifest: z.string(),
    bytes: count,
    split: z.boolean(),
    files: z.array(z.object({ path: z.string(), size: count, digest: z.string(), parts: count }).strict()),
    readBack: z.object({ ok: z.boolean(), files: count, bytes: count }).strict(),
  })
  .strict();
const documentTotals = z.object({ advisories: count, vex: count }).strict();
const kitBuildSummary = z
  .object({
    output: z.string(),
    digest: z.string(),
    size: count,
    channel: z.string(),
    version: z.string(),
    createdAt: z.string(),
    documents: documentTotals,
    plugins: z.array(z.string()),
    policyPacks: z.array(z.string()),
    trustRoots: z.array(z.string()),
    media: mediaWriteSummary.nullable(),
  })
  .strict();
const mirrorExportSummary = z
  .object({
    output: z.string(),
    manifestDigest: z.string(),
    generation: count,
    mode: z.enum(['full', 'delta']),
    baseGeneration: count.nullable(),
    snapshot: z.string(),
    createdAt: z.string(),
    documents: documentTotals,
    bytes: count,
    media: mediaWriteSummary.nullable(),
  })
  .strict();
const notifyChannel = z.enum(NOTIFY_CHANNELS);
const notificationView = z
  .object({
    seq: count,
    at: z.string(),
    kind: z.enum(NOTIFY_EVENT_KINDS),
    subject: z.string(),
    title: z.string(),
    body: z.string(),
    severity: severityLevel,
    kev: z.boolean(),
    channels: z.array(notifyChannel),
  })
  .strict();
const notifyRulesView = z
  .object({
    source: z.enum(['default', 'stored']),
    updatedAt: z.string().nullable(),
    settings: z
      .object({
        rules: z.array(
          z
            .object({ id: z.string(), enabled: z.boolean(), kinds: z.array(z.enum(NOTIFY_EVENT_KINDS)), minSeverity: severityLevel.optional(), kevOnly: z.boolean().optional(), channels: z.array(notifyChannel) })
            .strict(),
        ),
        quietHours: z.object({ start: z.string(), end: z.string(), timeZone: z.string().optional(), channels: z.array(notifyChannel) }).strict().optional(),
        digest: z.object({ dir: z.string(), formats: z.array(z.enum(['markdown', 'html'])) }).strict().optional(),
      })
      .strict(),
  })
  .strict();
const notifyTestSummary = z
  .object({ notification: notificationView.nullable(), rules: z.array(z.string()), suppressed: z.array(z.object({ channel: notifyChannel, reason: z.string() }).strict()), digestFiles: z.array(z.string()) })
  .strict();
const evidenceExportSummary = z
  .object({
    scanId: z.string(),
    subject: z.string(),
    fileName: z.string(),
    digest: z.string(),
    size: count,
    files: count,
    verdict: z.string(),
    signer: z.object({ keyId: z.string(), algorithm: z.string(), name: z.string().optional() }).strict(),
    attestations: count,
    auditHead: z.object({ seq: count, entryHash: z.string() }).strict(),
    media: mediaWriteSummary.optional(),
  })
  .strict();

const evidenceCheckName = z.enum(['archive', 'layout', 'manifest', 'checksums', 'files', 'signature', 'signer', 'attestations']);
const evidenceVerifyReport = z
  .object({
    outcome: z.enum(['ok', 'damaged', 'untrusted']),
    digest: z.string(),
    root: z.string().nullable(),
    scanId: z.string().nullable(),
    subject: z.string().nullable(),
    checks: z.array(z.object({ name: evidenceCheckName, status: z.enum(['pass', 'fail', 'skipped']), detail: z.string() }).strict()),
    signer: z.object({ keyId: z.string(), algorithm: z.string(), trustedAs: z.string().nullable() }).strict().nullable(),
    failure: z.object({ name: evidenceCheckName, detail: z.string() }).strict().nullable(),
  })
  .strict();
const pluginInfo = z
  .object({
    name: z.string(),
    version: z.number().int().positive().optional(),
    kind: z.string().optional(),
    source: z.enum(['built-in', 'third-party']),
    origin: z.string(),
    signer: z.object({ name: z.string(), keyId: z.string() }).strict().optional(),
    digest: z.string().optional(),
    manifestDigest: z.string().optional(),
    status: z.enum(['loaded', 'refused']),
    code: z.string().optional(),
    reason: z.string().optional(),
    folder: z.string(),
  })
  .strict();

const pluginList = z.object({ sdkApi: z.number().int().positive(), plugins: z.array(pluginInfo) }).strict();

const contractError = z.object({ code: z.string(), message: z.string() }).strict();

const jobStatus = z
  .object({
    jobId: z.string(),
    kind: jobKind,
    state: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
    phase: z.string().optional(),
    done: z.number().nonnegative().optional(),
    total: z.number().nonnegative().optional(),
    error: contractError.optional(),
  })
  .strict();

/** The result schema of every request channel. */
export const resultSchemas = {
  'app.info': appInfo,
  'files.open': z.array(fileRefSchema),
  'sbom.import': jobRef,
  'sbom.list': z.array(sbomSummary),
  'sbom.get': sbomDetail,
  'sbom.export': exportedFile,
  'advisories.import': jobRef,
  'advisories.snapshot': snapshotInfo,
  'advisories.linkset': linksetView,
  'advisories.search': z.array(advisoryHit),
  'scan.run': jobRef,
  'scan.target': jobRef,
  'scan.list': z.array(scanSummary),
  'findings.list': z.array(findingRow),
  'findings.explain': findingExplain,
  'export.evidence': jobRef,
  'export.verify': jobRef,
  'export.file': exportedFile,
  'report.html': exportedFile,
  'jobs.list': z.array(jobStatus),
  'jobs.cancel': z.object({ cancelled: z.boolean() }).strict(),
  'files.chooseFolder': z.array(folderRefSchema),
  'kits.import': jobRef,
  'kits.build': jobRef,
  'mirror.export': jobRef,
  'media.write': jobRef,
  'kits.status': kitStatusView,
  'kits.quarantine': z.array(quarantineView),
  'feeds.age': feedAge,
  'notify.rules': notifyRulesView,
  'notify.setRules': jobRef,
  'notify.test': jobRef,
  'notify.since': z.object({ last: count, notifications: z.array(notificationView) }).strict(),
  'vex.import': jobRef,
  ...vexPolicyResultSchemas,
  'policy.import': importPackViewSchema,
  'policy.reevaluate': jobRef,
  'plugins.list': pluginList,
  ...imageResultSchemas,
  ...attestResultSchemas,
  ...workspaceResultSchemas,
} as const satisfies { [C in Channel]: z.ZodType };

/** The result schema of every job (what `job.finished` carries when it succeeded). */
export const jobResultSchemas = {
  'sbom.import': sbomSummary,
  'advisories.import': importReport,
  'scan.run': scanSummary,
  'scan.target': scanSummary,
  'kits.import': kitImportSummary,
  'kits.build': kitBuildSummary,
  'mirror.export': mirrorExportSummary,
  'media.write': mediaWriteSummary,
  'notify.test': notifyTestSummary,
  'notify.setRules': notifyRulesView,
  'vex.import': vexImportSummarySchema,
  'policy.reevaluate': reevaluateResultSchema,
  'export.evidence': evidenceExportSummary,
  'export.verify': evidenceVerifyReport,
  'firstrun.inventory': firstRunSummarySchema,
} as const satisfies { [K in JobKind]: z.ZodType };

const progressFields = { phase: z.string(), done: z.number().nonnegative(), total: z.number().nonnegative().optional(), message: z.string().optional() };

/** The payload schema of every event. `job.finished`'s `result` is checked against its job kind's schema too. */
export const eventSchemas = {
  'job.progress': z
    .object({ jobId: z.string(), kind: jobKind, ...progressFields, item: z.object({ index: count, id: z.string(), state: z.enum(['queued', 'running', 'done', 'cached']) }).strict().optional() })
    .strict(),
  'job.finished': z
    .object({ jobId: z.string(), kind: jobKind, state: z.enum(['succeeded', 'failed', 'cancelled']), result: z.unknown().optional(), error: contractError.optional() })
    .strict()
    .superRefine((p, ctx) => {
      if (p.state !== 'succeeded') return;
      const r = jobResultSchemas[p.kind].safeParse(p.result);
      if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: 'custom', path: ['result', ...i.path], message: i.message });
    }),
  'store.changed': z.object({ what: z.enum(STORE_AREAS) }).strict(),
  'files.dropped': z.object({ files: z.array(fileRefSchema), purpose: z.enum(FILE_PURPOSES).optional() }).strict(),
  'notify.desktop': notificationView,
} as const satisfies { [E in EventName]: z.ZodType };

// Typed lookups. The casts are safe: the assertions at the end of this file prove each schema's output
// type is exactly its channel's / job's type, which TypeScript cannot see through an indexed access.
export function requestSchemaOf<C extends Channel>(channel: C): z.ZodType<ChannelArgs<C>> {
  return requestSchemas[channel] as unknown as z.ZodType<ChannelArgs<C>>;
}
export function resultSchemaOf<C extends Channel>(channel: C): z.ZodType<ChannelResults[C]> {
  return resultSchemas[channel] as unknown as z.ZodType<ChannelResults[C]>;
}
export function jobResultSchemaOf<K extends JobKind>(kind: K): z.ZodType<JobResults[K]> {
  return jobResultSchemas[kind] as unknown as z.ZodType<JobResults[K]>;
}

/** Problems of `value` against `schema` as `path: message` lines; empty when it conforms. */
export function conformanceProblems(schema: z.ZodType, value: unknown): string[] {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.slice(0, 20).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}

// ---------- each schema describes exactly its TypeScript type ----------
// Exact type equality (mutual assignability would let an optional field be missing from a schema).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Out<S> = S extends z.ZodType<infer O> ? O : never;
type SchemaMatchesChannels = { [C in Channel]: Same<Out<(typeof resultSchemas)[C]>, ChannelResults[C]> }[Channel];
type SchemaMatchesJobs = { [K in JobKind]: Same<Out<(typeof jobResultSchemas)[K]>, JobResults[K]> }[JobKind];
type SchemaMatchesEvents = { [E in Exclude<EventName, 'job.finished'>]: Same<Out<(typeof eventSchemas)[E]>, EventPayloads[E]> }[Exclude<EventName, 'job.finished'>];
const _channelsOk: SchemaMatchesChannels = true;
const _jobsOk: SchemaMatchesJobs = true;
const _eventsOk: SchemaMatchesEvents = true;
const _finishedOk: Same<Out<(typeof eventSchemas)['job.finished']>, EventPayloads['job.finished']> = true;
const _parts: [
  Same<Out<typeof componentRow>, ComponentRow>,
  Same<Out<typeof observationView>, ObservationView>,
  Same<Out<typeof appInfo>, AppInfo>,
  Same<Out<typeof sbomSummary>, SbomSummary>,
  Same<Out<typeof sbomDetail>, SbomDetail>,
  Same<Out<typeof exportedFile>, ExportedFile>,
  Same<Out<typeof importReport>, ImportReport>,
  Same<Out<typeof snapshotInfo>, SnapshotInfo>,
  Same<Out<typeof linksetView>, LinksetView>,
  Same<Out<typeof advisoryHit>, AdvisoryHit>,
  Same<Out<typeof scanSummary>, ScanSummary>,
  Same<Out<typeof findingRow>, FindingRow>,
  Same<Out<typeof findingExplain>, FindingExplain>,
  Same<Out<typeof jobStatus>, JobStatus>,
  Same<Out<typeof kitCheck>, KitCheckView>,
  Same<Out<typeof feedAge>, FeedAgeView>,
  Same<Out<typeof kitImportSummary>, KitImportSummary>,
  Same<Out<typeof activeKitView>, ActiveKitView>,
  Same<Out<typeof kitStatusView>, KitStatusView>,
  Same<Out<typeof quarantineView>, QuarantineView>,
  Same<Out<typeof mediaWriteSummary>, MediaWriteSummary>,
  Same<Out<typeof kitBuildSummary>, KitBuildSummary>,
  Same<Out<typeof mirrorExportSummary>, MirrorExportSummary>,
  Same<Out<typeof notificationView>, NotificationView>,
  Same<Out<typeof notifyRulesView>, NotifyRulesView>,
  Same<Out<typeof notifyTestSummary>, NotifyTestSummary>,
  Same<Out<typeof evidenceExportSummary>, EvidenceExportSummary>,
  Same<Out<typeof evidenceVerifyReport>, EvidenceVerifyReport>,
  Same<Out<typeof pluginInfo>, PluginInfo>,
  Same<Out<typeof pluginList>, PluginList>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];
void _channelsOk;
void _jobsOk;
void _eventsOk;
void _finishedOk;
void _parts;
