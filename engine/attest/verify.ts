/**
 * Verification of attestations — ours and other people's — reporting every check it made:
 *
 * | check                 | what it establishes |
 * |-----------------------|---------------------|
 * | `signature`           | the signature covers the content (DSSE PAE / the artifact bytes) |
 * | `signer-key`          | key-signed material: the key is trusted (workstation or `--key`), and the hints name it |
 * | `certificate-chain`   | certificate-signed material: the leaf chains to a trusted CA, valid at a verified time, with SCTs |
 * | `certificate-identity`| the certificate's SAN and OIDC issuer are the ones asked for |
 * | `tlog-inclusion`      | a trusted log's signed checkpoint (or SET) includes an entry matching this signature |
 * | `timestamp`           | a verified time (log SET or RFC 3161) exists — required for certificates |
 * | `artifact-digest`     | the artifact is a subject of the statement / the signed message digest |
 * | `statement`           | the payload is a well-formed in-toto statement with a valid known predicate |
 * | `manifest`            | (in-toto bundles) the signed manifest lists exactly the file's envelopes |
 *
 * Sigstore bundles are checked with @sigstore/verify's own steps (its `Verifier`, run step by step so
 * that every check is reported instead of stopping at the first failure) and offline trust material
 * (`toTrustMaterial`): never `sigstore.verify()`, which refreshes TUF metadata over the network.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import { HashAlgorithm, type TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial, type SignedEntity } from '@sigstore/verify';
import { parseSignedNote } from './checkpoint';
import { algorithmOfKey, keyFingerprints, verifySignature } from './crypto';
import { verifyEcdsaPrehashed } from './_internal/ecdsa-prehash';
import { type DsseEnvelope, INTOTO_PAYLOAD_TYPE, envelopePayload, pae, parseEnvelope, serializeEnvelope, verifyEnvelope, type VerificationKey } from './dsse';
import { AttestError } from './errors';
import { type PredicateKind, classifyPredicateType, predicateProblems } from './predicates';
import { parseEntryBody } from './rekor';
import { parseBundle } from './sigstore';
import { type ArtifactDigests, type Statement, parseStatement, subjectsMatching } from './statement';
import { createHash } from 'node:crypto';

export type CheckName = 'signature' | 'signer-key' | 'certificate-chain' | 'certificate-identity' | 'tlog-inclusion' | 'timestamp' | 'artifact-digest' | 'statement' | 'manifest';
export type CheckStatus = 'pass' | 'fail' | 'not-applicable';

export interface VerificationCheck {
  name: CheckName;
  status: CheckStatus;
  detail: string;
}

export interface ItemVerification {
  /** Where the item came from: `bundle.jsonl line 2`, `attestations[1]`, … */
  source: string;
  kind: 'sigstore-bundle' | 'dsse-envelope';
  verified: boolean;
  checks: VerificationCheck[];
  signer?: { keyId?: string; label?: string; subjectAlternativeName?: string; issuer?: string };
  statement?: { predicateType: string; predicateKind: PredicateKind; subjects: { name?: string; digest: Record<string, string> }[] };
  tlogEntries?: { logIndex: string; integratedTime: string; kind: string }[];
}

export interface VerificationMaterial {
  trustedRoots: TrustedRoot[];
  keys: VerificationKey[];
  /** The keys were given explicitly (`--key`): a bundle with an empty key hint may use them. */
  explicitKeys?: boolean;
}

/** What the artifact is: its digests, and (for message signatures) its bytes. */
export interface ArtifactInput {
  digests: ArtifactDigests & Record<string, string | undefined>;
  /** Present when the artifact is a file; a message signature cannot be checked from a digest alone. */
  bytes?: Buffer;
  label: string;
}

export interface VerifyOptions {
  artifact: ArtifactInput;
  /** Required for certificate-signed material. */
  identity?: { subjectAlternativeName: string; issuer: string };
  /** Transparency-log entries required (default 1; 0 accepts unlogged material). */
  tlogThreshold?: number;
}

/** The private steps of @sigstore/verify's Verifier (pinned 3.1.x) that `verify()` runs in sequence (the signature step is ours). */
interface VerifierSteps {
  verifyTimestamps(entity: SignedEntity): Date[];
  verifySigningKey(entity: SignedEntity, timestamps: Date[]): { key: KeyObject; identity?: { subjectAlternativeName?: string; extensions?: { issuer?: string } } };
  verifyTLogs(entity: SignedEntity): void;
  verifyPolicy(policy: { subjectAlternativeName?: string; extensions?: { issuer?: string } }, identity: object): void;
}

