/**
 * What a scan produced, as one document: `{findings, summary, verdict}`. The manifest records the
 * digest of each member (canonical JSON); replay rebuilds the document and compares. The scan's id and
 * creation time are not outputs (a replay is a new run), and neither is anything a host adds.
 */
import { digestJson, type Digest, type Finding } from '../core';
import type { ScanResult, ScanSummary } from '../match/scan';
import type { PolicyEvaluation } from '../policy/evaluate';
import type { ReplayOutputDigests } from './manifest';

/** A policy evaluation as a scan output: the evaluation and the pack (by IR digest) that made it. */
export interface VerdictOutput extends PolicyEvaluation {
  pack: { name: string; version: string; digest: string };
}

export interface ScanOutputs {
  findings: Finding[];
  summary: ScanSummary;
  verdict: VerdictOutput | null;
}

/** The verdict output of an evaluation (extra fields such as the evaluated input are dropped). */
export function verdictOutput(e: PolicyEvaluation & { pack: { name: string; version: string; digest: string } }): VerdictOutput {
  return {
    verdict: e.verdict,
    findingsVerdict: e.findingsVerdict,
    evaluationDate: e.evaluationDate,
    findings: e.findings,
    counts: e.counts,
    rules: e.rules,
    unknowns: e.unknowns,
    pack: { name: e.pack.name, version: e.pack.version, digest: e.pack.digest },
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
