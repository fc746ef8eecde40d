/**
 * Key jobs: generate, list, export the public half, and resolve the keys a signing command uses
 * (creating the default `world` Ed25519 key on a fresh home). Every key operation is audited in the
 * same transaction as the change it describes.
 */
import {
  type CryptoProfile,
  type KeyRecord,
  type KeystoreOptions,
  type LocalSigningKey,
  type SigningAlgorithm,
  AttestError,
  DEFAULT_KEY_NAME,
  PROFILE_ALGORITHMS,
  assertProfileAlgorithm,
  defaultKeys,
  generateKey,
  getKey,
  listKeys,
  smSupport,
  unlockKey,
} from '../attest';
import { appendAudit } from '../audit';
import type { Store } from '../store';
import type { JobContext } from './context';

/** Who asks for a passphrase, and why: `new` protects a key being created, `unlock` opens existing ones. */
export interface PassphraseRequest {
  purpose: 'new' | 'unlock';
  keyNames: string[];
}

/**
 * Where a passphrase comes from (the CLI: --passphrase-file, STELLA_PASSPHRASE, a TTY prompt). Called
 * only when a key really has to be created or unlocked; throws a usage error when none is available.
 */
export type PassphraseSource = (req: PassphraseRequest) => Promise<string>;

export interface GenerateKeyJobInput {
  name: string;
  profile: CryptoProfile;
  /** Defaults to the profile's first algorithm. */
  algorithm?: SigningAlgorithm;
  makeDefault?: boolean;
}

export async function generateKeyJob(store: Store, input: GenerateKeyJobInput, passphrase: PassphraseSource, ctx: JobContext, opts: KeystoreOptions = {}): Promise<KeyRecord> {
  const algorithm = input.algorithm ?? (PROFILE_ALGORITHMS[input.profile][0] as SigningAlgorithm);
  assertProfileAlgorithm(input.profile, algorithm);
  ctx.onProgress({ phase: 'generating key', done: 0, total: 1 });
  const rec = await generateKey(
    store,
    {
      name: input.name,
      profile: input.profile,
      algorithm,
      passphrase: await passphrase({ purpose: 'new', keyNames: [input.name] }),
      ...(input.makeDefault !== undefined ? { makeDefault: input.makeDefault } : {}),
      inTransaction: (r) => appendAudit(store, { kind: 'key.generated', subject: r.name, details: { keyId: r.keyId, profile: r.profile, algorithm: r.algorithm, isDefault: r.isDefault } }, ctx),
    },
    ctx,
    opts,
  );
  ctx.onProgress({ phase: 'generating key', done: 1, total: 1 });
  return rec;
}

export interface KeyListing {
  keys: KeyRecord[];
  profiles: { profile: CryptoProfile; algorithms: readonly SigningAlgorithm[]; available: boolean; reason?: string }[];
}

export function listKeysJob(store: Store): KeyListing {
  const sm = smSupport();
  return {
    keys: listKeys(store),
    profiles: (Object.keys(PROFILE_ALGORITHMS) as CryptoProfile[]).map((p) => ({
      profile: p,
      algorithms: PROFILE_ALGORITHMS[p],
      available: p !== 'sm' || sm.ok,
      ...(p === 'sm' && !sm.ok ? { reason: sm.reason } : {}),
    })),
  };
}

export function exportPublicKeyJob(store: Store, input: { name: string }, ctx: JobContext): KeyRecord {
  const rec = getKey(store, input.name);
  appendAudit(store, { kind: 'key.public-exported', subject: rec.name, details: { keyId: rec.keyId } }, ctx);
  return rec;
}

/**
 * The keys a signing command uses: the named ones, else the default key of every profile that has
 * one, else — on a fresh home — a new default `world` Ed25519 key named `default`. All are unlocked
 * with one passphrase (asked once); a wrong one is audited and rate-limited per key.
 */
export async function resolveSigningKeys(store: Store, names: readonly string[], passphrase: PassphraseSource, ctx: JobContext, opts: KeystoreOptions = {}): Promise<LocalSigningKey[]> {
  let records: KeyRecord[];
  if (names.length) records = [...new Set(names)].map((n) => getKey(store, n));
  else {
    records = defaultKeys(store);
    if (records.length === 0) {
      ctx.log('info', `no signing key yet: creating the default world/ed25519 key "${DEFAULT_KEY_NAME}"`);
      records = [await generateKeyJob(store, { name: DEFAULT_KEY_NAME, profile: 'world', algorithm: 'ed25519', makeDefault: true }, passphrase, ctx, opts)];
      // the passphrase just set is the one that unlocks it; do not ask twice
      const given = await passphrase({ purpose: 'unlock', keyNames: [DEFAULT_KEY_NAME] });
      return [await unlockKey(store, DEFAULT_KEY_NAME, given, ctx, opts)];
    }
  }
  const secret = await passphrase({ purpose: 'unlock', keyNames: records.map((r) => r.name) });
  const keys: LocalSigningKey[] = [];
  for (const r of records) {
    try {
      keys.push(await unlockKey(store, r.name, secret, ctx, opts));
    } catch (e) {
      if (e instanceof AttestError && e.code === 'wrong-passphrase') appendAudit(store, { kind: 'key.unlock-failed', subject: r.name, details: { keyId: r.keyId, failures: e.details.failures ?? null } }, ctx);
      throw e;
    }
  }
  return keys;
}

/**
 * A passphrase the host already has (the app asks for it in its own dialog and sends it with the
 * request). Without one, creating or unlocking a key fails with a usage error saying so.
 */
export function givenPassphrase(passphrase: string | undefined): PassphraseSource {
  return async (req) => {
    if (passphrase === undefined) {
      throw new AttestError('passphrase-required', `a passphrase is needed to ${req.purpose === 'new' ? 'create' : 'unlock'} the signing key ${req.keyNames.join(', ')}; send it with the request`, {
        details: { expected: 'a passphrase' },
      });
    }
    return passphrase;
  };
}
