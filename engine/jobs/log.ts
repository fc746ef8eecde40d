/**
 * Jobs of the embedded transparency log: info, inclusion (and consistency) proofs, full verification,
 * the proof of one entry checked end to end (for a proof viewer), and the list of everything signed
 * here — the log is the index of every attestation this workstation made.
 */
import { createPublicKey } from 'node:crypto';
import {
  type InclusionProofData,
  type LogEntry,
  type LogInfo,
  type LogVerification,
  type RekorKind,
  firstCheckpointCovering,
  getLogEntry,
  inclusionProofSides,
  keyIdOf,
  leafHash,
  listKeys,
  logInfo,
  parseEntryBody,
  parseSignedNote,
  parsePublicKey,
  proveConsistency,
  proveEntry,
  recordedLogIdentity,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
  verifyLog,
} from '../attest';
import { auditEntriesNaming } from '../audit';
import type { Store } from '../store';
import type { JobContext } from './context';

export function logInfoJob(store: Store): LogInfo {
  return logInfo(store);
}

export interface LogProofResult {
  entry: LogEntry & { body: Buffer };
  inclusionProof: InclusionProofData;
  consistency?: { size1: number; size2: number; hashes: Buffer[] };
}

/** Inclusion proof of an entry (index or UUID) against the latest checkpoint, optionally with a consistency proof from an earlier size. */
export function logProofJob(store: Store, input: { entry: string; fromSize?: number }): LogProofResult {
  const p = proveEntry(store, input.entry);
  if (input.fromSize === undefined) return p;
  const c = proveConsistency(store, input.fromSize, p.inclusionProof.treeSize);
  return { ...p, consistency: { size1: c.size1, size2: c.size2, hashes: c.hashes } };
}

export async function logVerifyJob(store: Store, ctx: JobContext): Promise<LogVerification> {
  ctx.onProgress({ phase: 'verifying log', done: 0 });
  return verifyLog(store, { signal: ctx.signal, onProgress: (done, total) => ctx.onProgress({ phase: 'verifying log', done, total }) });
}

export interface LogEntryProof {
  entry: { index: number; uuid: string; kind: RekorKind; apiVersion: string; integratedTime: number; body: Buffer };
  /** RFC 6962 leaf hash of the body, recomputed here (it is the entry's UUID). */
  leafHash: Buffer;
  /** Against the latest checkpoint; each path hash with the side it joins on, leaf to root. */
  inclusion: { treeSize: number; rootHash: Buffer; path: { hash: Buffer; side: 'left' | 'right' }[]; verified: boolean; problem?: string };
  /** The latest signed checkpoint and whether the log's key signed it. */
  checkpoint: { note: string; origin: string; treeSize: number; rootHash: Buffer; signatureVerified: boolean; problem?: string };
  /**
   * From the first checkpoint that covered the entry (the one its bundle carried) to the latest: the
   * log only grew since. Null when that checkpoint is the latest.
   */
  consistency: { fromSize: number; toSize: number; fromRoot: Buffer; toRoot: Buffer; fromCheckpoint: string; hashes: Buffer[]; verified: boolean; problem?: string } | null;
  /** Every check above passed. */
  verified: boolean;
}

const problemOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * The proof of one entry, checked here end to end: the leaf hash re-derived from the stored body, the
 * inclusion path against the latest checkpoint, that checkpoint's signature by the log key, and
 * consistency from the checkpoint that first covered the entry to the latest one.
 */
