/**
 * Sigstore bundles v0.3 (`application/vnd.dev.sigstore.bundle.v0.3+json`) with key-based verification
 * material (a public-key hint), built with @sigstore/sign's bundle builders: our `SigningKey` is their
 * `Signer`, and the embedded transparency log is their `Witness` — it appends a Rekor-compatible entry
 * and hands back the entry with its inclusion proof, signed checkpoint and signed entry timestamp.
 *
 * What stock verifiers accept (Node 20, @sigstore/verify 3.1): DSSE bundles with Ed25519, ECDSA P-256,
 * RSA-PSS 3072 (the key carries its PSS parameters) and SM2 (where OpenSSL has it); message-signature
 * bundles with ECDSA P-256 and RSA-PSS 3072. P-384 (SHA-384) is refused by @sigstore/verify in both
 * forms and Ed25519 message signatures too (it passes a hash name Ed25519 cannot take); our own
 * verifier accepts every combination. The test `sigstore.test.ts` pins this matrix.
 */
import { createHash } from 'node:crypto';
import { type Bundle, type SerializedBundle, type TransparencyLogEntry, bundleFromJSON, bundleToJSON, envelopeToJSON, assertBundle, toMessageSignatureBundle, BUNDLE_V03_MEDIA_TYPE } from '@sigstore/bundle';
import { HashAlgorithm } from '@sigstore/protobuf-specs';
import { DSSEBundleBuilder, type Signer, type Witness } from '@sigstore/sign';
import type { Clock } from '../core';
import type { Store } from '../store';
import { type DsseEnvelope, INTOTO_PAYLOAD_TYPE } from './dsse';
import { AttestError } from './errors';
import type { SigningKey } from './kms';
import { dsseBody, hashedrekordBody, intotoBody } from './rekor';
import { type AppendedEntry, appendEntry, proveEntryAtFirstCheckpoint } from './tlog';

export { BUNDLE_V03_MEDIA_TYPE };
export type { Bundle, SerializedBundle };

/** Our KMS key as @sigstore/sign's Signer: signs what the builder hands it, names the key by its id. */
class KeySigner implements Signer {
  constructor(private readonly key: SigningKey) {}
  async sign(data: Buffer) {
    return { signature: await this.key.sign(data), key: { $case: 'publicKey' as const, publicKey: this.key.publicKey(), hint: this.key.keyId } };
  }
}

/** The bundle's `tlogEntries[]` item for an entry of the embedded log. */
export function toBundleTlogEntry(e: AppendedEntry): TransparencyLogEntry {
  return {
    logIndex: String(e.index),
    logId: { keyId: e.logId },
    kindVersion: { kind: e.kind, version: e.apiVersion },
    integratedTime: String(e.integratedTime),
    inclusionPromise: { signedEntryTimestamp: e.signedEntryTimestamp },
    inclusionProof: {
      logIndex: String(e.inclusionProof.logIndex),
      rootHash: e.inclusionProof.rootHash,
      treeSize: String(e.inclusionProof.treeSize),
      hashes: e.inclusionProof.hashes,
      checkpoint: { envelope: e.inclusionProof.checkpoint },
    },
    canonicalizedBody: e.body,
  };
}

export type DsseEntryKind = 'dsse' | 'intoto';

/** The embedded log as a @sigstore/sign Witness. */
class EmbeddedLogWitness implements Witness {
  readonly appended: AppendedEntry[] = [];
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly dsseKind: DsseEntryKind,
    private readonly stableProof = false,
  ) {}

  async testify(content: Bundle['content'], publicKey: string) {
    let body: Buffer;
    switch (content.$case) {
      case 'dsseEnvelope': {
        const env = envelopeToJSON(content.dsseEnvelope) as DsseEnvelope;
        body = this.dsseKind === 'dsse' ? dsseBody(env, [publicKey]) : intotoBody(env, publicKey);
        break;
      }
      case 'messageSignature':
        // message bundles are built by buildMessageBundle, which logs them itself
        throw new AttestError('invalid-bundle', 'the embedded-log witness only handles DSSE bundles');
    }
    const appended = appendEntry(this.store, body, { clock: this.clock });
    const entry = this.stableProof ? { ...appended, inclusionProof: proveEntryAtFirstCheckpoint(this.store, appended.index) } : appended;
    this.appended.push(entry);
    return { tlogEntries: [toBundleTlogEntry(entry)] };
  }
}

