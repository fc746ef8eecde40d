/**
 * The embedded transparency log: an append-only RFC 6962 Merkle tree in the evidence store, with
 * Rekor-compatible entries, a signed checkpoint after every append and inclusion/consistency proofs.
 *
 * Storage: `attest_log_entries` (index, leaf hash, body), `attest_log_nodes` (the hash of every
 * *perfect* subtree, written when its last leaf arrives — so any proof is O(log² n) lookups) and
 * `attest_log_checkpoints`. All four tables are append-only (triggers).
 *
 * Durability: an append is one `BEGIN IMMEDIATE` transaction (WAL, synchronous=FULL) that inserts the
 * entry, its nodes and the new signed checkpoint; a proof is returned only after it commits. A crash
 * before the commit leaves the log as it was — no gap (indexes are the next integer, in the same
 * transaction) and no fork (a checkpoint never leaves the process before its tree is durable).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type Database from 'better-sqlite3';
import { canonicalJson, type Clock } from '../core';
import type { Store } from '../store';
import { type Checkpoint, noteKeyId, parseSignedNote, signCheckpoint, verifyCheckpoint } from './checkpoint';
import { keyIdOf, publicKeyPem } from './crypto';
import { AttestError } from './errors';
import type { LocalSigningKey } from './kms';
import { type NodeSource, MemoryTree, consistencyProof, inclusionProof, leafHash, nodeHash, rootHash, verifyConsistency } from './merkle';
import { type RekorKind, parseEntryBody } from './rekor';
import { serviceKey } from './service-keys';

export interface LogIdentity {
  /** Checkpoint origin and signer name, e.g. `stella.invalid/log/3f2a…`. */
  origin: string;
  /** `https://<origin>`: the tlog `baseUrl` in trusted_root.json (sigstore matches the signer name against it). */
  baseUrl: string;
  /** 32-byte signed-note key id; `logId.keyId` of every entry and of the trusted root. */
  logId: Buffer;
  publicKey: KeyObject;
  publicKeyPem: string;
}

export interface InclusionProofData {
  logIndex: number;
  treeSize: number;
  rootHash: Buffer;
  hashes: Buffer[];
  /** The signed note of the checkpoint at `treeSize`. */
  checkpoint: string;
}

export interface LogEntry {
  index: number;
  /** hex of the leaf hash (Rekor's entry UUID form). */
  uuid: string;
  kind: RekorKind;
  apiVersion: string;
  body: Buffer;
  integratedTime: number;
}

export interface AppendedEntry extends LogEntry {
  logId: Buffer;
  inclusionProof: InclusionProofData;
  /** Signed entry timestamp: the log key's signature over {body, integratedTime, logID, logIndex}. */
  signedEntryTimestamp: Buffer;
  /** False when an identical body was already in the log (the existing entry is returned). */
  appended: boolean;
}

interface Statements {
  node: Database.Statement<[number, number]>;
  insertNode: Database.Statement<[number, number, Buffer]>;
  size: Database.Statement<[]>;
  byLeaf: Database.Statement<[Buffer]>;
  byIndex: Database.Statement<[number]>;
  insertEntry: Database.Statement<[number, Buffer, string, string, Buffer, number]>;
  insertCheckpoint: Database.Statement<[number, Buffer, string]>;
  checkpointAt: Database.Statement<[number]>;
  latestCheckpoint: Database.Statement<[]>;
}

const statements = new WeakMap<Database.Database, Statements>();

function stmts(db: Database.Database): Statements {
  let s = statements.get(db);
  if (!s) {
    s = {
      node: db.prepare('SELECT hash FROM attest_log_nodes WHERE level = ? AND idx = ?'),
      insertNode: db.prepare('INSERT INTO attest_log_nodes (level, idx, hash) VALUES (?, ?, ?)'),
      size: db.prepare('SELECT COUNT(*) AS n, MAX(idx) AS last FROM attest_log_entries'),
      byLeaf: db.prepare('SELECT * FROM attest_log_entries WHERE leaf_hash = ?'),
      byIndex: db.prepare('SELECT * FROM attest_log_entries WHERE idx = ?'),
      insertEntry: db.prepare('INSERT INTO attest_log_entries (idx, leaf_hash, kind, api_version, body, integrated_time) VALUES (?, ?, ?, ?, ?, ?)'),
      insertCheckpoint: db.prepare('INSERT INTO attest_log_checkpoints (tree_size, root_hash, note) VALUES (?, ?, ?)'),
      checkpointAt: db.prepare('SELECT * FROM attest_log_checkpoints WHERE tree_size = ?'),
      latestCheckpoint: db.prepare('SELECT * FROM attest_log_checkpoints ORDER BY tree_size DESC LIMIT 1'),
    } as Statements;
    statements.set(db, s);
  }
  return s;
}

