import { AttestError, type AttestErrorCode } from '../errors';

const STD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const URL_SAFE = /^[A-Za-z0-9_-]*$/;

/**
 * Decode standard (padded) or URL-safe base64, refusing anything else. Node's decoder skips characters
 * it does not know, so without this check a damaged value could decode to the bytes of the original.
 */
export function decodeBase64Strict(s: unknown, what: string, code: AttestErrorCode = 'invalid-envelope'): Buffer {
  if (typeof s !== 'string') throw new AttestError(code, `${what}: expected a base64 string`, { details: { path: what, expected: 'base64 string' } });
  // canonical standard base64 round-trips exactly (cheaper than the pattern on large payloads)
  const std = Buffer.from(s, 'base64');
  if (std.toString('base64') === s) return std;
  if (STD.test(s)) return std;
  if (URL_SAFE.test(s) && s.length % 4 !== 1) return Buffer.from(s, 'base64url');
  throw new AttestError(code, `${what}: not valid base64`, { details: { path: what, expected: 'standard or URL-safe base64' } });
}
