/** Reply envelope and error codes shared by every transport (Electron IPC, HTTP+WebSocket, worker ports). */
import { z } from 'zod';

export const ERROR_CODES = [
  'invalid-request', // the message did not match the channel's schema
  'unknown-channel',
  'not-found',
  'invalid-input', // a file or document was rejected by the engine
  'missing-data', // e.g. no advisories loaded yet
  'trust', // signature / digest failure
  'unsupported', // not available in this host (e.g. native dialogs in serve mode)
  'cancelled',
  'busy',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ContractError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export type Reply<T> = { ok: true; value: T } | { ok: false; error: ContractError };

export const replySchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error: z.object({ code: z.enum(ERROR_CODES), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
  }),
]);

export function ok<T>(value: T): Reply<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, details?: Record<string, unknown>): Reply<never> {
  return { ok: false, error: details ? { code, message, details } : { code, message } };
}

/** An engine error as it crosses a thread or process boundary (engine/core SerializedError, structurally). */
export interface SerializedEngineError {
  module?: string;
  code: string;
  category: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * Map an engine error category (engine/core ErrorCategory) to the contract's error code. The engine's
 * own module/code travel in `details` so the UI can show them and tests can assert on them.
 */
export function contractErrorFromEngine(e: SerializedEngineError): ContractError {
  const details: Record<string, unknown> = { ...(e.details ?? {}), engineCode: e.code };
  if (e.module) details.module = e.module;
  return { code: codeForCategory(e.category, e.code), message: e.message, details };
}

function codeForCategory(category: string, engineCode: string): ErrorCode {
  if (engineCode === 'not-found') return 'not-found';
  switch (category) {
    case 'invalid-input':
    case 'rejected':
    case 'non-monotonic':
      return 'invalid-input';
    case 'usage':
      return 'invalid-request';
    case 'missing-data':
      return 'missing-data';
    case 'trust':
      return 'trust';
    case 'network':
      return 'unsupported';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'internal';
  }
}
