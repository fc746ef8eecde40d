import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../build/test-support/fixtures';
import { fixedClock, exitCodeOf } from '../core';
import { openStore } from '../store';
import { type CryptoProfile, type SigningAlgorithm, PROFILE_ALGORITHMS, smSupport, verifySignature, assertProfileAlgorithm } from './crypto';
import { DEFAULT_KDF, defaultKeys, generateKey, getKey, listKeys, unlockDelayMs, unlockFailures, unlockKey, type KeystoreOptions } from './keystore';

/** Cheap Argon2id for tests (the default cost is exercised once below). */
const FAST: KeystoreOptions = { kdf: { memoryKiB: 1024, iterations: 1, parallelism: 1 } };
const PASS = 'correct horse battery staple';
const signal = new AbortController().signal;

const PAIRS: [CryptoProfile, SigningAlgorithm][] = (Object.keys(PROFILE_ALGORITHMS) as CryptoProfile[]).flatMap((p) => PROFILE_ALGORITHMS[p].filter((a) => a !== 'sm2' || smSupport().ok).map((a): [CryptoProfile, SigningAlgorithm] => [p, a]));

test('every profile/algorithm: generate (file 0600, encrypted), unlock with the passphrase, sign, verify with the indexed public key', async () => {
  const store = openStore({ home: tempDir() });
  const clock = fixedClock('2026-01-01T00:00:00Z');
  for (const [profile, algorithm] of PAIRS) {
    const name = `${profile}-${algorithm}`;
    const rec = await generateKey(store, { name, profile, algorithm, passphrase: PASS }, { clock }, FAST);
    assert.equal(rec.algorithm, algorithm);
    const file = join(store.home, rec.file);
    assert.equal(statSync(file).mode & 0o777, 0o600, `${name}: key file mode`);
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes('PRIVATE KEY'), 'no plaintext key in the file');
    const parsed = JSON.parse(text) as { kdf: { name: string }; cipher: { name: string } };
    assert.equal(parsed.kdf.name, 'argon2id');
    assert.equal(parsed.cipher.name, 'aes-256-gcm');
    const key = await unlockKey(store, name, PASS, { clock, signal }, FAST);
    assert.equal(key.keyId, rec.keyId);
    const msg = Buffer.from(`message for ${name}`);
    assert.ok(verifySignature(createPublicKey(rec.publicKey), msg, key.signSync(msg)), `${name}: signature verifies with the stored public key`);
  }
  // the first key of each profile is its default
  assert.deepEqual(
    defaultKeys(store).map((k) => [k.profile, k.name]),
    [...new Set(PAIRS.map(([p]) => p))].sort().map((p) => [p, `${p}-${PROFILE_ALGORITHMS[p][0]}`]),
  );
  assert.equal(listKeys(store).length, PAIRS.length);
  store.close();
});

test('names, duplicates, short passphrases and algorithms outside the profile are refused with usage errors', async () => {
  const store = openStore({ home: tempDir() });
  const clock = fixedClock('2026-01-01T00:00:00Z');
  await assert.rejects(generateKey(store, { name: '../evil', profile: 'world', algorithm: 'ed25519', passphrase: PASS }, { clock }, FAST), (e) => exitCodeOf(e) === 2 && /key name/.test((e as Error).message));
  await assert.rejects(generateKey(store, { name: 'k', profile: 'world', algorithm: 'ed25519', passphrase: 'short' }, { clock }, FAST), /at least 8 characters/);
  assert.throws(() => assertProfileAlgorithm('world', 'p384'), (e) => exitCodeOf(e) === 2 && /not part of the world profile; expected one of ed25519, p256/.test((e as Error).message));
  assert.throws(() => assertProfileAlgorithm('fips', 'ed25519'), /expected one of p256, p384, rsa-pss-3072/);
  await generateKey(store, { name: 'k', profile: 'world', algorithm: 'ed25519', passphrase: PASS }, { clock }, FAST);
  await assert.rejects(generateKey(store, { name: 'k', profile: 'fips', algorithm: 'p256', passphrase: PASS }, { clock }, FAST), /already exists/);
  assert.throws(() => getKey(store, 'nope'), (e) => exitCodeOf(e) === 4 && /have: k/.test((e as Error).message));
  store.close();
});

