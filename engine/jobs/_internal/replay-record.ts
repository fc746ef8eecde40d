/** Recording a scan's replay manifest (the scan job's `record` option): built from the scan just made, stored with it. */
import type { Digest, Inventory } from '../../core';
import type { Store } from '../../store';
import type { ScanResult } from '../../match/scan';
import type { SbomRecord } from '../../sbom/store';
import { buildReplayManifest, saveRecordedManifest, scanOutputs, verdictOutput, type ReplayManifest } from '../../replay';
import type { JobContext } from '../context';
import type { ScanVerdict } from '../scan-verdict';
import { scanInputParts, type ScanTarget } from './replay-inputs';
import { vexSet } from './scan-vex';

export interface RecordedReplay {
  manifest: ReplayManifest;
  digest: Digest;
}

/** Build and store (in the caller's transaction) the manifest of a scan that was just made. */
export async function recordReplay(
  store: Store,
  scan: ScanResult,
  sbom: { record: SbomRecord; inventory: Inventory },
  target: ScanTarget,
  verdict: ScanVerdict,
  env: Record<string, string | number | boolean>,
  ctx: Pick<JobContext, 'onProgress'>,
): Promise<RecordedReplay> {
  ctx.onProgress({ phase: 'recording replay manifest', done: 0, total: 1 });
  // The verdict is an output too: its pack (by IR digest), date and VEX set are inputs.
  const set = vexSet(store);
  const inputs = await scanInputParts(store, scan, sbom, target, {
    vex: { ...set, setDigest: (verdict.vex.setDigest ?? set.setDigest) as Digest },
    policy: { name: verdict.pack.name, version: verdict.pack.version, digest: verdict.pack.digest as Digest, source: verdict.pack.source, env },
    evaluationDate: verdict.evaluationDate,
  });
  const manifest = buildReplayManifest({ id: scan.id, subject: scan.subject, createdAt: scan.createdAt, sbomId: sbom.record.id }, inputs, scanOutputs(scan, verdictOutput(verdict)));
  const digest = saveRecordedManifest(store, manifest, scan.createdAt);
  ctx.onProgress({ phase: 'recording replay manifest', done: 1, total: 1 });
  return { manifest, digest };
}
