/**
 * Rekor-compatible entry bodies — the canonicalized JSON Rekor v1 stores for its `hashedrekord` 0.0.1,
 * `dsse` 0.0.1 and `intoto` 0.0.2 kinds — so that a bundle's `tlogEntries[].canonicalizedBody` from the
 * embedded log is checked by @sigstore/verify exactly like one from Rekor. Bodies are RFC 8785
 * canonical JSON (Rekor canonicalizes too; equal entries are equal bytes, which the log de-duplicates).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../core';
import { type DsseEnvelope, envelopePayload } from './dsse';
import { AttestError } from './errors';
import { decodeBase64Strict } from './_internal/base64';

export type RekorKind = 'hashedrekord' | 'dsse' | 'intoto';

export const REKOR_API_VERSIONS: Readonly<Record<RekorKind, string>> = { hashedrekord: '0.0.1', dsse: '0.0.1', intoto: '0.0.2' };

const sha256Hex = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');
const b64 = (s: string | Uint8Array): string => Buffer.from(s).toString('base64');

/** hashedrekord 0.0.1: a signature over an artifact digest (SHA-256 unless said), with the verifying key. */
export function hashedrekordBody(input: { digest: Uint8Array; signature: Uint8Array; publicKeyPem: string; algorithm?: 'sha256' | 'sha384' | 'sha512' }): Buffer {
  return Buffer.from(
    canonicalJson({
      apiVersion: REKOR_API_VERSIONS.hashedrekord,
      kind: 'hashedrekord',
      spec: {
        data: { hash: { algorithm: input.algorithm ?? 'sha256', value: Buffer.from(input.digest).toString('hex') } },
        signature: { content: b64(input.signature), publicKey: { content: b64(input.publicKeyPem) } },
      },
    }),
  );
}

/** sha256 of the envelope as submitted (Rekor's `envelopeHash`): we submit its canonical JSON. */
export function envelopeHash(env: DsseEnvelope): string {
  return sha256Hex(canonicalJson({ payload: env.payload, payloadType: env.payloadType, signatures: env.signatures.map((s) => (s.keyid ? { keyid: s.keyid, sig: s.sig } : { sig: s.sig })) }));
}

/** dsse 0.0.1: payload hash, envelope hash and each signature with its verifier (PEM, base64). */
export function dsseBody(env: DsseEnvelope, verifierPems: readonly string[]): Buffer {
  if (verifierPems.length !== env.signatures.length) throw new AttestError('invalid-entry', `a dsse entry needs one verifier per signature (${env.signatures.length}), got ${verifierPems.length}`);
  return Buffer.from(
    canonicalJson({
      apiVersion: REKOR_API_VERSIONS.dsse,
      kind: 'dsse',
      spec: {
        envelopeHash: { algorithm: 'sha256', value: envelopeHash(env) },
        payloadHash: { algorithm: 'sha256', value: sha256Hex(envelopePayload(env)) },
        signatures: env.signatures.map((s, i) => ({ signature: s.sig, verifier: b64(verifierPems[i] as string) })),
      },
    }),
  );
}

/**
 * intoto 0.0.2 for a single-signature envelope: Rekor double-base64-encodes the signature, adds the
 * key, and hashes the envelope the way @sigstore/sign's `calculateDSSEHash` does.
 */
export function intotoBody(env: DsseEnvelope, publicKeyPem: string): Buffer {
  const sig = env.signatures[0];
  if (env.signatures.length !== 1 || !sig) throw new AttestError('invalid-entry', 'an intoto 0.0.2 entry holds exactly one signature');
  const hashInput: Record<string, unknown> = { payloadType: env.payloadType, payload: env.payload, signatures: [{ sig: sig.sig, publicKey: publicKeyPem, ...(sig.keyid ? { keyid: sig.keyid } : {}) }] };
  const entrySig: Record<string, unknown> = { sig: b64(sig.sig), publicKey: b64(publicKeyPem), ...(sig.keyid ? { keyid: sig.keyid } : {}) };
  return Buffer.from(
    canonicalJson({
      apiVersion: REKOR_API_VERSIONS.intoto,
      kind: 'intoto',
      spec: {
        content: {
          envelope: { payloadType: env.payloadType, signatures: [entrySig] },
          hash: { algorithm: 'sha256', value: sha256Hex(canonicalJson(hashInput)) },
          payloadHash: { algorithm: 'sha256', value: sha256Hex(envelopePayload(env)) },
        },
      },
    }),
  );
}

