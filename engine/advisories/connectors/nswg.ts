/**
 * Node.js Security WG legacy advisories (nodejs/security-wg `vuln/`), NOT OSV:
 * - `vuln/npm/<n>.json`: npm packages (`module_name`, node-semver `vulnerable_versions`/`patched_versions`,
 *   `cves`, `cvss_vector`/`cvss_score`) → advisory `NSWG-ECO-<n>`, ecosystem npm.
 * - `vuln/core/<n>.json`: Node.js itself (`vulnerable`, `patched` semver ranges over Node.js release
 *   lines) → advisory `NSWG-CORE-<n>`, ecosystem `Node.js`, package `node`; semverRange = vulnerable
 *   minus patched (exact interval arithmetic).
 * - `vuln/deps/<n>.json`: assessments that CVEs of bundled dependencies do NOT affect Node.js (`reason`)
 *   → advisory `NSWG-DEPS-<n>` with no affected package; the reason is kept in databaseSpecific.
 * - `vuln/{core,deps}/index.json` aggregate the numbered files: refused as 'not-an-advisory'.
 *
 * node-semver ranges cannot always be written as OSV events; every affected entry keeps the exact
 * range string in `semverRange` (what matching evaluates) and best-effort SEMVER `ranges`.
 */
import semver from 'semver';
import type { AffectedPackage, AffectedRange, RangeEvent, SeverityAsGiven } from '../../core';
import { AdvisoryError } from '../errors';
import { baseName, decodeText, invalid, isObject, npmPurl, parseJsonText, Reader, uniq, type JsonObject } from './_internal/util';
import type { Connector, ObservationDraft, ParsedDocument, RawInput } from './types';

type Kind = 'eco' | 'core' | 'deps';

function kindOfValue(v: unknown): Kind | null {
  if (!isObject(v)) return null;
  if (typeof v.module_name === 'string' && ('vulnerable_versions' in v || 'patched_versions' in v)) return 'eco';
  if (Array.isArray(v.cve) && typeof v.vulnerable === 'string') return 'core';
  if (Array.isArray(v.cve) && typeof v.reason === 'string' && !('vulnerable' in v)) return 'deps';
  return null;
}

/** `{ "1": {core advisory}, "2": … }`: the aggregate index files of vuln/core and vuln/deps. */
function isIndexValue(v: unknown): boolean {
  if (!isObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => /^\d+$/.test(k)) && keys.slice(0, 3).every((k) => kindOfValue(v[k]) !== null);
}

/** The advisory number: the file name `<n>.json` (the README's reference scheme). */
function fileNumber(input: RawInput, kind: Kind, idField: unknown): string {
  if (kind === 'eco' && (typeof idField === 'number' || (typeof idField === 'string' && /^\d+$/.test(idField)))) return String(idField);
  const m = /^(\d+)\.json$/.exec(baseName(input.uri));
  if (!m) {
    throw invalid(input, '', `a Node Security WG ${kind} advisory named <number>.json (the number is the advisory id NSWG-${kind.toUpperCase()}-<number>)`);
  }
  return m[1]!;
}

/** OSV-style SEMVER ranges for a node-semver range, or null when some comparator has no event form (`>x`). */
export function semverRangeToEvents(range: string): AffectedRange[] | null {
  let parsed: semver.Range;
  try {
    parsed = new semver.Range(range, { loose: true });
  } catch {
    return null;
  }
  const out: AffectedRange[] = [];
  for (const set of parsed.set) {
    let lo: string | undefined;
    let hi: RangeEvent | undefined;
    for (const c of set) {
      if (c.value === '') continue; // the ANY comparator (`*`)
      const v = c.semver.version;
      switch (c.operator) {
        case '>=':
          if (lo !== undefined) return null;
          lo = v;
          break;
        case '<':
          if (hi !== undefined) return null;
          hi = { fixed: v };
          break;
        case '<=':
          if (hi !== undefined) return null;
          hi = { last_affected: v };
          break;
        case '':
        case '=':
          if (lo !== undefined || hi !== undefined) return null;
          lo = v;
          hi = { last_affected: v };
          break;
        default:
          return null; // `>x` has no inclusive lower-bound event
      }
    }
    const events: RangeEvent[] = [{ introduced: lo ?? '0' }];
    if (hi) events.push(hi);
    out.push({ type: 'SEMVER', events });
  }
  return out;
}

/** A version interval of one comparator set; null bounds are open (−∞ / +∞). */
interface Bound {
  v: semver.SemVer;
  inc: boolean;
}
interface Interval {
  lo: Bound | null;
  hi: Bound | null;
}

function tighterLo(a: Bound | null, b: Bound | null): Bound | null {
  if (!a) return b;
  if (!b) return a;
  const c = semver.compare(a.v, b.v);
  if (c !== 0) return c > 0 ? a : b;
  return a.inc ? b : a;
}

function tighterHi(a: Bound | null, b: Bound | null): Bound | null {
  if (!a) return b;
  if (!b) return a;
  const c = semver.compare(a.v, b.v);
  if (c !== 0) return c < 0 ? a : b;
  return a.inc ? b : a;
}