interface EntryRow {
  idx: number;
  leaf_hash: Buffer;
  kind: string;
  api_version: string;
  body: Buffer;
  integrated_time: number;
}

interface CheckpointRow {
  tree_size: number;
  root_hash: Buffer;
  note: string;
}

function storeNodes(db: Database.Database): NodeSource {
  const s = stmts(db);
  return {
    node(level, index) {
      const row = s.node.get(level, index) as { hash: Buffer } | undefined;
      if (!row) throw new AttestError('log-inconsistent', `the log has no stored subtree hash at level ${level}, index ${index}`);
      return row.hash;
    },
  };
}

function identityOf(publicKey: KeyObject): LogIdentity {
  const origin = `stella.invalid/log/${keyIdOf(publicKey).slice(0, 16)}`;
  return { origin, baseUrl: `https://${origin}`, logId: noteKeyId(origin, publicKey), publicKey, publicKeyPem: publicKeyPem(publicKey) };
}

/**
 * The log's identity. The key is the workstation's `log` service key; the first append records its
 * public key, and from then on a different key file is refused (the log could not be extended
 * consistently under another key).
 */
export function logIdentity(store: Store, clock?: Clock): { identity: LogIdentity; key: LocalSigningKey } {
  const key = serviceKey(store.home, 'log');
  const pub = createPublicKey(key.publicKey());
  const identity = identityOf(pub);
  const row = store.db.prepare('SELECT origin, public_key FROM attest_log_info WHERE id = 1').get() as { origin: string; public_key: string } | undefined;
  if (row && (row.public_key !== identity.publicKeyPem || row.origin !== identity.origin)) {
    throw new AttestError('log-inconsistent', `the transparency log was created with another key (${row.origin}); the workstation log key file was replaced, so the log cannot be extended`, {
      details: { expected: row.origin },
    });
  }
  if (!row && clock) {
    store.write(() => {
      if (!store.db.prepare('SELECT 1 FROM attest_log_info WHERE id = 1').get()) {
        store.db.prepare('INSERT INTO attest_log_info (id, origin, public_key, key_id, created_at) VALUES (1, ?, ?, ?, ?)').run(identity.origin, identity.publicKeyPem, identity.logId.toString('hex'), clock.nowIso());
      }
    });
  }
  return { identity, key };
}

/** The log's recorded identity without touching the key file (read-only callers, verification). */
export function recordedLogIdentity(store: Store): LogIdentity | undefined {
  const row = store.db.prepare('SELECT public_key FROM attest_log_info WHERE id = 1').get() as { public_key: string } | undefined;
  return row ? identityOf(createPublicKey(row.public_key)) : undefined;
}

function logSize(db: Database.Database): number {
  const r = stmts(db).size.get() as { n: number; last: number | null };
  if (r.n > 0 && r.last !== r.n - 1) throw new AttestError('log-inconsistent', `the log has ${r.n} entries but its last index is ${r.last}: a gap`);
  return r.n;
}

function toEntry(r: EntryRow): LogEntry {
  return { index: r.idx, uuid: r.leaf_hash.toString('hex'), kind: r.kind as RekorKind, apiVersion: r.api_version, body: r.body, integratedTime: r.integrated_time };
}

function signedEntryTimestamp(key: LocalSigningKey, identity: LogIdentity, e: LogEntry): Buffer {
  // What @sigstore/verify re-creates for the SET: canonical {body, integratedTime, logID, logIndex}.
  const payload = canonicalJson({ body: e.body.toString('base64'), integratedTime: e.integratedTime, logID: identity.logId.toString('hex'), logIndex: e.index });
  return key.signSync(Buffer.from(payload, 'utf8'));
}