export interface ParsedEntryBody {
  kind: RekorKind;
  apiVersion: string;
  /** The verifying keys the entry names (PEM). */
  publicKeys: string[];
  /** Raw signatures the entry records. */
  signatures: Buffer[];
  /** sha256 the entry commits to: the artifact digest (hashedrekord) or the DSSE payload hash. */
  digestHex: string;
}

function invalid(msg: string): never {
  throw new AttestError('invalid-entry', `log entry body: ${msg}`, { details: { expected: 'a hashedrekord 0.0.1, dsse 0.0.1 or intoto 0.0.2 body' } });
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string' || v === '') invalid(`${path}: expected a non-empty string`);
  return v;
}

function pemFromB64(v: unknown, path: string): string {
  const pem = decodeBase64Strict(str(v, path), path, 'invalid-entry').toString('utf8');
  if (!pem.startsWith('-----BEGIN')) invalid(`${path}: expected a base64-encoded PEM key or certificate`);
  return pem;
}

/** Parse a body we (or Rekor) wrote, for display and for checks against a bundle. */
export function parseEntryBody(body: Uint8Array): ParsedEntryBody {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(Buffer.from(body).toString('utf8')) as Record<string, unknown>;
  } catch {
    invalid('not JSON');
  }
  const spec = (o.spec ?? {}) as Record<string, Record<string, unknown>>;
  const get = (obj: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), obj);
  switch (o.kind) {
    case 'hashedrekord': {
      if (o.apiVersion !== '0.0.1') invalid(`hashedrekord apiVersion ${String(o.apiVersion)} is not supported (0.0.1)`);
      if (!['sha256', 'sha384', 'sha512'].includes(get(spec, 'data', 'hash', 'algorithm') as string)) invalid('spec.data.hash.algorithm: expected sha256, sha384 or sha512');
      return {
        kind: 'hashedrekord',
        apiVersion: '0.0.1',
        publicKeys: [pemFromB64(get(spec, 'signature', 'publicKey', 'content'), 'spec.signature.publicKey.content')],
        signatures: [decodeBase64Strict(get(spec, 'signature', 'content'), 'spec.signature.content', 'invalid-entry')],
        digestHex: str(get(spec, 'data', 'hash', 'value'), 'spec.data.hash.value'),
      };
    }
    case 'dsse': {
      if (o.apiVersion !== '0.0.1') invalid(`dsse apiVersion ${String(o.apiVersion)} is not supported (0.0.1)`);
      const sigs = get(spec, 'signatures');
      if (!Array.isArray(sigs) || sigs.length === 0) invalid('spec.signatures: expected a non-empty array');
      return {
        kind: 'dsse',
        apiVersion: '0.0.1',
        publicKeys: sigs.map((s, i) => pemFromB64(get(s, 'verifier'), `spec.signatures[${i}].verifier`)),
        signatures: sigs.map((s, i) => decodeBase64Strict(get(s, 'signature'), `spec.signatures[${i}].signature`, 'invalid-entry')),
        digestHex: str(get(spec, 'payloadHash', 'value'), 'spec.payloadHash.value'),
      };
    }
    case 'intoto': {
      if (o.apiVersion !== '0.0.2') invalid(`intoto apiVersion ${String(o.apiVersion)} is not supported (0.0.2)`);
      const sigs = get(spec, 'content', 'envelope', 'signatures');
      if (!Array.isArray(sigs) || sigs.length === 0) invalid('spec.content.envelope.signatures: expected a non-empty array');
      return {
        kind: 'intoto',
        apiVersion: '0.0.2',
        publicKeys: sigs.map((s, i) => pemFromB64(get(s, 'publicKey'), `spec.content.envelope.signatures[${i}].publicKey`)),
        signatures: sigs.map((s, i) => decodeBase64Strict(decodeBase64Strict(get(s, 'sig'), `sig[${i}]`, 'invalid-entry').toString('utf8'), `sig[${i}]`, 'invalid-entry')),
        digestHex: str(get(spec, 'content', 'payloadHash', 'value'), 'spec.content.payloadHash.value'),
      };
    }
    default:
      return invalid(`kind ${JSON.stringify(o.kind)} is not one of hashedrekord, dsse, intoto`);
  }
}
