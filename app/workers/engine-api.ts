/**
 * The worker methods: thin adapters from contract channels to the engine's jobs and read helpers
 * (engine/jobs). Each method takes its validated arguments, calls ONE engine function and maps the
 * result to the contract type (app/common/contract). Writer methods run jobs that change the store;
 * reader methods only read. Method names are the contract's channel / job names; job methods take
 * resolved paths (the host resolves FileRefs).
 *
 * The tables are typed from the contract: a method whose result is not its channel's result type
 * (`ChannelResults[C]`, or `JobResults[K]` for a job) does not compile, and the result is checked
 * against the channel's zod schema before it leaves the worker (development and test builds).
 */
import { basename } from 'node:path';
import { z } from 'zod';
import type { Store } from '../../engine/store';
import type { Component, Finding, Observation } from '../../engine/core';
import type { Linkset } from '../../engine/advisories';
import type { SbomRecord } from '../../engine/sbom';
import type { ScanListEntry } from '../../engine/match';
import {
  detectionSchema,
  jobResultSchemaOf,
  requestSchemaOf,
  resultSchemaOf,
  type ChannelArgs,
  type ChannelResult,
  type ComponentRow,
  type FindingRow,
  type JobKind,
  type JobResults,
  type LinksetView,
  type ObservationView,
  type SbomSummary,
  type ScanSummary,
  type ScanVerdictView,
} from '../common/contract';
import { method, type MethodContext, type MethodDef } from './runtime';
import { jobContextOf, lazy } from './engine-modules';
import { scanVerdictView, storedVerdictViews, vexPolicyJobMethods, vexPolicyReaderMethods, writerChannelMethods } from './engine-api-vex-policy';
import type { ReaderChannel, WriterChannel, WriterChannelArgs, WriterJobArgs } from './protocol';
import { attestReaderMethods, readerFileMethods, writerCallMethods, type AttestReaderMethods, type ReaderFileMethods } from './engine-api-attest';
import { evidenceReaderMethods, evidenceWriterMethods } from './export-api';
import { kitReaderMethods, kitWriterMethods } from './kits-api';
import { workspaceReaderMethods, workspaceWriterMethods } from './workspace-api';

const pathArg = z.string().min(1).max(4096);

// The jobs this worker runs, file by file: the jobs index also carries jobs (attest, policy …) whose
// libraries a scan or import worker has no use for.
const scanJobs = lazy('jobs/scan', () => import('../../engine/jobs/scan'));
const sbomJobs = lazy('jobs/import-sbom', () => import('../../engine/jobs/import-sbom'));
const advisoryJobs = lazy('jobs/import-advisories', () => import('../../engine/jobs/import-advisories'));
const readHelpers = lazy('jobs/read', () => import('../../engine/jobs/read'));
const pluginJobs = lazy('jobs/plugins', () => import('../../engine/jobs/plugins'));
const advisories = lazy('advisories', () => import('../../engine/advisories'));
const sbom = lazy('sbom', () => import('../../engine/sbom'));
const sbomExport = lazy('sbom/export', () => import('../../engine/sbom/export'));
const match = lazy('match', () => import('../../engine/match'));

export type WriterMethods = { [K in JobKind]: MethodDef<Store, WriterJobArgs[K], JobResults[K]> };
export type ReaderMethods = { [C in Exclude<ReaderChannel, keyof AttestReaderMethods>]: MethodDef<Store, ChannelArgs<C>, ChannelResult<C>> } & AttestReaderMethods & ReaderFileMethods;

function job<K extends JobKind>(kind: K, args: z.ZodType<WriterJobArgs[K]>, run: (args: WriterJobArgs[K], ctx: MethodContext<Store>) => Promise<JobResults[K]>): MethodDef<Store, WriterJobArgs[K], JobResults[K]> {
  return method(args, jobResultSchemaOf(kind), run);
}

function reader<C extends Exclude<ReaderChannel, keyof AttestReaderMethods>>(channel: C, run: (args: ChannelArgs<C>, ctx: MethodContext<Store>) => Promise<ChannelResult<C>>): MethodDef<Store, ChannelArgs<C>, ChannelResult<C>> {
  return method(requestSchemaOf(channel), resultSchemaOf(channel), run);
}

