/**
 * Explain traces: why a finding got its status. The trace re-evaluates the one finding with a tracing
 * interpreter that shares every primitive (field getters, comparisons, membership) with the closure
 * compiler — a property test checks both agree — and records each rule tried, the condition tree with
 * values, every input read, the VEX statements and weights, the evidence links, the exception, and
 * counterfactuals: the smallest changes of the input that would change the verdict.
 */
import { comparatorFor } from '../match/ranges';
import { ISSUER_CLASSES, VEX_JUSTIFICATIONS, type PolicyStatus, type SeverityBand, type Verdict } from './language';
import { renderExpr, type IrExpr } from './ir';
import { isCurrentStatement, type PolicyEvidenceLink, type PolicyFindingInput, type PolicyVexConsensus, type PolicyVexStatement } from './input';
import { PolicyEvaluator, withoutVersion, type AppliedException, type EnvValue, type FindingDecision, type PolicyException } from './evaluate';
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
  type Value,
} from './_internal/values';
import type { RuleLocation } from './compile';
import { dayAfter } from './syntax';

export type TraceValue = string | number | boolean | readonly string[] | null;

export interface ConditionTrace {
  expr: string;
  value: TraceValue;
  children?: ConditionTrace[];
  /** `vex.any(...)`: the predicate's result for each statement. */
  statements?: { index: number; issuer: string; issuerClass: string; status: string; value: boolean }[];
  /** Not evaluated: an earlier operand of `and`/`or` already decided. */
  skipped?: true;
}

export interface InputRead {
  path: string;
  value: TraceValue;
}

export interface RuleTrace {
  rule: string;
  policy: string;
  priority: number;
  location?: RuleLocation;
  /** `fired`: decided the finding · `no-match`: condition false and no else · `expired`: its ignore/defer date has passed · `not-reached`: an earlier rule decided. */
  outcome: 'fired' | 'no-match' | 'expired' | 'not-reached';
  branch?: 'then' | 'else';
  condition?: ConditionTrace;
}

export type WhatIfKind = 'vex' | 'upgrade' | 'exception' | 'expiry' | 'without-vex' | 'kev' | 'severity';

export interface WhatIf {
  kind: WhatIfKind;
  change: string;
  /** The finding's verdict after the change (for an upgrade the finding is gone: PASS). */
  verdict: Verdict;
  status: PolicyStatus | null;
  rule: string | null;
}

export interface ExplainTrace {
  finding: {
    id: string;
    vulnerabilityId: string;
    aliases: readonly string[];
    purl: string | null;
    component: { name: string; version: string; ecosystem: string; scope: string; declared: boolean };
    severity: { level: string; score: number | null };
  };
  evaluationDate: string;
  decision: FindingDecision;
  rules: RuleTrace[];
  inputs: InputRead[];
  vex: (PolicyVexConsensus & { statements: PolicyVexStatement[] }) | null;
  evidence: readonly PolicyEvidenceLink[];
  exception: { applied: AppliedException | null; expired: AppliedException[] };
  whatIf: WhatIf[];
}

class Tracer {
  readonly reads = new Map<string, TraceValue>();
  constructor(private readonly env: Readonly<Record<string, EnvValue>>) {}

  read(path: string, v: Value): Value {
    if (!this.reads.has(path)) this.reads.set(path, toTrace(v));
    return v;
  }

