/**
 * `stella aoc verify`: checks the Aggregation-Only Contract invariants of the raw advisory store.
 * Every violation is reported (not just the first) so an auditor sees the whole damage.
 */
import { missingAppendOnlyGuards, verifyRawChain, type Store } from '../store';
import { ADVISORY_APPEND_ONLY_TABLES } from '../store/schema/advisories';

export type AocViolationKind =
  | 'append-only-guard-missing'
  | 'blob-missing'
  | 'blob-corrupt'
  | 'blob-size-mismatch'
  | 'provenance-missing'
  | 'observation-orphan'
  | 'observation-mismatch'
  | 'derived-judgement'
  | 'supersedes-invalid';

export interface AocViolation {
  kind: AocViolationKind;
  message: string;
  table?: string;
  seq?: number;
  digest?: string;
}

export interface AocReport {
  ok: boolean;
  checked: { documents: number; observations: number; blobs: number };
  violations: AocViolation[];
}

const RAW_COLUMNS = ['seq', 'digest', 'identity_key', 'revision', 'supersedes_seq', 'supersedes', 'source', 'uri', 'format', 'spec_version', 'size', 'imported_at', 'observation_count'];
const OBS_COLUMNS = ['id', 'doc_seq', 'ordinal', 'source', 'advisory_id', 'withdrawn', 'body'];
/** Keys an observation may carry: what the source said plus its id and raw ref — nothing judged. */
const OBS_KEYS = new Set(['id', 'source', 'advisoryId', 'aliases', 'summary', 'details', 'published', 'modified', 'withdrawn', 'affected', 'severities', 'references', 'related', 'databaseSpecific', 'raw']);

interface RawRow {
  seq: number;
  digest: string;
  identity_key: string;
  revision: number;
  supersedes_seq: number | null;
  supersedes: string | null;
  source: string;
  uri: string;
  format: string;
  size: number;
  imported_at: string;
  observation_count: number;
}

export function verifyAoc(store: Store): AocReport {
  const db = store.db;
  const violations: AocViolation[] = [];

  violations.push(...missingAppendOnlyGuards(store, ADVISORY_APPEND_ONLY_TABLES));

  const cols = (t: string) => (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
  for (const [t, allowed] of [
    ['adv_raw_documents', RAW_COLUMNS],
    ['adv_observations', OBS_COLUMNS],
  ] as const) {
    for (const c of cols(t)) {
      if (!allowed.includes(c)) violations.push({ kind: 'derived-judgement', table: t, message: `${t} has column ${c}, which is not part of the raw/observation contract (derived judgement is computed at query time, never stored at ingest)` });
    }
  }

  const raws = db.prepare('SELECT * FROM adv_raw_documents ORDER BY seq').all() as RawRow[];
  const bySeq = new Map(raws.map((r) => [r.seq, r]));
  const chain = verifyRawChain(store, raws, 'raw document', (r) => [
    ['source', r.source],
    ['uri', r.uri],
    ['format', r.format],
  ]);
  violations.push(...chain.violations);

  const obsCounts = new Map<number, number>();
  let observations = 0;
  for (const o of db.prepare('SELECT id, doc_seq, ordinal, advisory_id, body FROM adv_observations ORDER BY doc_seq, ordinal').iterate() as Iterable<{
    id: string;
    doc_seq: number;
    ordinal: number;
    advisory_id: string;
    body: string;
  }>) {
    observations++;
    const raw = bySeq.get(o.doc_seq);
    if (!raw) {
      violations.push({ kind: 'observation-orphan', seq: o.doc_seq, message: `observation ${o.id} references raw document #${o.doc_seq}, which does not exist` });
      continue;
    }
    obsCounts.set(o.doc_seq, (obsCounts.get(o.doc_seq) ?? 0) + 1);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(o.body) as Record<string, unknown>;
    } catch {
      violations.push({ kind: 'observation-mismatch', seq: o.doc_seq, message: `observation ${o.id}: stored body is not JSON` });
      continue;
    }
    const rawRef = body.raw as { digest?: string } | undefined;
    if (body.id !== o.id || body.advisoryId !== o.advisory_id || rawRef?.digest !== raw.digest) {
      violations.push({ kind: 'observation-mismatch', seq: o.doc_seq, digest: raw.digest, message: `observation ${o.id}: its body does not agree with its row or its raw document ${raw.digest}` });
    }
    const extra = Object.keys(body).filter((k) => !OBS_KEYS.has(k));
    if (extra.length) violations.push({ kind: 'derived-judgement', seq: o.doc_seq, message: `observation ${o.id} carries fields outside the observation contract: ${extra.sort().join(', ')}` });
  }
  for (const t of ['adv_ids', 'adv_affected']) {
    const orphans = (
      db.prepare(`SELECT COUNT(*) AS n FROM ${t} x WHERE NOT EXISTS (SELECT 1 FROM adv_observations o WHERE o.doc_seq = x.doc_seq AND o.ordinal = x.ordinal)`).get() as { n: number }
    ).n;
    if (orphans) violations.push({ kind: 'observation-orphan', table: t, message: `${orphans} rows of ${t} index observations that do not exist` });
  }
  for (const t of ['adv_kev', 'adv_epss']) {
    const orphans = (db.prepare(`SELECT COUNT(*) AS n FROM ${t} x WHERE NOT EXISTS (SELECT 1 FROM adv_raw_documents r WHERE r.seq = x.doc_seq)`).get() as { n: number }).n;
    if (orphans) violations.push({ kind: 'observation-orphan', table: t, message: `${orphans} rows of ${t} reference raw documents that do not exist` });
  }
  for (const r of raws) {
    const n = obsCounts.get(r.seq) ?? 0;
    if (n !== r.observation_count) violations.push({ kind: 'observation-mismatch', seq: r.seq, digest: r.digest, message: `raw document #${r.seq} (${r.uri}) records ${r.observation_count} observations but ${n} are stored` });
  }
  return { ok: violations.length === 0, checked: { documents: raws.length, observations, blobs: chain.blobs }, violations };
}
