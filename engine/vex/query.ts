/**
 * Consensus for components: which stored statements apply to a (component, vulnerability) and what
 * they add up to. Statements are found through the product-key index written at import
 * (`vex_products`: versionless purl, bom-ref, CPE vendor:product), filtered by the vulnerability's ids
 * and aliases, then checked against the component exactly
 * (versions, qualifiers, ranges, BOM serials; see _internal/product.ts) and joined in the lattice.
 *
 * `openVexIndex(store, { preload: true })` reads the product index of the current documents into memory
 * once, so a batch of 100,000 findings costs a few map lookups each (`consensusBatch`). What a batch
 * computes per component (its parsed purl, the statements naming it) is computed once per component,
 * not once per finding, and statements are parsed once per index. A preloaded index is kept per open
 * store for as long as the VEX set (`vexSetDigest`: current documents and trust settings) is unchanged,
 * so evaluating, explaining and simulating one scan after another reads the statements once.
 */
import { digestJson, type Digest, type VexConsensus, type VexProduct, type VexStatement } from '../core';
import { getLinkset } from '../advisories/linksets';
import type { Store } from '../store';
import type { PurlParts } from '../sbom/purl';
import { componentKeys, prepareComponent, productMismatch, purlBase, tryPurl, versionKey, type ComponentQuery, type PreparedComponent } from './_internal/product';
import { noConsensus, resolveSorted, type KeyedStatement } from './consensus';
import { currentVexDocuments, type RawVexRow } from './raw-store';
import { issuerKey, readTrustSettings, trustResolver, type EffectiveTrust, type TrustSettings } from './trust';

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
  /** The consensus, or null when no statement applies (what a policy reads as `vex.status == "none"`). */
  consensusIfAny(q: VexConsensusQuery): VexConsensus | null;
  /**
   * Read, in bulk, the statements naming any of these components (a batch does this first): one pass
   * over a document's rows is cheaper than a lookup per row once a good share of them is needed.
   */
  prefetch(components: readonly ComponentQuery[]): void;
  /** Statement count of the current documents. */
  readonly size: number;
  /** The VEX set this index reads (see `vexSetDigest`). */
  readonly setDigest: Digest;
}

/**
 * The identity of everything consensus reads: the current revision of every VEX document (by raw
 * digest) and the issuer trust settings. Equal digests give equal consensus for every component; a
 * replay manifest records it beside the policy pack digest.
 */
export function vexSetDigest(store: Store): Digest {
  return setDigestOf(currentVexDocuments(store), readTrustSettings(store));
}

function setDigestOf(docs: readonly RawVexRow[], trust: TrustSettings): Digest {
  return digestJson({ documents: docs.map((d) => d.digest).sort(), trust });
}

/** A statement as the index keeps it: parsed once, with what every check needs precomputed. */
interface IndexedStatement extends KeyedStatement {
  /** The statement's vulnerability and aliases, trimmed and upper-cased. */
  ids: readonly string[];
  products: readonly VexProduct[];
}

const byId = (a: IndexedStatement, b: IndexedStatement) => (a.statement.id < b.statement.id ? -1 : a.statement.id > b.statement.id ? 1 : 0);

function componentKeyOf(q: ComponentQuery): string {
  return `${q.purl ?? ''}\u0000${q.ref ?? ''}\u0000${q.version ?? ''}\u0000${q.sbomSerial ?? ''}\u0000${(q.cpes ?? []).join('\u0001')}`;
}

const preloaded = new WeakMap<Store, VexIndex>();
const MAX_REMEMBERED_COMPONENTS = 250_000;

export function openVexIndex(store: Store, opts: VexIndexOptions = {}): VexIndex {
  const docs = currentVexDocuments(store);
  const settings = readTrustSettings(store);
  const setDigest = setDigestOf(docs, settings);
  const expand = opts.expandAliases ?? !opts.preload;
  if (opts.preload && !expand) {
    const cached = preloaded.get(store);
    if (cached?.setDigest === setDigest) return cached;
  }
  const index = buildIndex(store, docs, settings, setDigest, opts.preload === true, expand);
  if (opts.preload && !expand) preloaded.set(store, index);
  return index;
}

