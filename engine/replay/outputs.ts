/**
 * What a scan produced, as one document: `{findings, summary, verdict}`. The manifest records the
 * digest of each member (canonical JSON); replay rebuilds the document and compares. The scan's id and
 * creation time are not outputs (a replay is a new run), and neither is anything a host adds.
 */
import { digestJson, type Digest, type Finding } from '../core';
import type { ScanResult, ScanSummary } from '../match/scan';
import type { FindingDecision, PolicyEvaluation } from '../policy/evaluate';
import type { ReplayOutputDigests } from './manifest';

/**
 * A scan's verdict as an output: the verdict, the pack (by IR digest) and date that made it, the counts,
 * the unknowns and every finding's decision — what both a stored scan verdict and a fresh evaluation
 * carry, so the recorded and the replayed one compare field by field.
 */
export interface VerdictOutput {
  verdict: PolicyEvaluation['verdict'];
  evaluationDate: string;
  pack: { name: string; version: string; digest: string };
  counts: { PASS: number; WARN: number; BLOCKED: number };
  unknowns: PolicyEvaluation['unknowns'];
  findings: FindingDecision[];
}

export interface ScanOutputs {
  findings: Finding[];
  summary: ScanSummary;
  verdict: VerdictOutput | null;
}

/** The verdict output of an evaluation or a stored scan verdict (other fields are dropped). */
export function verdictOutput(e: Pick<VerdictOutput, 'verdict' | 'evaluationDate' | 'unknowns' | 'findings'> & { pack: { name: string; version: string; digest: string }; counts: VerdictOutput['counts'] }): VerdictOutput {
  return {
    verdict: e.verdict,
    evaluationDate: e.evaluationDate,
    pack: { name: e.pack.name, version: e.pack.version, digest: e.pack.digest },
    counts: { PASS: e.counts.PASS, WARN: e.counts.WARN, BLOCKED: e.counts.BLOCKED },
    unknowns: e.unknowns,
    findings: e.findings,
  };
}

export function scanOutputs(scan: Pick<ScanResult, 'findings' | 'summary'>, verdict: VerdictOutput | null): ScanOutputs {
  return { findings: scan.findings, summary: scan.summary, verdict };
}

export function outputDigests(o: ScanOutputs): ReplayOutputDigests {
  return {
    findings: { digest: digestJson(o.findings), count: o.findings.length },
    summary: { digest: digestJson(o.summary) },
    verdict: o.verdict ? { digest: digestJson(o.verdict), verdict: o.verdict.verdict } : null,
  };
}

/** Digest of one output member, for comparisons member by member. */
export function outputDigest(o: ScanOutputs, name: keyof ScanOutputs): Digest | null {
  const v = o[name];
  return v === null ? null : digestJson(v);
}
