import { StellaError, type ErrorCategory, type ErrorDetails } from '../core';

export type ExportErrorCode =
  /** An evidence bundle that is not intact: unreadable archive, a member missing, extra or changed (exit 3). */
  | 'bundle-damaged'
  /** An evidence bundle whose signature does not verify, or whose signer is not trusted here (exit 6). */
  | 'bundle-untrusted'
  /** What to export is not in the store (exit 4). */
  | 'not-found'
  /** An export option this workstation cannot honour, e.g. a signing key verify.sh cannot check (exit 2). */
  | 'unsupported'
  | 'cancelled';

const CATEGORY: Record<ExportErrorCode, ErrorCategory> = {
  'bundle-damaged': 'invalid-input',
  'bundle-untrusted': 'trust',
  'not-found': 'missing-data',
  unsupported: 'usage',
  cancelled: 'cancelled',
};

/** engine/export's one error class. */
export class ExportError extends StellaError<ExportErrorCode> {
  readonly module = 'export';
  constructor(code: ExportErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(code, CATEGORY[code], message, options);
    this.name = 'ExportError';
  }
}
