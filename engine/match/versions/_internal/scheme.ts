/** The shape every ecosystem's version scheme implements, plus small shared helpers. */

export type CompareResult = -1 | 0 | 1;

/** Why a version string is rejected; returned (not thrown) by `parse` so hot loops avoid exceptions. */
export class Invalid {
  constructor(
    readonly reason: string,
    /** Set when a comparison (not a parse) failed on one of its operands (CRAN's lazy compareVersion). */
    readonly version?: string,
  ) {}
}

export interface VersionScheme<P> {
  /** Short name of the scheme, e.g. `dpkg`. */
  readonly id: string;
  /** One line naming the rule a rejected version broke, used in error messages. */
  readonly rule: string;
  parse(version: string): P | Invalid;
  /** May throw `Invalid` (with `version`) when the ecosystem's tool fails only while comparing. */
  compare(a: P, b: P): CompareResult;
}

export function sign(n: number): CompareResult {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Compare two strings of ASCII digits as arbitrary-size non-negative integers. */
export function compareDigits(a: string, b: string): CompareResult {
  let i = 0;
  let j = 0;
  while (i < a.length - 1 && a.charCodeAt(i) === 48) i++;
  while (j < b.length - 1 && b.charCodeAt(j) === 48) j++;
  const la = a.length - i;
  const lb = b.length - j;
  if (la !== lb) return la < lb ? -1 : 1;
  for (; i < a.length; i++, j++) {
    const d = a.charCodeAt(i) - b.charCodeAt(j);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Plain code-unit order (what C's strcmp gives for ASCII). */
export function compareStrings(a: string, b: string): CompareResult {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAlphaCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