export interface BundleOptions {
  /** Log to the embedded transparency log (default true). */
  tlog?: boolean;
  /** Rekor kind for DSSE entries (default `dsse`; `intoto` 0.0.2 for verifiers that only know that). */
  entryKind?: DsseEntryKind;
  /**
   * Prove inclusion against the first checkpoint that covers the entry instead of the latest, so that
   * logging an identical body again (a deterministic re-export) gives a byte-identical bundle.
   */
  stableProof?: boolean;
}

export interface BuiltBundle {
  bundle: SerializedBundle;
  /** The log entry written for it, when logged. */
  logEntry?: AppendedEntry;
}

function finish(b: Bundle, witness: EmbeddedLogWitness | undefined): BuiltBundle {
  // An empty timestamp list is noise in the JSON (and absent in Sigstore's own key-based bundles).
  if (b.verificationMaterial.timestampVerificationData?.rfc3161Timestamps.length === 0) delete b.verificationMaterial.timestampVerificationData;
  const entry = witness?.appended[0];
  return { bundle: bundleToJSON(b), ...(entry ? { logEntry: entry } : {}) };
}

/** A DSSE bundle over `payload` signed by one key (Sigstore bundles carry exactly one signature). */
export async function buildDsseBundle(store: Store, input: { payload: Uint8Array; payloadType?: string; key: SigningKey }, ctx: { clock: Clock }, opts: BundleOptions = {}): Promise<BuiltBundle> {
  const witness = opts.tlog === false ? undefined : new EmbeddedLogWitness(store, ctx.clock, opts.entryKind ?? 'dsse', opts.stableProof === true);
  const builder = new DSSEBundleBuilder({ signer: new KeySigner(input.key), witnesses: witness ? [witness] : [] });
  const b = await builder.create({ data: Buffer.from(input.payload), type: input.payloadType ?? INTOTO_PAYLOAD_TYPE });
  return finish(b, witness);
}

/**
 * A message-signature bundle over an artifact's bytes (hashedrekord entry). Built with
 * @sigstore/bundle rather than @sigstore/sign's builder, because that one records every digest as
 * SHA-256 while a P-384 key signs over SHA-384: the recorded digest must be the one signed.
 */
export async function buildMessageBundle(store: Store, input: { artifact: Uint8Array; key: SigningKey }, ctx: { clock: Clock }, opts: BundleOptions = {}): Promise<BuiltBundle> {
  const hashName = input.key.algorithm === 'p384' ? 'sha384' : 'sha256';
  const digest = createHash(hashName).update(input.artifact).digest();
  const signature = await input.key.sign(input.artifact);
  const b = toMessageSignatureBundle({ digest, signature, keyHint: input.key.keyId });
  if (b.content.messageSignature.messageDigest) b.content.messageSignature.messageDigest.algorithm = hashName === 'sha384' ? HashAlgorithm.SHA2_384 : HashAlgorithm.SHA2_256;
  let entry: AppendedEntry | undefined;
  if (opts.tlog !== false) {
    entry = appendEntry(store, hashedrekordBody({ digest, signature, publicKeyPem: input.key.publicKey(), algorithm: hashName }), { clock: ctx.clock });
    b.verificationMaterial.tlogEntries = [toBundleTlogEntry(entry)];
  }
  delete b.verificationMaterial.timestampVerificationData;
  return { bundle: bundleToJSON(b), ...(entry ? { logEntry: entry } : {}) };
}

/** Parse a serialized bundle (any version @sigstore/bundle knows) and check its required fields. */
export function parseBundle(json: unknown, what = 'bundle'): Bundle {
  let b: Bundle;
  try {
    b = bundleFromJSON(json);
    assertBundle(b);
  } catch (cause) {
    const fields = (cause as { fields?: string[] }).fields;
    throw new AttestError('invalid-bundle', `${what}: not a valid Sigstore bundle (${(cause as Error).message}${fields?.length ? `: ${fields.join(', ')}` : ''})`, {
      cause,
      details: { file: what, expected: 'a Sigstore bundle (application/vnd.dev.sigstore.bundle…)' },
    });
  }
  return b;
}
