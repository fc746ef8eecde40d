import { StellaError, type ErrorCategory, type ErrorDetails } from '../core';

export type ScannerErrorCode =
  | 'target-not-found'
  | 'unsupported-target'
  | 'invalid-image'
  | 'no-analyzer'
  | 'plugin-dir-missing'
  | 'invalid-plugin'
  | 'worker-failed'
  | 'resource-limit'
  | 'cancelled';

const CATEGORY: Record<ScannerErrorCode, ErrorCategory> = {
  'target-not-found': 'invalid-input',
  'unsupported-target': 'invalid-input',
  'invalid-image': 'invalid-input',
  'no-analyzer': 'invalid-input',
  'plugin-dir-missing': 'internal',
  'invalid-plugin': 'invalid-input',
  'worker-failed': 'internal',
  // A worker stopped by its heap limit: the input needs more than the documented limit allows.
  'resource-limit': 'invalid-input',
  cancelled: 'cancelled',
};

export class ScannerError extends StellaError<ScannerErrorCode> {
  readonly module = 'scanner';
  constructor(code: ScannerErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(code, CATEGORY[code], message, options);
    this.name = 'ScannerError';
  }
}
