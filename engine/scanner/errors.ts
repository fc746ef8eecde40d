import { StellaError, type ErrorCategory, type ErrorDetails } from '../core';

export type ScannerErrorCode =
  | 'target-not-found'
  | 'unsupported-target'
  | 'invalid-image'
  | 'no-analyzer'
  | 'plugin-dir-missing'
  | 'worker-failed'
  | 'cancelled';

const CATEGORY: Record<ScannerErrorCode, ErrorCategory> = {
  'target-not-found': 'invalid-input',
  'unsupported-target': 'invalid-input',
  'invalid-image': 'invalid-input',
  'no-analyzer': 'invalid-input',
  'plugin-dir-missing': 'internal',
  'worker-failed': 'internal',
  cancelled: 'cancelled',
};

export class ScannerError extends StellaError<ScannerErrorCode> {
  readonly module = 'scanner';
  constructor(code: ScannerErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(code, CATEGORY[code], message, options);
    this.name = 'ScannerError';
  }
}