function buildIndex(store: Store, docs: readonly RawVexRow[], settings: TrustSettings, setDigest: Digest, preload: boolean, expand: boolean): VexIndex {
  const visible = new Set(docs.map((d) => d.seq));
  const size = docs.reduce((n, d) => n + d.statement_count, 0);
  const trust = trustResolver(settings);
  const trustMemo = new Map<string, EffectiveTrust>();
  const trustOf = (s: VexStatement): EffectiveTrust => {
    const memoKey = `${s.raw.source}\u0000${s.issuer.name}\u0000${s.issuer.role ?? ''}`;
    let t = trustMemo.get(memoKey);
    if (!t) {
      t = trust(s);
      trustMemo.set(memoKey, t);
    }
    return t;
  };
  const db = store.db;
  const bodyStmt = db.prepare('SELECT body FROM vex_statements WHERE doc_seq = ? AND ordinal = ?').pluck();
  const rows = new Map<number, IndexedStatement>();
  const indexed = (k: number, body: string): IndexedStatement => {
    const statement = JSON.parse(body) as VexStatement;
    const ids = [...new Set([statement.vulnerability, ...statement.aliases].map((x) => x.trim().toUpperCase()))];
    const at = statement.timestamp === undefined ? Number.NaN : Date.parse(statement.timestamp);
    const r: IndexedStatement = {
      statement,
      trust: trustOf(statement),
      at: Number.isNaN(at) ? Number.NEGATIVE_INFINITY : at,
      issuerKey: issuerKey(statement.issuer.name),
      ids,
      products: statement.subcomponents?.length ? [statement.product, ...statement.subcomponents] : [statement.product],
    };
    rows.set(k, r);
    return r;
  };
  const load = (k: number): IndexedStatement => {
    const r = rows.get(k);
    if (r) return r;
    const body = bodyStmt.get(Math.floor(k / ORD_BITS), k % ORD_BITS) as string | undefined;
    if (body === undefined) throw new Error(`VEX statement ${Math.floor(k / ORD_BITS)}/${k % ORD_BITS} is indexed but missing`);
    return indexed(k, body);
  };
  const docRows = db.prepare('SELECT ordinal, body FROM vex_statements WHERE doc_seq = ?').raw();
  const statementCount = new Map(docs.map((d) => [d.seq, d.statement_count]));
  let byProduct: (key: string) => readonly number[];
  if (preload) {
    const products = new Map<string, number[]>();
    if (size > 0) {
      for (const [key, seq, ordinal] of db.prepare('SELECT key, doc_seq, ordinal FROM vex_products').raw().iterate() as Iterable<[string, number, number]>) {
        if (!visible.has(seq)) continue;
        const list = products.get(key);
        if (list) list.push(rowKey(seq, ordinal));
        else products.set(key, [rowKey(seq, ordinal)]);
      }
    }
    byProduct = (k) => products.get(k) ?? [];
  } else {
    const prodStmt = db.prepare('SELECT doc_seq, ordinal FROM vex_products WHERE key = ?').raw();
    byProduct = (k) => (size > 0 ? (prodStmt.all(k) as [number, number][]).filter((r) => visible.has(r[0])).map((r) => rowKey(r[0], r[1])) : []);
  }
  const purlCache = new Map<string, PurlParts | null>();

  // The statements naming a component, whatever their vulnerability, sorted by statement id: computed
  // once per component. Start from the component's product keys (a handful of rows) rather than the
  // vulnerability's (one CVE can have tens of thousands of statements across products).
  const components = new Map<string, readonly IndexedStatement[]>();
  const prepared = new Map<string, PreparedComponent>();
  const prepare = (key: string, q: ComponentQuery): PreparedComponent => {
    let c = prepared.get(key);
    if (!c) {
      c = prepareComponent(q, purlCache);
      if (preload) prepared.set(key, c);
    }
    return c;
  };
  // A package can have statements about hundreds of its versions: group the statements under a purl key
  // by the version their purl names (statements without one, or with version ranges, are checked for
  // every component), so a component is checked against its own version's statements only.
  const byVersion = new Map<string, { versions: Map<string, IndexedStatement[]>; any: IndexedStatement[] }>();
  const purlGroups = (key: string): { versions: Map<string, IndexedStatement[]>; any: IndexedStatement[] } => {
    let g = byVersion.get(key);
    if (g) return g;
    g = { versions: new Map(), any: [] };
    for (const r of byProduct(key)) {
      const s = load(r);
      let placed = false;
      for (const p of s.products) {
        if (!p.purl || p.versions?.length) continue;
        let parts = purlCache.get(p.purl);
        if (parts === undefined) {
          parts = tryPurl(p.purl);
          purlCache.set(p.purl, parts);
        }
        if (!parts?.version || `purl:${purlBase(parts)}` !== key) continue;
        const v = versionKey(parts.version);
        const list = g.versions.get(v);
        if (list) list.push(s);
        else g.versions.set(v, [s]);
        placed = true;
      }
      // Named by a versionless purl, a versioned purl with ranges, or also by ref/CPE: checked every time.
      if (!placed || s.products.length > 1) g.any.push(s);
    }
    if (preload) byVersion.set(key, g);
    return g;
  };
  const naming = (q: ComponentQuery): readonly IndexedStatement[] => {
    const key = componentKeyOf(q);
    let list = components.get(key);
    if (list) return list;
    const c = prepare(key, q);
    prepared.delete(key);
    const found = new Map<string, IndexedStatement>();
    const check = (s: IndexedStatement) => {
      if (!found.has(s.statement.id) && s.products.some((p) => productMismatch(p, c, purlCache) === undefined)) found.set(s.statement.id, s);
    };
    const purlKey = c.base !== undefined ? `purl:${c.base}` : undefined;
    if (purlKey !== undefined) {
      const g = purlGroups(purlKey);
      for (const s of g.any) check(s);
      if (c.version !== undefined) for (const s of g.versions.get(versionKey(c.version)) ?? []) check(s);
    }
    for (const k of componentKeys(c)) {
      if (k === purlKey) continue;
      for (const r of byProduct(k)) check(load(r));
    }
    list = [...found.values()].sort(byId);
    // One-off queries (preload off) see each component once; a batch sees it once per finding. A kept
    // index starts over past a bound rather than growing with every scan a long-lived worker reads.
    if (preload) {
      if (components.size >= MAX_REMEMBERED_COMPONENTS) components.clear();
      if (prepared.size >= MAX_REMEMBERED_COMPONENTS) prepared.clear();
      components.set(key, list);
    }
    return list;
  };

  const idsOf = (q: VexConsensusQuery): { keys: Set<string>; aliases: string[] } => {
    const aliases = new Set<string>();
    for (const a of q.aliases ?? []) {
      const t = a.trim();
      if (t) aliases.add(t);
    }
    if (expand) {
      const l = getLinkset(store, q.vulnerabilityId);
      if (l) for (const a of [l.id, ...l.aliases]) aliases.add(a);
    }
    aliases.delete(q.vulnerabilityId);
    const keys = new Set<string>();
    for (const x of [q.vulnerabilityId, ...aliases]) {
      const k = x.trim().toUpperCase();
      if (k) keys.add(k);
    }
    return { keys, aliases: [...aliases].sort() };
  };

  const applicableStatements = (q: VexConsensusQuery, keys: ReadonlySet<string>): IndexedStatement[] => naming(q).filter((s) => s.ids.some((id) => keys.has(id)));

  const prefetch = (qs: readonly ComponentQuery[]): void => {
    // Product keys first: many findings share a package, and a package's rows are read once.
    const keys = new Set<string>();
    for (const q of qs) {
      const key = componentKeyOf(q);
      if (components.has(key)) continue;
      for (const k of componentKeys(prepare(key, q))) keys.add(k);
    }
    const wanted = new Map<number, Set<number>>();
    for (const k of keys) {
      for (const r of byProduct(k)) {
        if (rows.has(r)) continue;
        const seq = Math.floor(r / ORD_BITS);
        const set = wanted.get(seq);
        if (set) set.add(r % ORD_BITS);
        else wanted.set(seq, new Set([r % ORD_BITS]));
      }
    }
    for (const [seq, ordinals] of wanted) {
      // A lookup per row costs about four rows of a full pass (measured): below a quarter, look up.
      if (ordinals.size * 4 < (statementCount.get(seq) ?? 0)) continue;
      for (const [ordinal, body] of docRows.iterate(seq) as Iterable<[number, string]>) if (ordinals.has(ordinal)) indexed(rowKey(seq, ordinal), body);
    }
  };

  const consensusOf = (q: VexConsensusQuery, orNone: boolean): VexConsensus | null => {
    const { keys, aliases } = idsOf(q);
    const statements = applicableStatements(q, keys);
    if (!statements.length && !orNone) return null;
    const component = { ...(q.purl ? { purl: q.purl } : {}), ...(q.ref ? { ref: q.ref } : {}), ...(q.version ? { version: q.version } : {}) };
    const query = { vulnerability: { id: q.vulnerabilityId, aliases }, component };
    return statements.length ? resolveSorted(statements, query) : noConsensus(query);
  };

  return {
    size,
    setDigest,
    prefetch,
    applicable(q) {
      const { keys, aliases } = idsOf(q);
      return { statements: applicableStatements(q, keys).map((s) => s.statement), aliases };
    },
    consensus(q) {
      return consensusOf(q, true) as VexConsensus;
    },
    consensusIfAny(q) {
      return consensusOf(q, false);
    },
  };
}

/** The consensus of the stored VEX about one component and one vulnerability (aliases followed through linksets). */
export function consensusFor(store: Store, q: VexConsensusQuery): VexConsensus {
  return openVexIndex(store).consensus(q);
}

/** Consensus for many findings at once (one index read; aliases as the findings carry them). */
export function consensusBatch(store: Store, queries: readonly VexConsensusQuery[]): VexConsensus[] {
  const index = openVexIndex(store, { preload: true });
  index.prefetch(queries);
  return queries.map((q) => index.consensus(q));
}

/** `consensusBatch` with null where no statement applies (what policy evaluation takes): no object for the many findings VEX says nothing about. */
export function applicableConsensusBatch(store: Store, queries: readonly VexConsensusQuery[]): (VexConsensus | null)[] {
  const index = openVexIndex(store, { preload: true });
  index.prefetch(queries);
  return queries.map((q) => index.consensusIfAny(q));
}
