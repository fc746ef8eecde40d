/**
 * Severity normalization, applied when findings and conflicts are computed — never at ingest (AOC):
 * the severities a source gave are kept as given; this derives one comparable number and level.
 *
 * - CVSS v3.0/v3.1: the v3.1 base-score formula (specification §7.1, including its Roundup).
 * - CVSS v2: the v2 base equation.
 * - CVSS v4: an APPROXIMATION. The real v4 score comes from macro-vector lookup tables; here the v4
 *   base metrics are mapped onto the v3.1 equation (AT:P lowers exploitability like AC:H, any impact on
 *   subsequent systems is treated as a scope change). The method is reported as `cvss-v4-approx` so a
 *   reader knows the number is not the official one.
 * - Text levels (GHSA `MODERATE`, distro priorities): a level only, no number.
 */
import type { SeverityAsGiven, SeverityLevel } from '../core';

export type ScoreMethod = 'cvss-v3' | 'cvss-v2' | 'cvss-v4-approx' | 'numeric' | 'text' | 'none';

export interface NormalizedSeverity {
  score: number | null;
  level: SeverityLevel;
  method: ScoreMethod;
  /** The given severity the number came from. */
  from?: SeverityAsGiven;
}

function parseVector(vector: string, prefix: RegExp): Map<string, string> | null {
  const v = vector.trim().replace(prefix, '');
  const m = new Map<string, string>();
  for (const part of v.split('/')) {
    if (!part) continue;
    const i = part.indexOf(':');
    if (i <= 0) return null;
    m.set(part.slice(0, i), part.slice(i + 1));
  }
  return m;
}

