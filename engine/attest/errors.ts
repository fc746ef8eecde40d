import { StellaError, type ErrorCategory, type ErrorDetails } from '../core';

export type AttestErrorCode =
  // keys and passphrases
  | 'passphrase-required'
  | 'wrong-passphrase'
  | 'key-not-found'
  | 'key-exists'
  | 'invalid-name'
  | 'key-file-corrupt'
  | 'unsupported-algorithm'
  | 'profile-unavailable'
  | 'invalid-key'
  // documents we parse
  | 'invalid-envelope'
  | 'invalid-statement'
  | 'invalid-predicate'
  | 'invalid-bundle'
  | 'invalid-trusted-root'
  | 'invalid-checkpoint'
  | 'invalid-proof'
  | 'invalid-entry'
  // verification said no
  | 'signature-invalid'
  | 'untrusted-key'
  | 'digest-mismatch'
  | 'proof-failed'
  | 'log-inconsistent'
  | 'verification-failed'
  // the store
  | 'log-entry-not-found'
  | 'trust-exists'
  | 'trust-not-found'
  | 'cancelled';

const CATEGORY: Record<AttestErrorCode, ErrorCategory> = {
  'passphrase-required': 'usage',
  'wrong-passphrase': 'trust',
  'key-not-found': 'missing-data',
  'key-exists': 'invalid-input',
  'invalid-name': 'usage',
  'key-file-corrupt': 'trust',
  'unsupported-algorithm': 'usage',
  'profile-unavailable': 'usage',
  'invalid-key': 'invalid-input',
  'invalid-envelope': 'invalid-input',
  'invalid-statement': 'invalid-input',
  'invalid-predicate': 'invalid-input',
  'invalid-bundle': 'invalid-input',
  'invalid-trusted-root': 'invalid-input',
  'invalid-checkpoint': 'invalid-input',
  'invalid-proof': 'invalid-input',
  'invalid-entry': 'invalid-input',
  'signature-invalid': 'trust',
  'untrusted-key': 'trust',
  'digest-mismatch': 'trust',
  'proof-failed': 'trust',
  'log-inconsistent': 'trust',
  'verification-failed': 'trust',
  'log-entry-not-found': 'missing-data',
  'trust-exists': 'invalid-input',
  'trust-not-found': 'missing-data',
  cancelled: 'cancelled',
};

export class AttestError extends StellaError<AttestErrorCode> {
  readonly module = 'attest';
  constructor(code: AttestErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(code, CATEGORY[code], message, options);
    this.name = 'AttestError';
  }
}
