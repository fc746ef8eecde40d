/**
 * Jobs: scan a target, and re-scan a stored SBOM. Every host (`stella scan`, the app's `scan.target` and
 * `scan.run` channels) calls these, so the pipeline — SBOM or inventory → stored SBOM → match → stored
 * scan — and the subject's name exist once.
 *
 * A target that is an SBOM (by content) is imported as it is; anything else (image tar, OCI layout, root
 * filesystem, lockfile, package database) is inventoried and its inventory stored as a CycloneDX 1.6 SBOM.
 * Then the scan is judged: the active pack (or `policy`) over its findings with the stored VEX gives the
 * verdict, recorded with the scan (scan-verdict.ts). The SBOM import, the matching, the scan record, the
 * verdict and their audit entries commit in ONE transaction: a cancelled or failed scan leaves the store
 * as it was (only content-addressed blobs nothing refers to may remain).
 */
import { basename } from 'node:path';
import type { Inventory } from '../core';
import type { Store } from '../store';
import type { ScanIssue, TargetKind } from '../scanner';
import type { FeedAge } from '../export/kit-status';
import { AdvisoryError } from '../advisories/errors';
import { hasAdvisories } from '../advisories/snapshots';
import type { SbomRecord } from '../sbom/store';
import { scanInventory, type ScanResult } from '../match/scan';
import type { DetectionMode } from '../match/targets';
import { appendAudit } from '../audit';
import { checkpoint, type JobContext } from './context';
import { importSbomAudited, storedSbom } from './import-sbom';
import { evaluateScanVerdict, verdictAuditDetails, type ScanPolicyOptions, type ScanVerdict } from './scan-verdict';
import { inventoryJob } from './inventory';
import { requireStoredSbom } from './read';
import { scanSubject } from './_internal/subject';
import { isSbomFile } from './_internal/target';
import { recordReplay, type RecordedReplay } from './_internal/replay-record';
import type { ScanTarget } from './_internal/replay-inputs';

export interface ScanJobOptions extends ScanPolicyOptions {
  /** Scan as of this recorded advisory snapshot (default: the current advisories). */
  asOf?: string;
  /** Also match components by CPE (off by default: CPE matching is coarse). */
  cpe?: boolean;
  /** Record a replay manifest of the scan (stored with it, returned as `replay`; `stella scan --record`). */
  record?: boolean;
  /**
   * `comprehensive`: also match language packages an OS package of the distro installed (default: they are
   * matched only through that OS package's advisories); their findings carry `ownedBy`.
   */
  detection?: DetectionMode;
}

export interface ScanTargetInput extends ScanJobOptions {
  /** SBOM file, image tar (docker-archive / OCI), OCI layout directory, root filesystem, or one lockfile / database. */
  path: string;
  /** The name the user knows the target by (an upload's name); default the file name of `path`. */
  name?: string;
  /** With a single file: analyze it as if it stood at this path; the file is then never read as an SBOM. */
  as?: string;
  /** Analyzer plug-in folder (default: the installation's plugins/, or $STELLA_PLUGINS_DIR). */
  pluginsDir?: string;
}

export interface RescanSbomInput extends ScanJobOptions {
  /** Id or digest of a stored SBOM. */
  sbomId: string;
}

export interface ScanJobResult {
  /** What was scanned: an SBOM file, a target that was inventoried first (its kind), or a stored SBOM. */
  target: 'sbom' | 'stored-sbom' | TargetKind;
  /** The stored SBOM that was matched (for an inventoried target: its inventory as CycloneDX). */
  sbom: SbomRecord;
  /** The stored scan: subject, snapshot, summary and findings. */
  scan: ScanResult;
  /** SBOM parse warnings the host shows beside the result. */
  warnings: string[];
  /** Inventory issues (unreadable files, partial analyzer results) for an inventoried target. */
  issues: ScanIssue[];
  /** The verdict (active pack or `policy`, stored VEX), as recorded with the scan. */
  policy: ScanVerdict;
  /** The replay manifest, when the scan was recorded (`record: true`); stored with the scan. */
  replay?: RecordedReplay;
  /** How old the advisory data behind the scan is (current snapshot); null for a scan `asOf` a recorded snapshot. */
  feedAge: FeedAge | null;
}

/** Refuse before any work when there is nothing to match against (exit 4). */
function requireAdvisories(store: Store, opts: ScanJobOptions): void {
  if (opts.asOf === undefined && !hasAdvisories(store)) {
    throw new AdvisoryError('no-advisories', 'no advisories are loaded — import some with `stella advisories import`', { details: { expected: 'at least one imported advisory document' } });
  }
}