export function logEntryProofJob(store: Store, input: { entry: string }): LogEntryProof {
  const { entry, inclusionProof } = proveEntry(store, input.entry);
  const leaf = leafHash(entry.body);
  const sides = inclusionProofSides(entry.index, inclusionProof.treeSize);
  let inclusionProblem: string | undefined;
  try {
    if (leaf.toString('hex') !== entry.uuid) throw new Error(`the body hashes to ${leaf.toString('hex')}, not the entry's recorded leaf hash ${entry.uuid}`);
    verifyInclusion(entry.index, inclusionProof.treeSize, leaf, inclusionProof.hashes, inclusionProof.rootHash);
  } catch (e) {
    inclusionProblem = problemOf(e);
  }
  const note = parseSignedNote(inclusionProof.checkpoint);
  const identity = recordedLogIdentity(store);
  let checkpointProblem: string | undefined;
  try {
    if (!identity) throw new Error('the log has no recorded key');
    const cp = verifyCheckpoint(inclusionProof.checkpoint, [{ name: identity.origin, publicKey: createPublicKey(identity.publicKeyPem) }]);
    if (cp.size !== inclusionProof.treeSize || !cp.rootHash.equals(inclusionProof.rootHash)) throw new Error(`the checkpoint says size ${cp.size}, root ${cp.rootHash.toString('base64')}; the proof is for size ${inclusionProof.treeSize}`);
  } catch (e) {
    checkpointProblem = problemOf(e);
  }
  let consistency: LogEntryProof['consistency'] = null;
  const first = firstCheckpointCovering(store, entry.index);
  if (first !== undefined && first < inclusionProof.treeSize) {
    const c = proveConsistency(store, first, inclusionProof.treeSize);
    let problem: string | undefined;
    try {
      if (identity) verifyCheckpoint(c.checkpoint1, [{ name: identity.origin, publicKey: createPublicKey(identity.publicKeyPem) }]);
      verifyConsistency(c.size1, c.size2, c.hashes, c.root1, c.root2);
    } catch (e) {
      problem = problemOf(e);
    }
    consistency = { fromSize: c.size1, toSize: c.size2, fromRoot: c.root1, toRoot: c.root2, fromCheckpoint: c.checkpoint1, hashes: c.hashes, verified: problem === undefined, ...(problem ? { problem } : {}) };
  }
  const inclusionOk = inclusionProblem === undefined;
  const checkpointOk = checkpointProblem === undefined;
  return {
    entry: { index: entry.index, uuid: entry.uuid, kind: entry.kind, apiVersion: entry.apiVersion, integratedTime: entry.integratedTime, body: entry.body },
    leafHash: leaf,
    inclusion: {
      treeSize: inclusionProof.treeSize,
      rootHash: inclusionProof.rootHash,
      path: inclusionProof.hashes.map((hash, i) => ({ hash, side: sides[i] ?? 'left' })),
      verified: inclusionOk,
      ...(inclusionProblem ? { problem: inclusionProblem } : {}),
    },
    checkpoint: { note: inclusionProof.checkpoint, origin: note.checkpoint.origin, treeSize: note.checkpoint.size, rootHash: note.checkpoint.rootHash, signatureVerified: checkpointOk, ...(checkpointProblem ? { problem: checkpointProblem } : {}) },
    consistency,
    verified: inclusionOk && checkpointOk && (consistency?.verified ?? true),
  };
}

export interface SignedItem {
  logIndex: number;
  uuid: string;
  kind: RekorKind;
  /** Unix seconds the log integrated the entry. */
  integratedTime: number;
  /** What the entry commits to: the DSSE payload (statement) digest, or the artifact digest of a message signature. */
  digest: string;
  signers: { keyId: string; keyName?: string; algorithm?: string }[];
  /** The audit entry of the job that signed it (subjects, statement types, output file), when one names this log entry. */
  signedBy?: { seq: number; kind: string; at: string; subject: string; type?: string; predicateTypes: string[]; output?: string };
}

export interface SignedItemsPage {
  /** Entries in the log. */
  total: number;
  offset: number;
  /** Newest first. */
  items: SignedItem[];
}

/**
 * Everything signed on this workstation, newest first: the transparency log's entries (every signing
 * job logs what it signs) joined with the audit entries of the jobs that signed them (which name the
 * subjects, statement types and the file written) and with the keystore (key names).
 */
export function listSignedJob(store: Store, input: { offset?: number; limit?: number } = {}): SignedItemsPage {
  const total = logInfo(store).treeSize;
  const offset = Math.max(0, input.offset ?? 0);
  const limit = Math.max(1, Math.min(input.limit ?? 50, 500));
  const keys = new Map(listKeys(store).map((k) => [k.keyId, k]));
  const byIndex = new Map<number, SignedItem['signedBy']>();
  const newest = total - 1 - offset;
  for (const { entry: a, values } of auditEntriesNaming(store, 'logIndexes', Math.max(0, newest - limit + 1), newest)) {
    const d = a.details;
    const signedBy = {
      seq: a.seq,
      kind: a.kind,
      at: a.at,
      subject: a.subject,
      ...(typeof d.type === 'string' ? { type: d.type } : {}),
      predicateTypes: Array.isArray(d.predicateTypes) ? d.predicateTypes.filter((p): p is string => typeof p === 'string') : [],
      ...(typeof d.output === 'string' ? { output: d.output } : {}),
    };
    // the first job that named an entry signed it (an identical statement signed again is the same entry)
    for (const i of values) if (!byIndex.has(i)) byIndex.set(i, signedBy);
  }
  const items: SignedItem[] = [];
  for (let index = newest; index >= 0 && items.length < limit; index--) {
    const e = getLogEntry(store, index);
    let digest = '';
    let signers: SignedItem['signers'] = [];
    try {
      const body = parseEntryBody(e.body);
      digest = `sha256:${body.digestHex}`;
      signers = body.publicKeys.map((pem) => {
        let keyId = '';
        try {
          keyId = keyIdOf(parsePublicKey(pem, `log entry ${index}`));
        } catch {
          /* a certificate, not a bare key: no key id of ours */
        }
        const k = keys.get(keyId);
        return { keyId, ...(k ? { keyName: k.name, algorithm: k.algorithm } : {}) };
      });
    } catch {
      /* an entry body this version cannot read: listed with what the log itself knows */
    }
    const signedBy = byIndex.get(index);
    items.push({ logIndex: e.index, uuid: e.uuid, kind: e.kind, integratedTime: e.integratedTime, digest, signers, ...(signedBy ? { signedBy } : {}) });
  }
  return { total, offset, items };
}
