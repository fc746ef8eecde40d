/**
 * Crypto profiles and the signature primitives behind them. Every signature the workstation makes or
 * checks goes through `signWith` / `verifySignature`, so an algorithm's hash, padding and encoding are
 * decided in exactly one place:
 *
 * | algorithm      | profile(s)   | signature                                   |
 * |----------------|--------------|---------------------------------------------|
 * | `ed25519`      | world        | Ed25519 (pure)                              |
 * | `p256`         | world, fips  | ECDSA P-256 + SHA-256, DER                  |
 * | `p384`         | fips         | ECDSA P-384 + SHA-384, DER                  |
 * | `rsa-pss-3072` | fips         | RSASSA-PSS 3072, SHA-256, MGF1-SHA-256, salt 32 (an `id-RSASSA-PSS` key carrying those parameters) |
 * | `sm2`          | sm           | SM2 with SM3 (GM/T 0003, default user id), DER — only where the platform's OpenSSL implements it |
 */
import { createHash, createPrivateKey, createPublicKey, constants, generateKeyPairSync, getCurves, getHashes, sign, verify, type KeyObject } from 'node:crypto';
import { AttestError } from './errors';

export type CryptoProfile = 'world' | 'fips' | 'sm';
export type SigningAlgorithm = 'ed25519' | 'p256' | 'p384' | 'rsa-pss-3072' | 'sm2';

export const CRYPTO_PROFILES: readonly CryptoProfile[] = ['world', 'fips', 'sm'];
export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = ['ed25519', 'p256', 'p384', 'rsa-pss-3072', 'sm2'];

/** The algorithms each profile allows, its default first. */
export const PROFILE_ALGORITHMS: Readonly<Record<CryptoProfile, readonly SigningAlgorithm[]>> = {
  world: ['ed25519', 'p256'],
  fips: ['p256', 'p384', 'rsa-pss-3072'],
  sm: ['sm2'],
};

export function isCryptoProfile(s: unknown): s is CryptoProfile {
  return typeof s === 'string' && (CRYPTO_PROFILES as readonly string[]).includes(s);
}

export function isSigningAlgorithm(s: unknown): s is SigningAlgorithm {
  return typeof s === 'string' && (SIGNING_ALGORITHMS as readonly string[]).includes(s);
}

/** Algorithms we can *verify*: ours plus the ones external material uses. */
export type VerifyAlgorithm = SigningAlgorithm | 'rsa-pss' | 'rsa';

export interface AlgorithmInfo {
  /** Sigstore's `PublicKeyDetails` name, for trusted roots and bundles; undefined where Sigstore has none. */
  sigstoreKeyDetails: string | undefined;
  /** securesystemslib key type and scheme (in-toto's Python tooling), where it has one. */
  sslib: { keytype: string; scheme: string } | undefined;
}

