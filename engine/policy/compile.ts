/**
 * Type checking and compilation of `.stella` sources to the IR, with lint: unknown identifiers (with a
 * suggestion), type errors, invalid dates, duplicate rule names, conflicting settings, rules that can
 * never fire or are shadowed by an earlier rule. Errors make the pack unusable; warnings do not.
 */
import { canonicalJson } from '../core';
import {
  DEFAULT_PRIORITY,
  ENV_PREFIX,
  FIELDS,
  FUNCTIONS,
  ISSUER_CLASSES,
  POLICY_STATUS_NAMES,
  REQUIRE_VEX_FIELDS,
  SEVERITY_ORDER,
  SETTINGS,
  SYNTAX_ID,
  VEX_JUSTIFICATIONS,
  VEX_STATEMENT_FIELDS,
  VEX_STATUSES,
  type FieldSpec,
  type PolicyStatus,
  type SeverityBand,
  type ValueType,
} from './language';
import { renderExpr, type IrAction, type IrCompareKind, type IrConst, type IrExpr, type IrRule, type IrScalarType, type IrSettings, type MetadataValue, type PolicyIr } from './ir';
import { parsePolicy, type ActionNode, type EntryNode, type ExprNode, type LiteralNode, type PolicyNode, type RuleNode } from './parser';
import { parseIsoDate, type Diagnostic, type DiagnosticSeverity, type Span } from './syntax';

export interface PolicySource {
  /** Pack-relative path (`policy.stella`, `rules/os.stella`). */
  path: string;
  text: string;
}

/** Where a rule is written, for explain traces and lint messages. */
export interface RuleLocation {
  file: string;
  line: number;
  column: number;
}

export interface CompileResult {
  /** Null when any file has an error. */
  ir: PolicyIr | null;
  diagnostics: Diagnostic[];
  /** Source location of each compiled rule, by rule name. */
  locations: Record<string, RuleLocation>;
  /** Parsed files (also when there are errors), for outlines and the editor. */
  policies: { path: string; policy: PolicyNode | null }[];
}

interface Typed {
  ir: IrExpr;
  type: ValueType;
  /** For list values: the element type. */
  elem?: IrScalarType;
  /** The field it reads, when it is one (lint messages, allowed values). */
  spec?: FieldSpec;
}

const SEVERITY_SET: ReadonlySet<string> = new Set(SEVERITY_ORDER);

