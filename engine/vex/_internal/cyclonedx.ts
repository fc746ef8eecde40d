/**
 * CycloneDX VEX 1.4–1.7 (JSON), standalone or embedded in an SBOM: every `vulnerabilities[]` entry with
 * an `analysis.state` is a statement about each of its `affects[]` (bom-ref or BOM-Link, with
 * `versions[]` as version constraints). The document must validate against the official CycloneDX
 * JSON schema of its specVersion (engine/sbom's validator). A bom-ref that names a component of the
 * same document takes that component's purl/CPE along, so embedded VEX meets SBOM components by purl.
 * Entries without an analysis state (a VDR: vulnerabilities reported, no exploitability stated) are
 * not statements: they are listed in the document's notes.
 */
import type { VexProduct, VexVersionConstraint } from '../../core';
import { canonicalizePurl } from '../../sbom/purl';
import { CYCLONEDX_JSON_VERSIONS, validateCycloneDxJson } from '../../sbom';
import { VexError, invalidDocument } from '../errors';
import { cycloneDxStatus, normalizeJustification } from '../vocabulary';
import type { ParsedVexDocument, StatementDraft } from './draft';
import { Fields, isObject, uniq, type JsonObject } from './json';

export function looksLikeCycloneDx(v: unknown): v is JsonObject {
  return isObject(v) && v.bomFormat === 'CycloneDX';
}

interface LocalComponent {
  purl?: string;
  cpe?: string;
}

function collectComponents(doc: JsonObject): Map<string, LocalComponent> {
  const out = new Map<string, LocalComponent>();
  const visit = (c: unknown, depth: number) => {
    if (!isObject(c) || depth > 64) return;
    const ref = c['bom-ref'];
    if (typeof ref === 'string') {
      const lc: LocalComponent = {};
      if (typeof c.purl === 'string') {
        try {
          lc.purl = canonicalizePurl(c.purl);
        } catch {
          // the schema accepted it as a string; an unparsable purl simply is not used for matching
        }
      }
      if (typeof c.cpe === 'string') lc.cpe = c.cpe;
      out.set(ref, lc);
    }
    if (Array.isArray(c.components)) for (const x of c.components) visit(x, depth + 1);
  };
  if (isObject(doc.metadata)) visit(doc.metadata.component, 0);
  if (Array.isArray(doc.components)) for (const c of doc.components) visit(c, 0);
  return out;
}

function orgName(v: unknown): string | undefined {
  return isObject(v) && typeof v.name === 'string' && v.name.trim() ? v.name : undefined;
}

/** The issuer a CycloneDX document declares: manufacturer, supplier, first author, then its subject's supplier. */
function issuerOf(doc: JsonObject, identity: string): { name: string; role?: string } {
  const md = isObject(doc.metadata) ? doc.metadata : {};
  const comp = isObject(md.component) ? md.component : {};
  const authors = Array.isArray(md.authors) ? md.authors : [];
  const candidates: [string | undefined, string][] = [
    [orgName(md.manufacturer), 'manufacturer'],
    [orgName(md.manufacture), 'manufacturer'],
    [orgName(md.supplier), 'supplier'],
    [orgName(authors[0]), 'author'],
    [orgName(comp.supplier), 'supplier'],
    [orgName(comp.manufacturer), 'manufacturer'],
    [typeof comp.author === 'string' && comp.author.trim() ? comp.author : undefined, 'author'],
  ];
  for (const [name, role] of candidates) if (name) return { name, role };
  // Nobody is named: one issuer per document, so that two anonymous documents are never one issuer.
  return { name: `unidentified issuer of ${identity}` };
}

