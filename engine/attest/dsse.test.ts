import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fixture, needsFixtures, needsTool } from '../../build/test-support/fixtures';
import { type SigningAlgorithm, SIGNING_ALGORITHMS, ALGORITHM_INFO, smSupport, spkiDer, keyIdOf } from './crypto';
import { createMemoryKey, LocalSigningKey } from './kms';
import { type DsseEnvelope, INTOTO_PAYLOAD_TYPE, pae, parseEnvelope, signEnvelope, verifyEnvelope, assertEnvelopeVerified, serializeEnvelope } from './dsse';

const SM = smSupport();
/** Every algorithm this platform can sign with (SM2 only where OpenSSL offers it). */
const ALGS: SigningAlgorithm[] = SIGNING_ALGORITHMS.filter((a) => a !== 'sm2' || SM.ok);

function decToB64url(dec: string): string {
  let hex = BigInt(dec).toString(16);
  hex = hex.padStart(64, '0');
  return Buffer.from(hex, 'hex').toString('base64url');
}

test('DSSE test vector (secure-systems-lab/dsse protocol.md): PAE bytes and the published ECDSA P-256 signature verify', needsFixtures('attest', 'dsse', 'test-vector-helloworld.json'), () => {
  const v = JSON.parse(readFileSync(fixture('attest', 'dsse', 'test-vector-helloworld.json') as string, 'utf8')) as {
    payloadType: string;
    serializedBody: string;
    pae: string;
    key: { x: string; y: string; d: string };
    envelope: DsseEnvelope;
  };
  assert.equal(pae(v.payloadType, Buffer.from(v.serializedBody)).toString(), v.pae);
  const jwk = { kty: 'EC', crv: 'P-256', x: decToB64url(v.key.x), y: decToB64url(v.key.y) };
  const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
  const env = parseEnvelope(v.envelope, 'test vector');
  const keys = [{ keyId: keyIdOf(publicKey), publicKey }];
  const r = verifyEnvelope(env, keys);
  assert.equal(r.verified, true, 'the raw r‖s signature of the vector verifies');
  // Our own signature with the vector's private key (DER; OpenSSL 3.0 has no deterministic ECDSA) verifies too.
  const privateKey = createPrivateKey({ key: { ...jwk, d: decToB64url(v.key.d) }, format: 'jwk' });
  const signer = new LocalSigningKey(privateKey, 'p256', 'fips');
  return signEnvelope(v.payloadType, Buffer.from(v.serializedBody), [signer]).then((mine) => {
    assert.equal(mine.payload, v.envelope.payload);
    assert.equal(verifyEnvelope(mine, keys).verified, true);
    // A different body under the vector's signature does not verify.
    const other = { ...env, payload: Buffer.from('hello world!').toString('base64') };
    assert.equal(verifyEnvelope(other, keys).verified, false);
  });
});

test('sign → verify round trip for every algorithm, and one envelope signed by keys of several profiles', async () => {
  if (!SM.ok) process.stderr.write(`note: SM2 skipped: ${SM.reason}\n`);
  const keys = ALGS.map((a) => createMemoryKey(a));
  const payload = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [], predicateType: 'x', predicate: {} }));
  for (const k of keys) {
    const env = await signEnvelope(INTOTO_PAYLOAD_TYPE, payload, [k]);
    const r = verifyEnvelope(env, [{ keyId: k.keyId, publicKey: createPublicKey(k.publicKey()) }]);
    assert.equal(r.verified, true, k.algorithm);
    assert.deepEqual(r.verifiedKeyIds, [k.keyId]);
  }
  const multi = await signEnvelope(INTOTO_PAYLOAD_TYPE, payload, keys);
  assert.equal(multi.signatures.length, keys.length);
  const vkeys = keys.map((k) => ({ keyId: k.keyId, publicKey: createPublicKey(k.publicKey()) }));
  assert.equal(verifyEnvelope(multi, vkeys, { threshold: keys.length }).verified, true);
  assert.equal(verifyEnvelope(multi, vkeys.slice(1), { threshold: keys.length }).verified, false, 'one key short of the threshold');
  assert.equal(verifyEnvelope(multi, vkeys.slice(0, 1), { threshold: 1 }).verified, true, 'threshold 1 with one trusted key');
  // canonical serialization round-trips
  assert.deepEqual(parseEnvelope(serializeEnvelope(multi)), multi);
});

test('every single-byte change of payload, signature or key id is rejected', async () => {
  for (const alg of ['ed25519', 'p256'] as const) {
    const k = createMemoryKey(alg);
    const vkeys = [{ keyId: k.keyId, publicKey: createPublicKey(k.publicKey()) }];
    const payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1","predicateType":"t","subject":[],"predicate":{"a":1}}');
    const env = await signEnvelope(INTOTO_PAYLOAD_TYPE, payload, [k]);
    const sig = Buffer.from(env.signatures[0]?.sig as string, 'base64');
    for (let i = 0; i < payload.length; i++) {
      const p = Buffer.from(payload);
      p[i] = (p[i] as number) ^ 0x01;
      assert.equal(verifyEnvelope({ ...env, payload: p.toString('base64') }, vkeys).verified, false, `${alg} payload byte ${i}`);
    }
    for (let i = 0; i < sig.length; i++) {
      const s = Buffer.from(sig);
      s[i] = (s[i] as number) ^ 0x01;
      assert.equal(verifyEnvelope({ ...env, signatures: [{ keyid: k.keyId, sig: s.toString('base64') }] }, vkeys).verified, false, `${alg} signature byte ${i}`);
    }
    for (let i = 0; i < k.keyId.length; i++) {
      const id = k.keyId.slice(0, i) + (k.keyId[i] === '0' ? '1' : '0') + k.keyId.slice(i + 1);
      const r = verifyEnvelope({ ...env, signatures: [{ keyid: id, sig: sig.toString('base64') }] }, vkeys);
      assert.equal(r.verified, false, `${alg} keyid char ${i}`);
      assert.equal(r.signatures[0]?.status, 'unknown-key');
    }
    // the payload type is authenticated too
    assert.equal(verifyEnvelope({ ...env, payloadType: 'application/vnd.in-toto+jsoN' }, vkeys).verified, false);
    assert.throws(() => assertEnvelopeVerified({ ...env, payloadType: 'x' }, vkeys, { what: 't.json' }), /t\.json: 0 of 1 required/);
  }
});