/** Compile the `.stella` files of one pack (sorted by path: that is the tie-break order of rules). */
export function compilePolicySources(sources: readonly PolicySource[], pack: { name: string; version: string }): CompileResult {
  const sorted = [...sources].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const diagnostics: Diagnostic[] = [];
  const policies: CompileResult['policies'] = [];
  const irPolicies: PolicyIr['policies'] = [];
  const settingsByKey = new Map<string, { value: IrConst; file: string; span: Span }>();
  const ruleEntries: { rule: IrRule; node: RuleNode; file: string; fileIndex: number; index: number }[] = [];
  const ruleNames = new Map<string, { file: string; span: Span }>();
  const policyNames = new Map<string, string>();

  if (!sorted.length) diagnostics.push(diag('pack.yaml', { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } }, 'error', 'no-policy', 'the pack has no .stella file: expected at least one policy'));

  sorted.forEach((src, fileIndex) => {
    const parsed = parsePolicy(src.text, src.path);
    diagnostics.push(...parsed.diagnostics);
    policies.push({ path: src.path, policy: parsed.policy });
    const p = parsed.policy;
    if (!p) return;
    const c = new Checker(src.path, diagnostics);
    const prevPolicy = policyNames.get(p.name);
    if (prevPolicy !== undefined) c.error(p.nameSpan, 'duplicate-policy', `policy name "${p.name}" is also used by ${prevPolicy}: every policy in a pack needs its own name`);
    else policyNames.set(p.name, src.path);
    irPolicies.push({ name: p.name, file: src.path, metadata: c.metadata(p.metadata) });
    for (const [key, s] of c.settings(p.settings)) {
      const prev = settingsByKey.get(key);
      if (prev && canonicalJson(prev.value) !== canonicalJson(s.value)) {
        c.error(s.span, 'conflicting-setting', `setting ${key} = ${JSON.stringify(s.value)} conflicts with ${key} = ${JSON.stringify(prev.value)} in ${prev.file}: a pack has one value per setting`);
      } else if (!prev) settingsByKey.set(key, { ...s, file: src.path });
    }
    p.rules.forEach((node, index) => {
      const prev = ruleNames.get(node.name);
      if (prev) c.error(node.nameSpan, 'duplicate-rule', `duplicate rule name ${node.name}: first defined at ${prev.file}:${prev.span.start.line}:${prev.span.start.column}`);
      else ruleNames.set(node.name, { file: src.path, span: node.nameSpan });
      const rule = c.rule(node, p.name);
      if (rule && !prev) ruleEntries.push({ rule, node, file: src.path, fileIndex, index });
    });
  });

  ruleEntries.sort((a, b) => a.rule.priority - b.rule.priority || a.fileIndex - b.fileIndex || a.index - b.index);
  lintReachability(ruleEntries, diagnostics);

  const settings: IrSettings = {
    defaultStatus: (settingsByKey.get('default_status')?.value as PolicyStatus | undefined) ?? 'pass',
    unknownsBudget: (settingsByKey.get('unknowns_budget')?.value as number | undefined) ?? null,
    unknownsAction: (settingsByKey.get('unknowns_action')?.value as 'warn' | 'blocked' | undefined) ?? 'blocked',
  };
  const locations: Record<string, RuleLocation> = {};
  for (const e of ruleEntries) locations[e.rule.name] = { file: e.file, line: e.node.nameSpan.start.line, column: e.node.nameSpan.start.column };
  diagnostics.sort(byPosition);
  const hasError = diagnostics.some((d) => d.severity === 'error');
  const ir: PolicyIr | null = hasError
    ? null
    : { syntax: SYNTAX_ID, pack: { name: pack.name, version: pack.version }, policies: irPolicies, settings, rules: ruleEntries.map((e) => e.rule) };
  return { ir, diagnostics, locations, policies };
}

/** Lint one `.stella` text on its own (the editor's live diagnostics). */
export function lintPolicyText(text: string, file = 'policy.stella'): Diagnostic[] {
  return compilePolicySources([{ path: file, text }], { name: 'draft', version: '0' }).diagnostics;
}

export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

function diag(file: string, span: Span, severity: DiagnosticSeverity, code: string, message: string): Diagnostic {
  return { file, line: span.start.line, column: span.start.column, endLine: span.end.line, endColumn: span.end.column, severity, code, message };
}

class Checker {
  constructor(
    private readonly file: string,
    private readonly out: Diagnostic[],
  ) {}

  error(span: Span, code: string, message: string): void {
    this.out.push(diag(this.file, span, 'error', code, message));
  }

  warn(span: Span, code: string, message: string): void {
    this.out.push(diag(this.file, span, 'warning', code, message));
  }

  // ---- metadata and settings -----------------------------------------------------------------

  metadata(entries: EntryNode[]): Record<string, MetadataValue> {
    const out: Record<string, MetadataValue> = {};
    for (const e of entries) {
      if (e.key in out) {
        this.error(e.keySpan, 'duplicate-key', `metadata key ${e.key} is given twice`);
        continue;
      }
      const v = this.constValue(e.value);
      if (v !== undefined) out[e.key] = v;
    }
    return out;
  }

  /** A literal or list of literals as plain JSON (dates as written); reports invalid dates. */
  private constValue(node: ExprNode): MetadataValue | undefined {
    if (node.kind === 'literal') {
      if (node.type === 'date') this.checkDate(node);
      return node.value;
    }
    if (node.kind === 'list') {
      const items: IrConst[] = [];
      for (const it of node.items) if (it.kind === 'literal') items.push(it.value);
      return items;
    }
    this.error(node.span, 'type', 'expected a literal value');
    return undefined;
  }