/** Insert one leaf (inside a transaction) and the perfect subtrees it completes. */
function insertLeaf(db: Database.Database, index: number, leaf: Buffer): void {
  const s = stmts(db);
  s.insertNode.run(0, index, leaf);
  let level = 0;
  let i = index;
  let hash = leaf;
  while (i % 2 === 1) {
    const left = (s.node.get(level, i - 1) as { hash: Buffer } | undefined)?.hash;
    if (!left) throw new AttestError('log-inconsistent', `missing subtree hash at level ${level}, index ${i - 1}`);
    hash = nodeHash(left, hash);
    level++;
    i = (i - 1) / 2;
    s.insertNode.run(level, i, hash);
  }
}

/**
 * Append entry bodies (each a Rekor-compatible canonical body) in one transaction, sign one checkpoint
 * for the new size, and return each entry with its inclusion proof against that checkpoint. A body
 * already in the log is not appended again; its existing entry is proven against the new checkpoint.
 */
export function appendEntries(store: Store, bodies: readonly Uint8Array[], ctx: { clock: Clock }): AppendedEntry[] {
  const { identity, key } = logIdentity(store, ctx.clock);
  bodies.forEach((b) => parseEntryBody(b));
  const integratedTime = Math.floor(ctx.clock.nowMs() / 1000);
  const db = store.db;
  const s = stmts(db);
  return store.write(() => {
    let size = logSize(db);
    const entries: { entry: LogEntry; appended: boolean }[] = [];
    for (const b of bodies) {
      const body = Buffer.from(b);
      const leaf = leafHash(body);
      const existing = s.byLeaf.get(leaf) as EntryRow | undefined;
      if (existing) {
        entries.push({ entry: toEntry(existing), appended: false });
        continue;
      }
      const parsed = parseEntryBody(body);
      s.insertEntry.run(size, leaf, parsed.kind, parsed.apiVersion, body, integratedTime);
      insertLeaf(db, size, leaf);
      entries.push({ entry: { index: size, uuid: leaf.toString('hex'), kind: parsed.kind, apiVersion: parsed.apiVersion, body, integratedTime }, appended: true });
      size++;
    }
    const nodes = storeNodes(db);
    let cp = s.checkpointAt.get(size) as CheckpointRow | undefined;
    if (!cp) {
      const root = rootHash(nodes, size);
      const note = signCheckpoint({ origin: identity.origin, size, rootHash: root, extensions: [] }, key, identity.publicKey);
      s.insertCheckpoint.run(size, root, note);
      cp = { tree_size: size, root_hash: root, note };
    }
    return entries.map(({ entry, appended }) => ({
      ...entry,
      appended,
      logId: identity.logId,
      signedEntryTimestamp: signedEntryTimestamp(key, identity, entry),
      inclusionProof: { logIndex: entry.index, treeSize: size, rootHash: (cp as CheckpointRow).root_hash, hashes: inclusionProof(nodes, entry.index, size), checkpoint: (cp as CheckpointRow).note },
    }));
  });
}

export function appendEntry(store: Store, body: Uint8Array, ctx: { clock: Clock }): AppendedEntry {
  return appendEntries(store, [body], ctx)[0] as AppendedEntry;
}

export interface LogInfo {
  origin: string;
  baseUrl: string;
  logId: string;
  publicKey: string;
  treeSize: number;
  rootHash: string;
  /** Latest signed checkpoint (empty log: none). */
  checkpoint: string | null;
}

export function logInfo(store: Store): LogInfo {
  const identity = recordedLogIdentity(store) ?? logIdentity(store).identity;
  const size = logSize(store.db);
  const cp = stmts(store.db).latestCheckpoint.get() as CheckpointRow | undefined;
  return {
    origin: identity.origin,
    baseUrl: identity.baseUrl,
    logId: identity.logId.toString('base64'),
    publicKey: identity.publicKeyPem,
    treeSize: size,
    rootHash: (cp?.root_hash ?? rootHash(storeNodes(store.db), size)).toString('base64'),
    checkpoint: cp?.note ?? null,
  };
}

