/**
 * CycloneDX (JSON shape; the XML reader converts to it first) → normalized Inventory.
 * Mapped fields become model fields; every other field is kept verbatim in `extra` under
 * `cyclonedx:<field>` (document level: `document.extra`) so a CycloneDX exporter can put it back.
 */
import type { Component, ComponentScope, ComponentType, DependencyEdge, Hash, Inventory, License, OrganizationalEntity, Property } from '../../core';
import { newComponent } from '../../core';
import { arr, finalizeInventory, isObject, str } from '../_internal/common';
import { enrichFromProperties } from '../_internal/enrich';
import { isSpdxExpression } from '../_internal/license';
import { canonicalPurl } from '../_internal/purl';
import { pointer } from '../_internal/text';
import { SbomError, type SbomProblem } from '../errors';

export const CDX_FAMILY = 'cyclonedx';

const COMPONENT_TYPES = new Set<ComponentType>([
  'application', 'framework', 'library', 'container', 'platform', 'operating-system', 'device', 'device-driver',
  'firmware', 'file', 'machine-learning-model', 'data', 'cryptographic-asset',
]);

/** Component fields this normalizer maps (everything else goes to extra). */
const MAPPED_COMPONENT_KEYS = new Set([
  'bom-ref', 'type', 'name', 'group', 'version', 'purl', 'cpe', 'hashes', 'licenses', 'supplier', 'author', 'publisher',
  'copyright', 'description', 'scope', 'externalReferences', 'properties', 'components',
]);
const MAPPED_DOC_KEYS = new Set(['bomFormat', 'specVersion', 'serialNumber', 'metadata', 'components', 'dependencies', 'properties', '$schema']);

export interface NormalizeResult {
  inventory: Inventory;
  warnings: string[];
}