export function parseCycloneDxVex(file: string, doc: JsonObject): ParsedVexDocument {
  const f = new Fields(file);
  const specVersion = f.str(doc.specVersion, '/specVersion');
  if (!(CYCLONEDX_JSON_VERSIONS as readonly string[]).includes(specVersion)) {
    throw invalidDocument(file, '/specVersion', `a CycloneDX JSON version (${CYCLONEDX_JSON_VERSIONS.join(', ')})`);
  }
  const problems = validateCycloneDxJson(doc, specVersion);
  if (problems.length) {
    const first = problems[0]!;
    throw new VexError('invalid-document', `${file}: not a valid CycloneDX ${specVersion} document: ${problems.slice(0, 5).map((p) => `${p.path}: ${p.message}${p.expected ? ` (expected ${p.expected})` : ''}`).join('; ')}`, {
      details: { file, path: first.path, expected: first.expected ?? `a document valid against the CycloneDX ${specVersion} JSON schema`, problems },
    });
  }
  if (!Array.isArray(doc.vulnerabilities) || doc.vulnerabilities.length === 0) {
    throw new VexError('unsupported-format', `${file}: a CycloneDX ${specVersion} BOM without vulnerabilities[]: it holds no VEX statements (import it with \`stella sbom import\`)`, {
      details: { file, path: '/vulnerabilities', expected: 'vulnerabilities[] with analysis (CycloneDX VEX)' },
    });
  }
  const serial = f.optStr(doc.serialNumber, '/serialNumber');
  const identity = serial ?? `file:${file}`;
  const md = f.optObj(doc.metadata, '/metadata');
  const docTime = md ? f.optTime(md.timestamp, '/metadata/timestamp') : undefined;
  const issuer = issuerOf(doc, serial ?? file);
  const local = collectComponents(doc);
  const statements: StatementDraft[] = [];
  const notes: string[] = [];
  f.arr(doc.vulnerabilities, '/vulnerabilities').forEach((v, i) => {
    const path = `/vulnerabilities/${i}`;
    const vo = f.obj(v, path);
    const id = f.optStr(vo.id, `${path}/id`);
    if (!id) {
      notes.push(`${path}: no id: skipped`);
      return;
    }
    const analysis = f.optObj(vo.analysis, `${path}/analysis`);
    const state = analysis ? f.optStr(analysis.state, `${path}/analysis/state`) : undefined;
    if (!analysis || !state) {
      notes.push(`${path} (${id}): no analysis.state (a vulnerability report, not an exploitability statement): skipped`);
      return;
    }
    const status = cycloneDxStatus(state);
    if (!status) throw invalidDocument(file, `${path}/analysis/state`, 'a CycloneDX analysis state');
    const aliases = uniq(f.optArr(vo.references, `${path}/references`).map((r, j) => f.str(f.obj(r, `${path}/references/${j}`).id, `${path}/references/${j}/id`))).filter((a) => a !== id);
    const jGiven = f.optStr(analysis.justification, `${path}/analysis/justification`);
    const justification = jGiven ? normalizeJustification(jGiven) : undefined;
    const responses = f.optArr(analysis.response, `${path}/analysis/response`).map((r, j) => f.str(r, `${path}/analysis/response/${j}`));
    const detail = f.optStr(analysis.detail, `${path}/analysis/detail`);
    // Round trip of the workstation's own export: impact/action travel as stella:* properties.
    const props = new Map<string, string>();
    f.optArr(vo.properties, `${path}/properties`).forEach((p) => {
      if (isObject(p) && typeof p.name === 'string' && typeof p.value === 'string') props.set(p.name, p.value);
    });
    const impact = props.get('stella:vex:impact') ?? (status === 'not_affected' ? detail : undefined);
    const action = props.get('stella:vex:action') ?? (status === 'affected' && (responses.length || detail) ? [responses.length ? `response: ${responses.join(', ')}` : '', detail ?? ''].filter(Boolean).join('\n') : undefined);
    const timestamp =
      f.optTime(analysis.lastUpdated, `${path}/analysis/lastUpdated`) ??
      f.optTime(analysis.firstIssued, `${path}/analysis/firstIssued`) ??
      f.optTime(vo.updated, `${path}/updated`) ??
      f.optTime(vo.published, `${path}/published`) ??
      docTime;
    const base = {
      vulnerability: id,
      aliases,
      status,
      statusAsGiven: state,
      ...(jGiven ? { justificationAsGiven: jGiven } : {}),
      ...(justification ? { justification } : {}),
      ...(impact ? { impact } : {}),
      ...(action ? { action } : {}),
      ...(detail ? { detail } : {}),
      ...(timestamp ? { timestamp } : {}),
      issuer,
    };
    const affects = f.optArr(vo.affects, `${path}/affects`);
    if (!affects.length) {
      statements.push({ ...base, product: {}, path });
      return;
    }
    affects.forEach((a, j) => {
      const apath = `${path}/affects/${j}`;
      const ao = f.obj(a, apath);
      const ref = f.str(ao.ref, `${apath}/ref`);
      const lc = local.get(ref);
      const product: VexProduct = { ref, ...(lc?.purl ? { purl: lc.purl } : {}), ...(lc?.cpe ? { cpe: lc.cpe } : {}) };
      const versions: VexVersionConstraint[] = f.optArr(ao.versions, `${apath}/versions`).map((x, k) => {
        const xo = f.obj(x, `${apath}/versions/${k}`);
        const version = f.optStr(xo.version, `${apath}/versions/${k}/version`);
        const range = f.optStr(xo.range, `${apath}/versions/${k}/range`);
        const st = f.optStr(xo.status, `${apath}/versions/${k}/status`);
        return { ...(version ? { version } : {}), ...(range ? { range } : {}), ...(st ? { status: st } : {}) };
      });
      if (versions.length) product.versions = versions;
      statements.push({ ...base, product, path: apath });
    });
  });
  const version = doc.version;
  return {
    format: 'cyclonedx',
    specVersion,
    identity,
    ...(typeof version === 'number' ? { docVersion: String(version) } : {}),
    issuer,
    statements,
    notes,
  };
}