/** The hash a message signature was made with, from the bundle's `messageDigest.algorithm`. */
const MESSAGE_HASH: Partial<Record<HashAlgorithm, 'sha256' | 'sha384' | 'sha512'>> = {
  [HashAlgorithm.HASH_ALGORITHM_UNSPECIFIED]: 'sha256',
  [HashAlgorithm.SHA2_256]: 'sha256',
  [HashAlgorithm.SHA2_384]: 'sha384',
  [HashAlgorithm.SHA2_512]: 'sha512',
};

function mergeRoots(roots: readonly TrustedRoot[]): TrustedRoot {
  return {
    mediaType: roots[0]?.mediaType ?? 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: roots.flatMap((r) => r.tlogs),
    certificateAuthorities: roots.flatMap((r) => r.certificateAuthorities),
    ctlogs: roots.flatMap((r) => r.ctlogs),
    timestampAuthorities: roots.flatMap((r) => r.timestampAuthorities),
  };
}

function message(e: unknown): string {
  const err = e as { message?: string; cause?: { message?: string } };
  return `${err.message ?? String(e)}${err.cause?.message ? ` (${err.cause.message})` : ''}`;
}

/**
 * The key a bundle's hint names. From the trust store the hint must name a trusted key (a changed hint
 * fails); with `--key` the given key is used whatever the hint says, as cosign does — the hint is
 * unauthenticated, and other producers spell key ids their own way.
 */
function keyForHint(material: VerificationMaterial, hint: string): VerificationKey {
  const byHint = material.keys.find((k) => k.keyId === hint || keyFingerprints(k.publicKey).includes(hint));
  if (byHint) return byHint;
  if (material.explicitKeys && material.keys.length === 1) return material.keys[0] as VerificationKey;
  const known = material.keys.map((k) => k.label ?? k.keyId.slice(0, 16)).join(', ');
  throw new AttestError('untrusted-key', hint === '' ? `the bundle names no key and none was given with --key` : `the bundle is signed by key ${hint}, which is not ${material.explicitKeys ? 'the key given with --key' : 'a trusted key'}${known ? ` (have: ${known})` : ''}`);
}

function statementChecks(payloadType: string, payload: Buffer, artifact: ArtifactInput, out: VerificationCheck[]): Statement | undefined {
  if (payloadType !== INTOTO_PAYLOAD_TYPE) {
    out.push({ name: 'statement', status: 'not-applicable', detail: `payload type ${payloadType} is not an in-toto statement` });
    out.push({ name: 'artifact-digest', status: 'fail', detail: `the payload (${payloadType}) names no subject to compare ${artifact.label} with` });
    return undefined;
  }
  let st: Statement;
  try {
    st = parseStatement(payload, 'payload');
  } catch (e) {
    out.push({ name: 'statement', status: 'fail', detail: message(e) });
    out.push({ name: 'artifact-digest', status: 'fail', detail: 'no statement to take subjects from' });
    return undefined;
  }
  const kind = classifyPredicateType(st.predicateType);
  const problems = predicateProblems(kind, st.predicate);
  out.push(
    problems.length
      ? { name: 'statement', status: 'fail', detail: `${st.predicateType}: ${problems.slice(0, 5).join('; ')}` }
      : { name: 'statement', status: 'pass', detail: `in-toto statement, predicate ${st.predicateType}${kind === 'custom' ? '' : ` (${kind})`}` },
  );
  const hits = subjectsMatching(st, artifact.digests as ArtifactDigests);
  out.push(
    hits.length
      ? { name: 'artifact-digest', status: 'pass', detail: `${artifact.label} is subject ${hits.map((h) => JSON.stringify(h.name ?? '')).join(', ')}` }
      : { name: 'artifact-digest', status: 'fail', detail: `${artifact.label} is none of the statement's ${st.subject.length} subject(s)` },
  );
  return st;
}

function statementSummary(st: Statement | undefined): ItemVerification['statement'] {
  return st ? { predicateType: st.predicateType, predicateKind: classifyPredicateType(st.predicateType), subjects: st.subject.map((s) => ({ ...(s.name !== undefined ? { name: s.name } : {}), digest: s.digest })) } : undefined;
}