test('malformed envelopes are refused with the field named', () => {
  const cases: [unknown, RegExp][] = [
    ['not json', /not JSON/],
    [[], /expected a JSON object/],
    [{ payload: 'aGk=', signatures: [{ sig: 'aGk=' }] }, /\/payloadType/],
    [{ payloadType: 't', payload: 'a*b=', signatures: [{ sig: 'aGk=' }] }, /\/payload: not valid base64/],
    [{ payloadType: 't', payload: 'aGk=', signatures: [] }, /\/signatures must be a non-empty array/],
    [{ payloadType: 't', payload: 'aGk=', signatures: [{ sig: 5 }] }, /\/signatures\/0\/sig/],
    [{ payloadType: 't', payload: 'aGk=', signatures: [{ sig: 'aGk=', keyid: 1 }] }, /\/signatures\/0\/keyid/],
  ];
  for (const [input, re] of cases) assert.throws(() => parseEnvelope(input, 'e.json'), re);
});

const PY = needsTool('/usr/bin/python3', 'apt-get install python3-securesystemslib in-toto');

test("independent verifier: Debian's python3-securesystemslib verifies our DSSE signatures", PY, async () => {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import securesystemslib.signer, in_toto'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    assert.fail(`python3-securesystemslib / in-toto not importable (apt-get install python3-securesystemslib in-toto): ${probe.stderr}`);
  }
  const cases: { name: string; keyid: string; key: unknown; envelope: DsseEnvelope; expect: boolean }[] = [];
  for (const alg of ALGS) {
    const info = ALGORITHM_INFO[alg].sslib;
    if (!info) continue; // SM2: securesystemslib has no SM2 scheme
    const k = createMemoryKey(alg);
    const pub = alg === 'ed25519' ? spkiDer(createPublicKey(k.publicKey())).subarray(-32).toString('hex') : k.publicKey();
    const env = await signEnvelope(INTOTO_PAYLOAD_TYPE, Buffer.from(`{"stella":"${alg}"}`), [k]);
    const key = { keytype: info.keytype, scheme: info.scheme, keyval: { public: pub } };
    cases.push({ name: alg, keyid: k.keyId, key, envelope: env, expect: true });
    const bad = { ...env, payload: Buffer.from(`{"stella":"${alg}!"}`).toString('base64') };
    cases.push({ name: `${alg}-tampered`, keyid: k.keyId, key, envelope: bad, expect: false });
  }
  const script = `
import json, sys, base64
from securesystemslib.signer import SSlibKey, Signature
out = []
for c in json.load(sys.stdin):
    env = c['envelope']
    key = SSlibKey.from_dict(c['keyid'], dict(c['key']))
    payload = base64.b64decode(env['payload'])
    ptype = env['payloadType'].encode()
    pae = b'DSSEv1 %d %b %d %b' % (len(ptype), ptype, len(payload), payload)
    ok = False
    for s in env['signatures']:
        if s.get('keyid') != c['keyid']:
            continue
        try:
            key.verify_signature(Signature(s['keyid'], base64.b64decode(s['sig']).hex()), pae)
            ok = True
        except Exception:
            pass
    out.append({'name': c['name'], 'ok': ok})
print(json.dumps(out))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout) as { name: string; ok: boolean }[];
  assert.deepEqual(
    got.map((g) => [g.name, g.ok]),
    cases.map((c) => [c.name, c.expect]),
  );
  assert.ok(got.some((g) => g.name === 'rsa-pss-3072' && g.ok), 'RSA-PSS included');
});

test("SM2: our signatures are the SM2 scheme the platform's openssl verifies", needsTool('openssl', 'apt-get install openssl'), async () => {
  if (!SM.ok) return void process.stderr.write(`note: SM2 unavailable here: ${SM.reason}\n`);
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'stella-sm2-'));
  const k = createMemoryKey('sm2');
  const data = Buffer.from('DSSEv1 28 application/vnd.in-toto+json 2 {}');
  writeFileSync(join(dir, 'pub.pem'), k.publicKey());
  writeFileSync(join(dir, 'data'), data);
  writeFileSync(join(dir, 'sig'), k.signSync(data));
  const ok = spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'pub.pem'), '-rawin', '-in', join(dir, 'data'), '-sigfile', join(dir, 'sig'), '-digest', 'sm3'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  writeFileSync(join(dir, 'data'), Buffer.concat([data, Buffer.from('!')]));
  const bad = spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'pub.pem'), '-rawin', '-in', join(dir, 'data'), '-sigfile', join(dir, 'sig'), '-digest', 'sm3'], { encoding: 'utf8' });
  assert.notEqual(bad.status, 0, 'a changed message does not verify');
});
