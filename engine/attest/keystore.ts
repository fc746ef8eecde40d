/**
 * The file keystore: each signing key is one file `<home>/keys/<name>.key.json` (mode 0600) holding the
 * PKCS#8 private key encrypted with AES-256-GCM under a key derived from the passphrase with Argon2id.
 * The public half and the key's metadata are indexed in `attest_keys` so listing never needs a passphrase.
 *
 * Wrong passphrases are rate-limited with a growing delay (1 s, 2 s, 4 s … capped at 5 min) before the
 * next attempt; the failure counter lives in the store (`attest_key_unlock`), so restarting the
 * process does not reset it. This slows guessing through the workstation; it cannot slow an attacker
 * who copies the key file — the Argon2id cost is what protects the file itself.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { argon2id } from 'hash-wasm';
import { canonicalJson, type Clock } from '../core';
import { type Store, PRIVATE_FILE_MODE, writeFileAtomic } from '../store';
import { type CryptoProfile, type SigningAlgorithm, assertProfileAlgorithm, generateKeyPair, isCryptoProfile, isSigningAlgorithm, keyIdOf, privateKeyFromPkcs8, publicKeyPem } from './crypto';
import { AttestError } from './errors';
import { LocalSigningKey } from './kms';
import { sleepCancellable } from './_internal/sleep';

export const KEY_FILE_FORMAT = 'stella-key/v1';
/** The key the first signing command on a fresh home creates. */
export const DEFAULT_KEY_NAME = 'default';
export const MIN_PASSPHRASE_LENGTH = 8;

export interface KdfParams {
  name: 'argon2id';
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  /** base64 */
  salt: string;
}

/** OWASP's first Argon2id recommendation tier (64 MiB, t=3, p=1): about 0.4 s on the reference machine. */
export const DEFAULT_KDF: Readonly<Omit<KdfParams, 'salt'>> = Object.freeze({ name: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 1 });

export interface KeyFile {
  format: typeof KEY_FILE_FORMAT;
  name: string;
  keyId: string;
  algorithm: SigningAlgorithm;
  profile: CryptoProfile;
  publicKey: string;
  createdAt: string;
  kdf: KdfParams;
  cipher: { name: 'aes-256-gcm'; iv: string; tag: string };
  /** base64 of the encrypted PKCS#8 DER */
  ciphertext: string;
}

export interface KeyRecord {
  name: string;
  keyId: string;
  profile: CryptoProfile;
  algorithm: SigningAlgorithm;
  /** SPKI PEM */
  publicKey: string;
  /** Path of the key file relative to the home. */
  file: string;
  /** The key `attest sign` uses for its profile when no `--key` is given. */
  isDefault: boolean;
  createdAt: string;
}

