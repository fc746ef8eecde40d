/**
 * CSAF 2.0 and 2.1 (any profile that carries product status: csaf_vex, csaf_security_advisory, …).
 *
 * Validation: the document must pass the CSAF JSON schema (strict) and every mandatory test of
 * section 6.1, run by the BSI csaf-validator-lib (`@secvisogram/csaf-validator-lib`), plus one
 * supplement where the library is more lenient than the specification (6.1.26: a category equal to a
 * profile's value once `-`, `_` and spaces are removed, e.g. `csafsecurityadvisory`). A failing document is
 * rejected with every failing test, its section number and the JSON pointer it names.
 *
 * Statements: one per (vulnerability, product id, status key). The product tree is resolved through
 * branches, full_product_names, relationships (the component `product_reference` installed on a
 * platform: the statement is about the component) and product_groups (flags, threats and remediations
 * may name groups). Justification ← flags[].label; impact ← threats[category=impact]; action ←
 * remediations (category: details); timestamp ← tracking.current_release_date.
 */
import type { VexJustification, VexProduct } from '../../core';
import { canonicalizePurl } from '../../sbom/purl';
import { VexError } from '../errors';
import { CSAF_PRODUCT_STATUS, normalizeJustification } from '../vocabulary';
import type { ParsedVexDocument, StatementDraft } from './draft';
import { Fields, isObject, uniq, type JsonObject } from './json';

export function looksLikeCsaf(v: unknown): v is JsonObject {
  return isObject(v) && isObject(v.document) && typeof v.document.csaf_version === 'string';
}

type CsafTest = ((doc: unknown) => unknown) & { name: string };

const validators = new Map<'2.0' | '2.1', Promise<CsafTest[]>>();

function testsOf(mod: Record<string, unknown>): CsafTest[] {
  return Object.keys(mod)
    .sort()
    .map((k) => mod[k])
    .filter((t): t is CsafTest => typeof t === 'function');
}

/**
 * The library is loaded on first use, one CSAF version at a time: its test modules take seconds to load
 * (2.0 ≈ 2.5 s, 2.1 ≈ 6 s on this machine), which commands that never meet CSAF must not pay.
 */
function loadValidators(version: '2.0' | '2.1'): Promise<CsafTest[]> {
  let p = validators.get(version);
  if (!p) {
    p = (async () => {
      const [schema, mandatory] =
        version === '2.0'
          ? await Promise.all([import('@secvisogram/csaf-validator-lib/schemaTests.js'), import('@secvisogram/csaf-validator-lib/mandatoryTests.js')])
          : await Promise.all([import('@secvisogram/csaf-validator-lib/csaf_2_1/schemaTests.js'), import('@secvisogram/csaf-validator-lib/csaf_2_1/mandatoryTests.js')]);
      const strict = (schema as Record<string, CsafTest | undefined>)[version === '2.0' ? 'csaf_2_0_strict' : 'csaf_2_1_strict'];
      if (!strict) throw new Error(`csaf-validator-lib does not export the strict CSAF ${version} schema test`);
      return [strict, ...testsOf(mandatory as Record<string, unknown>), supplement_6_1_26];
    })();
    validators.set(version, p);
  }
  return p;
}

const PROFILE_VALUES = ['csaf_security_incident_response', 'csaf_informational_advisory', 'csaf_security_advisory', 'csaf_vex'];

/** 6.1.26 as the specification words it: the library compares only the values without their `csaf_` prefix. */
function supplement_6_1_26(doc: unknown): { isValid: boolean; errors: { instancePath: string; message: string }[] } {
  const category = isObject(doc) && isObject(doc.document) ? doc.document.category : undefined;
  if (typeof category !== 'string' || category === 'csaf_base' || PROFILE_VALUES.includes(category)) return { isValid: true, errors: [] };
  const squash = (s: string) => s.replace(/[-_\s]+/g, '').toLowerCase();
  const bad = PROFILE_VALUES.some((p) => squash(p) === squash(category));
  return bad ? { isValid: false, errors: [{ instancePath: '/document/category', message: 'value prohibited (equal to the value of a profile)' }] } : { isValid: true, errors: [] };
}
Object.defineProperty(supplement_6_1_26, 'name', { value: 'mandatoryTest_6_1_26_supplement' });

/** `mandatoryTest_6_1_27_10` → `6.1.27.10`; schema tests keep their name. */
export function csafTestSection(name: string): string {
  const m = /^mandatoryTest_(\d+(?:_\d+)+)/.exec(name);
  return m ? (m[1] as string).replace(/_/g, '.') : name;
}

export interface CsafFailure {
  test: string;
  section: string;
  errors: { instancePath: string; message: string }[];
}