  run(e: IrExpr, f: PolicyFindingInput, s: { st: PolicyVexStatement; index: number } | undefined): { value: Value; node: ConditionTrace } {
    const expr = renderExpr(e);
    switch (e.op) {
      case 'const':
        return { value: e.value, node: { expr, value: e.value } };
      case 'list': {
        const v = e.values.map(String);
        return { value: v, node: { expr, value: v } };
      }
      case 'field': {
        const v = this.read(e.path, (FIELD_GETTERS[e.path] as (f: PolicyFindingInput) => Value)(f));
        return { value: v, node: { expr, value: toTrace(v) } };
      }
      case 'stmt': {
        const v = s ? (STATEMENT_GETTERS[e.path] as (s: PolicyVexStatement) => Value)(s.st) : undefined;
        if (s) this.read(`vex.statements[${s.index}].${e.path}`, v);
        return { value: v, node: { expr, value: toTrace(v) } };
      }
      case 'env': {
        const v = Object.prototype.hasOwnProperty.call(this.env, e.key) ? this.env[e.key] : undefined;
        this.read(`env.${e.key}`, v);
        return { value: v, node: { expr, value: toTrace(v) } };
      }
      case 'and':
      case 'or': {
        const children: ConditionTrace[] = [];
        let decided: boolean | undefined;
        for (const a of e.args) {
          if (decided !== undefined) {
            children.push({ expr: renderExpr(a), value: null, skipped: true });
            continue;
          }
          const r = this.run(a, f, s);
          children.push(r.node);
          if (e.op === 'and' && r.value !== true) decided = false;
          if (e.op === 'or' && r.value === true) decided = true;
        }
        const value = decided ?? e.op === 'and';
        return { value, node: { expr, value, children } };
      }
      case 'not': {
        const r = this.run(e.arg, f, s);
        const value = r.value !== true;
        return { value, node: { expr, value, children: [r.node] } };
      }
      case 'cmp': {
        const l = this.run(e.left, f, s);
        const r = this.run(e.right, f, s);
        const value = compareNormalized(e.cmp, normalizeFor(e.kind, l.value), normalizeFor(e.kind, r.value));
        return { value, node: { expr, value, children: [l.node, r.node] } };
      }
      case 'in': {
        const l = this.run(e.value, f, s);
        const r = this.run(e.list, f, s);
        const set = e.list.op === 'list' ? constSet(e.kind, e.list.values) : listValueSet(e.kind, r.value);
        const value = inSet(e.kind, l.value, set);
        return { value, node: { expr, value, children: [l.node, r.node] } };
      }
      case 'has_tag': {
        const value = e.of === 'sbom' ? sbomHasTag(f, e.tag) : advisoryHasTag(f, e.tag);
        this.read(e.of === 'sbom' ? 'sbom.tags' : 'advisory.tags', e.of === 'sbom' ? f.sbom.tags : advisoryTags(f));
        return { value, node: { expr, value } };
      }
      case 'vex_any': {
        this.read('vex.count', (FIELD_GETTERS['vex.count'] as (f: PolicyFindingInput) => Value)(f));
        const statements: NonNullable<ConditionTrace['statements']> = [];
        let value = false;
        let children: ConditionTrace[] | undefined;
        (f.vex?.statements ?? []).forEach((st, index) => {
          if (value || !isCurrentStatement(st)) return;
          const r = this.run(e.pred, f, { st, index });
          const ok = r.value === true;
          statements.push({ index, issuer: st.issuer, issuerClass: st.issuerClass, status: st.status, value: ok });
          children = [r.node];
          if (ok) value = true;
        });
        return { value, node: { expr, value, statements, ...(children ? { children } : {}) } };
      }
    }
  }
}

function toTrace(v: Value): TraceValue {
  return v === undefined ? null : v;
}

function advisoryTags(f: PolicyFindingInput): string[] {
  const tags = new Set<string>([...f.advisory.sources, ...f.advisory.tags]);
  if (f.kev) tags.add('kev');
  if (f.fixedVersions.length) tags.add('fix-available');
  if (f.epss) tags.add('epss');
  return [...tags].sort();
}

/** The condition's value by the tracing interpreter (tests compare it with the compiled closure). */
export function traceCondition(e: IrExpr, f: PolicyFindingInput, env: Readonly<Record<string, EnvValue>> = {}): ConditionTrace {
  return new Tracer(env).run(e, f, undefined).node;
}

export interface ExplainOptions {
  locations?: Readonly<Record<string, RuleLocation>>;
  /** Compute counterfactuals (default true). */
  whatIf?: boolean;
}

