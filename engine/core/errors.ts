/**
 * Errors: one class per engine module, each with a literal `code` union, an optional `cause`
 * and structured `details`. Every code maps to one CLI exit category so that hosts (CLI, IPC,
 * serve) report failures the same way.
 */

/** What kind of failure this is, as the outside world sees it (drives CLI exit codes and IPC error codes). */
export type ErrorCategory =
  | 'rejected' // a policy or verification said no            -> exit 1
  | 'usage' // wrong command line / wrong call                -> exit 2
  | 'invalid-input' // the input is malformed or unsupported  -> exit 3
  | 'missing-data' // required data is not in the store       -> exit 4
  | 'network' // the operation would need the network         -> exit 5
  | 'trust' // signature or digest failure                     -> exit 6
  | 'non-monotonic' // a kit version went backwards           -> exit 8
  | 'internal' // a bug or an environment failure             -> exit 10
  | 'cancelled'; // the user cancelled                         -> exit 130

export const EXIT_CODES: Readonly<Record<ErrorCategory, number>> = Object.freeze({
  rejected: 1,
  usage: 2,
  'invalid-input': 3,
  'missing-data': 4,
  network: 5,
  trust: 6,
  'non-monotonic': 8,
  internal: 10,
  cancelled: 130,
});

export interface ErrorDetails {
  /** File the problem is in, when there is one. */
  file?: string;
  /** JSON pointer / XPath-like location inside the document (e.g. `/components/3/purl`). */
  path?: string;
  /** What was expected at that location. */
  expected?: string;
  /** Line/column for text formats. */
  line?: number;
  column?: number;
  [key: string]: unknown;
}

/** Base class; never thrown directly — each module defines its own subclass with a code union. */
export abstract class StellaError<Code extends string = string> extends Error {
  abstract readonly module: string;
  readonly code: Code;
  readonly category: ErrorCategory;
  readonly details: ErrorDetails;

  constructor(code: Code, category: ErrorCategory, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.category = category;
    this.details = options?.details ?? {};
  }

  get exitCode(): number {
    return EXIT_CODES[this.category];
  }

  /** A plain, serializable form for IPC/worker messages and `--json` output. */
  toJSON(): SerializedError {
    return { module: this.module, code: this.code, category: this.category, message: this.message, details: this.details };
  }
}

export interface SerializedError {
  module: string;
  code: string;
  category: ErrorCategory;
  message: string;
  details: ErrorDetails;
}

export type CoreErrorCode = 'invalid-json' | 'non-canonicalizable' | 'invalid-digest' | 'invalid-archive' | 'cancelled' | 'internal';

const CORE_CATEGORY: Record<CoreErrorCode, ErrorCategory> = {
  'invalid-json': 'invalid-input',
  'non-canonicalizable': 'invalid-input',
  'invalid-digest': 'invalid-input',
  'invalid-archive': 'invalid-input',
  cancelled: 'cancelled',
  internal: 'internal',
};

export class CoreError extends StellaError<CoreErrorCode> {
  readonly module = 'core';
  constructor(code: CoreErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(code, CORE_CATEGORY[code], message, options);
    this.name = 'CoreError';
  }
}

export function isStellaError(e: unknown): e is StellaError {
  return e instanceof StellaError;
}

/** Serialize any thrown value; unknown errors become `internal`. */
export function serializeError(e: unknown): SerializedError {
  if (isStellaError(e)) return e.toJSON();
  if (e instanceof Error && e.name === 'AbortError') {
    return { module: 'core', code: 'cancelled', category: 'cancelled', message: 'cancelled', details: {} };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { module: 'core', code: 'internal', category: 'internal', message, details: {} };
}

/** Exit code for any thrown value (unknown errors are internal errors). */
export function exitCodeOf(e: unknown): number {
  return EXIT_CODES[serializeError(e).category];
}

/** Throws a `cancelled` CoreError when the signal is aborted; call at safe points of long loops. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CoreError('cancelled', 'cancelled');
}

/**
 * A cooperative cancellation point for long loops: throws when cancelled, then yields to the event loop
 * (so a worker's cancel message or a SIGINT handler can run), then checks again. A synchronous loop
 * without such points cannot be cancelled at all: the abort would only be seen after it ends.
 */
export async function yieldAndCheck(signal: AbortSignal | undefined): Promise<void> {
  throwIfCancelled(signal);
  await new Promise<void>((resolve) => setImmediate(resolve));
  throwIfCancelled(signal);
}