  settings(entries: EntryNode[]): Map<string, { value: IrConst; span: Span }> {
    const out = new Map<string, { value: IrConst; span: Span }>();
    for (const e of entries) {
      const spec = SETTINGS.find((s) => s.key === e.key);
      if (!spec) {
        this.error(e.keySpan, 'unknown-setting', `unknown setting ${e.key}${suggest(e.key, SETTINGS.map((s) => s.key))}; known settings: ${SETTINGS.map((s) => s.key).join(', ')}`);
        continue;
      }
      if (out.has(e.key)) {
        this.error(e.keySpan, 'duplicate-key', `setting ${e.key} is given twice`);
        continue;
      }
      const v = e.value;
      if (v.kind !== 'literal' || (spec.type === 'number' ? v.type !== 'number' : v.type !== 'string')) {
        this.error(v.span, 'type', `setting ${e.key} expects a ${spec.type}${spec.values ? ` (one of ${spec.values.map((x) => JSON.stringify(x)).join(', ')})` : ''}`);
        continue;
      }
      if (spec.values && !spec.values.includes(String(v.value))) {
        this.error(v.span, 'type', `setting ${e.key} = ${v.text}: expected one of ${spec.values.map((x) => JSON.stringify(x)).join(', ')}`);
        continue;
      }
      if (spec.key === 'unknowns_budget' && (!Number.isInteger(v.value) || (v.value as number) < 0)) {
        this.error(v.span, 'type', `setting unknowns_budget = ${v.text}: expected a whole number ≥ 0`);
        continue;
      }
      out.set(e.key, { value: v.value, span: e.span });
    }
    return out;
  }

  // ---- rules -----------------------------------------------------------------------------------

  rule(node: RuleNode, policy: string): IrRule | null {
    const errorsBefore = this.errorCount();
    const when = this.expr(node.when, 'finding');
    if (when && !isCondition(when)) this.notACondition(node.when, when);
    const then = this.actions(node.then, node.name, 'then');
    const elseActions = node.else ? this.actions(node.else, node.name, 'else') : null;
    if (!node.because.trim()) this.warn(node.becauseSpan, 'empty-because', `rule ${node.name}: "because" is empty; say why the rule exists (it is shown with every decision)`);
    if (!when || this.errorCount() > errorsBefore) return null;
    return { name: node.name, policy, priority: node.priority ?? DEFAULT_PRIORITY, when: when.ir, then, else: elseActions, because: node.because };
  }

  private errorCount(): number {
    return this.out.filter((d) => d.severity === 'error' && d.file === this.file).length;
  }

  private actions(nodes: ActionNode[], rule: string, branch: 'then' | 'else'): IrAction[] {
    const out: IrAction[] = [];
    let statusSetter: ActionNode | undefined;
    const annotations = new Set<string>();
    for (const a of nodes) {
      if (a.kind !== 'annotate' && a.kind !== 'escalate') {
        if (statusSetter) this.warn(a.span, 'status-overridden', `rule ${rule}: this ${a.kind} overrides the status the earlier ${statusSetter.kind} set in the same branch`);
        statusSetter = a;
      }
      const ir = this.action(a);
      if (!ir) continue;
      if (ir.kind === 'annotate') {
        if (annotations.has(ir.key)) this.warn(a.span, 'duplicate-key', `rule ${rule}: annotation ${ir.key} is set twice in the same branch; the last one wins`);
        annotations.add(ir.key);
      }
      out.push(ir);
    }
    if (!statusSetter && nodes.length) {
      const first = nodes[0] as ActionNode;
      this.warn(first.span, 'no-status', `rule ${rule}: the ${branch} branch sets no status (status :=, warn, ignore, defer or requireVex); matching findings get the default status and no later rule is tried`);
    }
    return out;
  }

  private action(a: ActionNode): IrAction | null {
    switch (a.kind) {
      case 'status': {
        const v = a.value;
        if (v.type !== 'string' || !(POLICY_STATUS_NAMES as readonly string[]).includes(String(v.value))) {
          this.error(v.span, 'unknown-status', `unknown status ${v.text}${v.type === 'string' ? suggest(String(v.value), POLICY_STATUS_NAMES) : ''}: expected one of ${POLICY_STATUS_NAMES.map((s) => `"${s}"`).join(', ')}`);
          return null;
        }
        return { kind: 'status', status: v.value as PolicyStatus };
      }
      case 'ignore':
      case 'defer': {
        const d = a.until;
        if (d.type !== 'date' && d.type !== 'string') {
          this.error(d.span, 'invalid-date', `${a.kind} until ${d.text}: expected an ISO date such as 2026-06-30`);
          return null;
        }
        if (!this.checkDate(d)) return null;
        return { kind: a.kind, until: String(d.value) };
      }
      case 'warn': {
        if (a.message && a.message.type !== 'string') {
          this.error(a.message.span, 'type', 'warn message expects a string');
          return null;
        }
        return { kind: 'warn', message: a.message ? String(a.message.value) : null };
      }
      case 'requireVex':
        return this.requireVex(a.entries);
      case 'annotate': {
        const v = this.expr(a.value, 'finding');
        if (!v) return null;
        return { kind: 'annotate', key: a.key, value: v.ir };
      }
      case 'escalate': {
        const v = a.to;
        const band = String(v.value).toLowerCase();
        if (v.type !== 'string' || !SEVERITY_SET.has(band) || band === 'unknown') {
          this.error(v.span, 'type', `escalate to ${v.text}: expected a severity band, one of ${SEVERITY_ORDER.filter((s) => s !== 'unknown').map((s) => `"${s}"`).join(', ')}`);
          return null;
        }
        return { kind: 'escalate', to: band as SeverityBand };
      }
    }
  }

