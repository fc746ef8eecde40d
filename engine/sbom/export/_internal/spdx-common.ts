/**
 * What SPDX 2.3 and SPDX 3.0.1 exports share: element ids derived from refs, license rendering as SPDX
 * expressions, package purpose mapping and the list of `stella:*` properties a package needs because
 * SPDX has no native slot for them.
 */
import { sha256Hex, type Component, type ComponentType, type Inventory, type License, type Property } from '../../../core';
import {
  componentToStellaProperties,
  STELLA_PROP,
  stellaExternalReferenceProperty,
  stellaFieldProperty,
  stellaLicensesProperty,
  stellaLocationProperty,
  stellaWrappedProperty,
  type StellaField,
} from '../../_internal/stella-properties';
import { cmp, sortProperties } from './common';

/** The tool named in creation info; deliberately without a version so upgrades do not change output bytes. */
export const STELLA_TOOL = 'stella-evidence-workstation';

/**
 * `created` when the inventory has no document.created: SPDX requires a creation time and the wall
 * clock would make exports non-reproducible, so the Unix epoch stands in (documented quirk).
 */
export const SPDX_DEFAULT_CREATED = '1970-01-01T00:00:00Z';

/** SPDX wants `YYYY-MM-DDThh:mm:ssZ` (no fractions, UTC). */
export function spdxCreated(inv: Inventory, fail: (msg: string, path: string) => never): string {
  const c = inv.document.created;
  if (c === undefined) return SPDX_DEFAULT_CREATED;
  const t = new Date(c);
  if (Number.isNaN(t.getTime())) fail(`document.created ${JSON.stringify(c)} is not a date-time`, '/document/created');
  return `${t.toISOString().slice(0, 19)}Z`;
}

const IDSTRING_RE = /^[A-Za-z0-9.-]+$/;

