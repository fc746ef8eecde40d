/**
 * Job: replay a recorded scan. Reads a replay manifest (`stella scan --record`), finds every input it
 * names in the store — the SBOM as stored, the advisory snapshot, the policy pack by IR digest — re-runs
 * the matching (and the policy evaluation, when the scan had a verdict) exactly as recorded, and compares
 * the outputs with the recorded digests: `identical`, or `different` with the JSON pointer of the first
 * difference (found inside the stored scan's outputs when they still have the recorded digests).
 *
 * VEX: consensus is computed from the VEX the store holds now; when that set is not the recorded one
 * (its digest differs: documents imported or trust changed since), the `vex` input is reported
 * `different` and the verdict may differ with it — the store does not yet keep earlier VEX sets apart.
 *
 * Nothing is written. Inputs the store no longer has are a `ReplayError('inputs-missing')` (exit 4)
 * listing all of them. `snapshot` replays against another advisory snapshot (an id, or `current`):
 * the scan as it would come out with those advisories, reported as an `overridden` input.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { digestJson, fixedClock, type Digest, type IdSource } from '../core';
import type { Store } from '../store';
import { currentSnapshot, getSnapshot, type SnapshotInfo } from '../advisories/snapshots';
import { scanInventory } from '../match/scan';
import { getScan } from '../match/stored';
import { getSbom } from '../sbom/store';
import {
  MAX_MANIFEST_BYTES,
  ReplayError,
  compareReplay,
  engineIdentity,
  manifestDigest,
  readReplayManifest,
  recordedManifest,
  scanOutputs,
  type InputName,
  type ReplayInputs,
  type ReplayManifest,
  type ReplayReport,
  type ScanOutputs,
  type VerdictOutput,
  verdictOutput,
} from '../replay';
import { checkpoint, type JobContext } from './context';
import { packByDigest } from './_internal/packs';
import { analyzersOf } from './_internal/replay-inputs';
import { scanVex, vexLookupOf } from './_internal/scan-vex';
import { evaluateScanResult } from '../policy/scan';

export interface ReplayJobInput {
  /** A manifest file (`stella scan --record FILE`), or `scan:ID` for the manifest recorded with a stored scan. */
  manifest: string;
  /** Replay against this advisory snapshot instead of the recorded one (`current` = the store's current state). */
  snapshot?: string;
}

export type ReplayJobResult = ReplayReport;

function readManifestFile(path: string): ReplayManifest {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (cause) {
    throw new ReplayError('invalid-manifest', `${path}: cannot read (${(cause as Error).message}); expected a replay manifest file`, { cause, details: { file: path } });
  }
  if (size > MAX_MANIFEST_BYTES) {
    throw new ReplayError('invalid-manifest', `${path}: ${size} bytes is larger than the ${MAX_MANIFEST_BYTES}-byte limit for a replay manifest`, { details: { file: path, expected: `at most ${MAX_MANIFEST_BYTES} bytes` } });
  }
  return readReplayManifest(readFileSync(path), basename(path));
}

function loadManifest(store: Store, ref: string): ReplayManifest {
  if (ref.startsWith('scan:')) {
    const id = ref.slice('scan:'.length);
    const rec = recordedManifest(store, id);
    if (!rec) throw new ReplayError('inputs-missing', `scan ${id} has no recorded replay manifest (scan with --record)`, { details: { path: 'manifest', expected: 'a scan recorded with --record' } });
    return rec.manifest;
  }
  return readManifestFile(ref);
}

/** A fixed id source: the replayed scan carries the recorded id (ids are not outputs, but keep it recognisable). */
function sameId(id: string): IdSource {
  return { next: () => id };
}