test('wrong passphrases: growing delay before the next attempt, counter persisted across restarts, reset by the right one', async () => {
  const home = tempDir();
  let now = Date.parse('2026-01-01T00:00:00Z');
  const clock = { nowMs: () => now, nowIso: () => new Date(now).toISOString() };
  const slept: number[] = [];
  const opts: KeystoreOptions = { ...FAST, sleep: async (ms) => void slept.push(ms) };
  let store = openStore({ home });
  await generateKey(store, { name: 'k', profile: 'world', algorithm: 'ed25519', passphrase: PASS }, { clock }, opts);
  for (let i = 1; i <= 3; i++) {
    await assert.rejects(unlockKey(store, 'k', 'wrong passphrase!', { clock, signal }, opts), (e) => exitCodeOf(e) === 6 && new RegExp(`${i} failed attempt`).test((e as Error).message));
    assert.equal(unlockFailures(store, 'k'), i);
  }
  assert.deepEqual(slept, [1000, 2000], 'the 2nd and 3rd attempts waited 1 s and 2 s');
  store.close();
  // a restart does not reset the counter: the next attempt still owes 4 s (1 s of it has passed)
  now += 1000;
  store = openStore({ home });
  assert.equal(unlockFailures(store, 'k'), 3);
  const key = await unlockKey(store, 'k', PASS, { clock, signal }, opts);
  assert.deepEqual(slept, [1000, 2000, 3000]);
  assert.ok(key.keyId);
  assert.equal(unlockFailures(store, 'k'), 0, 'the right passphrase resets the counter');
  assert.deepEqual([1, 2, 3, 9, 12, 40].map(unlockDelayMs), [1000, 2000, 4000, 256000, 300000, 300000]);
  store.close();
});

test('a key file whose header or ciphertext was changed does not unlock', async () => {
  const store = openStore({ home: tempDir() });
  const clock = fixedClock('2026-01-01T00:00:00Z');
  const rec = await generateKey(store, { name: 'k', profile: 'world', algorithm: 'ed25519', passphrase: PASS }, { clock }, FAST);
  const file = join(store.home, rec.file);
  const original = readFileSync(file, 'utf8');
  const edits: [string, (f: Record<string, unknown>) => void, RegExp][] = [
    ['algorithm', (f) => (f.algorithm = 'p256'), /field algorithm/],
    ['KDF cost', (f) => ((f.kdf as Record<string, unknown>).iterations = 2), /wrong passphrase/],
    ['created date', (f) => (f.createdAt = '2020-01-01T00:00:00.000Z'), /wrong passphrase/],
    ['ciphertext', (f) => {
      const c = Buffer.from(f.ciphertext as string, 'base64');
      c[5] = (c[5] as number) ^ 1;
      f.ciphertext = c.toString('base64');
    }, /wrong passphrase/],
  ];
  for (const [what, edit, re] of edits) {
    const f = JSON.parse(original) as Record<string, unknown>;
    edit(f);
    writeFileSync(file, JSON.stringify(f));
    await assert.rejects(unlockKey(store, 'k', PASS, { clock, signal }, { ...FAST, sleep: async () => undefined }), re, what);
  }
  writeFileSync(file, original);
  assert.ok(await unlockKey(store, 'k', PASS, { clock, signal }, { ...FAST, sleep: async () => undefined }));
  store.close();
});

test('the default Argon2id cost (64 MiB, t=3) protects a real key file', async () => {
  assert.deepEqual({ ...DEFAULT_KDF }, { name: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 1 });
  const store = openStore({ home: tempDir() });
  const clock = fixedClock('2026-01-01T00:00:00Z');
  const rec = await generateKey(store, { name: 'real', profile: 'fips', algorithm: 'p256', passphrase: PASS }, { clock });
  assert.equal((JSON.parse(readFileSync(join(store.home, rec.file), 'utf8')) as { kdf: { memoryKiB: number } }).kdf.memoryKiB, 65536);
  assert.equal((await unlockKey(store, 'real', PASS, { clock, signal })).keyId, rec.keyId);
  store.close();
});
