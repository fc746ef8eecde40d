/**
 * Enrichment feeds (no observations): CISA KEV catalog (JSON and CSV) and FIRST EPSS scores (CSV).
 * - KEV JSON: `{ title, catalogVersion, dateReleased, count, vulnerabilities: [{ cveID, vendorProject, … }] }`.
 * - KEV CSV: header `cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes[,cwes]`.
 * - EPSS CSV: `#model_version:v2023.03.01,score_date:2023-03-28T00:00:00+0000`, then `cve,epss,percentile`.
 */
import { AdvisoryError } from '../errors';
import { CsvSyntaxError, parseCsv, type CsvRow } from './_internal/csv';
import { decodeText, hasExt, invalid, isCveId, isObject, parseJsonText, Reader, type JsonObject } from './_internal/util';
import type { Connector, EpssRecord, KevRecord, ParsedDocument, RawInput } from './types';

// ------------------------------------------------------------------ KEV JSON

function isKevCatalog(v: unknown): boolean {
  return isObject(v) && Array.isArray(v.vulnerabilities) && (typeof v.catalogVersion === 'string' || /known exploited/i.test(String(v.title ?? '')));
}

/** The KEV JSON Schema file sits next to the catalog; it must not pass as an (empty) catalog. */
export function isKevSchema(v: unknown): boolean {
  return isObject(v) && typeof v.$schema === 'string' && isObject(v.properties) && /known exploited/i.test(String(v.title ?? ''));
}

function kevFromJson(input: RawInput, v: unknown): ParsedDocument {
  if (isKevSchema(v)) {
    throw new AdvisoryError('unsupported-format', `${input.uri}: this is the JSON Schema of the CISA KEV catalog, not a KEV catalog (expected an object with "catalogVersion" and "vulnerabilities")`, {
      details: { file: input.uri, expected: 'a CISA KEV catalog' },
    });
  }
  const r = new Reader(input);
  const o = r.obj(v, '');
  const vulns = r.arr(o.vulnerabilities, '/vulnerabilities');
  const kev = vulns.map((x, i) => kevRecordFromObject(r, r.obj(x, `/vulnerabilities/${i}`), `/vulnerabilities/${i}`));
  if (typeof o.count === 'number' && o.count !== kev.length) {
    throw invalid(input, '/count', `the number of entries in /vulnerabilities (count says ${o.count}, the list has ${kev.length})`);
  }
  const doc: ParsedDocument = { source: 'kev', format: 'kev-json', observations: [], kev };
  const version = r.optStr(o.catalogVersion, '/catalogVersion');
  if (version) doc.specVersion = version;
  return doc;
}

function kevRecordFromObject(r: Reader, o: JsonObject, path: string): KevRecord {
  const cveId = r.str(o.cveID, `${path}/cveID`);
  if (!isCveId(cveId)) throw invalid(r.input, `${path}/cveID`, 'a CVE id (CVE-YYYY-NNNN)');
  const rec: KevRecord = { cveId };
  for (const k of ['vendorProject', 'product', 'vulnerabilityName', 'dateAdded', 'shortDescription', 'requiredAction', 'dueDate', 'knownRansomwareCampaignUse', 'notes'] as const) {
    const s = r.optStr(o[k], `${path}/${k}`);
    if (s !== undefined) rec[k] = s;
  }
  if (o.cwes !== undefined) rec.cwes = r.strArr(o.cwes, `${path}/cwes`);
  return rec;
}

export const kevJsonConnector: Connector = {
  name: 'kev',
  syntax: 'json',
  detect: (input) => hasExt(input.uri, '.json'),
  detectValue: (v) => isKevCatalog(v) || isKevSchema(v),
  parse: (input) => kevFromJson(input, parseJsonText(input, decodeText(input))),
  parseValue: (v, input) => kevFromJson(input, v),
};

// ------------------------------------------------------------------ CSV helpers

function csvRows(input: RawInput, text: string, startLine = 1): CsvRow[] {
  try {
    return parseCsv(text, startLine);
  } catch (e) {
    if (e instanceof CsvSyntaxError) {
      throw new AdvisoryError('invalid-document', `${input.uri}: line ${e.line}: ${e.message}`, {
        details: { file: input.uri, line: e.line, expected: 'RFC 4180 CSV' },
        cause: e,
      });
    }
    throw e;
  }
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '').replace(/^\uFEFF/, '');
}

// ------------------------------------------------------------------ KEV CSV

const KEV_REQUIRED = ['cveID', 'vendorProject', 'product', 'dateAdded'];

function isKevCsvText(text: string): boolean {
  return /^"?cveID"?,"?vendorProject"?,/.test(firstLine(text));
}

