/**
 * The trust store: public keys and Sigstore trusted roots the workstation accepts, each trusted for a
 * set of purposes — `kits` (offline update kits), `plugins` (plug-ins from outside the app) and
 * `attestations` (bundles and envelopes checked by `attest verify`). The workstation always trusts its
 * own keys (its keystore's signing keys for every purpose, its log for attestations); those are listed
 * with origin `workstation` and cannot be removed.
 *
 * Plug-in and kit loaders ask `verificationMaterialFor(store, purpose)` and get keys and roots they can
 * hand to `verifyEnvelope` / `verifySigstoreBundle`.
 */
import { createHash, createPublicKey } from 'node:crypto';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { canonicalJson, type Clock, type Digest } from '../core';
import type { Store } from '../store';
import { algorithmOfKey, keyIdOf, parsePublicKey, publicKeyPem } from './crypto';
import { type DsseEnvelope, type DsseVerification, type VerificationKey, assertEnvelopeVerified } from './dsse';
import { AttestError } from './errors';
import { listKeys } from './keystore';
import { recordedLogIdentity } from './tlog';
import { type SerializedTrustedRoot, buildTrustedRoot, parseTrustedRoot, workstationTlog } from './trusted-root';
import type { VerificationMaterial } from './verify';

export type TrustPurpose = 'kits' | 'plugins' | 'attestations';
export const TRUST_PURPOSES: readonly TrustPurpose[] = ['attestations', 'kits', 'plugins'];

export function isTrustPurpose(s: unknown): s is TrustPurpose {
  return typeof s === 'string' && (TRUST_PURPOSES as readonly string[]).includes(s);
}

/** `kits,plugins` → sorted, de-duplicated purposes; a usage error names the allowed ones. */
export function parsePurposes(text: string): TrustPurpose[] {
  const parts = [...new Set(text.split(',').map((p) => p.trim()).filter(Boolean))];
  if (parts.length === 0) throw new AttestError('invalid-name', `--purpose: expected one or more of ${TRUST_PURPOSES.join(', ')} (comma-separated)`);
  for (const p of parts) if (!isTrustPurpose(p)) throw new AttestError('invalid-name', `--purpose: ${JSON.stringify(p)} is not one of ${TRUST_PURPOSES.join(', ')}`, { details: { expected: TRUST_PURPOSES.join('|') } });
  return (parts as TrustPurpose[]).sort();
}

export type TrustKind = 'public-key' | 'trusted-root';

export interface TrustEntry {
  name: string;
  kind: TrustKind;
  origin: 'added' | 'workstation';
  purposes: TrustPurpose[];
  /** sha256 of the stored body (PEM or canonical trusted root JSON). */
  digest: Digest;
  /** Key ids it contributes: the key's, or a root's transparency-log keys. */
  keyIds: string[];
  algorithm?: string;
  addedAt: string;
}

