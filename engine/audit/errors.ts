import { StellaError, type ErrorCategory, type ErrorDetails } from '../core';

export type AuditErrorCode = 'invalid-entry' | 'chain-broken' | 'cancelled';

const CATEGORY: Record<AuditErrorCode, ErrorCategory> = {
  'invalid-entry': 'invalid-input',
  'chain-broken': 'trust',
  cancelled: 'cancelled',
};

export class AuditError extends StellaError<AuditErrorCode> {
  readonly module = 'audit';
  constructor(code: AuditErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(code, CATEGORY[code], message, options);
    this.name = 'AuditError';
  }
}
