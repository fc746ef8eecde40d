/**
 * SPDX 3.0.1 JSON-LD export, hand-built after the SPDX 3.0.1 model (Core, Software, SimpleLicensing
 * profiles): one CreationInfo blank node, an SpdxDocument, a software_Package per component, Relationship
 * elements (describes + rootElement, dependsOn, hasDeclaredLicense, hasConcludedLicense) and Annotation
 * elements for the `stella:*` properties SPDX has no slot for. Nesting travels as `stella:parent`, not
 * `contains`, for the same reason as in SPDX 2.3 (readers take `contains` as a dependency edge).
 */
import { sha256Hex, type Component, type ComponentType, type Inventory } from '../../core';
import { checkedComponents, cmp, inventoryDigest, normalizedEdges, sortProperties, spdx3Algorithm, uuidFromDigest } from './_internal/common';
import { licenseExpressionOf, makeIdAllocator, propertyComment, sourceInfoOf, spdxCreated, spdxStellaProperties, STELLA_TOOL, type ExtractedLicense } from './_internal/spdx-common';
import { inventoryToStellaProperties, stellaHashProperty } from '../_internal/stella-properties';
import { SbomExportError } from './errors';

export const SPDX3_CONTEXT = 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld';
export const SPDX3_NAMESPACE_BASE = 'https://stella.invalid/spdx3/';

const CREATION_INFO = '_:creationinfo';

function fail(message: string, path: string): never {
  throw new SbomExportError('invalid-inventory', `cannot export inventory as SPDX 3: ${message} (at ${path})`, { details: { path } });
}

/** software_primaryPurpose vocabulary (3.0.1); cryptographic assets have no counterpart. */
const PURPOSE3: Record<ComponentType, string> = {
  application: 'application',
  framework: 'framework',
  library: 'library',
  container: 'container',
  platform: 'platform',
  'operating-system': 'operatingSystem',
  device: 'device',
  'device-driver': 'deviceDriver',
  firmware: 'firmware',
  file: 'file',
  'machine-learning-model': 'model',
  data: 'data',
  'cryptographic-asset': 'other',
};

type Json = Record<string, unknown>;