export async function replayJob(store: Store, input: ReplayJobInput, ctx: JobContext): Promise<ReplayJobResult> {
  ctx.onProgress({ phase: 'reading manifest', done: 0 });
  const manifest = loadManifest(store, input.manifest);
  const recorded = manifest.inputs;
  const missing: string[] = [];
  const overridden = new Set<InputName>();

  const sbom = getSbom(store, recorded.sbom.id);
  if (!sbom) missing.push(`SBOM ${recorded.sbom.id} (${recorded.sbom.digest}) is not stored`);

  let snapshot: SnapshotInfo | undefined;
  const wanted = input.snapshot ?? recorded.advisories.snapshot;
  try {
    snapshot = wanted === 'current' ? currentSnapshot(store) : getSnapshot(store, wanted);
    if (snapshot.id === null) throw new Error('no advisories are loaded');
  } catch (e) {
    snapshot = undefined;
    missing.push(`advisory snapshot ${wanted} is not recorded in this store (${(e as Error).message})`);
  }
  if (input.snapshot !== undefined) overridden.add('advisories');

  const pack = recorded.policy ? await packByDigest(store, recorded.policy.digest) : null;
  if (recorded.policy && !pack) missing.push(`policy pack ${recorded.policy.name}@${recorded.policy.version} (${recorded.policy.digest}) is not available`);
  if (recorded.policy && recorded.evaluationDate === null) missing.push('the evaluation date of the recorded verdict');

  if (missing.length || !sbom || !snapshot) {
    throw new ReplayError('inputs-missing', `cannot replay scan ${manifest.scan.id}: ${missing.join('; ')}`, { details: { missing, expected: 'the inputs the manifest names, in this store' } });
  }
  await checkpoint(ctx);

  // Matching exactly as recorded: the stored inventory, the snapshot, the options; time and id from the record.
  const scan = await scanInventory(store, sbom.inventory, {
    subject: manifest.scan.subject,
    sbomId: sbom.record.id,
    snapshot: snapshot.id as string,
    clock: fixedClock(manifest.scan.createdAt),
    ids: sameId(manifest.scan.id),
    cpe: recorded.options.cpe,
    detection: recorded.options.detection,
    persist: false,
    signal: ctx.signal,
    onProgress: (done, total) => ctx.onProgress({ phase: 'matching', done, ...(total !== undefined ? { total } : {}) }),
  });
  await checkpoint(ctx);

  // VEX as the store has it now: the set's digest says whether that is the set the scan was judged with.
  const vex = recorded.vex ? scanVex(store, scan.findings) : null;
  let verdict: VerdictOutput | null = null;
  if (pack && recorded.policy && recorded.evaluationDate !== null) {
    ctx.onProgress({ phase: 'evaluating policy', done: 0, total: scan.findings.length });
    const evaluation = await evaluateScanResult(scan, pack, { evaluationDate: recorded.evaluationDate, env: recorded.policy.env, inventory: sbom.inventory, ...(vex ? { vex: vexLookupOf(scan.findings, vex) } : {}) });
    verdict = verdictOutput(evaluation);
  }

  const replayedInputs: ReplayInputs = {
    sbom: { id: sbom.record.id, name: sbom.record.name, digest: sbom.record.digest, format: sbom.record.format, specVersion: sbom.record.specVersion, inventoryDigest: digestJson(sbom.inventory) },
    // The target is not inventoried again: the stored SBOM (its output) is what is re-matched.
    target: recorded.target,
    // reported, not used: the analyzers would only matter if the target were inventoried again
    plugins: recorded.plugins ? await analyzersOf(undefined) : null,
    advisories: { snapshot: snapshot.id as Digest, documentCount: snapshot.documentCount, createdAt: snapshot.createdAt },
    vex: vex ? vex.set : null,
    policy: pack && recorded.policy ? { name: pack.manifest.name, version: pack.manifest.version, digest: pack.digest, source: recorded.policy.source, env: recorded.policy.env } : null,
    evaluationDate: recorded.evaluationDate,
    options: { cpe: recorded.options.cpe, detection: recorded.options.detection },
  };
  const outputs: ScanOutputs = scanOutputs(scan, verdict);

  // The recorded outputs, when the scan is still stored (compareReplay uses a member only if its digest is the recorded one).
  let original: Partial<ScanOutputs> | null = null;
  try {
    const stored = getScan(store, manifest.scan.id);
    original = { findings: stored.findings, summary: stored.summary };
  } catch {
    original = null;
  }
  ctx.onProgress({ phase: 'comparing', done: 1, total: 1 });
  return compareReplay(manifest, manifestDigest(manifest), { inputs: { engine: engineIdentity(), inputs: replayedInputs }, outputs }, original, overridden);
}
