/**
 * Signatures over a kit / mirror manifest: a DSSE envelope (payload = the manifest bytes) and a detached
 * JWS (RFC 7515 compact serialization with the payload detached, RFC 7797 `b64: false` so the payload
 * is the manifest's bytes themselves, not their base64url). Both are made by the same key; both must
 * verify against a key the workstation trusts for `kits`.
 *
 * The JWS is signed through the `SigningKey` role interface (a KMS or HSM never hands out its private
 * key), over exactly the JWS signing input `BASE64URL(protected header) || "." || payload`, and is
 * verified with the `jose` library. JWS has no algorithm for SM2, and `jose` cannot read RSASSA-PSS
 * public keys (`id-RSASSA-PSS` SPKI), so kits are signed with Ed25519 (EdDSA), P-256 (ES256) or P-384
 * (ES384) keys.
 */
import type { KeyObject } from 'node:crypto';
import { flattenedVerify } from 'jose';
import {
  type DsseEnvelope,
  type SigningAlgorithm,
  type SigningKey,
  AttestError,
  algorithmOfKey,
  parseEnvelope,
  envelopePayload,
  serializeEnvelope,
  signEnvelope,
  trustedKeysFor,
  verifyEnvelopeForPurpose,
} from '../attest';
import { canonicalJson } from '../core';
import type { Store } from '../store';
import { ExportError } from './errors';
import { MANIFEST_PAYLOAD_TYPE } from './kit-manifest';

type JwsAlg = 'EdDSA' | 'ES256' | 'ES384';

const JWS_ALG: Partial<Record<SigningAlgorithm, JwsAlg>> = { ed25519: 'EdDSA', p256: 'ES256', p384: 'ES384' };
/** Bytes of r and of s in a JWS ECDSA signature (RFC 7518 §3.4). */
const ECDSA_PART_BYTES: Partial<Record<JwsAlg, number>> = { ES256: 32, ES384: 48 };

/** The algorithms a kit can be signed with (they have a JWS algorithm `jose` verifies). */
export const KIT_SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = ['ed25519', 'p256', 'p384'];

export function assertKitSigningKey(key: SigningKey): JwsAlg {
  const alg = JWS_ALG[key.algorithm];
  if (!alg) {
    throw new ExportError('invalid-argument', `key ${key.name ?? key.keyId} is ${key.algorithm}: kits carry a JWS, which has no ${key.algorithm} algorithm here; sign kits with an ${KIT_SIGNING_ALGORITHMS.join(', ')} key (--key NAME)`, {
      details: { expected: KIT_SIGNING_ALGORITHMS.join('|') },
    });
  }
  return alg;
}

/** DER ECDSA signature → the fixed-length r‖s JWS uses. */
function derToJose(der: Buffer, part: number): Buffer {
  let off = 0;
  const fail = (): never => {
    throw new ExportError('invalid-argument', 'the signing key returned an ECDSA signature that is not DER');
  };
  if (der[off++] !== 0x30) fail();
  let len = der[off++]!;
  if (len & 0x80) off += len & 0x7f;
  const int = (): Buffer => {
    if (der[off++] !== 0x02) fail();
    len = der[off++]!;
    let v = der.subarray(off, off + len);
    off += len;
    while (v.length > part && v[0] === 0) v = v.subarray(1);
    if (v.length > part) fail();
    return Buffer.concat([Buffer.alloc(part - v.length), v]);
  };
  return Buffer.concat([int(), int()]);
}

/** The detached compact JWS over `payload`: `<protected>..<signature>`. */
export async function signDetachedJws(payload: Uint8Array, key: SigningKey): Promise<string> {
  const alg = assertKitSigningKey(key);
  const header = Buffer.from(canonicalJson({ alg, b64: false, crit: ['b64'], kid: key.keyId }), 'utf8').toString('base64url');
  const input = Buffer.concat([Buffer.from(`${header}.`, 'ascii'), payload]);
  const raw = await key.sign(input);
  const part = ECDSA_PART_BYTES[alg];
  const sig = part ? derToJose(raw, part) : raw;
  return `${header}..${sig.toString('base64url')}`;
}

