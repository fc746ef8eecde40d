/**
 * OSV schema 1.x (JSON and YAML): osv.dev exports, GHSA in OSV form, PyPA's PYSEC YAML, Debian/Ubuntu
 * OSV. A document is one OSV record, a JSON array of records, or an osv.dev API response
 * `{ "vulns": [...] }` (one observation per record).
 */
import type { AffectedPackage, AffectedRange, RangeEvent, SeverityAsGiven } from '../../core';
import {
  decodeText,
  firstSignificantByte,
  hasExt,
  invalid,
  isObject,
  optRecord,
  parseJsonText,
  parseYamlDocument,
  Reader,
  uniq,
  type JsonObject,
} from './_internal/util';
import { fastParseBlockYaml } from './_internal/fast-yaml';
import type { Connector, ObservationDraft, ParsedDocument, RawInput } from './types';

/** Distro ecosystems whose OSV records name source packages (Debian `Source:`, Ubuntu source, Alpine origin). */
const SOURCE_PACKAGE_ECOSYSTEMS = new Set(['Debian', 'Ubuntu', 'Alpine']);

const RANGE_TYPES = new Set(['SEMVER', 'ECOSYSTEM', 'GIT']);
const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

/** Structural sniff: an OSV record has a string `id` and `modified` (required) or `affected`. */
export function looksLikeOsvRecord(v: unknown): boolean {
  if (!isObject(v) || typeof v.id !== 'string') return false;
  if ('dataType' in v || 'document' in v || 'cveMetadata' in v || 'module_name' in v) return false;
  return typeof v.modified === 'string' || Array.isArray(v.affected) || typeof v.schema_version === 'string';
}

/** `{ "vulns": [...] }`: an osv.dev API query response saved to a file. */
function osvApiResponseRecords(v: unknown): unknown[] | null {
  if (!isObject(v) || !Array.isArray(v.vulns)) return null;
  if (!Object.keys(v).every((k) => k === 'vulns' || k === 'next_page_token')) return null;
  return v.vulns;
}

function looksLikeOsvValue(v: unknown): boolean {
  const list = Array.isArray(v) ? v : osvApiResponseRecords(v);
  if (list) return list.length > 0 && list.every(looksLikeOsvRecord);
  return looksLikeOsvRecord(v);
}

/** `ghsa` for GHSA-*, `pysec` for PYSEC-*, `osv` otherwise. */
export function osvSourceFor(ids: string[]): string {
  if (ids.length > 0 && ids.every((id) => id.startsWith('GHSA-'))) return 'ghsa';
  if (ids.length > 0 && ids.every((id) => id.startsWith('PYSEC-'))) return 'pysec';
  return 'osv';
}

export function parseOsvRecord(r: Reader, v: unknown, base: string): ObservationDraft {
  const o = r.obj(v, base);
  const id = r.nonEmpty(o.id, `${base}/id`);
  const affected = r.optArr(o.affected, `${base}/affected`).map((a, i) => parseAffected(r, a, `${base}/affected/${i}`));
  const severities: SeverityAsGiven[] = r.optArr(o.severity, `${base}/severity`).map((s, i) => parseSeverity(r, s, `${base}/severity/${i}`));
  // OSV 1.5+: per-affected severity (Ubuntu, some GHSA exports); kept next to the record-level ones.
  r.optArr(o.affected, `${base}/affected`).forEach((a, i) => {
    if (!isObject(a)) return;
    r.optArr(a.severity, `${base}/affected/${i}/severity`).forEach((s, j) => {
      severities.push({ ...parseSeverity(r, s, `${base}/affected/${i}/severity/${j}`), source: `affected/${i}` });
    });
  });
  const dbs = optRecord(o.database_specific);
  if (dbs && (typeof dbs.severity === 'string' || typeof dbs.severity === 'number')) {
    severities.push({ type: 'text', score: String(dbs.severity), source: 'database_specific.severity' });
  }
  const references = r.optArr(o.references, `${base}/references`).map((x, i) => {
    const ro = r.obj(x, `${base}/references/${i}`);
    const type = r.optStr(ro.type, `${base}/references/${i}/type`);
    return { ...(type ? { type } : {}), url: r.str(ro.url, `${base}/references/${i}/url`) };
  });
  const aliases = uniq(r.strArr(o.aliases, `${base}/aliases`)).filter((a) => a !== id);
  const related = uniq(r.strArr(o.related, `${base}/related`));
  const draft: ObservationDraft = {
    advisoryId: id,
    aliases,
    affected,
    severities,
    references,
  };
  const summary = r.optStr(o.summary, `${base}/summary`);
  const details = r.optStr(o.details, `${base}/details`);
  const published = r.optStr(o.published, `${base}/published`);
  const modified = r.optStr(o.modified, `${base}/modified`);
  const withdrawn = r.optStr(o.withdrawn, `${base}/withdrawn`);
  if (summary !== undefined) draft.summary = summary;
  if (details !== undefined) draft.details = details;
  if (published !== undefined) draft.published = published;
  if (modified !== undefined) draft.modified = modified;
  if (withdrawn !== undefined) draft.withdrawn = withdrawn;
  if (related.length) draft.related = related;
  if (dbs) draft.databaseSpecific = dbs;
  return draft;
}