export function exportSpdx3(inv: Inventory): string {
  const components = checkedComponents(inv, fail);
  const created = spdxCreated(inv, fail);
  const docName = inv.document.name ?? inv.subject?.name ?? 'stella-export';
  const ns = `${SPDX3_NAMESPACE_BASE}${docName.replace(/[^A-Za-z0-9._-]+/g, '-')}-${uuidFromDigest(inventoryDigest(inv))}`;
  const localId = makeIdAllocator('SPDXRef-', fail);
  const idOf = (ref: string): string => `${ns}#${localId(ref)}`;
  const hashId = (kind: string, ...parts: string[]): string => `${ns}#${kind}-${sha256Hex(parts.join('\u0000')).slice(0, 16)}`;
  const known = new Map<string, Component>(components.map((c) => [c.ref, c]));
  if (inv.subject) known.set(inv.subject.ref, inv.subject);

  const agents = new Map<string, Json>();
  const agent = (type: 'Person' | 'Organization' | 'SoftwareAgent', name: string): string => {
    const id = hashId(type, name);
    if (!agents.has(id)) agents.set(id, { type, spdxId: id, creationInfo: CREATION_INFO, name });
    return id;
  };
  const stellaAgent = agent('SoftwareAgent', STELLA_TOOL);
  const tools: Json[] = [...inv.document.tools]
    .sort((a, b) => cmp(a.name, b.name) || cmp(a.version ?? '', b.version ?? ''))
    .map((t) => {
      const name = `${t.name}${t.version ? `-${t.version}` : ''}`;
      return { type: 'Tool', spdxId: hashId('Tool', t.vendor ?? '', name), creationInfo: CREATION_INFO, name };
    });
  const createdBy = [stellaAgent, ...[...inv.document.authors].sort(cmp).map((a) => agent('Person', a))];

  const packages: Json[] = [];
  const licenseElements = new Map<string, Json>();
  const relationships: Json[] = [];
  const annotations: Json[] = [];
  const extracted = new Map<string, ExtractedLicense>();
  const relate = (from: string, type: string, to: string[]): void => {
    const sorted = [...new Set(to)].sort(cmp);
    relationships.push({ type: 'Relationship', spdxId: hashId('Relationship', from, type, ...sorted), creationInfo: CREATION_INFO, from, relationshipType: type, to: sorted });
  };
  const licenseElement = (expression: string): string => {
    const id = hashId('LicenseExpression', expression);
    if (!licenseElements.has(id)) licenseElements.set(id, { type: 'simplelicensing_LicenseExpression', spdxId: id, creationInfo: CREATION_INFO, simplelicensing_licenseExpression: expression });
    return id;
  };

  const all = inv.subject ? [inv.subject, ...components] : components;
  for (const c of all) {
    const id = idOf(c.ref);
    const purpose = PURPOSE3[c.type] ?? 'other';
    const pkg: Json = { type: 'software_Package', spdxId: id, creationInfo: CREATION_INFO, name: c.name };
    if (c.description !== undefined) pkg.description = c.description;
    if (c.version !== undefined) pkg.software_packageVersion = c.version;
    if (c.purl) pkg.software_packageUrl = c.purl;
    pkg.software_primaryPurpose = purpose;
    if (c.copyright !== undefined) pkg.software_copyrightText = c.copyright;
    if (c.source) pkg.software_sourceInfo = sourceInfoOf(c.source);
    if (c.supplier?.name) pkg.suppliedBy = agent('Organization', c.supplier.name);
    if (c.author) pkg.originatedBy = [agent('Person', c.author)];
    const hashProps = [];
    const verified: Json[] = [];
    for (const h of [...c.hashes].sort((a, b) => cmp(a.alg, b.alg) || cmp(a.content, b.content))) {
      const alg = spdx3Algorithm(h.alg);
      if (alg) verified.push({ type: 'Hash', algorithm: alg, hashValue: h.content });
      else hashProps.push(stellaHashProperty(h));
    }
    if (verified.length) pkg.verifiedUsing = verified;
    const cpes = [...c.cpes].sort(cmp);
    if (cpes.length) {
      pkg.externalIdentifier = cpes.map((cpe) => ({ type: 'ExternalIdentifier', externalIdentifierType: cpe.startsWith('cpe:2.3:') ? 'cpe23' : 'cpe22', identifier: cpe }));
    }
    packages.push(pkg);

    // One license element per model license: the declared/concluded relationships point at all of them,
    // so a list of licenses comes back as the same list (SPDX 2.3 needs a conjunction instead).
    const declared: string[] = [];
    const concluded: string[] = [];
    for (const l of c.licenses) {
      const expr = licenseExpressionOf(l, extracted);
      if (expr !== undefined) (l.acknowledgement === 'concluded' ? concluded : declared).push(licenseElement(expr));
    }
    if (declared.length) relate(id, 'hasDeclaredLicense', declared);
    if (concluded.length) relate(id, 'hasConcludedLicense', concluded);
    const licensesExact = c.licenses.every((l) => l.acknowledgement !== undefined && l.expression !== undefined && l.name === undefined && l.url === undefined && l.text === undefined);
    const props = sortProperties([
      ...spdxStellaProperties(c, { licensesExact, typeExact: purpose !== 'other', native: new Set(['description', 'copyright']) }),
      ...hashProps,
    ]);
    // Identical statements (two equal locations, say) are distinct annotations: number the repeats.
    const seen = new Map<string, number>();
    for (const p of props) {
      const statement = propertyComment(p);
      const n = seen.get(statement) ?? 0;
      seen.set(statement, n + 1);
      const spdxId = n === 0 ? hashId('Annotation', id, statement) : hashId('Annotation', id, statement, String(n));
      annotations.push({ type: 'Annotation', spdxId, creationInfo: CREATION_INFO, annotationType: 'other', subject: id, statement });
    }
  }
  for (const e of normalizedEdges(inv)) {
    if (!known.has(e.ref)) continue;
    const to = e.dependsOn.filter((d) => known.has(d)).map(idOf);
    if (to.length) relate(idOf(e.ref), 'dependsOn', to);
  }

  const docId = `${ns}#SPDXRef-DOCUMENT`;
  for (const p of sortProperties([...inv.document.properties, ...inventoryToStellaProperties(inv)])) {
    const statement = propertyComment(p);
    annotations.push({ type: 'Annotation', spdxId: hashId('Annotation', docId, statement), creationInfo: CREATION_INFO, annotationType: 'other', subject: docId, statement });
  }
  // LicenseRef definitions ride along as document annotations: SimpleLicensing has no element for their text.
  for (const x of [...extracted.values()].sort((a, b) => cmp(a.licenseId, b.licenseId))) {
    const statement = `stella:licenseRef:${x.licenseId}=${JSON.stringify({ name: x.name, extractedText: x.extractedText, seeAlsos: x.seeAlsos })}`;
    annotations.push({ type: 'Annotation', spdxId: hashId('Annotation', docId, statement), creationInfo: CREATION_INFO, annotationType: 'other', subject: docId, statement });
  }

  const byId = (a: Json, b: Json): number => cmp(String(a.spdxId), String(b.spdxId));
  packages.sort(byId);
  relationships.sort(byId);
  annotations.sort(byId);
  tools.sort(byId);
  const agentList = [...agents.values()].sort(byId);
  const licenseList = [...licenseElements.values()].sort(byId);

  const rootElement = inv.subject
    ? [idOf(inv.subject.ref)]
    : components.filter((c) => c.parent === undefined || !known.has(c.parent)).map((c) => idOf(c.ref)).sort(cmp);
  if (rootElement.length) relate(docId, 'describes', rootElement);
  relationships.sort(byId);
  const elementIds = [...agentList, ...tools, ...packages, ...licenseList, ...relationships, ...annotations].map((e) => String(e.spdxId)).sort(cmp);
  const creationInfo: Json = { type: 'CreationInfo', '@id': CREATION_INFO, specVersion: '3.0.1', created, createdBy };
  if (tools.length) creationInfo.createdUsing = tools.map((t) => String(t.spdxId));
  const document: Json = {
    type: 'SpdxDocument',
    spdxId: docId,
    creationInfo: CREATION_INFO,
    name: docName,
    profileConformance: ['core', 'software', 'simpleLicensing'],
    rootElement,
    element: elementIds,
  };
  const graph = [creationInfo, document, ...agentList, ...tools, ...packages, ...licenseList, ...relationships, ...annotations];
  return `${JSON.stringify({ '@context': SPDX3_CONTEXT, '@graph': graph }, null, 2)}\n`;
}
