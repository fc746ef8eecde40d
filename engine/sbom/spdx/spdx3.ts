/**
 * SPDX 3.0.1 JSON-LD (the `@context` + `@graph` serialization). Package elements (software_Package and
 * its AI/dataset subclasses) become components; `dependsOn`/`contains` relationships between them become
 * the dependency graph; licenses come from hasDeclaredLicense/hasConcludedLicense relationships; files
 * contained by a package become its evidence locations. Element fields the model does not name are kept
 * under `spdx3:<field>`, and the other graph elements in `document.extra['spdx3:@graph']`.
 * No npm package ships the SPDX 3 JSON schema: the checks below are the model's required properties.
 */
import type { Component, ComponentType, DependencyEdge, Hash, InputLimits, Inventory, License, Property, SourcePackage } from '../../core';
import { canonicalJson, newComponent } from '../../core';
import { arr, finalizeInventory, isObject, str } from '../_internal/common';
import { enrichFromProperties } from '../_internal/enrich';
import { licenseFromString } from '../_internal/license';
import { canonicalPurl } from '../_internal/purl';
import { parseJsonText } from '../_internal/text';
import { SbomError, type SbomProblem } from '../errors';
import type { FormatRead } from '../parse';

export const SPDX3_FAMILY = 'spdx3';
const PACKAGE_TYPES = new Set(['software_Package', 'ai_AIPackage', 'dataset_DatasetPackage']);
const PURPOSE: Record<string, ComponentType> = {
  application: 'application', framework: 'framework', library: 'library', container: 'container', operatingSystem: 'operating-system',
  device: 'device', firmware: 'firmware', file: 'file', archive: 'file', model: 'machine-learning-model', data: 'data', source: 'library',
  install: 'application', other: 'library',
};
const HASH_ALG: Record<string, string> = {
  sha1: 'SHA-1', sha224: 'SHA-224', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512', md5: 'MD5', 'sha3_256': 'SHA3-256', 'sha3_384': 'SHA3-384',
  'sha3_512': 'SHA3-512', 'blake2b256': 'BLAKE2b-256', 'blake2b384': 'BLAKE2b-384', 'blake2b512': 'BLAKE2b-512', blake3: 'BLAKE3',
};
/** Name of the tool agent Stella's exporters put in creationInfo (engine/sbom/export). */
const STELLA_TOOL_NAME = 'stella-evidence-workstation';
const PKG_MAPPED = new Set(['type', 'spdxId', 'name', 'software_packageVersion', 'software_packageUrl', 'verifiedUsing', 'software_copyrightText', 'description', 'software_primaryPurpose', 'suppliedBy', 'externalIdentifier', 'originatedBy', 'software_sourceInfo']);

