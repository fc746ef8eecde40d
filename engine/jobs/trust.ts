/**
 * Trust jobs: add a PEM public key or a trusted_root.json with the purposes it is trusted for, list,
 * remove, and export the workstation's trusted root. Every change is audited in the same transaction.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { type SerializedTrustedRoot, type TrustEntry, type TrustPurpose, AttestError, addTrust, exportTrustedRoot, listKeys, listTrust, logIdentity, removeTrust } from '../attest';
import { appendAudit } from '../audit';
import { type Store, writeFileAtomic } from '../store';
import type { JobContext } from './context';

/** Trust files are small; anything bigger is not a key or a trusted root. */
const MAX_TRUST_FILE_BYTES = 4 * 1024 * 1024;

export function readSmallFile(path: string, what: string, maxBytes = MAX_TRUST_FILE_BYTES): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (cause) {
    throw new AttestError('key-not-found', `${path}: cannot read ${what} (${(cause as Error).message})`, { cause, details: { file: path } });
  }
  if (size > maxBytes) throw new AttestError('invalid-key', `${path}: ${size} bytes is too large for ${what} (limit ${maxBytes})`, { details: { file: path } });
  return readFileSync(path, 'utf8');
}

export function trustAddJob(store: Store, input: { file: string; name?: string; purposes: readonly TrustPurpose[] }, ctx: JobContext): TrustEntry {
  const text = readSmallFile(input.file, 'a public key or trusted root');
  const name = input.name ?? basename(input.file).replace(/\.(pem|pub|json)$/i, '').replace(/[^A-Za-z0-9._-]/g, '-');
  return store.write(() => {
    const entry = addTrust(store, { name, text, file: input.file, purposes: input.purposes }, ctx);
    appendAudit(store, { kind: 'trust.added', subject: entry.name, details: { kind: entry.kind, purposes: entry.purposes, digest: entry.digest, keyIds: entry.keyIds } }, ctx);
    return entry;
  });
}

export function trustRemoveJob(store: Store, input: { name: string }, ctx: JobContext): TrustEntry {
  return store.write(() => {
    const entry = removeTrust(store, input.name);
    appendAudit(store, { kind: 'trust.removed', subject: entry.name, details: { kind: entry.kind, purposes: entry.purposes, digest: entry.digest } }, ctx);
    return entry;
  });
}

export function trustListJob(store: Store): TrustEntry[] {
  return listTrust(store);
}

export interface ExportRootResult {
  output: string;
  trustedRoot: SerializedTrustedRoot;
  /** Where the signing keys' PEM went, when asked (`--keys-out`). */
  keysOutput?: string;
  signingKeys: { name: string; keyId: string; algorithm: string }[];
}

/**
 * Write the workstation's trusted_root.json (its log, plus roots trusted for attestations) and,
 * optionally, its signing keys' PEM — the file format has no slot for bare keys.
 */
export function trustExportRootJob(store: Store, input: { output: string; keysOutput?: string }, ctx: JobContext): ExportRootResult {
  logIdentity(store, ctx.clock); // a fresh home has no log yet: create its key so the root names it
  const root = exportTrustedRoot(store);
  const keys = listKeys(store);
  writeFileAtomic(input.output, `${JSON.stringify(root, null, 2)}\n`);
  if (input.keysOutput !== undefined) writeFileAtomic(input.keysOutput, keys.map((k) => `# ${k.name} ${k.algorithm} ${k.keyId}\n${k.publicKey.trimEnd()}\n`).join(''));
  appendAudit(store, { kind: 'trust.root-exported', subject: basename(input.output), details: { tlogs: root.tlogs.length, certificateAuthorities: root.certificateAuthorities.length, signingKeys: keys.map((k) => k.keyId) } }, ctx);
  return { output: input.output, trustedRoot: root, ...(input.keysOutput !== undefined ? { keysOutput: input.keysOutput } : {}), signingKeys: keys.map((k) => ({ name: k.name, keyId: k.keyId, algorithm: k.algorithm })) };
}
