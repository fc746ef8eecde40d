/**
 * The verdict of a scan: the active pack (or the one the user names) evaluated over the scan's
 * findings with the stored VEX, recorded with the scan (`policy_scan_verdicts`: verdict, pack digest,
 * VEX set digest, the rules that decided it) and audited — in the caller's transaction. The scan jobs
 * call it right after matching, so `stella scan`, a re-scan and the app's scan channels give one
 * verdict; `reevaluateScansJob` records a fresh one for stored scans after VEX or the active pack changed.
 */
import type { Inventory } from '../core';
import type { Store } from '../store';
import type { ScanResult } from '../match/scan';
import { appendAudit } from '../audit';
import { vexSetDigest } from '../vex/query';
import {
  activePackRef,
  evaluateScanInput,
  latestScanVerdict,
  latestScanVerdicts,
  requireUsable,
  recordScanVerdict,
  scanInput,
  storedVexLookup,
  type DecidingRule,
  type EnvValue,
  type FindingDecision,
  type PolicyEvaluation,
  type StoredScanVerdict,
  type UsablePack,
  type Verdict,
  type VexLookup,
} from '../policy';
import { checkpoint, type JobContext } from './context';
import { activePack, evaluationDate, loadPackInput, rememberPreparedScan, type EvaluatedVex, type PackInput } from './policy';

export interface ScanPolicyOptions {
  /** The pack to judge by; default the active pack. */
  policy?: PackInput;
  /** ISO date of the evaluation; default the job clock's date. */
  evaluationDate?: string;
  env?: Record<string, EnvValue>;
  /** Relative pack paths resolve against this. */
  cwd?: string;
}

/** A scan's verdict as the scan jobs return it: the stored record plus every finding's decision. */
export interface ScanVerdict {
  verdict: Verdict;
  pack: { name: string; version: string; digest: string; source: string };
  evaluationDate: string;
  vex: EvaluatedVex;
  counts: Record<Verdict, number>;
  rules: DecidingRule[];
  unknowns: PolicyEvaluation['unknowns'];
  /** One per finding, in the scan's finding order. */
  findings: FindingDecision[];
  /** When it was recorded (the job clock). */
  evaluatedAt: string;
}

/** The rules that gave the scan its verdict: those that decided findings with that verdict, most findings first. */
export function decidingRules(r: PolicyEvaluation): DecidingRule[] {
  const by = new Map<string, DecidingRule>();
  for (const d of r.findings) {
    if (d.verdict !== r.findingsVerdict) continue;
    const key = `${d.rule ?? ''}\u0000${d.because ?? ''}`;
    const e = by.get(key);
    if (e) e.findings++;
    else by.set(key, { rule: d.rule, because: d.because, findings: 1 });
  }
  const rules = [...by.values()].sort((a, b) => b.findings - a.findings || (a.rule ?? '').localeCompare(b.rule ?? ''));
  if (r.verdict !== r.findingsVerdict && r.unknowns.exceeded) {
    rules.unshift({ rule: null, because: `unknowns budget exceeded: ${r.unknowns.total} unknowns, budget ${r.unknowns.budget ?? 0}`, findings: 0 });
  }
  return rules;
}

async function packFor(store: Store, opts: ScanPolicyOptions): Promise<UsablePack> {
  return opts.policy === undefined ? activePack(store) : requireUsable(await loadPackInput(store, opts.policy, opts.cwd));
}

/**
 * Evaluate a scan that was just stored (or is stored) and record its verdict. Call inside the
 * transaction that stored the scan (the caller audits it there too): the verdict commits with it or
 * not at all.
 */
