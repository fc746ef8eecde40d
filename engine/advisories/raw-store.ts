/**
 * The raw advisory store (Aggregation-Only Contract): every document is kept byte-exact in the blob
 * store with its provenance; re-import is idempotent; a changed document becomes a new revision that
 * supersedes the previous one, which stays stored. Observations are derived per revision and keep
 * what the source said — no effective severity, no merged state is written here.
 */
import { ADVISORY_IMPORT_LIMITS, contentId, serializeError, throwIfCancelled, yieldAndCheck, type Digest, type Observation } from '../core';
import type { Store } from '../store';
import { readInputs, type InputItem, type InputPath } from './input';
import { parseRawInput } from './connectors';
import type { ParsedDocument, RawInput } from './connectors/types';
import { AdvisoryError } from './errors';
import { packageKey } from './package-key';
import { recordSnapshotIfChanged } from './snapshots';
import { sha256Digest } from '../core';

export interface ImportOptions {
  /** Source name overriding what the connector detects (`--source`). */
  source?: string;
  /** Import time stamped on every new raw row (ISO-8601); given by the caller, never read from a clock here. */
  importedAt: string;
  signal?: AbortSignal;
  onProgress?(done: number, total?: number): void;
  /** Documents per write transaction (default ADVISORY_IMPORT_LIMITS.maxBatchDocuments). */
  batchSize?: number;
  /** Raw bytes per write transaction (default ADVISORY_IMPORT_LIMITS.maxBatchBytes): a batch is written when either bound is reached. */
  maxBatchBytes?: number;
  /** Largest single document (default ADVISORY_IMPORT_LIMITS.maxDocumentBytes). */
  maxDocumentBytes?: number;
}

export interface ImportReport {
  documents: number;
  new: number;
  unchanged: number;
  superseded: number;
  rejected: { path: string; error: string }[];
  /** Observations written by this import (new revisions only). */
  observations: number;
  /** Snapshot current after the import. */
  snapshot: string | null;
  /** Per-source counts of the documents seen by this import. */
  sources: Record<string, { documents: number; observations: number }>;
}

