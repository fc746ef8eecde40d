/**
 * NVD CVE API 2.0 responses (`/rest/json/cves/2.0`, saved as paged files: each page is one raw
 * document): `{ resultsPerPage, startIndex, totalResults, format: "NVD_CVE", version: "2.0", vulnerabilities: [{ cve }] }`.
 *
 * One observation per CVE. Configurations become affected entries with ecosystem `CPE` (name = the
 * cpe:2.3 match criteria, vulnerable matches only): versionStartIncluding/versionEndExcluding/
 * versionEndIncluding map to ECOSYSTEM-like events (introduced/fixed/last_affected); a criteria with a
 * concrete version and no bounds is an explicit version. versionStartExcluding has no event form and
 * is kept in ecosystemSpecific (with the node operator/negate and match id) — matching uses CPE
 * entries only when CPE matching is asked for. Metrics are kept as given; vulnStatus `Rejected` → withdrawn.
 */
import type { AffectedPackage, RangeEvent, SeverityAsGiven } from '../../core';
import { decodeText, invalid, isObject, parseJsonText, Reader, type JsonObject } from './_internal/util';
import type { Connector, ObservationDraft, ParsedDocument, RawInput } from './types';

function looksLikeNvd(v: unknown): boolean {
  return isObject(v) && v.format === 'NVD_CVE' && Array.isArray(v.vulnerabilities);
}

const METRIC_TYPES: [key: string, type: string][] = [
  ['cvssMetricV40', 'CVSS_V4'],
  ['cvssMetricV31', 'CVSS_V3'],
  ['cvssMetricV30', 'CVSS_V3'],
  ['cvssMetricV2', 'CVSS_V2'],
];

/** The version field (6th component) of a cpe:2.3 string; cpe escapes (`\:`) respected. */
function cpeVersion(cpe: string): string | undefined {
  const parts = cpe.split(/(?<!\\):/);
  return parts[0] === 'cpe' && parts[1] === '2.3' ? parts[5] : undefined;
}

export function cpeMatchToAffected(r: Reader, m: JsonObject, path: string, extra: Record<string, unknown>): AffectedPackage {
  const criteria = r.nonEmpty(m.criteria, `${path}/criteria`);
  if (!criteria.startsWith('cpe:2.3:')) throw invalid(r.input, `${path}/criteria`, 'a cpe:2.3 string');
  const startIncl = r.optStr(m.versionStartIncluding, `${path}/versionStartIncluding`);
  const startExcl = r.optStr(m.versionStartExcluding, `${path}/versionStartExcluding`);
  const endExcl = r.optStr(m.versionEndExcluding, `${path}/versionEndExcluding`);
  const endIncl = r.optStr(m.versionEndIncluding, `${path}/versionEndIncluding`);
  const a: AffectedPackage = { ecosystem: 'CPE', name: criteria, ranges: [], versions: [] };
  const es: Record<string, unknown> = { ...extra };
  const matchCriteriaId = r.optStr(m.matchCriteriaId, `${path}/matchCriteriaId`);
  if (matchCriteriaId) es.matchCriteriaId = matchCriteriaId;
  if (startExcl) es.versionStartExcluding = startExcl;
  const bounded = startIncl ?? startExcl ?? endExcl ?? endIncl;
  if (bounded !== undefined) {
    const events: RangeEvent[] = [{ introduced: startIncl ?? startExcl ?? '0' }];
    if (endExcl) events.push({ fixed: endExcl });
    else if (endIncl) events.push({ last_affected: endIncl });
    a.ranges.push({ type: 'ECOSYSTEM', events });
  } else {
    const v = cpeVersion(criteria);
    if (v !== undefined && v !== '*' && v !== '-') a.versions.push(v.replace(/\\(.)/g, '$1'));
    else a.ranges.push({ type: 'ECOSYSTEM', events: [{ introduced: '0' }] });
  }
  a.ecosystemSpecific = es;
  return a;
}

