/** Audit jobs: verify the chain (the CLI exits 6 naming the first bad entry) and list entries. */
import { type AuditEntry, type AuditQuery, type AuditVerification, listAudit, verifyAudit } from '../audit';
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