function isEmpty(i: Interval): boolean {
  if (!i.lo || !i.hi) return false;
  const c = semver.compare(i.lo.v, i.hi.v);
  return c > 0 || (c === 0 && !(i.lo.inc && i.hi.inc));
}

function toIntervals(range: semver.Range): Interval[] {
  return range.set.map((set) => {
    let it: Interval = { lo: null, hi: null };
    for (const c of set) {
      if (c.value === '') continue; // the ANY comparator (`*`)
      const v = c.semver;
      switch (c.operator) {
        case '>=':
          it = { ...it, lo: tighterLo(it.lo, { v, inc: true }) };
          break;
        case '>':
          it = { ...it, lo: tighterLo(it.lo, { v, inc: false }) };
          break;
        case '<':
          it = { ...it, hi: tighterHi(it.hi, { v, inc: false }) };
          break;
        case '<=':
          it = { ...it, hi: tighterHi(it.hi, { v, inc: true }) };
          break;
        default:
          it = { lo: tighterLo(it.lo, { v, inc: true }), hi: tighterHi(it.hi, { v, inc: true }) };
      }
    }
    return it;
  });
}

/** A minus B: at most two intervals (the part below B and the part above B). */
function subtract(a: Interval, b: Interval): Interval[] {
  const out: Interval[] = [];
  if (b.lo) {
    const below: Interval = { lo: a.lo, hi: tighterHi(a.hi, { v: b.lo.v, inc: !b.lo.inc }) };
    if (!isEmpty(below)) out.push(below);
  }
  if (b.hi) {
    const above: Interval = { lo: tighterLo(a.lo, { v: b.hi.v, inc: !b.hi.inc }), hi: a.hi };
    if (!isEmpty(above)) out.push(above);
  }
  return out;
}

function intervalToRange(i: Interval): string {
  if (i.lo && i.hi && i.lo.inc && i.hi.inc && semver.eq(i.lo.v, i.hi.v)) return i.lo.v.version;
  const lo = i.lo ? `${i.lo.inc ? '>=' : '>'}${i.lo.v.version}` : '';
  const hi = i.hi ? `${i.hi.inc ? '<=' : '<'}${i.hi.v.version}` : '';
  return [lo, hi].filter(Boolean).join(' ') || '*';
}

/**
 * Core advisories say "vulnerable: 8.x || 7.x, patched: ^8.1.4 || ^7.10.1": affected = vulnerable and
 * not patched. Each comparator set is an interval, so the difference is exact interval arithmetic:
 * the result is a node-semver range (`>=8.0.0 <8.1.4 || …`), or null when a range does not parse.
 */
export function subtractPatched(vulnerable: string, patched: string | undefined): string | null {
  let vr: semver.Range;
  let pr: semver.Range | null = null;
  try {
    vr = new semver.Range(vulnerable, { loose: true });
    if (patched && patched.trim() !== '') pr = new semver.Range(patched, { loose: true });
  } catch {
    return null;
  }
  let parts = toIntervals(vr).filter((i) => !isEmpty(i));
  for (const p of pr ? toIntervals(pr) : []) parts = parts.flatMap((a) => subtract(a, p));
  // Nothing left: no version is affected; `<0.0.0-0` is the node-semver range that matches nothing.
  return parts.length ? parts.map(intervalToRange).join(' || ') : '<0.0.0-0';
}

function affectedFor(ecosystem: string, name: string, range: string, purl?: string): AffectedPackage {
  const a: AffectedPackage = { ecosystem, name, ranges: semverRangeToEvents(range) ?? [], versions: [], semverRange: range };
  if (purl) a.purl = purl;
  return a;
}

function cvssSeverity(vector: string): SeverityAsGiven {
  const type = vector.startsWith('CVSS:4') ? 'CVSS_V4' : vector.startsWith('CVSS:3') ? 'CVSS_V3' : 'CVSS_V2';
  return { type, score: vector };
}

function parseEco(r: Reader, o: JsonObject, n: string): ObservationDraft {
  const name = r.nonEmpty(o.module_name, '/module_name');
  const vulnerable = r.optStr(o.vulnerable_versions, '/vulnerable_versions');
  const patched = r.optStr(o.patched_versions, '/patched_versions');
  const range = vulnerable?.trim() ? vulnerable.trim() : '*';
  if (!semver.validRange(range, { loose: true })) throw invalid(r.input, '/vulnerable_versions', 'a node-semver range');
  const severities: SeverityAsGiven[] = [];
  const vector = r.optStr(o.cvss_vector, '/cvss_vector');
  if (vector) severities.push(cvssSeverity(vector));
  else if (typeof o.cvss_score === 'number') severities.push({ type: 'CVSS_SCORE', score: String(o.cvss_score) });
  const cves = r.strArr(o.cves, '/cves');
  const affected = affectedFor('npm', name, range, npmPurl(name));
  if (patched !== undefined) affected.databaseSpecific = { patched_versions: patched };
  const d: ObservationDraft = {
    advisoryId: `NSWG-ECO-${n}`,
    aliases: uniq(cves),
    affected: [affected],
    severities,
    references: r.optArr(o.references, '/references').map((u, i) => ({ url: r.str(u, `/references/${i}`) })),
  };
  const title = r.optStr(o.title, '/title');
  const overview = r.optStr(o.overview, '/overview');
  const recommendation = r.optStr(o.recommendation, '/recommendation');
  if (title) d.summary = title;
  if (overview || recommendation) d.details = [overview, recommendation].filter(Boolean).join('\n\n');
  const published = r.optStr(o.publish_date, '/publish_date') ?? r.optStr(o.created_at, '/created_at');
  const modified = r.optStr(o.updated_at, '/updated_at');
  if (published) d.published = published;
  if (modified) d.modified = modified;
  const extra: Record<string, unknown> = {};
  for (const k of ['created_at', 'coordinating_vendor', 'cvss_score', 'author']) if (o[k] !== undefined && o[k] !== null) extra[k] = o[k];
  if (Object.keys(extra).length) d.databaseSpecific = extra;
  return d;
}

