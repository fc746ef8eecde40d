import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tempDir, fixture, needsFixtures } from '../../build/test-support/fixtures';
import { exitCodeOf, fixedClock } from '../core';
import { openStore } from '../store';
import { createMemoryKey } from './kms';
import { signEnvelope } from './dsse';
import { addTrust, listTrust, parsePurposes, removeTrust, trustedRootsJsonFor, verificationMaterialFor, verifyEnvelopeForPurpose } from './trust';

const clock = fixedClock('2026-01-01T00:00:00Z');

test('a key is trusted only for its purposes: a kit signer does not sign plug-ins', async () => {
  const store = openStore({ home: tempDir() });
  const kitSigner = createMemoryKey('p256');
  addTrust(store, { name: 'kit-vendor', text: kitSigner.publicKey(), file: 'kit.pem', purposes: ['kits'] }, { clock });
  const env = await signEnvelope('application/vnd.stella.plugin-manifest+json', Buffer.from('{"name":"os/dpkg"}'), [kitSigner]);
  assert.equal(verifyEnvelopeForPurpose(store, env, 'kits').verified, true);
  assert.throws(() => verifyEnvelopeForPurpose(store, env, 'plugins'), (e) => exitCodeOf(e) === 6 && /plugins signature: 0 of 1/.test((e as Error).message));
  assert.throws(() => verifyEnvelopeForPurpose(store, env, 'kits', { threshold: 2 }), /0 of 2|1 of 2/);
  removeTrust(store, 'kit-vendor');
  assert.throws(() => verifyEnvelopeForPurpose(store, env, 'kits'), (e) => exitCodeOf(e) === 6);
  store.close();
});

test('purposes parse strictly; entries are listed with their kind, purposes and digest', () => {
  assert.deepEqual(parsePurposes('plugins, kits,kits'), ['kits', 'plugins']);
  assert.throws(() => parsePurposes('kits,root'), (e) => exitCodeOf(e) === 2);
  assert.throws(() => parsePurposes(''), (e) => exitCodeOf(e) === 2);
  const store = openStore({ home: tempDir() });
  const k = createMemoryKey('ed25519');
  const e = addTrust(store, { name: 'a', text: k.publicKey(), file: 'a.pem', purposes: ['attestations'] }, { clock });
  assert.deepEqual([e.kind, e.algorithm, e.keyIds], ['public-key', 'ed25519', [k.keyId]]);
  assert.throws(() => addTrust(store, { name: 'b', text: `${k.publicKey()}${createMemoryKey('ed25519').publicKey()}`, file: 'two.pem', purposes: ['kits'] }, { clock }), /2 PEM blocks/);
  assert.throws(() => addTrust(store, { name: 'c', text: '{"mediaType":"nope"}', file: 'r.json', purposes: ['kits'] }, { clock }), (err) => exitCodeOf(err) === 3);
  assert.deepEqual(listTrust(store).map((t) => [t.name, t.origin]), [['a', 'added']]);
  store.close();
});

test("Sigstore's production trusted root can be trusted for attestations", needsFixtures('attest', 'sigstore-python'), () => {
  const store = openStore({ home: tempDir() });
  const text = readFileSync(fixture('attest', 'sigstore-python', 'tuf-store', 'production-tuf-repo-cdn.sigstore.dev', 'trusted_root.json') as string, 'utf8');
  const e = addTrust(store, { name: 'sigstore-public-good', text, file: 'trusted_root.json', purposes: ['attestations'] }, { clock });
  assert.equal(e.kind, 'trusted-root');
  assert.ok(e.keyIds.length >= 1);
  assert.equal(trustedRootsJsonFor(store, 'attestations').length, 1);
  assert.equal(trustedRootsJsonFor(store, 'kits').length, 0);
  assert.ok(verificationMaterialFor(store, 'attestations').trustedRoots[0]?.certificateAuthorities.length);
  store.close();
});
