/**
 * The audit trail: append-only, hash-chained, each entry signed by the workstation audit key.
 *
 *   entryHash(n) = sha256(canonical JSON {seq, at, kind, subject, details, prev: entryHash(n-1)})
 *   signature(n) = Ed25519_auditKey(UTF-8 of entryHash(n))
 *
 * `appendAudit` is synchronous so that a job can write its change and the audit entry describing it in
 * one transaction (both or neither survive a crash). See README.md for the threat model.
 */
import { createPublicKey } from 'node:crypto';
import { canonicalJson, type Clock, digestJson, type Digest } from '../core';
import type { Store } from '../store';
// The two module files it uses, not engine/attest's index: every scan and import appends an entry, and
// must not load the Sigstore libraries to do it.
import { serviceKey } from '../attest/service-keys';
import { verifySignature } from '../attest/crypto';
import { AuditError } from './errors';

/** The `prev` of the first entry. */
export const AUDIT_GENESIS: Digest = `sha256:${'0'.repeat(64)}`;

export interface AuditInput {
  /** Dotted event kind: `key.generated`, `trust.added`, `kit.activated`, `scan.completed`, … */
  kind: string;
  /** What the event is about: a key name, a trust entry, a scan id, a file digest. */
  subject: string;
  details?: Record<string, unknown>;
}

export interface AuditEntry {
  seq: number;
  at: string;
  kind: string;
  subject: string;
  details: Record<string, unknown>;
  prevHash: Digest;
  entryHash: Digest;
  keyId: string;
  /** base64 */
  signature: string;
}

interface AuditRow {
  seq: number;
  at: string;
  kind: string;
  subject: string;
  details: string;
  prev_hash: string;
  entry_hash: string;
  key_id: string;
  signature: string;
}

const KIND_RE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

function rowToEntry(r: AuditRow): AuditEntry {
  return { seq: r.seq, at: r.at, kind: r.kind, subject: r.subject, details: JSON.parse(r.details) as Record<string, unknown>, prevHash: r.prev_hash as Digest, entryHash: r.entry_hash as Digest, keyId: r.key_id, signature: r.signature };
}

/** The hashed form of an entry: exactly these fields, canonical JSON. */
export function auditEntryHash(e: { seq: number; at: string; kind: string; subject: string; details: Record<string, unknown>; prevHash: string }): Digest {
  return digestJson({ seq: e.seq, at: e.at, kind: e.kind, subject: e.subject, details: e.details, prev: e.prevHash });
}

/**
 * Append an audit entry, signed by the workstation audit key (created on first use). Runs in its own
 * write transaction, or as a savepoint of the caller's.
 */
export function appendAudit(store: Store, input: AuditInput, ctx: { clock: Clock }): AuditEntry {
  if (!KIND_RE.test(input.kind)) throw new AuditError('invalid-entry', `audit kind ${JSON.stringify(input.kind)}: expected dotted lowercase words like "key.generated"`);
  if (typeof input.subject !== 'string' || input.subject === '') throw new AuditError('invalid-entry', 'an audit entry needs a subject');
  // canonical JSON first: refuses values that would not survive a round trip (undefined, NaN, functions)
  const details = JSON.parse(canonicalJson(input.details ?? {})) as Record<string, unknown>;
  const key = serviceKey(store.home, 'audit');
  const at = ctx.clock.nowIso();
  return store.write(() => {
    store.db.prepare('INSERT OR IGNORE INTO audit_keys (key_id, algorithm, public_key, added_at) VALUES (?, ?, ?, ?)').run(key.keyId, key.algorithm, key.publicKey(), at);
    const last = store.db.prepare('SELECT seq, entry_hash FROM audit_entries ORDER BY seq DESC LIMIT 1').get() as { seq: number; entry_hash: string } | undefined;
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = (last?.entry_hash ?? AUDIT_GENESIS) as Digest;
    const entryHash = auditEntryHash({ seq, at, kind: input.kind, subject: input.subject, details, prevHash });
    const signature = key.signSync(Buffer.from(entryHash, 'utf8')).toString('base64');
    store.db
      .prepare('INSERT INTO audit_entries (seq, at, kind, subject, details, prev_hash, entry_hash, key_id, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(seq, at, input.kind, input.subject, canonicalJson(details), prevHash, entryHash, key.keyId, signature);
    return { seq, at, kind: input.kind, subject: input.subject, details, prevHash, entryHash, keyId: key.keyId, signature };
  });
}

export interface AuditQuery {
  /** Only kinds equal to this or under it (`key` matches `key.generated`). */
  kind?: string;
  /** Only entries with seq greater than this. */
  afterSeq?: number;
  /** Only entries with seq less than this (paging back from the newest). */
  beforeSeq?: number;
  /** Newest first (default: oldest first). */
  newestFirst?: boolean;
  limit?: number;
}

function auditWhere(q: Pick<AuditQuery, 'kind' | 'afterSeq' | 'beforeSeq'>): { sql: string; args: (string | number)[] } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (q.kind) {
    where.push('(kind = ? OR kind LIKE ?)');
    args.push(q.kind, `${q.kind}.%`);
  }
  if (q.afterSeq !== undefined) {
    where.push('seq > ?');
    args.push(q.afterSeq);
  }
  if (q.beforeSeq !== undefined) {
    where.push('seq < ?');
    args.push(q.beforeSeq);
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
}

export function listAudit(store: Store, q: AuditQuery = {}): AuditEntry[] {
  const { sql: where, args } = auditWhere(q);
  const sql = `SELECT * FROM audit_entries ${where} ORDER BY seq ${q.newestFirst ? 'DESC' : ''} ${q.limit !== undefined ? 'LIMIT ?' : ''}`;
  if (q.limit !== undefined) args.push(q.limit);
  return (store.db.prepare(sql).all(...args) as AuditRow[]).map(rowToEntry);
}

/**
 * Entries whose `details[field]` is an array naming a number in [from, to] (`logIndexes`: the signing
 * jobs that logged those transparency-log entries), oldest first, each with the numbers it names in the
 * range. The JSON is searched by SQLite, so a page of the log costs no parse of the whole trail here.
 */
export function auditEntriesNaming(store: Store, field: string, from: number, to: number): { entry: AuditEntry; values: number[] }[] {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) throw new AuditError('invalid-entry', `details field ${JSON.stringify(field)}: expected a plain field name`);
  const rows = store.db
    .prepare(
      `SELECT a.*, j.value AS named FROM audit_entries a, json_each(a.details, ?) j
       WHERE json_type(a.details, ?) = 'array' AND j.type = 'integer' AND j.value BETWEEN ? AND ? ORDER BY a.seq`,
    )
    .all(`$.${field}`, `$.${field}`, from, to) as (AuditRow & { named: number })[];
  const out = new Map<number, { entry: AuditEntry; values: number[] }>();
  for (const r of rows) {
    const e = out.get(r.seq) ?? { entry: rowToEntry(r), values: [] };
    e.values.push(r.named);
    out.set(r.seq, e);
  }
  return [...out.values()];
}

