/**
 * Gathering what an evidence bundle and report.html say about one stored scan: the scan and its SBOM,
 * the advisory snapshot, the VEX that applies, the policy verdict with explain traces, and the replay
 * manifest (the one recorded with the scan, else one derived from the stored records now). Shared by the
 * evidence and report jobs so the page in a bundle and the page on its own are the same page.
 *
 * Which pack judges: the one asked for, else the one the scan's recorded verdict names (found by IR
 * digest among the shipped and imported packs), else the active pack. The evaluation date is the
 * recorded one, else the scan's date — never today's, so an export made next year says what the scan
 * said. VEX is the stored VEX now, through the same lookup the scan's verdict used; with the VEX and the
 * pack unchanged, the bundle's verdict is the scan's.
 */
import { stellaVersion, PACKAGE_NAME, type Digest } from '../../core';
import type { Store } from '../../store';
import { getSnapshot } from '../../advisories/snapshots';
import { getScan, listScans } from '../../match/stored';
import { getSbom } from '../../sbom/store';
import { PolicyEvaluator, evaluateScanResult, explainDecision, latestScanVerdict, requireUsable, type ExplainTrace, type UsablePack } from '../../policy';
import { buildReplayManifest, manifestDigest, recordedManifest, scanOutputs, verdictOutput } from '../../replay';
import { ExportError, type ScanEvidence } from '../../export';
import { checkpoint, type JobContext } from '../context';
import { packByDigest } from './packs';
import { activePack, loadPackInput } from '../policy';
import { scanInputParts } from './replay-inputs';
import { scanVex, vexLookupOf } from './scan-vex';

export interface EvidenceOptions {
  /** A stored scan id, or `latest` (the newest scan). */
  scan: string;
  /** Judge with this pack (`builtin:NAME`, a directory, a .tar.gz, `NAME@VERSION` of an imported pack) instead of the scan's. */
  pack?: string;
  cwd?: string;
}

/** The id of a stored scan, `latest` resolved; a not-found error (exit 4) otherwise. */
export function resolveScanId(store: Store, ref: string): string {
  if (ref === 'latest') {
    const newest = listScans(store)[0];
    if (!newest) throw new ExportError('not-found', 'no scan is stored yet: run stella scan first', { details: { path: 'scan', expected: 'a stored scan' } });
    return newest.id;
  }
  return ref;
}

async function packFor(store: Store, opts: EvidenceOptions, recordedDigest: string | null): Promise<UsablePack> {
  if (opts.pack !== undefined) return requireUsable(await loadPackInput(store, opts.pack, opts.cwd));
  if (recordedDigest !== null) {
    const p = await packByDigest(store, recordedDigest);
    if (!p) throw new ExportError('not-found', `the scan was judged by policy pack ${recordedDigest}, which this workstation does not have; name a pack with --pack`, { details: { path: 'pack', expected: recordedDigest } });
    return p;
  }
  return activePack(store);
}

export async function gatherScanEvidence(store: Store, opts: EvidenceOptions, ctx: JobContext): Promise<ScanEvidence> {
  ctx.onProgress({ phase: 'reading scan', done: 0 });
  const scanId = resolveScanId(store, opts.scan);
  let scan;
  try {
    scan = getScan(store, scanId);
  } catch (cause) {
    throw new ExportError('not-found', `no scan ${scanId} is stored (stella scan makes one; the UI lists them)`, { cause, details: { path: 'scan', expected: 'a stored scan id or latest' } });
  }
  const sbom = scan.sbomId ? getSbom(store, scan.sbomId) : null;
  if (!sbom) throw new ExportError('not-found', `scan ${scan.id} names SBOM ${scan.sbomId ?? '(none)'}, which is not stored`, { details: { path: 'sbomId' } });
  const snapshot = getSnapshot(store, scan.snapshot);
  const recorded = recordedManifest(store, scan.id);
  await checkpoint(ctx);

  ctx.onProgress({ phase: 'applying VEX', done: 0, total: scan.findings.length });
  const vex = scanVex(store, scan.findings);
  await checkpoint(ctx);

  ctx.onProgress({ phase: 'evaluating policy', done: 0, total: scan.findings.length });
  const verdict = latestScanVerdict(store, scan.id);
  const pack = await packFor(store, opts, recorded?.manifest.inputs.policy?.digest ?? verdict?.pack.digest ?? null);
  const evaluationDate = recorded?.manifest.inputs.evaluationDate ?? verdict?.evaluationDate ?? scan.createdAt.slice(0, 10);
  // env.* values only a recorded scan remembers (stored verdicts do not keep them)
  const env = recorded?.manifest.inputs.policy?.env ?? {};
  const { input: evaluatedInput, ...evaluation } = await evaluateScanResult(scan, pack, { evaluationDate, env, inventory: sbom.inventory, vex: vexLookupOf(scan.findings, vex) });
  const evaluator = new PolicyEvaluator(pack.ir, { evaluationDate, env, exceptions: pack.exceptions });
  const explain: ExplainTrace[] = [];
  for (const [i, d] of evaluation.findings.entries()) {
    if (d.verdict === 'PASS') continue;
    const input = evaluatedInput.findings[i];
    if (input) explain.push(explainDecision(evaluator, input, { locations: pack.compiled.locations }));
    if (i % 256 === 255) await checkpoint(ctx);
  }
  ctx.onProgress({ phase: 'evaluating policy', done: scan.findings.length, total: scan.findings.length });

  let replay: ScanEvidence['replay'];
  if (recorded) replay = { manifest: recorded.manifest, digest: recorded.digest, recorded: true };
  else {
    // Not recorded with the scan: describe it now from the stored records, with the verdict this bundle carries.
    const inputs = await scanInputParts(store, scan, sbom, { kind: 'unrecorded', image: null, inventoried: false }, {
      vex: vex.set,
      policy: { name: pack.manifest.name, version: pack.manifest.version, digest: pack.digest as Digest, source: pack.source, env },
      evaluationDate,
    });
    const manifest = buildReplayManifest({ id: scan.id, subject: scan.subject, createdAt: scan.createdAt, sbomId: sbom.record.id }, inputs, scanOutputs(scan, verdictOutput(evaluation)));
    replay = { manifest, digest: manifestDigest(manifest), recorded: false };
  }
  return {
    scan,
    sbom: { record: sbom.record, inventory: sbom.inventory },
    snapshot,
    vex: { statements: vex.statements, byFinding: vex.byFinding },
    policy: { pack, evaluation, explain },
    replay,
    engine: { name: PACKAGE_NAME, version: stellaVersion() },
  };
}
