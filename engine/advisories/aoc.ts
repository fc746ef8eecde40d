/**
 * `stella aoc verify`: checks the Aggregation-Only Contract invariants of the raw advisory store.
 * Every violation is reported (not just the first) so an auditor sees the whole damage.
 */
import { isDigest, type Digest } from '../core';
import type { Store } from '../store';
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
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

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

  const triggers = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]).map((r) => r.name));
  for (const t of ADVISORY_APPEND_ONLY_TABLES) {
    for (const op of ['update', 'delete']) {
      if (!triggers.has(`${t}_no_${op}`)) {
        violations.push({ kind: 'append-only-guard-missing', table: t, message: `trigger ${t}_no_${op} that refuses ${op.toUpperCase()} on ${t} is missing: rows may have been rewritten` });
      }
    }
  }

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
  const successors = new Map<number, number[]>();
  const blobChecked = new Map<string, 'ok' | 'missing' | 'corrupt'>();
  for (const r of raws) {
    const where = `raw document #${r.seq} (${r.uri})`;
    for (const [field, value] of [
      ['source', r.source],
      ['uri', r.uri],
      ['format', r.format],
      ['identity_key', r.identity_key],
    ] as const) {
      if (typeof value !== 'string' || !value.trim()) violations.push({ kind: 'provenance-missing', seq: r.seq, digest: r.digest, message: `${where}: provenance field ${field} is empty` });
    }
    if (!ISO_RE.test(r.imported_at)) violations.push({ kind: 'provenance-missing', seq: r.seq, digest: r.digest, message: `${where}: imported_at ${JSON.stringify(r.imported_at)} is not an ISO-8601 timestamp` });
    if (!isDigest(r.digest)) {
      violations.push({ kind: 'provenance-missing', seq: r.seq, message: `${where}: digest ${JSON.stringify(r.digest)} is not a sha256 digest` });
      continue;
    }
    let state = blobChecked.get(r.digest);
    if (!state) {
      state = !store.blobs.has(r.digest as Digest) ? 'missing' : store.blobs.verify(r.digest as Digest) ? 'ok' : 'corrupt';
      blobChecked.set(r.digest, state);
    }
    if (state === 'missing') violations.push({ kind: 'blob-missing', seq: r.seq, digest: r.digest, message: `${where}: blob ${r.digest} is not in the blob store` });
    else if (state === 'corrupt') violations.push({ kind: 'blob-corrupt', seq: r.seq, digest: r.digest, message: `${where}: blob ${r.digest} no longer hashes to its digest` });
    else if (store.blobs.size(r.digest as Digest) !== r.size) violations.push({ kind: 'blob-size-mismatch', seq: r.seq, digest: r.digest, message: `${where}: recorded size ${r.size} differs from the blob's size` });

    if (r.supersedes_seq !== null) {
      const prev = bySeq.get(r.supersedes_seq);
      const bad = !prev
        ? `supersedes #${r.supersedes_seq}, which does not exist`
        : prev.seq >= r.seq
          ? `supersedes #${prev.seq}, which is not older (chains must point backwards)`
          : prev.identity_key !== r.identity_key
            ? `supersedes #${prev.seq} of another identity (${prev.identity_key})`
            : prev.digest !== r.supersedes
              ? `records supersedes digest ${r.supersedes} but #${prev.seq} has ${prev.digest}`
              : prev.revision + 1 !== r.revision
                ? `has revision ${r.revision} after revision ${prev.revision}`
                : null;
      if (bad) violations.push({ kind: 'supersedes-invalid', seq: r.seq, digest: r.digest, message: `${where} ${bad}` });
      const list = successors.get(r.supersedes_seq) ?? [];
      list.push(r.seq);
      successors.set(r.supersedes_seq, list);
    } else if (r.revision !== 1 || r.supersedes !== null) {
      violations.push({ kind: 'supersedes-invalid', seq: r.seq, digest: r.digest, message: `${where} has revision ${r.revision} but supersedes nothing` });
    }
  }
  for (const [seq, list] of successors) {
    if (list.length > 1) violations.push({ kind: 'supersedes-invalid', seq, message: `raw document #${seq} is superseded by several revisions (#${list.join(', #')}): the chain forks` });
  }

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
  return { ok: violations.length === 0, checked: { documents: raws.length, observations, blobs: blobChecked.size }, violations };
}