function sanitizeIdString(s: string): string {
  return s
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Element id for a ref: an SPDX ref that is already a valid id is kept (SPDX → SPDX keeps ids), any
 * other ref becomes `<prefix><readable part>-<12 hex of sha256(ref)>`.
 */
export function makeIdAllocator(prefix: string, fail: (msg: string, path: string) => never): (ref: string) => string {
  const byRef = new Map<string, string>();
  const used = new Set<string>([`${prefix}DOCUMENT`]);
  return (ref: string): string => {
    const have = byRef.get(ref);
    if (have) return have;
    let id: string;
    if (ref.startsWith(prefix) && IDSTRING_RE.test(ref.slice(prefix.length)) && !used.has(ref)) id = ref;
    else id = `${prefix}${sanitizeIdString(ref).slice(0, 64) || 'Element'}-${sha256Hex(ref).slice(0, 12)}`;
    if (used.has(id)) fail(`element id ${id} derived from ref ${JSON.stringify(ref)} collides with another element`, '/components');
    used.add(id);
    byRef.set(ref, id);
    return id;
  };
}

/** SPDX 2.3 primaryPackagePurpose for each model type; types without an exact counterpart also travel as stella:field:type. */
const PURPOSE: Record<ComponentType, string> = {
  application: 'APPLICATION',
  framework: 'FRAMEWORK',
  library: 'LIBRARY',
  container: 'CONTAINER',
  platform: 'OTHER',
  'operating-system': 'OPERATING-SYSTEM',
  device: 'DEVICE',
  'device-driver': 'OTHER',
  firmware: 'FIRMWARE',
  file: 'FILE',
  'machine-learning-model': 'OTHER',
  data: 'OTHER',
  'cryptographic-asset': 'OTHER',
};

export function spdxPurpose(t: ComponentType): { purpose: string; exact: boolean } {
  const purpose = PURPOSE[t] ?? 'OTHER';
  return { purpose, exact: purpose !== 'OTHER' };
}

export interface ExtractedLicense {
  licenseId: string;
  name?: string;
  extractedText: string;
  seeAlsos?: string[];
}

export interface SpdxLicenseView {
  declared?: string;
  concluded?: string;
  /** False when the list cannot be rebuilt exactly from declared/concluded (then `stella:licenses` carries it). */
  exact: boolean;
}

function licenseRefFor(name: string): string {
  return `LicenseRef-${sanitizeIdString(name) || 'unnamed'}-${sha256Hex(name).slice(0, 8)}`;
}

/** SPDX expression for one model license, registering LicenseRef definitions it needs. */
export function licenseExpressionOf(l: License, extracted: Map<string, ExtractedLicense>): string | undefined {
  if (l.expression !== undefined && l.expression !== '') {
    for (const m of l.expression.matchAll(/(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+/g)) {
      const id = m[0];
      if (id.startsWith('DocumentRef-') || extracted.has(id)) continue;
      extracted.set(id, { licenseId: id, extractedText: l.text ?? 'NOASSERTION', ...(l.url ? { seeAlsos: [l.url] } : {}) });
    }
    return l.expression;
  }
  if (l.name !== undefined && l.name !== '') {
    const id = licenseRefFor(l.name);
    if (!extracted.has(id)) extracted.set(id, { licenseId: id, name: l.name, extractedText: l.text ?? l.name, ...(l.url ? { seeAlsos: [l.url] } : {}) });
    return id;
  }
  return undefined;
}

function conjunction(exprs: string[]): string | undefined {
  const uniq = [...new Set(exprs)];
  if (uniq.length === 0) return undefined;
  if (uniq.length === 1) return uniq[0];
  return uniq.map((e) => (/\s/.test(e) ? `(${e})` : e)).join(' AND ');
}

/** Declared/concluded expressions for a component; licenses without acknowledgement count as declared. */
export function spdxLicenseView(c: Component, extracted: Map<string, ExtractedLicense>): SpdxLicenseView {
  const declared: string[] = [];
  const concluded: string[] = [];
  for (const l of c.licenses) {
    const e = licenseExpressionOf(l, extracted);
    if (e === undefined) continue;
    (l.acknowledgement === 'concluded' ? concluded : declared).push(e);
  }
  const perAck = new Map<string, number>();
  let exact = true;
  for (const l of c.licenses) {
    const k = l.acknowledgement ?? '';
    perAck.set(k, (perAck.get(k) ?? 0) + 1);
    if (l.acknowledgement === undefined || l.expression === undefined || l.name !== undefined || l.url !== undefined || l.text !== undefined) exact = false;
  }
  for (const n of perAck.values()) if (n > 1) exact = false;
  const view: SpdxLicenseView = { exact };
  const d = conjunction(declared);
  const cc = conjunction(concluded);
  if (d !== undefined) view.declared = d;
  if (cc !== undefined) view.concluded = cc;
  return view;
}

/**
 * Everything about a component SPDX has no slot for, as `stella:*` properties (plus the component's own
 * properties), sorted. `native` says which optional fields the caller wrote natively.
 */
export function spdxStellaProperties(c: Component, opts: { licensesExact: boolean; typeExact: boolean; native: ReadonlySet<StellaField> }): Property[] {
  // SPDX readers keep only `stella:*` annotations as properties, so the component's own ones are wrapped.
  const out: Property[] = [...c.properties.map(stellaWrappedProperty), ...componentToStellaProperties(c)];
  if (!opts.licensesExact && c.licenses.length > 0) out.push(stellaLicensesProperty(c.licenses));
  if (!opts.typeExact) out.push(stellaFieldProperty(c, 'type')!);
  if (c.parent !== undefined) out.push({ name: STELLA_PROP.parent, value: c.parent });
  for (const f of ['group', 'author', 'publisher', 'copyright', 'description', 'scope', 'supplier'] as const) {
    if (opts.native.has(f)) continue;
    const p = stellaFieldProperty(c, f);
    if (p) out.push(p);
  }
  for (const l of c.locations) out.push(stellaLocationProperty(l));
  for (const r of c.externalReferences) out.push(stellaExternalReferenceProperty(r));
  return sortProperties(out);
}

/**
 * `sourceInfo` text for the source package, in the wording Trivy uses ("built package from: glibc
 * 2.36-9"), which SPDX readers (ours included) already recognise.
 */
export function sourceInfoOf(s: { name: string; version?: string }): string {
  return `built package from: ${s.name}${s.version ? ` ${s.version}` : ''}`;
}

/** Annotation comment encoding of a property (`<name>=<value>`), as documented in stella-properties.ts. */
export function propertyComment(p: Property): string {
  return `${p.name}=${p.value}`;
}

export { cmp };
