import { StellaError, type ErrorCategory, type ErrorDetails } from '../core';

export type StoreErrorCode =
  | 'home-unusable'
  | 'schema-too-new'
  | 'migration-failed'
  | 'blob-missing'
  | 'blob-corrupt'
  | 'not-found'
  | 'busy'
  | 'nested-write';

const CATEGORY: Record<StoreErrorCode, ErrorCategory> = {
  'home-unusable': 'invalid-input',
  'schema-too-new': 'invalid-input',
  'migration-failed': 'internal',
  'blob-missing': 'missing-data',
  'blob-corrupt': 'trust',
  'not-found': 'missing-data',
  busy: 'internal',
  'nested-write': 'internal',
};

export class StoreError extends StellaError<StoreErrorCode> {
  readonly module = 'store';
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(code, CATEGORY[code], message, options);
    this.name = 'StoreError';
  }
}
