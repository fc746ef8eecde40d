/** Recording a scan's replay manifest (the scan job's `record` option): built from the scan just made, stored with it. */
import type { Digest, Inventory } from '../../core';
import type { Store } from '../../store';
import type { ScanResult } from '../../match/scan';
import type { SbomRecord } from '../../sbom/store';
import { buildReplayManifest, saveRecordedManifest, scanOutputs, type ReplayManifest } from '../../replay';
import type { JobContext } from '../context';
import { scanInputParts, type ScanTarget } from './replay-inputs';

export interface RecordedReplay {
  manifest: ReplayManifest;
  digest: Digest;
}

/** Build and store (in the caller's transaction) the manifest of a scan that was just made. */
export async function recordReplay(store: Store, scan: ScanResult, sbom: { record: SbomRecord; inventory: Inventory }, target: ScanTarget, ctx: Pick<JobContext, 'onProgress'>): Promise<RecordedReplay> {
  ctx.onProgress({ phase: 'recording replay manifest', done: 0, total: 1 });
  // Until the scan carries a verdict, its outputs depend on neither VEX nor a policy pack.
  const inputs = await scanInputParts(store, scan, sbom, target, { vex: null, policy: null, evaluationDate: null });
  const manifest = buildReplayManifest({ id: scan.id, subject: scan.subject, createdAt: scan.createdAt, sbomId: sbom.record.id }, inputs, scanOutputs(scan, null));
  const digest = saveRecordedManifest(store, manifest, scan.createdAt);
  ctx.onProgress({ phase: 'recording replay manifest', done: 1, total: 1 });
  return { manifest, digest };
}
