/**
 * CVE JSON 5.x records (`{ dataType: "CVE_RECORD", dataVersion: "5.1", cveMetadata, containers: { cna, adp } }`).
 *
 * - containers.cna.affected[] → affected entries. `collectionURL` (+ `packageName`) names an ecosystem
 *   where one is known (https://pypi.org → PyPI, npm registry → npm, Maven Central → Maven, …); otherwise
 *   the entry keeps ecosystem `CVE5` and name `vendor:product` (evidence only; never matched by name).
 * - versions[] with status `affected`: `version` + `lessThan` → [introduced version, fixed lessThan];
 *   `lessThanOrEqual` → last_affected; no bound → explicit version (a range written into `version`,
 *   e.g. "< 2.0.6", goes to ecosystemSpecific.versionExpressions instead). versionType `semver` → SEMVER,
 *   `git` → GIT, else ECOSYSTEM. `*` / `0` / `unspecified` as a lower bound mean "from the start".
 *   With defaultStatus `affected`, an open-ended `unaffected` entry (lessThan `*`) is the fix.
 *   All other unaffected/unknown entries are kept as given in ecosystemSpecific.
 * - Metrics of cna and adp containers as given; state REJECTED → withdrawn (dateRejected).
 */
import type { AffectedPackage, AffectedRange, RangeEvent, SeverityAsGiven } from '../../core';
import { decodeText, invalid, isObject, parseJsonText, Reader, uniq, type JsonObject } from './_internal/util';
import type { Connector, ObservationDraft, ParsedDocument, RawInput } from './types';

function looksLikeCve5(v: unknown): boolean {
  return isObject(v) && v.dataType === 'CVE_RECORD' && isObject(v.cveMetadata);
}

/** collectionURL (normalized: no scheme, no trailing slash) → OSV ecosystem. */
const ECOSYSTEM_BY_COLLECTION: [RegExp, string][] = [
  [/^(pypi\.org|pypi\.python\.org)(\/simple)?$/, 'PyPI'],
  [/^(registry\.npmjs\.org|www\.npmjs\.com|npmjs\.com)$/, 'npm'],
  [/^(repo\.maven\.apache\.org\/maven2|repo1\.maven\.org\/maven2|search\.maven\.org|central\.sonatype\.com)$/, 'Maven'],
  [/^(pkg\.go\.dev|proxy\.golang\.org|go\.dev)$/, 'Go'],
  [/^crates\.io$/, 'crates.io'],
  [/^rubygems\.org$/, 'RubyGems'],
  [/^(packagist\.org|repo\.packagist\.org)$/, 'Packagist'],
  [/^(www\.nuget\.org|nuget\.org|api\.nuget\.org\/v3\/index\.json)$/, 'NuGet'],
  [/^hex\.pm$/, 'Hex'],
  [/^pub\.dev$/, 'Pub'],
];

export function ecosystemForCollection(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const n = url.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/+$/, '');
  return ECOSYSTEM_BY_COLLECTION.find(([re]) => re.test(n))?.[1];
}

const OPEN = new Set(['*', '']);
const FROM_START = new Set(['0', '*', 'unspecified', 'n/a', '']);

function rangeType(versionType: string | undefined): AffectedRange['type'] {
  if (versionType === 'semver') return 'SEMVER';
  if (versionType === 'git') return 'GIT';
  return 'ECOSYSTEM';
}

