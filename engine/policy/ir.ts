/**
 * The compiled form of a policy pack: plain JSON, no source positions or comments, so re-formatting a
 * file leaves the digest unchanged while any change of meaning changes it. Hashed as RFC 8785
 * canonical JSON (`irDigest`). Rules are stored in evaluation order (priority, then file, then position).
 */
import { digestJson, type Digest } from '../core';
import type { ComparisonOperator, PolicyStatus, SeverityBand } from './language';

export type IrScalarType = 'string' | 'number' | 'bool' | 'date' | 'severity';
export type IrConst = string | number | boolean;

/** The domain a comparison is decided in (fixed by the checker, so the evaluator never guesses). */
export type IrCompareKind = IrScalarType | 'any';

export type IrExpr =
  | { op: 'const'; type: IrScalarType; value: IrConst }
  | { op: 'list'; type: IrScalarType; values: IrConst[] }
  /** A field of the finding (`severity.level`, `component.purl` …). */
  | { op: 'field'; path: string }
  /** A field of the VEX statement under test, inside `vex_any`. */
  | { op: 'stmt'; path: string }
  | { op: 'env'; key: string }
  | { op: 'and' | 'or'; args: IrExpr[] }
  | { op: 'not'; arg: IrExpr }
  | { op: 'cmp'; cmp: ComparisonOperator; kind: IrCompareKind; left: IrExpr; right: IrExpr }
  /** `value in list`; with a list on the left: any element in the list. */
  | { op: 'in'; kind: IrCompareKind; value: IrExpr; list: IrExpr }
  | { op: 'has_tag'; of: 'advisory' | 'sbom'; tag: string }
  | { op: 'vex_any'; pred: IrExpr };

export interface IrRequireVex {
  kind: 'requireVex';
  statuses: string[];
  issuerClasses: string[] | null;
  issuers: string[] | null;
  justifications: string[] | null;
  minWeight: number | null;
  minTier: number | null;
  otherwise: PolicyStatus;
}

export type IrAction =
  | { kind: 'status'; status: PolicyStatus }
  | { kind: 'ignore' | 'defer'; until: string }
  | { kind: 'warn'; message: string | null }
  | IrRequireVex
  | { kind: 'annotate'; key: string; value: IrExpr }
  | { kind: 'escalate'; to: SeverityBand };

export interface IrRule {
  name: string;
  /** Name of the policy (file) the rule belongs to. */
  policy: string;
  priority: number;
  when: IrExpr;
  then: IrAction[];
  else: IrAction[] | null;
  because: string;
}

export interface IrSettings {
  defaultStatus: PolicyStatus;
  unknownsBudget: number | null;
  unknownsAction: 'warn' | 'blocked';
}

export type MetadataValue = IrConst | IrConst[];

export interface PolicyIr {
  syntax: 'stella-dsl@1';
  pack: { name: string; version: string };
  policies: { name: string; file: string; metadata: Record<string, MetadataValue> }[];
  settings: IrSettings;
  rules: IrRule[];
}

export function irDigest(ir: PolicyIr): Digest {
  return digestJson(ir);
}

/** Source text of an IR expression, for explain traces and lint messages (not the original spelling). */
export function renderExpr(e: IrExpr): string {
  switch (e.op) {
    case 'const':
      return renderConst(e.type, e.value);
    case 'list':
      return `[${e.values.map((v) => renderConst(e.type, v)).join(', ')}]`;
    case 'field':
    case 'stmt':
      return e.path;
    case 'env':
      return `env.${e.key}`;
    case 'and':
    case 'or':
      return e.args.map((a) => (a.op === 'and' || a.op === 'or' ? `(${renderExpr(a)})` : renderExpr(a))).join(` ${e.op} `);
    case 'not':
      return e.arg.op === 'in' ? `${renderExpr(e.arg.value)} not in ${renderExpr(e.arg.list)}` : `not ${wrap(e.arg)}`;
    case 'cmp':
      return `${renderExpr(e.left)} ${e.cmp} ${renderExpr(e.right)}`;
    case 'in':
      return `${renderExpr(e.value)} in ${renderExpr(e.list)}`;
    case 'has_tag':
      return `${e.of}.has_tag(${JSON.stringify(e.tag)})`;
    case 'vex_any':
      return `vex.any(${renderExpr(e.pred)})`;
  }
}

function wrap(e: IrExpr): string {
  return e.op === 'and' || e.op === 'or' || e.op === 'cmp' || e.op === 'in' ? `(${renderExpr(e)})` : renderExpr(e);
}

function renderConst(type: IrScalarType, v: IrConst): string {
  return type === 'string' || type === 'severity' ? JSON.stringify(v) : String(v);
}
