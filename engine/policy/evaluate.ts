/**
 * Evaluation: the IR compiled to closures (no interpretation per finding: 100,000 findings evaluate in
 * well under a second), rules in order — first match wins —, then exceptions, then the scan verdict
 * with the unknowns budget. Pure: the evaluation date and the environment are inputs, nothing reads a
 * clock, nothing is written.
 */
import { POLICY_STATUSES, SEVERITY_ORDER, type ComparisonOperator, type PolicyStatus, type SeverityBand, type Verdict } from './language';
import type { IrAction, IrExpr, IrRequireVex, IrRule, PolicyIr } from './ir';
import { isCurrentStatement, type PolicyFindingInput, type PolicyScanInput, type PolicyVexStatement } from './input';
import { evaluationInstant, parseIsoDate } from './syntax';
import {
  FIELD_GETTERS,
  STATEMENT_GETTERS,
  advisoryHasTag,
  compareNormalized,
  constSet,
  inSet,
  listValueSet,
  normalizeFor,
  sbomHasTag,
  severityRank,
  type Value,
} from './_internal/values';
import { PolicyError } from './errors';

export type EnvValue = string | number | boolean;

export type ExceptionKind = 'suppress' | 'defer' | 'downgrade';

/** An accepted risk: owner, reason and expiry are mandatory. Applies only to findings the rules flagged (WARN/BLOCKED). */
export interface PolicyException {
  id: string;
  kind: ExceptionKind;
  owner: string;
  reason: string;
  /** ISO date (the exception holds through that UTC day) or date-time. */
  expires: string;
  match: {
    /** Vulnerability id or any alias (case-insensitive). */
    vulnerability?: string;
    /** A purl; without `@version` it matches every version; `*` is a wildcard. */
    purl?: string;
    /** Only when this rule decided the finding. */
    rule?: string;
  };
  /** For `downgrade`: the status to downgrade to (default: one step, blocked → warn → pass). */
  to?: 'warn' | 'pass';
}

export interface EvaluationOptions {
  /** ISO date or date-time the evaluation happens at (ignore/defer/exception expiry compare with it). */
  evaluationDate: string;
  env?: Readonly<Record<string, EnvValue>>;
  exceptions?: readonly PolicyException[];
}

export interface AppliedException {
  id: string;
  kind: ExceptionKind;
  owner: string;
  reason: string;
  expires: string;
}

export interface FindingDecision {
  findingId: string;
  vulnerabilityId: string;
  purl: string | null;
  status: PolicyStatus;
  verdict: Verdict;
  /** The rule that decided the finding; null when none matched (the default status applied). */
  rule: string | null;
  because: string | null;
  /** What the rules said before an exception changed it. */
  ruleStatus: PolicyStatus;
  exception: AppliedException | null;
  /** Severity after `escalate` actions. */
  severity: SeverityBand;
  /** `ignore until` / `defer until` date that holds the status. */
  until?: string;
  messages?: string[];
  annotations?: Record<string, EnvValue | readonly string[] | null>;
  /** The VEX statement a `requireVex` action accepted. */
  acceptedVex?: { issuer: string; issuerClass: string; status: string };
}

export interface UnknownsReport {
  componentsWithoutPurl: number | null;
  unresolvableRanges: number;
  vexConflicts: number;
  total: number;
  budget: number | null;
  exceeded: boolean;
}

export interface PolicyEvaluation {
  verdict: Verdict;
  /** The verdict from the findings alone, before the unknowns budget. */
  findingsVerdict: Verdict;
  evaluationDate: string;
  findings: FindingDecision[];
  counts: Record<Verdict, number> & { byStatus: Record<PolicyStatus, number> };
  /** Findings each rule decided, in evaluation order (rules that decided none included). */
  rules: { rule: string; hits: number }[];
  unknowns: UnknownsReport;
}

type Pred = (f: PolicyFindingInput, s: PolicyVexStatement | undefined) => Value;

const VERDICT_RANK: Record<Verdict, number> = { PASS: 0, WARN: 1, BLOCKED: 2 };

