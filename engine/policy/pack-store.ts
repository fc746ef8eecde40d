/**
 * The policy pack store: imported pack versions (immutable: one name@version is one pack digest, its
 * source files kept as content-addressed blobs), their approvals (DSSE envelopes over the approval
 * statement, each by one workstation key), activations (the active pack is the newest; with none it is
 * the shipped `builtin:default`) and the verdicts of stored scans. Tables: engine/store/schema/policy.ts,
 * all append-only.
 *
 * This module only reads and writes the records. Signing and verifying approvals needs engine/attest,
 * which policy may not import: the jobs (engine/jobs/policy-packs.ts) sign, verify and decide, and
 * pass an `inTransaction` hook to write their audit entry in the same transaction as the change.
 */
import { canonicalJson, type Digest } from '../core';
import type { Store } from '../store';
import { PolicyError } from './errors';
import type { Verdict } from './language';
import { DEFAULT_PACK, loadPack, packFromFiles, requireUsable, type PackFiles, type UsablePack } from './pack';

export interface StoredPackFile {
  path: string;
  digest: Digest;
  size: number;
}

export interface PackApprovalRecord {
  keyId: string;
  keyName: string | null;
  algorithm: string;
  /** SPKI PEM of the key that signed. */
  publicKey: string;
  /** The DSSE envelope (canonical JSON). */
  envelope: string;
  approvedAt: string;
}

export interface StoredPackVersion {
  seq: number;
  name: string;
  version: string;
  /** Pack digest: canonical IR and exceptions (what decides verdicts). */
  digest: Digest;
  description: string;
  /** Where it was imported from (`directory:/…`, `archive:/…`, `files:editor`, …). */
  origin: string;
  files: StoredPackFile[];
  importedAt: string;
  approvals: PackApprovalRecord[];
}

export interface PackActivationRecord {
  seq: number;
  name: string;
  version: string;
  digest: Digest;
  /** Built-in pack name, for a shipped pack; null for an imported version. */
  builtin: string | null;
  /** Key ids whose approvals were verified when it was activated (empty for a built-in pack). */
  approvals: string[];
  activatedAt: string;
}

/** The pack scans are judged by. */
export interface ActivePackRef {
  name: string;
  version: string;
  digest: Digest;
  /** `builtin:NAME` or `NAME@VERSION` (an imported version): what loads it. */
  ref: string;
  builtin: string | null;
  /** Null while nothing was ever activated (the shipped default applies). */
  activatedAt: string | null;
  approvals: string[];
}

/** The payload type of approval envelopes: an in-toto statement (DSSE, like every attestation here). */
export const APPROVAL_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const APPROVAL_PREDICATE_TYPE = 'https://stella.invalid/policy-approval/v1';

/** How many distinct keys must approve an imported version before it can become active. */
export const REQUIRED_APPROVALS = 2;

const NAME_VERSION = /^([A-Za-z0-9][A-Za-z0-9._-]*)@(.+)$/;

/** `name@version` → parts (null when the text is not of that form). */
export function parsePackId(text: string): { name: string; version: string } | null {
  const m = NAME_VERSION.exec(text.trim());
  return m ? { name: m[1] as string, version: m[2] as string } : null;
}

/**
 * The statement an approver signs: the pack version, its digest and its source files. Canonical JSON
 * with no time in it, so every approval of one version signs the same bytes and a verifier rebuilds them.
 */
export function approvalStatement(v: Pick<StoredPackVersion, 'name' | 'version' | 'digest' | 'files'>): Record<string, unknown> {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: `${v.name}@${v.version}`, digest: { sha256: v.digest.slice('sha256:'.length) } }],
    predicateType: APPROVAL_PREDICATE_TYPE,
    predicate: { pack: { name: v.name, version: v.version, digest: v.digest }, sources: [...v.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => ({ path: f.path, digest: f.digest })) },
  };
}

export function approvalPayload(v: Pick<StoredPackVersion, 'name' | 'version' | 'digest' | 'files'>): Buffer {
  return Buffer.from(canonicalJson(approvalStatement(v)), 'utf8');
}

interface PackRow {
  seq: number;
  name: string;
  version: string;
  digest: string;
  description: string;
  origin: string;
  files: string;
  imported_at: string;
}