export function normalizeCycloneDx(doc: Record<string, unknown>, format: 'cyclonedx-json' | 'cyclonedx-xml', specVersion: string, file: string): NormalizeResult {
  const warnings: string[] = [];
  const problems: SbomProblem[] = [];
  const seenRefs = new Map<string, string>();
  const components: Component[] = [];
  const metadata = isObject(doc.metadata) ? doc.metadata : {};

  const claimRef = (ref: string, path: string): void => {
    const prev = seenRefs.get(ref);
    if (prev !== undefined) problems.push({ path: `${path}/bom-ref`, message: `duplicate bom-ref ${JSON.stringify(ref)} (first used at ${prev})`, expected: 'a bom-ref unique within the BOM' });
    else seenRefs.set(ref, path);
  };

  const toComponent = (raw: Record<string, unknown>, path: string, parent: string | undefined, into: Component[] | null): Component => {
    const given = str(raw['bom-ref']);
    const ref = given ?? `_:${path}`;
    claimRef(ref, path);
    const typeRaw = str(raw.type) ?? 'library';
    const type: ComponentType = COMPONENT_TYPES.has(typeRaw as ComponentType) ? (typeRaw as ComponentType) : 'library';
    const c = newComponent({ ref, name: str(raw.name) ?? '', type });
    if (typeRaw !== type) c.extra[`${CDX_FAMILY}:type`] = typeRaw;
    if (given === undefined) c.extra[`${CDX_FAMILY}:bom-ref`] = null;
    const group = str(raw.group);
    if (group) c.group = group;
    const version = str(raw.version);
    if (version !== undefined) c.version = version;
    const purlRaw = str(raw.purl);
    if (purlRaw !== undefined) {
      const r = canonicalPurl(purlRaw);
      if (r.ok) c.purl = r.purl;
      else {
        c.extra[`${CDX_FAMILY}:purl`] = purlRaw;
        warnings.push(`${file}: ${path}/purl: invalid purl ${JSON.stringify(purlRaw)} kept as-is (${r.error})`);
      }
    }
    const cpe = str(raw.cpe);
    if (cpe) c.cpes.push(cpe);
    c.hashes = hashesOf(raw.hashes);
    c.licenses = licensesOf(raw.licenses);
    const supplier = entityOf(raw.supplier);
    if (supplier) c.supplier = supplier;
    for (const k of ['author', 'publisher', 'copyright', 'description'] as const) {
      const v = str(raw[k]);
      if (v !== undefined) c[k] = v;
    }
    const scope = str(raw.scope);
    if (scope === 'required' || scope === 'optional' || scope === 'excluded') c.scope = scope as ComponentScope;
    for (const e of arr(raw.externalReferences)) {
      if (!isObject(e)) continue;
      const ext: Component['externalReferences'][number] = { type: str(e.type) ?? 'other', url: str(e.url) ?? '' };
      const comment = str(e.comment);
      if (comment) ext.comment = comment;
      c.externalReferences.push(ext);
      const rest = Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'type' && k !== 'url' && k !== 'comment'));
      if (Object.keys(rest).length) ((c.extra[`${CDX_FAMILY}:externalReferences.extra`] ??= []) as unknown[]).push({ index: c.externalReferences.length - 1, ...rest });
    }
    // Evidence: occurrences become locations; the rest of evidence is kept verbatim.
    if (isObject(raw.evidence)) {
      const { occurrences, ...rest } = raw.evidence;
      for (const o of arr(occurrences)) {
        if (!isObject(o)) continue;
        const loc = str(o.location);
        if (!loc) continue;
        const l: Component['locations'][number] = { path: loc };
        const line = typeof o.line === 'number' ? o.line : undefined;
        if (line !== undefined) l.line = line;
        c.locations.push(l);
      }
      if (occurrences !== undefined) c.extra[`${CDX_FAMILY}:evidence.occurrences`] = occurrences;
      if (Object.keys(rest).length) c.extra[`${CDX_FAMILY}:evidence`] = rest;
    }
    for (const [k, v] of Object.entries(raw)) {
      if (!MAPPED_COMPONENT_KEYS.has(k) && k !== 'evidence') c.extra[`${CDX_FAMILY}:${k}`] = v;
    }
    if (parent !== undefined) c.parent = parent;
    // Semantic rule of 1.7 that XSD 1.0 / the JSON schema cannot express.
    if (raw.versionRange !== undefined && raw.isExternal !== true && raw.isExternal !== 'true') {
      problems.push({ path: `${path}/versionRange`, message: 'versionRange is only allowed on external components', expected: 'isExternal=true when versionRange is present' });
    }
    let source: Component['source'];
    if (isObject(raw.pedigree)) {
      const anc = arr(raw.pedigree.ancestors).find(isObject);
      const name = anc ? str(anc.name) : undefined;
      if (anc && name) {
        const v = str(anc.version);
        source = v ? { name, version: v } : { name };
      }
    }
    enrichFromProperties(c, propertiesOf(raw.properties), source ? { source } : {});
    if (into) into.push(c);
    arr(raw.components).forEach((child, i) => {
      if (isObject(child)) toComponent(child, `${path}/components/${i}`, ref, components);
    });
    return c;
  };

  let subject: Component | undefined;
  if (isObject(metadata.component)) subject = toComponent(metadata.component, '/metadata/component', undefined, null);
  arr(doc.components).forEach((raw, i) => {
    if (isObject(raw)) toComponent(raw, pointer('components', i), undefined, components);
  });
  // Services carry bom-refs too (dependencies may point at them).
  arr(doc.services).forEach((s, i) => collectServiceRefs(s, pointer('services', i), claimRef));

  const dependencies: DependencyEdge[] = [];
  const provides: unknown[] = [];
  arr(doc.dependencies).forEach((d, i) => {
    if (!isObject(d)) return;
    const ref = str(d.ref);
    if (!ref) return;
    dependencies.push({ ref, dependsOn: arr(d.dependsOn).map(str).filter((x): x is string => !!x) });
    if (d.provides !== undefined) provides.push({ ref, provides: d.provides });
    for (const [j, target] of [ref, ...arr(d.dependsOn).map(str)].entries()) {
      if (target && !seenRefs.has(target)) warnings.push(`${file}: /dependencies/${i}${j === 0 ? '/ref' : `/dependsOn/${j - 1}`}: ${JSON.stringify(target)} is not the bom-ref of any component or service in this BOM`);
    }
  });

  if (problems.length) {
    const first = problems[0] as SbomProblem;
    throw new SbomError('semantic-invalid', `${file}: ${first.path}: ${first.message}; expected ${first.expected}${problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : ''}`, {
      details: { file, path: first.path, expected: first.expected, problems },
    });
  }

  const { timestamp, component: _subject, properties: metaProps, ...metaRest } = metadata;
  const document: Inventory['document'] = {
    format,
    specVersion,
    tools: toolsOf(metadata.tools),
    authors: arr(metadata.authors).map((a) => (isObject(a) ? str(a.name) ?? str(a.email) : str(a))).filter((x): x is string => !!x),
    properties: propertiesOf(doc.properties),
    extra: {},
  };
  const serial = str(doc.serialNumber);
  if (serial) document.serialNumber = serial;
  if (typeof timestamp === 'string') document.created = timestamp;
  const docName = subject ? [subject.group, subject.name].filter(Boolean).join('/') : undefined;
  if (docName) document.name = subject?.version ? `${docName}@${subject.version}` : docName;
  if (Object.keys(metaRest).length) document.extra[`${CDX_FAMILY}:metadata`] = metaRest;
  if (metaProps !== undefined) document.extra[`${CDX_FAMILY}:metadata.properties`] = metaProps;
  if (provides.length) document.extra[`${CDX_FAMILY}:dependencies.provides`] = provides;
  for (const [k, v] of Object.entries(doc)) if (!MAPPED_DOC_KEYS.has(k)) document.extra[`${CDX_FAMILY}:${k}`] = v;

  const inventory: Inventory = { document, components, dependencies };
  if (subject) inventory.subject = subject;
  return { inventory: finalizeInventory(inventory), warnings };
}

