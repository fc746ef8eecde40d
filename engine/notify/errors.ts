import { StellaError, type ErrorCategory, type ErrorDetails } from '../core';

export type NotifyErrorCode =
  /** A rules file that is not valid notification settings (names the field). */
  | 'invalid-rules'
  /** A wrong argument (event kind, severity). */
  | 'invalid-argument'
  /** A digest file could not be written. */
  | 'write-failed';

const CATEGORY: Record<NotifyErrorCode, ErrorCategory> = {
  'invalid-rules': 'invalid-input',
  'invalid-argument': 'usage',
  'write-failed': 'internal',
};

export class NotifyError extends StellaError<NotifyErrorCode> {
  readonly module = 'notify';
  constructor(code: NotifyErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(code, CATEGORY[code], message, options);
    this.name = 'NotifyError';
  }
}
