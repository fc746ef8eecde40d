/**
 * CSAF 2.0 advisories (csaf_security_advisory, csaf_vex, csaf_base …) as advisory observations.
 *
 * - One observation per `vulnerabilities[]` entry. advisoryId = document.tracking.id when the document
 *   has one vulnerability, else `<tracking.id>/<cve or first id or index>` (tracking.id then an alias).
 *   Aliases: the cve and ids[].text.
 * - product_tree (branches, full_product_names, relationships) → product_id → name, purl, cpe, version.
 *   product_status known_affected / first_affected / last_affected → affected entries grouped by purl
 *   without version (ecosystem from the purl type, explicit versions = the products' versions);
 *   products identified only by CPE → ecosystem `CPE`; products with neither are listed in
 *   databaseSpecific.unidentifiedProducts. fixed / first_fixed versions are kept per entry in
 *   databaseSpecific.fixedVersions; known_not_affected in databaseSpecific.knownNotAffected.
 * - scores[].cvss_v3 / cvss_v2 vectors as given.
 */
import type { AffectedPackage, SeverityAsGiven } from '../../core';
import { decodeText, ECOSYSTEM_BY_PURL_TYPE, invalid, isObject, osvNameFromPurl, parseJsonText, Reader, splitPurl, uniq, type JsonObject } from './_internal/util';
import type { Connector, ObservationDraft, ParsedDocument, RawInput } from './types';

interface Product {
  id: string;
  name: string;
  purl?: string;
  cpe?: string;
  version?: string;
}

function looksLikeCsaf(v: unknown): boolean {
  return isObject(v) && isObject(v.document) && typeof v.document.csaf_version === 'string';
}

function collectProducts(r: Reader, tree: JsonObject | undefined): Map<string, Product> {
  const out = new Map<string, Product>();
  if (!tree) return out;
  const addProduct = (p: unknown, path: string, version?: string) => {
    const po = r.obj(p, path);
    const id = r.nonEmpty(po.product_id, `${path}/product_id`);
    const prod: Product = { id, name: r.optStr(po.name, `${path}/name`) ?? id };
    const helper = r.optObj(po.product_identification_helper, `${path}/product_identification_helper`);
    if (helper) {
      const purl = r.optStr(helper.purl, `${path}/product_identification_helper/purl`);
      const cpe = r.optStr(helper.cpe, `${path}/product_identification_helper/cpe`);
      if (purl) prod.purl = purl;
      if (cpe) prod.cpe = cpe;
    }
    if (version) prod.version = version;
    out.set(id, prod);
  };
  const walk = (branches: unknown, path: string, depth: number, version?: string) => {
    if (depth > 64) throw invalid(r.input, path, 'product_tree branches nested at most 64 deep');
    r.optArr(branches, path).forEach((b, i) => {
      const bpath = `${path}/${i}`;
      const bo = r.obj(b, bpath);
      const v = bo.category === 'product_version' && typeof bo.name === 'string' ? bo.name : version;
      if (bo.product !== undefined) addProduct(bo.product, `${bpath}/product`, v);
      walk(bo.branches, `${bpath}/branches`, depth + 1, v);
    });
  };
  walk(tree.branches, '/product_tree/branches', 0);
  r.optArr(tree.full_product_names, '/product_tree/full_product_names').forEach((p, i) => addProduct(p, `/product_tree/full_product_names/${i}`));
  r.optArr(tree.relationships, '/product_tree/relationships').forEach((rel, i) => {
    const path = `/product_tree/relationships/${i}`;
    const ro = r.obj(rel, path);
    const fpn = r.obj(ro.full_product_name, `${path}/full_product_name`);
    const id = r.nonEmpty(fpn.product_id, `${path}/full_product_name/product_id`);
    // "component X installed on platform Y": the vulnerable thing is the referenced component.
    const ref = out.get(r.str(ro.product_reference, `${path}/product_reference`));
    out.set(id, { ...(ref ?? {}), id, name: r.optStr(fpn.name, `${path}/full_product_name/name`) ?? ref?.name ?? id });
  });
  return out;
}

function statusIds(r: Reader, status: JsonObject | undefined, path: string, keys: string[]): string[] {
  if (!status) return [];
  return uniq(keys.flatMap((k) => r.strArr(status[k], `${path}/${k}`)));
}

