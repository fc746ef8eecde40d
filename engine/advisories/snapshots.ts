/**
 * Feed snapshots. A snapshot id is the digest of the canonical JSON of the sorted list of raw document
 * digests current at that point. Because raw rows are append-only and "current" means "not superseded",
 * the set of documents of a snapshot is fully determined by the highest raw `seq` it saw, which is
 * what a snapshot row stores; "as of snapshot X" queries replay that.
 */
import { digestJson } from '../core';
import type { Store } from '../store';
import { AdvisoryError } from './errors';

export interface SnapshotSourceInfo {
  source: string;
  documents: number;
  observations: number;
  newestImportAt: string;
}

export interface SnapshotInfo {
  /** `sha256:…` over the sorted current raw digests; null when nothing is loaded. */
  id: string | null;
  documentCount: number;
  /** When the snapshot was recorded (the import time of the import that produced it); null if never recorded. */
  createdAt: string | null;
  maxSeq: number;
  sources: SnapshotSourceInfo[];
}

export interface CurrentRawRow {
  seq: number;
  digest: string;
  source: string;
  uri: string;
  format: string;
  size: number;
  observation_count: number;
  imported_at: string;
}
type RawRow = CurrentRawRow;

/** Raw rows current at `maxSeq` (the newest revision of each identity seen by then), in seq order. */
export function currentRawRows(store: Store, maxSeq: number = Number.MAX_SAFE_INTEGER): CurrentRawRow[] {
  return store.db
    .prepare(
      `SELECT r.seq, r.digest, r.source, r.uri, r.format, r.size, r.observation_count, r.imported_at FROM adv_raw_documents r
       WHERE r.seq <= @m AND NOT EXISTS (SELECT 1 FROM adv_raw_documents s WHERE s.supersedes_seq = r.seq AND s.seq <= @m)
       ORDER BY r.seq`,
    )
    .all({ m: maxSeq }) as RawRow[];
}

export function snapshotIdOf(digests: Iterable<string>): string {
  return digestJson([...new Set(digests)].sort());
}

function maxSeqOf(store: Store): number {
  const row = store.db.prepare('SELECT MAX(seq) AS m FROM adv_raw_documents').get() as { m: number | null };
  return row.m ?? 0;
}

function describe(rows: RawRow[], id: string | null, createdAt: string | null, maxSeq: number): SnapshotInfo {
  const bySource = new Map<string, SnapshotSourceInfo>();
  for (const r of rows) {
    const s = bySource.get(r.source) ?? { source: r.source, documents: 0, observations: 0, newestImportAt: r.imported_at };
    s.documents++;
    s.observations += r.observation_count;
    if (r.imported_at > s.newestImportAt) s.newestImportAt = r.imported_at;
    bySource.set(r.source, s);
  }
  return {
    id,
    documentCount: rows.length,
    createdAt,
    maxSeq,
    sources: [...bySource.values()].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0)),
  };
}

/**
 * Record a snapshot row for the current state when the import changed something, or when the current
 * state has no row yet (e.g. an import interrupted after some batches committed). Call inside a write
 * transaction. Returns the current snapshot id (null when the store holds no advisories).
 */
export function recordSnapshotIfChanged(store: Store, createdAt: string, changed: boolean): string | null {
  const maxSeq = maxSeqOf(store);
  if (maxSeq === 0) return null;
  const rows = currentRawRows(store, maxSeq);
  const id = snapshotIdOf(rows.map((r) => r.digest));
  const existing = store.db.prepare('SELECT id FROM adv_snapshots WHERE id = ?').get(id);
  if (changed || !existing) {
    store.db.prepare('INSERT OR IGNORE INTO adv_snapshots (id, max_seq, document_count, created_at) VALUES (?, ?, ?, ?)').run(id, maxSeq, rows.length, createdAt);
  }
  return id;
}

/** Whether any advisory document is stored (cheap: no snapshot is computed). */
export function hasAdvisories(store: Store): boolean {
  return store.db.prepare('SELECT 1 FROM adv_raw_documents LIMIT 1').get() !== undefined;
}

/** The current snapshot: id, document count and per-source counts and ages. */
export function currentSnapshot(store: Store): SnapshotInfo {
  const maxSeq = maxSeqOf(store);
  if (maxSeq === 0) return { id: null, documentCount: 0, createdAt: null, maxSeq: 0, sources: [] };
  const rows = currentRawRows(store, maxSeq);
  const id = snapshotIdOf(rows.map((r) => r.digest));
  const rec = store.db.prepare('SELECT created_at FROM adv_snapshots WHERE id = ?').get(id) as { created_at: string } | undefined;
  return describe(rows, id, rec?.created_at ?? null, maxSeq);
}

/** A recorded snapshot by id (full `sha256:…` or a unique prefix of its hex). Throws not-found. */
export function getSnapshot(store: Store, idOrPrefix: string): SnapshotInfo {
  const want = idOrPrefix.startsWith('sha256:') ? idOrPrefix : `sha256:${idOrPrefix}`;
  const recs = store.db.prepare("SELECT id, max_seq, created_at FROM adv_snapshots WHERE id >= ? AND id < ? || '~' ORDER BY id LIMIT 2").all(want, want) as {
    id: string;
    max_seq: number;
    created_at: string;
  }[];
  const rec = recs[0];
  if (!rec || recs.length > 1 || want.length < 'sha256:'.length + 8) {
    throw new AdvisoryError('not-found', recs.length > 1 ? `snapshot ${idOrPrefix} is ambiguous; give more digits` : `no advisory snapshot ${idOrPrefix} is recorded in this store`, {
      details: { path: 'snapshot', expected: 'the id of a recorded snapshot (see `stella advisories snapshot --list`)' },
    });
  }
  return describe(currentRawRows(store, rec.max_seq), rec.id, rec.created_at, rec.max_seq);
}

/** Every recorded snapshot, newest first. */
export function listSnapshots(store: Store): { id: string; documentCount: number; createdAt: string }[] {
  return (store.db.prepare('SELECT id, document_count, created_at FROM adv_snapshots ORDER BY max_seq DESC').all() as { id: string; document_count: number; created_at: string }[]).map(
    (r) => ({ id: r.id, documentCount: r.document_count, createdAt: r.created_at }),
  );
}

/** Resolve `asOf` (a snapshot id) or the current state, recording a row for the current state if it has none. */
export function resolveSnapshot(store: Store, asOf: string | undefined, createdAt: string): SnapshotInfo {
  if (asOf !== undefined) return getSnapshot(store, asOf);
  const cur = currentSnapshot(store);
  if (cur.id !== null && cur.createdAt === null) {
    store.write(() => recordSnapshotIfChanged(store, createdAt, false));
    return { ...cur, createdAt };
  }
  return cur;
}