/** An entry by index (decimal) or UUID (hex leaf hash). */
export function getLogEntry(store: Store, ref: string | number): LogEntry {
  const s = stmts(store.db);
  let row: EntryRow | undefined;
  if (typeof ref === 'number' || /^(0|[1-9][0-9]*)$/.test(ref)) row = s.byIndex.get(Number(ref)) as EntryRow | undefined;
  else if (/^[0-9a-f]{64}$/i.test(ref)) row = s.byLeaf.get(Buffer.from(ref, 'hex')) as EntryRow | undefined;
  else throw new AttestError('invalid-entry', `log entry ${JSON.stringify(ref)}: expected a log index or a 64-hex-digit entry UUID`, { details: { expected: 'index or UUID' } });
  if (!row) throw new AttestError('log-entry-not-found', `log entry ${ref} is not in the log (size ${logSize(store.db)})`);
  return toEntry(row);
}

/** Inclusion proof of an entry against the latest checkpoint (or the one at `treeSize`). */
export function proveEntry(store: Store, ref: string | number, treeSize?: number): { entry: LogEntry; inclusionProof: InclusionProofData } {
  const entry = getLogEntry(store, ref);
  const s = stmts(store.db);
  const cp = (treeSize === undefined ? s.latestCheckpoint.get() : s.checkpointAt.get(treeSize)) as CheckpointRow | undefined;
  if (!cp) throw new AttestError('log-entry-not-found', treeSize === undefined ? 'the log has no checkpoint yet' : `the log has no checkpoint at tree size ${treeSize}`);
  if (entry.index >= cp.tree_size) throw new AttestError('log-entry-not-found', `entry ${entry.index} is not covered by the checkpoint at size ${cp.tree_size}`);
  return { entry, inclusionProof: { logIndex: entry.index, treeSize: cp.tree_size, rootHash: cp.root_hash, hashes: inclusionProof(storeNodes(store.db), entry.index, cp.tree_size), checkpoint: cp.note } };
}

/** The size of the first checkpoint that covers entry `index` (the one its bundle carried when it was logged). */
export function firstCheckpointCovering(store: Store, index: number): number | undefined {
  const r = store.db.prepare('SELECT MIN(tree_size) AS size FROM attest_log_checkpoints WHERE tree_size > ?').get(index) as { size: number | null };
  return r.size ?? undefined;
}

/**
 * Inclusion proof of an entry against the first checkpoint that covers it. Unlike `proveEntry` (the
 * latest checkpoint), this proof never changes as the log grows — what a deterministic export needs when
 * it logs a body that is already in the log.
 */
export function proveEntryAtFirstCheckpoint(store: Store, index: number): InclusionProofData {
  const cp = store.db.prepare('SELECT * FROM attest_log_checkpoints WHERE tree_size > ? ORDER BY tree_size LIMIT 1').get(index) as CheckpointRow | undefined;
  if (!cp) throw new AttestError('log-entry-not-found', `no checkpoint covers log entry ${index}`);
  return { logIndex: index, treeSize: cp.tree_size, rootHash: cp.root_hash, hashes: inclusionProof(storeNodes(store.db), index, cp.tree_size), checkpoint: cp.note };
}

/** Consistency proof between two checkpointed sizes (size2 defaults to the latest). */
export function proveConsistency(store: Store, size1: number, size2?: number): { size1: number; size2: number; root1: Buffer; root2: Buffer; hashes: Buffer[]; checkpoint1: string; checkpoint2: string } {
  const s = stmts(store.db);
  const cp2 = (size2 === undefined ? s.latestCheckpoint.get() : s.checkpointAt.get(size2)) as CheckpointRow | undefined;
  const cp1 = s.checkpointAt.get(size1) as CheckpointRow | undefined;
  if (!cp1 || !cp2) throw new AttestError('log-entry-not-found', `no checkpoint at tree size ${!cp1 ? size1 : size2}`);
  return { size1, size2: cp2.tree_size, root1: cp1.root_hash, root2: cp2.root_hash, hashes: consistencyProof(storeNodes(store.db), size1, cp2.tree_size), checkpoint1: cp1.note, checkpoint2: cp2.note };
}

export interface LogVerification {
  ok: boolean;
  treeSize: number;
  entries: number;
  checkpoints: number;
  rootHash: string;
  problems: string[];
}

/**
 * Re-derive the whole log from the entry bodies: every leaf hash, every stored subtree hash, every
 * checkpoint's signature and root, and consistency between consecutive checkpoints.
 */
