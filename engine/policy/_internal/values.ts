/**
 * The primitive semantics of conditions, shared by the fast closure compiler (evaluate.ts) and the
 * tracing interpreter (explain.ts) so both decide every comparison the same way.
 *
 * Missing values (`epss` without an EPSS score, `component.purl` without a purl, an `env.*` not given)
 * are `undefined`: every comparison with a missing value is false except `!=`, which is true, and
 * `in` is false.
 */
import { SEVERITY_ORDER, type ComparisonOperator } from '../language';
import type { IrCompareKind, IrConst } from '../ir';
import { isCurrentStatement, type PolicyFindingInput, type PolicyVexStatement } from '../input';
import { evaluationInstant } from '../syntax';

export type Value = string | number | boolean | readonly string[] | undefined;

const NONE = 'none';

/** Getter of every finding field the language names (language.ts FIELDS; a test keeps them in step). */
export const FIELD_GETTERS: Readonly<Record<string, (f: PolicyFindingInput) => Value>> = {
  'severity.level': (f) => f.severity.level,
  'severity.score': (f) => f.severity.score ?? undefined,
  'advisory.id': (f) => f.vulnerabilityId,
  'advisory.aliases': (f) => f.aliases,
  'advisory.kev': (f) => f.kev,
  'advisory.sources': (f) => f.advisory.sources,
  epss: (f) => f.epss?.score,
  'epss.percentile': (f) => f.epss?.percentile,
  'fix.available': (f) => f.fixedVersions.length > 0,
  'fix.versions': (f) => f.fixedVersions,
  'component.purl': (f) => f.component.purl,
  'component.name': (f) => f.component.name,
  'component.version': (f) => f.component.version,
  'component.ecosystem': (f) => f.component.ecosystem,
  'component.type': (f) => f.component.type,
  'component.scope': (f) => f.component.scope,
  'component.declared': (f) => f.component.declared,
  'component.installed': (f) => !f.component.declared,
  'vex.status': (f) => f.vex?.status ?? NONE,
  'vex.justification': (f) => f.vex?.justification ?? NONE,
  'vex.confidence': (f) => f.vex?.confidence ?? 0,
  'vex.conflict': (f) => (f.vex?.conflicts.length ?? 0) > 0,
  'vex.count': (f) => (f.vex ? f.vex.statements.filter(isCurrentStatement).length : 0),
};

export const STATEMENT_GETTERS: Readonly<Record<string, (s: PolicyVexStatement) => Value>> = {
  status: (s) => s.status,
  justification: (s) => s.justification ?? NONE,
  issuer: (s) => s.issuer,
  issuer_class: (s) => s.issuerClass,
  tier: (s) => s.tier,
  weight: (s) => s.weight,
  role: (s) => s.role,
};

const RANK: Readonly<Record<string, number>> = Object.fromEntries(SEVERITY_ORDER.map((s, i) => [s, i]));

export function severityRank(band: string): number {
  return RANK[band] ?? 0;
}

/** A value in the comparison's domain, or undefined when it has no place there. */
export function normalizeFor(kind: IrCompareKind, v: Value): number | string | boolean | undefined {
  if (v === undefined || Array.isArray(v)) return undefined;
  switch (kind) {
    case 'severity':
      return typeof v === 'string' ? RANK[v.toLowerCase()] : undefined;
    case 'date':
      return typeof v === 'string' ? (evaluationInstant(v) ?? undefined) : undefined;
    case 'number':
      if (typeof v === 'number') return v;
      // An env value given on the command line as text still compares as a number.
      return typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
    case 'string':
      return typeof v === 'string' ? v : undefined;
    case 'bool':
      return typeof v === 'boolean' ? v : undefined;
    case 'any':
      return v as string | number | boolean;
  }
}

export function compareNormalized(op: ComparisonOperator, a: number | string | boolean | undefined, b: number | string | boolean | undefined): boolean {
  if (a === undefined || b === undefined) return op === '!=';
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return typeof a === typeof b && a < b;
    case '<=':
      return typeof a === typeof b && a <= b;
    case '>':
      return typeof a === typeof b && a > b;
    case '>=':
      return typeof a === typeof b && a >= b;
  }
}

/** Membership set of a constant list, normalized for the kind. */
export function constSet(kind: IrCompareKind, values: readonly IrConst[]): Set<number | string | boolean> {
  const out = new Set<number | string | boolean>();
  for (const v of values) {
    const n = normalizeFor(kind, v);
    if (n !== undefined) out.add(n);
  }
  return out;
}

/** `value in list`: a list value is in when any element is. */
export function inSet(kind: IrCompareKind, value: Value, set: ReadonlySet<number | string | boolean>): boolean {
  if (value === undefined) return false;
  if (Array.isArray(value)) {
    for (const x of value) {
      const n = normalizeFor(kind, x);
      if (n !== undefined && set.has(n)) return true;
    }
    return false;
  }
  const n = normalizeFor(kind, value as string | number | boolean);
  return n !== undefined && set.has(n);
}

/** A list-valued right side (e.g. `"GHSA-…" in advisory.aliases`) as a set. */
export function listValueSet(kind: IrCompareKind, list: Value): Set<number | string | boolean> {
  if (!Array.isArray(list)) return new Set();
  return constSet(kind, list as readonly string[]);
}

export function advisoryHasTag(f: PolicyFindingInput, tag: string): boolean {
  switch (tag) {
    case 'kev':
      if (f.kev) return true;
      break;
    case 'fix-available':
      if (f.fixedVersions.length > 0) return true;
      break;
    case 'epss':
      if (f.epss !== undefined) return true;
      break;
  }
  return f.advisory.sources.includes(tag) || f.advisory.tags.includes(tag);
}

export function sbomHasTag(f: PolicyFindingInput, tag: string): boolean {
  return f.sbom.tags.includes(tag);
}
