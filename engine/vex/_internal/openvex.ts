/**
 * OpenVEX 0.0.1 and 0.2.0. Documents are read as the OpenVEX tools read them (vexctl accepts documents
 * without a top-level timestamp or version, and 0.0.1's string vulnerabilities and products); what the
 * specification makes a MUST is enforced: @id, author, statements, a vulnerability and a known status
 * per statement, and a justification or impact statement on every `not_affected`.
 */
import type { VexProduct, VexStatus } from '../../core';
import { canonicalizePurl } from '../../sbom/purl';
import { invalidDocument } from '../errors';
import { isVexJustification, openVexStatus } from '../vocabulary';
import type { ParsedVexDocument, StatementDraft } from './draft';
import { Fields, isObject, uniq, type JsonObject } from './json';

export function looksLikeOpenVex(v: unknown): v is JsonObject {
  return isObject(v) && typeof v['@context'] === 'string' && /^https?:\/\/openvex\.dev\/ns/.test(v['@context']) && 'statements' in v;
}

function specVersionOf(context: string): string {
  const m = /\/ns\/v(\d+\.\d+\.\d+)/.exec(context);
  return m ? (m[1] as string) : '0.0.1';
}

/** An OpenVEX product identifier (`@id` or a 0.0.1 string) → purl / CPE / name. */
function productFromId(f: Fields, id: string, path: string): VexProduct {
  if (/^pkg:/i.test(id)) {
    try {
      return { purl: canonicalizePurl(id) };
    } catch (e) {
      throw invalidDocument(f.file, path, `a valid purl (${(e as Error).message})`, e);
    }
  }
  if (/^cpe:/i.test(id)) return { cpe: id };
  return { name: id };
}

function readProduct(f: Fields, v: unknown, path: string): VexProduct {
  if (typeof v === 'string') return productFromId(f, f.str(v, path), path);
  const o = f.obj(v, path);
  const id = f.optStr(o['@id'], `${path}/@id`);
  const product: VexProduct = id ? productFromId(f, id, `${path}/@id`) : {};
  const ids = f.optObj(o.identifiers, `${path}/identifiers`);
  if (ids) {
    const purl = f.optStr(ids.purl, `${path}/identifiers/purl`);
    if (purl && !product.purl) product.purl = productFromId(f, purl, `${path}/identifiers/purl`).purl as string;
    const cpe = f.optStr(ids.cpe23, `${path}/identifiers/cpe23`) ?? f.optStr(ids.cpe22, `${path}/identifiers/cpe22`);
    if (cpe && !product.cpe) product.cpe = cpe;
  }
  if (!product.purl && !product.cpe && !product.name) throw invalidDocument(f.file, path, 'a product with an @id or identifiers (purl, cpe23, cpe22)');
  return product;
}

