import { StellaError, type ErrorCategory, type ErrorDetails } from '../core';

export type VexErrorCode =
  | 'invalid-document' // the bytes are not a valid document of the detected format (located message)
  | 'unsupported-format' // not OpenVEX, CSAF or CycloneDX VEX (the message says what it is when known)
  | 'unreadable-input' // missing file, too large, not a regular file
  | 'invalid-argument' // a bad value given by the caller (status, justification, purl, trust settings)
  | 'not-found'; // nothing stored under that name

const CATEGORY: Record<VexErrorCode, ErrorCategory> = {
  'invalid-document': 'invalid-input',
  'unsupported-format': 'invalid-input',
  'unreadable-input': 'invalid-input',
  'invalid-argument': 'usage',
  'not-found': 'missing-data',
};

export class VexError extends StellaError<VexErrorCode> {
  readonly module = 'vex';
  constructor(code: VexErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(code, CATEGORY[code], message, options);
    this.name = 'VexError';
  }
}

/** A located `invalid-document` error: `<file>: <json pointer>: expected …`. */
export function invalidDocument(file: string, path: string, expected: string, cause?: unknown): VexError {
  return new VexError('invalid-document', `${file}: ${path || '/'}: expected ${expected}`, {
    details: { file, path: path || '/', expected },
    ...(cause === undefined ? {} : { cause }),
  });
}
