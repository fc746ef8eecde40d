/**
 * SPDX 2.3 JSON export, hand-built (no maintained JS library writes SPDX 2.3) after the SPDX 2.3
 * specification and its JSON schema. Every component becomes a package, dependencies DEPENDS_ON, the
 * subject is what the document DESCRIBES. Fields SPDX has no slot for travel as package annotations
 * with comment `<stella:name>=<value>`. Nesting travels as `stella:parent`, not CONTAINS: SPDX readers
 * (ours included) read CONTAINS as a dependency edge, which would add edges on a round trip.
 */
import type { Component, Inventory } from '../../core';
import { spdx2Algorithm, checkedComponents, cmp, inventoryDigest, normalizedEdges, sortProperties, uuidFromDigest } from './_internal/common';
import {
  makeIdAllocator,
  propertyComment,
  sourceInfoOf,
  spdxCreated,
  spdxLicenseView,
  spdxPurpose,
  spdxStellaProperties,
  STELLA_TOOL,
  type ExtractedLicense,
} from './_internal/spdx-common';
import { inventoryToStellaProperties, stellaHashProperty } from '../_internal/stella-properties';
import { SbomExportError } from './errors';

export { SPDX_DEFAULT_CREATED } from './_internal/spdx-common';

/** Namespace host: `.invalid` is reserved (RFC 2606), so the URI is unique but can never be fetched. */
export const SPDX_NAMESPACE_BASE = 'https://stella.invalid/spdx/';

const SPDX_EXTRA_PREFIX = 'spdx:';

function fail(message: string, path: string): never {
  throw new SbomExportError('invalid-inventory', `cannot export inventory as SPDX: ${message} (at ${path})`, { details: { path } });
}

type Json = Record<string, unknown>;

function supplierString(c: Component): string | undefined {
  const s = c.supplier;
  if (!s?.name) return undefined;
  const email = s.contact?.find((k) => k.email)?.email;
  return `Organization: ${s.name}${email ? ` (${email})` : ''}`;
}

/** Fields the exporter writes itself that may also hold same-family values: those lists are merged. */
const MERGED_LIST_FIELDS = new Set(['externalRefs', 'annotations']);

/**
 * Package fields from the same family (`spdx:<field>` extras) go back into the package: where the
 * exporter wrote nothing, or, for externalRefs/annotations, appended to what it wrote.
 * Returns the extra keys that were restored.
 */
function restoreFamilyExtras(pkg: Json, c: Component): Set<string> {
  const restored = new Set<string>();
  for (const key of Object.keys(c.extra).sort(cmp)) {
    if (!key.startsWith(SPDX_EXTRA_PREFIX)) continue;
    const field = key.slice(SPDX_EXTRA_PREFIX.length);
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(field)) continue;
    const value = c.extra[key];
    if (MERGED_LIST_FIELDS.has(field) && Array.isArray(value)) {
      pkg[field] = [...(Array.isArray(pkg[field]) ? (pkg[field] as unknown[]) : []), ...(value as unknown[])];
    } else if (field in pkg) continue;
    else pkg[field] = value;
    restored.add(key);
  }
  return restored;
}

function packageOf(c: Component, id: string, created: string, extracted: Map<string, ExtractedLicense>): Json {
  const purpose = spdxPurpose(c.type);
  const lic = spdxLicenseView(c, extracted);
  const pkg: Json = {
    SPDXID: id,
    name: c.name,
  };
  if (c.version !== undefined) pkg.versionInfo = c.version;
  const supplier = supplierString(c);
  if (supplier) pkg.supplier = supplier;
  if (c.author) pkg.originator = `Person: ${c.author}`;
  pkg.downloadLocation = 'NOASSERTION';
  pkg.filesAnalyzed = false;
  const checksums: Json[] = [];
  const hashProps = [];
  for (const h of [...c.hashes].sort((a, b) => cmp(a.alg, b.alg) || cmp(a.content, b.content))) {
    const alg = spdx2Algorithm(h.alg);
    if (alg && /^[0-9a-f]+$/.test(h.content)) checksums.push({ algorithm: alg, checksumValue: h.content });
    else hashProps.push(stellaHashProperty(h));
  }
  if (checksums.length) pkg.checksums = checksums;
  if (c.source) pkg.sourceInfo = sourceInfoOf(c.source);
  pkg.licenseConcluded = lic.concluded ?? 'NOASSERTION';
  pkg.licenseDeclared = lic.declared ?? 'NOASSERTION';
  if (c.copyright !== undefined) pkg.copyrightText = c.copyright;
  if (c.description !== undefined) pkg.description = c.description;
  const externalRefs: Json[] = [];
  if (c.purl) externalRefs.push({ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: c.purl });
  for (const cpe of [...c.cpes].sort(cmp)) {
    externalRefs.push({ referenceCategory: 'SECURITY', referenceType: cpe.startsWith('cpe:2.3:') ? 'cpe23Type' : 'cpe22Type', referenceLocator: cpe });
  }
  if (externalRefs.length) pkg.externalRefs = externalRefs;
  pkg.primaryPackagePurpose = purpose.purpose;
  const restored = restoreFamilyExtras(pkg, c);
  const rest: Component = { ...c, extra: Object.fromEntries(Object.entries(c.extra).filter(([k]) => !restored.has(k))) };
  const props = sortProperties([
    ...spdxStellaProperties(rest, { licensesExact: lic.exact, typeExact: purpose.exact, native: new Set(['description', 'copyright']) }),
    ...hashProps,
  ]);
  if (props.length) {
    const restoredAnnotations = Array.isArray(pkg.annotations) ? (pkg.annotations as unknown[]) : [];
    pkg.annotations = [
      ...restoredAnnotations,
      ...props.map((p) => ({
        annotationDate: created,
        annotationType: 'OTHER',
        annotator: `Tool: ${STELLA_TOOL}`,
        comment: propertyComment(p),
      })),
    ];
  }
  return pkg;
}