interface TrustRow {
  name: string;
  kind: string;
  purposes: string;
  body: string;
  digest: string;
  key_ids: string;
  added_at: string;
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function rowToEntry(r: TrustRow): TrustEntry {
  const entry: TrustEntry = {
    name: r.name,
    kind: r.kind as TrustKind,
    origin: 'added',
    purposes: JSON.parse(r.purposes) as TrustPurpose[],
    digest: r.digest as Digest,
    keyIds: JSON.parse(r.key_ids) as string[],
    addedAt: r.added_at,
  };
  if (r.kind === 'public-key') entry.algorithm = algorithmOfKey(createPublicKey(r.body)) ?? 'unknown';
  return entry;
}

/** Parse what `trust add FILE` was given: a PEM public key or a trusted_root.json. */
export function parseTrustFile(text: string, what: string): { kind: 'public-key'; body: string; keyIds: string[]; algorithm: string } | { kind: 'trusted-root'; body: string; keyIds: string[] } {
  const t = text.trim();
  if (t.startsWith('-----BEGIN')) {
    const blocks = t.match(/-----BEGIN [A-Z ]+-----/g) ?? [];
    if (blocks.length !== 1) throw new AttestError('invalid-key', `${what}: holds ${blocks.length} PEM blocks; add one public key per trust entry`, { details: { file: what, expected: 'one PEM public key' } });
    const key = parsePublicKey(t, what);
    const algorithm = algorithmOfKey(key);
    if (!algorithm) throw new AttestError('invalid-key', `${what}: key type ${key.asymmetricKeyType ?? 'unknown'} is not one the workstation verifies`, { details: { file: what, expected: 'Ed25519, ECDSA P-256/P-384, RSA or SM2' } });
    return { kind: 'public-key', body: publicKeyPem(key), keyIds: [keyIdOf(key)], algorithm };
  }
  const { json } = parseTrustedRoot(t, what);
  return { kind: 'trusted-root', body: canonicalJson(json), keyIds: json.tlogs.map((l) => Buffer.from(l.logId.keyId, 'base64').toString('hex')).sort() };
}

/** Add a trust entry (inside the caller's transaction, when there is one). */
export function addTrust(store: Store, input: { name: string; text: string; file: string; purposes: readonly TrustPurpose[] }, ctx: { clock: Clock }): TrustEntry {
  if (!NAME_RE.test(input.name)) throw new AttestError('invalid-name', `--name ${JSON.stringify(input.name)}: expected 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  if (input.purposes.length === 0 || !input.purposes.every(isTrustPurpose)) throw new AttestError('invalid-name', `--purpose: expected one or more of ${TRUST_PURPOSES.join(', ')}`);
  const parsed = parseTrustFile(input.text, input.file);
  const purposes = [...new Set(input.purposes)].sort();
  const digest = `sha256:${createHash('sha256').update(parsed.body).digest('hex')}`;
  return store.write(() => {
    if (store.db.prepare('SELECT 1 FROM attest_trust WHERE name = ?').get(input.name)) throw new AttestError('trust-exists', `a trust entry named ${input.name} exists; remove it first or choose another --name`);
    const same = store.db.prepare('SELECT name FROM attest_trust WHERE digest = ?').get(digest) as { name: string } | undefined;
    if (same) throw new AttestError('trust-exists', `${input.file} is already trusted as ${same.name}`);
    store.db.prepare('INSERT INTO attest_trust (name, kind, purposes, body, digest, key_ids, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(input.name, parsed.kind, JSON.stringify(purposes), parsed.body, digest, JSON.stringify(parsed.keyIds), ctx.clock.nowIso());
    return rowToEntry(store.db.prepare('SELECT * FROM attest_trust WHERE name = ?').get(input.name) as TrustRow);
  });
}

export function removeTrust(store: Store, name: string): TrustEntry {
  return store.write(() => {
    const row = store.db.prepare('SELECT * FROM attest_trust WHERE name = ?').get(name) as TrustRow | undefined;
    if (!row) {
      if (listKeys(store).some((k) => k.name === name || `workstation-key-${k.name}` === name) || name === 'workstation-log') {
        throw new AttestError('invalid-name', `${name} is one of the workstation's own keys, which it always trusts; it cannot be removed`);
      }
      throw new AttestError('trust-not-found', `no trust entry named ${name} (see \`stella trust list\`)`);
    }
    store.db.prepare('DELETE FROM attest_trust WHERE name = ?').run(name);
    return rowToEntry(row);
  });
}

/** Every trust entry: the workstation's own keys and log first, then added entries, by name. */
export function listTrust(store: Store): TrustEntry[] {
  const own: TrustEntry[] = listKeys(store).map((k) => ({
    name: `workstation-key-${k.name}`,
    kind: 'public-key' as const,
    origin: 'workstation' as const,
    purposes: [...TRUST_PURPOSES],
    digest: `sha256:${createHash('sha256').update(k.publicKey).digest('hex')}` as Digest,
    keyIds: [k.keyId],
    algorithm: k.algorithm,
    addedAt: k.createdAt,
  }));
  const log = recordedLogIdentity(store);
  if (log) {
    own.push({ name: 'workstation-log', kind: 'trusted-root', origin: 'workstation', purposes: ['attestations'], digest: `sha256:${createHash('sha256').update(log.publicKeyPem).digest('hex')}` as Digest, keyIds: [log.logId.toString('hex')], algorithm: 'ed25519', addedAt: logSince(store) });
  }
  const added = (store.db.prepare('SELECT * FROM attest_trust ORDER BY name').all() as TrustRow[]).map(rowToEntry);
  return [...own, ...added];
}