  private requireVex(entries: EntryNode[]): IrAction | null {
    const seen = new Set<string>();
    const r = { kind: 'requireVex' as const, statuses: ['not_affected', 'fixed'], issuerClasses: null as string[] | null, issuers: null as string[] | null, justifications: null as string[] | null, minWeight: null as number | null, minTier: null as number | null, otherwise: 'blocked' as PolicyStatus };
    let ok = true;
    for (const e of entries) {
      const spec = REQUIRE_VEX_FIELDS.find((f) => f.key === e.key);
      if (!spec) {
        this.error(e.keySpan, 'unknown-identifier', `requireVex has no field ${e.key}${suggest(e.key, REQUIRE_VEX_FIELDS.map((f) => f.key))}; fields: ${REQUIRE_VEX_FIELDS.map((f) => f.key).join(', ')}`);
        ok = false;
        continue;
      }
      if (seen.has(e.key)) {
        this.error(e.keySpan, 'duplicate-key', `requireVex field ${e.key} is given twice`);
        ok = false;
        continue;
      }
      seen.add(e.key);
      const v = e.value;
      if (spec.type === 'list') {
        if (v.kind !== 'list' || v.items.some((i) => i.kind !== 'literal' || i.type !== 'string')) {
          this.error(v.span, 'type', `requireVex ${e.key} expects a list of strings, e.g. ${e.key} = ["…"]`);
          ok = false;
          continue;
        }
        const items = v.items as LiteralNode[];
        const values = items.map((i) => String(i.value));
        const allowed = e.key === 'statuses' ? VEX_STATUSES : e.key === 'issuer_class' ? ISSUER_CLASSES : e.key === 'justifications' ? VEX_JUSTIFICATIONS : null;
        items.forEach((it) => {
          const s = String(it.value);
          if (!allowed || allowed.includes(s as never)) return;
          const msg = `requireVex ${e.key}: ${it.text} is not one of ${allowed.map((x) => `"${x}"`).join(', ')}${suggest(s, allowed)}`;
          if (e.key === 'statuses') {
            this.error(it.span, 'unknown-value', msg);
            ok = false;
          } else this.warn(it.span, 'unknown-value', msg);
        });
        if (e.key === 'statuses') r.statuses = values;
        else if (e.key === 'issuer_class') r.issuerClasses = values;
        else if (e.key === 'issuers') r.issuers = values;
        else r.justifications = values;
      } else if (spec.type === 'number') {
        if (v.kind !== 'literal' || v.type !== 'number') {
          this.error(v.span, 'type', `requireVex ${e.key} expects a number`);
          ok = false;
          continue;
        }
        if (e.key === 'min_weight') r.minWeight = v.value as number;
        else r.minTier = v.value as number;
      } else {
        if (v.kind !== 'literal' || v.type !== 'string' || !(POLICY_STATUS_NAMES as readonly string[]).includes(String(v.value))) {
          this.error(v.span, 'unknown-status', `requireVex otherwise expects a status, one of ${POLICY_STATUS_NAMES.map((s) => `"${s}"`).join(', ')}`);
          ok = false;
          continue;
        }
        r.otherwise = v.value as PolicyStatus;
      }
    }
    return ok ? r : null;
  }

