/**
 * Our Sigstore bundles: the stock @sigstore/verify Verifier, given only the exported trusted_root.json,
 * the signer's public key and the artifact (tlogThreshold 1, so Sigstore's code checks the embedded
 * log's inclusion proof and checkpoint), accepts them and refuses a changed artifact; the
 * algorithm × form matrix stock verifiers accept is pinned; and every single-byte change of payload,
 * signature, key id, proof, checkpoint, entry timestamp or logged body is refused by our verifier.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SerializedBundle, bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot, PublicKeyDetails } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { tempDir } from '../../build/test-support/fixtures';
import { fixedClock } from '../core';
import { jobContext } from '../jobs/context';
import { trustExportRootJob } from '../jobs/trust';
import { openStore, type Store } from '../store';
import { type SigningAlgorithm, SIGNING_ALGORITHMS, smSupport, spkiDer } from './crypto';
import { createMemoryKey, type SigningKey } from './kms';
import { buildDsseBundle, buildMessageBundle } from './sigstore';
import { buildStatement, statementBytes } from './statement';
import { verificationMaterialFor } from './trust';
import { type ArtifactInput, verifySigstoreBundle } from './verify';

const ALGS: SigningAlgorithm[] = SIGNING_ALGORITHMS.filter((a) => a !== 'sm2' || smSupport().ok);
const clock = fixedClock('2026-03-01T12:00:00.000Z', 1000);
const ARTIFACT = Buffer.from('the artifact the auditor holds\n');
const OTHER = Buffer.from('the artifact the auditor holds!\n');
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const artifactOf = (b: Buffer): ArtifactInput => ({ digests: { sha256: sha(b) }, bytes: b, label: 'artifact' });

function freshStore(): Store {
  return openStore({ home: tempDir() });
}

function statementPayload(): Buffer {
  return statementBytes(buildStatement([{ name: 'artifact.txt', digest: { sha256: sha(ARTIFACT) } }], 'https://stella.invalid/test/v1', { note: 'hello' }));
}

/** What a stock @sigstore/verify user does with our files: trusted root JSON + the signer's key + the artifact. */
function stockVerify(rootJson: unknown, key: SigningKey, bundle: SerializedBundle, artifact: Buffer): { ok: boolean; error?: string } {
  const keyDetails = { ed25519: PublicKeyDetails.PKIX_ED25519, p256: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, p384: PublicKeyDetails.PKIX_ECDSA_P384_SHA_384, 'rsa-pss-3072': PublicKeyDetails.PKIX_RSA_PSS_3072_SHA256, sm2: PublicKeyDetails.PUBLIC_KEY_DETAILS_UNSPECIFIED }[key.algorithm];
  const tm = toTrustMaterial(TrustedRoot.fromJSON(rootJson), { [key.keyId]: { rawBytes: spkiDer(createPublicKey(key.publicKey())), keyDetails } });
  try {
    const b = bundleFromJSON(bundle);
    new Verifier(tm, { tlogThreshold: 1, ctlogThreshold: 0, timestampThreshold: 0 }).verify(toSignedEntity(b, artifact));
    if (b.content.$case === 'dsseEnvelope') {
      // the Verifier checks the envelope; the artifact is checked against the statement's subjects
      const st = JSON.parse(b.content.dsseEnvelope.payload.toString('utf8')) as { subject: { digest: { sha256: string } }[] };
      if (!st.subject.some((s) => s.digest.sha256 === sha(artifact))) return { ok: false, error: 'artifact is not a subject' };
    }
    return { ok: true };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

function exportRoot(store: Store): unknown {
  const out = join(tempDir(), 'trusted_root.json');
  trustExportRootJob(store, { output: out }, jobContext({ clock }));
  return JSON.parse(readFileSync(out, 'utf8'));
}

/** Which forms stock @sigstore/verify 3.1 on Node 20 accepts (the README's interop table). */
const STOCK: Record<SigningAlgorithm, { dsse: boolean; message: boolean }> = {
  ed25519: { dsse: true, message: false },
  p256: { dsse: true, message: true },
  p384: { dsse: false, message: true },
  'rsa-pss-3072': { dsse: true, message: true },
  sm2: { dsse: true, message: false },
};

test('stock @sigstore/verify, given only our trusted_root.json, the public key and the artifact, verifies our bundles (tlogThreshold 1) and refuses a changed artifact', async () => {
  const store = freshStore();
  for (const alg of ALGS) {
    const key = createMemoryKey(alg);
    const dsse = await buildDsseBundle(store, { payload: statementPayload(), key }, { clock });
    const intoto = await buildDsseBundle(store, { payload: statementPayload(), key }, { clock }, { entryKind: 'intoto' });
    const message = await buildMessageBundle(store, { artifact: ARTIFACT, key }, { clock });
    const root = exportRoot(store);
    for (const [form, b] of [['dsse', dsse], ['intoto', intoto], ['message', message]] as const) {
      const want = form === 'message' ? STOCK[alg].message : STOCK[alg].dsse;
      const r = stockVerify(root, key, b.bundle, ARTIFACT);
      assert.equal(r.ok, want, `${alg} ${form}: stock verifier ${want ? 'accepts' : 'refuses'} (${r.error ?? ''})`);
      if (want) assert.equal(stockVerify(root, key, b.bundle, OTHER).ok, false, `${alg} ${form}: a changed artifact is refused`);
      // our own verifier accepts every combination, with the workstation's trust only
      const mine = verifySigstoreBundle(b.bundle, `${alg}-${form}`, { ...verificationMaterialFor(store, 'attestations'), keys: [{ keyId: key.keyId, publicKey: createPublicKey(key.publicKey()) }] }, { artifact: artifactOf(ARTIFACT) });
      assert.equal(mine.verified, true, `${alg} ${form}: ${JSON.stringify(mine.checks.filter((c) => c.status === 'fail'))}`);
      const other = verifySigstoreBundle(b.bundle, `${alg}-${form}`, { ...verificationMaterialFor(store, 'attestations'), keys: [{ keyId: key.keyId, publicKey: createPublicKey(key.publicKey()) }] }, { artifact: artifactOf(OTHER) });
      assert.equal(other.verified, false);
      assert.ok(other.checks.some((c) => c.name === 'artifact-digest' && c.status === 'fail'));
    }
  }
  store.close();
});

test('the bundle is v0.3 with a public-key hint, an inclusion proof with its signed checkpoint and a signed entry timestamp', async () => {
  const store = freshStore();
  const key = createMemoryKey('ed25519');
  const { bundle, logEntry } = await buildDsseBundle(store, { payload: statementPayload(), key }, { clock });
  assert.equal(bundle.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
  assert.equal(bundle.verificationMaterial.publicKey?.hint, key.keyId);
  const e = bundle.verificationMaterial.tlogEntries[0];
  assert.ok(e && logEntry);
  assert.equal(e.kindVersion?.kind, 'dsse');
  assert.match(e.inclusionProof?.checkpoint.envelope ?? '', /^stella\.invalid\/log\/[0-9a-f]{16}\n1\n[A-Za-z0-9+/]{43}=\n\n\u2014 stella\.invalid\/log\/[0-9a-f]{16} [A-Za-z0-9+/=]+\n$/);
  assert.ok(e.inclusionPromise?.signedEntryTimestamp);
  assert.ok(Number(e.integratedTime) >= Math.floor(Date.parse('2026-03-01T12:00:00.000Z') / 1000), 'integratedTime comes from the injected clock');
  assert.ok(Number(e.integratedTime) < Math.floor(Date.parse('2026-03-02T00:00:00.000Z') / 1000));
  store.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mutations reach into bundle JSON at arbitrary paths
type Json = any;
type Mutation = { what: string; apply: (b: Json) => void };

function flipByteMutations(what: string, get: (b: Json) => Buffer, set: (b: Json, v: Buffer) => void, length: number): Mutation[] {
  return Array.from({ length }, (_, i) => ({
    what: `${what} byte ${i}`,
    apply: (b) => {
      const v = Buffer.from(get(b));
      v[i] = (v[i] as number) ^ 0x01;
      set(b, v);
    },
  }));
}

function flipCharMutations(what: string, get: (b: Json) => string, set: (b: Json, v: string) => void, length: number): Mutation[] {
  return Array.from({ length }, (_, i) => ({
    what: `${what} char ${i}`,
    apply: (b) => {
      const v = get(b);
      set(b, v.slice(0, i) + (v[i] === '0' ? '1' : '0') + v.slice(i + 1));
    },
  }));
}

test('every single-byte change of payload, signature, key id, proof, checkpoint, entry timestamp and logged body is refused', async () => {
  const store = freshStore();
  for (const [alg, form] of [['ed25519', 'dsse'], ['p256', 'message']] as const) {
    const key = createMemoryKey(alg);
    // earlier entries, so that the bundle's inclusion proof has hashes to tamper with
    for (let i = 0; i < 5; i++) await buildMessageBundle(store, { artifact: Buffer.from(`filler ${alg} ${i}`), key: createMemoryKey('p256') }, { clock });
    const built = form === 'dsse' ? await buildDsseBundle(store, { payload: statementPayload(), key }, { clock }) : await buildMessageBundle(store, { artifact: ARTIFACT, key }, { clock });
    const original = JSON.stringify(built.bundle);
    const material = { ...verificationMaterialFor(store, 'attestations'), keys: [{ keyId: key.keyId, publicKey: createPublicKey(key.publicKey()) }] };
    const check = (b: unknown): boolean => verifySigstoreBundle(b, 't', material, { artifact: artifactOf(ARTIFACT) }).verified;
    assert.equal(check(JSON.parse(original)), true, `${alg} ${form}: untouched bundle verifies`);
    const tl = (b: Json): Json => b.verificationMaterial.tlogEntries[0];
    const b64 = (s: string): Buffer => Buffer.from(s, 'base64');
    const sample = JSON.parse(original) as Json;
    const mutations: Mutation[] = [];
    if (form === 'dsse') {
      mutations.push(...flipByteMutations('payload', (b) => b64(b.dsseEnvelope.payload), (b, v) => (b.dsseEnvelope.payload = v.toString('base64')), b64(sample.dsseEnvelope.payload).length));
      mutations.push(...flipByteMutations('signature', (b) => b64(b.dsseEnvelope.signatures[0].sig), (b, v) => (b.dsseEnvelope.signatures[0].sig = v.toString('base64')), b64(sample.dsseEnvelope.signatures[0].sig).length));
      mutations.push(...flipCharMutations('envelope keyid', (b) => b.dsseEnvelope.signatures[0].keyid, (b, v) => (b.dsseEnvelope.signatures[0].keyid = v), key.keyId.length));
      mutations.push({ what: 'payload type', apply: (b) => (b.dsseEnvelope.payloadType = 'application/vnd.in-toto+jsoN') });
    } else {
      mutations.push(...flipByteMutations('signature', (b) => b64(b.messageSignature.signature), (b, v) => (b.messageSignature.signature = v.toString('base64')), b64(sample.messageSignature.signature).length));
      mutations.push(...flipByteMutations('message digest', (b) => b64(b.messageSignature.messageDigest.digest), (b, v) => (b.messageSignature.messageDigest.digest = v.toString('base64')), 32));
    }
    mutations.push(...flipCharMutations('key hint', (b) => b.verificationMaterial.publicKey.hint, (b, v) => (b.verificationMaterial.publicKey.hint = v), key.keyId.length));
    const proof = tl(sample).inclusionProof;
    assert.ok(proof.hashes.length >= 2, 'the proof has hashes');
    proof.hashes.forEach((_: string, h: number) => mutations.push(...flipByteMutations(`proof hash ${h}`, (b) => b64(tl(b).inclusionProof.hashes[h]), (b, v) => (tl(b).inclusionProof.hashes[h] = v.toString('base64')), 32)));
    mutations.push(...flipByteMutations('proof root hash', (b) => b64(tl(b).inclusionProof.rootHash), (b, v) => (tl(b).inclusionProof.rootHash = v.toString('base64')), 32));
    mutations.push({ what: 'proof tree size', apply: (b) => (tl(b).inclusionProof.treeSize = String(Number(tl(b).inclusionProof.treeSize) + 1)) });
    mutations.push({ what: 'proof log index', apply: (b) => (tl(b).inclusionProof.logIndex = String(Number(tl(b).inclusionProof.logIndex) + 1)) });
    mutations.push({ what: 'entry log index', apply: (b) => (tl(b).logIndex = String(Number(tl(b).logIndex) + 1)) });
    mutations.push({ what: 'integrated time', apply: (b) => (tl(b).integratedTime = String(Number(tl(b).integratedTime) + 1)) });
    const cpLen = Buffer.from(proof.checkpoint.envelope, 'utf8').length;
    mutations.push(...flipByteMutations('checkpoint', (b) => Buffer.from(tl(b).inclusionProof.checkpoint.envelope, 'utf8'), (b, v) => (tl(b).inclusionProof.checkpoint.envelope = v.toString('utf8')), cpLen));
    mutations.push(...flipByteMutations('signed entry timestamp', (b) => b64(tl(b).inclusionPromise.signedEntryTimestamp), (b, v) => (tl(b).inclusionPromise.signedEntryTimestamp = v.toString('base64')), 64));
    mutations.push(...flipByteMutations('logged body', (b) => b64(tl(b).canonicalizedBody), (b, v) => (tl(b).canonicalizedBody = v.toString('base64')), b64(tl(sample).canonicalizedBody).length));
    mutations.push(...flipByteMutations('log id', (b) => b64(tl(b).logId.keyId), (b, v) => (tl(b).logId.keyId = v.toString('base64')), 32));
    let refused = 0;
    for (const m of mutations) {
      const b = JSON.parse(original) as Json;
      m.apply(b);
      assert.equal(check(b), false, `${alg} ${form}: ${m.what} changed but the bundle still verifies`);
      refused++;
    }
    assert.ok(refused > 500, `${alg} ${form}: ${refused} single-byte changes refused`);
  }
  store.close();
});