function validateSpdx3(doc: Record<string, unknown>): SbomProblem[] {
  const problems: SbomProblem[] = [];
  const ctx = doc['@context'];
  const ctxs = arr(ctx).map(str);
  if (!ctxs.some((c) => c !== undefined && /^https:\/\/spdx\.org\/rdf\/3\.0\.\d+\/spdx-context\.jsonld$/.test(c))) {
    problems.push({ path: '/@context', message: `unexpected @context ${JSON.stringify(ctx)}`, expected: '"https://spdx.org/rdf/3.0.1/spdx-context.jsonld"' });
  }
  if (!Array.isArray(doc['@graph'])) {
    problems.push({ path: '/@graph', message: 'missing or not an array', expected: 'an array of SPDX elements' });
    return problems;
  }
  const ids = new Map<string, number>();
  const graph = doc['@graph'];
  doc['@graph'].forEach((e, i) => {
    const at = `/@graph/${i}`;
    if (!isObject(e)) return void problems.push({ path: at, message: 'not an object', expected: 'an SPDX element object' });
    const type = str(e.type);
    if (!type) return void problems.push({ path: `${at}/type`, message: 'missing', expected: 'the element type (e.g. "software_Package")' });
    if (type === 'CreationInfo') {
      if (!str(e.specVersion)) problems.push({ path: `${at}/specVersion`, message: 'missing', expected: 'a version string like "3.0.1"' });
      if (!str(e.created)) problems.push({ path: `${at}/created`, message: 'missing', expected: 'a date-time' });
      if (!Array.isArray(e.createdBy) || e.createdBy.length === 0) problems.push({ path: `${at}/createdBy`, message: 'missing or empty', expected: 'at least one Agent id' });
      return;
    }
    const id = str(e.spdxId) ?? str(e['@id']);
    if (!id) problems.push({ path: `${at}/spdxId`, message: 'missing', expected: 'an IRI or blank-node id' });
    else if (ids.has(id)) {
      // JSON-LD merges nodes with one id; an identical repetition is harmless (normalize drops it), a different one is ambiguous.
      const first = graph[ids.get(id) as number];
      if (canonicalJson(first) !== canonicalJson(e)) problems.push({ path: `${at}/spdxId`, message: `spdxId ${JSON.stringify(id)} is used by two different elements (first at /@graph/${ids.get(id)})`, expected: 'ids unique within the document' });
    } else ids.set(id, i);
    if (e.creationInfo === undefined) problems.push({ path: `${at}/creationInfo`, message: 'missing', expected: 'a CreationInfo (object or blank-node id)' });
    if (type === 'Relationship' || type === 'LifecycleScopedRelationship') {
      if (!str(e.from)) problems.push({ path: `${at}/from`, message: 'missing', expected: 'the id of the source element' });
      if (!Array.isArray(e.to)) problems.push({ path: `${at}/to`, message: 'missing or not an array', expected: 'an array of element ids' });
      if (!str(e.relationshipType)) problems.push({ path: `${at}/relationshipType`, message: 'missing', expected: 'a relationship type (e.g. "dependsOn")' });
    }
    if (PACKAGE_TYPES.has(type) && !str(e.name)) problems.push({ path: `${at}/name`, message: 'missing', expected: 'the package name' });
  });
  return problems;
}

export async function readSpdx3(text: string, file: string, limits: InputLimits): Promise<FormatRead> {
  const doc = parseJsonText(text, file, limits.maxDepth);
  if (!isObject(doc)) throw new SbomError('schema-invalid', `${file}: /: expected an SPDX 3 JSON-LD object`, { details: { file, path: '/', expected: 'an object' } });
  const problems = validateSpdx3(doc);
  const info = arr(doc['@graph']).find((e) => isObject(e) && e.type === 'CreationInfo');
  const fromCtx = /rdf\/(3\.0\.\d+)\//.exec(arr(doc['@context']).map(str).join(' '))?.[1];
  const specVersion = (isObject(info) ? str(info.specVersion) : undefined) ?? fromCtx ?? '3.0.1';
  if (!/^3\.0(\.\d+)?$/.test(specVersion)) {
    throw new SbomError('unsupported-version', `${file}: SPDX version ${JSON.stringify(specVersion)} is not supported; expected 3.0.x`, { details: { file, path: '/@graph', expected: '3.0.1' } });
  }
  return { format: 'spdx3-jsonld', specVersion, problems, build: () => normalizeSpdx3(doc, specVersion, file) };
}