interface ApprovalRow {
  pack_seq: number;
  key_id: string;
  key_name: string | null;
  algorithm: string;
  public_key: string;
  envelope: string;
  approved_at: string;
}

function approvalOf(r: ApprovalRow): PackApprovalRecord {
  return { keyId: r.key_id, keyName: r.key_name, algorithm: r.algorithm, publicKey: r.public_key, envelope: r.envelope, approvedAt: r.approved_at };
}

function versionOf(r: PackRow, approvals: PackApprovalRecord[]): StoredPackVersion {
  return {
    seq: r.seq,
    name: r.name,
    version: r.version,
    digest: r.digest as Digest,
    description: r.description,
    origin: r.origin,
    files: JSON.parse(r.files) as StoredPackFile[],
    importedAt: r.imported_at,
    approvals,
  };
}

/** Every imported version, oldest first, with its approvals. */
export function listPackVersions(store: Store): StoredPackVersion[] {
  const approvals = new Map<number, PackApprovalRecord[]>();
  for (const r of store.db.prepare('SELECT * FROM policy_approvals ORDER BY seq').all() as ApprovalRow[]) {
    const list = approvals.get(r.pack_seq) ?? [];
    list.push(approvalOf(r));
    approvals.set(r.pack_seq, list);
  }
  return (store.db.prepare('SELECT * FROM policy_packs ORDER BY seq').all() as PackRow[]).map((r) => versionOf(r, approvals.get(r.seq) ?? []));
}

export function findPackVersion(store: Store, name: string, version: string): StoredPackVersion | undefined {
  const r = store.db.prepare('SELECT * FROM policy_packs WHERE name = ? AND version = ?').get(name, version) as PackRow | undefined;
  if (!r) return undefined;
  const approvals = (store.db.prepare('SELECT * FROM policy_approvals WHERE pack_seq = ? ORDER BY seq').all(r.seq) as ApprovalRow[]).map(approvalOf);
  return versionOf(r, approvals);
}

/** An imported version, or a not-found error naming what is stored. */
export function requirePackVersion(store: Store, name: string, version: string): StoredPackVersion {
  const v = findPackVersion(store, name, version);
  if (v) return v;
  const known = (store.db.prepare('SELECT name, version FROM policy_packs ORDER BY seq').all() as { name: string; version: string }[]).map((r) => `${r.name}@${r.version}`);
  throw new PolicyError('not-found', `no policy pack ${name}@${version} is imported${known.length ? ` (imported: ${known.slice(0, 20).join(', ')})` : ' (none is: stella policy import PACK)'}`, {
    details: { path: 'pack', expected: 'NAME@VERSION of an imported pack, or builtin:NAME' },
  });
}

/** The files of an imported version, read back from the blob store (each blob is re-hashed on read). */
export function storedPackFiles(store: Store, v: StoredPackVersion): PackFiles {
  const files = new Map<string, string>();
  for (const f of v.files) files.set(f.path, store.blobs.get(f.digest).toString('utf8'));
  return { origin: { kind: 'stored', name: v.name, version: v.version }, files, skipped: [] };
}

/** An imported version, compiled (it compiled when it was imported: a failure here is a store fault). */
export function loadStoredPack(store: Store, v: StoredPackVersion): UsablePack {
  const pack = requireUsable(packFromFiles(storedPackFiles(store, v)));
  if (pack.digest !== v.digest) {
    throw new PolicyError('invalid-pack', `stored pack ${v.name}@${v.version} compiles to ${pack.digest}, not the ${v.digest} it was imported with (a different compiler version?)`, {
      details: { path: 'pack', expected: v.digest },
    });
  }
  return pack;
}

export interface ImportPackOptions {
  importedAt: string;
  /** Runs inside the import's transaction (audit entries). */
  inTransaction?: (v: StoredPackVersion) => void;
}

/**
 * Import a compiled pack as an immutable version. The same name, version and digest again is
 * `unchanged`; the same name and version with another digest is refused (bump the version).
 */