  private checkDate(d: LiteralNode): boolean {
    if (parseIsoDate(String(d.value)) === null) {
      this.error(d.span, 'invalid-date', `invalid date ${d.text}: expected an ISO 8601 date (YYYY-MM-DD) or date-time with zone that exists on the calendar`);
      return false;
    }
    return true;
  }

  // ---- expressions -----------------------------------------------------------------------------

  private notACondition(node: ExprNode, t: Typed): void {
    const hint = t.type === 'number' ? ' — compare it, e.g. epss >= 0.5' : t.type === 'string' || t.type === 'severity' ? ' — compare it with ==, != or in [...]' : '';
    this.error(node.span, 'type', `${describe(node)} is a ${t.type}, not a condition${hint}`);
  }

  expr(node: ExprNode, scope: 'finding' | 'statement'): Typed | null {
    switch (node.kind) {
      case 'literal':
        if (node.type === 'date' && !this.checkDate(node)) return null;
        return { ir: { op: 'const', type: node.type, value: node.value }, type: node.type };
      case 'list': {
        const items = node.items as LiteralNode[];
        const types = new Set(items.map((i) => i.type));
        if (types.size > 1) {
          this.error(node.span, 'type', `a list holds values of one type; this one mixes ${[...types].join(' and ')}`);
          return null;
        }
        for (const i of items) if (i.type === 'date' && !this.checkDate(i)) return null;
        const elem = (items[0]?.type ?? 'string') as IrScalarType;
        return { ir: { op: 'list', type: elem, values: items.map((i) => i.value) }, type: 'list', elem };
      }
      case 'path':
        return this.path(node, scope);
      case 'call':
        return this.call(node, scope);
      case 'and':
      case 'or': {
        const l = this.expr(node.left, scope);
        const r = this.expr(node.right, scope);
        if (l && !isCondition(l)) this.notACondition(node.left, l);
        if (r && !isCondition(r)) this.notACondition(node.right, r);
        if (!l || !r || !isCondition(l) || !isCondition(r)) return null;
        const args = [...flatten(node.kind, l.ir), ...flatten(node.kind, r.ir)];
        return { ir: { op: node.kind, args }, type: 'bool' };
      }
      case 'not': {
        const a = this.expr(node.arg, scope);
        if (!a) return null;
        if (!isCondition(a)) {
          this.notACondition(node.arg, a);
          return null;
        }
        return { ir: { op: 'not', arg: a.ir }, type: 'bool' };
      }
      case 'compare':
        return this.compare(node, scope);
      case 'in':
        return this.inList(node, scope);
    }
  }

  private path(node: Extract<ExprNode, { kind: 'path' }>, scope: 'finding' | 'statement'): Typed | null {
    const name = node.segments.join('.');
    if (scope === 'statement') {
      const s = VEX_STATEMENT_FIELDS.find((f) => f.path === name);
      if (s) return { ir: { op: 'stmt', path: s.path }, type: s.type, spec: s };
    }
    const f = FIELDS.find((x) => x.path === name);
    if (f) return { ir: { op: 'field', path: f.path }, type: f.type, ...(f.type === 'list' ? { elem: 'string' as const } : {}), spec: f };
    if (name.startsWith(ENV_PREFIX) && node.segments.length >= 2) return { ir: { op: 'env', key: node.segments.slice(1).join('.') }, type: 'any' };
    if (FUNCTIONS.some((fn) => fn.name === name)) {
      this.error(node.span, 'type', `${name} is a function: call it, e.g. ${FUNCTIONS.find((fn) => fn.name === name)?.example ?? `${name}(…)`}`);
      return null;
    }
    const known = [...FIELDS.map((x) => x.path), ...(scope === 'statement' ? VEX_STATEMENT_FIELDS.map((x) => x.path) : []), 'env.NAME'];
    const vexHint = scope === 'finding' && VEX_STATEMENT_FIELDS.some((s) => s.path === name) ? ` (${name} is a VEX statement field: use it inside vex.any(...))` : '';
    const children = known.filter((k) => k.startsWith(`${name}.`));
    const childHint = !vexHint && children.length ? ` (did you mean ${children.slice(0, 3).join(', ')}?)` : '';
    this.error(node.span, 'unknown-identifier', `unknown identifier ${name}${vexHint || childHint || suggest(name, known)}`);
    return null;
  }

