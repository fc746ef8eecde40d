/**
 * Errors of the policy module. Lint problems are not errors (they are diagnostics in a result); an
 * error is thrown when a pack cannot be used at all or an input is malformed.
 */
import { StellaError, type ErrorCategory, type ErrorDetails } from '../core';

export type PolicyErrorCode =
  /** A pack that cannot be read (missing, not a directory or .tar.gz, unsafe or oversized archive). */
  | 'pack-unreadable'
  /** pack.yaml, exceptions.yaml or a fixture is malformed (details name the file and field). */
  | 'invalid-pack'
  /** The pack's policies have lint errors; details.diagnostics lists them. */
  | 'policy-errors'
  /** An evaluation input (scan document, date, environment value) is malformed. */
  | 'invalid-input'
  /** A stored scan or finding that is not there. */
  | 'not-found'
  /** An IR that does not come from this compiler (a bug, or a hand-edited IR). */
  | 'invalid-ir'
  /** An imported pack version exists with another digest: versions are immutable. */
  | 'version-exists'
  /** The key has already approved this version (the two-person rule needs another key). */
  | 'already-approved'
  /** Activation refused: the version lacks the approvals it needs (details.approvals, details.required). */
  | 'not-approved';

const CATEGORY: Record<PolicyErrorCode, ErrorCategory> = {
  'pack-unreadable': 'invalid-input',
  'invalid-pack': 'invalid-input',
  'policy-errors': 'invalid-input',
  'invalid-input': 'invalid-input',
  'not-found': 'missing-data',
  'invalid-ir': 'internal',
  'version-exists': 'invalid-input',
  'already-approved': 'rejected',
  'not-approved': 'rejected',
};

export class PolicyError extends StellaError<PolicyErrorCode> {
  readonly module = 'policy';
  constructor(code: PolicyErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(code, CATEGORY[code], message, options);
    this.name = 'PolicyError';
  }
}

export function isPolicyError(e: unknown): e is PolicyError {
  return e instanceof PolicyError;
}
