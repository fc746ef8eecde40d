/**
 * The checks every raw-document table of the Aggregation-Only Contract shares (advisories, VEX):
 * append-only triggers present, provenance complete, each raw blob present and byte-exact with its
 * recorded size, and supersedes chains that point backwards within one identity, revision by revision,
 * without forks. Each module adds the checks of its own derived rows.
 */
import { isDigest, type Digest } from '../core';
import type { Store } from './store';

export type RawChainViolationKind = 'append-only-guard-missing' | 'blob-missing' | 'blob-corrupt' | 'blob-size-mismatch' | 'provenance-missing' | 'supersedes-invalid';

export interface RawChainViolation {
  kind: RawChainViolationKind;
  message: string;
  table?: string;
  seq?: number;
  digest?: string;
}

export interface RawChainRow {
  seq: number;
  digest: string;
  identity_key: string;
  revision: number;
  supersedes_seq: number | null;
  supersedes: string | null;
  uri: string;
  size: number;
  imported_at: string;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Missing `<table>_no_update` / `<table>_no_delete` triggers. */
export function missingAppendOnlyGuards(store: Store, tables: readonly string[]): RawChainViolation[] {
  const triggers = new Set((store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]).map((r) => r.name));
  const out: RawChainViolation[] = [];
  for (const t of tables) {
    for (const op of ['update', 'delete']) {
      if (!triggers.has(`${t}_no_${op}`)) out.push({ kind: 'append-only-guard-missing', table: t, message: `trigger ${t}_no_${op} that refuses ${op.toUpperCase()} on ${t} is missing: rows may have been rewritten` });
    }
  }
  return out;
}

/**
 * Provenance, blob and supersedes checks of raw rows (in seq order). `label` names a row in messages
 * (`raw document`, `raw VEX document`); `provenance` lists the text fields that must not be empty.
 */
export function verifyRawChain<R extends RawChainRow>(store: Store, raws: readonly R[], label: string, provenance: (r: R) => [string, unknown][]): { violations: RawChainViolation[]; blobs: number } {
  const violations: RawChainViolation[] = [];
  const bySeq = new Map(raws.map((r) => [r.seq, r]));
  const successors = new Map<number, number[]>();
  const blobChecked = new Map<string, 'ok' | 'missing' | 'corrupt'>();
  for (const r of raws) {
    const where = `${label} #${r.seq} (${r.uri})`;
    for (const [field, value] of [...provenance(r), ['identity_key', r.identity_key] as [string, unknown]]) {
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
    if (list.length > 1) violations.push({ kind: 'supersedes-invalid', seq, message: `${label} #${seq} is superseded by several revisions (#${list.join(', #')}): the chain forks` });
  }
  return { violations, blobs: blobChecked.size };
}