  private call(node: Extract<ExprNode, { kind: 'call' }>, scope: 'finding' | 'statement'): Typed | null {
    const fn = FUNCTIONS.find((f) => f.name === node.callee);
    if (!fn) {
      const isField = FIELDS.some((f) => f.path === node.callee);
      this.error(node.calleeSpan, 'unknown-identifier', isField ? `${node.callee} is a field, not a function` : `unknown function ${node.callee}${suggest(node.callee, FUNCTIONS.map((f) => f.name))}`);
      return null;
    }
    if (node.args.length !== fn.params.length) {
      this.error(node.span, 'type', `${fn.name} takes ${fn.params.length} argument${fn.params.length === 1 ? '' : 's'}, got ${node.args.length}: ${fn.example}`);
      return null;
    }
    const arg = node.args[0] as ExprNode;
    if (fn.name === 'vex.any') {
      if (scope === 'statement') {
        this.error(node.span, 'type', 'vex.any(...) cannot be nested inside vex.any(...)');
        return null;
      }
      const pred = this.expr(arg, 'statement');
      if (!pred) return null;
      if (!isCondition(pred)) {
        this.notACondition(arg, pred);
        return null;
      }
      return { ir: { op: 'vex_any', pred: pred.ir }, type: 'bool' };
    }
    if (arg.kind !== 'literal' || arg.type !== 'string') {
      this.error(arg.span, 'type', `${fn.name} expects a string literal, e.g. ${fn.example}`);
      return null;
    }
    return { ir: { op: 'has_tag', of: fn.name === 'advisory.has_tag' ? 'advisory' : 'sbom', tag: String(arg.value) }, type: 'bool' };
  }

  private compare(node: Extract<ExprNode, { kind: 'compare' }>, scope: 'finding' | 'statement'): Typed | null {
    const l = this.expr(node.left, scope);
    const r = this.expr(node.right, scope);
    if (!l || !r) return null;
    if (l.type === 'list' || r.type === 'list') {
      this.error(node.span, 'type', `${node.op} does not compare lists: use "VALUE in LIST"`);
      return null;
    }
    const kind = this.compareKind(node.span, l, r, node.op);
    if (!kind) return null;
    const left = this.coerce(l, kind, r, node.left.span);
    const right = this.coerce(r, kind, l, node.right.span);
    if (!left || !right) return null;
    if (l.ir.op === 'const' && r.ir.op === 'const') this.warn(node.span, 'constant-condition', `${describe(node)} compares two constants`);
    return { ir: { op: 'cmp', cmp: node.op, kind, left, right }, type: 'bool' };
  }

  /** The domain of a comparison, or null after reporting why the two sides do not compare. */
  private compareKind(span: Span, l: Typed, r: Typed, op: string): IrCompareKind | null {
    const ordered = op !== '==' && op !== '!=';
    if (l.type === 'any' || r.type === 'any') {
      const other = l.type === 'any' ? r : l;
      if (other.type === 'any') return 'any';
      if (other.type === 'bool' && ordered) {
        this.error(span, 'type', `${op} is not defined for booleans`);
        return null;
      }
      // An env value meets a typed side: compare in that side's domain (strings stay strings, etc.).
      return other.type === 'severity' ? 'severity' : (other.type as IrScalarType);
    }
    if (l.type === 'severity' || r.type === 'severity') {
      const other = l.type === 'severity' ? r : l;
      if (other.type !== 'severity' && other.type !== 'string') {
        this.error(span, 'type', `cannot compare a severity with a ${other.type}: use a band such as "high"`);
        return null;
      }
      return 'severity';
    }
    if (l.type !== r.type) {
      this.error(span, 'type', `cannot compare a ${l.type} with a ${r.type}`);
      return null;
    }
    if (ordered && (l.type === 'string' || l.type === 'bool')) {
      this.error(span, 'type', `${op} orders numbers, dates and severities, not ${l.type === 'bool' ? 'booleans' : 'strings'}`);
      return null;
    }
    return l.type as IrScalarType;
  }