function toDocument(input: RawInput, v: unknown): ParsedDocument {
  const r = new Reader(input);
  const o = r.obj(v, '');
  const doc = r.obj(o.document, '/document');
  const csafVersion = r.str(doc.csaf_version, '/document/csaf_version');
  if (!/^2\.\d+$/.test(csafVersion)) throw invalid(input, '/document/csaf_version', 'CSAF 2.x');
  const tracking = r.obj(doc.tracking, '/document/tracking');
  const trackingId = r.nonEmpty(tracking.id, '/document/tracking/id');
  const category = r.optStr(doc.category, '/document/category');
  const title = r.optStr(doc.title, '/document/title');
  const initial = r.optStr(tracking.initial_release_date, '/document/tracking/initial_release_date');
  const current = r.optStr(tracking.current_release_date, '/document/tracking/current_release_date');
  const products = collectProducts(r, r.optObj(o.product_tree, '/product_tree'));
  const docRefs = r.optArr(doc.references, '/document/references').map((x, i) => {
    const ro = r.obj(x, `/document/references/${i}`);
    const type = r.optStr(ro.category, `/document/references/${i}/category`);
    return { ...(type ? { type } : {}), url: r.str(ro.url, `/document/references/${i}/url`) };
  });
  const vulns = r.optArr(o.vulnerabilities, '/vulnerabilities');
  const observations = vulns.map((x, i): ObservationDraft => {
    const path = `/vulnerabilities/${i}`;
    const vo = r.obj(x, path);
    const cve = r.optStr(vo.cve, `${path}/cve`);
    const ids = r.optArr(vo.ids, `${path}/ids`).map((idv, j) => r.nonEmpty(r.obj(idv, `${path}/ids/${j}`).text, `${path}/ids/${j}/text`));
    const advisoryId = vulns.length === 1 ? trackingId : `${trackingId}/${cve ?? ids[0] ?? String(i)}`;
    const aliases = uniq([...(cve ? [cve] : []), ...ids, ...(advisoryId !== trackingId ? [trackingId] : [])]).filter((a) => a !== advisoryId);
    const status = r.optObj(vo.product_status, `${path}/product_status`);
    const spath = `${path}/product_status`;
    const affectedIds = statusIds(r, status, spath, ['known_affected', 'first_affected', 'last_affected']);
    const fixedIds = statusIds(r, status, spath, ['fixed', 'first_fixed']);
    const notAffectedIds = statusIds(r, status, spath, ['known_not_affected']);
    const byKey = new Map<string, AffectedPackage>();
    const unidentified: string[] = [];
    const keyOf = (p: Product): { key: string; pkg: AffectedPackage; version?: string } | null => {
      if (p.purl) {
        const sp = splitPurl(p.purl);
        if (sp) {
          const ecosystem = ECOSYSTEM_BY_PURL_TYPE[sp.type] ?? `purl:${sp.type}`;
          return { key: sp.base, pkg: { ecosystem, name: osvNameFromPurl(sp.type, sp.namespace, sp.name), purl: sp.base, ranges: [], versions: [] }, version: sp.version ?? p.version };
        }
      }
      if (p.cpe) return { key: p.cpe, pkg: { ecosystem: 'CPE', name: p.cpe, ranges: [], versions: [] } };
      return null;
    };
    for (const pid of affectedIds) {
      const p = products.get(pid);
      if (!p) throw invalid(input, `${spath}`, `product id "${pid}" defined in /product_tree`);
      const k = keyOf(p);
      if (!k) {
        unidentified.push(p.name);
        continue;
      }
      let a = byKey.get(k.key);
      if (!a) byKey.set(k.key, (a = k.pkg));
      if (k.version && !a.versions.includes(k.version)) a.versions.push(k.version);
    }
    for (const pid of fixedIds) {
      const p = products.get(pid);
      if (!p) throw invalid(input, `${spath}`, `product id "${pid}" defined in /product_tree`);
      const k = keyOf(p);
      const a = k ? byKey.get(k.key) : undefined;
      if (a && k?.version) {
        const ds = (a.databaseSpecific ??= {});
        const fixed = (ds.fixedVersions as string[] | undefined) ?? [];
        if (!fixed.includes(k.version)) fixed.push(k.version);
        ds.fixedVersions = fixed;
      }
    }
    const severities: SeverityAsGiven[] = [];
    r.optArr(vo.scores, `${path}/scores`).forEach((s, j) => {
      const so = r.obj(s, `${path}/scores/${j}`);
      for (const [key, type] of [['cvss_v3', 'CVSS_V3'], ['cvss_v2', 'CVSS_V2']] as const) {
        const c = r.optObj(so[key], `${path}/scores/${j}/${key}`);
        if (c) severities.push({ type, score: r.nonEmpty(c.vectorString, `${path}/scores/${j}/${key}/vectorString`), source: 'csaf' });
      }
    });
    const references = [
      ...docRefs,
      ...r.optArr(vo.references, `${path}/references`).map((y, j) => {
        const ro = r.obj(y, `${path}/references/${j}`);
        const type = r.optStr(ro.category, `${path}/references/${j}/category`);
        return { ...(type ? { type } : {}), url: r.str(ro.url, `${path}/references/${j}/url`) };
      }),
    ];
    const d: ObservationDraft = { advisoryId, aliases, affected: [...byKey.values()], severities, references };
    const vtitle = r.optStr(vo.title, `${path}/title`);
    if (vtitle ?? title) d.summary = (vtitle ?? title)!;
    const notes = r.optArr(vo.notes, `${path}/notes`).filter(isObject);
    const desc = notes.find((n) => n.category === 'description') ?? notes.find((n) => n.category === 'summary');
    if (desc && typeof desc.text === 'string') d.details = desc.text;
    const released = r.optStr(vo.release_date, `${path}/release_date`) ?? initial;
    if (released) d.published = released;
    if (current) d.modified = current;
    const ds: Record<string, unknown> = { trackingId, ...(category ? { category } : {}), ...(typeof tracking.status === 'string' ? { trackingStatus: tracking.status } : {}) };
    if (unidentified.length) ds.unidentifiedProducts = uniq(unidentified);
    if (notAffectedIds.length) ds.knownNotAffected = notAffectedIds.map((pid) => products.get(pid)?.purl ?? products.get(pid)?.name ?? pid);
    if (isObject(vo.cwe)) ds.cwe = vo.cwe;
    d.databaseSpecific = ds;
    return d;
  });
  return { source: 'csaf', format: 'csaf-json', specVersion: csafVersion, observations };
}

export const csafConnector: Connector = {
  name: 'csaf',
  syntax: 'json',
  detect: (input) => input.bytes.subarray(0, 8192).includes('"csaf_version"'),
  detectValue: looksLikeCsaf,
  parse: (input) => toDocument(input, parseJsonText(input, decodeText(input))),
  parseValue: (v, input) => toDocument(input, v),
};
