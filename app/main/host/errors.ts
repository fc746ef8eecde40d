/** Every failure that reaches a transport becomes a ContractError here — one mapping for all hosts. */
import { contractErrorFromEngine, type ContractError, type ErrorCode } from '../../common/contract';
import { WorkerCallError } from '../../workers/protocol';

/** An error the host itself raises (bad file reference, unsupported in this host, …). */
export class HostError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'HostError';
    this.code = code;
    this.details = details;
  }
}

export function contractErrorOf(e: unknown): ContractError {
  if (e instanceof HostError) return e.details ? { code: e.code, message: e.message, details: e.details } : { code: e.code, message: e.message };
  if (e instanceof WorkerCallError) {
    const w = e.wire;
    switch (w.kind) {
      case 'engine':
        return contractErrorFromEngine({ module: w.module, code: w.code, category: w.category, message: w.message, details: w.details });
      case 'cancelled':
        return { code: 'cancelled', message: w.message };
      case 'shutdown':
        return { code: w.code === 'cancelled' ? 'cancelled' : 'busy', message: w.message };
      case 'invalid-args':
        return { code: 'invalid-request', message: w.message, details: w.details };
      case 'unknown-method':
        return { code: 'unsupported', message: `not available in this build of Stella (${w.message})` };
      case 'crashed':
      case 'internal':
        return { code: 'internal', message: w.message, details: w.details?.method ? { method: w.details.method } : undefined };
    }
  }
  if (e && typeof e === 'object' && 'category' in e && 'code' in e) {
    const se = e as { module?: string; code: string; category: string; message: string; details?: Record<string, unknown> };
    return contractErrorFromEngine(se);
  }
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}