  /** A side of a comparison in the comparison's domain: severity literals normalized, allowed values checked. */
  private coerce(side: Typed, kind: IrCompareKind, other: Typed, span: Span): IrExpr | null {
    const ir = side.ir;
    if (ir.op !== 'const') return ir;
    if (kind === 'severity') {
      const band = String(ir.value).toLowerCase();
      if (ir.type !== 'string' || !SEVERITY_SET.has(band)) {
        this.error(span, 'unknown-value', `${JSON.stringify(ir.value)} is not a severity: expected one of ${SEVERITY_ORDER.map((s) => `"${s}"`).join(', ')}`);
        return null;
      }
      return { op: 'const', type: 'severity', value: band };
    }
    if (kind === 'date' && ir.type === 'string') {
      if (parseIsoDate(String(ir.value)) === null) {
        this.error(span, 'invalid-date', `invalid date ${JSON.stringify(ir.value)}: expected an ISO 8601 date (YYYY-MM-DD)`);
        return null;
      }
      return { op: 'const', type: 'date', value: ir.value };
    }
    if (other.spec?.values && ir.type === 'string') this.checkAllowed(String(ir.value), other.spec, span);
    return ir;
  }

  /** A literal a field never takes: an error for closed vocabularies, a warning for open ones. */
  private checkAllowed(value: string, spec: FieldSpec, span: Span): void {
    if (!spec.values || spec.values.includes(value)) return;
    const msg = `${spec.path} is never ${JSON.stringify(value)}: its values are ${spec.values.map((x) => `"${x}"`).join(', ')}${suggest(value, spec.values)}`;
    if (spec.strict) this.error(span, 'unknown-value', msg);
    else this.warn(span, 'unknown-value', msg);
  }

  private inList(node: Extract<ExprNode, { kind: 'in' }>, scope: 'finding' | 'statement'): Typed | null {
    const l = this.expr(node.left, scope);
    const r = this.expr(node.right, scope);
    if (!l || !r) return null;
    if (r.type !== 'list') {
      this.error(node.right.span, 'type', `"in" expects a list on its right, e.g. ${describe(node.left)} in ["a", "b"]`);
      return null;
    }
    const elemType: ValueType = l.type === 'list' ? (l.elem ?? 'string') : l.type;
    const listElem = r.elem ?? 'string';
    let kind: IrCompareKind;
    if (elemType === 'any') kind = listElem;
    else if (elemType === 'severity') kind = 'severity';
    else if (r.ir.op === 'list' && r.ir.values.length === 0) kind = elemType as IrScalarType;
    else if (elemType !== listElem) {
      this.error(node.span, 'type', `cannot look for a ${elemType} in a list of ${listElem}s`);
      return null;
    } else kind = elemType as IrScalarType;
    let list = r.ir;
    if (list.op === 'list') {
      const spec = l.spec;
      if (kind === 'severity') {
        const bad = list.values.find((v) => !SEVERITY_SET.has(String(v).toLowerCase()));
        if (bad !== undefined || list.type !== 'string') {
          this.error(node.right.span, 'unknown-value', `${JSON.stringify(bad)} is not a severity: expected bands from ${SEVERITY_ORDER.map((s) => `"${s}"`).join(', ')}`);
          return null;
        }
        list = { op: 'list', type: 'severity', values: list.values.map((v) => String(v).toLowerCase()) };
      } else if (spec?.values) {
        for (const v of list.values) this.checkAllowed(String(v), spec, node.right.span);
      }
      if (list.values.length === 0) this.warn(node.right.span, 'constant-condition', `"in []" is never true`);
    }
    const ir: IrExpr = { op: 'in', kind, value: l.ir, list };
    return { ir: node.negated ? { op: 'not', arg: ir } : ir, type: 'bool' };
  }
}

/** Booleans, and `env.*` values (true only when the host gave `true`). */
function isCondition(t: Typed): boolean {
  return t.type === 'bool' || t.type === 'any';
}

function flatten(op: 'and' | 'or', e: IrExpr): IrExpr[] {
  return e.op === op ? e.args : [e];
}

function describe(node: ExprNode): string {
  switch (node.kind) {
    case 'path':
      return node.segments.join('.');
    case 'literal':
      return node.text;
    case 'call':
      return `${node.callee}(…)`;
    default:
      return 'this expression';
  }
}