/** Run the schema and mandatory tests; returns every failing test (empty when the document is valid). */
export async function validateCsaf(doc: unknown, csafVersion: '2.0' | '2.1'): Promise<CsafFailure[]> {
  const failures: CsafFailure[] = [];
  for (const t of await loadValidators(csafVersion)) {
    const r = (await t(doc)) as { isValid?: boolean; errors?: { instancePath: string; message: string }[] };
    if (r.isValid === false) failures.push({ test: t.name, section: csafTestSection(t.name), errors: r.errors ?? [] });
  }
  return failures;
}

interface Product {
  id: string;
  name: string;
  purl?: string;
  cpe?: string;
}

function collectProducts(f: Fields, tree: JsonObject | undefined): { products: Map<string, Product>; groups: Map<string, string[]> } {
  const products = new Map<string, Product>();
  const groups = new Map<string, string[]>();
  if (!tree) return { products, groups };
  const add = (p: unknown, path: string) => {
    const po = f.obj(p, path);
    const id = f.str(po.product_id, `${path}/product_id`);
    const prod: Product = { id, name: f.optStr(po.name, `${path}/name`) ?? id };
    const helper = f.optObj(po.product_identification_helper, `${path}/product_identification_helper`);
    const purl = helper ? f.optStr(helper.purl, `${path}/product_identification_helper/purl`) : undefined;
    const cpe = helper ? f.optStr(helper.cpe, `${path}/product_identification_helper/cpe`) : undefined;
    // 6.1.13 has checked the purl; canonical form so it meets SBOM purls.
    if (purl) prod.purl = canonicalizePurl(purl);
    if (cpe) prod.cpe = cpe;
    products.set(id, prod);
  };
  const walk = (branches: unknown, path: string, depth: number) => {
    if (depth > 64) throw new VexError('invalid-document', `${f.file}: ${path}: expected product_tree branches nested at most 64 deep`, { details: { file: f.file, path } });
    f.optArr(branches, path).forEach((b, i) => {
      const bo = f.obj(b, `${path}/${i}`);
      if (bo.product !== undefined) add(bo.product, `${path}/${i}/product`);
      walk(bo.branches, `${path}/${i}/branches`, depth + 1);
    });
  };
  walk(tree.branches, '/product_tree/branches', 0);
  f.optArr(tree.full_product_names, '/product_tree/full_product_names').forEach((p, i) => add(p, `/product_tree/full_product_names/${i}`));
  f.optArr(tree.relationships, '/product_tree/relationships').forEach((rel, i) => {
    const path = `/product_tree/relationships/${i}`;
    const ro = f.obj(rel, path);
    const fpn = f.obj(ro.full_product_name, `${path}/full_product_name`);
    const id = f.str(fpn.product_id, `${path}/full_product_name/product_id`);
    const component = products.get(f.str(ro.product_reference, `${path}/product_reference`));
    const name = f.optStr(fpn.name, `${path}/full_product_name/name`) ?? component?.name ?? id;
    const helper = f.optObj(fpn.product_identification_helper, `${path}/full_product_name/product_identification_helper`);
    const purl = helper ? f.optStr(helper.purl, `${path}/full_product_name/product_identification_helper/purl`) : undefined;
    const cpe = helper ? f.optStr(helper.cpe, `${path}/full_product_name/product_identification_helper/cpe`) : undefined;
    const prod: Product = { id, name };
    const p = purl ? canonicalizePurl(purl) : component?.purl;
    const c = cpe ?? component?.cpe;
    if (p) prod.purl = p;
    if (c) prod.cpe = c;
    products.set(id, prod);
  });
  f.optArr(tree.product_groups, '/product_tree/product_groups').forEach((g, i) => {
    const go = f.obj(g, `/product_tree/product_groups/${i}`);
    const gid = f.str(go.group_id, `/product_tree/product_groups/${i}/group_id`);
    groups.set(gid, f.arr(go.product_ids, `/product_tree/product_groups/${i}/product_ids`).map((x, j) => f.str(x, `/product_tree/product_groups/${i}/product_ids/${j}`)));
  });
  return { products, groups };
}

