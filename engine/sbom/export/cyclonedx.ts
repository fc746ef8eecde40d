/**
 * CycloneDX 1.6 / 1.7 export (JSON and XML) through @cyclonedx/cyclonedx-library's Models and
 * Serialize. Ordering is ours, not the library's: its `sortLists` compares with `localeCompare`, whose
 * result depends on the process locale, so we insert every collection already sorted by UTF-16 code
 * units and serialize with `sortLists: false` (the library keeps insertion order then).
 */
import { Enums, Models, Serialize, SPDX, Spec, Types } from '@cyclonedx/cyclonedx-library';
import type { Component, Inventory, License, Property } from '../../core';
import {
  componentToStellaProperties,
  inventoryToStellaProperties,
  STELLA_PROP,
  stellaCpeProperty,
  stellaExternalReferenceProperty,
  stellaFieldProperty,
  stellaHashProperty,
  stellaLicensesProperty,
  stellaLocationProperty,
} from '../_internal/stella-properties';
import { checkedComponents, cmp, inventoryDigest, isIriReference, normalizedEdges, sortProperties, uuidFromDigest } from './_internal/common';
import { SbomExportError } from './errors';
import { isValidBomField, isValidComponentField, isValidMetadataField } from './_internal/cdx-fragments';

type CdxSpec = typeof Spec.Spec1dot6;

export type CycloneDxSpecVersion = '1.6' | '1.7';

const SPECS: Record<CycloneDxSpecVersion, CdxSpec> = {
  '1.6': Spec.Spec1dot6,
  '1.7': Spec.Spec1dot7,
};

const HASH_ALGS = new Set<string>(Object.values(Enums.HashAlgorithm));
const EXT_REF_TYPES = new Set<string>(Object.values(Enums.ExternalReferenceType));
const COMPONENT_TYPES = new Set<string>(Object.values(Enums.ComponentType));

/**
 * The library percent-escapes these characters in every URL it writes (to make them valid IRIs), so a
 * URL containing one would come back changed, and a URL that is no IRI-reference at all would make the
 * document invalid: such URLs travel in stella:* properties instead.
 */