/** ` (did you mean "x"?)` for the closest known name within a small edit distance, else ''. */
export function suggest(name: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean ${best}?)` : '';
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j] as number;
      prev[j] = Math.min((prev[j] as number) + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length] as number;
}

// ---- reachability ----------------------------------------------------------------------------

/** The constant truth value of a condition, or undefined when it depends on the finding. */
export function constantTruth(e: IrExpr): boolean | undefined {
  switch (e.op) {
    case 'const':
      return e.type === 'bool' ? (e.value as boolean) : undefined;
    case 'not': {
      const v = constantTruth(e.arg);
      return v === undefined ? undefined : !v;
    }
    case 'and': {
      const vs = e.args.map(constantTruth);
      if (vs.some((v) => v === false)) return false;
      return vs.every((v) => v === true) ? true : undefined;
    }
    case 'or': {
      const vs = e.args.map(constantTruth);
      if (vs.some((v) => v === true)) return true;
      return vs.every((v) => v === false) ? false : undefined;
    }
    case 'cmp':
      if (e.left.op === 'const' && e.right.op === 'const' && e.kind !== 'any') {
        const a = e.left.value;
        const b = e.right.value;
        const order = e.kind === 'severity' ? (x: IrConst) => SEVERITY_ORDER.indexOf(x as SeverityBand) : e.kind === 'date' ? (x: IrConst) => parseIsoDate(String(x)) ?? 0 : (x: IrConst) => x;
        const x = order(a);
        const y = order(b);
        switch (e.cmp) {
          case '==':
            return x === y;
          case '!=':
            return x !== y;
          case '<':
            return x < y;
          case '<=':
            return x <= y;
          case '>':
            return x > y;
          case '>=':
            return x >= y;
        }
      }
      return undefined;
    case 'in':
      if (e.list.op === 'list' && e.list.values.length === 0) return false;
      return undefined;
    default:
      return undefined;
  }
}

function hasExpiry(actions: IrAction[] | null): boolean {
  return actions !== null && actions.some((a) => a.kind === 'ignore' || a.kind === 'defer');
}

/** Does the rule decide every finding that reaches it (so nothing after it is ever tried)? */
function catchesAll(r: IrRule): boolean {
  const t = constantTruth(r.when);
  if (t === true) return !hasExpiry(r.then);
  if (t === false) return r.else !== null && !hasExpiry(r.else);
  return r.else !== null && !hasExpiry(r.then) && !hasExpiry(r.else);
}

function lintReachability(entries: { rule: IrRule; node: RuleNode; file: string }[], out: Diagnostic[]): void {
  const keyOf = (e: IrExpr) => canonicalJson(e);
  let catcher: { rule: IrRule; file: string; node: RuleNode } | undefined;
  const earlier: { key: string; rule: IrRule; file: string; node: RuleNode }[] = [];
  for (const e of entries) {
    const where = (x: { file: string; node: RuleNode }) => `${x.file}:${x.node.nameSpan.start.line}:${x.node.nameSpan.start.column}`;
    if (catcher) {
      out.push(
        diag(e.file, e.node.nameSpan, 'warning', 'unreachable-rule', `rule ${e.rule.name} is unreachable: rule ${catcher.rule.name} (${where(catcher)}, priority ${catcher.rule.priority}) decides every finding before it`),
      );
      continue;
    }
    const t = constantTruth(e.rule.when);
    if (t === false && e.rule.else === null) {
      out.push(diag(e.file, e.node.when.span, 'warning', 'unreachable-rule', `rule ${e.rule.name} never fires: its condition is always false`));
    }
    if (e.rule.else === null) {
      const conjuncts = e.rule.when.op === 'and' ? e.rule.when.args.map(keyOf) : [keyOf(e.rule.when)];
      const shadow = earlier.find((x) => conjuncts.includes(x.key));
      if (shadow) {
        out.push(
          diag(e.file, e.node.nameSpan, 'warning', 'unreachable-rule', `rule ${e.rule.name} is unreachable: every finding it matches is decided first by rule ${shadow.rule.name} (${where(shadow)}) with the condition ${'`'}${shadowText(shadow.rule)}${'`'}`),
        );
      }
    }
    if (catchesAll(e.rule)) catcher = e;
    else if (e.rule.else === null && !hasExpiry(e.rule.then)) earlier.push({ key: keyOf(e.rule.when), rule: e.rule, file: e.file, node: e.node });
  }
}

function shadowText(r: IrRule): string {
  return renderExpr(r.when);
}
