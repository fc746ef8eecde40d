/** Search current advisories by id/alias prefix or by words of their summary. */
import type { Observation } from '../core';
import type { Store } from '../store';
import { currentSnapshot } from './snapshots';
import { openAdvisoryView } from './view';
import { currentRawRows } from './snapshots';

export interface AdvisorySearchHit {
  advisoryId: string;
  source: string;
  aliases: string[];
  summary?: string;
  withdrawn?: string;
  observationId: string;
  rawDigest: string;
}

function hit(o: Observation): AdvisorySearchHit {
  return {
    advisoryId: o.advisoryId,
    source: o.source,
    aliases: [...o.aliases].sort(),
    ...(o.summary ? { summary: o.summary } : {}),
    ...(o.withdrawn ? { withdrawn: o.withdrawn } : {}),
    observationId: o.id,
    rawDigest: o.raw.digest,
  };
}

/** Up to `limit` current observations whose id/alias starts with `query`, then those whose text contains it. Stable order. */
export function searchAdvisories(store: Store, query: string, limit = 50): AdvisorySearchHit[] {
  const q = query.trim();
  if (!q || limit <= 0) return [];
  const snap = currentSnapshot(store);
  const visible = new Set(currentRawRows(store, snap.maxSeq).map((r) => r.seq));
  const view = openAdvisoryView(store, snap);
  const out = new Map<string, AdvisorySearchHit>();
  const idRows = store.db
    .prepare("SELECT DISTINCT key FROM adv_ids WHERE key >= ? AND key < ? || '~' ORDER BY key LIMIT ?")
    .all(q.toUpperCase(), q.toUpperCase(), limit * 4) as { key: string }[];
  for (const r of idRows) {
    for (const s of view.byId(r.key)) {
      if (out.size >= limit) break;
      out.set(s.observation.id, hit(s.observation));
    }
  }
  if (out.size < limit) {
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = store.db
      .prepare("SELECT doc_seq, body FROM adv_observations WHERE body LIKE ? ESCAPE '\\' ORDER BY advisory_id, doc_seq, ordinal")
      .all(like) as { doc_seq: number; body: string }[];
    for (const r of rows) {
      if (out.size >= limit) break;
      if (!visible.has(r.doc_seq)) continue;
      const o = JSON.parse(r.body) as Observation;
      const text = `${o.summary ?? ''} ${o.details ?? ''}`.toLowerCase();
      if (!text.includes(q.toLowerCase()) && !o.affected.some((p) => p.name.toLowerCase().includes(q.toLowerCase()))) continue;
      if (!out.has(o.id)) out.set(o.id, hit(o));
    }
  }
  return [...out.values()];
}
