/**
 * The Aggregation-Only Contract of the raw VEX store (part of `stella aoc verify`): append-only guards
 * present, every raw blob present and byte-exact, provenance complete, supersedes chains well formed,
 * statements agreeing with their rows and raw documents and carrying only what the source said.
 */
import { isDigest, type Digest } from '../core';
import type { Store } from '../store';
import { VEX_APPEND_ONLY_TABLES } from '../store/schema/vex';
import type { RawVexRow } from './raw-store';

export type VexAocViolationKind = 'append-only-guard-missing' | 'blob-missing' | 'blob-corrupt' | 'blob-size-mismatch' | 'provenance-missing' | 'statement-orphan' | 'statement-mismatch' | 'derived-judgement' | 'supersedes-invalid';

export interface VexAocViolation {
  kind: VexAocViolationKind;
  message: string;
  table?: string;
  seq?: number;
  digest?: string;
}

export interface VexAocReport {
  ok: boolean;
  checked: { documents: number; statements: number; blobs: number };
  violations: VexAocViolation[];
}

/** Keys a stored statement may carry: what the source said plus its id and raw ref — no trust, no consensus. */
const STATEMENT_KEYS = new Set(['id', 'vulnerability', 'aliases', 'product', 'subcomponents', 'status', 'statusAsGiven', 'justification', 'justificationAsGiven', 'impact', 'action', 'detail', 'timestamp', 'issuer', 'raw']);
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function verifyVexAoc(store: Store): VexAocReport {
  const db = store.db;
  const violations: VexAocViolation[] = [];
  const triggers = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]).map((r) => r.name));
  for (const t of VEX_APPEND_ONLY_TABLES) {
    for (const op of ['update', 'delete']) {
      if (!triggers.has(`${t}_no_${op}`)) violations.push({ kind: 'append-only-guard-missing', table: t, message: `trigger ${t}_no_${op} that refuses ${op.toUpperCase()} on ${t} is missing: rows may have been rewritten` });
    }
  }
  const raws = db.prepare('SELECT * FROM vex_raw_documents ORDER BY seq').all() as RawVexRow[];
  const bySeq = new Map(raws.map((r) => [r.seq, r]));
  const blobState = new Map<string, 'ok' | 'missing' | 'corrupt'>();
  const successors = new Map<number, number[]>();
  for (const r of raws) {
    const where = `raw VEX document #${r.seq} (${r.uri})`;
    for (const [field, value] of [
      ['source', r.source],
      ['uri', r.uri],
      ['format', r.format],
      ['issuer', r.issuer],
      ['identity_key', r.identity_key],
    ] as const) {
      if (typeof value !== 'string' || !value.trim()) violations.push({ kind: 'provenance-missing', seq: r.seq, digest: r.digest, message: `${where}: provenance field ${field} is empty` });
    }
    if (!ISO_RE.test(r.imported_at)) violations.push({ kind: 'provenance-missing', seq: r.seq, digest: r.digest, message: `${where}: imported_at ${JSON.stringify(r.imported_at)} is not an ISO-8601 timestamp` });
    if (!isDigest(r.digest)) {
      violations.push({ kind: 'provenance-missing', seq: r.seq, message: `${where}: digest ${JSON.stringify(r.digest)} is not a sha256 digest` });
      continue;
    }
    let state = blobState.get(r.digest);
    if (!state) {
      state = !store.blobs.has(r.digest as Digest) ? 'missing' : store.blobs.verify(r.digest as Digest) ? 'ok' : 'corrupt';
      blobState.set(r.digest, state);
    }
    if (state === 'missing') violations.push({ kind: 'blob-missing', seq: r.seq, digest: r.digest, message: `${where}: blob ${r.digest} is not in the blob store` });
    else if (state === 'corrupt') violations.push({ kind: 'blob-corrupt', seq: r.seq, digest: r.digest, message: `${where}: blob ${r.digest} no longer hashes to its digest` });
    else if (store.blobs.size(r.digest as Digest) !== r.size) violations.push({ kind: 'blob-size-mismatch', seq: r.seq, digest: r.digest, message: `${where}: recorded size ${r.size} differs from the blob's size` });
    if (r.supersedes_seq !== null) {
      const prev = bySeq.get(r.supersedes_seq);
      const bad = !prev
        ? `supersedes #${r.supersedes_seq}, which does not exist`
        : prev.seq >= r.seq
          ? `supersedes #${prev.seq}, which is not older`
          : prev.identity_key !== r.identity_key
            ? `supersedes #${prev.seq} of another identity (${prev.identity_key})`
            : prev.digest !== r.supersedes
              ? `records supersedes digest ${r.supersedes} but #${prev.seq} has ${prev.digest}`
              : prev.revision + 1 !== r.revision
                ? `has revision ${r.revision} after revision ${prev.revision}`
                : null;
      if (bad) violations.push({ kind: 'supersedes-invalid', seq: r.seq, digest: r.digest, message: `${where} ${bad}` });
      successors.set(r.supersedes_seq, [...(successors.get(r.supersedes_seq) ?? []), r.seq]);
    } else if (r.revision !== 1 || r.supersedes !== null) {
      violations.push({ kind: 'supersedes-invalid', seq: r.seq, digest: r.digest, message: `${where} has revision ${r.revision} but supersedes nothing` });
    }
  }
  for (const [seq, list] of successors) {
    if (list.length > 1) violations.push({ kind: 'supersedes-invalid', seq, message: `raw VEX document #${seq} is superseded by several revisions (#${list.join(', #')}): the chain forks` });
  }
  const counts = new Map<number, number>();
  let statements = 0;
  for (const s of db.prepare('SELECT id, doc_seq, ordinal, vulnerability_id, status, body FROM vex_statements ORDER BY doc_seq, ordinal').iterate() as Iterable<{ id: string; doc_seq: number; ordinal: number; vulnerability_id: string; status: string; body: string }>) {
    statements++;
    const raw = bySeq.get(s.doc_seq);
    if (!raw) {
      violations.push({ kind: 'statement-orphan', seq: s.doc_seq, message: `statement ${s.id} references raw VEX document #${s.doc_seq}, which does not exist` });
      continue;
    }
    counts.set(s.doc_seq, (counts.get(s.doc_seq) ?? 0) + 1);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(s.body) as Record<string, unknown>;
    } catch {
      violations.push({ kind: 'statement-mismatch', seq: s.doc_seq, message: `statement ${s.id}: stored body is not JSON` });
      continue;
    }
    const rawRef = body.raw as { digest?: string } | undefined;
    if (body.id !== s.id || body.vulnerability !== s.vulnerability_id || body.status !== s.status || rawRef?.digest !== raw.digest) {
      violations.push({ kind: 'statement-mismatch', seq: s.doc_seq, digest: raw.digest, message: `statement ${s.id}: its body does not agree with its row or its raw document ${raw.digest}` });
    }
    const extra = Object.keys(body).filter((k) => !STATEMENT_KEYS.has(k));
    if (extra.length) violations.push({ kind: 'derived-judgement', seq: s.doc_seq, message: `statement ${s.id} carries fields outside the statement contract: ${extra.sort().join(', ')}` });
  }
  for (const t of ['vex_ids', 'vex_products']) {
    const n = (db.prepare(`SELECT COUNT(*) AS n FROM ${t} x WHERE NOT EXISTS (SELECT 1 FROM vex_statements s WHERE s.doc_seq = x.doc_seq AND s.ordinal = x.ordinal)`).get() as { n: number }).n;
    if (n) violations.push({ kind: 'statement-orphan', table: t, message: `${n} rows of ${t} index statements that do not exist` });
  }
  for (const r of raws) {
    const n = counts.get(r.seq) ?? 0;
    if (n !== r.statement_count) violations.push({ kind: 'statement-mismatch', seq: r.seq, digest: r.digest, message: `raw VEX document #${r.seq} (${r.uri}) records ${r.statement_count} statements but ${n} are stored` });
  }
  return { ok: violations.length === 0, checked: { documents: raws.length, statements, blobs: blobState.size }, violations };
}
