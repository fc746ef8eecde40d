/**
 * Errors of the match module (version comparators, range evaluation, matchers). One class for the
 * module; add new codes to the union and to CATEGORY (the compiler checks the mapping is complete).
 */
import { StellaError, type ErrorCategory, type ErrorDetails } from '../core';

export type MatchErrorCode =
  /** A version string the ecosystem's own tool rejects (details: ecosystem, version, expected). */
  | 'invalid-version'
  /** An ecosystem name we have no comparator for (details: ecosystem, expected = the known names). */
  | 'unknown-ecosystem'
  /** A version range / constraint that cannot be parsed. */
  | 'invalid-range';

const CATEGORY: Record<MatchErrorCode, ErrorCategory> = {
  'invalid-version': 'invalid-input',
  'unknown-ecosystem': 'usage',
  'invalid-range': 'invalid-input',
};

export class MatchError extends StellaError<MatchErrorCode> {
  readonly module = 'match';
  constructor(code: MatchErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(code, CATEGORY[code], message, options);
    this.name = 'MatchError';
  }
}

export function isMatchError(e: unknown): e is MatchError {
  return e instanceof MatchError;
}