export const ALGORITHM_INFO: Readonly<Record<SigningAlgorithm, AlgorithmInfo>> = {
  ed25519: { sigstoreKeyDetails: 'PKIX_ED25519', sslib: { keytype: 'ed25519', scheme: 'ed25519' } },
  p256: { sigstoreKeyDetails: 'PKIX_ECDSA_P256_SHA_256', sslib: { keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp256' } },
  p384: { sigstoreKeyDetails: 'PKIX_ECDSA_P384_SHA_384', sslib: { keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp384' } },
  'rsa-pss-3072': { sigstoreKeyDetails: 'PKIX_RSA_PSS_3072_SHA256', sslib: { keytype: 'rsa', scheme: 'rsassa-pss-sha256' } },
  sm2: { sigstoreKeyDetails: undefined, sslib: undefined },
};

const RSA_PSS_SALT = 32;
// DER of the SM2 curve OID 1.2.156.10197.1.301 — how an SM2 public key is recognised in its SPKI.
const SM2_CURVE_OID_DER = Buffer.from('06082a811ccf5501822d', 'hex');

let smProbe: { ok: true } | { ok: false; reason: string } | undefined;

/**
 * Whether this platform's OpenSSL offers the SM2 signature scheme with SM3. Probed once per process by
 * signing and verifying with a fresh key: Node only uses OpenSSL's SM2 scheme for keys imported from
 * PKCS#8 (a freshly generated `ec`/SM2 key would do plain ECDSA over the SM2 curve, which is not SM2).
 */
export function smSupport(): { ok: true } | { ok: false; reason: string } {
  if (smProbe) return smProbe;
  try {
    if (!getCurves().includes('SM2')) smProbe = { ok: false, reason: "the platform's OpenSSL has no SM2 curve" };
    else if (!getHashes().includes('sm3')) smProbe = { ok: false, reason: "the platform's OpenSSL has no SM3 digest" };
    else {
      const { privateKey, publicKey } = generateSm2();
      if (privateKey.asymmetricKeyType === 'ec') smProbe = { ok: false, reason: "the platform's OpenSSL treats SM2 keys as plain EC keys (no SM2 signature scheme)" };
      else {
        const probe = Buffer.from('stella sm2 probe');
        const sig = sign('sm3', probe, privateKey);
        smProbe = verify('sm3', probe, publicKey, sig) ? { ok: true } : { ok: false, reason: 'an SM2/SM3 signature made by the platform did not verify' };
      }
    }
  } catch (e) {
    smProbe = { ok: false, reason: `the platform's OpenSSL refused SM2/SM3: ${(e as Error).message}` };
  }
  return smProbe;
}

function generateSm2(): { privateKey: KeyObject; publicKey: KeyObject } {
  const pair = generateKeyPairSync('ec', { namedCurve: 'SM2' });
  const privateKey = createPrivateKey({ key: pair.privateKey.export({ type: 'pkcs8', format: 'der' }), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** Throws a usage error naming the allowed choices when `algorithm` is not part of `profile` or unavailable here. */
export function assertProfileAlgorithm(profile: CryptoProfile, algorithm: SigningAlgorithm): void {
  const allowed = PROFILE_ALGORITHMS[profile];
  if (!allowed.includes(algorithm)) {
    throw new AttestError('unsupported-algorithm', `algorithm ${algorithm} is not part of the ${profile} profile; expected one of ${allowed.join(', ')}`, {
      details: { expected: allowed.join('|'), profile, algorithm },
    });
  }
  if (algorithm === 'sm2') {
    const sm = smSupport();
    if (!sm.ok) throw new AttestError('profile-unavailable', `the sm profile is not available on this platform: ${sm.reason}`, { details: { profile } });
  }
}

export function generateKeyPair(algorithm: SigningAlgorithm): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (algorithm) {
    case 'ed25519':
      return generateKeyPairSync('ed25519');
    case 'p256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'p384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' });
    case 'rsa-pss-3072':
      // @types/node 20 declares saltLength as a string; Node itself requires the number.
      return generateKeyPairSync('rsa-pss', { modulusLength: 3072, hashAlgorithm: 'sha256', mgf1HashAlgorithm: 'sha256', saltLength: RSA_PSS_SALT as unknown as string });
    case 'sm2': {
      const sm = smSupport();
      if (!sm.ok) throw new AttestError('profile-unavailable', `the sm profile is not available on this platform: ${sm.reason}`);
      return generateSm2();
    }
  }
}

/** Sign `data` with a private key of `algorithm`. */
export function signWith(algorithm: SigningAlgorithm, privateKey: KeyObject, data: Uint8Array): Buffer {
  switch (algorithm) {
    case 'ed25519':
      return sign(null, data, privateKey);
    case 'p256':
      return sign('sha256', data, { key: privateKey, dsaEncoding: 'der' });
    case 'p384':
      return sign('sha384', data, { key: privateKey, dsaEncoding: 'der' });
    case 'rsa-pss-3072':
      return sign('sha256', data, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: RSA_PSS_SALT });
    case 'sm2':
      return sign('sm3', data, privateKey);
  }
}

/** The algorithm a public key verifies with, or undefined for key types we do not accept. */
export function algorithmOfKey(key: KeyObject): VerifyAlgorithm | undefined {
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return 'ed25519';
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'prime256v1') return 'p256';
      if (curve === 'secp384r1') return 'p384';
      return undefined;
    }
    case 'rsa-pss':
      return key.asymmetricKeyDetails?.modulusLength === 3072 ? 'rsa-pss-3072' : 'rsa-pss';
    case 'rsa':
      return 'rsa';
    case undefined: {
      const spki = key.type === 'public' ? key.export({ type: 'spki', format: 'der' }) : createPublicKey(key).export({ type: 'spki', format: 'der' });
      return spki.includes(SM2_CURVE_OID_DER) ? 'sm2' : undefined;
    }
    default:
      return undefined;
  }
}

function safeVerify(fn: () => boolean): boolean {
  try {
    return fn();
  } catch {
    // OpenSSL throws on some malformed signatures instead of returning false; both mean "does not verify".
    return false;
  }
}

/**
 * Verify `signature` over `data` with `publicKey`, the algorithm following from the key. ECDSA accepts
 * DER (what we and Sigstore write) and raw r‖s (the DSSE test vector and some JOSE-minded producers).
 */
export function verifySignature(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array, opts: { hash?: 'sha256' | 'sha384' | 'sha512' } = {}): boolean {
  const alg = algorithmOfKey(publicKey);
  if (alg === undefined || signature.length === 0) return false;
  switch (alg) {
    case 'ed25519':
      return safeVerify(() => verify(null, data, publicKey, signature));
    case 'p256':
    case 'p384': {
      // The hash is the signer's choice where the format records it (message signatures); otherwise
      // the curve's own (SHA-384 for P-384, what we write), then SHA-256 (what Sigstore clients write).
      const hashes = opts.hash ? [opts.hash] : alg === 'p256' ? ['sha256'] : ['sha384', 'sha256'];
      const raw = alg === 'p256' ? 64 : 96;
      return hashes.some(
        (hash) =>
          safeVerify(() => verify(hash, data, { key: publicKey, dsaEncoding: 'der' }, signature)) ||
          (signature.length === raw && safeVerify(() => verify(hash, data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature))),
      );
    }
    case 'rsa-pss-3072':
    case 'rsa-pss': {
      const hash = opts.hash ?? 'sha256';
      // A key restricted to PSS refuses "auto" salt detection, so the digest-length salt we write comes first.
      return (
        safeVerify(() => verify(hash, data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: RSA_PSS_SALT }, signature)) ||
        safeVerify(() => verify(hash, data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature))
      );
    }
    case 'rsa': {
      const hash = opts.hash ?? 'sha256';
      return (
        safeVerify(() => verify(hash, data, { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature)) ||
        safeVerify(() => verify(hash, data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature))
      );
    }
    case 'sm2':
      return safeVerify(() => verify('sm3', data, publicKey, signature));
  }
}

/** SPKI DER of a public (or private) key. */
export function spkiDer(key: KeyObject): Buffer {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'der' });
}