/**
 * Extra log checks beyond @sigstore/verify's: strict checkpoint syntax, the proof's root and size
 * agreeing with its checkpoint, and the logged verifying key being the signer (for body kinds we parse).
 */
function strictTlogChecks(b: Bundle, signerKey: KeyObject | undefined, tlogs: readonly { baseUrl: string; keyId: Buffer }[]): string[] {
  const problems: string[] = [];
  b.verificationMaterial.tlogEntries.forEach((e, i) => {
    const p = e.inclusionProof;
    if (p?.checkpoint) {
      try {
        const note = parseSignedNote(p.checkpoint.envelope);
        // @sigstore/verify matches the signer name as a regular expression against the log's URL, so
        // "stella.invalid.log" would pass for ".../log/"; the name must literally be part of the URL.
        const named = note.signatures.filter((sig) => tlogs.some((t) => t.keyId.subarray(0, 4).equals(sig.keyHint) && t.baseUrl.includes(sig.name)));
        if (named.length === 0) problems.push(`entry ${i}: no checkpoint signature names a trusted log`);
        if (String(note.checkpoint.size) !== p.treeSize) problems.push(`entry ${i}: inclusionProof.treeSize ${p.treeSize} is not the checkpoint's size ${note.checkpoint.size}`);
        if (!note.checkpoint.rootHash.equals(Buffer.from(p.rootHash))) problems.push(`entry ${i}: inclusionProof.rootHash is not the checkpoint's root`);
      } catch (err) {
        problems.push(`entry ${i}: ${message(err)}`);
      }
    }
    if (!signerKey) return;
    let body: ReturnType<typeof parseEntryBody>;
    try {
      body = parseEntryBody(e.canonicalizedBody);
    } catch {
      return; // a kind/version we do not parse (Rekor v2); @sigstore/verify compared it with the signature
    }
    const signerDer = signerKey.export({ type: 'spki', format: 'der' });
    const logged = body.publicKeys.map((pem) => {
      try {
        return createPublicKey(pem).export({ type: 'spki', format: 'der' });
      } catch {
        return undefined;
      }
    });
    if (logged.every((k) => k !== undefined) && !logged.some((k) => k?.equals(signerDer))) problems.push(`entry ${i}: the log entry names another verifying key than the signer`);
  });
  return problems;
}

/**
 * v0.1 bundles may carry an inclusion proof without a checkpoint (only the signed entry timestamp was
 * required then); @sigstore/verify would trip over the missing checkpoint, so such a proof is set aside
 * and inclusion rests on the SET, as other Sigstore clients do.
 */
function dropCheckpointlessProofs(b: Bundle): boolean {
  let dropped = false;
  for (const e of b.verificationMaterial.tlogEntries) {
    if (e.inclusionProof && !e.inclusionProof.checkpoint && e.inclusionPromise) {
      delete (e as { inclusionProof?: unknown }).inclusionProof;
      dropped = true;
    }
  }
  return dropped;
}

