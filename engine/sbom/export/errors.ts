import { StellaError, type ErrorCategory, type ErrorDetails } from '../../core';

export type SbomExportErrorCode =
  /** The requested format is not one the exporter writes. */
  | 'unsupported-format'
  /** The format is known but not in the requested spec version. */
  | 'unsupported-spec-version'
  /** The inventory cannot be written (duplicate/empty refs, …). */
  | 'invalid-inventory'
  /** The serializer library failed or is missing an optional dependency. */
  | 'serializer-failed';

const CATEGORY: Record<SbomExportErrorCode, ErrorCategory> = {
  'unsupported-format': 'usage',
  'unsupported-spec-version': 'usage',
  'invalid-inventory': 'invalid-input',
  'serializer-failed': 'internal',
};

export class SbomExportError extends StellaError<SbomExportErrorCode> {
  readonly module = 'sbom-export';
  constructor(code: SbomExportErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(code, CATEGORY[code], message, options);
    this.name = 'SbomExportError';
  }
}