export function exportSpdx2(inv: Inventory): string {
  const components = checkedComponents(inv, fail);
  const created = spdxCreated(inv, fail);
  const digest = inventoryDigest(inv);
  const idOf = makeIdAllocator('SPDXRef-', fail);
  const extracted = new Map<string, ExtractedLicense>();
  const known = new Map<string, Component>(components.map((c) => [c.ref, c]));
  if (inv.subject) known.set(inv.subject.ref, inv.subject);
  const docName = inv.document.name ?? inv.subject?.name ?? 'stella-export';

  const packages: Json[] = [];
  const relationships: Json[] = [];
  const all = inv.subject ? [inv.subject, ...components] : components;
  for (const c of all) {
    packages.push(packageOf(c, idOf(c.ref), created, extracted));
  }
  if (inv.subject) relationships.push({ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: idOf(inv.subject.ref) });
  else {
    // No subject: the document describes its root packages (those not contained in another).
    for (const c of components) {
      if (c.parent === undefined || !known.has(c.parent)) relationships.push({ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: idOf(c.ref) });
    }
  }
  for (const e of normalizedEdges(inv)) {
    if (!known.has(e.ref)) continue;
    for (const d of e.dependsOn) {
      if (known.has(d)) relationships.push({ spdxElementId: idOf(e.ref), relationshipType: 'DEPENDS_ON', relatedSpdxElement: idOf(d) });
    }
  }
  const relKey = (r: Json): string => `${String(r.spdxElementId)}\u0000${String(r.relationshipType)}\u0000${String(r.relatedSpdxElement)}`;
  relationships.sort((a, b) => cmp(relKey(a), relKey(b)));
  packages.sort((a, b) => cmp(String(a.SPDXID), String(b.SPDXID)));

  const creators = [`Tool: ${STELLA_TOOL}`];
  for (const t of [...inv.document.tools].sort((a, b) => cmp(a.name, b.name) || cmp(a.version ?? '', b.version ?? ''))) {
    creators.push(`Tool: ${t.name}${t.version ? `-${t.version}` : ''}`);
  }
  for (const a of [...inv.document.authors].sort(cmp)) creators.push(`Person: ${a}`);

  const doc: Json = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: docName,
    documentNamespace: `${SPDX_NAMESPACE_BASE}${encodeURIComponent(docName.replace(/[^A-Za-z0-9._-]+/g, '-'))}-${uuidFromDigest(digest)}`,
    creationInfo: { created, creators: [...new Set(creators)] },
  };
  const docProps = sortProperties([...inv.document.properties, ...inventoryToStellaProperties(inv)]);
  if (docProps.length) {
    doc.annotations = docProps.map((p) => ({
      annotationDate: created,
      annotationType: 'OTHER',
      annotator: `Tool: ${STELLA_TOOL}`,
      comment: propertyComment(p),
    }));
  }
  // Same-family document fields go back natively. Relationships are not restored: the importer turns
  // them into dependency edges, which the exporter writes itself (restoring would duplicate edges).
  for (const key of Object.keys(inv.document.extra).sort(cmp)) {
    const field = key.slice(SPDX_EXTRA_PREFIX.length);
    if (key.startsWith(SPDX_EXTRA_PREFIX) && /^[A-Za-z][A-Za-z0-9]*$/.test(field) && !(field in doc) && !['packages', 'relationships', 'hasExtractedLicensingInfos'].includes(field)) {
      doc[field] = inv.document.extra[key];
    }
  }
  // LicenseRef definitions of the source document (with their real extracted text) win over generated ones.
  const sourceExtracted = inv.document.extra[`${SPDX_EXTRA_PREFIX}hasExtractedLicensingInfos`];
  if (Array.isArray(sourceExtracted)) {
    for (const x of sourceExtracted as Record<string, unknown>[]) {
      if (x !== null && typeof x === 'object' && typeof x.licenseId === 'string' && typeof x.extractedText === 'string') {
        extracted.set(x.licenseId, x as unknown as ExtractedLicense);
      }
    }
  }
  const extractedList = [...extracted.values()].sort((a, b) => cmp(a.licenseId, b.licenseId));
  if (extractedList.length) doc.hasExtractedLicensingInfos = extractedList;
  doc.packages = packages;
  doc.relationships = relationships;
  return `${JSON.stringify(doc, null, 2)}\n`;
}