export function writerMethods(): WriterMethods {
  return {
    'sbom.import': job('sbom.import', z.object({ path: pathArg, name: z.string().max(1024).optional() }).strict(), async (args, ctx) => {
      const { importSbomJob } = await sbomJobs();
      const r = await importSbomJob(ctx.store, { path: args.path, ...(args.name ? { name: args.name } : {}) }, jobContextOf(ctx));
      return sbomSummary(r.record);
    }),
    'scan.run': job('scan.run', z.object({ sbomId: z.string().min(1).max(200), detection: detectionSchema.optional() }).strict(), async (args, ctx) => {
      const { rescanSbomJob } = await scanJobs();
      const r = await rescanSbomJob(ctx.store, { sbomId: args.sbomId, ...(args.detection ? { detection: args.detection } : {}) }, jobContextOf(ctx));
      return scanSummary(r.scan, scanVerdictView(r.policy));
    }),
    'scan.target': job('scan.target', z.object({ path: pathArg, name: z.string().min(1).max(1024), detection: detectionSchema.optional() }).strict(), async (args, ctx) => {
      const { scanTargetJob } = await scanJobs();
      const r = await scanTargetJob(ctx.store, { path: args.path, name: args.name, ...(args.detection ? { detection: args.detection } : {}) }, jobContextOf(ctx));
      return scanSummary(r.scan, scanVerdictView(r.policy));
    }),
    'advisories.import': job(
      'advisories.import',
      z.object({ paths: z.array(z.union([pathArg, z.object({ path: pathArg, uri: z.string().min(1).max(4096) }).strict()])).min(1).max(10000), source: z.string().max(100).optional() }).strict(),
      async (args, ctx) => {
        const { importAdvisoriesJob } = await advisoryJobs();
        const r = await importAdvisoriesJob(ctx.store, { paths: args.paths, ...(args.source ? { source: args.source } : {}) }, jobContextOf(ctx));
        return { documents: r.documents, new: r.new, unchanged: r.unchanged, superseded: r.superseded, rejected: r.rejected };
      },
    ),
    ...vexPolicyJobMethods(),
    ...evidenceWriterMethods(jobContextOf),
    ...kitWriterMethods(jobContextOf),
    ...workspaceWriterMethods(jobContextOf),
  };
}

/** The writer's channel methods (short writes answered directly, not jobs): VEX triage and trust, policy packs. */
/** The writer's channel methods (quick writes that are not jobs), one per `WriterChannel`. */
export function writerChannels(): { [C in WriterChannel]: MethodDef<Store, WriterChannelArgs[C], ChannelResult<C>> } {
  return { ...writerChannelMethods(), ...writerCallMethods() };
}