interface PreparedDoc {
  input: RawInput;
  parsed: ParsedDocument;
  digest: Digest;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Identity of a raw document: the source plus the advisory it carries, or its uri when it carries several (DSA lists) or none (KEV). */
export function identityKey(parsed: ParsedDocument, uri: string): string {
  const only = parsed.observations.length === 1 ? parsed.observations[0] : undefined;
  return only ? `${parsed.source}|id:${only.advisoryId}` : `${parsed.source}|uri:${uri}`;
}

/** The content id of one observation: (raw document digest, ordinal in it, advisory id). Computed for every observation. */
export function observationId(rawDigest: string, ordinal: number, advisoryId: string): string {
  if (!Number.isSafeInteger(ordinal) || ordinal < 0) throw new RangeError(`observation ordinal must be a non-negative integer, got ${ordinal}`);
  return contentId('obs', { raw: rawDigest, ordinal, advisoryId });
}

export async function importAdvisories(store: Store, paths: readonly InputPath[], opts: ImportOptions): Promise<ImportReport> {
  return importAdvisoryInputs(store, readInputs(paths, { signal: opts.signal, ...(opts.maxDocumentBytes !== undefined ? { maxMemberBytes: opts.maxDocumentBytes } : {}) }), opts);
}

/**
 * The same import over raw documents that are already at hand (an offline kit's verified members),
 * in the order given. An item's own `source` (its recorded provenance) wins over `opts.source`.
 */
export async function importAdvisoryInputs(store: Store, items: AsyncIterable<InputItem>, opts: ImportOptions): Promise<ImportReport> {
  if (!ISO_RE.test(opts.importedAt ?? '')) {
    throw new AdvisoryError('invalid-document', `importAdvisories: importedAt must be an ISO-8601 timestamp, got ${JSON.stringify(opts.importedAt)}`, {
      details: { path: 'importedAt', expected: 'ISO-8601 timestamp' },
    });
  }
  const batchSize = Math.max(1, opts.batchSize ?? ADVISORY_IMPORT_LIMITS.maxBatchDocuments);
  const maxBatchBytes = Math.max(1, opts.maxBatchBytes ?? ADVISORY_IMPORT_LIMITS.maxBatchBytes);
  const report: ImportReport = { documents: 0, new: 0, unchanged: 0, superseded: 0, rejected: [], observations: 0, snapshot: null, sources: {} };
  const writer = new RawWriter(store, opts.importedAt);
  let batch: PreparedDoc[] = [];
  let batchBytes = 0;
  let done = 0;
  // Batches are written in order, one at a time, while the next batch is being read and parsed: blob
  // syncs wait on the disk, parsing uses the CPU, so the two overlap. At most one batch waits, and a
  // batch is bounded by bytes as well as by documents, so memory does not grow with document size.
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (!batch.length) return;
    const b = batch;
    batch = [];
    batchBytes = 0;
    await inFlight;
    inFlight = writer.writeBatch(b, report).then(() => {
      done += b.length;
      opts.onProgress?.(done);
    });
  };
  try {
    for await (const item of items) {
      // Documents already in memory arrive through microtasks only: yield now and then so that a cancel
      // (worker message, SIGINT) is delivered while a big archive is being parsed.
      if (report.documents % 64 === 0) await yieldAndCheck(opts.signal);
      else throwIfCancelled(opts.signal);
      report.documents++;
      if ('error' in item) {
        report.rejected.push({ path: item.uri, error: item.error.message });
        continue;
      }
      let parsed: ParsedDocument;
      try {
        const source = item.source ?? opts.source;
        parsed = parseRawInput(item, source === undefined ? {} : { source });
      } catch (e) {
        report.rejected.push({ path: item.uri, error: serializeError(e).message });
        continue;
      }
      batch.push({ input: item, parsed, digest: sha256Digest(item.bytes) });
      batchBytes += item.bytes.length;
      if (batch.length >= batchSize || batchBytes >= maxBatchBytes) await flush();
    }
    await flush();
  } finally {
    // Never leave a batch half-way: whatever was started is finished (or failed) before returning.
    await inFlight.catch(() => undefined);
  }
  await inFlight;
  throwIfCancelled(opts.signal);
  report.rejected.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const changed = report.new + report.superseded > 0;
  report.snapshot = store.write(() => recordSnapshotIfChanged(store, opts.importedAt, changed));
  return report;
}

/** Prepared statements for writing raw rows; one per store. */
class RawWriter {
  private readonly store: Store;
  private readonly importedAt: string;
  /** Identities written by this import run: a second, different document claiming one falls back to its uri key. */
  private readonly claimed = new Map<string, Digest>();
  private readonly latest;
  private readonly insertRaw;
  private readonly insertObs;
  private readonly insertId;
  private readonly insertAffected;
  private readonly insertKev;
  private readonly insertEpss;