function survivesUriEscaping(url: string): boolean {
  return !/[ "'[\]<>{}]/.test(url) && isIriReference(url);
}

function fail(message: string, path: string): never {
  throw new SbomExportError('invalid-inventory', `cannot export inventory: ${message} (at ${path})`, { details: { path } });
}

/** A license the library can carry as-is: an SPDX id or a named license (with url/text), or an expression without url/text. */
function nativeLicense(l: License, spec: CdxSpec): Models.License | undefined {
  const ack = l.acknowledgement === undefined ? undefined : (l.acknowledgement as Enums.LicenseAcknowledgement);
  if (ack !== undefined && !spec.supportsLicenseAcknowledgement) return undefined;
  if (l.url !== undefined && !survivesUriEscaping(l.url)) return undefined;
  const text = l.text === undefined ? undefined : new Models.Attachment(l.text);
  if (l.expression !== undefined && l.name === undefined) {
    if (SPDX.isSupportedSpdxId(l.expression)) return new Models.SpdxLicense(l.expression, { acknowledgement: ack, url: l.url, text });
    if (l.url !== undefined || l.text !== undefined || l.expression === '') return undefined;
    const e = new Models.LicenseExpression(l.expression);
    e.acknowledgement = ack;
    return e;
  }
  if (l.name !== undefined && l.expression === undefined && l.name !== '') return new Models.NamedLicense(l.name, { acknowledgement: ack, url: l.url, text });
  return undefined;
}

/**
 * Licenses in CycloneDX are either one expression or a list of id/named licenses. When the model's list
 * does not fit that shape exactly, the best native rendering is written and the exact list travels in
 * `stella:licenses`.
 */
function licensesOf(c: Component, spec: CdxSpec, extraProps: Property[]): Models.LicenseRepository {
  const repo = new Models.LicenseRepository();
  const natives = c.licenses.map((l) => nativeLicense(l, spec));
  const exprCount = natives.filter((n) => n instanceof Models.LicenseExpression).length;
  const exact = natives.every((n) => n !== undefined) && (exprCount === 0 || natives.length === 1);
  if (exact) {
    for (const n of natives) repo.add(n!);
    return repo;
  }
  // Native best effort: the expressions alone (CycloneDX allows exactly one), else the id/named ones.
  const usable = natives.filter((n): n is Models.License => n !== undefined);
  const firstExpr = usable.find((n) => n instanceof Models.LicenseExpression);
  if (firstExpr) repo.add(firstExpr);
  else for (const n of usable) repo.add(n);
  extraProps.push(stellaLicensesProperty(c.licenses));
  return repo;
}

function hashesOf(c: Component, spec: CdxSpec, extraProps: Property[]): Models.HashDictionary {
  const dict = new Models.HashDictionary();
  const sorted = [...c.hashes].sort((a, b) => cmp(a.alg, b.alg) || cmp(a.content, b.content));
  for (const h of sorted) {
    const ok = HASH_ALGS.has(h.alg) && spec.supportsHashAlgorithm(h.alg) && spec.supportsHashValue(h.content) && !dict.has(h.alg as Enums.HashAlgorithm);
    if (ok) dict.set(h.alg as Enums.HashAlgorithm, h.content);
    else extraProps.push(stellaHashProperty(h));
  }
  return dict;
}

function externalReferencesOf(c: Component, spec: CdxSpec, extraProps: Property[]): Models.ExternalReferenceRepository {
  const repo = new Models.ExternalReferenceRepository();
  const sorted = [...c.externalReferences].sort((a, b) => cmp(a.type, b.type) || cmp(a.url, b.url) || cmp(a.comment ?? '', b.comment ?? ''));
  for (const r of sorted) {
    if (EXT_REF_TYPES.has(r.type) && spec.supportsExternalReferenceType(r.type) && r.url !== '' && survivesUriEscaping(r.url)) {
      repo.add(new Models.ExternalReference(r.url, r.type as Enums.ExternalReferenceType, { comment: r.comment }));
    } else {
      extraProps.push(stellaExternalReferenceProperty(r));
    }
  }
  return repo;
}

function supplierOf(c: Component, extraProps: Property[]): Models.OrganizationalEntity | undefined {
  if (!c.supplier) return undefined;
  if (!(c.supplier.url ?? []).every(survivesUriEscaping)) extraProps.push(stellaFieldProperty(c, 'supplier')!);
  const contacts = new Models.OrganizationalContactRepository();
  for (const k of c.supplier.contact ?? []) contacts.add(new Models.OrganizationalContact({ name: k.name, email: k.email, phone: k.phone }));
  return new Models.OrganizationalEntity({ name: c.supplier.name, url: new Set((c.supplier.url ?? []).filter(survivesUriEscaping)), contact: contacts });
}

/** Build the library component (without children); `parentProp` set when the parent cannot be expressed by nesting. */
function toModel(c: Component, spec: CdxSpec, path: string, parentProp: boolean, nativeExtras: ReadonlySet<string> | undefined): Models.Component {
  if (!COMPONENT_TYPES.has(c.type) || !spec.supportsComponentType(c.type)) {
    fail(`component type ${JSON.stringify(c.type)} is not supported by CycloneDX ${spec.version}`, `${path}/type`);
  }
  // Extras that go back into their native place (CycloneDX JSON) are not repeated as stella:extra:*.
  const carried = nativeExtras?.size ? { ...c, extra: Object.fromEntries(Object.entries(c.extra).filter(([k]) => !nativeExtras.has(k))) } : c;
  const extraProps: Property[] = [...c.properties, ...componentToStellaProperties(carried)];
  if (parentProp && c.parent !== undefined) extraProps.push({ name: STELLA_PROP.parent, value: c.parent });
  const cpes = [...c.cpes];
  let cpe: string | undefined;
  const firstCpe = cpes[0];
  if (firstCpe !== undefined && Types.isCPE(firstCpe)) {
    cpe = firstCpe;
    cpes.shift();
  }
  for (const other of cpes) extraProps.push(stellaCpeProperty(other));
  for (const l of c.locations) extraProps.push(stellaLocationProperty(l));
  const model = new Models.Component(c.type as Enums.ComponentType, c.name, {
    bomRef: c.ref,
    group: c.group,
    version: c.version,
    purl: c.purl,
    cpe,
    hashes: hashesOf(c, spec, extraProps),
    licenses: licensesOf(c, spec, extraProps),
    supplier: supplierOf(c, extraProps),
    author: c.author,
    publisher: c.publisher,
    copyright: c.copyright,
    description: c.description,
    scope: c.scope as Enums.ComponentScope | undefined,
    externalReferences: externalReferencesOf(c, spec, extraProps),
  });
  for (const p of sortProperties(extraProps)) model.properties.add(new Models.Property(p.name, p.value));
  return model;
}

const CDX_FAMILY_PREFIX = 'cyclonedx:';
/** Component fields the exporter writes itself, and importer markers that are not fields. */
const WRITTEN_COMPONENT_FIELDS = new Set([
  'type', 'name', 'group', 'version', 'bom-ref', 'supplier', 'author', 'publisher', 'description', 'scope', 'hashes', 'licenses',
  'copyright', 'cpe', 'purl', 'externalReferences', 'properties', 'components', 'dependencies',
]);
const WRITTEN_METADATA_FIELDS = new Set(['timestamp', 'tools', 'authors', 'component']);
const WRITTEN_BOM_FIELDS = new Set(['$schema', 'bomFormat', 'specVersion', 'serialNumber', 'version', 'metadata', 'components', 'dependencies', 'properties']);

/** Which `cyclonedx:*` extras go back into their native place in a CycloneDX JSON export. */
export interface NativeExtras {
  /** ref → extra keys (`cyclonedx:pedigree`) written natively. */
  componentKeys: Map<string, Set<string>>;
  metadata: Record<string, unknown>;
  bom: Record<string, unknown>;
  /** ref → `provides` of its dependency entry. */
  provides: Map<string, unknown>;
}

function emptyNativeExtras(): NativeExtras {
  return { componentKeys: new Map(), metadata: {}, bom: {}, provides: new Map() };
}

const isPlainField = (f: string): boolean => /^[A-Za-z$][A-Za-z0-9_-]*$/.test(f);

/**
 * Same-family extras whose value the target schema accepts. Markers written by the importer
 * (`cyclonedx:type`, `cyclonedx:bom-ref`, `cyclonedx:purl`, `cyclonedx:externalReferences.extra`,
 * `cyclonedx:evidence.occurrences`) are not fields and keep travelling as stella:extra:* properties.
 */
export function planNativeExtras(inv: Inventory, specVersion: CycloneDxSpecVersion): NativeExtras {
  const plan = emptyNativeExtras();
  for (const c of inv.subject ? [inv.subject, ...inv.components] : inv.components) {
    for (const key of Object.keys(c.extra).sort(cmp)) {
      if (!key.startsWith(CDX_FAMILY_PREFIX)) continue;
      const field = key.slice(CDX_FAMILY_PREFIX.length);
      if (!isPlainField(field) || WRITTEN_COMPONENT_FIELDS.has(field)) continue;
      if (!isValidComponentField(specVersion, field, c.extra[key])) continue;
      let keys = plan.componentKeys.get(c.ref);
      if (!keys) plan.componentKeys.set(c.ref, (keys = new Set()));
      keys.add(key);
    }
  }
  const docExtra = inv.document.extra;
  const meta = docExtra[`${CDX_FAMILY_PREFIX}metadata`];
  if (meta !== null && typeof meta === 'object' && !Array.isArray(meta)) {
    for (const [field, value] of Object.entries(meta as Record<string, unknown>).sort(([a], [b]) => cmp(a, b))) {
      if (!WRITTEN_METADATA_FIELDS.has(field) && isValidMetadataField(specVersion, field, value)) plan.metadata[field] = value;
    }
  }
  const metaProps = docExtra[`${CDX_FAMILY_PREFIX}metadata.properties`];
  if (metaProps !== undefined && isValidMetadataField(specVersion, 'properties', metaProps)) plan.metadata.properties = metaProps;
  for (const key of Object.keys(docExtra).sort(cmp)) {
    if (!key.startsWith(CDX_FAMILY_PREFIX)) continue;
    const field = key.slice(CDX_FAMILY_PREFIX.length);
    if (!isPlainField(field) || WRITTEN_BOM_FIELDS.has(field)) continue;
    if (isValidBomField(specVersion, field, docExtra[key])) plan.bom[field] = docExtra[key];
  }
  const provides = docExtra[`${CDX_FAMILY_PREFIX}dependencies.provides`];
  if (Array.isArray(provides)) {
    for (const p of provides as { ref?: unknown; provides?: unknown }[]) {
      if (typeof p?.ref === 'string' && Array.isArray(p.provides) && p.provides.every((x) => typeof x === 'string')) plan.provides.set(p.ref, p.provides);
    }
  }
  return plan;
}

type JsonObject = Record<string, unknown>;

/** Puts the planned extras into a normalized CycloneDX JSON tree (only where the library wrote nothing). */
function injectNativeExtras(n: JsonObject, inv: Inventory, plan: NativeExtras): JsonObject {
  const byRef = new Map((inv.subject ? [inv.subject, ...inv.components] : inv.components).map((c) => [c.ref, c]));
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const o = node as JsonObject;
    const ref = o['bom-ref'];
    const keys = typeof ref === 'string' ? plan.componentKeys.get(ref) : undefined;
    const c = typeof ref === 'string' ? byRef.get(ref) : undefined;
    if (keys && c) for (const key of keys) o[key.slice(CDX_FAMILY_PREFIX.length)] ??= c.extra[key];
    if (Array.isArray(o.components)) o.components.forEach(visit);
  };
  const metadata = (n.metadata ?? {}) as JsonObject;
  visit(metadata.component);
  if (Array.isArray(n.components)) n.components.forEach(visit);
  // The normalizer leaves absent fields as explicit `undefined` keys: fill those, never overwrite values.
  const mergedMetadata: JsonObject = { ...metadata };
  for (const [field, value] of Object.entries(plan.metadata)) mergedMetadata[field] ??= value;
  const out: JsonObject = { ...n, metadata: mergedMetadata };
  for (const [field, value] of Object.entries(plan.bom)) out[field] ??= value;
  if (Array.isArray(n.dependencies)) {
    out.dependencies = (n.dependencies as JsonObject[]).map((d) => (typeof d.ref === 'string' && plan.provides.has(d.ref) ? { ...d, provides: plan.provides.get(d.ref) } : d));
  }
  return out;
}

