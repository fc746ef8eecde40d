/**
 * CRAN: R's `utils::compareVersion(a, b)` (r-base-core 4.2): split on `.` and `-`, coerce each part with
 * `as.integer`, compare part by part; a longer list wins when the shorter is a prefix. No padding, so
 * `1.8 < 1.8.0` (base::package_version would pad — compareVersion is what CRAN tooling and OSV use).
 * A part that `as.integer` turns into NA (not a number, or beyond 2^31-1) only fails when the comparison
 * reaches it — exactly when R stops with "missing value where TRUE/FALSE needed".
 */
import { Invalid, type VersionScheme } from './scheme';

export interface CranVersion {
  raw: string;
  /** NaN marks a part that R's as.integer makes NA. */
  parts: number[];
}

const INT_MAX = 2147483647;

/** R's String -> integer coercion (R_strtod then range check, truncating toward zero); NaN for NA. */
export function rAsInteger(s: string): number {
  const t = s.trim();
  if (t.length === 0 || t === 'NA') return NaN;
  let x: number;
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(t)) x = Number.parseInt(t, 16);
  else if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) x = Number(t);
  else return NaN;
  if (!Number.isFinite(x) || x >= INT_MAX + 1 || x <= -INT_MAX - 1) return NaN;
  return Math.trunc(x);
}

export function parseCran(v: string): CranVersion {
  // R's strsplit drops one trailing empty piece ("1." -> "1") and returns nothing for "".
  const pieces = v.split(/[.-]/);
  if (pieces.length > 0 && pieces[pieces.length - 1] === '') pieces.pop();
  return { raw: v, parts: pieces.map(rAsInteger) };
}

export function isValidCran(v: CranVersion): boolean {
  return v.parts.length > 0 && v.parts.every((p) => !Number.isNaN(p));
}

export const cranScheme: VersionScheme<CranVersion> = {
  id: 'cran',
  rule: 'R version: integers (at most 2^31-1) separated by "." or "-"',
  parse: parseCran,
  compare(a, b) {
    for (let k = 0; k < a.parts.length; k++) {
      if (k >= b.parts.length) return 1;
      const x = a.parts[k] as number;
      const y = b.parts[k] as number;
      if (Number.isNaN(x)) throw new Invalid(`part ${k + 1} is not an integer R can hold`, a.raw);
      if (Number.isNaN(y)) throw new Invalid(`part ${k + 1} is not an integer R can hold`, b.raw);
      if (x > y) return 1;
      if (x < y) return -1;
    }
    return b.parts.length > a.parts.length ? -1 : 0;
  },
};