/** The explain trace of one finding under an evaluator (pack + date + env + exceptions). */
export function explainDecision(ev: PolicyEvaluator, f: PolicyFindingInput, opts: ExplainOptions = {}): ExplainTrace {
  const decision = ev.decide(f);
  const tracer = new Tracer(ev.env);
  const outcomes = ev.outcomes(f);
  const rules: RuleTrace[] = ev.ir.rules.map((r, i) => {
    const o = outcomes[i];
    const location = opts.locations?.[r.name];
    const base = { rule: r.name, policy: r.policy, priority: r.priority, ...(location ? { location } : {}) };
    if (!o) return { ...base, outcome: 'not-reached' };
    const condition = tracer.run(r.when, f, undefined).node;
    if (o.branch === null) return { ...base, outcome: 'no-match', condition };
    return { ...base, outcome: o.expired ? 'expired' : 'fired', branch: o.branch, condition };
  });
  // Actions read inputs too (annotate values, requireVex reads the statements).
  const fired = outcomes.find((o) => o.branch !== null && !o.expired);
  if (fired) {
    const actions = (fired.branch === 'then' ? fired.rule.then : fired.rule.else) ?? [];
    for (const a of actions) {
      if (a.kind === 'annotate') tracer.run(a.value, f, undefined);
      if (a.kind === 'requireVex') {
        tracer.read('vex.status', f.vex?.status ?? 'none');
        (f.vex?.statements ?? []).forEach((s, i) => tracer.read(`vex.statements[${i}]`, `${s.issuer} (${s.issuerClass}, tier ${s.tier}, weight ${s.weight}): ${s.status}${s.justification ? ` / ${s.justification}` : ''}`));
      }
    }
  }
  const expired = ev.expiredMatching(f, decision.rule).map(applied);
  return {
    finding: {
      id: f.id,
      vulnerabilityId: f.vulnerabilityId,
      aliases: f.aliases,
      purl: f.component.purl ?? null,
      component: { name: f.component.name, version: f.component.version, ecosystem: f.component.ecosystem, scope: f.component.scope, declared: f.component.declared },
      severity: f.severity,
    },
    evaluationDate: ev.evaluationDate,
    decision,
    rules,
    inputs: [...tracer.reads].map(([path, value]) => ({ path, value })),
    vex: f.vex ? { ...f.vex, statements: [...f.vex.statements] } : null,
    evidence: f.evidence,
    exception: { applied: decision.exception, expired: decision.verdict === 'PASS' && !decision.exception ? [] : expired },
    whatIf: opts.whatIf === false ? [] : whatIf(ev, f, decision),
  };
}

function applied(ex: PolicyException): AppliedException {
  return { id: ex.id, kind: ex.kind, owner: ex.owner, reason: ex.reason, expires: ex.expires };
}

const VERDICT_RANK: Record<Verdict, number> = { PASS: 0, WARN: 1, BLOCKED: 2 };

/** A hypothetical statement of the given class, trusted as much as any real one can be. */
function hypotheticalVex(issuerClass: string, justification: string): PolicyVexConsensus {
  const st: PolicyVexStatement = { issuer: `(a ${issuerClass} issuer)`, issuerClass, tier: Number.MAX_SAFE_INTEGER, weight: 1, status: 'not_affected', justification };
  return { status: 'not_affected', justification, confidence: 1, statements: [st], conflicts: [] };
}

/**
 * Counterfactuals. For a flagged finding: what would let it pass (a VEX statement of some issuer class,
 * an upgrade, an exception). For a passing one: what would flag it (an exception or ignore expiring,
 * the VEX going away, a KEV listing, a higher severity). Only changes that change the verdict are listed.
 */
