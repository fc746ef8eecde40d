import { StellaError, type ErrorCategory, type ErrorDetails } from '../core';

export type ReplayErrorCode = 'invalid-manifest' | 'inputs-missing' | 'cancelled';

const CATEGORY: Record<ReplayErrorCode, ErrorCategory> = {
  'invalid-manifest': 'invalid-input',
  'inputs-missing': 'missing-data',
  cancelled: 'cancelled',
};

/** engine/replay's one error class: a manifest that is not one (exit 3), inputs the store no longer has (exit 4). */
export class ReplayError extends StellaError<ReplayErrorCode> {
  readonly module = 'replay';
  constructor(code: ReplayErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(code, CATEGORY[code], message, options);
    this.name = 'ReplayError';
  }
}
