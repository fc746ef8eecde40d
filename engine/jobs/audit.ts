/** Audit jobs: verify the chain (the CLI exits 6 naming the first bad entry), list entries, and page through them. */
import { type AuditEntry, type AuditQuery, type AuditVerification, auditHead, auditKinds, countAudit, listAudit, verifyAudit } from '../audit';
import type { Store } from '../store';
import type { JobContext } from './context';

export async function auditVerifyJob(store: Store, input: { expectHead?: { seq: number; entryHash: string } }, ctx: JobContext): Promise<AuditVerification> {
  ctx.onProgress({ phase: 'verifying audit trail', done: 0 });
  const r = await verifyAudit(store, { signal: ctx.signal, ...(input.expectHead ? { expectHead: input.expectHead } : {}) });
  ctx.onProgress({ phase: 'verifying audit trail', done: r.entries, total: r.entries });
  return r;
}

export function auditListJob(store: Store, query: AuditQuery): AuditEntry[] {
  return listAudit(store, query);
}

export interface AuditPageInput {
  /** Only this kind or kinds under it (`trust` matches `trust.added`). */
  kind?: string;
  /** Entries older than this sequence number (the previous page's last `seq`); default: from the newest. */
  beforeSeq?: number;
  /** Page size (default 50). */
  limit?: number;
}

export interface AuditPage {
  /** Newest first. */
  entries: AuditEntry[];
  /** Entries matching the kind filter, on every page. */
  total: number;
  /** Set when older entries follow: pass it as `beforeSeq` for the next page. */
  nextBeforeSeq?: number;
  /** Every kind in the trail with its count (for a filter). */
  kinds: { kind: string; count: number }[];
  head: { seq: number; entryHash: string };
}

/** One page of the trail, newest first, for a viewer: the entries, how many match, and where the next page starts. */
export function auditPageJob(store: Store, input: AuditPageInput): AuditPage {
  const limit = input.limit ?? 50;
  const filter = { ...(input.kind ? { kind: input.kind } : {}) };
  // one more than asked: whether another page follows
  const rows = listAudit(store, { ...filter, ...(input.beforeSeq !== undefined ? { beforeSeq: input.beforeSeq } : {}), newestFirst: true, limit: limit + 1 });
  const entries = rows.slice(0, limit);
  const last = entries[entries.length - 1];
  return {
    entries,
    total: countAudit(store, filter),
    ...(rows.length > limit && last ? { nextBeforeSeq: last.seq } : {}),
    kinds: auditKinds(store),
    head: auditHead(store),
  };
}