export interface ManifestSignatures {
  /** The DSSE envelope, canonical JSON. */
  dsse: string;
  /** Compact detached JWS. */
  jws: string;
}

export async function signManifest(manifest: Uint8Array, key: SigningKey): Promise<ManifestSignatures> {
  assertKitSigningKey(key);
  const env = await signEnvelope(MANIFEST_PAYLOAD_TYPE, manifest, [key]);
  return { dsse: serializeEnvelope(env), jws: await signDetachedJws(manifest, key) };
}

export interface SignatureCheck {
  keyId: string;
  /** Where the trusted key comes from (`workstation key default`, `trusted key vendor`). */
  label: string;
}

/**
 * Verify the DSSE envelope over the manifest against the keys trusted for kits; the envelope's payload
 * must be the manifest's bytes exactly.
 */
export function verifyManifestEnvelope(store: Store, dsseText: string, manifest: Uint8Array, label: string): SignatureCheck {
  let env: DsseEnvelope;
  try {
    env = parseEnvelope(dsseText, `${label} signature`);
  } catch (e) {
    throw new ExportError('signature-invalid', `${label}: the manifest signature is not a DSSE envelope (${(e as Error).message})`, { cause: e, details: { file: label, path: 'manifest.dsse.json' } });
  }
  if (env.payloadType !== MANIFEST_PAYLOAD_TYPE) {
    throw new ExportError('signature-invalid', `${label}: the signature's payload type is ${JSON.stringify(env.payloadType)}, not ${MANIFEST_PAYLOAD_TYPE}`, { details: { file: label, path: 'manifest.dsse.json' } });
  }
  if (!envelopePayload(env).equals(Buffer.from(manifest))) {
    throw new ExportError('signature-invalid', `${label}: the signed payload is not this manifest (the manifest was changed or the signature swapped)`, { details: { file: label, path: 'manifest.dsse.json' } });
  }
  try {
    const r = verifyEnvelopeForPurpose(store, env, 'kits', { what: `${label} signature` });
    const hit = r.signatures.find((s) => s.status === 'verified');
    return { keyId: hit?.keyId ?? r.verifiedKeyIds[0] ?? '', label: hit?.label ?? '' };
  } catch (e) {
    if (e instanceof AttestError) {
      throw new ExportError('signature-invalid', `${label}: ${e.message} (trust the producer's key for kits with \`stella trust add KEY.pem --purpose kits\`)`, { cause: e, details: { file: label, path: 'manifest.dsse.json' } });
    }
    throw e;
  }
}

/** Verify the detached JWS over the manifest with the kits-trusted key its `kid` names, through `jose`. */
export async function verifyManifestJws(store: Store, jws: string, manifest: Uint8Array, label: string): Promise<SignatureCheck> {
  const fail = (message: string, cause?: unknown): ExportError =>
    new ExportError('jws-invalid', `${label}: JWS ${message}`, { ...(cause === undefined ? {} : { cause }), details: { file: label, path: 'manifest.jws' } });
  const parts = jws.trim().split('.');
  if (parts.length !== 3 || parts[1] !== '' || !parts[0] || !parts[2]) throw fail('is not a compact serialization with a detached payload (<header>..<signature>)');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch (e) {
    throw fail('protected header is not base64url JSON', e);
  }
  if (header.b64 !== false) throw fail('must use the unencoded payload option (b64: false, RFC 7797)');
  const kid = header.kid;
  if (typeof kid !== 'string') throw fail('protected header has no kid');
  const key = trustedKeysFor(store, 'kits').find((k) => k.keyId === kid);
  if (!key) throw fail(`names key ${kid}, which is not trusted for kits`);
  const alg = JWS_ALG[algorithmOfKey(key.publicKey) as SigningAlgorithm];
  if (!alg) throw fail(`key ${kid} has no JWS algorithm`);
  try {
    await flattenedVerify({ protected: parts[0], payload: manifest, signature: parts[2] }, key.publicKey as KeyObject, { algorithms: [alg] });
  } catch (e) {
    throw fail(`does not verify with ${key.label ?? kid} (${(e as Error).message})`, e);
  }
  return { keyId: kid, label: key.label ?? kid };
}
