import { StellaError, type ErrorCategory, type ErrorDetails } from '../core';

export type JobErrorCode =
  /** A target path that does not exist or cannot be read. */
  | 'target-unreadable'
  /** A stored record that the job just wrote cannot be read back (a store fault). */
  | 'readback-failed'
  /** A stored record the caller named (a scan, a log entry) does not exist. */
  | 'not-found'
  /** A stored SBOM that does not describe a container image (it was not made by inventorying one). */
  | 'not-an-image';

const CATEGORY: Record<JobErrorCode, ErrorCategory> = {
  'target-unreadable': 'invalid-input',
  'readback-failed': 'internal',
  'not-found': 'missing-data',
  'not-an-image': 'missing-data',
};

export class JobError extends StellaError<JobErrorCode> {
  readonly module = 'jobs';
  constructor(code: JobErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(code, CATEGORY[code], message, options);
    this.name = 'JobError';
  }
}
