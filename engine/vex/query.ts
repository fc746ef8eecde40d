/**
 * Consensus for components: which stored statements apply to a (component, vulnerability) and what
 * they add up to. Statements are found through the product-key index written at import
 * (`vex_products`: versionless purl, bom-ref, CPE vendor:product), filtered by the vulnerability's ids
 * and aliases, then checked against the component exactly
 * (versions, qualifiers, ranges, BOM serials; see _internal/product.ts) and joined in the lattice.
 *
 * `openVexIndex(store, { preload: true })` reads the product index of the current documents into memory
 * once, so a batch of 100,000 findings costs a few map lookups each (`consensusBatch`).
 */
import type { VexConsensus, VexStatement } from '../core';
import { getLinkset } from '../advisories';
import type { Store } from '../store';
import type { PurlParts } from '../sbom/purl';
import { componentKeys, prepareComponent, productMismatch, type ComponentQuery, type PreparedComponent } from './_internal/product';
import { elementOf, resolveConsensus, type TrustedStatement } from './consensus';
import { currentVexDocuments } from './raw-store';
import { readTrustSettings, trustResolver, type EffectiveTrust } from './trust';

export interface VexConsensusQuery extends ComponentQuery {
  vulnerabilityId: string;
  /** Other ids of the vulnerability (a finding's aliases); statements under any of them count. */
  aliases?: string[];
}

export interface VexIndexOptions {
  /** Read the whole index into memory (batches); default false (a few SQL lookups per query). */
  preload?: boolean;
  /** Also follow the advisory linkset of each asked id to its aliases (default: true for single queries, false for batches, whose findings carry their aliases). */
  expandAliases?: boolean;
}

// A statement row as one number: doc seq × 2^22 + ordinal (documents of up to 4 million statements).
const ORD_BITS = 4194304;
const rowKey = (seq: number, ordinal: number) => seq * ORD_BITS + ordinal;

export interface VexIndex {
  /** Statements about this vulnerability that apply to this component (unfiltered by trust). */
  applicable(q: VexConsensusQuery): { statements: VexStatement[]; aliases: string[] };
  consensus(q: VexConsensusQuery): VexConsensus;
  /** Statement count of the current documents. */
  readonly size: number;
}

export function openVexIndex(store: Store, opts: VexIndexOptions = {}): VexIndex {
  const docs = currentVexDocuments(store);
  const visible = new Set(docs.map((d) => d.seq));
  const size = docs.reduce((n, d) => n + d.statement_count, 0);
  const trust = trustResolver(readTrustSettings(store));
  const trustMemo = new Map<string, EffectiveTrust>();
  const db = store.db;
  const bodyStmt = db.prepare('SELECT body FROM vex_statements WHERE doc_seq = ? AND ordinal = ?');
  const bodies = new Map<number, VexStatement>();
  const load = (k: number): VexStatement => {
    let s = bodies.get(k);
    if (!s) {
      const row = bodyStmt.get(Math.floor(k / ORD_BITS), k % ORD_BITS) as { body: string } | undefined;
      if (!row) throw new Error(`VEX statement ${Math.floor(k / ORD_BITS)}/${k % ORD_BITS} is indexed but missing`);
      s = JSON.parse(row.body) as VexStatement;
      bodies.set(k, s);
    }
    return s;
  };
  let byProduct: (key: string) => readonly number[];
  if (opts.preload) {
    const products = new Map<string, number[]>();
    const fill = (sql: string, into: Map<string, number[]>) => {
      for (const r of db.prepare(sql).iterate() as Iterable<{ key: string; doc_seq: number; ordinal: number }>) {
        if (!visible.has(r.doc_seq)) continue;
        const list = into.get(r.key);
        if (list) list.push(rowKey(r.doc_seq, r.ordinal));
        else into.set(r.key, [rowKey(r.doc_seq, r.ordinal)]);
      }
    };
    if (size > 0) {
      fill('SELECT key, doc_seq, ordinal FROM vex_products', products);
    }
    byProduct = (k) => products.get(k) ?? [];
  } else {
    const prodStmt = db.prepare('SELECT doc_seq, ordinal FROM vex_products WHERE key = ?');
    const rows = (stmt: typeof prodStmt, k: string) => (stmt.all(k) as { doc_seq: number; ordinal: number }[]).filter((r) => visible.has(r.doc_seq)).map((r) => rowKey(r.doc_seq, r.ordinal));
    byProduct = (k) => (size > 0 ? rows(prodStmt, k) : []);
  }
  const expand = opts.expandAliases ?? !opts.preload;
  const purlCache = new Map<string, PurlParts | null>();

  // Start from the component's product keys (a handful of rows) rather than the vulnerability's (one
  // CVE can have tens of thousands of statements across products), then check the ids on the statement.
  const applicableTo = (c: PreparedComponent, idKeys: string[]): VexStatement[] => {
    const hits = new Set<number>();
    for (const k of componentKeys(c)) for (const r of byProduct(k)) hits.add(r);
    if (!hits.size) return [];
    const wanted = new Set(idKeys);
    const out: VexStatement[] = [];
    for (const r of [...hits].sort((a, b) => a - b)) {
      const s = load(r);
      if (!wanted.has(s.vulnerability.trim().toUpperCase()) && !s.aliases.some((a) => wanted.has(a.trim().toUpperCase()))) continue;
      const products = [s.product, ...(s.subcomponents ?? [])];
      if (products.some((p) => productMismatch(p, c, purlCache) === undefined)) out.push(s);
    }
    return out;
  };

  const idsOf = (q: VexConsensusQuery): { keys: string[]; aliases: string[] } => {
    const aliases = new Set((q.aliases ?? []).map((a) => a.trim()).filter(Boolean));
    if (expand) {
      const l = getLinkset(store, q.vulnerabilityId);
      if (l) for (const a of [l.id, ...l.aliases]) aliases.add(a);
    }
    aliases.delete(q.vulnerabilityId);
    const keys = [...new Set([q.vulnerabilityId, ...aliases].map((x) => x.trim().toUpperCase()).filter(Boolean))];
    return { keys, aliases: [...aliases].sort() };
  };

  const index: VexIndex = {
    size,
    applicable(q) {
      const { keys, aliases } = idsOf(q);
      return { statements: applicableTo(prepareComponent(q), keys), aliases };
    },
    consensus(q) {
      const { statements, aliases } = index.applicable(q);
      const trusted: TrustedStatement[] = statements.map((statement) => {
        const memoKey = `${statement.raw.source}\u0000${statement.issuer.name}\u0000${statement.issuer.role ?? ''}`;
        let t = trustMemo.get(memoKey);
        if (!t) {
          t = trust(statement);
          trustMemo.set(memoKey, t);
        }
        return { statement, trust: t };
      });
      const component = { ...(q.purl ? { purl: q.purl } : {}), ...(q.ref ? { ref: q.ref } : {}), ...(q.version ? { version: q.version } : {}) };
      return resolveConsensus(elementOf(trusted), { vulnerability: { id: q.vulnerabilityId, aliases }, component });
    },
  };
  return index;
}

/** The consensus of the stored VEX about one component and one vulnerability (aliases followed through linksets). */
export function consensusFor(store: Store, q: VexConsensusQuery): VexConsensus {
  return openVexIndex(store).consensus(q);
}

/** Consensus for many findings at once (one index read; aliases as the findings carry them). */
export function consensusBatch(store: Store, queries: readonly VexConsensusQuery[]): VexConsensus[] {
  const index = openVexIndex(store, { preload: true });
  return queries.map((q) => index.consensus(q));
}
