/**
 * Simulation: a base pack and a candidate pack evaluated over the same scans, compared finding by
 * finding. Pure — nothing is stored. Definitions (also in GRAMMAR.md):
 *   added     — PASS under the base, WARN or BLOCKED under the candidate (newly flagged);
 *   removed   — WARN or BLOCKED under the base, PASS under the candidate (no longer flagged);
 *   changed   — any other difference of status or deciding rule (BLOCKED ↔ WARN, pass → ignored, …);
 *   unchanged — same status, same rule.
 */
import type { Digest } from '../core';
import { PolicyEvaluator, type EnvValue, type FindingDecision } from './evaluate';
import { explainDecision, type ExplainTrace } from './explain';
import type { PolicyScanInput } from './input';
import { SEVERITY_ORDER, type PolicyStatus, type SeverityBand, type Verdict } from './language';
import type { UsablePack } from './pack';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface SimulationChange {
  /** Scan id (or the file it came from). */
  scan: string;
  finding: string;
  vulnerabilityId: string;
  purl: string | null;
  kind: ChangeKind;
  before: PolicyStatus;
  after: PolicyStatus;
  beforeVerdict: Verdict;
  afterVerdict: Verdict;
  beforeRule: string | null;
  /** The candidate's deciding rule. */
  rule: string | null;
}

export interface RuleImpact {
  rule: string;
  /** Which pack has the rule. */
  in: 'base' | 'candidate' | 'both';
  /** Findings it decided under the base / the candidate. */
  before: number;
  after: number;
  /** Findings it decides under the candidate that it did not decide under the base, and the reverse. */
  gained: number;
  lost: number;
}

/** Findings per effective severity and verdict. */
export type SeverityHistogram = Record<SeverityBand, Record<Verdict, number>>;

export interface SimulationSample {
  scan: string;
  finding: string;
  before: ExplainTrace;
  after: ExplainTrace;
}

export interface SimulationResult {
  base: { name: string; version: string; digest: Digest; source: string };
  candidate: { name: string; version: string; digest: Digest; source: string };
  evaluationDate: string;
  scans: { scan: string; findings: number; before: Verdict; after: Verdict }[];
  counts: { added: number; removed: number; changed: number; unchanged: number };
  changes: SimulationChange[];
  rules: RuleImpact[];
  histograms: { before: SeverityHistogram; after: SeverityHistogram };
  samples: SimulationSample[];
}

export interface SimulationScan {
  /** How the scan is named in the result (its id, or the file it was read from). */
  label: string;
  input: PolicyScanInput;
}

export interface SimulationOptions {
  evaluationDate: string;
  env?: Readonly<Record<string, EnvValue>>;
  /** Explain samples of changed findings (default 10, at most 100). */
  samples?: number;
}

export const DEFAULT_SIMULATION_SAMPLES = 10;
export const MAX_SIMULATION_SAMPLES = 100;

function emptyHistogram(): SeverityHistogram {
  return Object.fromEntries(SEVERITY_ORDER.map((s) => [s, { PASS: 0, WARN: 0, BLOCKED: 0 }])) as SeverityHistogram;
}

function kindOf(b: FindingDecision, a: FindingDecision): ChangeKind | null {
  if (b.status === a.status && b.rule === a.rule) return null;
  if (b.verdict === 'PASS' && a.verdict !== 'PASS') return 'added';
  if (b.verdict !== 'PASS' && a.verdict === 'PASS') return 'removed';
  return 'changed';
}

export function simulatePacks(base: UsablePack, candidate: UsablePack, scans: readonly SimulationScan[], opts: SimulationOptions): SimulationResult {
  const env = opts.env ?? {};
  const evBase = new PolicyEvaluator(base.ir, { evaluationDate: opts.evaluationDate, env, exceptions: base.exceptions });
  const evCand = new PolicyEvaluator(candidate.ir, { evaluationDate: opts.evaluationDate, env, exceptions: candidate.exceptions });
  const sampleLimit = Math.max(0, Math.min(MAX_SIMULATION_SAMPLES, opts.samples ?? DEFAULT_SIMULATION_SAMPLES));
  const counts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  const changes: SimulationChange[] = [];
  const histograms = { before: emptyHistogram(), after: emptyHistogram() };
  const hitsBefore = new Map<string, number>();
  const hitsAfter = new Map<string, number>();
  const gained = new Map<string, number>();
  const lost = new Map<string, number>();
  const samples: SimulationSample[] = [];
  const scanRows: SimulationResult['scans'] = [];
  const bump = (m: Map<string, number>, k: string | null) => {
    if (k !== null) m.set(k, (m.get(k) ?? 0) + 1);
  };

  for (const s of scans) {
    const rb = evBase.evaluate(s.input);
    const ra = evCand.evaluate(s.input);
    scanRows.push({ scan: s.label, findings: s.input.findings.length, before: rb.verdict, after: ra.verdict });
    for (let i = 0; i < s.input.findings.length; i++) {
      const b = rb.findings[i] as FindingDecision;
      const a = ra.findings[i] as FindingDecision;
      histograms.before[b.severity][b.verdict]++;
      histograms.after[a.severity][a.verdict]++;
      bump(hitsBefore, b.rule);
      bump(hitsAfter, a.rule);
      if (a.rule !== b.rule) {
        bump(gained, a.rule);
        bump(lost, b.rule);
      }
      const kind = kindOf(b, a);
      if (!kind) {
        counts.unchanged++;
        continue;
      }
      counts[kind]++;
      changes.push({
        scan: s.label,
        finding: b.findingId,
        vulnerabilityId: b.vulnerabilityId,
        purl: b.purl,
        kind,
        before: b.status,
        after: a.status,
        beforeVerdict: b.verdict,
        afterVerdict: a.verdict,
        beforeRule: b.rule,
        rule: a.rule,
      });
      if (samples.length < sampleLimit) {
        const f = s.input.findings[i] as PolicyScanInput['findings'][number];
        samples.push({
          scan: s.label,
          finding: f.id,
          before: explainDecision(evBase, f, { locations: base.compiled.locations }),
          after: explainDecision(evCand, f, { locations: candidate.compiled.locations }),
        });
      }
    }
  }

  const baseRules = new Set(base.ir.rules.map((r) => r.name));
  const candRules = new Set(candidate.ir.rules.map((r) => r.name));
  const ruleOrder = [...candidate.ir.rules.map((r) => r.name), ...base.ir.rules.map((r) => r.name).filter((n) => !candRules.has(n))];
  const rules: RuleImpact[] = ruleOrder.map((rule) => ({
    rule,
    in: baseRules.has(rule) && candRules.has(rule) ? 'both' : candRules.has(rule) ? 'candidate' : 'base',
    before: hitsBefore.get(rule) ?? 0,
    after: hitsAfter.get(rule) ?? 0,
    gained: gained.get(rule) ?? 0,
    lost: lost.get(rule) ?? 0,
  }));

  return {
    base: { name: base.manifest.name, version: base.manifest.version, digest: base.digest, source: base.source },
    candidate: { name: candidate.manifest.name, version: candidate.manifest.version, digest: candidate.digest, source: candidate.source },
    evaluationDate: opts.evaluationDate,
    scans: scanRows,
    counts,
    changes,
    rules,
    histograms,
    samples,
  };
}