export function worseVerdict(a: Verdict, b: Verdict): Verdict {
  return VERDICT_RANK[a] >= VERDICT_RANK[b] ? a : b;
}

export function verdictOf(status: PolicyStatus): Verdict {
  return POLICY_STATUSES[status].verdict;
}

const ORDERED: Record<ComparisonOperator, (a: number, b: number) => boolean> = {
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/** Compile one IR expression to a closure. `env` is bound at compile time (it is fixed per evaluation). */
export function compileExpr(e: IrExpr, env: Readonly<Record<string, EnvValue>>): Pred {
  switch (e.op) {
    case 'const': {
      const v = e.value;
      return () => v;
    }
    case 'list': {
      const v = e.values.map(String);
      return () => v;
    }
    case 'field': {
      const g = FIELD_GETTERS[e.path];
      if (!g) throw new PolicyError('invalid-ir', `IR reads unknown field ${e.path}`);
      return (f) => g(f);
    }
    case 'stmt': {
      const g = STATEMENT_GETTERS[e.path];
      if (!g) throw new PolicyError('invalid-ir', `IR reads unknown statement field ${e.path}`);
      return (_f, s) => (s ? g(s) : undefined);
    }
    case 'env': {
      const v = Object.prototype.hasOwnProperty.call(env, e.key) ? env[e.key] : undefined;
      return () => v;
    }
    case 'and': {
      const args = e.args.map((a) => compileExpr(a, env));
      if (args.length === 2) {
        const [a, b] = args as [Pred, Pred];
        return (f, s) => a(f, s) === true && b(f, s) === true;
      }
      return (f, s) => {
        for (const a of args) if (a(f, s) !== true) return false;
        return true;
      };
    }
    case 'or': {
      const args = e.args.map((a) => compileExpr(a, env));
      return (f, s) => {
        for (const a of args) if (a(f, s) === true) return true;
        return false;
      };
    }
    case 'not': {
      const a = compileExpr(e.arg, env);
      return (f, s) => a(f, s) !== true;
    }
    case 'cmp': {
      const { kind, cmp } = e;
      const left = compileExpr(e.left, env);
      if (e.right.op === 'const') {
        // The common shape `field OP constant`: normalize the constant once; typed fields of a
        // severity or number domain skip the generic normalization (same results, fewer branches).
        const c = normalizeFor(kind, e.right.value);
        const typedField = e.left.op === 'field' || e.left.op === 'stmt';
        if (typedField && kind === 'severity' && typeof c === 'number') {
          const test = ORDERED[cmp];
          return (f, s) => {
            const v = left(f, s);
            return typeof v === 'string' ? test(severityRank(v), c) : cmp === '!=';
          };
        }
        if (typedField && kind === 'number' && typeof c === 'number') {
          const test = ORDERED[cmp];
          return (f, s) => {
            const v = left(f, s);
            return typeof v === 'number' ? test(v, c) : cmp === '!=';
          };
        }
        return (f, s) => compareNormalized(cmp, normalizeFor(kind, left(f, s)), c);
      }
      const right = compileExpr(e.right, env);
      return (f, s) => compareNormalized(cmp, normalizeFor(kind, left(f, s)), normalizeFor(kind, right(f, s)));
    }
    case 'in': {
      const { kind } = e;
      const value = compileExpr(e.value, env);
      if (e.list.op === 'list') {
        const set = constSet(kind, e.list.values);
        return (f, s) => inSet(kind, value(f, s), set);
      }
      const list = compileExpr(e.list, env);
      return (f, s) => inSet(kind, value(f, s), listValueSet(kind, list(f, s)));
    }
    case 'has_tag': {
      const tag = e.tag;
      return e.of === 'sbom' ? (f) => sbomHasTag(f, tag) : (f) => advisoryHasTag(f, tag);
    }
    case 'vex_any': {
      const pred = compileExpr(e.pred, env);
      return (f) => {
        const v = f.vex;
        if (!v) return false;
        for (const st of v.statements) if (st.role !== 'superseded' && pred(f, st) === true) return true;
        return false;
      };
    }
  }
}

interface Branch {
  actions: IrAction[];
  /** False when an `ignore until` / `defer until` of this branch has passed: the rule no longer applies. */
  active: boolean;
  /** The earliest until-date of the branch, when it has one. */
  until: string | null;
  annotate: { key: string; value: Pred }[];
}

interface CompiledRule {
  rule: IrRule;
  when: Pred;
  then: Branch;
  else: Branch | null;
}

export interface RuleOutcome {
  rule: IrRule;
  matched: boolean;
  branch: 'then' | 'else' | null;
  /** The branch matched but its ignore/defer date has passed. */
  expired: boolean;
}

/** A pack compiled for one evaluation date and environment. */
export class PolicyEvaluator {
  readonly ir: PolicyIr;
  readonly evaluationDate: string;
  readonly env: Readonly<Record<string, EnvValue>>;
  readonly exceptions: readonly PolicyException[];
  private readonly rules: CompiledRule[];
  private readonly evalMs: number;
  private readonly activeExceptions: { ex: PolicyException; vuln?: string; purl?: RegExp; purlHasVersion: boolean }[];
  /** Exceptions whose expiry has passed (listed in explain traces). */
  readonly expiredExceptions: readonly PolicyException[];

  constructor(ir: PolicyIr, opts: EvaluationOptions) {
    const ms = evaluationInstant(opts.evaluationDate);
    if (ms === null) throw new PolicyError('invalid-input', `evaluation date ${JSON.stringify(opts.evaluationDate)}: expected an ISO date (YYYY-MM-DD) or date-time`, { details: { path: 'evaluationDate', expected: 'YYYY-MM-DD' } });
    this.ir = ir;
    this.evaluationDate = opts.evaluationDate;
    this.evalMs = ms;
    this.env = opts.env ?? {};
    this.exceptions = [...(opts.exceptions ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.rules = ir.rules.map((r) => ({ rule: r, when: compileExpr(r.when, this.env), then: this.branch(r.then), else: r.else ? this.branch(r.else) : null }));
    const active: PolicyEvaluator['activeExceptions'] = [];
    const expired: PolicyException[] = [];
    for (const ex of this.exceptions) {
      const until = parseIsoDate(ex.expires);
      if (until === null || until < ms) {
        expired.push(ex);
        continue;
      }
      active.push({
        ex,
        ...(ex.match.vulnerability ? { vuln: ex.match.vulnerability.toLowerCase() } : {}),
        ...(ex.match.purl ? { purl: globToRegExp(ex.match.purl) } : {}),
        purlHasVersion: ex.match.purl?.includes('@') ?? false,
      });
    }
    this.activeExceptions = active;
    this.expiredExceptions = expired;
  }

  private branch(actions: IrAction[]): Branch {
    let until: string | null = null;
    let active = true;
    for (const a of actions) {
      if (a.kind !== 'ignore' && a.kind !== 'defer') continue;
      const t = parseIsoDate(a.until) ?? -Infinity;
      if (t < this.evalMs) active = false;
      if (until === null || t < (parseIsoDate(until) ?? Infinity)) until = a.until;
    }
    const annotate = actions.flatMap((a) => (a.kind === 'annotate' ? [{ key: a.key, value: compileExpr(a.value, this.env) }] : []));
    return { actions, active, until, annotate };
  }

  /** Which rule decides the finding, without building a decision (used by explain). */
  outcomes(f: PolicyFindingInput): RuleOutcome[] {
    const out: RuleOutcome[] = [];
    for (const r of this.rules) {
      const matched = r.when(f, undefined) === true;
      const b = matched ? r.then : r.else;
      if (!b) {
        out.push({ rule: r.rule, matched, branch: null, expired: false });
        continue;
      }
      out.push({ rule: r.rule, matched, branch: matched ? 'then' : 'else', expired: !b.active });
      if (b.active) break;
    }
    return out;
  }

  decide(f: PolicyFindingInput): FindingDecision {
    for (const r of this.rules) {
      const matched = r.when(f, undefined) === true;
      const b = matched ? r.then : r.else;
      if (!b || !b.active) continue;
      return this.apply(f, r.rule, b);
    }
    const status = this.ir.settings.defaultStatus;
    return this.withException(f, {
      findingId: f.id,
      vulnerabilityId: f.vulnerabilityId,
      purl: f.component.purl ?? null,
      status,
      verdict: verdictOf(status),
      rule: null,
      because: null,
      ruleStatus: status,
      exception: null,
      severity: f.severity.level,
    });
  }

  private apply(f: PolicyFindingInput, rule: IrRule, b: Branch): FindingDecision {
    let status: PolicyStatus = this.ir.settings.defaultStatus;
    let severity: SeverityBand = f.severity.level;
    let messages: string[] | undefined;
    let acceptedVex: FindingDecision['acceptedVex'];
    let until: string | undefined;
    for (const a of b.actions) {
      switch (a.kind) {
        case 'status':
          status = a.status;
          break;
        case 'ignore':
          status = 'ignored';
          until = a.until;
          break;
        case 'defer':
          status = 'deferred';
          until = a.until;
          break;
        case 'warn':
          status = 'warn';
          if (a.message !== null) (messages ??= []).push(a.message);
          break;
        case 'requireVex': {
          const st = qualifyingStatement(f, a);
          status = st ? 'pass' : a.otherwise;
          acceptedVex = st ? { issuer: st.issuer, issuerClass: st.issuerClass, status: st.status } : undefined;
          break;
        }
        case 'escalate':
          if (severityRank(a.to) > severityRank(severity)) severity = a.to;
          break;
        case 'annotate':
          break;
      }
    }
    let annotations: FindingDecision['annotations'];
    for (const an of b.annotate) {
      const v = an.value(f, undefined);
      (annotations ??= {})[an.key] = v === undefined ? null : (v as EnvValue | readonly string[]);
    }
    const d: FindingDecision = {
      findingId: f.id,
      vulnerabilityId: f.vulnerabilityId,
      purl: f.component.purl ?? null,
      status,
      verdict: verdictOf(status),
      rule: rule.name,
      because: rule.because,
      ruleStatus: status,
      exception: null,
      severity,
    };
    // Assigned only when present (no spreads: this runs once per finding).
    if (until !== undefined) d.until = until;
    if (messages) d.messages = messages;
    if (annotations) d.annotations = annotations;
    if (acceptedVex) d.acceptedVex = acceptedVex;
    return this.withException(f, d);
  }

  /** The first active exception (by id) that matches a flagged finding. */
  matchingException(f: PolicyFindingInput, rule: string | null): PolicyException | null {
    for (const a of this.activeExceptions) {
      if (exceptionMatches(a, f, rule)) return a.ex;
    }
    return null;
  }

  /** Expired exceptions that would otherwise match (for explain). */
  expiredMatching(f: PolicyFindingInput, rule: string | null): PolicyException[] {
    return this.expiredExceptions.filter((ex) =>
      exceptionMatches({ ex, ...(ex.match.vulnerability ? { vuln: ex.match.vulnerability.toLowerCase() } : {}), ...(ex.match.purl ? { purl: globToRegExp(ex.match.purl) } : {}), purlHasVersion: ex.match.purl?.includes('@') ?? false }, f, rule),
    );
  }

  private withException(f: PolicyFindingInput, d: FindingDecision): FindingDecision {
    if (d.verdict === 'PASS' || !this.activeExceptions.length) return d;
    const ex = this.matchingException(f, d.rule);
    if (!ex) return d;
    let status: PolicyStatus;
    switch (ex.kind) {
      case 'suppress':
        status = 'suppressed';
        break;
      case 'defer':
        status = 'deferred';
        break;
      case 'downgrade':
        status = ex.to ?? (d.status === 'blocked' ? 'warn' : 'pass');
        break;
    }
    d.status = status;
    d.verdict = verdictOf(status);
    d.exception = { id: ex.id, kind: ex.kind, owner: ex.owner, reason: ex.reason, expires: ex.expires };
    return d;
  }

  /** Evaluate every finding of a scan and the scan verdict. */
  evaluate(scan: PolicyScanInput): PolicyEvaluation {
    const findings = new Array<FindingDecision>(scan.findings.length);
    const counts: PolicyEvaluation['counts'] = { PASS: 0, WARN: 0, BLOCKED: 0, byStatus: { blocked: 0, warn: 0, pass: 0, ignored: 0, deferred: 0, suppressed: 0 } };
    const hits = new Map<string, number>(this.ir.rules.map((r) => [r.name, 0]));
    let vexConflicts = 0;
    for (let i = 0; i < scan.findings.length; i++) {
      const f = scan.findings[i] as PolicyFindingInput;
      const d = this.decide(f);
      findings[i] = d;
      counts[d.verdict]++;
      counts.byStatus[d.status]++;
      if (d.rule !== null) hits.set(d.rule, (hits.get(d.rule) ?? 0) + 1);
      if (f.vex && f.vex.conflicts.length > 0) vexConflicts++;
    }
    const findingsVerdict: Verdict = counts.BLOCKED ? 'BLOCKED' : counts.WARN ? 'WARN' : 'PASS';
    const unknowns = this.unknowns(scan, vexConflicts);
    const verdict = unknowns.exceeded ? worseVerdict(findingsVerdict, this.ir.settings.unknownsAction === 'blocked' ? 'BLOCKED' : 'WARN') : findingsVerdict;
    return {
      verdict,
      findingsVerdict,
      evaluationDate: this.evaluationDate,
      findings,
      counts,
      rules: this.ir.rules.map((r) => ({ rule: r.name, hits: hits.get(r.name) ?? 0 })),
      unknowns,
    };
  }

  private unknowns(scan: PolicyScanInput, vexConflicts: number): UnknownsReport {
    const total = (scan.unknowns.componentsWithoutPurl ?? 0) + scan.unknowns.unresolvableRanges + vexConflicts;
    const budget = this.ir.settings.unknownsBudget;
    return {
      componentsWithoutPurl: scan.unknowns.componentsWithoutPurl,
      unresolvableRanges: scan.unknowns.unresolvableRanges,
      vexConflicts,
      total,
      budget,
      exceeded: budget !== null && total > budget,
    };
  }
}

/** A statement that satisfies `requireVex`, or null. The consensus itself must have an accepted status. */
export function qualifyingStatement(f: PolicyFindingInput, r: IrRequireVex): PolicyVexStatement | null {
  const v = f.vex;
  if (!v || !r.statuses.includes(v.status)) return null;
  for (const s of v.statements) {
    if (!isCurrentStatement(s) || s.status !== v.status) continue;
    if (r.issuerClasses && !r.issuerClasses.includes(s.issuerClass)) continue;
    if (r.issuers && !r.issuers.includes(s.issuer)) continue;
    if (r.justifications && !r.justifications.includes(s.justification ?? 'none')) continue;
    if (r.minWeight !== null && s.weight < r.minWeight) continue;
    if (r.minTier !== null && s.tier < r.minTier) continue;
    return s;
  }
  return null;
}

function exceptionMatches(a: { ex: PolicyException; vuln?: string; purl?: RegExp; purlHasVersion: boolean }, f: PolicyFindingInput, rule: string | null): boolean {
  if (a.ex.match.rule !== undefined && a.ex.match.rule !== rule) return false;
  if (a.vuln !== undefined && f.vulnerabilityId.toLowerCase() !== a.vuln && !f.aliases.some((x) => x.toLowerCase() === a.vuln)) return false;
  if (a.purl) {
    const p = f.component.purl;
    if (!p) return false;
    if (!a.purl.test(a.purlHasVersion ? p : withoutVersion(p))) return false;
  }
  return true;
}

/** `pkg:type/ns/name@version?q#s` → `pkg:type/ns/name`. */
export function withoutVersion(purl: string): string {
  const cut = purl.search(/[@?#]/);
  return cut < 0 ? purl : purl.slice(0, cut);
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

export function severityBandOf(level: string): SeverityBand {
  return (SEVERITY_ORDER as readonly string[]).includes(level) ? (level as SeverityBand) : 'unknown';
}