export interface CycloneDxExportOptions {
  specVersion: CycloneDxSpecVersion;
  encoding: 'json' | 'xml';
}

/** The library BOM model for an inventory, every collection inserted in deterministic order. */
export function inventoryToCycloneDxBom(inv: Inventory, specVersion: CycloneDxSpecVersion, nativeExtras: NativeExtras = emptyNativeExtras()): Models.Bom {
  const spec = SPECS[specVersion];
  const components = checkedComponents(inv, fail);
  // The BOM version of a CycloneDX source is kept (it counts revisions of that BOM); otherwise 1.
  const sourceVersion = inv.document.extra['cyclonedx:version'];
  const version = typeof sourceVersion === 'number' && Number.isInteger(sourceVersion) && sourceVersion >= 1 ? sourceVersion : 1;
  const bom = new Models.Bom({ version, serialNumber: `urn:uuid:${uuidFromDigest(inventoryDigest(inv))}` });

  // Document metadata: a timestamp only when the source document had one, never the wall clock.
  if (inv.document.created !== undefined) {
    const t = new Date(inv.document.created);
    if (Number.isNaN(t.getTime())) fail(`document.created ${JSON.stringify(inv.document.created)} is not a date-time`, '/document/created');
    bom.metadata.timestamp = t;
  }
  const tools = [...inv.document.tools].sort((a, b) => cmp(a.vendor ?? '', b.vendor ?? '') || cmp(a.name, b.name) || cmp(a.version ?? '', b.version ?? ''));
  for (const t of tools) bom.metadata.tools.tools.add(new Models.Tool({ vendor: t.vendor, name: t.name, version: t.version }));
  for (const a of [...inv.document.authors].sort(cmp)) bom.metadata.authors.add(new Models.OrganizationalContact({ name: a }));

  const models = new Map<string, Models.Component>();
  const parentOf = new Map(components.map((c) => [c.ref, c.parent]));
  const refs = new Set(parentOf.keys());
  if (inv.subject) refs.add(inv.subject.ref);

  // Re-nesting by `parent`: a component nests when its parent chain ends without a cycle at a known ref.
  const nestable = (c: Component): boolean => {
    const seen = new Set<string>([c.ref]);
    let p = c.parent;
    while (p !== undefined) {
      if (!refs.has(p) || seen.has(p)) return false;
      seen.add(p);
      p = p === inv.subject?.ref ? undefined : parentOf.get(p);
    }
    return true;
  };
  let subjectModel: Models.Component | undefined;
  if (inv.subject) {
    subjectModel = toModel(inv.subject, spec, '/subject', inv.subject.parent !== undefined, nativeExtras.componentKeys.get(inv.subject.ref));
    models.set(inv.subject.ref, subjectModel);
    bom.metadata.component = subjectModel;
  }
  const nests = new Map<string, boolean>();
  components.forEach((c, i) => {
    const n = c.parent !== undefined && nestable(c);
    nests.set(c.ref, n);
    models.set(c.ref, toModel(c, spec, `/components/${i}`, c.parent !== undefined && !n, nativeExtras.componentKeys.get(c.ref)));
  });
  for (const c of components) {
    const m = models.get(c.ref)!;
    if (nests.get(c.ref) && c.parent !== undefined) models.get(c.parent)!.components.add(m);
    else bom.components.add(m);
  }

  for (const e of normalizedEdges(inv)) {
    const from = models.get(e.ref);
    if (!from) continue;
    for (const d of e.dependsOn) {
      const to = models.get(d);
      if (to) from.dependencies.add(to.bomRef);
    }
  }
  return bom;
}

