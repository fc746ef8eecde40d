/**
 * DSSE (Dead Simple Signing Envelope) v1: the pre-authentication encoding, envelopes with any number of
 * signatures, and verification against a set of keys with a threshold. Signatures cover
 * PAE(payloadType, payload), never the JSON, so the envelope's serialization does not matter.
 */
import type { KeyObject } from 'node:crypto';
import { canonicalJson } from '../core';
import { keyFingerprints, verifySignature } from './crypto';
import { AttestError } from './errors';
import type { SigningKey } from './kms';
import { decodeBase64Strict } from './_internal/base64';

/** The payload type of in-toto statements. */
export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface DsseSignature {
  /** Unauthenticated hint naming the key; we write the key id and, when present, require it to match. */
  keyid: string;
  /** base64 */
  sig: string;
}

export interface DsseEnvelope {
  payloadType: string;
  /** base64 */
  payload: string;
  signatures: DsseSignature[];
}

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in ASCII decimal bytes. */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

/** Sign `payload` with every key (one signature each, in the given order). */
export async function signEnvelope(payloadType: string, payload: Uint8Array, keys: readonly SigningKey[]): Promise<DsseEnvelope> {
  if (keys.length === 0) throw new AttestError('invalid-envelope', 'a DSSE envelope needs at least one signing key');
  const bytes = pae(payloadType, payload);
  const signatures: DsseSignature[] = [];
  for (const k of keys) signatures.push({ keyid: k.keyId, sig: (await k.sign(bytes)).toString('base64') });
  return { payloadType, payload: Buffer.from(payload).toString('base64'), signatures };
}

/** Same, synchronously (keys held in this process), for use inside store transactions. */
export function signEnvelopeSync(payloadType: string, payload: Uint8Array, keys: readonly SigningKey[]): DsseEnvelope {
  if (keys.length === 0) throw new AttestError('invalid-envelope', 'a DSSE envelope needs at least one signing key');
  const bytes = pae(payloadType, payload);
  return { payloadType, payload: Buffer.from(payload).toString('base64'), signatures: keys.map((k) => ({ keyid: k.keyId, sig: k.signSync(bytes).toString('base64') })) };
}

/** Check the shape of an envelope (parsed JSON or text); `what` names it in errors. */
export function parseEnvelope(input: unknown, what = 'envelope'): DsseEnvelope {
  let v = input;
  if (typeof input === 'string') {
    try {
      v = JSON.parse(input);
    } catch (cause) {
      throw new AttestError('invalid-envelope', `${what}: not JSON (${(cause as Error).message})`, { cause, details: { file: what, expected: 'a DSSE envelope' } });
    }
  }
  const o = v as Record<string, unknown> | null;
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new AttestError('invalid-envelope', `${what}: expected a JSON object (a DSSE envelope)`, { details: { file: what } });
  if (typeof o.payloadType !== 'string' || o.payloadType === '') throw new AttestError('invalid-envelope', `${what}: /payloadType must be a non-empty string`, { details: { file: what, path: '/payloadType' } });
  decodeBase64Strict(o.payload, `${what}: /payload`);
  if (!Array.isArray(o.signatures) || o.signatures.length === 0) throw new AttestError('invalid-envelope', `${what}: /signatures must be a non-empty array`, { details: { file: what, path: '/signatures' } });
  const signatures = o.signatures.map((s: unknown, i: number): DsseSignature => {
    const so = s as Record<string, unknown> | null;
    if (so === null || typeof so !== 'object') throw new AttestError('invalid-envelope', `${what}: /signatures/${i} must be an object`, { details: { file: what, path: `/signatures/${i}` } });
    decodeBase64Strict(so.sig, `${what}: /signatures/${i}/sig`);
    if (so.keyid !== undefined && typeof so.keyid !== 'string') throw new AttestError('invalid-envelope', `${what}: /signatures/${i}/keyid must be a string`, { details: { file: what, path: `/signatures/${i}/keyid` } });
    return { keyid: (so.keyid as string | undefined) ?? '', sig: so.sig as string };
  });
  return { payloadType: o.payloadType, payload: o.payload as string, signatures };
}

export function envelopePayload(env: DsseEnvelope): Buffer {
  return decodeBase64Strict(env.payload, 'envelope /payload');
}