export async function parseCsaf(file: string, doc: JsonObject): Promise<ParsedVexDocument> {
  const f = new Fields(file);
  const d = f.obj(doc.document, '/document');
  const csafVersion = f.str(d.csaf_version, '/document/csaf_version');
  if (csafVersion !== '2.0' && csafVersion !== '2.1') {
    throw new VexError('unsupported-format', `${file}: /document/csaf_version: CSAF ${csafVersion} is not supported (expected 2.0 or 2.1)`, { details: { file, path: '/document/csaf_version', expected: '2.0 or 2.1' } });
  }
  const failures = await validateCsaf(doc, csafVersion);
  if (failures.length) {
    const lines = failures.flatMap((x) => (x.errors.length ? x.errors : [{ instancePath: '', message: 'failed' }]).slice(0, 5).map((e) => `${x.section === x.test ? `schema (${x.test})` : `mandatory test ${x.section}`} at ${e.instancePath || '/'}: ${e.message}`));
    const first = failures[0]!;
    throw new VexError('invalid-document', `${file}: not a valid CSAF ${csafVersion} document: ${lines.join('; ')}`, {
      details: { file, path: first.errors[0]?.instancePath || '/', expected: `a document passing the CSAF ${csafVersion} schema and mandatory tests`, failedTests: failures.map((x) => x.section) },
    });
  }
  const publisher = f.obj(d.publisher, '/document/publisher');
  const issuer = {
    name: f.str(publisher.name, '/document/publisher/name'),
    role: f.str(publisher.category, '/document/publisher/category'),
    namespace: f.str(publisher.namespace, '/document/publisher/namespace'),
  };
  const tracking = f.obj(d.tracking, '/document/tracking');
  const trackingId = f.str(tracking.id, '/document/tracking/id');
  const docVersion = f.str(tracking.version, '/document/tracking/version');
  const timestamp = f.optTime(tracking.current_release_date, '/document/tracking/current_release_date');
  const { products, groups } = collectProducts(f, f.optObj(doc.product_tree, '/product_tree'));
  const expand = (o: JsonObject, path: string): string[] =>
    uniq([
      ...f.optArr(o.product_ids, `${path}/product_ids`).map((x, j) => f.str(x, `${path}/product_ids/${j}`)),
      ...f.optArr(o.group_ids, `${path}/group_ids`).flatMap((x, j) => groups.get(f.str(x, `${path}/group_ids/${j}`)) ?? []),
    ]);
  const statements: StatementDraft[] = [];
  const notes: string[] = [];
  f.optArr(doc.vulnerabilities, '/vulnerabilities').forEach((v, i) => {
    const path = `/vulnerabilities/${i}`;
    const vo = f.obj(v, path);
    const cve = f.optStr(vo.cve, `${path}/cve`);
    const ids = f.optArr(vo.ids, `${path}/ids`).map((x, j) => f.str(f.obj(x, `${path}/ids/${j}`).text, `${path}/ids/${j}/text`));
    const vulnerability = cve ?? ids[0];
    if (!vulnerability) {
      notes.push(`${path}: no cve or ids: its product statuses name no vulnerability and were skipped`);
      return;
    }
    const aliases = uniq([...(cve ? [cve] : []), ...ids]).filter((a) => a !== vulnerability);
    const justification = new Map<string, string>();
    f.optArr(vo.flags, `${path}/flags`).forEach((fl, j) => {
      const fo = f.obj(fl, `${path}/flags/${j}`);
      const label = f.str(fo.label, `${path}/flags/${j}/label`);
      for (const pid of expand(fo, `${path}/flags/${j}`)) justification.set(pid, label);
    });
    const impact = new Map<string, string[]>();
    f.optArr(vo.threats, `${path}/threats`).forEach((t, j) => {
      const to = f.obj(t, `${path}/threats/${j}`);
      if (to.category !== 'impact') return;
      const details = f.str(to.details, `${path}/threats/${j}/details`);
      for (const pid of expand(to, `${path}/threats/${j}`)) impact.set(pid, [...(impact.get(pid) ?? []), details]);
    });
    const action = new Map<string, string[]>();
    f.optArr(vo.remediations, `${path}/remediations`).forEach((r, j) => {
      const ro = f.obj(r, `${path}/remediations/${j}`);
      const text = `${f.str(ro.category, `${path}/remediations/${j}/category`)}: ${f.str(ro.details, `${path}/remediations/${j}/details`)}`;
      for (const pid of expand(ro, `${path}/remediations/${j}`)) action.set(pid, [...(action.get(pid) ?? []), text]);
    });
    const status = f.optObj(vo.product_status, `${path}/product_status`);
    if (!status) return;
    for (const key of Object.keys(CSAF_PRODUCT_STATUS)) {
      f.optArr(status[key], `${path}/product_status/${key}`).forEach((x, j) => {
        const spath = `${path}/product_status/${key}/${j}`;
        const pid = f.str(x, spath);
        const p = products.get(pid);
        const product: VexProduct = p ? { ...(p.purl ? { purl: p.purl } : {}), ...(p.cpe ? { cpe: p.cpe } : {}), ...(!p.purl && !p.cpe ? { name: `${p.name} (${pid})` } : {}) } : { name: pid };
        const j0 = justification.get(pid);
        const nj: VexJustification | undefined = j0 ? normalizeJustification(j0) : undefined;
        const imp = impact.get(pid);
        const act = action.get(pid);
        statements.push({
          vulnerability,
          aliases,
          product,
          status: CSAF_PRODUCT_STATUS[key]!,
          statusAsGiven: key,
          ...(j0 ? { justificationAsGiven: j0 } : {}),
          ...(nj ? { justification: nj } : {}),
          ...(imp ? { impact: imp.join('\n') } : {}),
          ...(act ? { action: act.join('\n') } : {}),
          ...(timestamp ? { timestamp } : {}),
          issuer,
          path: spath,
        });
      });
    }
  });
  return { format: 'csaf', specVersion: csafVersion, identity: `${issuer.namespace}|${trackingId}`, docVersion, issuer, statements, notes };
}