export function publicKeyPem(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'pem' }).toString();
}

/** The workstation's key id: lowercase hex SHA-256 of the key's SPKI DER (also what Rekor v1 uses for log ids). */
export function keyIdOf(key: KeyObject): string {
  return createHash('sha256').update(spkiDer(key)).digest('hex');
}

/**
 * Every spelling of a key's fingerprint that bundles use as a key hint: ours (hex SHA-256 of the SPKI)
 * and the `SHA256:<unpadded base64>` form of npm's registry keys.
 */
export function keyFingerprints(key: KeyObject): string[] {
  let fp = fingerprintCache.get(key);
  if (!fp) {
    // exporting the SPKI is the expensive part (~0.1 ms); verification asks for the same keys again and again
    const digest = createHash('sha256').update(spkiDer(key)).digest();
    fp = [digest.toString('hex'), `SHA256:${digest.toString('base64').replace(/=+$/, '')}`];
    fingerprintCache.set(key, fp);
  }
  return [...fp];
}

const fingerprintCache = new WeakMap<KeyObject, string[]>();

/** A public key from PEM (SPKI or a certificate's key is not accepted here) or base64/DER SPKI. */
export function parsePublicKey(input: string | Uint8Array, what = 'public key'): KeyObject {
  try {
    if (typeof input === 'string') {
      const text = input.trim();
      if (text.startsWith('-----BEGIN PUBLIC KEY-----')) return createPublicKey(text);
      if (text.startsWith('-----')) throw new Error(`expected a "BEGIN PUBLIC KEY" PEM block, found ${JSON.stringify(text.split('\n')[0])}`);
      return createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
    }
    return createPublicKey({ key: Buffer.from(input), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new AttestError('invalid-key', `${what}: not a usable public key (${(cause as Error).message}); expected a PEM "BEGIN PUBLIC KEY" block or DER SubjectPublicKeyInfo`, {
      cause,
      details: { file: what, expected: 'PEM or DER SubjectPublicKeyInfo' },
    });
  }
}

/** A private key from PKCS#8 DER, with the algorithm checked against what the key really is. */
export function privateKeyFromPkcs8(der: Uint8Array, algorithm: SigningAlgorithm, what: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new AttestError('key-file-corrupt', `${what}: the private key does not parse as PKCS#8 (${(cause as Error).message})`, { cause, details: { file: what } });
  }
  const actual = algorithmOfKey(createPublicKey(key));
  if (actual !== algorithm) {
    throw new AttestError('key-file-corrupt', `${what}: the key file says ${algorithm} but the key is ${actual ?? 'of an unsupported type'}`, { details: { file: what, expected: algorithm } });
  }
  return key;
}