/** Verify one Sigstore bundle against offline trust material. */
export function verifySigstoreBundle(bundleJson: unknown, source: string, material: VerificationMaterial, opts: VerifyOptions): ItemVerification {
  const checks: VerificationCheck[] = [];
  const result: ItemVerification = { source, kind: 'sigstore-bundle', verified: false, checks };
  let b: Bundle;
  try {
    b = parseBundle(bundleJson, source);
  } catch (e) {
    checks.push({ name: 'signature', status: 'fail', detail: message(e) });
    return result;
  }
  const droppedProofs = dropCheckpointlessProofs(b);
  const isCert = b.verificationMaterial.content.$case !== 'publicKey';
  const tlogThreshold = opts.tlogThreshold ?? 1;
  const verifier = new Verifier(
    toTrustMaterial(mergeRoots(material.trustedRoots), (hint: string) => ({ publicKey: keyForHint(material, hint).publicKey, validFor: () => true })),
    { tlogThreshold, ctlogThreshold: isCert ? 1 : 0, timestampThreshold: isCert ? 1 : 0 },
  );
  const steps = verifier as unknown as VerifierSteps;
  const isMessage = b.content.$case === 'messageSignature';
  let entity: SignedEntity;
  try {
    entity = toSignedEntity(b, isMessage ? opts.artifact.bytes : undefined);
  } catch (e) {
    checks.push({ name: 'signature', status: 'fail', detail: message(e) });
    return result;
  }
  result.tlogEntries = b.verificationMaterial.tlogEntries.map((e) => ({ logIndex: e.logIndex, integratedTime: e.integratedTime, kind: `${e.kindVersion?.kind ?? '?'}/${e.kindVersion?.version ?? '?'}` }));

  // timestamps
  let timestamps: Date[] = [];
  let timestampsOk = true;
  try {
    timestamps = steps.verifyTimestamps(entity);
    checks.push(timestamps.length ? { name: 'timestamp', status: 'pass', detail: `verified time(s): ${timestamps.map((t) => t.toISOString()).join(', ')}` } : { name: 'timestamp', status: 'not-applicable', detail: 'no signed timestamp (not needed for key-signed material)' });
  } catch (e) {
    timestampsOk = false;
    checks.push({ name: 'timestamp', status: 'fail', detail: message(e) });
  }

  // signing key / certificate chain
  let signer: { key: KeyObject; identity?: { subjectAlternativeName?: string; extensions?: { issuer?: string } } } | undefined;
  if (isCert) {
    checks.push({ name: 'signer-key', status: 'not-applicable', detail: 'signed with a certificate' });
    if (!timestampsOk || timestamps.length === 0) {
      checks.push({ name: 'certificate-chain', status: 'fail', detail: 'no verified timestamp to check the certificate’s validity period against' });
    } else {
      try {
        signer = steps.verifySigningKey(entity, timestamps);
        checks.push({ name: 'certificate-chain', status: 'pass', detail: `chains to a trusted certificate authority at ${timestamps.map((t) => t.toISOString()).join(', ')}, with signed certificate timestamps` });
      } catch (e) {
        checks.push({ name: 'certificate-chain', status: 'fail', detail: message(e) });
      }
    }
  } else {
    checks.push({ name: 'certificate-chain', status: 'not-applicable', detail: 'signed with a public key' });
    try {
      signer = steps.verifySigningKey(entity, timestamps);
      const hint = b.verificationMaterial.content.$case === 'publicKey' ? b.verificationMaterial.content.publicKey.hint : '';
      const k = keyForHint(material, hint);
      result.signer = { keyId: k.keyId, ...(k.label !== undefined ? { label: k.label } : {}) };
      checks.push({ name: 'signer-key', status: 'pass', detail: `key ${k.label ?? k.keyId} is trusted${hint ? '' : ' (the bundle names no key)'}` });
    } catch (e) {
      checks.push({ name: 'signer-key', status: 'fail', detail: message(e) });
    }
  }

  // transparency log
  if (b.verificationMaterial.tlogEntries.length === 0 && tlogThreshold === 0) {
    checks.push({ name: 'tlog-inclusion', status: 'not-applicable', detail: 'no transparency-log entry, and none required (--tlog-threshold 0)' });
  } else {
    try {
      steps.verifyTLogs(entity);
      const extra = strictTlogChecks(b, signer?.key, material.trustedRoots.flatMap((r) => r.tlogs.map((t) => ({ baseUrl: t.baseUrl, keyId: Buffer.from(t.checkpointKeyId?.keyId ?? t.logId?.keyId ?? []) }))));
      if (extra.length) throw new Error(extra.join('; '));
      checks.push({
        name: 'tlog-inclusion',
        status: 'pass',
        detail: `${b.verificationMaterial.tlogEntries.map((e) => `entry ${e.logIndex} (${e.kindVersion?.kind}) included${e.inclusionProof ? ` under a signed checkpoint of size ${e.inclusionProof.treeSize}` : ' (signed entry timestamp)'}`).join('; ')}${droppedProofs ? ' — a checkpoint-less v0.1 inclusion proof was set aside' : ''}`,
      });
    } catch (e) {
      checks.push({ name: 'tlog-inclusion', status: 'fail', detail: message(e) });
    }
  }

  // A time taken from a log entry that did not verify is no verified time: without an RFC 3161
  // timestamp, the timestamp check and a certificate's validity check (made at that time) fail too.
  const tlogFailed = checks.some((c) => c.name === 'tlog-inclusion' && c.status === 'fail');
  const hasTsa = (b.verificationMaterial.timestampVerificationData?.rfc3161Timestamps.length ?? 0) > 0;
  if (tlogFailed && !hasTsa) {
    for (const c of checks) {
      if (c.name === 'timestamp' && c.status === 'pass') Object.assign(c, { status: 'fail', detail: `${c.detail} — but only from a log entry that did not verify` });
      if (c.name === 'certificate-chain' && c.status === 'pass') Object.assign(c, { status: 'fail', detail: `${c.detail} — but that time comes from a log entry that did not verify` });
    }
  }

  // signature: with the verified signer, else with the key the material names (so the report still says whether the bytes are intact)
  let sigKey = signer?.key;
  if (!sigKey && entity.key.$case === 'certificate') sigKey = createPublicKey({ key: entity.key.certificate.publicKey, format: 'der', type: 'spki' });
  if (!sigKey && entity.key.$case === 'public-key') {
    try {
      sigKey = keyForHint(material, entity.key.hint).publicKey;
    } catch {
      sigKey = undefined;
    }
  }
  // The signature is checked with our primitive (the algorithm follows from the key), not
  // @sigstore/verify's, which hashes with SHA-256 whatever the key: ours also takes P-384/SHA-384,
  // Ed25519 over a message, and ECDSA over a digest when only `sha256:HEX` is given.
  if (!sigKey) {
    checks.push({ name: 'signature', status: 'fail', detail: 'no key to check the signature with' });
  } else if (b.content.$case === 'dsseEnvelope') {
    const env = b.content.dsseEnvelope;
    const sig = env.signatures[0];
    const keyid = sig?.keyid ?? '';
    if (!sig || !verifySignature(sigKey, pae(env.payloadType, env.payload), sig.sig)) checks.push({ name: 'signature', status: 'fail', detail: 'signature verification failed' });
    else if (keyid && !isCert && !material.explicitKeys && !keyFingerprints(sigKey).includes(keyid)) checks.push({ name: 'signature', status: 'fail', detail: `the envelope's keyid ${keyid} does not name the signing key` });
    else checks.push({ name: 'signature', status: 'pass', detail: 'DSSE signature over the payload verifies' });
  } else {
    const ms = b.content.messageSignature;
    const alg = algorithmOfKey(sigKey);
    const hash = MESSAGE_HASH[ms.messageDigest?.algorithm ?? HashAlgorithm.SHA2_256];
    if (!hash) {
      checks.push({ name: 'signature', status: 'fail', detail: `message digest algorithm ${String(ms.messageDigest?.algorithm)} is not supported` });
    } else if (opts.artifact.bytes) {
      checks.push(verifySignature(sigKey, opts.artifact.bytes, ms.signature, alg === 'ed25519' || alg === 'sm2' ? {} : { hash }) ? { name: 'signature', status: 'pass', detail: 'signature over the artifact verifies' } : { name: 'signature', status: 'fail', detail: 'signature verification failed' });
    } else if (ms.messageDigest && (alg === 'p256' || alg === 'p384')) {
      checks.push(verifyEcdsaPrehashed(sigKey, ms.messageDigest.digest, ms.signature) ? { name: 'signature', status: 'pass', detail: 'ECDSA signature over the signed digest verifies' } : { name: 'signature', status: 'fail', detail: 'signature verification failed' });
    } else checks.push({ name: 'signature', status: 'fail', detail: `a ${alg ?? 'non-ECDSA'} message signature can only be checked against the artifact file itself, not a digest` });
  }

  // identity
  if (isCert) {
    const id = signer?.identity;
    if (id) result.signer = { ...(id.subjectAlternativeName ? { subjectAlternativeName: id.subjectAlternativeName } : {}), ...(id.extensions?.issuer ? { issuer: id.extensions.issuer } : {}) };
    if (!opts.identity) checks.push({ name: 'certificate-identity', status: 'fail', detail: `not constrained: pass --certificate-identity and --certificate-oidc-issuer (the certificate says ${id?.subjectAlternativeName ?? '?'} from ${id?.extensions?.issuer ?? '?'})` });
    else if (!signer) checks.push({ name: 'certificate-identity', status: 'fail', detail: 'the certificate did not verify' });
    else {
      try {
        steps.verifyPolicy({ subjectAlternativeName: opts.identity.subjectAlternativeName, extensions: { issuer: opts.identity.issuer } }, signer.identity ?? {});
        checks.push({ name: 'certificate-identity', status: 'pass', detail: `${opts.identity.subjectAlternativeName} from ${opts.identity.issuer}` });
      } catch (e) {
        checks.push({ name: 'certificate-identity', status: 'fail', detail: message(e) });
      }
    }
  } else {
    checks.push(opts.identity ? { name: 'certificate-identity', status: 'fail', detail: 'a certificate identity was required but the bundle is signed with a key' } : { name: 'certificate-identity', status: 'not-applicable', detail: 'signed with a public key' });
  }

  // artifact and statement
  if (b.content.$case === 'dsseEnvelope') {
    const env = b.content.dsseEnvelope;
    result.statement = statementSummary(statementChecks(env.payloadType, env.payload, opts.artifact, checks));
  } else {
    const md = b.content.messageSignature.messageDigest;
    const hashName = MESSAGE_HASH[md?.algorithm ?? HashAlgorithm.SHA2_256];
    const want = hashName ? (opts.artifact.bytes ? createHash(hashName).update(opts.artifact.bytes).digest('hex') : opts.artifact.digests[hashName]) : undefined;
    checks.push(
      md && want && md.digest.toString('hex') === want
        ? { name: 'artifact-digest', status: 'pass', detail: `${opts.artifact.label} has the signed ${hashName} digest` }
        : { name: 'artifact-digest', status: 'fail', detail: `the signed ${hashName ?? ''} digest ${md?.digest.toString('hex') ?? '(none)'} is not ${opts.artifact.label}'s ${want ?? `(no ${hashName ?? 'matching'} digest given)`}` },
    );
    checks.push({ name: 'statement', status: 'not-applicable', detail: 'a message signature has no statement' });
  }
  result.verified = checks.every((c) => c.status !== 'fail');
  return result;
}