function parseCore(r: Reader, o: JsonObject, n: string): ObservationDraft {
  const vulnerable = r.str(o.vulnerable, '/vulnerable').trim();
  const patched = r.optStr(o.patched, '/patched')?.trim();
  if (!semver.validRange(vulnerable, { loose: true })) throw invalid(r.input, '/vulnerable', 'a node-semver range over Node.js versions');
  if (patched && !semver.validRange(patched, { loose: true })) throw invalid(r.input, '/patched', 'a node-semver range over Node.js versions');
  const cves = r.strArr(o.cve, '/cve');
  for (const [i, c] of cves.entries()) if (!/^CVE-\d{4}-\d+$/.test(c)) throw invalid(r.input, `/cve/${i}`, 'a CVE id');
  // The exact affected set (vulnerable minus patched); both source ranges are recorded as given.
  const exact = subtractPatched(vulnerable, patched);
  const affected = affectedFor('Node.js', 'node', exact ?? vulnerable);
  affected.databaseSpecific = { vulnerable, ...(patched !== undefined ? { patched } : {}) };
  const d: ObservationDraft = { advisoryId: `NSWG-CORE-${n}`, aliases: uniq(cves), affected: [affected], severities: [], references: [] };
  const sev = r.optStr(o.severity, '/severity');
  if (sev) d.severities.push({ type: 'text', score: sev, source: 'severity' });
  const ref = r.optStr(o.ref, '/ref');
  if (ref) d.references.push({ url: ref });
  const description = r.optStr(o.description, '/description');
  const overview = r.optStr(o.overview, '/overview');
  if (description) d.summary = description;
  if (overview) d.details = overview;
  const envs = r.strArr(o.affectedEnvironments, '/affectedEnvironments');
  if (envs.length) affected.ecosystemSpecific = { affectedEnvironments: envs };
  return d;
}

function parseDeps(r: Reader, o: JsonObject, n: string): ObservationDraft {
  const cves = r.strArr(o.cve, '/cve');
  const reason = r.nonEmpty(o.reason, '/reason');
  const d: ObservationDraft = {
    advisoryId: `NSWG-DEPS-${n}`,
    aliases: uniq(cves),
    affected: [],
    severities: [],
    references: [],
    // An assessment that Node.js is NOT affected by these dependency CVEs: evidence for linksets/VEX.
    databaseSpecific: { assessment: 'not_affected', product: 'node', justification: reason },
  };
  const ref = r.optStr(o.ref, '/ref');
  if (ref) d.references.push({ url: ref });
  const description = r.optStr(o.description, '/description');
  const overview = r.optStr(o.overview, '/overview');
  if (description) d.summary = description;
  if (overview) d.details = overview;
  return d;
}

function toDocument(input: RawInput, v: unknown): ParsedDocument {
  if (isIndexValue(v)) {
    throw new AdvisoryError(
      'not-an-advisory',
      `${input.uri}: this is the Node Security WG index (an aggregate of the numbered advisory files), not an advisory; import the numbered files instead`,
      { details: { file: input.uri, expected: 'a numbered advisory file (vuln/core/<n>.json)' } },
    );
  }
  const kind = kindOfValue(v);
  if (!kind) throw invalid(input, '', 'a Node Security WG advisory (npm: module_name + vulnerable_versions; core: cve + vulnerable; deps: cve + reason)');
  const o = v as JsonObject;
  const r = new Reader(input);
  const n = fileNumber(input, kind, o.id);
  const observation = kind === 'eco' ? parseEco(r, o, n) : kind === 'core' ? parseCore(r, o, n) : parseDeps(r, o, n);
  return { source: 'nodejs-security-wg', format: `nswg-${kind}-json`, observations: [observation] };
}

export const nswgConnector: Connector = {
  name: 'nodejs-security-wg',
  syntax: 'json',
  detect: (input) => /\.json$/i.test(baseName(input.uri)),
  detectValue: (v) => kindOfValue(v) !== null || isIndexValue(v),
  parse: (input) => toDocument(input, parseJsonText(input, decodeText(input))),
  parseValue: (v, input) => toDocument(input, v),
};
