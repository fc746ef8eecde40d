/**
 * How normalized fields that a target format has no slot for travel through an export and come back
 * on re-import. Exporters write them as `stella:*` properties (CycloneDX `properties`, SPDX 2.3 package
 * annotations with comment `<name>=<value>`, SPDX 3 Annotation elements with statement `<name>=<value>`);
 * importers of every format read them back with `applyStellaProperties` (document level:
 * `applyDocumentStellaProperties`). Keeping both directions here is what makes the round trip lossless.
 */
import type { Component, EvidenceLocation, ExternalReference, Hash, Inventory, License, Property } from '../../core';

export const STELLA_PROP = {
  sourceName: 'stella:source:name',
  sourceVersion: 'stella:source:version',
  layer: 'stella:layer',
  foundBy: 'stella:foundBy',
  declared: 'stella:declared',
  /** purl of the distro-vendor OS package that installed this language package. */
  ownedBy: 'stella:ownedBy',
  /** `true`: the project itself (the lockfile's root package), never matched. */
  root: 'stella:root',
  parent: 'stella:parent',
  /** `stella:extra:<key>` = canonical JSON of extra[key]. */
  extraPrefix: 'stella:extra:',
  /** `stella:hash:<alg>` = hex content, for an algorithm (or value) the target format cannot carry. */
  hashPrefix: 'stella:hash:',
  /** A CPE beyond the one the target format has a slot for (CycloneDX has one `cpe`). */
  cpe: 'stella:cpe',
  /** JSON of one EvidenceLocation (no target format has a slot for it). */
  location: 'stella:location',
  /** JSON of one ExternalReference whose type the target format does not know. */
  externalReference: 'stella:externalReference',
  /** JSON of the complete License[] when the target format cannot express the list exactly (replaces the natively read licenses on import). */
  licenses: 'stella:licenses',
  /** `stella:field:<name>` = JSON of a Component field the target format has no slot for (group, scope, author, supplier, type, …). */
  fieldPrefix: 'stella:field:',
  /**
   * `stella:property:<name>` = value: a component's own property in a format whose readers keep only
   * `stella:*` annotations as properties (SPDX); decoded back to the plain property `<name>`.
   */
  propertyPrefix: 'stella:property:',
} as const;

export function stellaWrappedProperty(p: Property): Property {
  return { name: `${STELLA_PROP.propertyPrefix}${p.name}`, value: p.value };
}

/** Component fields that may travel as `stella:field:<name>`. */
export type StellaField = 'type' | 'group' | 'author' | 'publisher' | 'copyright' | 'description' | 'scope' | 'supplier';

export function stellaFieldProperty(c: Component, field: StellaField): Property | undefined {
  const v = c[field];
  return v === undefined ? undefined : { name: `${STELLA_PROP.fieldPrefix}${field}`, value: JSON.stringify(v) };
}

const COMPONENT_TYPE_VALUES = new Set<string>([
  'application', 'framework', 'library', 'container', 'platform', 'operating-system', 'device', 'device-driver',
  'firmware', 'file', 'machine-learning-model', 'data', 'cryptographic-asset',
]);

/** Sets a `stella:field:*` value on the component when it has the field's shape; false when it does not. */
function applyField(c: Component, field: string, value: string): boolean {
  let v: unknown;
  try {
    v = JSON.parse(value);
  } catch {
    return false;
  }
  switch (field) {
    case 'type':
      if (typeof v !== 'string' || !COMPONENT_TYPE_VALUES.has(v)) return false;
      c.type = v as Component['type'];
      return true;
    case 'scope':
      if (v !== 'required' && v !== 'optional' && v !== 'excluded') return false;
      c.scope = v;
      return true;
    case 'group':
    case 'author':
    case 'publisher':
    case 'copyright':
    case 'description':
      if (typeof v !== 'string') return false;
      c[field] = v;
      return true;
    case 'supplier': {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
      const o = v as Record<string, unknown>;
      const e: NonNullable<Component['supplier']> = {};
      if (typeof o.name === 'string') e.name = o.name;
      if (Array.isArray(o.url)) e.url = o.url.filter((u): u is string => typeof u === 'string');
      if (Array.isArray(o.contact)) {
        e.contact = o.contact
          .filter((k): k is Record<string, unknown> => k !== null && typeof k === 'object')
          .map((k) => {
            const out: { name?: string; email?: string; phone?: string } = {};
            for (const f of ['name', 'email', 'phone'] as const) if (typeof k[f] === 'string') out[f] = k[f];
            return out;
          });
      }
      c.supplier = e;
      return true;
    }
    default:
      return false;
  }
}