export async function verifyLog(store: Store, ctx: { signal: AbortSignal; onProgress?: (done: number, total: number) => void }): Promise<LogVerification> {
  const problems: string[] = [];
  const identity = recordedLogIdentity(store);
  const db = store.db;
  const size = (db.prepare('SELECT COUNT(*) AS n FROM attest_log_entries').get() as { n: number }).n;
  const tree = new MemoryTree();
  const roots = new Map<number, Buffer>();
  let expected = 0;
  const rows = db.prepare('SELECT idx, leaf_hash, body FROM attest_log_entries ORDER BY idx').iterate() as IterableIterator<{ idx: number; leaf_hash: Buffer; body: Buffer }>;
  const checkpointSizes = new Set((db.prepare('SELECT tree_size FROM attest_log_checkpoints').all() as { tree_size: number }[]).map((r) => r.tree_size));
  for (const r of rows) {
    if (r.idx !== expected) {
      problems.push(`entry index ${expected} is missing (next stored index is ${r.idx})`);
      break;
    }
    const leaf = leafHash(r.body);
    if (!leaf.equals(r.leaf_hash)) problems.push(`entry ${r.idx}: the stored leaf hash does not match its body`);
    try {
      parseEntryBody(r.body);
    } catch (e) {
      problems.push(`entry ${r.idx}: ${(e as Error).message}`);
    }
    tree.append(leaf);
    expected++;
    if (checkpointSizes.has(expected)) roots.set(expected, tree.root());
    if (expected % 4096 === 0) {
      ctx.onProgress?.(expected, size);
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (ctx.signal.aborted) throw new AttestError('cancelled', 'cancelled');
    }
  }
  // every stored subtree hash must be the recomputed one
  for (const n of db.prepare('SELECT level, idx, hash FROM attest_log_nodes').iterate() as IterableIterator<{ level: number; idx: number; hash: Buffer }>) {
    let want: Buffer | undefined;
    try {
      want = tree.node(n.level, n.idx);
    } catch {
      want = undefined;
    }
    if (!want || !want.equals(n.hash)) problems.push(`stored subtree hash at level ${n.level}, index ${n.idx} does not match the entries`);
  }
  let previous: { size: number; root: Buffer } | undefined;
  let checkpoints = 0;
  for (const cp of db.prepare('SELECT * FROM attest_log_checkpoints ORDER BY tree_size').iterate() as IterableIterator<CheckpointRow>) {
    checkpoints++;
    let parsed: Checkpoint | undefined;
    try {
      parsed = identity ? verifyCheckpoint(cp.note, [{ name: identity.origin, publicKey: identity.publicKey }]) : parseSignedNote(cp.note).checkpoint;
      if (!identity) problems.push('the log has checkpoints but no recorded log key');
    } catch (e) {
      problems.push(`checkpoint at size ${cp.tree_size}: ${(e as Error).message}`);
    }
    if (parsed && (parsed.size !== cp.tree_size || !parsed.rootHash.equals(cp.root_hash))) problems.push(`checkpoint at size ${cp.tree_size}: the signed note says size ${parsed.size} / another root than the stored row`);
    const recomputed = roots.get(cp.tree_size);
    if (cp.tree_size > expected) problems.push(`checkpoint at size ${cp.tree_size} is beyond the ${expected} entries in the log`);
    else if (!recomputed || !recomputed.equals(cp.root_hash)) problems.push(`checkpoint at size ${cp.tree_size}: its root does not match the root recomputed from the entries (a fork or a rewritten entry)`);
    if (previous && recomputed && cp.tree_size <= expected) {
      try {
        verifyConsistency(previous.size, cp.tree_size, consistencyProof(tree, previous.size, cp.tree_size), previous.root, cp.root_hash);
      } catch (e) {
        problems.push(`checkpoints ${previous.size} → ${cp.tree_size}: ${(e as Error).message}`);
      }
    }
    previous = { size: cp.tree_size, root: cp.root_hash };
  }
  if (size > 0 && !checkpointSizes.has(size)) problems.push(`no checkpoint covers the latest tree size ${size}`);
  ctx.onProgress?.(expected, size);
  return { ok: problems.length === 0, treeSize: expected, entries: size, checkpoints, rootHash: tree.root().toString('base64'), problems };
}