function logSince(store: Store): string {
  return (store.db.prepare('SELECT created_at FROM attest_log_info WHERE id = 1').get() as { created_at: string } | undefined)?.created_at ?? '1970-01-01T00:00:00Z';
}

/** The workstation's own log as a trusted-root tlog (none before the first append). */
export function workstationTlogs(store: Store): ReturnType<typeof workstationTlog>[] {
  const log = recordedLogIdentity(store);
  return log ? [workstationTlog(log, logSince(store))] : [];
}

/** Keys trusted for `purpose`: the keystore's signing keys, then added public keys. */
export function trustedKeysFor(store: Store, purpose: TrustPurpose): VerificationKey[] {
  const own = listKeys(store).map((k) => ({ keyId: k.keyId, publicKey: createPublicKey(k.publicKey), label: `workstation key ${k.name}` }));
  const added = (store.db.prepare("SELECT * FROM attest_trust WHERE kind = 'public-key' ORDER BY name").all() as TrustRow[])
    .filter((r) => (JSON.parse(r.purposes) as string[]).includes(purpose))
    .map((r) => {
      const key = createPublicKey(r.body);
      return { keyId: keyIdOf(key), publicKey: key, label: `trusted key ${r.name}` };
    });
  return [...own, ...added];
}

/** Trusted roots for `purpose` as JSON: added roots, plus the workstation log for attestations. */
export function trustedRootsJsonFor(store: Store, purpose: TrustPurpose): SerializedTrustedRoot[] {
  const added = (store.db.prepare("SELECT * FROM attest_trust WHERE kind = 'trusted-root' ORDER BY name").all() as TrustRow[])
    .filter((r) => (JSON.parse(r.purposes) as string[]).includes(purpose))
    .map((r) => parseTrustedRoot(r.body, `trust entry ${r.name}`).json);
  const own = purpose === 'attestations' ? workstationTlogs(store) : [];
  return own.length ? [buildTrustedRoot(own), ...added] : added;
}

/** Keys and roots to verify material for `purpose` with. */
export function verificationMaterialFor(store: Store, purpose: TrustPurpose): VerificationMaterial {
  const roots: TrustedRoot[] = trustedRootsJsonFor(store, purpose).map((j) => parseTrustedRoot(j, 'trusted root').root);
  return { trustedRoots: roots, keys: trustedKeysFor(store, purpose) };
}

/** The trusted root `trust export-root` writes: the workstation log plus added roots trusted for attestations. */
export function exportTrustedRoot(store: Store): SerializedTrustedRoot {
  const added = (store.db.prepare("SELECT * FROM attest_trust WHERE kind = 'trusted-root' ORDER BY name").all() as TrustRow[])
    .filter((r) => (JSON.parse(r.purposes) as string[]).includes('attestations'))
    .map((r) => parseTrustedRoot(r.body, `trust entry ${r.name}`).json);
  return buildTrustedRoot(workstationTlogs(store), added);
}

/**
 * Verify a DSSE envelope over anything (a plug-in manifest, a kit manifest) against the keys trusted
 * for `purpose`; throws a trust error (exit 6) naming each failing signature. The workstation's own
 * keys always count; a key trusted only for `kits` does not sign plug-ins.
 */
export function verifyEnvelopeForPurpose(store: Store, envelope: DsseEnvelope, purpose: TrustPurpose, opts: { threshold?: number; what?: string } = {}): DsseVerification {
  return assertEnvelopeVerified(envelope, trustedKeysFor(store, purpose), { ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}), what: opts.what ?? `${purpose} signature` });
}
