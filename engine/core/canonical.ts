/**
 * Canonical JSON (RFC 8785, JSON Canonicalization Scheme) and `sha256:<hex>` digests.
 * Everything hashed or signed goes through here so there is exactly one definition of "the bytes".
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { fastCanonicalJson, NOT_PLAIN } from './_internal/canonical-fast';
import { CoreError } from './errors';

/**
 * RFC 8785 canonical form of a JSON value — the one entry point for canonical JSON in Stella. Plain data
 * takes the fast path (`_internal/canonical-fast.ts`); values with `toJSON` (a Date) go through the generic
 * implementation (the `canonicalize` package). Both give the same bytes (canonical.test.ts). Throws
 * for values JSON cannot represent: NaN, ±Infinity, functions, symbols, bigints, undefined at top level.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) throw new CoreError('non-canonicalizable', 'value cannot be canonicalized (undefined)');
  try {
    return fastCanonicalJson(value);
  } catch (e) {
    if (e !== NOT_PLAIN) throw new CoreError('non-canonicalizable', `value cannot be canonicalized: ${(e as Error).message}`, { cause: e });
  }
  return genericCanonicalJson(value);
}

/** The generic RFC 8785 implementation (`canonicalize`), for values the fast path does not take. */
function genericCanonicalJson(value: unknown): string {
  let out: string | undefined;
  try {
    out = canonicalize(value);
  } catch (cause) {
    throw new CoreError('non-canonicalizable', `value cannot be canonicalized: ${(cause as Error).message}`, { cause });
  }
  if (out === undefined) throw new CoreError('non-canonicalizable', 'value cannot be canonicalized (undefined)');
  return out;
}

export type Digest = `sha256:${string}`;

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

export function isDigest(s: unknown): s is Digest {
  return typeof s === 'string' && DIGEST_RE.test(s);
}

export function assertDigest(s: string, what = 'digest'): Digest {
  if (!isDigest(s)) throw new CoreError('invalid-digest', `${what}: expected "sha256:" followed by 64 lowercase hex digits, got ${JSON.stringify(s.slice(0, 80))}`);
  return s;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256Digest(data: string | Uint8Array): Digest {
  return `sha256:${sha256Hex(data)}`;
}

/** Digest of the canonical JSON form of a value. */
export function digestJson(value: unknown): Digest {
  return sha256Digest(canonicalJson(value));
}

/** Hex part of a digest. */
export function digestHex(d: Digest): string {
  return d.slice('sha256:'.length);
}