function collectServiceRefs(s: unknown, path: string, claim: (ref: string, path: string) => void): void {
  if (!isObject(s)) return;
  const ref = str(s['bom-ref']);
  if (ref) claim(ref, path);
  arr(s.services).forEach((c, i) => collectServiceRefs(c, `${path}/services/${i}`, claim));
}

export function propertiesOf(v: unknown): Property[] {
  const out: Property[] = [];
  for (const p of arr(v)) {
    if (!isObject(p)) continue;
    const name = str(p.name);
    if (name === undefined) continue;
    out.push({ name, value: str(p.value) ?? '' });
  }
  return out;
}

function hashesOf(v: unknown): Hash[] {
  const out: Hash[] = [];
  for (const h of arr(v)) {
    if (!isObject(h)) continue;
    const alg = str(h.alg);
    const content = str(h.content);
    if (alg && content) out.push({ alg, content: content.trim().toLowerCase() });
  }
  return out;
}

function licensesOf(v: unknown): License[] {
  const out: License[] = [];
  for (const entry of arr(v)) {
    if (!isObject(entry)) continue;
    const ack = str(entry.acknowledgement);
    const acknowledgement = ack === 'declared' || ack === 'concluded' ? ack : undefined;
    const expr = str(entry.expression);
    if (expr !== undefined) {
      const l: License = isSpdxExpression(expr) ? { expression: expr } : { name: expr };
      if (acknowledgement) l.acknowledgement = acknowledgement;
      out.push(l);
      continue;
    }
    const lic = isObject(entry.license) ? entry.license : entry;
    const id = str(lic.id);
    const name = str(lic.name);
    const l: License = {};
    if (id) l.expression = id;
    else if (name !== undefined) {
      if (isSpdxExpression(name)) l.expression = name;
      else l.name = name;
    }
    const url = str(lic.url);
    if (url) l.url = url;
    const text = isObject(lic.text) ? str(lic.text.content) : str(lic.text);
    if (text !== undefined) l.text = text;
    const ack2 = str(lic.acknowledgement);
    if (ack2 === 'declared' || ack2 === 'concluded') l.acknowledgement = ack2;
    else if (acknowledgement) l.acknowledgement = acknowledgement;
    out.push(l);
  }
  return out;
}

function entityOf(v: unknown): OrganizationalEntity | undefined {
  if (!isObject(v)) return undefined;
  const e: OrganizationalEntity = {};
  const name = str(v.name);
  if (name) e.name = name;
  const urls = arr(v.url).map(str).filter((x): x is string => !!x);
  if (urls.length) e.url = urls;
  const contacts = arr(v.contact)
    .filter(isObject)
    .map((c) => {
      const o: { name?: string; email?: string; phone?: string } = {};
      for (const k of ['name', 'email', 'phone'] as const) {
        const s = str(c[k]);
        if (s) o[k] = s;
      }
      return o;
    });
  if (contacts.length) e.contact = contacts;
  return e;
}

function toolsOf(v: unknown): Inventory['document']['tools'] {
  const out: Inventory['document']['tools'] = [];
  const push = (t: unknown, vendorKey: string): void => {
    if (!isObject(t)) return;
    const name = str(t.name);
    if (!name) return;
    const tool: Inventory['document']['tools'][number] = { name };
    const vendor = isObject(t[vendorKey]) ? str((t[vendorKey] as Record<string, unknown>).name) : str(t[vendorKey]);
    if (vendor) tool.vendor = vendor;
    const version = str(t.version);
    if (version) tool.version = version;
    out.push(tool);
  };
  if (Array.isArray(v)) v.forEach((t) => push(t, 'vendor'));
  else if (isObject(v)) {
    arr(v.components).forEach((t) => push(t, isObject(t) && t.group !== undefined ? 'group' : 'publisher'));
    arr(v.services).forEach((t) => push(t, 'provider'));
  }
  return out;
}