function normalizeSpdx3(doc: Record<string, unknown>, specVersion: string, file: string): { inventory: Inventory; warnings: string[] } {
  const warnings: string[] = [];
  const byId = new Map<string, Record<string, unknown>>();
  const graph: Record<string, unknown>[] = [];
  arr(doc['@graph']).forEach((e, i) => {
    if (!isObject(e)) return;
    const id = str(e.spdxId) ?? str(e['@id']);
    if (id && byId.has(id)) {
      warnings.push(`${file}: /@graph/${i}: element ${JSON.stringify(id)} repeats an identical earlier element; kept once`);
      return;
    }
    if (id) byId.set(id, e);
    graph.push(e);
  });
  // Annotations Stella's exporter writes: `stella:*=<value>` statements on packages (fields SPDX 3 has
  // no slot for) and `<name>=<value>` document properties made by the Stella tool agent.
  const stellaAgentIds = new Set(graph.filter((e) => str(e.name) === STELLA_TOOL_NAME).map((e) => str(e.spdxId) ?? str(e['@id']) ?? ''));
  const madeByStella = (ci: unknown): boolean => {
    const info = typeof ci === 'string' ? byId.get(ci) : isObject(ci) ? ci : undefined;
    return !!info && arr(info.createdBy).some((a) => typeof a === 'string' && stellaAgentIds.has(a));
  };
  const spdxDocId = str(graph.find((e) => e.type === 'SpdxDocument')?.spdxId);
  const propsBySubject = new Map<string, Property[]>();
  const docProperties: Property[] = [];
  const consumed = new Set<Record<string, unknown>>();
  for (const e of graph) {
    if (e.type !== 'Annotation') continue;
    const subject = str(e.subject) ?? '';
    const m = /^([^=]+)=([\s\S]*)$/.exec(str(e.statement) ?? '');
    if (!m) continue;
    const prop = { name: m[1] as string, value: m[2] as string };
    const target = byId.get(subject);
    if (target && PACKAGE_TYPES.has(str(target.type) ?? '') && prop.name.startsWith('stella:')) {
      const list = propsBySubject.get(subject) ?? [];
      list.push(prop);
      propsBySubject.set(subject, list);
      consumed.add(e);
    } else if (madeByStella(e.creationInfo) && (subject === spdxDocId || !target) && !prop.name.startsWith('stella:licenseRef:')) {
      docProperties.push(prop);
      consumed.add(e);
    }
  }
  // Licenses first: a `stella:licenses` annotation replaces them when the component is enriched.
  const licensesByRef = new Map<string, License[]>();
  for (const e of graph) {
    const rt = str(e.relationshipType);
    if ((e.type !== 'Relationship' && e.type !== 'LifecycleScopedRelationship') || (rt !== 'hasDeclaredLicense' && rt !== 'hasConcludedLicense')) continue;
    const from = str(e.from) ?? '';
    const list = licensesByRef.get(from) ?? [];
    for (const t of arr(e.to).map(str)) {
      const lic = t ? byId.get(t) : undefined;
      const expr = lic ? str(lic.simplelicensing_licenseExpression) ?? str(lic.name) : undefined;
      const l: License | undefined = expr ? licenseFromString(expr, rt === 'hasDeclaredLicense' ? 'declared' : 'concluded') : undefined;
      if (l) list.push(l);
    }
    licensesByRef.set(from, list);
  }
  const components = new Map<string, Component>();
  const others: unknown[] = [];
  graph.forEach((e, i) => {
    const type = str(e.type) ?? '';
    if (!PACKAGE_TYPES.has(type)) {
      if (type !== 'Relationship' && type !== 'LifecycleScopedRelationship' && !consumed.has(e)) others.push(e);
      return;
    }
    const ref = str(e.spdxId) ?? `_:@graph/${i}`;
    const purpose = str(e.software_primaryPurpose);
    const ctype: ComponentType = type === 'ai_AIPackage' ? 'machine-learning-model' : type === 'dataset_DatasetPackage' ? 'data' : (purpose && PURPOSE[purpose]) || 'library';
    const c = newComponent({ ref, name: str(e.name) ?? '', type: ctype });
    const version = str(e.software_packageVersion);
    if (version !== undefined) c.version = version;
    const purls = [str(e.software_packageUrl)];
    for (const x of arr(e.externalIdentifier)) {
      if (!isObject(x)) continue;
      const t = str(x.externalIdentifierType);
      const id = str(x.identifier);
      if (!id) continue;
      if (t === 'packageUrl') purls.push(id);
      else if (t === 'cpe23' || t === 'cpe22') c.cpes.push(id);
    }
    for (const p of purls) {
      if (!p || c.purl) continue;
      const r = canonicalPurl(p);
      if (r.ok) c.purl = r.purl;
      else warnings.push(`${file}: /@graph/${i}: invalid purl ${JSON.stringify(p)} kept as-is (${r.error})`);
    }
    c.hashes = arr(e.verifiedUsing)
      .filter(isObject)
      .map((h): Hash => ({ alg: HASH_ALG[str(h.algorithm) ?? ''] ?? str(h.algorithm) ?? '', content: (str(h.hashValue) ?? '').toLowerCase() }))
      .filter((h) => h.alg && h.content);
    const copyright = str(e.software_copyrightText);
    if (copyright && copyright !== 'NOASSERTION' && copyright !== 'NONE') c.copyright = copyright;
    const description = str(e.description);
    if (description !== undefined) c.description = description;
    const supplier = str(e.suppliedBy);
    const sup = supplier ? byId.get(supplier) : undefined;
    if (sup && str(sup.name)) c.supplier = { name: str(sup.name) as string };
    for (const [k, v] of Object.entries(e)) if (!PKG_MAPPED.has(k)) c.extra[`${SPDX3_FAMILY}:${k}`] = v;
    if (purpose) c.extra[`${SPDX3_FAMILY}:software_primaryPurpose`] = purpose;
    if (supplier) c.extra[`${SPDX3_FAMILY}:suppliedBy`] = supplier;
    if (e.externalIdentifier !== undefined) c.extra[`${SPDX3_FAMILY}:externalIdentifier`] = e.externalIdentifier;
    c.licenses = licensesByRef.get(ref) ?? [];
    const author = arr(e.originatedBy).map((a) => (typeof a === 'string' ? str(byId.get(a)?.name) : undefined)).find((x) => x);
    if (author) c.author = author;
    let source: SourcePackage | undefined;
    const sm = /^built package from:\s*(\S+)(?:\s+(\S+))?\s*$/i.exec(str(e.software_sourceInfo) ?? '');
    if (sm) source = sm[2] ? { name: sm[1] as string, version: sm[2] } : { name: sm[1] as string };
    enrichFromProperties(c, propsBySubject.get(ref) ?? [], source ? { source } : {});
    components.set(ref, c);
  });

  const dependencies: DependencyEdge[] = [];
  const relationships: unknown[] = [];
  for (const e of graph) {
    const type = str(e.type);
    if (type !== 'Relationship' && type !== 'LifecycleScopedRelationship') continue;
    relationships.push(e);
    const from = str(e.from) ?? '';
    const to = arr(e.to).map(str).filter((x): x is string => !!x);
    const rt = str(e.relationshipType);
    const c = components.get(from);
    if (!c) continue;
    if (rt === 'dependsOn' || rt === 'contains') {
      const pk = to.filter((t) => components.has(t));
      if (pk.length) dependencies.push({ ref: from, dependsOn: pk });
      if (rt === 'contains') {
        for (const t of to) {
          const f = byId.get(t);
          if (f && f.type === 'software_File' && str(f.name) && !c.locations.some((l) => l.path === f.name)) c.locations.push({ path: str(f.name) as string });
        }
      }
    }
  }

  const info = graph.find((e) => e.type === 'CreationInfo');
  const spdxDoc = graph.find((e) => e.type === 'SpdxDocument');
  const nameOf = (id: unknown): string | undefined => {
    const el = typeof id === 'string' ? byId.get(id) : undefined;
    return el ? str(el.name) : undefined;
  };
  const document: Inventory['document'] = {
    format: 'spdx3-jsonld',
    specVersion,
    tools: arr(info?.createdUsing).map(nameOf).filter((x): x is string => !!x).map((name) => ({ name })),
    authors: arr(info?.createdBy).map(nameOf).filter((x): x is string => !!x),
    properties: docProperties,
    extra: { [`${SPDX3_FAMILY}:@context`]: doc['@context'], [`${SPDX3_FAMILY}:@graph`]: others, [`${SPDX3_FAMILY}:relationships`]: relationships },
  };
  const name = spdxDoc ? str(spdxDoc.name) : undefined;
  if (name) document.name = name;
  const id = spdxDoc ? str(spdxDoc.spdxId) : undefined;
  if (id) document.serialNumber = id;
  const created = info ? str(info.created) : undefined;
  if (created) document.created = created;
  return { inventory: finalizeInventory({ document, components: [...components.values()], dependencies }), warnings };
}
