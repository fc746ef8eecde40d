/** Jobs of the embedded transparency log: info, inclusion (and consistency) proofs, full verification. */
import { type InclusionProofData, type LogEntry, type LogInfo, type LogVerification, logInfo, proveConsistency, proveEntry, verifyLog } from '../attest';
import type { Store } from '../store';
import type { JobContext } from './context';

export function logInfoJob(store: Store): LogInfo {
  return logInfo(store);
}

export interface LogProofResult {
  entry: LogEntry & { body: Buffer };
  inclusionProof: InclusionProofData;
  consistency?: { size1: number; size2: number; hashes: Buffer[] };
}

/** Inclusion proof of an entry (index or UUID) against the latest checkpoint, optionally with a consistency proof from an earlier size. */
export function logProofJob(store: Store, input: { entry: string; fromSize?: number }): LogProofResult {
  const p = proveEntry(store, input.entry);
  if (input.fromSize === undefined) return p;
  const c = proveConsistency(store, input.fromSize, p.inclusionProof.treeSize);
  return { ...p, consistency: { size1: c.size1, size2: c.size2, hashes: c.hashes } };
}

export async function logVerifyJob(store: Store, ctx: JobContext): Promise<LogVerification> {
  ctx.onProgress({ phase: 'verifying log', done: 0 });
  return verifyLog(store, { signal: ctx.signal, onProgress: (done, total) => ctx.onProgress({ phase: 'verifying log', done, total }) });
}