/**
 * Document-level properties belong in the BOM's own `properties` (CycloneDX 1.5+), which the library's
 * model does not have: these serializers add them to the normalized tree before it is stringified.
 */
class BomPropertiesJsonSerializer extends Serialize.JsonSerializer {
  constructor(
    factory: Serialize.JSON.Normalize.Factory,
    private readonly bomProperties: readonly Property[],
    private readonly inject: (n: JsonObject) => JsonObject,
  ) {
    super(factory);
  }
  protected override _normalize(bom: Models.Bom, options?: Serialize.Types.NormalizerOptions): Serialize.JSON.Types.Normalized.Bom {
    const n = this.inject(super._normalize(bom, options) as unknown as JsonObject);
    if (this.bomProperties.length === 0) return n as unknown as Serialize.JSON.Types.Normalized.Bom;
    return { ...n, properties: this.bomProperties.map((p) => ({ name: p.name, value: p.value })) } as unknown as Serialize.JSON.Types.Normalized.Bom;
  }
}

class BomPropertiesXmlSerializer extends Serialize.XmlSerializer {
  constructor(
    factory: Serialize.XML.Normalize.Factory,
    private readonly bomProperties: readonly Property[],
  ) {
    super(factory);
  }
  protected override _normalize(bom: Models.Bom, options?: Serialize.Types.NormalizerOptions): Serialize.XML.Types.SimpleXml.Element {
    const n = super._normalize(bom, options);
    if (this.bomProperties.length === 0) return n;
    const children = n.children === undefined || typeof n.children !== 'object' ? [] : [...(n.children as Iterable<Serialize.XML.Types.SimpleXml.Element>)];
    // XSD sequence: metadata, components, services, externalReferences, dependencies, compositions, properties, …
    const after = new Set(['metadata', 'components', 'services', 'externalReferences', 'dependencies', 'compositions']);
    let at = 0;
    children.forEach((c, i) => {
      if (c.type === 'element' && after.has(c.name)) at = i + 1;
    });
    const props: Serialize.XML.Types.SimpleXml.Element = {
      type: 'element',
      name: 'properties',
      children: this.bomProperties.map((p) => ({ type: 'element', name: 'property', attributes: { name: p.name }, children: p.value })),
    };
    children.splice(at, 0, props);
    return { ...n, children };
  }
}