/** Export-side encoders for fields whose native slot depends on the target format (decoded by applyStellaProperties). */
export function stellaHashProperty(h: Hash): Property {
  return { name: `${STELLA_PROP.hashPrefix}${h.alg}`, value: h.content };
}
export function stellaCpeProperty(cpe: string): Property {
  return { name: STELLA_PROP.cpe, value: cpe };
}
export function stellaLocationProperty(l: EvidenceLocation): Property {
  return { name: STELLA_PROP.location, value: JSON.stringify({ path: l.path, layer: l.layer, line: l.line }) };
}
export function stellaExternalReferenceProperty(r: ExternalReference): Property {
  return { name: STELLA_PROP.externalReference, value: JSON.stringify({ type: r.type, url: r.url, comment: r.comment }) };
}
export function stellaLicensesProperty(licenses: readonly License[]): Property {
  return {
    name: STELLA_PROP.licenses,
    value: JSON.stringify(licenses.map((l) => ({ expression: l.expression, name: l.name, url: l.url, text: l.text, acknowledgement: l.acknowledgement }))),
  };
}

/** Parse a JSON object property value; undefined when it is not a JSON object. */
function jsonObject(value: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(value);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function optString(o: Record<string, unknown>, k: string): string | undefined {
  return typeof o[k] === 'string' ? o[k] : undefined;
}

/** The stella:* properties for a component, sorted by name then value. */
export function componentToStellaProperties(c: Component): Property[] {
  const out: Property[] = [];
  if (c.source?.name) out.push({ name: STELLA_PROP.sourceName, value: c.source.name });
  if (c.source?.version) out.push({ name: STELLA_PROP.sourceVersion, value: c.source.version });
  if (c.layer) out.push({ name: STELLA_PROP.layer, value: c.layer });
  if (c.foundBy) out.push({ name: STELLA_PROP.foundBy, value: c.foundBy });
  if (c.declared !== undefined) out.push({ name: STELLA_PROP.declared, value: String(c.declared) });
  if (c.ownedBy) out.push({ name: STELLA_PROP.ownedBy, value: c.ownedBy });
  if (c.root) out.push({ name: STELLA_PROP.root, value: 'true' });
  for (const key of Object.keys(c.extra).sort()) {
    out.push({ name: `${STELLA_PROP.extraPrefix}${key}`, value: JSON.stringify(c.extra[key]) });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/**
 * Moves stella:* properties into the component's fields; returns the properties that are not ours
 * (to keep in `component.properties`).
 */
export function applyStellaProperties(c: Component, props: readonly Property[]): Property[] {
  const rest: Property[] = [];
  let sourceName: string | undefined;
  let sourceVersion: string | undefined;
  let licenses: License[] | undefined;
  for (const p of props) {
    switch (p.name) {
      case STELLA_PROP.sourceName:
        sourceName = p.value;
        break;
      case STELLA_PROP.sourceVersion:
        sourceVersion = p.value;
        break;
      case STELLA_PROP.layer:
        c.layer = p.value;
        break;
      case STELLA_PROP.foundBy:
        c.foundBy = p.value;
        break;
      case STELLA_PROP.declared:
        c.declared = p.value === 'true';
        break;
      case STELLA_PROP.ownedBy:
        c.ownedBy = p.value;
        break;
      case STELLA_PROP.root:
        if (p.value === 'true') c.root = true;
        else rest.push(p);
        break;
      case STELLA_PROP.parent:
        c.parent = p.value;
        break;
      case STELLA_PROP.cpe:
        if (!c.cpes.includes(p.value)) c.cpes.push(p.value);
        break;
      case STELLA_PROP.location: {
        const o = jsonObject(p.value);
        if (o && typeof o.path === 'string') {
          const loc: EvidenceLocation = { path: o.path };
          if (typeof o.layer === 'string') loc.layer = o.layer;
          if (typeof o.line === 'number') loc.line = o.line;
          c.locations.push(loc);
        } else rest.push(p);
        break;
      }
      case STELLA_PROP.externalReference: {
        const o = jsonObject(p.value);
        if (o && typeof o.type === 'string' && typeof o.url === 'string') {
          const r: ExternalReference = { type: o.type, url: o.url };
          const comment = optString(o, 'comment');
          if (comment !== undefined) r.comment = comment;
          c.externalReferences.push(r);
        } else rest.push(p);
        break;
      }
      case STELLA_PROP.licenses: {
        let v: unknown;
        try {
          v = JSON.parse(p.value);
        } catch {
          v = undefined;
        }
        if (Array.isArray(v) && v.every((x) => x !== null && typeof x === 'object')) {
          licenses = (v as Record<string, unknown>[]).map((o) => {
            const l: License = {};
            for (const k of ['expression', 'name', 'url', 'text'] as const) {
              const s = optString(o, k);
              if (s !== undefined) l[k] = s;
            }
            if (o.acknowledgement === 'declared' || o.acknowledgement === 'concluded') l.acknowledgement = o.acknowledgement;
            return l;
          });
        } else rest.push(p);
        break;
      }
      default:
        if (p.name.startsWith(STELLA_PROP.propertyPrefix) && p.name.length > STELLA_PROP.propertyPrefix.length) {
          rest.push({ name: p.name.slice(STELLA_PROP.propertyPrefix.length), value: p.value });
        } else if (p.name.startsWith(STELLA_PROP.fieldPrefix)) {
          if (!applyField(c, p.name.slice(STELLA_PROP.fieldPrefix.length), p.value)) rest.push(p);
        } else if (p.name.startsWith(STELLA_PROP.hashPrefix) && p.name.length > STELLA_PROP.hashPrefix.length) {
          const alg = p.name.slice(STELLA_PROP.hashPrefix.length);
          if (!c.hashes.some((h) => h.alg === alg && h.content === p.value)) c.hashes.push({ alg, content: p.value });
        } else if (p.name.startsWith(STELLA_PROP.extraPrefix)) {
          try {
            c.extra[p.name.slice(STELLA_PROP.extraPrefix.length)] = JSON.parse(p.value);
          } catch {
            rest.push(p);
          }
        } else {
          rest.push(p);
        }
    }
  }
  if (sourceName) c.source = sourceVersion ? { name: sourceName, version: sourceVersion } : { name: sourceName };
  if (licenses) c.licenses = licenses;
  return rest;
}

/** Document-level stella:* properties: inventory fields no format has a document slot for. */
export const STELLA_DOC_PROP = {
  osId: 'stella:os:id',
  osVersionId: 'stella:os:versionId',
  osName: 'stella:os:name',
} as const;

/** The stella:* document properties for an inventory (today: the scanned operating system). */
export function inventoryToStellaProperties(inv: Inventory): Property[] {
  const out: Property[] = [];
  if (inv.os) {
    out.push({ name: STELLA_DOC_PROP.osId, value: inv.os.id });
    if (inv.os.versionId !== undefined) out.push({ name: STELLA_DOC_PROP.osVersionId, value: inv.os.versionId });
    if (inv.os.name !== undefined) out.push({ name: STELLA_DOC_PROP.osName, value: inv.os.name });
  }
  return out;
}

/**
 * Moves document-level stella:* properties into the inventory (`os`); returns the other properties (to keep
 * in `document.properties`). Importers call it on the document properties they read.
 */
export function applyDocumentStellaProperties(inv: Inventory, props: readonly Property[]): Property[] {
  const rest: Property[] = [];
  let id: string | undefined;
  let versionId: string | undefined;
  let name: string | undefined;
  for (const p of props) {
    if (p.name === STELLA_DOC_PROP.osId) id = p.value;
    else if (p.name === STELLA_DOC_PROP.osVersionId) versionId = p.value;
    else if (p.name === STELLA_DOC_PROP.osName) name = p.value;
    else rest.push(p);
  }
  if (id !== undefined) {
    inv.os = { id };
    if (versionId !== undefined) inv.os.versionId = versionId;
    if (name !== undefined) inv.os.name = name;
  } else {
    // An incomplete os record is not ours to interpret: keep it as plain properties.
    if (versionId !== undefined) rest.push({ name: STELLA_DOC_PROP.osVersionId, value: versionId });
    if (name !== undefined) rest.push({ name: STELLA_DOC_PROP.osName, value: name });
  }
  return rest;
}