/** One line of an in-toto bundle / the stored form: canonical JSON, so equal envelopes are equal bytes. */
export function serializeEnvelope(env: DsseEnvelope): string {
  return canonicalJson({ payloadType: env.payloadType, payload: env.payload, signatures: env.signatures.map((s) => (s.keyid ? { keyid: s.keyid, sig: s.sig } : { sig: s.sig })) });
}

export interface VerificationKey {
  keyId: string;
  publicKey: KeyObject;
  /** Where the key comes from (keystore name, trust entry), for reports. */
  label?: string;
}

export type SignatureStatus = 'verified' | 'bad-signature' | 'unknown-key';

export interface DsseVerification {
  /** At least `threshold` distinct keys produced a valid signature. */
  verified: boolean;
  threshold: number;
  signatures: { index: number; keyid: string; status: SignatureStatus; keyId?: string; label?: string }[];
  /** Distinct key ids that verified, sorted. */
  verifiedKeyIds: string[];
}

const idCache = new WeakMap<KeyObject, Set<string>>();

/** Every spelling of a key's id a signature may use (cached per key object: verification is hot). */
function idsOf(k: VerificationKey): Set<string> {
  let ids = idCache.get(k.publicKey);
  if (!ids) idCache.set(k.publicKey, (ids = new Set(keyFingerprints(k.publicKey))));
  return ids.has(k.keyId) ? ids : new Set([k.keyId, ...ids]);
}

/**
 * Verify each signature against `keys`. A signature that names a key id is checked with that key only
 * (a changed key id therefore fails, instead of silently trying every key); one without a key id, or
 * any signature when `ignoreKeyIds` is set, is tried against every key.
 */
export function verifyEnvelope(env: DsseEnvelope, keys: readonly VerificationKey[], opts: { threshold?: number; ignoreKeyIds?: boolean } = {}): DsseVerification {
  const threshold = opts.threshold ?? 1;
  const bytes = pae(env.payloadType, envelopePayload(env));
  const verified = new Set<string>();
  const fingerprints = keys.map((k) => ({ k, ids: idsOf(k) }));
  const signatures = env.signatures.map((s, index) => {
    const sig = decodeBase64Strict(s.sig, `envelope /signatures/${index}/sig`);
    // `ignoreKeyIds`: the caller named the key itself (`--key`), and other producers' key ids
    // (`keystore://…`, KMS paths) are their own naming, not our fingerprints.
    const candidates = s.keyid && !opts.ignoreKeyIds ? fingerprints.filter((f) => f.ids.has(s.keyid)).map((f) => f.k) : keys;
    if (candidates.length === 0) return { index, keyid: s.keyid, status: 'unknown-key' as const };
    const hit = candidates.find((k) => verifySignature(k.publicKey, bytes, sig));
    if (!hit) return { index, keyid: s.keyid, status: 'bad-signature' as const };
    verified.add(hit.keyId);
    return { index, keyid: s.keyid, status: 'verified' as const, keyId: hit.keyId, ...(hit.label !== undefined ? { label: hit.label } : {}) };
  });
  return { verified: verified.size >= threshold && threshold > 0, threshold, signatures, verifiedKeyIds: [...verified].sort() };
}

/** `verifyEnvelope` that throws a trust error describing each failing signature. */
export function assertEnvelopeVerified(env: DsseEnvelope, keys: readonly VerificationKey[], opts: { threshold?: number; what?: string } = {}): DsseVerification {
  const r = verifyEnvelope(env, keys, opts);
  if (!r.verified) {
    const why = r.signatures.map((s) => `signature ${s.index}${s.keyid ? ` (keyid ${s.keyid.slice(0, 16)}…)` : ''}: ${s.status}`).join('; ');
    throw new AttestError(r.signatures.some((s) => s.status === 'unknown-key') && !r.signatures.some((s) => s.status === 'bad-signature') ? 'untrusted-key' : 'signature-invalid', `${opts.what ?? 'envelope'}: ${r.verifiedKeyIds.length} of ${r.threshold} required trusted signature(s) verified — ${why}`, {
      details: { signatures: r.signatures },
    });
  }
  return r;
}
