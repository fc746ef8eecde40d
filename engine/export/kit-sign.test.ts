import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { FlattenedSign, flattenedVerify } from 'jose';
import { LocalSigningKey, createMemoryKey, type SigningAlgorithm } from '../attest';
import { ExportError } from './errors';
import { assertKitSigningKey, signDetachedJws } from './kit-sign';

const payload = Buffer.from('{"kind":"kit","version":"1.0.0"}', 'utf8');

const CASES: { alg: SigningAlgorithm; jws: string; gen: () => ReturnType<typeof generateKeyPairSync> }[] = [
  { alg: 'ed25519', jws: 'EdDSA', gen: () => generateKeyPairSync('ed25519') },
  { alg: 'p256', jws: 'ES256', gen: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }) },
  { alg: 'p384', jws: 'ES384', gen: () => generateKeyPairSync('ec', { namedCurve: 'P-384' }) },
];

for (const c of CASES) {
  test(`detached JWS (RFC 7515 + RFC 7797 b64:false) with ${c.alg} verifies with jose and fails on any other payload`, async () => {
    const { privateKey, publicKey } = c.gen();
    const key = new LocalSigningKey(privateKey, c.alg, c.alg === 'ed25519' ? 'world' : 'fips');
    const jws = await signDetachedJws(payload, key);
    const [protectedHeader, detached, signature] = jws.split('.');
    assert.equal(detached, '', 'the payload is detached');
    const header = JSON.parse(Buffer.from(protectedHeader!, 'base64url').toString()) as Record<string, unknown>;
    assert.deepEqual(header, { alg: c.jws, b64: false, crit: ['b64'], kid: key.keyId });
    const ok = await flattenedVerify({ protected: protectedHeader!, payload, signature: signature! }, publicKey, { algorithms: [c.jws] });
    assert.deepEqual(Buffer.from(ok.payload), payload);
    await assert.rejects(flattenedVerify({ protected: protectedHeader!, payload: Buffer.concat([payload, Buffer.from(' ')]), signature: signature! }, publicKey, { algorithms: [c.jws] }));
    if (c.alg === 'ed25519') {
      // Ed25519 is deterministic: jose signing the same input with the same key gives the same signature.
      const theirs = await new FlattenedSign(payload).setProtectedHeader(header as { alg: string; b64: false; crit: ['b64']; kid: string }).sign(privateKey);
      assert.equal(theirs.signature, signature);
    }
  });
}

test('keys without a JWS algorithm jose can verify (RSA-PSS, SM2) cannot sign kits', () => {
  const pss = createMemoryKey('rsa-pss-3072');
  assert.throws(() => assertKitSigningKey(pss), (e: unknown) => e instanceof ExportError && e.code === 'invalid-argument' && /ed25519, p256, p384/.test(e.message));
  assert.equal(assertKitSigningKey(createMemoryKey('ed25519')), 'EdDSA');
});