export function importPackVersion(store: Store, pack: UsablePack, files: PackFiles, opts: ImportPackOptions): { version: StoredPackVersion; outcome: 'new' | 'unchanged' } {
  const { name, version, description } = pack.manifest;
  const existing = findPackVersion(store, name, version);
  if (existing) {
    if (existing.digest === pack.digest) return { version: existing, outcome: 'unchanged' };
    throw new PolicyError('version-exists', `policy pack ${name}@${version} is already imported with digest ${existing.digest}; this pack is ${pack.digest}. An imported version never changes: give the new one another version in pack.yaml`, {
      details: { path: 'pack.yaml/version', expected: `a version other than ${version}` },
    });
  }
  // Blobs first (content-addressed, idempotent): a failure before the row commits leaves unreferenced blobs only.
  const stored: StoredPackFile[] = [...files.files].map(([path, text]) => {
    const bytes = Buffer.from(text, 'utf8');
    return { path, digest: store.blobs.put(bytes), size: bytes.length };
  });
  return store.write(() => {
    const info = store.db
      .prepare('INSERT INTO policy_packs (name, version, digest, description, origin, files, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(name, version, pack.digest, description, pack.source, canonicalJson(stored), opts.importedAt);
    const ref = store.db.prepare('INSERT OR IGNORE INTO blob_refs (digest, kind, size) VALUES (?, ?, ?)');
    for (const f of stored) ref.run(f.digest, 'policy-pack-file', f.size);
    const v: StoredPackVersion = { seq: Number(info.lastInsertRowid), name, version, digest: pack.digest, description, origin: pack.source, files: stored, importedAt: opts.importedAt, approvals: [] };
    opts.inTransaction?.(v);
    return { version: v, outcome: 'new' as const };
  });
}

/** Record one key's approval of a version (a second approval by the same key is refused). */
export function recordApproval(store: Store, v: StoredPackVersion, a: PackApprovalRecord, inTransaction?: () => void): StoredPackVersion {
  return store.write(() => {
    const dup = store.db.prepare('SELECT 1 FROM policy_approvals WHERE pack_seq = ? AND key_id = ?').get(v.seq, a.keyId);
    if (dup) {
      throw new PolicyError('already-approved', `key ${a.keyName ?? a.keyId} has already approved ${v.name}@${v.version}: the two-person rule needs another key`, {
        details: { path: 'key', expected: 'a key that has not approved this version' },
      });
    }
    store.db
      .prepare('INSERT INTO policy_approvals (pack_seq, key_id, key_name, algorithm, public_key, envelope, approved_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(v.seq, a.keyId, a.keyName, a.algorithm, a.publicKey, a.envelope, a.approvedAt);
    inTransaction?.();
    return { ...v, approvals: [...v.approvals, a] };
  });
}

interface ActivationRow {
  seq: number;
  pack_seq: number | null;
  builtin: string | null;
  name: string;
  version: string;
  digest: string;
  approvals: string;
  activated_at: string;
}

function activationOf(r: ActivationRow): PackActivationRecord {
  return { seq: r.seq, name: r.name, version: r.version, digest: r.digest as Digest, builtin: r.builtin, approvals: JSON.parse(r.approvals) as string[], activatedAt: r.activated_at };
}

export function listActivations(store: Store): PackActivationRecord[] {
  return (store.db.prepare('SELECT * FROM policy_activations ORDER BY seq').all() as ActivationRow[]).map(activationOf);
}

/** Make a version (or a built-in pack) the active one. The caller has checked the approvals. */
export function recordActivation(
  store: Store,
  target: { version: StoredPackVersion; approvals: string[] } | { builtin: string; pack: UsablePack },
  activatedAt: string,
  inTransaction?: (a: PackActivationRecord) => void,
): PackActivationRecord {
  return store.write(() => {
    const row =
      'builtin' in target
        ? { pack_seq: null, builtin: target.builtin, name: target.pack.manifest.name, version: target.pack.manifest.version, digest: target.pack.digest, approvals: [] as string[] }
        : { pack_seq: target.version.seq, builtin: null, name: target.version.name, version: target.version.version, digest: target.version.digest, approvals: [...target.approvals].sort() };
    const info = store.db
      .prepare('INSERT INTO policy_activations (pack_seq, builtin, name, version, digest, approvals, activated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(row.pack_seq, row.builtin, row.name, row.version, row.digest, JSON.stringify(row.approvals), activatedAt);
    const a = activationOf({ seq: Number(info.lastInsertRowid), ...row, approvals: JSON.stringify(row.approvals), activated_at: activatedAt });
    inTransaction?.(a);
    return a;
  });
}

/** The shipped default pack, compiled once per process. */
let defaultPack: Promise<UsablePack> | undefined;
export function shippedDefaultPack(): Promise<UsablePack> {
  defaultPack ??= loadPack(DEFAULT_PACK).then(requireUsable);
  return defaultPack;
}

/** Which pack is active: the newest activation, else the shipped default. */
export async function activePackRef(store: Store): Promise<ActivePackRef> {
  const r = store.db.prepare('SELECT * FROM policy_activations ORDER BY seq DESC LIMIT 1').get() as ActivationRow | undefined;
  if (!r) {
    const p = await shippedDefaultPack();
    return { name: p.manifest.name, version: p.manifest.version, digest: p.digest, ref: DEFAULT_PACK, builtin: DEFAULT_PACK.slice('builtin:'.length), activatedAt: null, approvals: [] };
  }
  const a = activationOf(r);
  return { name: a.name, version: a.version, digest: a.digest, ref: a.builtin ? `builtin:${a.builtin}` : `${a.name}@${a.version}`, builtin: a.builtin, activatedAt: a.activatedAt, approvals: a.approvals };
}

// ---- scan verdicts --------------------------------------------------------------------------------

export interface DecidingRule {
  /** Rule name; null = no rule matched (the pack's default status). */
  rule: string | null;
  because: string | null;
  /** Findings it decided with the scan's verdict. */
  findings: number;
}

export interface StoredScanVerdict {
  scanId: string;
  verdict: Verdict;
  pack: { name: string; version: string; digest: Digest; source: string };
  evaluationDate: string;
  vexSetDigest: Digest;
  counts: Record<Verdict, number>;
  /** The rules that decided the verdict: those that gave findings the scan's verdict (most findings first). */
  rules: DecidingRule[];
  evaluatedAt: string;
}

interface VerdictRow {
  scan_id: string;
  verdict: string;
  pack_name: string;
  pack_version: string;
  pack_digest: string;
  pack_source: string;
  evaluation_date: string;
  vex_set_digest: string;
  counts: string;
  rules: string;
  evaluated_at: string;
}

function verdictOf(r: VerdictRow): StoredScanVerdict {
  return {
    scanId: r.scan_id,
    verdict: r.verdict as Verdict,
    pack: { name: r.pack_name, version: r.pack_version, digest: r.pack_digest as Digest, source: r.pack_source },
    evaluationDate: r.evaluation_date,
    vexSetDigest: r.vex_set_digest as Digest,
    counts: JSON.parse(r.counts) as Record<Verdict, number>,
    rules: JSON.parse(r.rules) as DecidingRule[],
    evaluatedAt: r.evaluated_at,
  };
}

/** Record a scan's verdict (a newer record of the same scan supersedes it). Call inside the scan's transaction. */
export function recordScanVerdict(store: Store, v: StoredScanVerdict): void {
  store.write(() => {
    store.db
      .prepare('INSERT INTO policy_scan_verdicts (scan_id, verdict, pack_name, pack_version, pack_digest, pack_source, evaluation_date, vex_set_digest, counts, rules, evaluated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(v.scanId, v.verdict, v.pack.name, v.pack.version, v.pack.digest, v.pack.source, v.evaluationDate, v.vexSetDigest, canonicalJson(v.counts), canonicalJson(v.rules), v.evaluatedAt);
  });
}

/** The newest verdict of each scan that has one. */
export function latestScanVerdicts(store: Store): Map<string, StoredScanVerdict> {
  const rows = store.db.prepare('SELECT v.* FROM policy_scan_verdicts v JOIN (SELECT scan_id, MAX(seq) AS seq FROM policy_scan_verdicts GROUP BY scan_id) m ON v.seq = m.seq').all() as VerdictRow[];
  return new Map(rows.map((r) => [r.scan_id, verdictOf(r)]));
}

export function latestScanVerdict(store: Store, scanId: string): StoredScanVerdict | undefined {
  const r = store.db.prepare('SELECT * FROM policy_scan_verdicts WHERE scan_id = ? ORDER BY seq DESC LIMIT 1').get(scanId) as VerdictRow | undefined;
  return r ? verdictOf(r) : undefined;
}
