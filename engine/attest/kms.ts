/**
 * The KMS role interface: something that holds a private key and signs bytes with it. Everything that
 * signs (DSSE, bundles, checkpoints, audit entries, manifests) takes a `SigningKey`, so a provider
 * backed by a file keystore, memory (tests) or — later — an HSM is interchangeable.
 */
import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import { type CryptoProfile, type SigningAlgorithm, PROFILE_ALGORITHMS, algorithmOfKey, generateKeyPair, keyIdOf, publicKeyPem, signWith } from './crypto';
import { AttestError } from './errors';

export interface SigningKey {
  /** Hex SHA-256 of the SPKI DER (`keyIdOf`). */
  readonly keyId: string;
  readonly algorithm: SigningAlgorithm;
  readonly profile: CryptoProfile;
  /** The keystore name, where the key has one. */
  readonly name?: string;
  /** SPKI PEM of the public key. */
  publicKey(): string;
  sign(data: Uint8Array): Promise<Buffer>;
  /**
   * Synchronous signing, for keys held in this process: audit entries and log checkpoints are signed
   * inside a store transaction, which cannot await.
   */
  signSync(data: Uint8Array): Buffer;
}

/** A key whose private half is a KeyObject in this process (memory provider, unlocked keystore keys, service keys). */
export class LocalSigningKey implements SigningKey {
  readonly keyId: string;
  readonly algorithm: SigningAlgorithm;
  readonly profile: CryptoProfile;
  readonly name?: string;
  readonly #privateKey: KeyObject;
  readonly #publicPem: string;

  constructor(privateKey: KeyObject, algorithm: SigningAlgorithm, profile: CryptoProfile, name?: string) {
    const actual = algorithmOfKey(createPublicKey(privateKey));
    if (actual !== algorithm) throw new AttestError('invalid-key', `the private key is ${actual ?? 'of an unsupported type'}, not ${algorithm}`);
    if (!PROFILE_ALGORITHMS[profile].includes(algorithm)) throw new AttestError('unsupported-algorithm', `algorithm ${algorithm} is not part of the ${profile} profile`);
    this.#privateKey = privateKey;
    this.algorithm = algorithm;
    this.profile = profile;
    this.keyId = keyIdOf(privateKey);
    this.#publicPem = publicKeyPem(privateKey);
    if (name !== undefined) this.name = name;
  }

  publicKey(): string {
    return this.#publicPem;
  }

  signSync(data: Uint8Array): Buffer {
    return signWith(this.algorithm, this.#privateKey, data);
  }

  async sign(data: Uint8Array): Promise<Buffer> {
    return this.signSync(data);
  }
}

/** The in-memory provider (tests, benches, ephemeral signing): a fresh key that lives as long as the object. */
export function createMemoryKey(algorithm: SigningAlgorithm, opts: { profile?: CryptoProfile; name?: string } = {}): LocalSigningKey {
  const profile = opts.profile ?? (Object.keys(PROFILE_ALGORITHMS) as CryptoProfile[]).find((p) => PROFILE_ALGORITHMS[p].includes(algorithm)) ?? 'world';
  const { privateKey } = generateKeyPair(algorithm);
  return new LocalSigningKey(privateKey, algorithm, profile, opts.name);
}
