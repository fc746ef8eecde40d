import { StellaError, type ErrorCategory, type ErrorDetails } from '../core';

export type AdvisoryErrorCode =
  | 'invalid-document' // the bytes are not a valid document of the detected format
  | 'unsupported-format' // no connector recognizes the document
  | 'unreadable-input' // file/archive cannot be read (missing, corrupt archive, too large)
  | 'no-advisories' // nothing is loaded, a scan cannot run
  | 'not-found'
  | 'aoc-violation'
  | 'not-an-advisory'; // a file/member that is visibly skipped (LICENSE, README, an index of other files)

const CATEGORY: Record<AdvisoryErrorCode, ErrorCategory> = {
  'invalid-document': 'invalid-input',
  'unsupported-format': 'invalid-input',
  'unreadable-input': 'invalid-input',
  'no-advisories': 'missing-data',
  'not-found': 'missing-data',
  'aoc-violation': 'rejected',
  'not-an-advisory': 'invalid-input',
};

export class AdvisoryError extends StellaError<AdvisoryErrorCode> {
  readonly module = 'advisories';
  constructor(code: AdvisoryErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(code, CATEGORY[code], message, options);
    this.name = 'AdvisoryError';
  }
}