export function parseOpenVex(file: string, doc: JsonObject): ParsedVexDocument {
  const f = new Fields(file);
  const context = f.str(doc['@context'], '/@context');
  const specVersion = specVersionOf(context);
  const identity = f.str(doc['@id'], '/@id');
  const author = f.str(doc.author, '/author');
  const role = f.optStr(doc.role, '/role');
  const docTime = f.optTime(doc.timestamp, '/timestamp');
  const lastUpdated = f.optTime(doc.last_updated, '/last_updated');
  const version = doc.version;
  if (version !== undefined && !(typeof version === 'number' && Number.isInteger(version) && version >= 0) && typeof version !== 'string') {
    throw invalidDocument(file, '/version', 'a non-negative integer');
  }
  const statements: StatementDraft[] = [];
  f.arr(doc.statements, '/statements').forEach((s, i) => {
    const path = `/statements/${i}`;
    const so = f.obj(s, path);
    let vulnerability: string;
    let aliases: string[] = [];
    let description: string | undefined;
    if (typeof so.vulnerability === 'string') {
      vulnerability = f.str(so.vulnerability, `${path}/vulnerability`);
    } else {
      const vo = f.obj(so.vulnerability, `${path}/vulnerability`);
      const name = f.optStr(vo.name, `${path}/vulnerability/name`) ?? f.optStr(vo['@id'], `${path}/vulnerability/@id`);
      if (!name) throw invalidDocument(file, `${path}/vulnerability/name`, 'the vulnerability name (e.g. CVE-2023-1234)');
      vulnerability = name;
      aliases = f.optArr(vo.aliases, `${path}/vulnerability/aliases`).map((a, j) => f.str(a, `${path}/vulnerability/aliases/${j}`));
      description = f.optStr(vo.description, `${path}/vulnerability/description`);
    }
    const statusGiven = f.str(so.status, `${path}/status`);
    const status: VexStatus | undefined = openVexStatus(statusGiven);
    if (!status) throw invalidDocument(file, `${path}/status`, 'one of not_affected, affected, fixed, under_investigation');
    const justificationGiven = f.optStr(so.justification, `${path}/justification`);
    if (justificationGiven !== undefined && !isVexJustification(justificationGiven)) {
      throw invalidDocument(file, `${path}/justification`, 'one of component_not_present, vulnerable_code_not_present, vulnerable_code_not_in_execute_path, vulnerable_code_cannot_be_controlled_by_adversary, inline_mitigations_already_exist');
    }
    const impact = f.optStr(so.impact_statement, `${path}/impact_statement`);
    if (status === 'not_affected' && !justificationGiven && !impact) {
      throw invalidDocument(file, `${path}/justification`, 'a justification or an impact_statement (OpenVEX: a not_affected statement MUST give one)');
    }
    const action = f.optStr(so.action_statement, `${path}/action_statement`);
    const notes = f.optStr(so.status_notes, `${path}/status_notes`);
    const timestamp = f.optTime(so.timestamp, `${path}/timestamp`) ?? lastUpdated ?? docTime;
    const subcomponents: VexProduct[] = [];
    // 0.0.1 put subcomponents beside products; 0.2.0 nests them in each product.
    f.optArr(so.subcomponents, `${path}/subcomponents`).forEach((sc, j) => subcomponents.push(readProduct(f, sc, `${path}/subcomponents/${j}`)));
    const productsRaw = f.optArr(so.products, `${path}/products`);
    const products = productsRaw.map((p, j) => {
      const pp = `${path}/products/${j}`;
      const subs = isObject(p) ? f.optArr(p.subcomponents, `${pp}/subcomponents`).map((sc, k) => readProduct(f, sc, `${pp}/subcomponents/${k}`)) : [];
      return { product: readProduct(f, p, pp), subs, path: pp };
    });
    const base = {
      vulnerability,
      aliases: uniq(aliases.filter((a) => a !== vulnerability)),
      status,
      statusAsGiven: statusGiven,
      ...(justificationGiven ? { justification: justificationGiven as StatementDraft['justification'], justificationAsGiven: justificationGiven } : {}),
      ...(impact ? { impact } : {}),
      ...(action ? { action } : {}),
      ...(notes ?? description ? { detail: (notes ?? description) as string } : {}),
      ...(timestamp ? { timestamp } : {}),
      issuer: { name: author, ...(role ? { role } : {}) },
    };
    if (!products.length) {
      statements.push({ ...base, product: {}, ...(subcomponents.length ? { subcomponents } : {}), path });
      return;
    }
    for (const p of products) {
      const subs = [...subcomponents, ...p.subs];
      statements.push({ ...base, product: p.product, ...(subs.length ? { subcomponents: subs } : {}), path: p.path });
    }
  });
  return {
    format: 'openvex',
    specVersion,
    identity,
    ...(version !== undefined ? { docVersion: String(version) } : {}),
    issuer: { name: author, ...(role ? { role } : {}) },
    statements,
    notes: [],
  };
}