/** CVSS v3.1 Roundup: smallest number with one decimal ≥ x, robust against floating-point error. */
export function roundUp1(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

const V3 = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

function pick<T extends Record<string, number>>(table: T, key: string | undefined): number | null {
  if (key === undefined || !(key in table)) return null;
  return table[key as keyof T] as number;
}

function v3Equation(av: number, ac: number, pr: number, ui: number, c: number, i: number, a: number, changed: boolean): number {
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const expl = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  return changed ? roundUp1(Math.min(1.08 * (impact + expl), 10)) : roundUp1(Math.min(impact + expl, 10));
}

/** CVSS v3.x base score from a vector (`CVSS:3.1/AV:N/…`); null when the vector is malformed. */
export function cvss3BaseScore(vector: string): number | null {
  if (!/^CVSS:3\.[01]\//.test(vector.trim())) return null;
  const m = parseVector(vector, /^CVSS:3\.[01]\//);
  if (!m) return null;
  const changed = m.get('S') === 'C' ? true : m.get('S') === 'U' ? false : null;
  const av = pick(V3.AV, m.get('AV'));
  const ac = pick(V3.AC, m.get('AC'));
  const ui = pick(V3.UI, m.get('UI'));
  const c = pick(V3.CIA, m.get('C'));
  const i = pick(V3.CIA, m.get('I'));
  const a = pick(V3.CIA, m.get('A'));
  const prKey = m.get('PR');
  const pr = prKey === 'N' ? 0.85 : prKey === 'L' ? (changed ? 0.68 : 0.62) : prKey === 'H' ? (changed ? 0.5 : 0.27) : null;
  if (changed === null || av === null || ac === null || ui === null || c === null || i === null || a === null || pr === null) return null;
  return v3Equation(av, ac, pr, ui, c, i, a, changed);
}

/** CVSS v2 base score (`AV:N/AC:L/Au:N/C:P/I:P/A:P`, optionally `(AV:…)`); null when malformed. */
export function cvss2BaseScore(vector: string): number | null {
  const m = parseVector(vector.replace(/^\(|\)$/g, ''), /^CVSS:2\.0\//);
  if (!m) return null;
  const av = pick({ L: 0.395, A: 0.646, N: 1.0 }, m.get('AV'));
  const ac = pick({ H: 0.35, M: 0.61, L: 0.71 }, m.get('AC'));
  const au = pick({ M: 0.45, S: 0.56, N: 0.704 }, m.get('Au'));
  const cia = { N: 0, P: 0.275, C: 0.66 };
  const c = pick(cia, m.get('C'));
  const i = pick(cia, m.get('I'));
  const a = pick(cia, m.get('A'));
  if (av === null || ac === null || au === null || c === null || i === null || a === null) return null;
  const impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  const expl = 20 * av * ac * au;
  const f = impact === 0 ? 0 : 1.176;
  return Math.round((0.6 * impact + 0.4 * expl - 1.5) * f * 10) / 10;
}

/** Approximate CVSS v4 base score (see the module comment); null when malformed. */
export function cvss4ApproxScore(vector: string): number | null {
  if (!/^CVSS:4\.0\//.test(vector.trim())) return null;
  const m = parseVector(vector, /^CVSS:4\.0\//);
  if (!m) return null;
  const av = pick(V3.AV, m.get('AV'));
  const ac = pick(V3.AC, m.get('AC'));
  const at = pick({ N: 1, P: 0.57 }, m.get('AT'));
  const ui = pick({ N: 0.85, P: 0.68, A: 0.62 }, m.get('UI'));
  const pr = pick({ N: 0.85, L: 0.62, H: 0.27 }, m.get('PR'));
  const c = pick(V3.CIA, m.get('VC'));
  const i = pick(V3.CIA, m.get('VI'));
  const a = pick(V3.CIA, m.get('VA'));
  const sub = ['SC', 'SI', 'SA'].map((k) => m.get(k));
  if (av === null || ac === null || at === null || ui === null || pr === null || c === null || i === null || a === null || sub.some((s) => s === undefined)) return null;
  const changed = sub.some((s) => s === 'H' || s === 'L');
  return v3Equation(av, ac * at, pr, ui, c, i, a, changed);
}

export function levelOfScore(score: number): SeverityLevel {
  if (score <= 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

const TEXT_LEVELS: Record<string, SeverityLevel> = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  negligible: 'low',
  unimportant: 'low',
  none: 'none',
};

export function levelOfText(text: string): SeverityLevel | null {
  return TEXT_LEVELS[text.trim().toLowerCase()] ?? null;
}

/** Score one given severity; null when it cannot be interpreted. */
export function scoreOne(s: SeverityAsGiven): NormalizedSeverity | null {
  const t = s.type.toUpperCase();
  const score = s.score.trim();
  if (t === 'CVSS_V3' || score.startsWith('CVSS:3.')) {
    const n = cvss3BaseScore(score);
    if (n !== null) return { score: n, level: levelOfScore(n), method: 'cvss-v3', from: s };
  }
  if (t === 'CVSS_V4' || score.startsWith('CVSS:4.')) {
    const n = cvss4ApproxScore(score);
    if (n !== null) return { score: n, level: levelOfScore(n), method: 'cvss-v4-approx', from: s };
  }
  if (t === 'CVSS_V2' || /^\(?AV:[LAN]\/AC:/.test(score)) {
    const n = cvss2BaseScore(score);
    if (n !== null) return { score: n, level: n >= 7 ? 'high' : n >= 4 ? 'medium' : 'low', method: 'cvss-v2', from: s };
  }
  if (/^\d+(\.\d+)?$/.test(score)) {
    const n = Number(score);
    if (n >= 0 && n <= 10) return { score: n, level: levelOfScore(n), method: 'numeric', from: s };
  }
  const lv = levelOfText(score);
  if (lv) return { score: null, level: lv, method: 'text', from: s };
  return null;
}

const METHOD_RANK: Record<ScoreMethod, number> = { 'cvss-v3': 0, 'cvss-v4-approx': 1, 'cvss-v2': 2, numeric: 3, text: 4, none: 5 };

/**
 * One normalized severity from everything given: the best-defined method wins (exact v3 over the v4
 * approximation over v2 over bare numbers over text); within a method, the highest score.
 */
export function normalizeSeverity(given: readonly SeverityAsGiven[]): NormalizedSeverity {
  let best: NormalizedSeverity | null = null;
  for (const s of given) {
    const n = scoreOne(s);
    if (!n) continue;
    if (!best || METHOD_RANK[n.method] < METHOD_RANK[best.method] || (n.method === best.method && (n.score ?? -1) > (best.score ?? -1))) best = n;
  }
  return best ?? { score: null, level: 'unknown', method: 'none' };
}
