import { StellaError, type ErrorCategory, type ErrorDetails } from '../core';

export type SbomErrorCode =
  | 'unknown-format'
  | 'unsupported-version'
  | 'invalid-encoding'
  | 'malformed'
  | 'too-large'
  | 'too-deep'
  | 'forbidden-construct'
  | 'schema-invalid'
  | 'semantic-invalid'
  | 'file-unreadable'
  | 'not-found'
  | 'cancelled';

const CATEGORY: Record<SbomErrorCode, ErrorCategory> = {
  'unknown-format': 'invalid-input',
  'unsupported-version': 'invalid-input',
  'invalid-encoding': 'invalid-input',
  malformed: 'invalid-input',
  'too-large': 'invalid-input',
  'too-deep': 'invalid-input',
  'forbidden-construct': 'invalid-input',
  'schema-invalid': 'invalid-input',
  'semantic-invalid': 'invalid-input',
  'file-unreadable': 'invalid-input',
  'not-found': 'missing-data',
  cancelled: 'cancelled',
};

/** One problem found in a document: where (JSON pointer / XPath-like) and what was expected there. */
export interface SbomProblem {
  path: string;
  message: string;
  expected?: string;
}

export interface SbomErrorDetails extends ErrorDetails {
  /** Every problem found (validation may report more than one). */
  problems?: SbomProblem[];
}

export class SbomError extends StellaError<SbomErrorCode> {
  readonly module = 'sbom';
  declare readonly details: SbomErrorDetails;
  constructor(code: SbomErrorCode, message: string, options?: { cause?: unknown; details?: SbomErrorDetails }) {
    super(code, CATEGORY[code], message, options);
    this.name = 'SbomError';
  }
}