export function exportCycloneDx(inv: Inventory, opts: CycloneDxExportOptions): string {
  const spec = SPECS[opts.specVersion];
  // Same-family extras go back natively only in JSON: the XML serializer has no place for arbitrary
  // fields, so in XML they stay stella:extra:* properties.
  const plan = opts.encoding === 'json' ? planNativeExtras(inv, opts.specVersion) : emptyNativeExtras();
  const bom = inventoryToCycloneDxBom(inv, opts.specVersion, plan);
  const bomProperties = sortProperties([...inv.document.properties, ...inventoryToStellaProperties(inv)]);
  try {
    const serializer =
      opts.encoding === 'json'
        ? new BomPropertiesJsonSerializer(new Serialize.JSON.Normalize.Factory(spec), bomProperties, (n) => injectNativeExtras(n, inv, plan))
        : new BomPropertiesXmlSerializer(new Serialize.XML.Normalize.Factory(spec), bomProperties);
    return `${serializer.serialize(bom, { sortLists: false, space: 2 })}\n`;
  } catch (cause) {
    throw new SbomExportError('serializer-failed', `CycloneDX ${opts.specVersion} ${opts.encoding.toUpperCase()} serialization failed: ${(cause as Error).message}`, { cause });
  }
}

/** Refs of dependency edges that cannot be written because an end is not a component of the document. */
export function danglingEdges(inv: Inventory): { ref: string; dependsOn: string }[] {
  const refs = new Set(inv.components.map((c) => c.ref));
  if (inv.subject) refs.add(inv.subject.ref);
  const out: { ref: string; dependsOn: string }[] = [];
  for (const e of normalizedEdges(inv)) for (const d of e.dependsOn) if (!refs.has(e.ref) || !refs.has(d)) out.push({ ref: e.ref, dependsOn: d });
  return out;
}
