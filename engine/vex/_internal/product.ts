/**
 * Products and components: normalizing what a statement names, the keys it is indexed under, and
 * whether it applies to one component.
 *
 * - purl: the versionless purl (type/namespace/name) must be equal; a statement purl with a version
 *   covers only that version (a leading `v` is ignored on both sides: `pkg:nodejs/node@v5.1.1` names
 *   node 5.1.1); without a version it covers every version. Qualifiers the statement gives must be
 *   present with the same value on the component (a statement about `arch=x86_64` does not cover arm).
 * - ref: a bom-ref, or a BOM-Link `urn:cdx:<serial>/<version>#<bom-ref>`; when both the statement and
 *   the component know their BOM's serial number, those must agree too.
 * - cpe: vendor and product equal; a `*`/`-`/absent version covers every version.
 * - versions (CycloneDX `affects[].versions`): the component's version must be one of them or inside
 *   one of the `vers:` ranges.
 */
import type { VexProduct } from '../../core';
import { parseCpe } from '../../match';
import { parsePurl, type PurlParts } from '../../sbom/purl';
import { parseVers, versContains } from './vers';

/** The component a consensus is asked for. */
export interface ComponentQuery {
  purl?: string;
  /** bom-ref, or a BOM-Link `urn:cdx:<serial>/<version>#<ref>`. */
  ref?: string;
  /** Version when the purl has none (a ref-only component, or a BOM subject). */
  version?: string;
  cpes?: string[];
  /** serialNumber of the component's SBOM (`urn:uuid:…`), for BOM-Link statements. */
  sbomSerial?: string;
}

/** A component query parsed once for many statement checks. */
export interface PreparedComponent {
  purl?: string;
  parts?: PurlParts;
  base?: string;
  ref?: string;
  serial?: string;
  version?: string;
  cpes: { vendor: string; product: string; version?: string }[];
}

export function purlBase(p: PurlParts): string {
  return `${p.type}/${p.namespace ?? ''}/${p.name}`;
}

/** Parse a purl leniently (null when it is not one). */
export function tryPurl(s: string): PurlParts | null {
  try {
    return parsePurl(s);
  } catch {
    return null;
  }
}

