/**
 * A read view of the advisory store as of one snapshot: which raw revisions are visible, and lookups of
 * observations by package key and by id/alias, KEV and EPSS records. Matching and linksets read through
 * this so "as of snapshot X" means the same thing everywhere.
 */
import type { Observation } from '../core';
import type { Store } from '../store';
import type { KevRecord } from './connectors/types';
import { currentRawRows, type SnapshotInfo } from './snapshots';

export interface StoredObservation {
  docSeq: number;
  ordinal: number;
  observation: Observation;
}

export interface EpssInfo {
  score: number;
  percentile?: number;
  date?: string;
}

export interface AdvisoryView {
  readonly snapshot: SnapshotInfo;
  /** Observations with an affected package of this family and normalized name, with the matching package indexes. */
  byPackage(family: string, nameKey: string): { stored: StoredObservation; pkgIndexes: number[] }[];
  /** Observations carrying this id as advisory id or alias (case-insensitive). */
  byId(id: string): StoredObservation[];
  kev(cveId: string): KevRecord | undefined;
  epss(cveId: string): EpssInfo | undefined;
  /** Visible observations count (for messages). */
  observationCount(): number;
}

export function openAdvisoryView(store: Store, snapshot: SnapshotInfo): AdvisoryView {
  const visible = new Set<number>();
  let obsCount = 0;
  for (const r of currentRawRows(store, snapshot.maxSeq)) {
    visible.add(r.seq);
    obsCount += r.observation_count;
  }
  const db = store.db;
  const affectedStmt = db.prepare('SELECT doc_seq, ordinal, pkg_index FROM adv_affected WHERE family = ? AND name_key = ? ORDER BY doc_seq, ordinal, pkg_index');
  const idStmt = db.prepare('SELECT doc_seq, ordinal FROM adv_ids WHERE key = ? ORDER BY doc_seq, ordinal');
  const obsStmt = db.prepare('SELECT body FROM adv_observations WHERE doc_seq = ? AND ordinal = ?');
  const kevStmt = db.prepare('SELECT doc_seq, body FROM adv_kev WHERE cve_id = ? ORDER BY doc_seq DESC');
  const epssStmt = db.prepare('SELECT doc_seq, epss, percentile, date FROM adv_epss WHERE cve_id = ? ORDER BY doc_seq DESC');
  const cache = new Map<string, StoredObservation>();
  const load = (docSeq: number, ordinal: number): StoredObservation => {
    const k = `${docSeq}/${ordinal}`;
    let s = cache.get(k);
    if (!s) {
      const row = obsStmt.get(docSeq, ordinal) as { body: string } | undefined;
      if (!row) throw new Error(`observation ${k} indexed but missing`);
      s = { docSeq, ordinal, observation: JSON.parse(row.body) as Observation };
      cache.set(k, s);
    }
    return s;
  };
  const pkgMemo = new Map<string, { stored: StoredObservation; pkgIndexes: number[] }[]>();
  const kevMemo = new Map<string, KevRecord | undefined>();
  const epssMemo = new Map<string, EpssInfo | undefined>();
  return {
    snapshot,
    byPackage(family, nameKey) {
      const memoKey = `${family}\u0000${nameKey}`;
      const memo = pkgMemo.get(memoKey);
      if (memo) return memo;
      const out = new Map<string, { stored: StoredObservation; pkgIndexes: number[] }>();
      for (const r of affectedStmt.all(family, nameKey) as { doc_seq: number; ordinal: number; pkg_index: number }[]) {
        if (!visible.has(r.doc_seq)) continue;
        const k = `${r.doc_seq}/${r.ordinal}`;
        let e = out.get(k);
        if (!e) {
          e = { stored: load(r.doc_seq, r.ordinal), pkgIndexes: [] };
          out.set(k, e);
        }
        e.pkgIndexes.push(r.pkg_index);
      }
      const list = [...out.values()];
      pkgMemo.set(memoKey, list);
      return list;
    },
    byId(id) {
      const out: StoredObservation[] = [];
      for (const r of idStmt.all(id.trim().toUpperCase()) as { doc_seq: number; ordinal: number }[]) {
        if (visible.has(r.doc_seq)) out.push(load(r.doc_seq, r.ordinal));
      }
      return out;
    },
    kev(cveId) {
      const k = cveId.toUpperCase();
      if (kevMemo.has(k)) return kevMemo.get(k);
      let found: KevRecord | undefined;
      for (const r of kevStmt.all(k) as { doc_seq: number; body: string }[]) {
        if (visible.has(r.doc_seq)) {
          found = JSON.parse(r.body) as KevRecord;
          break;
        }
      }
      kevMemo.set(k, found);
      return found;
    },
    epss(cveId) {
      const k = cveId.toUpperCase();
      if (epssMemo.has(k)) return epssMemo.get(k);
      let found: EpssInfo | undefined;
      for (const r of epssStmt.all(k) as { doc_seq: number; epss: number; percentile: number | null; date: string | null }[]) {
        if (!visible.has(r.doc_seq)) continue;
        found = { score: r.epss, ...(r.percentile === null ? {} : { percentile: r.percentile }), ...(r.date === null ? {} : { date: r.date }) };
        break;
      }
      epssMemo.set(k, found);
      return found;
    },
    observationCount: () => obsCount,
  };
}