function whatIf(ev: PolicyEvaluator, f: PolicyFindingInput, d: FindingDecision): WhatIf[] {
  const out: WhatIf[] = [];
  const entry = (kind: WhatIfKind, change: string, alt: FindingDecision): WhatIf => ({ kind, change, verdict: alt.verdict, status: alt.status, rule: alt.rule });
  if (d.verdict !== 'PASS') {
    // One line per outcome: "from a vendor-, distro- or internal-class issuer" rather than three lines.
    const byOutcome = new Map<string, { classes: string[]; just: string; alt: FindingDecision }>();
    for (const cls of ISSUER_CLASSES) {
      for (const just of VEX_JUSTIFICATIONS) {
        const alt = ev.decide({ ...f, vex: hypotheticalVex(cls, just) });
        if (VERDICT_RANK[alt.verdict] < VERDICT_RANK[d.verdict]) {
          const key = `${just}\u0000${alt.status}\u0000${alt.rule}`;
          const have = byOutcome.get(key);
          if (have) have.classes.push(cls);
          else byOutcome.set(key, { classes: [cls], just, alt });
          break;
        }
      }
    }
    for (const { classes, just, alt } of byOutcome.values()) {
      out.push(entry('vex', `a \`not_affected\` VEX statement (justification ${just}) from ${article(classes[0] as string)} ${listOf(classes.map((c) => `${c}-`))}class issuer`, alt));
    }
    const fix = smallestFix(f);
    if (fix) out.push({ kind: 'upgrade', change: `upgrade ${f.component.name} from ${f.component.version} to ≥ ${fix}`, verdict: 'PASS', status: null, rule: null });
    const scope = f.component.purl ? withoutVersion(f.component.purl) : f.component.name;
    const ex: PolicyException = { id: '(hypothetical)', kind: 'suppress', owner: '(owner)', reason: '(reason)', expires: '9999-12-31', match: { vulnerability: f.vulnerabilityId, ...(f.component.purl ? { purl: withoutVersion(f.component.purl) } : {}) } };
    const withEx = new PolicyEvaluator(ev.ir, { evaluationDate: ev.evaluationDate, env: ev.env, exceptions: [...ev.exceptions, ex] });
    const alt = withEx.decide(f);
    if (alt.verdict !== d.verdict) out.push(entry('exception', `a \`suppress\` exception for ${f.vulnerabilityId} on ${scope} with an owner, a reason and an expiry`, alt));
    return out;
  }
  const worse = (kind: WhatIfKind, change: string, alt: FindingDecision) => {
    if (VERDICT_RANK[alt.verdict] > VERDICT_RANK[d.verdict]) out.push(entry(kind, change, alt));
  };
  if (d.exception) {
    const after = dayAfter(d.exception.expires);
    if (after) worse('expiry', `after ${d.exception.expires} exception ${d.exception.id} expires`, new PolicyEvaluator(ev.ir, { evaluationDate: after, env: ev.env, exceptions: ev.exceptions }).decide(f));
  }
  if (d.until) {
    const after = dayAfter(d.until);
    if (after) worse('expiry', `after ${d.until} the ${d.status === 'ignored' ? 'ignore' : 'deferral'} of rule ${d.rule} ends`, new PolicyEvaluator(ev.ir, { evaluationDate: after, env: ev.env, exceptions: ev.exceptions }).decide(f));
  }
  if (f.vex) worse('without-vex', 'without the VEX statements (e.g. if they are withdrawn)', ev.decide({ ...f, vex: null }));
  if (!f.kev) worse('kev', 'if the vulnerability is added to the KEV catalog', ev.decide({ ...f, kev: true }));
  for (const band of ['high', 'critical'] as SeverityBand[]) {
    if (f.severity.level === band || f.severity.level === 'critical') continue;
    const before = out.length;
    worse('severity', `if its severity were ${band}`, ev.decide({ ...f, severity: { level: band, score: f.severity.score } }));
    if (out.length > before) break;
  }
  return out;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

/** `a-, b- or c-` */
function listOf(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The smallest fixed version above the installed one (by the ecosystem's own ordering when it has one). */
function smallestFix(f: PolicyFindingInput): string | null {
  if (!f.fixedVersions.length) return null;
  let cmp: ((a: string, b: string) => number) | null = null;
  try {
    cmp = comparatorFor('ECOSYSTEM', f.component.ecosystem);
  } catch {
    cmp = null;
  }
  const safe = (a: string, b: string): number => {
    try {
      return cmp ? cmp(a, b) : a < b ? -1 : a > b ? 1 : 0;
    } catch {
      return a < b ? -1 : a > b ? 1 : 0;
    }
  };
  const above = f.fixedVersions.filter((v) => safe(v, f.component.version) > 0).sort(safe);
  return above[0] ?? [...f.fixedVersions].sort(safe)[0] ?? null;
}