/** How many entries match (the same filters as `listAudit`). */
export function countAudit(store: Store, q: Pick<AuditQuery, 'kind' | 'afterSeq' | 'beforeSeq'> = {}): number {
  const { sql: where, args } = auditWhere(q);
  return (store.db.prepare(`SELECT COUNT(*) AS n FROM audit_entries ${where}`).get(...args) as { n: number }).n;
}

/** Every kind in the trail with its entry count, sorted by kind. */
export function auditKinds(store: Store): { kind: string; count: number }[] {
  return store.db.prepare('SELECT kind, COUNT(*) AS count FROM audit_entries GROUP BY kind ORDER BY kind').all() as { kind: string; count: number }[];
}

/** The newest entry's sequence number and hash (what an export records to anchor the trail). */
export function auditHead(store: Store): { seq: number; entryHash: Digest } {
  const last = store.db.prepare('SELECT seq, entry_hash FROM audit_entries ORDER BY seq DESC LIMIT 1').get() as { seq: number; entry_hash: string } | undefined;
  return { seq: last?.seq ?? 0, entryHash: (last?.entry_hash ?? AUDIT_GENESIS) as Digest };
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  head: { seq: number; entryHash: Digest };
  /** The first entry that does not verify, and why. */
  firstBad?: { seq: number; reason: string };
}

/**
 * Walk the chain from the first entry: sequence numbers without gaps, each `prev` the previous hash,
 * each hash recomputed from the fields, each signature valid under a recorded audit key. With
 * `expectHead` (a head recorded earlier, e.g. in an exported bundle) the trail must still contain it.
 */
export async function verifyAudit(store: Store, ctx: { signal: AbortSignal; expectHead?: { seq: number; entryHash: string } }): Promise<AuditVerification> {
  const keys = new Map((store.db.prepare('SELECT key_id, public_key FROM audit_keys').all() as { key_id: string; public_key: string }[]).map((k) => [k.key_id, createPublicKey(k.public_key)]));
  let expectedSeq = 1;
  let prev: string = AUDIT_GENESIS;
  let count = 0;
  let head = { seq: 0, entryHash: AUDIT_GENESIS as Digest };
  const bad = (seq: number, reason: string): AuditVerification => ({ ok: false, entries: count, head, firstBad: { seq, reason } });
  for (const r of store.db.prepare('SELECT * FROM audit_entries ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    if (r.seq !== expectedSeq) return bad(expectedSeq, `entry ${expectedSeq} is missing (the next entry is ${r.seq})`);
    if (r.prev_hash !== prev) return bad(r.seq, `its previous-hash ${r.prev_hash} is not the hash of entry ${r.seq - 1} (${prev})`);
    let details: Record<string, unknown>;
    try {
      details = JSON.parse(r.details) as Record<string, unknown>;
    } catch {
      return bad(r.seq, 'its details are not JSON');
    }
    const recomputed = auditEntryHash({ seq: r.seq, at: r.at, kind: r.kind, subject: r.subject, details, prevHash: r.prev_hash });
    if (recomputed !== r.entry_hash) return bad(r.seq, `its fields hash to ${recomputed}, not the recorded ${r.entry_hash} (the entry was changed)`);
    const key = keys.get(r.key_id);
    if (!key) return bad(r.seq, `it is signed by key ${r.key_id}, which is not a recorded audit key`);
    if (!verifySignature(key, Buffer.from(r.entry_hash, 'utf8'), Buffer.from(r.signature, 'base64'))) return bad(r.seq, 'its signature does not verify');
    prev = r.entry_hash;
    head = { seq: r.seq, entryHash: r.entry_hash as Digest };
    expectedSeq++;
    count++;
    if (count % 2000 === 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (ctx.signal.aborted) throw new AuditError('cancelled', 'cancelled');
    }
  }
  if (ctx.expectHead) {
    const e = ctx.expectHead;
    const at = store.db.prepare('SELECT entry_hash FROM audit_entries WHERE seq = ?').get(e.seq) as { entry_hash: string } | undefined;
    if (!at || at.entry_hash !== e.entryHash) return bad(e.seq, `the trail does not contain the recorded head ${e.entryHash} at entry ${e.seq} (history was rewritten or truncated)`);
  }
  return { ok: true, entries: count, head };
}