  constructor(store: Store, importedAt: string) {
    this.store = store;
    this.importedAt = importedAt;
    const db = store.db;
    this.latest = db.prepare('SELECT seq, digest, revision FROM adv_raw_documents WHERE identity_key = ? ORDER BY revision DESC LIMIT 1');
    this.insertRaw = db.prepare(
      `INSERT INTO adv_raw_documents (digest, identity_key, revision, supersedes_seq, supersedes, source, uri, format, spec_version, size, imported_at, observation_count)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertObs = db.prepare('INSERT INTO adv_observations (id, doc_seq, ordinal, source, advisory_id, withdrawn, body) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.insertId = db.prepare('INSERT OR IGNORE INTO adv_ids (key, doc_seq, ordinal) VALUES (?, ?, ?)');
    this.insertAffected = db.prepare('INSERT OR IGNORE INTO adv_affected (family, name_key, doc_seq, ordinal, pkg_index) VALUES (?, ?, ?, ?, ?)');
    this.insertKev = db.prepare('INSERT OR IGNORE INTO adv_kev (cve_id, doc_seq, body) VALUES (?, ?, ?)');
    this.insertEpss = db.prepare('INSERT OR IGNORE INTO adv_epss (cve_id, doc_seq, epss, percentile, date) VALUES (?, ?, ?, ?, ?)');
  }

  async writeBatch(batch: PreparedDoc[], report: ImportReport): Promise<void> {
    // Blobs first (content-addressed, idempotent): a crash before the rows commit leaves only an
    // unreferenced blob, never a row pointing at nothing.
    const blobErrors = new Map<PreparedDoc, string>();
    const stored = await this.store.blobs.putMany(batch.map((d) => d.input.bytes));
    batch.forEach((doc, i) => {
      const r = stored[i];
      if (!r) blobErrors.set(doc, 'blob not written');
      else if ('error' in r) blobErrors.set(doc, `cannot store the raw bytes: ${r.error.message}`);
      else if (r.digest !== doc.digest) blobErrors.set(doc, `blob store returned ${r.digest} for bytes hashing to ${doc.digest}`);
    });
    const db = this.store.db;
    this.store.write(() => {
      for (const doc of batch) {
        const blobError = blobErrors.get(doc);
        if (blobError) {
          report.rejected.push({ path: doc.input.uri, error: blobError });
          continue;
        }
        try {
          // Nested transaction = SAVEPOINT: one document's rows are all written or none are.
          const outcome = db.transaction(() => this.writeDoc(doc))();
          report[outcome.kind]++;
          report.observations += outcome.observations;
          const s = (report.sources[doc.parsed.source] ??= { documents: 0, observations: 0 });
          s.documents++;
          s.observations += doc.parsed.observations.length;
        } catch (e) {
          report.rejected.push({ path: doc.input.uri, error: serializeError(e).message });
        }
      }
    });
  }

  private writeDoc(doc: PreparedDoc): { kind: 'new' | 'unchanged' | 'superseded'; observations: number } {
    const { parsed, input, digest } = doc;
    let key = identityKey(parsed, input.uri);
    const claimedBy = this.claimed.get(key);
    if (claimedBy !== undefined && claimedBy !== digest) key = `${parsed.source}|uri:${input.uri}`;
    this.claimed.set(key, digest);
    const prev = this.latest.get(key) as { seq: number; digest: string; revision: number } | undefined;
    if (prev && prev.digest === digest) return { kind: 'unchanged', observations: 0 };
    const info = this.insertRaw.run(
      digest,
      key,
      prev ? prev.revision + 1 : 1,
      prev ? prev.seq : null,
      prev ? prev.digest : null,
      parsed.source,
      input.uri,
      parsed.format,
      parsed.specVersion ?? null,
      input.bytes.length,
      this.importedAt,
      parsed.observations.length,
    );
    const seq = Number(info.lastInsertRowid);
    parsed.observations.forEach((draft, ordinal) => {
      const raw = { digest, source: parsed.source, uri: input.uri, format: parsed.format, ...(parsed.specVersion ? { specVersion: parsed.specVersion } : {}) };
      const id = observationId(digest, ordinal, draft.advisoryId);
      const obs: Observation = { id, source: parsed.source, ...draft, raw };
      this.insertObs.run(id, seq, ordinal, parsed.source, draft.advisoryId, draft.withdrawn ?? null, JSON.stringify(obs));
      for (const k of new Set([draft.advisoryId, ...draft.aliases].map((a) => a.trim().toUpperCase()).filter(Boolean))) this.insertId.run(k, seq, ordinal);
      draft.affected.forEach((pkg, pkgIndex) => {
        const { family, nameKey } = packageKey(pkg.ecosystem, pkg.name);
        this.insertAffected.run(family, nameKey, seq, ordinal, pkgIndex);
      });
    });
    for (const k of parsed.kev ?? []) this.insertKev.run(k.cveId.toUpperCase(), seq, JSON.stringify(k));
    for (const e of parsed.epss ?? []) this.insertEpss.run(e.cveId.toUpperCase(), seq, e.epss, e.percentile ?? null, e.date ?? null);
    return { kind: prev ? 'superseded' : 'new', observations: parsed.observations.length };
  }
}