export interface KeystoreOptions {
  /** Argon2id cost for new keys (tests lower it); unlocking always uses the parameters in the file. */
  kdf?: Omit<KdfParams, 'salt' | 'name'>;
  /** Waits out the rate-limit delay; injectable so tests need not sleep. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

interface KeyRow {
  name: string;
  key_id: string;
  profile: string;
  algorithm: string;
  public_key: string;
  file: string;
  is_default: number;
  created_at: string;
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function assertKeyName(name: string): void {
  if (!NAME_RE.test(name)) {
    throw new AttestError('invalid-name', `key name ${JSON.stringify(name)}: expected 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`, {
      details: { expected: NAME_RE.source },
    });
  }
}

function toRecord(r: KeyRow): KeyRecord {
  if (!isCryptoProfile(r.profile) || !isSigningAlgorithm(r.algorithm)) {
    throw new AttestError('key-file-corrupt', `key ${r.name}: the keystore index names profile ${r.profile} / algorithm ${r.algorithm}, which this build does not know`);
  }
  return { name: r.name, keyId: r.key_id, profile: r.profile, algorithm: r.algorithm, publicKey: r.public_key, file: r.file, isDefault: r.is_default === 1, createdAt: r.created_at };
}

export function listKeys(store: Store): KeyRecord[] {
  return (store.db.prepare('SELECT * FROM attest_keys ORDER BY name').all() as KeyRow[]).map(toRecord);
}

export function findKey(store: Store, nameOrId: string): KeyRecord | undefined {
  const row = store.db.prepare('SELECT * FROM attest_keys WHERE name = ? OR key_id = ?').get(nameOrId, nameOrId) as KeyRow | undefined;
  return row ? toRecord(row) : undefined;
}

export function getKey(store: Store, nameOrId: string): KeyRecord {
  const k = findKey(store, nameOrId);
  if (!k) {
    const have = listKeys(store).map((r) => r.name);
    throw new AttestError('key-not-found', `no key named ${JSON.stringify(nameOrId)} in this workstation's keystore${have.length ? ` (have: ${have.join(', ')})` : ' (it has none yet: `stella keys generate`)'}`, {
      details: { expected: 'the name or key id of a key from `stella keys list`' },
    });
  }
  return k;
}

/** The default key of each profile that has one, sorted by profile. */
export function defaultKeys(store: Store): KeyRecord[] {
  return (store.db.prepare('SELECT * FROM attest_keys WHERE is_default = 1 ORDER BY profile').all() as KeyRow[]).map(toRecord);
}

function aadOf(f: Omit<KeyFile, 'cipher' | 'ciphertext'>): Buffer {
  // Every header field is authenticated: editing the algorithm, public key or KDF cost in the file
  // makes decryption fail instead of silently changing what the key is.
  return Buffer.from(canonicalJson({ format: f.format, name: f.name, keyId: f.keyId, algorithm: f.algorithm, profile: f.profile, publicKey: f.publicKey, createdAt: f.createdAt, kdf: f.kdf }));
}

async function deriveKey(passphrase: string, kdf: KdfParams): Promise<Buffer> {
  const out = await argon2id({
    password: passphrase,
    salt: Buffer.from(kdf.salt, 'base64'),
    parallelism: kdf.parallelism,
    iterations: kdf.iterations,
    memorySize: kdf.memoryKiB,
    hashLength: 32,
    outputType: 'binary',
  });
  return Buffer.from(out);
}

export interface GenerateKeyInput {
  name: string;
  profile: CryptoProfile;
  algorithm: SigningAlgorithm;
  passphrase: string;
  /** Make it the profile's default; defaults to true when the profile has no default yet. */
  makeDefault?: boolean;
  /** Called inside the indexing transaction (the audit entry commits with the key, or neither does). */
  inTransaction?: (rec: KeyRecord) => void;
}

/**
 * Create a key: the encrypted file is written atomically (0600) first, then indexed; a crash between
 * the two leaves an orphan file that the next `generate` of that name replaces.
 */
export async function generateKey(store: Store, input: GenerateKeyInput, ctx: { clock: Clock }, opts: KeystoreOptions = {}): Promise<KeyRecord> {
  assertKeyName(input.name);
  assertProfileAlgorithm(input.profile, input.algorithm);
  if (input.passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new AttestError('passphrase-required', `the passphrase for a new key must have at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
  if (findKey(store, input.name)) throw new AttestError('key-exists', `a key named ${input.name} already exists; choose another --name`, { details: { expected: 'a new key name' } });
  const { privateKey } = generateKeyPair(input.algorithm);
  const kdf: KdfParams = { name: 'argon2id', ...(opts.kdf ?? DEFAULT_KDF), salt: randomBytes(16).toString('base64') };
  const header: Omit<KeyFile, 'cipher' | 'ciphertext'> = {
    format: KEY_FILE_FORMAT,
    name: input.name,
    keyId: keyIdOf(privateKey),
    algorithm: input.algorithm,
    profile: input.profile,
    publicKey: publicKeyPem(privateKey),
    createdAt: ctx.clock.nowIso(),
    kdf,
  };
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await deriveKey(input.passphrase, kdf), iv);
  cipher.setAAD(aadOf(header));
  const ciphertext = Buffer.concat([cipher.update(privateKey.export({ type: 'pkcs8', format: 'der' })), cipher.final()]);
  const file: KeyFile = { ...header, cipher: { name: 'aes-256-gcm', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64') }, ciphertext: ciphertext.toString('base64') };
  const rel = join('keys', `${input.name}.key.json`);
  const abs = join(store.home, rel);
  writeFileAtomic(abs, `${JSON.stringify(file, null, 2)}\n`, PRIVATE_FILE_MODE);
  chmodSync(abs, 0o600); // the umask may have narrowed it further; never let it be wider
  try {
    store.write(() => {
      const hasDefault = store.db.prepare('SELECT 1 FROM attest_keys WHERE profile = ? AND is_default = 1').get(input.profile) !== undefined;
      const makeDefault = input.makeDefault ?? !hasDefault;
      if (makeDefault) store.db.prepare('UPDATE attest_keys SET is_default = 0 WHERE profile = ?').run(input.profile);
      store.db
        .prepare('INSERT INTO attest_keys (name, key_id, profile, algorithm, public_key, file, is_default, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(input.name, header.keyId, input.profile, input.algorithm, header.publicKey, rel, makeDefault ? 1 : 0, header.createdAt);
      input.inTransaction?.(getKey(store, input.name));
    });
  } catch (e) {
    rmSync(abs, { force: true });
    throw e;
  }
  return getKey(store, input.name);
}

function readKeyFile(store: Store, rec: KeyRecord): KeyFile {
  const abs = join(store.home, rec.file);
  if (!existsSync(abs)) throw new AttestError('key-not-found', `key ${rec.name}: its file ${abs} is missing`, { details: { file: abs } });
  let f: Partial<KeyFile>;
  try {
    f = JSON.parse(readFileSync(abs, 'utf8')) as Partial<KeyFile>;
  } catch (cause) {
    throw new AttestError('key-file-corrupt', `${abs}: not JSON (${(cause as Error).message})`, { cause, details: { file: abs } });
  }
  const bad = (field: string, expected: string): never => {
    throw new AttestError('key-file-corrupt', `${abs}: field ${field} — expected ${expected}`, { details: { file: abs, path: `/${field}`, expected } });
  };
  if (f.format !== KEY_FILE_FORMAT) bad('format', JSON.stringify(KEY_FILE_FORMAT));
  if (f.keyId !== rec.keyId) bad('keyId', `${rec.keyId} (the indexed key id)`);
  if (f.name !== rec.name) bad('name', JSON.stringify(rec.name));
  if (f.algorithm !== rec.algorithm) bad('algorithm', rec.algorithm);
  if (f.profile !== rec.profile) bad('profile', rec.profile);
  if (f.publicKey !== rec.publicKey) bad('publicKey', 'the indexed public key');
  const kdf = f.kdf;
  if (!kdf || kdf.name !== 'argon2id' || typeof kdf.salt !== 'string' || ![kdf.memoryKiB, kdf.iterations, kdf.parallelism].every((n) => Number.isInteger(n) && n > 0)) bad('kdf', 'argon2id parameters');
  if (!f.cipher || f.cipher.name !== 'aes-256-gcm' || typeof f.cipher.iv !== 'string' || typeof f.cipher.tag !== 'string') bad('cipher', 'aes-256-gcm with iv and tag');
  if (typeof f.ciphertext !== 'string') bad('ciphertext', 'base64');
  return f as KeyFile;
}

/** Delay before the next attempt after `failures` consecutive wrong passphrases. */
export function unlockDelayMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(1000 * 2 ** Math.min(failures - 1, 20), 300_000);
}

/**
 * Decrypt a key with `passphrase`. Waits out the delay owed for earlier wrong attempts first; a wrong
 * passphrase increments the persisted counter (a correct one resets it).
 */
export async function unlockKey(
  store: Store,
  nameOrId: string,
  passphrase: string,
  ctx: { clock: Clock; signal: AbortSignal },
  opts: KeystoreOptions = {},
): Promise<LocalSigningKey> {
  const rec = getKey(store, nameOrId);
  const file = readKeyFile(store, rec);
  const state = store.db.prepare('SELECT failures, last_failure_ms FROM attest_key_unlock WHERE name = ?').get(rec.name) as { failures: number; last_failure_ms: number } | undefined;
  if (state && state.failures > 0) {
    const wait = state.last_failure_ms + unlockDelayMs(state.failures) - ctx.clock.nowMs();
    if (wait > 0) await (opts.sleep ?? sleepCancellable)(wait, ctx.signal);
  }
  const aad = aadOf(file);
  let der: Buffer | undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', await deriveKey(passphrase, file.kdf), Buffer.from(file.cipher.iv, 'base64'));
    decipher.setAAD(aad);
    decipher.setAuthTag(Buffer.from(file.cipher.tag, 'base64'));
    der = Buffer.concat([decipher.update(Buffer.from(file.ciphertext, 'base64')), decipher.final()]);
  } catch {
    der = undefined;
  }
  if (der === undefined) {
    const failures = (state?.failures ?? 0) + 1;
    store.write(() => {
      store.db
        .prepare('INSERT INTO attest_key_unlock (name, failures, last_failure_ms) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET failures = excluded.failures, last_failure_ms = excluded.last_failure_ms')
        .run(rec.name, failures, ctx.clock.nowMs());
    });
    throw new AttestError('wrong-passphrase', `wrong passphrase for key ${rec.name} (or its file was altered); ${failures} failed attempt(s) in a row, the next attempt waits ${Math.round(unlockDelayMs(failures) / 1000)} s`, {
      details: { key: rec.name, failures },
    });
  }
  if (state && state.failures > 0) store.write(() => store.db.prepare('DELETE FROM attest_key_unlock WHERE name = ?').run(rec.name));
  const privateKey = privateKeyFromPkcs8(der, rec.algorithm, join(store.home, rec.file));
  const key = new LocalSigningKey(privateKey, rec.algorithm, rec.profile, rec.name);
  if (key.keyId !== rec.keyId) throw new AttestError('key-file-corrupt', `key ${rec.name}: the decrypted key has id ${key.keyId}, the index says ${rec.keyId}`);
  return key;
}

/** How many wrong passphrases in a row a key has seen (0 when none). */
export function unlockFailures(store: Store, name: string): number {
  const row = store.db.prepare('SELECT failures FROM attest_key_unlock WHERE name = ?').get(name) as { failures: number } | undefined;
  return row?.failures ?? 0;
}