/** Verify a bare DSSE envelope (in-toto bundle line, GCB/VSA provenance) with keys. */
export function verifyDsseItem(envJson: unknown, source: string, material: VerificationMaterial, opts: VerifyOptions): ItemVerification {
  const checks: VerificationCheck[] = [];
  const result: ItemVerification = { source, kind: 'dsse-envelope', verified: false, checks };
  let env: DsseEnvelope;
  try {
    env = parseEnvelope(envJson, source);
  } catch (e) {
    checks.push({ name: 'signature', status: 'fail', detail: message(e) });
    return result;
  }
  const certSigned = Array.isArray((envJson as { signatures?: unknown[] }).signatures) && ((envJson as { signatures: { cert?: unknown }[] }).signatures.some((s) => typeof s?.cert === 'string'));
  const r = verifyEnvelope(env, material.keys, { ignoreKeyIds: material.explicitKeys === true });
  const known = r.signatures.filter((s) => s.status !== 'unknown-key');
  if (r.verified) {
    const v = r.signatures.find((s) => s.status === 'verified');
    result.signer = { ...(v?.keyId ? { keyId: v.keyId } : {}), ...(v?.label ? { label: v.label } : {}) };
    checks.push({ name: 'signer-key', status: 'pass', detail: `signed by ${r.verifiedKeyIds.map((id) => material.keys.find((k) => k.keyId === id)?.label ?? id).join(', ')}` });
    checks.push({ name: 'signature', status: 'pass', detail: `${r.verifiedKeyIds.length} of ${env.signatures.length} signature(s) verify` });
  } else {
    checks.push(
      known.length === 0
        ? { name: 'signer-key', status: 'fail', detail: `no signature is by a trusted key (key ids: ${env.signatures.map((s) => s.keyid || '(none)').join(', ')})${certSigned ? '; the signatures carry certificates, which need an online Rekor lookup without a Sigstore bundle' : ''}` }
        : { name: 'signer-key', status: 'pass', detail: 'a signature names a trusted key' },
    );
    checks.push({ name: 'signature', status: 'fail', detail: r.signatures.map((s) => `signature ${s.index}: ${s.status}`).join('; ') });
  }
  checks.push({ name: 'certificate-chain', status: certSigned && !r.verified ? 'fail' : 'not-applicable', detail: certSigned && !r.verified ? 'certificate-signed envelope without its Sigstore bundle cannot be checked offline' : 'signed with a public key' });
  checks.push(opts.identity ? { name: 'certificate-identity', status: 'fail', detail: 'a certificate identity was required but the envelope is checked with keys' } : { name: 'certificate-identity', status: 'not-applicable', detail: 'signed with a public key' });
  const threshold = opts.tlogThreshold ?? 1;
  checks.push(threshold > 0 ? { name: 'tlog-inclusion', status: 'fail', detail: 'a bare DSSE envelope carries no transparency-log proof (use --tlog-threshold 0 to accept that)' } : { name: 'tlog-inclusion', status: 'not-applicable', detail: 'not required (--tlog-threshold 0)' });
  checks.push({ name: 'timestamp', status: 'not-applicable', detail: 'a bare DSSE envelope carries no signed time' });
  let payload: Buffer;
  try {
    payload = envelopePayload(env);
  } catch (e) {
    checks.push({ name: 'statement', status: 'fail', detail: message(e) });
    return result;
  }
  result.statement = statementSummary(statementChecks(env.payloadType, payload, opts.artifact, checks));
  result.verified = checks.every((c) => c.status !== 'fail');
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Reading attestation files: a Sigstore bundle (pretty or one line), JSON Lines of bundles or of DSSE
// envelopes (in-toto bundles), npm's `{attestations: [...]}`, gcloud's provenance summary.

export type AttestationItem = { source: string; kind: 'bundle'; json: unknown } | { source: string; kind: 'envelope'; json: unknown; line: string };

function classify(v: unknown, source: string, line: string, out: AttestationItem[], ignored: string[]): void {
  const o = v as Record<string, unknown> | null;
  if (o === null || typeof o !== 'object') return void ignored.push(source);
  // a bundle by its media type, or by its shape (then parsing says what is wrong with the media type)
  if ((typeof o.mediaType === 'string' && o.mediaType.startsWith('application/vnd.dev.sigstore.bundle')) || ('verificationMaterial' in o && ('dsseEnvelope' in o || 'messageSignature' in o))) return void out.push({ source, kind: 'bundle', json: o });
  if (typeof o.payloadType === 'string' && 'payload' in o && Array.isArray(o.signatures)) return void out.push({ source, kind: 'envelope', json: o, line });
  if (Array.isArray(o.attestations)) {
    (o.attestations as unknown[]).forEach((a, i) => classify((a as { bundle?: unknown })?.bundle ?? a, `${source} attestations[${i}]`, '', out, ignored));
    return;
  }
  const prov = (o.provenance_summary as { provenance?: unknown[] } | undefined)?.provenance;
  if (Array.isArray(prov)) {
    prov.forEach((p, i) => {
      const env = (p as { envelope?: unknown })?.envelope;
      if (env) out.push({ source: `${source} provenance_summary.provenance[${i}]`, kind: 'envelope', json: env, line: '' });
    });
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => classify(x, `${source}[${i}]`, '', out, ignored));
    return;
  }
  ignored.push(source);
}