/** `urn:cdx:<serial>/<version>#<ref>` → parts; a plain bom-ref → just the ref. */
export function splitBomLink(ref: string): { serial?: string; ref: string } {
  const m = /^urn:cdx:([^/#]+)(?:\/\d+)?#(.+)$/i.exec(ref);
  if (!m) return { ref };
  let frag = m[2] as string;
  try {
    frag = decodeURIComponent(frag);
  } catch {
    // keep the fragment as written
  }
  return { serial: (m[1] as string).toLowerCase(), ref: frag };
}

/** The uuid of a serial number (`urn:uuid:X` → x) so SBOM serials and BOM-Link serials compare. */
export function serialKey(serial: string): string {
  return serial.trim().toLowerCase().replace(/^urn:uuid:/, '');
}

export function prepareComponent(q: ComponentQuery, cache?: Map<string, PurlParts | null>): PreparedComponent {
  const out: PreparedComponent = { cpes: [] };
  if (q.purl) {
    let parts = cache?.get(q.purl);
    if (parts === undefined) {
      parts = tryPurl(q.purl);
      cache?.set(q.purl, parts);
    }
    if (parts) {
      out.parts = parts;
      out.base = purlBase(parts);
      out.purl = q.purl;
      if (parts.version) out.version = parts.version;
    }
  }
  if (q.version) out.version = q.version;
  if (q.ref) {
    const b = splitBomLink(q.ref);
    out.ref = b.ref;
    if (b.serial) out.serial = b.serial;
  }
  if (q.sbomSerial) out.serial = serialKey(q.sbomSerial);
  for (const c of q.cpes ?? []) {
    const p = parseCpe(c);
    if (p) out.cpes.push({ vendor: p.vendor.toLowerCase(), product: p.product.toLowerCase(), ...(p.version ? { version: p.version } : {}) });
  }
  return out;
}

const stripV = (v: string) => v.replace(/^v(?=\d)/i, '');

export function sameVersion(a: string, b: string): boolean {
  return a === b || stripV(a) === stripV(b);
}

/** Keys a product is indexed under (vex_products): how a component finds the statements about it. */
export function productKeys(p: VexProduct): string[] {
  const keys: string[] = [];
  if (p.purl) {
    const parts = tryPurl(p.purl);
    if (parts) keys.push(`purl:${purlBase(parts)}`);
  }
  if (p.ref) keys.push(`ref:${splitBomLink(p.ref).ref}`);
  if (p.cpe) {
    const c = parseCpe(p.cpe);
    if (c) keys.push(`cpe:${c.vendor.toLowerCase()}:${c.product.toLowerCase()}`);
  }
  return [...new Set(keys)].sort();
}

/** The version part of a version match: `v1.2` and `1.2` are one version (see `sameVersion`). */
export function versionKey(v: string): string {
  return stripV(v);
}

/** Keys a component is looked up by. */
export function componentKeys(c: PreparedComponent): string[] {
  const keys: string[] = [];
  if (c.base) keys.push(`purl:${c.base}`);
  if (c.ref) keys.push(`ref:${c.ref}`);
  for (const x of c.cpes) keys.push(`cpe:${x.vendor}:${x.product}`);
  return keys;
}

/** Why a product does not apply to a component (undefined when it does). */
export function productMismatch(p: VexProduct, c: PreparedComponent, cache?: Map<string, PurlParts | null>, opts: { unknownVersionMatches?: boolean } = {}): string | undefined {
  let identified = false;
  let why: string | undefined = 'the statement names no purl, CPE or bom-ref this component has';
  if (p.purl && c.parts) {
    let sp = cache?.get(p.purl);
    if (sp === undefined) {
      sp = tryPurl(p.purl);
      cache?.set(p.purl, sp);
    }
    if (sp && purlBase(sp) === c.base) {
      if (sp.version && !(c.version && sameVersion(sp.version, c.version))) why = `the statement covers version ${sp.version}, the component is ${c.version ?? 'unversioned'}`;
      else if (sp.qualifiers && Object.entries(sp.qualifiers).some(([k, v]) => c.parts?.qualifiers?.[k] !== v)) why = `the statement's purl qualifiers ${JSON.stringify(sp.qualifiers)} are not all on the component`;
      else identified = true;
    }
  }
  if (!identified && p.ref && c.ref) {
    const b = splitBomLink(p.ref);
    if (b.ref === c.ref) {
      if (b.serial && c.serial && serialKey(b.serial) !== c.serial) why = `the statement's BOM-Link names BOM ${b.serial}, the component is in ${c.serial}`;
      else identified = true;
    }
  }
  if (!identified && p.cpe && c.cpes.length) {
    const sc = parseCpe(p.cpe);
    if (sc) {
      const v = sc.version && sc.version !== '*' && sc.version !== '-' ? sc.version : undefined;
      for (const cc of c.cpes) {
        if (cc.vendor !== sc.vendor.toLowerCase() || cc.product !== sc.product.toLowerCase()) continue;
        const cv = cc.version && cc.version !== '*' && cc.version !== '-' ? cc.version : c.version;
        if (v && !(cv && sameVersion(v, cv))) {
          why = `the statement's CPE covers version ${v}, the component is ${cv ?? 'unversioned'}`;
          continue;
        }
        identified = true;
        break;
      }
    }
  }
  if (!identified) return why;
  if (p.versions?.length) return !c.version && opts.unknownVersionMatches ? undefined : versionsMismatch(p, c.version);
  return undefined;
}

function versionsMismatch(p: VexProduct, version: string | undefined): string | undefined {
  if (!version) return 'the statement covers listed versions only and the component has no version';
  for (const v of p.versions ?? []) {
    if (v.version !== undefined && sameVersion(v.version, version)) return undefined;
    if (v.range !== undefined) {
      const r = parseVers(v.range);
      try {
        if (r && versContains(r, version)) return undefined;
      } catch {
        // a version the range's scheme cannot compare is simply not inside it
      }
    }
  }
  return `version ${version} is not among the statement's versions (${(p.versions ?? []).map((v) => v.version ?? v.range).join(', ')})`;
}

/** The one-string form of a product for reports (purl, else CPE, else ref, else name). */
export function productLabel(p: VexProduct): string {
  return p.purl ?? p.cpe ?? p.ref ?? p.name ?? '';
}
