import { StellaError, type ErrorCategory, type ErrorDetails } from '../core';

/**
 * Errors of engine/export. Evidence bundles: not intact is invalid input (3), a signature that does not
 * verify or a signer not trusted here is a trust failure (6). Offline kits and mirror bundles: what cannot be read is invalid input (3);
 * what does not verify — a signature, the JWS, a file digest, a file missing from or added to what the
 * signed manifest lists, media that read back differently — is a trust failure (6); a kit version that
 * does not move forward is non-monotonic (8).
 */
export type ExportErrorCode =
  /** An evidence bundle that is not intact: unreadable archive, a member missing, extra or changed (exit 3). */
  | 'bundle-damaged'
  /** An evidence bundle whose signature does not verify, or whose signer is not trusted here (exit 6). */
  | 'bundle-untrusted'
  /** An export option this workstation cannot honour, e.g. a signing key verify.sh cannot check (exit 2). */
  | 'unsupported'
  /** A wrong option or argument (channel, version, key, output path). */
  | 'invalid-argument'
  /** A build input (feed, VEX, plug-in, policy pack, trust root) that cannot be used. */
  | 'input-invalid'
  /** The kit or bundle cannot be read as one (not a .tar.gz, not a bundle folder, damaged). */
  | 'kit-unreadable'
  /** The manifest is not a kit or mirror manifest this workstation reads. */
  | 'manifest-invalid'
  /** The DSSE signature over the manifest does not verify against the keys trusted for kits. */
  | 'signature-invalid'
  /** The detached JWS over the manifest does not verify. */
  | 'jws-invalid'
  /** A file's bytes do not hash to the digest the signed manifest records. */
  | 'digest-mismatch'
  /** A file the signed manifest lists is not there. */
  | 'file-missing'
  /** A file is there that the signed manifest does not list. */
  | 'file-unexpected'
  /** The kit's version is not newer than the active one on its channel. */
  | 'non-monotonic'
  /** A delta mirror bundle whose base is not active here. */
  | 'base-missing'
  /** A document inside a verified kit that this workstation does not accept. */
  | 'document-rejected'
  /** Nothing to export, or a named snapshot / quarantine entry that does not exist. */
  | 'not-found'
  /** The target folder has too little free space. */
  | 'no-space'
  /** Media read back with different bytes than were written. */
  | 'readback-failed'
  /** Writing failed (disk error, permissions). */
  | 'write-failed'
  | 'cancelled';

const CATEGORY: Record<ExportErrorCode, ErrorCategory> = {
  'bundle-damaged': 'invalid-input',
  'bundle-untrusted': 'trust',
  unsupported: 'usage',
  'invalid-argument': 'usage',
  'input-invalid': 'invalid-input',
  'kit-unreadable': 'invalid-input',
  'manifest-invalid': 'invalid-input',
  'signature-invalid': 'trust',
  'jws-invalid': 'trust',
  'digest-mismatch': 'trust',
  'file-missing': 'trust',
  'file-unexpected': 'trust',
  'non-monotonic': 'non-monotonic',
  'base-missing': 'missing-data',
  'document-rejected': 'invalid-input',
  'not-found': 'missing-data',
  'no-space': 'usage',
  'readback-failed': 'trust',
  'write-failed': 'internal',
  cancelled: 'cancelled',
};

/** engine/export's one error class. */
export class ExportError extends StellaError<ExportErrorCode> {
  readonly module = 'export';
  constructor(code: ExportErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(code, CATEGORY[code], message, options);
    this.name = 'ExportError';
  }
}