function parseAffected(r: Reader, a: unknown, path: string): AffectedPackage {
  const ao = r.obj(a, path);
  const vendor = r.optStr(ao.vendor, `${path}/vendor`);
  const product = r.optStr(ao.product, `${path}/product`);
  const packageName = r.optStr(ao.packageName, `${path}/packageName`);
  const collectionURL = r.optStr(ao.collectionURL, `${path}/collectionURL`);
  const repo = r.optStr(ao.repo, `${path}/repo`);
  const defaultStatus = r.optStr(ao.defaultStatus, `${path}/defaultStatus`);
  const known = packageName ? ecosystemForCollection(collectionURL) : undefined;
  let ecosystem: string;
  let name: string;
  if (known && packageName) {
    ecosystem = known;
    name = packageName;
  } else {
    if (!vendor && !product && !packageName) throw invalid(r.input, path, 'vendor and product, or collectionURL and packageName');
    ecosystem = 'CVE5';
    name = packageName ?? `${vendor ?? 'n/a'}:${product ?? 'n/a'}`;
  }
  const out: AffectedPackage = { ecosystem, name, ranges: [], versions: [] };
  const other: JsonObject[] = [];
  const expressions: string[] = [];
  let fixFromUnaffected: { version: string; type: AffectedRange['type'] } | undefined;
  r.optArr(ao.versions, `${path}/versions`).forEach((x, i) => {
    const vpath = `${path}/versions/${i}`;
    const vo = r.obj(x, vpath);
    const version = r.str(vo.version, `${vpath}/version`);
    const status = r.str(vo.status, `${vpath}/status`);
    const lessThan = r.optStr(vo.lessThan, `${vpath}/lessThan`);
    const lessThanOrEqual = r.optStr(vo.lessThanOrEqual, `${vpath}/lessThanOrEqual`);
    const type = rangeType(r.optStr(vo.versionType, `${vpath}/versionType`));
    if (status === 'affected') {
      if (lessThan === undefined && lessThanOrEqual === undefined) {
        // Some CNAs write a range into `version` ("< 2023.07.22", ">= 2.0, < 2.0.6"): not an explicit
        // version; kept as given for humans, never matched as one.
        if (/^\s*[<>=!~^]|,/.test(version)) expressions.push(version);
        else out.versions.push(version);
        return;
      }
      const events: RangeEvent[] = [{ introduced: FROM_START.has(version) ? '0' : version }];
      if (lessThan !== undefined && !OPEN.has(lessThan)) events.push({ fixed: lessThan });
      else if (lessThanOrEqual !== undefined && !OPEN.has(lessThanOrEqual)) events.push({ last_affected: lessThanOrEqual });
      const range: AffectedRange = { type, events };
      if (type === 'GIT' && repo) range.repo = repo;
      out.ranges.push(range);
      return;
    }
    if (status !== 'unaffected' && status !== 'unknown') throw invalid(r.input, `${vpath}/status`, 'one of affected, unaffected, unknown');
    if (status === 'unaffected' && defaultStatus === 'affected' && (lessThan === '*' || lessThanOrEqual === '*') && !fixFromUnaffected) {
      fixFromUnaffected = { version, type };
    }
    other.push(vo);
  });
  if (fixFromUnaffected && out.ranges.length === 0 && out.versions.length === 0) {
    out.ranges.push({ type: fixFromUnaffected.type, events: [{ introduced: '0' }, { fixed: fixFromUnaffected.version }] });
  }
  const es: Record<string, unknown> = {};
  if (vendor) es.vendor = vendor;
  if (product) es.product = product;
  if (collectionURL) es.collectionURL = collectionURL;
  if (defaultStatus) es.defaultStatus = defaultStatus;
  if (repo) es.repo = repo;
  if (Array.isArray(ao.cpes)) es.cpes = ao.cpes;
  if (other.length) es.otherVersions = other;
  if (expressions.length) es.versionExpressions = expressions;
  out.ecosystemSpecific = es;
  return out;
}

const METRIC_KEYS: [key: string, type: string][] = [
  ['cvssV4_0', 'CVSS_V4'],
  ['cvssV3_1', 'CVSS_V3'],
  ['cvssV3_0', 'CVSS_V3'],
  ['cvssV2_0', 'CVSS_V2'],
];

function metrics(r: Reader, list: unknown, path: string, source: string | undefined): SeverityAsGiven[] {
  const out: SeverityAsGiven[] = [];
  r.optArr(list, path).forEach((m, i) => {
    const mo = r.obj(m, `${path}/${i}`);
    for (const [key, type] of METRIC_KEYS) {
      const cv = r.optObj(mo[key], `${path}/${i}/${key}`);
      if (!cv) continue;
      const sev: SeverityAsGiven = { type, score: r.nonEmpty(cv.vectorString, `${path}/${i}/${key}/vectorString`) };
      if (source) sev.source = source;
      out.push(sev);
    }
    const other = r.optObj(mo.other, `${path}/${i}/other`);
    if (other && isObject(other.content) && typeof other.type === 'string') {
      const content = other.content;
      const text = typeof content.text === 'string' ? content.text : typeof content.value === 'string' ? content.value : JSON.stringify(content);
      out.push({ type: other.type, score: text, ...(source ? { source } : {}) });
    }
  });
  return out;
}

