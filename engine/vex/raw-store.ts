/**
 * The raw VEX store (Aggregation-Only Contract), the same way as advisories: each document is kept
 * byte-exact in the blob store with its provenance (source, uri, format, issuer, import time); a
 * re-import of the same bytes changes nothing; a changed document with the same identity is a new
 * revision that supersedes the previous one, which stays stored. Statements are derived per revision
 * and keep what the source said — trust, consensus and linkset aliases are computed when read.
 *
 * The current revision of an identity is the one with the highest document version (OpenVEX/CycloneDX
 * `version`, CSAF `tracking.version`), the newest import breaking ties: importing an older revision
 * after a newer one stores it without making it current.
 */
import { sha256Digest, sha256Hex, type Digest, type VexStatement } from '../core';
import { comparatorFor } from '../match';
import type { RawChainRow, Store } from '../store';
import type { ParsedVexDocument } from './_internal/draft';
import { productKeys } from './_internal/product';

export interface RawVexRow extends RawChainRow {
  source: string;
  format: string;
  spec_version: string | null;
  doc_version: string | null;
  issuer: string;
  statement_count: number;
}

export type StoreOutcome = 'new' | 'unchanged' | 'superseded';

export interface StoredVexDocument {
  seq: number;
  digest: Digest;
  outcome: StoreOutcome;
  statements: VexStatement[];
}

/** `vexst_` + 24 hex of sha256(raw digest, ordinal): stable for one statement of one raw revision. */
export function statementId(rawDigest: string, ordinal: number): string {
  return `vexst_${sha256Hex(`${rawDigest}#${ordinal}`).slice(0, 24)}`;
}

export function identityKeyOf(parsed: ParsedVexDocument): string {
  return `${parsed.format}|${parsed.identity}`;
}

/** Statements of a parsed document as they are stored for these raw bytes. */
export function materialize(parsed: ParsedVexDocument, digest: Digest, source: string, uri: string): VexStatement[] {
  return parsed.statements.map((d, ordinal) => {
    const { path, ...rest } = d;
    return {
      id: statementId(digest, ordinal),
      ...rest,
      raw: { digest, source, uri, format: parsed.format, specVersion: parsed.specVersion, path },
    };
  });
}

/**
 * Store one parsed document (blob first, then its rows in one transaction). Call outside a transaction:
 * the blob write is a file write, the rows are a BEGIN IMMEDIATE transaction of their own.
 */
export function storeVexDocument(store: Store, parsed: ParsedVexDocument, input: { uri: string; bytes: Uint8Array }, opts: { source: string; importedAt: string }): StoredVexDocument {
  const digest = sha256Digest(input.bytes);
  const statements = materialize(parsed, digest, opts.source, input.uri);
  // Blob first (content-addressed, idempotent): a crash before the rows commit leaves an unreferenced blob only.
  if (!store.blobs.has(digest)) store.blobs.put(input.bytes);
  const key = identityKeyOf(parsed);
  const db = store.db;
  return store.write(() => {
    const prev = db.prepare('SELECT seq, digest, revision FROM vex_raw_documents WHERE identity_key = ? ORDER BY revision DESC LIMIT 1').get(key) as
      | { seq: number; digest: string; revision: number }
      | undefined;
    if (prev?.digest === digest) return { seq: prev.seq, digest, outcome: 'unchanged' as const, statements: readStatements(store, prev.seq) };
    const info = db
      .prepare(
        `INSERT INTO vex_raw_documents (digest, identity_key, revision, supersedes_seq, supersedes, source, uri, format, spec_version, doc_version, issuer, size, imported_at, statement_count)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        digest,
        key,
        prev ? prev.revision + 1 : 1,
        prev?.seq ?? null,
        prev?.digest ?? null,
        opts.source,
        input.uri,
        parsed.format,
        parsed.specVersion,
        parsed.docVersion ?? null,
        parsed.issuer.name,
        input.bytes.byteLength,
        opts.importedAt,
        statements.length,
      );
    const seq = Number(info.lastInsertRowid);
    const insS = db.prepare('INSERT INTO vex_statements (id, doc_seq, ordinal, vulnerability_id, status, body) VALUES (?, ?, ?, ?, ?, ?)');
    const insI = db.prepare('INSERT OR IGNORE INTO vex_ids (key, doc_seq, ordinal) VALUES (?, ?, ?)');
    const insP = db.prepare('INSERT OR IGNORE INTO vex_products (key, doc_seq, ordinal) VALUES (?, ?, ?)');
    db.prepare('INSERT OR IGNORE INTO blob_refs (digest, kind, size) VALUES (?, ?, ?)').run(digest, 'vex-raw', input.bytes.byteLength);
    statements.forEach((s, ordinal) => {
      insS.run(s.id, seq, ordinal, s.vulnerability, s.status, JSON.stringify(s));
      for (const k of new Set([s.vulnerability, ...s.aliases].map((x) => x.trim().toUpperCase()).filter(Boolean))) insI.run(k, seq, ordinal);
      for (const k of new Set([s.product, ...(s.subcomponents ?? [])].flatMap(productKeys))) insP.run(k, seq, ordinal);
    });
    return { seq, digest, outcome: prev ? ('superseded' as const) : ('new' as const), statements };
  });
}

export function readStatements(store: Store, docSeq: number): VexStatement[] {
  return (store.db.prepare('SELECT body FROM vex_statements WHERE doc_seq = ? ORDER BY ordinal').all(docSeq) as { body: string }[]).map((r) => JSON.parse(r.body) as VexStatement);
}

const versionOrder = comparatorFor('ECOSYSTEM', 'CPE');

function docVersionCmp(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return versionOrder(a, b);
}

/** The current revision of every identity (highest document version, newest import on ties), by seq. */
export function currentVexDocuments(store: Store, filter: { source?: string; maxSeq?: number } = {}): RawVexRow[] {
  // `maxSeq`: the current revisions as they were when that row was the newest (rows are append-only).
  const maxSeq = filter.maxSeq ?? Number.MAX_SAFE_INTEGER;
  const rows = (
    filter.source === undefined
      ? store.db.prepare('SELECT * FROM vex_raw_documents WHERE seq <= ? ORDER BY seq').all(maxSeq)
      : store.db.prepare('SELECT * FROM vex_raw_documents WHERE source = ? AND seq <= ? ORDER BY seq').all(filter.source, maxSeq)
  ) as RawVexRow[];
  const best = new Map<string, RawVexRow>();
  for (const r of rows) {
    const cur = best.get(r.identity_key);
    if (!cur || docVersionCmp(r.doc_version, cur.doc_version) >= 0) best.set(r.identity_key, r);
  }
  return [...best.values()].sort((a, b) => a.seq - b.seq);
}

/** Every stored raw VEX document revision (oldest first). */
export function listVexDocuments(store: Store): RawVexRow[] {
  return store.db.prepare('SELECT * FROM vex_raw_documents ORDER BY seq').all() as RawVexRow[];
}
