/**
 * The Aggregation-Only Contract of the raw VEX store (part of `stella aoc verify`): append-only guards
 * present, every raw blob present and byte-exact, provenance complete, supersedes chains well formed,
 * statements agreeing with their rows and raw documents and carrying only what the source said.
 */
import { missingAppendOnlyGuards, verifyRawChain, type Store } from '../store';
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

export function verifyVexAoc(store: Store): VexAocReport {
  const db = store.db;
  const violations: VexAocViolation[] = [];
  violations.push(...missingAppendOnlyGuards(store, VEX_APPEND_ONLY_TABLES));
  const raws = db.prepare('SELECT * FROM vex_raw_documents ORDER BY seq').all() as RawVexRow[];
  const bySeq = new Map(raws.map((r) => [r.seq, r]));
  const chain = verifyRawChain(store, raws, 'raw VEX document', (r) => [
    ['source', r.source],
    ['uri', r.uri],
    ['format', r.format],
    ['issuer', r.issuer],
  ]);
  violations.push(...chain.violations);
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
  return { ok: violations.length === 0, checked: { documents: raws.length, statements, blobs: chain.blobs }, violations };
}