/** The items of an attestation file; lines that are neither a bundle nor an envelope are listed as ignored (in-toto bundle rule). */
export function readAttestationItems(text: string, what: string): { items: AttestationItem[]; ignored: string[] } {
  const items: AttestationItem[] = [];
  const ignored: string[] = [];
  const trimmed = text.trim();
  if (trimmed === '') throw new AttestError('invalid-bundle', `${what}: empty file`, { details: { file: what } });
  try {
    classify(JSON.parse(trimmed), what, trimmed.includes('\n') ? '' : trimmed, items, ignored);
    if (items.length || !trimmed.includes('\n')) return { items, ignored };
  } catch {
    // not one JSON document: JSON Lines
  }
  items.length = 0;
  ignored.length = 0;
  trimmed.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      ignored.push(`${what} line ${i + 1}`);
      return;
    }
    classify(v, `${what} line ${i + 1}`, line, items, ignored);
  });
  if (items.length === 0) throw new AttestError('invalid-bundle', `${what}: holds no Sigstore bundle and no DSSE envelope`, { details: { file: what, expected: 'a Sigstore bundle, JSON Lines of bundles or an in-toto bundle (.intoto.jsonl)' } });
  return { items, ignored };
}

/** sha256 of an envelope as the bundle manifest lists it (its canonical serialization). */
export function envelopeDigest(env: DsseEnvelope): string {
  return createHash('sha256').update(serializeEnvelope(env)).digest('hex');
}