export async function evaluateScanVerdict(store: Store, scan: ScanResult, inventory: Inventory | undefined, opts: ScanPolicyOptions, ctx: JobContext, vex: VexLookup = storedVexLookup(store)): Promise<ScanVerdict> {
  const pack = await packFor(store, opts);
  const date = evaluationDate(opts, ctx);
  ctx.onProgress({ phase: 'evaluating policy', done: 0, total: scan.findings.length });
  await checkpoint(ctx);
  const input = await scanInput(scan, inventory, vex);
  await checkpoint(ctx);
  const r = evaluateScanInput(input, pack, { evaluationDate: date, env: opts.env ?? {} });
  rememberPreparedScan(store, scan.id, vex, input, { id: scan.id, subject: scan.subject, ...(scan.sbomId ? { sbomId: scan.sbomId } : {}) });
  const record: StoredScanVerdict = {
    scanId: scan.id,
    verdict: r.verdict,
    pack: { ...r.pack, digest: pack.digest },
    evaluationDate: date,
    vexSetDigest: (vex.setDigest ?? '') as StoredScanVerdict['vexSetDigest'],
    counts: { PASS: r.counts.PASS, WARN: r.counts.WARN, BLOCKED: r.counts.BLOCKED },
    rules: decidingRules(r),
    evaluatedAt: ctx.clock.nowIso(),
  };
  recordScanVerdict(store, record);
  ctx.onProgress({ phase: 'evaluating policy', done: scan.findings.length, total: scan.findings.length });
  return {
    verdict: r.verdict,
    pack: r.pack,
    evaluationDate: date,
    vex: { lookup: vex.name, setDigest: vex.setDigest ?? null },
    counts: record.counts,
    rules: record.rules,
    unknowns: r.unknowns,
    findings: r.findings,
    evaluatedAt: record.evaluatedAt,
  };
}

export interface ReevaluateScansInput extends ScanPolicyOptions {
  /** Stored scan ids; default every stored scan. */
  scanIds?: string[];
}

export interface ReevaluateScansResult {
  scans: { scanId: string; before: Verdict | null; after: Verdict }[];
  pack: { name: string; version: string; digest: string; source: string } | null;
  vex: EvaluatedVex;
}

/**
 * Record a fresh verdict for stored scans (after VEX was imported or triaged, or another pack became
 * active). One transaction: a cancelled re-evaluation records nothing.
 */
export async function reevaluateScansJob(store: Store, input: ReevaluateScansInput, ctx: JobContext): Promise<ReevaluateScansResult> {
  const { getScan, listScans } = await import('../match/stored');
  const ids = input.scanIds?.length ? input.scanIds : listScans(store).map((s) => s.id);
  const vex = storedVexLookup(store);
  const { getSbom } = await import('../sbom/store');
  return store.writeAsync(async () => {
    const scans: ReevaluateScansResult['scans'] = [];
    let pack: ReevaluateScansResult['pack'] = null;
    for (const [i, id] of ids.entries()) {
      ctx.onProgress({ phase: 're-evaluating scans', done: i, total: ids.length });
      await checkpoint(ctx);
      const before = latestScanVerdict(store, id)?.verdict ?? null;
      const scan = getScan(store, id);
      const inventory = scan.sbomId ? (getSbom(store, scan.sbomId)?.inventory ?? undefined) : undefined;
      const v = await evaluateScanVerdict(store, scan, inventory, input, ctx, vex);
      appendAudit(store, { kind: 'scan.evaluated', subject: id, details: verdictAuditDetails(v, before) }, ctx);
      pack = v.pack;
      scans.push({ scanId: id, before, after: v.verdict });
    }
    ctx.onProgress({ phase: 're-evaluating scans', done: ids.length, total: ids.length });
    return { scans, pack, vex: { lookup: vex.name, setDigest: vex.setDigest } };
  });
}

/** What an audit entry says about a verdict. */
export function verdictAuditDetails(v: ScanVerdict, before?: Verdict | null): Record<string, unknown> {
  return {
    verdict: v.verdict,
    ...(before !== undefined ? { before } : {}),
    pack: `${v.pack.name}@${v.pack.version}`,
    packDigest: v.pack.digest,
    packSource: v.pack.source,
    evaluationDate: v.evaluationDate,
    vexSetDigest: v.vex.setDigest,
    counts: v.counts,
  };
}

/**
 * The newest verdict of every stored scan that has one, and whether it is `current`: made with the pack
 * active now and the VEX stored now (else a re-evaluation would record another verdict).
 */
export async function storedScanVerdicts(store: Store): Promise<Map<string, StoredScanVerdict & { current: boolean }>> {
  const all = latestScanVerdicts(store);
  const out = new Map<string, StoredScanVerdict & { current: boolean }>();
  if (!all.size) return out;
  const active = await activePackRef(store);
  const vex = vexSetDigest(store);
  for (const [id, v] of all) out.set(id, { ...v, current: v.pack.digest === active.digest && v.vexSetDigest === vex });
  return out;
}