function parseSeverity(r: Reader, s: unknown, path: string): SeverityAsGiven {
  const so = r.obj(s, path);
  return { type: r.nonEmpty(so.type, `${path}/type`), score: r.strOrNum(so.score, `${path}/score`) };
}

function parseAffected(r: Reader, a: unknown, path: string): AffectedPackage {
  const ao = r.obj(a, path);
  const ranges = r.optArr(ao.ranges, `${path}/ranges`).map((x, i) => parseRange(r, x, `${path}/ranges/${i}`));
  const versions = r.strArr(ao.versions, `${path}/versions`);
  const pkg = r.optObj(ao.package, `${path}/package`);
  let ecosystem: string;
  let name: string;
  let purl: string | undefined;
  if (pkg) {
    ecosystem = r.nonEmpty(pkg.ecosystem, `${path}/package/ecosystem`);
    name = r.nonEmpty(pkg.name, `${path}/package/name`);
    purl = r.optStr(pkg.purl, `${path}/package/purl`);
  } else {
    // OSV allows an affected entry with only GIT ranges (no package): the repository is the name.
    const git = ranges.find((g) => g.type === 'GIT' && g.repo);
    if (!git?.repo) throw invalid(r.input, `${path}/package`, 'a package object (or a GIT range with a repo)');
    ecosystem = 'GIT';
    name = git.repo;
  }
  const out: AffectedPackage = { ecosystem, name, ranges, versions };
  if (purl) out.purl = purl;
  if (SOURCE_PACKAGE_ECOSYSTEMS.has(ecosystem.split(':')[0]!)) out.isSourcePackage = true;
  const es = optRecord(ao.ecosystem_specific);
  const ds = optRecord(ao.database_specific);
  if (es) out.ecosystemSpecific = es;
  if (ds) out.databaseSpecific = ds;
  return out;
}

function parseRange(r: Reader, x: unknown, path: string): AffectedRange {
  const ro = r.obj(x, path);
  const type = r.str(ro.type, `${path}/type`);
  if (!RANGE_TYPES.has(type)) throw invalid(r.input, `${path}/type`, 'one of SEMVER, ECOSYSTEM, GIT');
  const events: RangeEvent[] = r.arr(ro.events, `${path}/events`).map((e, i) => {
    const eo = r.obj(e, `${path}/events/${i}`);
    const keys = EVENT_KEYS.filter((k) => eo[k] !== undefined);
    if (keys.length !== 1) throw invalid(r.input, `${path}/events/${i}`, 'exactly one of introduced, fixed, last_affected, limit');
    const k = keys[0]!;
    const val = r.nonEmpty(eo[k], `${path}/events/${i}/${k}`);
    switch (k) {
      case 'introduced':
        return { introduced: val };
      case 'fixed':
        return { fixed: val };
      case 'last_affected':
        return { last_affected: val };
      case 'limit':
        return { limit: val };
    }
  });
  const range: AffectedRange = { type: type as AffectedRange['type'], events };
  const repo = r.optStr(ro.repo, `${path}/repo`);
  if (repo) range.repo = repo;
  return range;
}

function toDocument(input: RawInput, value: unknown, format: string): ParsedDocument {
  const r = new Reader(input);
  const api = osvApiResponseRecords(value);
  const records = Array.isArray(value) ? value : api ?? [value];
  const base = Array.isArray(value) ? '' : api ? '/vulns' : null;
  const observations = records.map((rec, i) => parseOsvRecord(r, rec, base === null ? '' : `${base}/${i}`));
  const doc: ParsedDocument = {
    source: osvSourceFor(observations.map((o) => o.advisoryId)),
    format,
    observations,
  };
  const first = records[0] as JsonObject | undefined;
  if (first && typeof first.schema_version === 'string') doc.specVersion = first.schema_version;
  return doc;
}

export const osvJsonConnector: Connector = {
  name: 'osv',
  syntax: 'json',
  detect(input) {
    return hasExt(input.uri, '.json', '.jsonl') || firstSignificantByte(input.bytes) === '{';
  },
  detectValue: (v) => looksLikeOsvValue(v),
  parse(input) {
    const v = parseJsonText(input, decodeText(input));
    if (!looksLikeOsvValue(v)) throw invalid(input, '', 'an OSV record (object with string "id" and "modified")');
    return toDocument(input, v, 'osv-json');
  },
  parseValue: (v, input) => toDocument(input, v, 'osv-json'),
};

export const osvYamlConnector: Connector = {
  name: 'osv',
  syntax: 'yaml',
  detect(input) {
    return hasExt(input.uri, '.yaml', '.yml');
  },
  detectValue: (v) => looksLikeOsvValue(v),
  parse(input) {
    const text = decodeText(input);
    const v = fastParseBlockYaml(text) ?? parseYamlDocument(input, text);
    if (!looksLikeOsvValue(v)) throw invalid(input, '', 'an OSV record (mapping with string "id" and "modified")');
    return toDocument(input, v, 'osv-yaml');
  },
  parseValue: (v, input) => toDocument(input, v, 'osv-yaml'),
};