function toDocument(input: RawInput, v: unknown): ParsedDocument {
  const r = new Reader(input);
  const o = r.obj(v, '');
  const dataVersion = r.strOrNum(o.dataVersion, '/dataVersion');
  if (!dataVersion.startsWith('5')) throw invalid(input, '/dataVersion', 'CVE JSON 5.x');
  const meta = r.obj(o.cveMetadata, '/cveMetadata');
  const id = r.nonEmpty(meta.cveId, '/cveMetadata/cveId');
  const state = r.nonEmpty(meta.state, '/cveMetadata/state');
  if (state !== 'PUBLISHED' && state !== 'REJECTED') throw invalid(input, '/cveMetadata/state', 'PUBLISHED or REJECTED');
  const containers = r.obj(o.containers, '/containers');
  const cna = r.obj(containers.cna, '/containers/cna');
  const cnaName = isObject(cna.providerMetadata) && typeof cna.providerMetadata.shortName === 'string' ? cna.providerMetadata.shortName : undefined;
  const affected = r.optArr(cna.affected, '/containers/cna/affected').map((a, i) => parseAffected(r, a, `/containers/cna/affected/${i}`));
  const severities = metrics(r, cna.metrics, '/containers/cna/metrics', cnaName);
  r.optArr(containers.adp, '/containers/adp').forEach((adp, i) => {
    const ao = r.obj(adp, `/containers/adp/${i}`);
    const name = isObject(ao.providerMetadata) && typeof ao.providerMetadata.shortName === 'string' ? ao.providerMetadata.shortName : `adp/${i}`;
    severities.push(...metrics(r, ao.metrics, `/containers/adp/${i}/metrics`, name));
  });
  const references = r.optArr(cna.references, '/containers/cna/references').map((x, i) => ({
    url: r.str(r.obj(x, `/containers/cna/references/${i}`).url, `/containers/cna/references/${i}/url`),
  }));
  const d: ObservationDraft = { advisoryId: id, aliases: [], affected, severities, references };
  const title = r.optStr(cna.title, '/containers/cna/title');
  if (title) d.summary = title;
  const descs = r.optArr(state === 'REJECTED' ? cna.rejectedReasons : cna.descriptions, '/containers/cna/descriptions').filter(isObject);
  const en = descs.find((x) => typeof x.lang === 'string' && x.lang.startsWith('en')) ?? descs[0];
  if (en && typeof en.value === 'string') d.details = en.value;
  const published = r.optStr(meta.datePublished, '/cveMetadata/datePublished');
  const modified = r.optStr(meta.dateUpdated, '/cveMetadata/dateUpdated');
  if (published) d.published = published;
  if (modified) d.modified = modified;
  if (state === 'REJECTED') d.withdrawn = r.optStr(meta.dateRejected, '/cveMetadata/dateRejected') ?? modified ?? published ?? '';
  const ds: Record<string, unknown> = { state };
  const assigner = r.optStr(meta.assignerShortName, '/cveMetadata/assignerShortName');
  if (assigner) ds.assignerShortName = assigner;
  const cwes = r
    .optArr(cna.problemTypes, '/containers/cna/problemTypes')
    .flatMap((p) => (isObject(p) && Array.isArray(p.descriptions) ? p.descriptions : []))
    .map((x) => (isObject(x) && typeof x.cweId === 'string' ? x.cweId : null))
    .filter((x): x is string => x !== null);
  if (cwes.length) ds.cwes = uniq(cwes);
  d.databaseSpecific = ds;
  return { source: 'cve5', format: 'cve-json-5', specVersion: dataVersion, observations: [d] };
}

export const cve5Connector: Connector = {
  name: 'cve5',
  syntax: 'json',
  detect: (input) => input.bytes.subarray(0, 4096).includes('"CVE_RECORD"'),
  detectValue: looksLikeCve5,
  parse: (input) => toDocument(input, parseJsonText(input, decodeText(input))),
  parseValue: (v, input) => toDocument(input, v),
};
