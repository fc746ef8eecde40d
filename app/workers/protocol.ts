/**
 * The worker protocol (Signal-Desktop style): tagged messages on one MessagePort.
 *   host → worker  {type:'call', seq, method, args} · {type:'cancel', seq} · {type:'shutdown'}
 *   worker → host  {type:'ready'} · {type:'init-failed', error} · {type:'result', seq, result}
 *                  {type:'error', seq, error} · {type:'progress', seq, progress} · {type:'log', level, message}
 * Every message is validated on arrival in both directions; a malformed one is logged and dropped
 * (from the host side, a malformed reply for a pending call fails that call — it is never lost).
 */
import { z } from 'zod';

export const ROLES = ['writer', 'reader'] as const;
export type WorkerRole = (typeof ROLES)[number];

/** A serialized error: `kind` says where it came from, `code`/`category` follow engine/core. */
export const wireErrorSchema = z.object({
  kind: z.enum(['engine', 'invalid-args', 'unknown-method', 'cancelled', 'crashed', 'internal', 'shutdown']),
  module: z.string().optional(),
  code: z.string(),
  category: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type WireError = z.infer<typeof wireErrorSchema>;

export const progressSchema = z.object({
  phase: z.string().max(200),
  done: z.number().finite().nonnegative(),
  total: z.number().finite().nonnegative().optional(),
  message: z.string().max(2000).optional(),
});
export type WireProgress = z.infer<typeof progressSchema>;

const seq = z.number().int().nonnegative();

export const hostToWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), seq, method: z.string().min(1).max(100), args: z.unknown() }),
  z.object({ type: z.literal('cancel'), seq }),
  z.object({ type: z.literal('shutdown') }),
]);
export type HostToWorker = z.infer<typeof hostToWorkerSchema>;

export const workerToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('init-failed'), error: wireErrorSchema }),
  z.object({ type: z.literal('result'), seq, result: z.unknown() }),
  z.object({ type: z.literal('error'), seq, error: wireErrorSchema }),
  z.object({ type: z.literal('progress'), seq, progress: progressSchema }),
  z.object({ type: z.literal('log'), level: z.enum(['debug', 'info', 'warn', 'error']), message: z.string() }),
]);
export type WorkerToHost = z.infer<typeof workerToHostSchema>;

/** What each worker gets in `workerData`. */
export const workerDataSchema = z.object({
  role: z.enum(ROLES),
  home: z.string().min(1),
  /** Enables the `__test.*` methods (sleep with progress, crash). Never set by the apps. */
  testHooks: z.boolean().default(false),
});
export type WorkerData = z.infer<typeof workerDataSchema>;

/** An error carrying a WireError across the pool API (rejections of `EnginePool.call`). */
export class WorkerCallError extends Error {
  readonly wire: WireError;
  constructor(wire: WireError) {
    super(wire.message);
    this.name = 'WorkerCallError';
    this.wire = wire;
  }
}