export async function scanTargetJob(store: Store, input: ScanTargetInput, ctx: JobContext): Promise<ScanJobResult> {
  ctx.onProgress({ phase: 'reading target', done: 0 });
  requireAdvisories(store, input);
  const name = input.name ?? basename(input.path);
  if (input.as === undefined && isSbomFile(input.path)) {
    const r = await store.writeAsync(async () => {
      const record = await importSbomAudited(store, { path: input.path, name }, ctx);
      return scanStored(store, storedSbom(store, record.id), 'sbom', [], input, ctx, { kind: 'sbom', image: null, inventoried: false });
    });
    return afterScan(store, r, input, ctx);
  }
  // Inventory runs outside the scan's transaction: it can take a while on a big image, and the only
  // thing it writes is the layer cache, whose entries are complete on their own.
  const inv = await inventoryJob(store, { path: input.path, name, ...(input.as !== undefined ? { as: input.as } : {}), ...(input.pluginsDir !== undefined ? { pluginsDir: input.pluginsDir } : {}) }, ctx);
  await checkpoint(ctx);
  const { exportInventory } = await import('../sbom/export');
  const exported = exportInventory(inv.inventory, { format: 'cyclonedx-json', specVersion: '1.6' });
  // An image's SBOM is listed under the image digest, the name its users know it by.
  const recordName = inv.image ? `${name}@${inv.image.digest}` : name;
  const r = await store.writeAsync(async () => {
    const record = await importSbomAudited(store, { bytes: exported.bytes, name: recordName }, ctx);
    return scanStored(store, storedSbom(store, record.id), inv.kind, inv.issues, input, ctx, {
      kind: inv.kind,
      image: inv.image,
      inventoried: true,
      ...(input.pluginsDir !== undefined ? { pluginsDir: input.pluginsDir } : {}),
    });
  });
  return afterScan(store, r, input, ctx);
}

export async function rescanSbomJob(store: Store, input: RescanSbomInput, ctx: JobContext): Promise<ScanJobResult> {
  ctx.onProgress({ phase: 'loading SBOM', done: 0 });
  requireAdvisories(store, input);
  const found = requireStoredSbom(store, input.sbomId);
  const r = await store.writeAsync(() => scanStored(store, found, 'stored-sbom', [], input, ctx, { kind: 'stored-sbom', image: null, inventoried: false }));
  return afterScan(store, r, input, ctx);
}

/**
 * After the scan committed: the age of the data it used (shown in every scan header), a
 * `scan.completed` notification, `policy.blocked` when its verdict is BLOCKED, and `feed.stale` (once a
 * day) when that data is stale.
 */
async function afterScan(store: Store, r: Omit<ScanJobResult, 'feedAge'>, opts: ScanJobOptions, ctx: JobContext): Promise<ScanJobResult> {
  const [{ feedAge }, notify] = await Promise.all([import('../export/kit-status'), import('../notify')]);
  const age = opts.asOf === undefined ? feedAge(store, ctx.clock.nowMs()) : null;
  const s = r.scan.summary;
  notify.raiseNotification(store, notify.scanCompletedEvent({ id: r.scan.id, subject: r.scan.subject, findings: s.findings, bySeverity: s.bySeverity, kev: s.kev, fixable: s.fixable }), ctx);
  if (r.policy.verdict === 'BLOCKED') {
    const byId = new Map(r.scan.findings.map((f) => [f.id, f]));
    notify.raiseNotification(
      store,
      notify.policyBlockedEvent({
        scanId: r.scan.id,
        subject: r.scan.subject,
        pack: r.policy.pack.name,
        verdict: r.policy.verdict,
        blocking: r.policy.findings
          .filter((d) => d.verdict === 'BLOCKED')
          .map((d) => ({ vulnerabilityId: d.vulnerabilityId, severity: byId.get(d.findingId)?.severity.level ?? 'unknown', kev: byId.get(d.findingId)?.kev ?? false, rule: d.rule ?? '(default)' })),
      }),
      ctx,
    );
  }
  if (age?.stale && age.snapshot && age.asOf && age.ageDays !== null) {
    notify.raiseNotification(store, notify.feedStaleEvent({ snapshot: age.snapshot, asOf: age.asOf, ageDays: age.ageDays, staleAfterDays: age.staleAfterDays, day: ctx.clock.nowIso().slice(0, 10) }), ctx);
  }
  return { ...r, feedAge: age };
}

async function scanStored(
  store: Store,
  sbom: { record: SbomRecord; inventory: Inventory; warnings: string[] },
  target: ScanJobResult['target'],
  issues: ScanIssue[],
  opts: ScanJobOptions,
  ctx: JobContext,
  scanned: ScanTarget,
): Promise<Omit<ScanJobResult, 'feedAge'>> {
  // Matching reads the inventory as stored (not as parsed), so a re-scan of the stored SBOM sees exactly
  // what the first scan saw, and every host gets byte-identical findings.
  const scan = await scanInventory(store, sbom.inventory, {
    subject: scanSubject(sbom.record, sbom.inventory),
    sbomId: sbom.record.id,
    ...(opts.asOf !== undefined ? { snapshot: opts.asOf } : {}),
    clock: ctx.clock,
    ids: ctx.ids,
    cpe: opts.cpe === true,
    ...(opts.detection !== undefined ? { detection: opts.detection } : {}),
    signal: ctx.signal,
    onProgress: (done, total) => ctx.onProgress({ phase: 'matching', done, ...(total !== undefined ? { total } : {}) }),
  });
  const policy = await evaluateScanVerdict(store, scan, sbom.inventory, opts, ctx);
  appendAudit(
    store,
    { kind: 'scan.completed', subject: scan.id, details: { subject: scan.subject, sbomId: sbom.record.id, snapshot: scan.snapshot, findings: scan.findings.length, ...verdictAuditDetails(policy) } },
    ctx,
  );
  const replay = opts.record === true ? await recordReplay(store, scan, sbom, scanned, policy, opts.env ?? {}, ctx) : undefined;
  return { target, sbom: sbom.record, scan, warnings: sbom.warnings, issues, policy, ...(replay ? { replay } : {}) };
}
