/**
 * Evaluating a scan result — what the scan jobs (`stella scan`, the app's scan channels) and the policy
 * jobs call: the scan JSON's `verdict` and per-finding `policy` field, the stored scan verdict.
 */
import type { Inventory } from '../core';
import { PolicyEvaluator, type EnvValue, type FindingDecision, type PolicyEvaluation } from './evaluate';
import { NO_VEX_LOOKUP, scanInput, type PolicyScanInput, type ScanLike, type VexLookup } from './input';
import type { UsablePack } from './pack';

export interface EvaluateScanOptions {
  evaluationDate: string;
  env?: Readonly<Record<string, EnvValue>>;
  /** The scanned SBOM's inventory: component scope/declared/type, SBOM tags, components without purl. */
  inventory?: Inventory;
  /** VEX consensus; default none (see `VexLookup`). */
  vex?: VexLookup;
}

export interface ScanPolicyResult extends PolicyEvaluation {
  pack: { name: string; version: string; digest: string; source: string };
  /** The input that was evaluated (explain traces re-use it). */
  input: PolicyScanInput;
}

/** Evaluate a pack over a scan's prepared input (what `scanInput` built, possibly kept from before). */
export function evaluateScanInput(input: PolicyScanInput, pack: UsablePack, opts: Pick<EvaluateScanOptions, 'evaluationDate' | 'env'>): PolicyEvaluation & { pack: ScanPolicyResult['pack'] } {
  const ev = new PolicyEvaluator(pack.ir, { evaluationDate: opts.evaluationDate, env: opts.env ?? {}, exceptions: pack.exceptions });
  return { ...ev.evaluate(input), pack: { name: pack.manifest.name, version: pack.manifest.version, digest: pack.digest, source: pack.source } };
}

/** Evaluate a pack over a scan result (stored, or fresh from the scan job). */
export async function evaluateScanResult(scan: ScanLike, pack: UsablePack, opts: EvaluateScanOptions): Promise<ScanPolicyResult> {
  const input = await scanInput(scan, opts.inventory, opts.vex ?? NO_VEX_LOOKUP);
  const ev = new PolicyEvaluator(pack.ir, { evaluationDate: opts.evaluationDate, env: opts.env ?? {}, exceptions: pack.exceptions });
  return { ...ev.evaluate(input), pack: { name: pack.manifest.name, version: pack.manifest.version, digest: pack.digest, source: pack.source }, input };
}

/** The per-finding `policy` field of the scan JSON. */
export function findingPolicyField(d: FindingDecision): { status: FindingDecision['status']; rule: string | null; because: string | null } {
  return { status: d.status, rule: d.rule, because: d.because };
}
