/**
 * The ONE place where engine functions meet the contract: worker methods that call engine/sbom,
 * engine/advisories and engine/match and map their results to contract types (app/common/contract).
 * Writer methods change the store (imports, scans); reader methods only read. Method names are the
 * contract channel names; job methods take resolved paths (the host resolves FileRefs).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Store } from '../../engine/store';
import type { Component, Finding, Inventory, Observation } from '../../engine/core';
import { defaultContext } from '../../engine/core';
import type { Linkset } from '../../engine/advisories';
import type { SbomRecord } from '../../engine/sbom';
import type { ScanListEntry } from '../../engine/match';
import {
  detectionSchema,
  requestSchemas,
  type AdvisoryHit,
  type DetectionMode,
  type ComponentRow,
  type ExportedFile,
  type FindingExplain,
  type FindingRow,
  type ImportReport,
  type LinksetView,
  type ObservationView,
  type SbomDetail,
  type SbomSummary,
  type ScanSummary,
  type SnapshotInfo,
} from '../common/contract';
import { method, type MethodTable } from './runtime';

const pathArg = z.string().min(1).max(4096);

/**
 * Engine modules are loaded on first use, so a worker starts (and every other channel works) even
 * when one module fails to load; the failure is reported on that module's channels only.
 */
function lazy<T>(name: string, load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () =>
    (p ??= load().catch((e: unknown) => {
      p = undefined;
      throw new Error(`the engine module ${name} failed to load: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }));
}
const advisories = lazy('advisories', () => import('../../engine/advisories'));
const sbom = lazy('sbom', () => import('../../engine/sbom'));
const sbomExport = lazy('sbom/export', () => import('../../engine/sbom/export'));
const match = lazy('match', () => import('../../engine/match'));
const scanner = lazy('scanner', () => import('../../engine/scanner'));

const SBOM_PHASES = ['read', 'parse', 'store', 'done'] as const;

/** Is the file an SBOM (by content)? Binary files (an rpmdb) and other text are not. */
function isSbomBytes(detect: (bytes: Uint8Array, name?: string) => unknown, path: string): boolean {
  try {
    return detect(readFileSync(path), path) !== null;
  } catch {
    return false;
  }
}

async function loadSbom(store: Store, id: string): Promise<{ record: SbomRecord; inventory: Inventory }> {
  const { getSbom, SbomError } = await sbom();
  const found = getSbom(store, id);
  if (!found) throw new SbomError('not-found', `no SBOM ${id} is stored`, { details: { path: 'id', expected: 'the id of a stored SBOM (see sbom.list)' } });
  return found;
}

export function writerMethods(): MethodTable<Store> {
  return {
    'sbom.import': method<Store, { path: string; name?: string }>(z.object({ path: pathArg, name: z.string().max(1024).optional() }).strict(), async (args, ctx): Promise<SbomSummary> => {
      const { importSbom } = await sbom();
      const record = await importSbom(
        ctx.store,
        { path: args.path, ...(args.name ? { name: args.name } : {}) },
        {
          clock: defaultContext.clock,
          signal: ctx.signal,
          onProgress: (p) =>
            ctx.progress({ phase: p.phase, done: SBOM_PHASES.indexOf(p.phase) + (p.phase === 'done' ? 1 : 0), total: SBOM_PHASES.length, ...(p.componentCount !== undefined ? { message: `${p.componentCount} components` } : {}) }),
        },
      );
      return sbomSummary(record);
    }),
    'scan.run': method<Store, { sbomId: string; detection?: DetectionMode }>(z.object({ sbomId: z.string().min(1).max(200), detection: detectionSchema.optional() }).strict(), async (args, ctx): Promise<ScanSummary> => {
      const { scanInventory } = await match();
      ctx.progress({ phase: 'loading SBOM', done: 0 });
      const { record, inventory } = await loadSbom(ctx.store, args.sbomId);
      const r = scanInventory(ctx.store, inventory, {
        subject: record.name,
        sbomId: record.id,
        clock: defaultContext.clock,
        ids: defaultContext.ids,
        ...(args.detection ? { detection: args.detection } : {}),
        signal: ctx.signal,
        onProgress: (done, total) => ctx.progress({ phase: 'matching', done, ...(total !== undefined ? { total } : {}) }),
      });
      return scanSummary({ id: r.id, subject: r.subject, sbomId: r.sbomId, snapshot: r.snapshot, createdAt: r.createdAt, summary: r.summary });
    }),
    'scan.target': method<Store, { path: string; name: string; detection?: DetectionMode }>(z.object({ path: pathArg, name: z.string().min(1).max(1024), detection: detectionSchema.optional() }).strict(), async (args, ctx): Promise<ScanSummary> => {
      const [{ importSbom, detectSbomFormat }, { exportInventory }, { inventoryTarget, detectTargetKind }, { scanInventory }] = await Promise.all([sbom(), sbomExport(), scanner(), match()]);
      ctx.progress({ phase: 'reading target', done: 0 });
      let record: SbomRecord;
      let subject: string | undefined;
      if (detectTargetKind(args.path) === 'file' && isSbomBytes(detectSbomFormat, args.path)) {
        record = await importSbom(ctx.store, { path: args.path, name: args.name }, { clock: defaultContext.clock, signal: ctx.signal });
      } else {
        // Analyze the file under the name it was chosen or uploaded with, so lockfile selectors match it.
        const asName = detectTargetKind(args.path) === 'file' ? { as: args.name } : {};
        const inv = await inventoryTarget(args.path, { store: ctx.store, signal: ctx.signal, ...asName, onProgress: (p) => ctx.progress({ phase: p.phase, done: p.done, ...(p.total !== undefined ? { total: p.total } : {}) }) });
        const exported = exportInventory(inv.inventory, { format: 'cyclonedx-json', specVersion: '1.6' });
        if (inv.image) subject = `${args.name}@${inv.image.digest}`;
        record = await importSbom(ctx.store, { bytes: exported.bytes, name: subject ?? args.name }, { clock: defaultContext.clock, signal: ctx.signal });
      }
      const { inventory } = await loadSbom(ctx.store, record.id);
      const r = scanInventory(ctx.store, inventory, {
        subject: subject ?? record.name,
        sbomId: record.id,
        clock: defaultContext.clock,
        ids: defaultContext.ids,
        ...(args.detection ? { detection: args.detection } : {}),
        signal: ctx.signal,
        onProgress: (done, total) => ctx.progress({ phase: 'matching', done, ...(total !== undefined ? { total } : {}) }),
      });
      return scanSummary({ id: r.id, subject: r.subject, sbomId: r.sbomId, snapshot: r.snapshot, createdAt: r.createdAt, summary: r.summary });
    }),
    'advisories.import': method<Store, { paths: (string | { path: string; uri: string })[]; source?: string }>(
      z.object({ paths: z.array(z.union([pathArg, z.object({ path: pathArg, uri: z.string().min(1).max(4096) }).strict()])).min(1).max(10000), source: z.string().max(100).optional() }).strict(),
      async (args, ctx): Promise<ImportReport> => {
        ctx.progress({ phase: 'importing advisories', done: 0, total: args.paths.length });
        const { importAdvisories } = await advisories();
        const r = await importAdvisories(ctx.store, args.paths, {
          ...(args.source ? { source: args.source } : {}),
          importedAt: defaultContext.clock.nowIso(),
          signal: ctx.signal,
          onProgress: (done, total) => ctx.progress({ phase: 'importing advisories', done, ...(total !== undefined ? { total } : {}) }),
        });
        return { documents: r.documents, new: r.new, unchanged: r.unchanged, superseded: r.superseded, rejected: r.rejected };
      },
    ),
  };
}

export function readerMethods(): MethodTable<Store> {
  return {
    'sbom.list': method<Store, unknown>(requestSchemas['sbom.list'], async (_args, ctx): Promise<SbomSummary[]> => {
      const { listSboms } = await sbom();
      return listSboms(ctx.store).map(sbomSummary);
    }),
    'sbom.get': method<Store, { id: string }>(requestSchemas['sbom.get'], async (args, ctx): Promise<SbomDetail> => {
      const { record, inventory } = await loadSbom(ctx.store, args.id);
      return {
        summary: sbomSummary(record),
        ...(inventory.subject ? { subject: componentRow(inventory.subject) } : {}),
        components: inventory.components.map(componentRow),
        dependencies: inventory.dependencies.map((d) => ({ ref: d.ref, dependsOn: d.dependsOn })),
      };
    }),
    'sbom.export': method<Store, { id: string; format: string; specVersion?: string }>(requestSchemas['sbom.export'], async (args, ctx): Promise<ExportedFile> => {
      const { exportInventory } = await sbomExport();
      const { record, inventory } = await loadSbom(ctx.store, args.id);
      const out = exportInventory(inventory, { format: args.format, ...(args.specVersion ? { specVersion: args.specVersion } : {}) });
      const stem = (record.name || record.id).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 100) || record.id;
      return { fileName: `${stem}${out.extension}`, mediaType: out.mediaType, contentBase64: out.bytes.toString('base64'), digest: out.digest };
    }),
    'scan.list': method<Store, unknown>(requestSchemas['scan.list'], async (_args, ctx): Promise<ScanSummary[]> => {
      const { listScans } = await match();
      return listScans(ctx.store).map(scanSummary);
    }),
    'findings.list': method<Store, { scanId: string }>(requestSchemas['findings.list'], async (args, ctx): Promise<FindingRow[]> => {
      const { getScan } = await match();
      return getScan(ctx.store, args.scanId).findings.map(findingRow);
    }),
    'findings.explain': method<Store, { scanId: string; findingId: string }>(requestSchemas['findings.explain'], async (args, ctx): Promise<FindingExplain> => {
      const { explainFinding, getScan } = await match();
      const { getSnapshot, openAdvisoryView, AdvisoryError } = await advisories();
      const x = explainFinding(ctx.store, args.scanId, args.findingId);
      const scan = getScan(ctx.store, args.scanId);
      let component: ComponentRow | null = null;
      if (scan.sbomId) {
        const { getSbom } = await sbom();
        const inv = getSbom(ctx.store, scan.sbomId)?.inventory;
        const c = inv ? (inv.subject?.ref === x.finding.componentRef ? inv.subject : inv.components.find((k) => k.ref === x.finding.componentRef)) : undefined;
        if (c) component = componentRow(c);
      }
      const view = openAdvisoryView(ctx.store, getSnapshot(ctx.store, x.snapshot));
      return {
        finding: findingRow(x.finding),
        component,
        evidence: x.chain.map((link) => {
          const stored = view.byId(link.advisoryId).find((o) => o.observation.id === link.observationId);
          if (!stored) throw new AdvisoryError('not-found', `observation ${link.observationId} of ${link.advisoryId} is not in snapshot ${x.snapshot}`, { details: { path: 'observationId' } });
          return {
            observation: observationView(stored.observation),
            matchedBy: link.matchedBy,
            ...(link.range ? { range: link.range } : {}),
            ...(link.explicitVersion ? { explicitVersion: link.explicitVersion } : {}),
            comparisons: link.comparisons.map((c) => ({ left: c.left, op: c.op, right: c.right, result: c.result, ...(c.event ? { event: c.event } : {}) })),
            rawExcerpt: link.excerpt.text,
          };
        }),
      };
    }),
    'advisories.snapshot': method<Store, unknown>(requestSchemas['advisories.snapshot'], async (_args, ctx): Promise<SnapshotInfo> => {
      const { currentSnapshot } = await advisories();
      const s = currentSnapshot(ctx.store);
      return {
        id: s.id,
        documentCount: s.documentCount,
        createdAt: s.createdAt,
        sources: s.sources.map((x) => ({ source: x.source, documents: x.documents, observations: x.observations, newestImportAt: x.newestImportAt ?? null })),
      };
    }),
    'advisories.linkset': method<Store, { id: string }>(requestSchemas['advisories.linkset'], async (args, ctx): Promise<LinksetView> => {
      const { getLinkset, AdvisoryError } = await advisories();
      const l = getLinkset(ctx.store, args.id);
      if (!l) throw new AdvisoryError('not-found', `no advisory ${args.id} (by id or alias) in the current snapshot`, { details: { id: args.id } });
      return linksetView(l);
    }),
    'advisories.search': method<Store, { query: string; limit?: number }>(requestSchemas['advisories.search'], async (args, ctx): Promise<AdvisoryHit[]> => {
      const { searchAdvisories } = await advisories();
      const limit = args.limit ?? 50;
      const hits = searchAdvisories(ctx.store, args.query, limit);
      const byId = new Map<string, AdvisoryHit>();
      for (const h of hits) {
        const e = byId.get(h.advisoryId);
        if (!e) {
          byId.set(h.advisoryId, { id: h.advisoryId, aliases: [...h.aliases], sources: [h.source], ...(h.summary ? { summary: h.summary } : {}) });
          continue;
        }
        if (!e.sources.includes(h.source)) e.sources.push(h.source);
        for (const a of h.aliases) if (!e.aliases.includes(a)) e.aliases.push(a);
        if (!e.summary && h.summary) e.summary = h.summary;
      }
      return [...byId.values()].slice(0, limit);
    }),
  };
}

export function observationView(o: Observation): ObservationView {
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

export function linksetView(l: Linkset): LinksetView {
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

export function sbomSummary(r: SbomRecord): SbomSummary {
  return { id: r.id, digest: r.digest, name: r.name, format: r.format, specVersion: r.specVersion, componentCount: r.componentCount, dependencyCount: r.dependencyCount, importedAt: r.importedAt };
}

export function componentRow(c: Component): ComponentRow {
  return {
    ref: c.ref,
    name: c.name,
    ...(c.group !== undefined ? { group: c.group } : {}),
    ...(c.version !== undefined ? { version: c.version } : {}),
    ...(c.purl !== undefined ? { purl: c.purl } : {}),
    type: c.type,
    ...(ecosystemOf(c.purl) ? { ecosystem: ecosystemOf(c.purl) } : {}),
    licenses: c.licenses.map((l) => l.expression ?? l.name ?? l.url ?? '').filter((x) => x !== ''),
    hashes: c.hashes.map((h) => ({ alg: h.alg, content: h.content })),
    ...(c.source ? { source: { name: c.source.name, ...(c.source.version !== undefined ? { version: c.source.version } : {}) } } : {}),
    ...(c.parent !== undefined ? { parent: c.parent } : {}),
    ...(c.layer !== undefined ? { layer: c.layer } : {}),
    locations: c.locations.map((l) => ({ path: l.path, ...(l.layer !== undefined ? { layer: l.layer } : {}) })),
  };
}

/** The purl type (`npm`, `deb`, `pypi` …) — what the UI groups and filters components by. */
function ecosystemOf(purl: string | undefined): string | undefined {
  const m = purl ? /^pkg:([a-zA-Z0-9.+-]+)\//.exec(purl) : null;
  return m?.[1]?.toLowerCase();
}

export function scanSummary(s: Pick<ScanListEntry, 'id' | 'subject' | 'sbomId' | 'snapshot' | 'createdAt' | 'summary'>): ScanSummary {
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
  };
}

export function findingRow(f: Finding): FindingRow {
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