export function readerMethods(): ReaderMethods {
  return {
    ...attestReaderMethods(),
    ...readerFileMethods(),
    'sbom.list': reader('sbom.list', async (_args, ctx) => (await sbom()).listSboms(ctx.store).map(sbomSummary)),
    'sbom.get': reader('sbom.get', async (args, ctx) => {
      const { record, inventory } = (await readHelpers()).requireStoredSbom(ctx.store, args.id);
      const componentRow = await componentRowMapper();
      return {
        summary: sbomSummary(record),
        ...(inventory.subject ? { subject: componentRow(inventory.subject) } : {}),
        components: inventory.components.map(componentRow),
        dependencies: inventory.dependencies.map((d) => ({ ref: d.ref, dependsOn: d.dependsOn })),
      };
    }),
    'sbom.export': reader('sbom.export', async (args, ctx) => {
      const { exportInventory } = await sbomExport();
      const { record, inventory } = (await readHelpers()).requireStoredSbom(ctx.store, args.id);
      const out = exportInventory(inventory, { format: args.format, ...(args.specVersion ? { specVersion: args.specVersion } : {}) });
      const stem = (record.name || record.id).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 100) || record.id;
      return { fileName: `${stem}${out.extension}`, mediaType: out.mediaType, contentBase64: out.bytes.toString('base64'), digest: out.digest };
    }),
    'scan.list': reader('scan.list', async (_args, ctx) => {
      const verdicts = await storedVerdictViews(ctx.store);
      return (await match()).listScans(ctx.store).map((s) => scanSummary(s, verdicts.get(s.id)));
    }),
    'findings.list': reader('findings.list', async (args, ctx) => (await match()).getScan(ctx.store, args.scanId).findings.map(findingRow)),
    'findings.explain': reader('findings.explain', async (args, ctx) => {
      const d = (await readHelpers()).findingDetail(ctx.store, args.scanId, args.findingId);
      const componentRow = await componentRowMapper();
      return {
        finding: findingRow(d.explanation.finding),
        component: d.component ? componentRow(d.component) : null,
        evidence: d.evidence.map(({ link, observation }) => ({
          observation: observationView(observation),
          matchedBy: link.matchedBy,
          ...(link.range ? { range: link.range } : {}),
          ...(link.explicitVersion ? { explicitVersion: link.explicitVersion } : {}),
          comparisons: link.comparisons.map((c) => ({ left: c.left, op: c.op, right: c.right, result: c.result, ...(c.event ? { event: c.event } : {}) })),
          rawExcerpt: link.excerpt.text,
        })),
      };
    }),
    'advisories.snapshot': reader('advisories.snapshot', async (_args, ctx) => {
      const s = (await advisories()).currentSnapshot(ctx.store);
      return {
        id: s.id,
        documentCount: s.documentCount,
        createdAt: s.createdAt,
        sources: s.sources.map((x) => ({ source: x.source, documents: x.documents, observations: x.observations, newestImportAt: x.newestImportAt ?? null })),
      };
    }),
    'advisories.linkset': reader('advisories.linkset', async (args, ctx) => {
      const { getLinkset, AdvisoryError } = await advisories();
      const l = getLinkset(ctx.store, args.id);
      if (!l) throw new AdvisoryError('not-found', `no advisory ${args.id} (by id or alias) in the current snapshot`, { details: { id: args.id } });
      return linksetView(l);
    }),
    'plugins.list': reader('plugins.list', async (_args, ctx) => {
      const d = await (await pluginJobs()).listPluginsJob(ctx.store, {}, jobContextOf(ctx));
      return {
        sdkApi: d.sdkApi,
        plugins: d.plugins.map((p) => ({
          name: p.name,
          ...(p.version !== undefined ? { version: p.version } : {}),
          ...(p.kind !== undefined ? { kind: p.kind } : {}),
          source: p.source,
          origin: p.origin,
          ...(p.signer ? { signer: { name: p.signer.name, keyId: p.signer.keyId } } : {}),
          ...(p.digest !== undefined ? { digest: p.digest } : {}),
          ...(p.manifestDigest !== undefined ? { manifestDigest: p.manifestDigest } : {}),
          status: p.status,
          ...(p.code !== undefined ? { code: p.code } : {}),
          ...(p.reason !== undefined ? { reason: p.reason } : {}),
          folder: basename(p.dir),
        })),
      };
    }),
    'advisories.search': reader('advisories.search', async (args, ctx) =>
      (await readHelpers()).searchAdvisoryGroups(ctx.store, args.query, args.limit ?? 50).map((g) => ({ id: g.id, aliases: g.aliases, sources: g.sources, ...(g.summary ? { summary: g.summary } : {}) })),
    ),
    ...vexPolicyReaderMethods(),
    ...evidenceReaderMethods(jobContextOf),
    ...kitReaderMethods(),
    ...workspaceReaderMethods(jobContextOf),
  };
}