function kevFromCsv(input: RawInput, text: string): ParsedDocument {
  const rows = csvRows(input, text.replace(/^\uFEFF/, ''));
  const header = rows[0]?.fields ?? [];
  for (const h of KEV_REQUIRED) if (!header.includes(h)) throw invalid(input, 'line 1', `a KEV CSV header with column "${h}"`);
  const col = (name: string) => header.indexOf(name);
  const kev: KevRecord[] = [];
  for (const row of rows.slice(1)) {
    if (row.fields.length !== header.length) {
      throw new AdvisoryError('invalid-document', `${input.uri}: line ${row.line}: expected ${header.length} fields (as the header), found ${row.fields.length}`, {
        details: { file: input.uri, line: row.line, expected: `${header.length} fields` },
      });
    }
    const get = (name: string): string | undefined => {
      const i = col(name);
      return i < 0 ? undefined : row.fields[i];
    };
    const cveId = get('cveID') ?? '';
    if (!isCveId(cveId)) {
      throw new AdvisoryError('invalid-document', `${input.uri}: line ${row.line}: cveID: expected a CVE id, found "${cveId}"`, {
        details: { file: input.uri, line: row.line, path: 'cveID', expected: 'a CVE id' },
      });
    }
    const rec: KevRecord = { cveId };
    for (const k of ['vendorProject', 'product', 'vulnerabilityName', 'dateAdded', 'shortDescription', 'requiredAction', 'dueDate', 'knownRansomwareCampaignUse', 'notes'] as const) {
      const s = get(k);
      if (s !== undefined) rec[k] = s;
    }
    const cwes = get('cwes');
    if (cwes !== undefined) rec.cwes = cwes.split(/[,;]\s*|\s+/).filter(Boolean);
    kev.push(rec);
  }
  return { source: 'kev', format: 'kev-csv', observations: [], kev };
}

export const kevCsvConnector: Connector = {
  name: 'kev',
  syntax: 'text',
  detect: (input) => isKevCsvText(input.bytes.subarray(0, 256).toString('utf8')),
  detectValue: (v) => typeof v === 'string' && isKevCsvText(v),
  parse: (input) => kevFromCsv(input, decodeText(input)),
  parseValue: (v, input) => kevFromCsv(input, v as string),
};

// ------------------------------------------------------------------ EPSS CSV

function isEpssText(text: string): boolean {
  const l = firstLine(text);
  return /^#model_version:/.test(l) || /^cve,epss(,percentile)?$/.test(l);
}

function epssFromCsv(input: RawInput, text: string): ParsedDocument {
  let body = text.replace(/^\uFEFF/, '');
  let startLine = 1;
  let modelVersion: string | undefined;
  let scoreDate: string | undefined;
  if (body.startsWith('#')) {
    const l = firstLine(body);
    for (const part of l.slice(1).split(',')) {
      const i = part.indexOf(':');
      if (i < 0) continue;
      const k = part.slice(0, i).trim();
      const v = part.slice(i + 1).trim();
      if (k === 'model_version') modelVersion = v;
      if (k === 'score_date') scoreDate = v;
    }
    const nl = body.indexOf('\n');
    body = nl < 0 ? '' : body.slice(nl + 1);
    startLine = 2;
  }
  const rows = csvRows(input, body, startLine);
  const header = rows[0]?.fields ?? [];
  const ci = header.indexOf('cve');
  const ei = header.indexOf('epss');
  const pi = header.indexOf('percentile');
  if (ci < 0 || ei < 0) throw invalid(input, `line ${startLine}`, 'the EPSS header "cve,epss,percentile"');
  const date = scoreDate ? scoreDate.slice(0, 10) : undefined;
  const epss: EpssRecord[] = [];
  for (const row of rows.slice(1)) {
    const where = `line ${row.line}`;
    const cveId = row.fields[ci] ?? '';
    if (!isCveId(cveId)) throw invalid(input, `${where}: cve`, `a CVE id, found "${cveId}"`);
    const score = Number(row.fields[ei]);
    if (!(row.fields[ei] ?? '').trim() || !Number.isFinite(score) || score < 0 || score > 1) throw invalid(input, `${where}: epss`, 'a probability between 0 and 1');
    const rec: EpssRecord = { cveId, epss: score };
    if (pi >= 0) {
      const p = Number(row.fields[pi]);
      if (!(row.fields[pi] ?? '').trim() || !Number.isFinite(p) || p < 0 || p > 1) throw invalid(input, `${where}: percentile`, 'a percentile between 0 and 1');
      rec.percentile = p;
    }
    if (date) rec.date = date;
    epss.push(rec);
  }
  const doc: ParsedDocument = { source: 'epss', format: 'epss-csv', observations: [], epss };
  if (modelVersion) doc.specVersion = modelVersion;
  return doc;
}

export const epssCsvConnector: Connector = {
  name: 'epss',
  syntax: 'text',
  detect: (input) => isEpssText(input.bytes.subarray(0, 256).toString('utf8')),
  detectValue: (v) => typeof v === 'string' && isEpssText(v),
  parse: (input) => epssFromCsv(input, decodeText(input)),
  parseValue: (v, input) => epssFromCsv(input, v as string),
};