function parseCve(r: Reader, c: JsonObject, path: string): ObservationDraft {
  const id = r.nonEmpty(c.id, `${path}/id`);
  const affected: AffectedPackage[] = [];
  r.optArr(c.configurations, `${path}/configurations`).forEach((cfg, ci) => {
    const cpath = `${path}/configurations/${ci}`;
    const co = r.obj(cfg, cpath);
    r.arr(co.nodes, `${cpath}/nodes`).forEach((node, ni) => {
      const npath = `${cpath}/nodes/${ni}`;
      const no = r.obj(node, npath);
      r.optArr(no.cpeMatch, `${npath}/cpeMatch`).forEach((m, mi) => {
        const mpath = `${npath}/cpeMatch/${mi}`;
        const mo = r.obj(m, mpath);
        if (mo.vulnerable !== true) return; // platforms ("running on") are context, not affected products
        const extra: Record<string, unknown> = { configuration: ci, node: ni };
        if (typeof co.operator === 'string') extra.configurationOperator = co.operator;
        if (typeof no.operator === 'string') extra.operator = no.operator;
        if (no.negate === true) extra.negate = true;
        affected.push(cpeMatchToAffected(r, mo, mpath, extra));
      });
    });
  });
  const severities: SeverityAsGiven[] = [];
  const metrics = r.optObj(c.metrics, `${path}/metrics`) ?? {};
  for (const [key, type] of METRIC_TYPES) {
    r.optArr(metrics[key], `${path}/metrics/${key}`).forEach((m, i) => {
      const mpath = `${path}/metrics/${key}/${i}`;
      const mo = r.obj(m, mpath);
      const data = r.obj(mo.cvssData, `${mpath}/cvssData`);
      const sev: SeverityAsGiven = { type, score: r.nonEmpty(data.vectorString, `${mpath}/cvssData/vectorString`) };
      const source = r.optStr(mo.source, `${mpath}/source`);
      if (source) sev.source = source;
      severities.push(sev);
    });
  }
  const references = r.optArr(c.references, `${path}/references`).map((x, i) => {
    const ro = r.obj(x, `${path}/references/${i}`);
    return { url: r.str(ro.url, `${path}/references/${i}/url`) };
  });
  const d: ObservationDraft = { advisoryId: id, aliases: [], affected, severities, references };
  const descs = r.optArr(c.descriptions, `${path}/descriptions`).map((x, i) => r.obj(x, `${path}/descriptions/${i}`));
  const en = descs.find((x) => x.lang === 'en') ?? descs[0];
  if (en) d.details = r.str(en.value, `${path}/descriptions`);
  const published = r.optStr(c.published, `${path}/published`);
  const modified = r.optStr(c.lastModified, `${path}/lastModified`);
  const status = r.optStr(c.vulnStatus, `${path}/vulnStatus`);
  if (published) d.published = published;
  if (modified) d.modified = modified;
  if (status === 'Rejected') d.withdrawn = modified ?? published ?? '';
  const ds: Record<string, unknown> = {};
  if (status) ds.vulnStatus = status;
  const sourceIdentifier = r.optStr(c.sourceIdentifier, `${path}/sourceIdentifier`);
  if (sourceIdentifier) ds.sourceIdentifier = sourceIdentifier;
  const cwes = r
    .optArr(c.weaknesses, `${path}/weaknesses`)
    .flatMap((w, i) => r.optArr(r.obj(w, `${path}/weaknesses/${i}`).description, `${path}/weaknesses/${i}/description`))
    .map((x) => (isObject(x) && typeof x.value === 'string' ? x.value : null))
    .filter((x): x is string => x !== null);
  if (cwes.length) ds.cwes = [...new Set(cwes)];
  if (Array.isArray(c.cisaExploitAdd) || typeof c.cisaExploitAdd === 'string') ds.cisaExploitAdd = c.cisaExploitAdd;
  if (Object.keys(ds).length) d.databaseSpecific = ds;
  return d;
}

function toDocument(input: RawInput, v: unknown): ParsedDocument {
  const r = new Reader(input);
  const o = r.obj(v, '');
  if (o.format !== 'NVD_CVE') throw invalid(input, '/format', '"NVD_CVE"');
  const version = r.optStr(o.version, '/version');
  if (version !== undefined && !version.startsWith('2.')) throw invalid(input, '/version', 'NVD CVE API version 2.x');
  const observations = r.arr(o.vulnerabilities, '/vulnerabilities').map((x, i) => {
    const item = r.obj(x, `/vulnerabilities/${i}`);
    return parseCve(r, r.obj(item.cve, `/vulnerabilities/${i}/cve`), `/vulnerabilities/${i}/cve`);
  });
  const doc: ParsedDocument = { source: 'nvd', format: 'nvd-cve-api-2.0', observations };
  if (version) doc.specVersion = version;
  return doc;
}

export const nvdConnector: Connector = {
  name: 'nvd',
  syntax: 'json',
  detect: (input) => input.bytes.subarray(0, 4096).includes('"NVD_CVE"'),
  detectValue: looksLikeNvd,
  parse: (input) => toDocument(input, parseJsonText(input, decodeText(input))),
  parseValue: (v, input) => toDocument(input, v),
};