function observationView(o: Observation): ObservationView {
  return {
    id: o.id,
    source: o.source,
    advisoryId: o.advisoryId,
    aliases: o.aliases,
    ...(o.summary !== undefined ? { summary: o.summary } : {}),
    ...(o.published !== undefined ? { published: o.published } : {}),
    ...(o.modified !== undefined ? { modified: o.modified } : {}),
    ...(o.withdrawn !== undefined ? { withdrawn: o.withdrawn } : {}),
    severities: o.severities.map((s) => ({ type: s.type, score: s.score, ...(s.source ? { source: s.source } : {}) })),
    affected: o.affected.map((a) => ({
      ecosystem: a.ecosystem,
      name: a.name,
      ...(a.purl ? { purl: a.purl } : {}),
      ranges: a.ranges.map((r) => ({ type: r.type, events: r.events.map((ev) => ({ ...ev }) as Record<string, string>) })),
      versions: a.versions,
    })),
    references: o.references.map((r) => ({ ...(r.type ? { type: r.type } : {}), url: r.url })),
    raw: { digest: o.raw.digest, source: o.raw.source, uri: o.raw.uri, format: o.raw.format, ...(o.raw.specVersion ? { specVersion: o.raw.specVersion } : {}) },
  };
}

function linksetView(l: Linkset): LinksetView {
  return {
    id: l.id,
    aliases: l.aliases,
    observations: l.observations.map(observationView),
    conflicts: l.conflicts.map((c) => ({
      type: c.kind,
      field: c.subject,
      observations: c.values.map((v) => v.observationId),
      message: `${c.kind} on ${c.subject}: ${c.values.map((v) => `${v.source} ${v.advisoryId} says ${JSON.stringify(v.value)}`).join('; ')}`,
    })),
  };
}

function sbomSummary(r: SbomRecord): SbomSummary {
  return { id: r.id, digest: r.digest, name: r.name, format: r.format, specVersion: r.specVersion, componentCount: r.componentCount, dependencyCount: r.dependencyCount, importedAt: r.importedAt };
}

/** `componentRow` with the engine's purl-type helper loaded. */
async function componentRowMapper(): Promise<(c: Component) => ComponentRow> {
  const { purlType } = await sbom();
  return (c) => componentRow(c, purlType(c.purl));
}

function componentRow(c: Component, ecosystem: string | undefined): ComponentRow {
  return {
    ref: c.ref,
    name: c.name,
    ...(c.group !== undefined ? { group: c.group } : {}),
    ...(c.version !== undefined ? { version: c.version } : {}),
    ...(c.purl !== undefined ? { purl: c.purl } : {}),
    type: c.type,
    ...(ecosystem ? { ecosystem } : {}),
    licenses: c.licenses.map((l) => l.expression ?? l.name ?? l.url ?? '').filter((x) => x !== ''),
    hashes: c.hashes.map((h) => ({ alg: h.alg, content: h.content })),
    ...(c.source ? { source: { name: c.source.name, ...(c.source.version !== undefined ? { version: c.source.version } : {}) } } : {}),
    ...(c.parent !== undefined ? { parent: c.parent } : {}),
    ...(c.layer !== undefined ? { layer: c.layer } : {}),
    locations: c.locations.map((l) => ({ path: l.path, ...(l.layer !== undefined ? { layer: l.layer } : {}) })),
  };
}

function scanSummary(s: Pick<ScanListEntry, 'id' | 'subject' | 'sbomId' | 'snapshot' | 'createdAt' | 'summary'>, verdict?: ScanVerdictView): ScanSummary {
  return {
    id: s.id,
    subject: s.subject,
    ...(s.sbomId ? { sbomId: s.sbomId } : {}),
    snapshot: s.snapshot ?? null,
    createdAt: s.createdAt,
    findingCount: s.summary.findings,
    bySeverity: { ...s.summary.bySeverity },
    kevCount: s.summary.kev,
    fixableCount: s.summary.fixable,
    ...(verdict ? { verdict } : {}),
  };
}

function findingRow(f: Finding): FindingRow {
  return {
    id: f.id,
    vulnerabilityId: f.vulnerabilityId,
    aliases: f.aliases,
    packageName: f.packageName,
    ecosystem: f.ecosystem,
    ...(f.purl !== undefined ? { purl: f.purl } : {}),
    componentRef: f.componentRef,
    installedVersion: f.installedVersion,
    fixedVersions: f.fixedVersions,
    severity: f.severity.level,
    score: f.severity.score,
    kev: f.kev,
    ...(f.epss ? { epss: f.epss.score } : {}),
    ...(f.ownedBy ? { ownedBy: f.ownedBy } : {}),
  };
}
