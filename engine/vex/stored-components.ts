/**
 * Does a statement name any component the store holds? Used by import to report statements that
 * match nothing (`unmatched`) instead of dropping them. Components are the rows of every stored SBOM
 * plus each SBOM's subject (CycloneDX metadata.component, which VEX documents often name by bom-ref),
 * with the SBOM's serial number for BOM-Link statements.
 */
import type { VexProduct, VexStatement } from '../core';
import { getSbom, listSboms } from '../sbom';
import { formatPurl } from '../sbom/purl';
import type { Store } from '../store';
import { prepareComponent, productLabel, productMismatch, purlBase, splitBomLink, tryPurl, type PreparedComponent } from './_internal/product';
import { currentVexDocuments, readStatements } from './raw-store';

/** A stored component without a version (a BOM subject often has none) is named by a versioned statement. */
const LENIENT = { unknownVersionMatches: true };

export interface StoredComponentMatcher {
  /** Undefined when some stored component matches; else why none does. */
  unmatchedReason(s: VexStatement): string | undefined;
}

export function storedComponentMatcher(store: Store): StoredComponentMatcher {
  const db = store.db;
  const byPurlRange = db.prepare('SELECT sbom_id, ref, version, purl FROM sbom_components WHERE purl >= ? AND purl < ? ORDER BY sbom_id, ref');
  const byRef = db.prepare('SELECT sbom_id, ref, version, purl FROM sbom_components WHERE ref = ? ORDER BY sbom_id');
  let sbomInfo: Map<string, { serial?: string; subject?: PreparedComponent }> | undefined;
  // SBOM serials and subjects live in the inventory blobs: read once, only when a statement needs them.
  const info = () => {
    if (!sbomInfo) {
      sbomInfo = new Map();
      for (const r of listSboms(store)) {
        const s = getSbom(store, r.id);
        if (!s) continue;
        const serial = s.inventory.document.serialNumber;
        const subj = s.inventory.subject;
        sbomInfo.set(r.id, {
          ...(serial ? { serial } : {}),
          ...(subj ? { subject: prepareComponent({ ref: subj.ref, ...(subj.purl ? { purl: subj.purl } : {}), ...(subj.version ? { version: subj.version } : {}), cpes: subj.cpes, ...(serial ? { sbomSerial: serial } : {}) }) } : {}),
        });
      }
    }
    return sbomInfo;
  };
  const rowComponent = (r: { sbom_id: string; ref: string; version: string | null; purl: string | null }, withSerial: boolean): PreparedComponent => {
    const serial = withSerial ? info().get(r.sbom_id)?.serial : undefined;
    return prepareComponent({ ref: r.ref, ...(r.purl ? { purl: r.purl } : {}), ...(r.version ? { version: r.version } : {}), ...(serial ? { sbomSerial: serial } : {}) });
  };
  const candidates = (p: VexProduct): PreparedComponent[] => {
    const out: PreparedComponent[] = [];
    if (p.purl) {
      const parts = tryPurl(p.purl);
      if (parts) {
        const prefix = formatPurl({ ...parts, version: null, qualifiers: null, subpath: null });
        for (const r of byPurlRange.all(prefix, `${prefix}\uffff`) as { sbom_id: string; ref: string; version: string | null; purl: string | null }[]) {
          const c = rowComponent(r, false);
          if (c.base === purlBase(parts)) out.push(c);
        }
      }
    }
    if (p.ref) {
      const b = splitBomLink(p.ref);
      for (const r of byRef.all(b.ref) as { sbom_id: string; ref: string; version: string | null; purl: string | null }[]) out.push(rowComponent(r, b.serial !== undefined));
    }
    return out;
  };
  return {
    unmatchedReason(s) {
      const products = [s.product, ...(s.subcomponents ?? [])];
      if (!products.some((p) => p.purl || p.ref || p.cpe)) {
        return products.some((p) => p.name) ? `the product is named only (${products.map((p) => p.name).filter(Boolean).join(', ')}): no purl, CPE or bom-ref to match` : 'the statement names no product';
      }
      let reason: string | undefined;
      for (const p of products) {
        for (const c of candidates(p)) {
          const why = productMismatch(p, c, undefined, LENIENT);
          if (why === undefined) return undefined;
          reason ??= why;
        }
      }
      // Subjects (and CPE products) are checked against every SBOM's subject.
      for (const [, i] of info()) {
        if (!i.subject) continue;
        for (const p of products) {
          const why = productMismatch(p, i.subject, undefined, LENIENT);
          if (why === undefined) return undefined;
        }
      }
      return reason ? `no stored component matches: ${reason}` : 'no stored component has this purl, CPE or bom-ref';
    },
  };
}

export interface StoredUnmatchedStatement {
  /** The document's uri as imported. */
  document: string;
  digest: string;
  statementId: string;
  vulnerability: string;
  product: string;
  status: VexStatement['status'];
  issuer: string;
  reason: string;
}

/**
 * Statements of the current VEX documents that name no stored component (import reports them; they
 * stay stored and are listed here until an SBOM with such a component arrives). At most `limit`.
 */
export function unmatchedStatements(store: Store, limit = 10_000): StoredUnmatchedStatement[] {
  const matcher = storedComponentMatcher(store);
  const out: StoredUnmatchedStatement[] = [];
  const docs = currentVexDocuments(store);
  for (const d of docs) {
    for (const s of readStatements(store, d.seq)) {
      const reason = matcher.unmatchedReason(s);
      if (reason === undefined) continue;
      out.push({ document: d.uri, digest: d.digest, statementId: s.id, vulnerability: s.vulnerability, product: productLabel(s.product), status: s.status, issuer: s.issuer.name, reason });
      if (out.length >= limit) return out;
    }
  }
  return out;
}
