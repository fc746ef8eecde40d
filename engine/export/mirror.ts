/**
 * Mirror bundles: the workstation's current advisory and VEX snapshots as raw documents (byte-exact,
 * from the blob store) with their provenance, in a folder with a signed manifest (DSSE + detached JWS).
 * A full bundle carries every current document; a delta (`--since`) only those that are current now
 * and were not current in the base feed snapshot — new documents and new revisions (the raw stores are
 * append-only, so nothing is ever removed). Another workstation imports a bundle with `stella offline
 * import DIR`, through the same verification as a kit.
 *
 * A feed snapshot is the pair (advisory snapshot, VEX snapshot). Each one written into a bundle gets the
 * next generation number here (`kit_mirror_snapshots`); exporting an unchanged store again reuses its
 * generation, so the same store state gives the same bundle bytes. The auditor's own triage VEX is not
 * mirrored (`stella vex export` hands it out).
 */
import { Readable } from 'node:stream';
import { resolve } from 'node:path';
import { type CurrentRawRow, currentRawRows, getSnapshot, snapshotIdOf } from '../advisories';
import type { SigningKey } from '../attest';
import { type Digest, assertDigest, digestJson } from '../core';
import type { Store } from '../store';
import { TRIAGE_SOURCE, currentVexDocuments, type RawVexRow } from '../vex';
import { ExportError } from './errors';
import { feedDataDate } from './kit-status';
import { type KitDocument, type MirrorManifest, MIRROR_MANIFEST_SCHEMA, checkManifestConsistency, manifestBytes } from './kit-manifest';
import { signManifest } from './kit-sign';
import { type PayloadEntry, writeBundleFolder } from './_internal/package-writer';

export interface FeedSnapshot {
  id: Digest;
  generation: number | null;
  advisories: Digest | null;
  advisoryMaxSeq: number;
  vex: Digest | null;
  vexMaxSeq: number;
  feedDate: string;
}

interface MirrorSnapshotRow {
  generation: number;
  id: string;
  advisory_snapshot: string | null;
  advisory_max_seq: number;
  vex_snapshot: string | null;
  vex_max_seq: number;
  feed_date: string;
}

const EPOCH = '1970-01-01T00:00:00Z';

function snapshotIdOfDigests(digests: readonly string[]): Digest | null {
  return digests.length ? (snapshotIdOf(digests) as Digest) : null;
}

function isoSeconds(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function mirroredVex(store: Store, maxSeq?: number): RawVexRow[] {
  return currentVexDocuments(store, maxSeq === undefined ? {} : { maxSeq }).filter((r) => r.source !== TRIAGE_SOURCE);
}

/** The store's current feed snapshot (what a full bundle would carry now). */
export function currentFeedSnapshot(store: Store): FeedSnapshot & { advisoryRows: CurrentRawRow[]; vexRows: RawVexRow[] } {
  const advisoryRows = currentRawRows(store);
  const vexRows = mirroredVex(store);
  const advisories = snapshotIdOfDigests(advisoryRows.map((r) => r.digest));
  const vex = snapshotIdOfDigests(vexRows.map((r) => r.digest));
  const advisoryMaxSeq = (store.db.prepare('SELECT COALESCE(MAX(seq), 0) AS m FROM adv_raw_documents').get() as { m: number }).m;
  const vexMaxSeq = (store.db.prepare('SELECT COALESCE(MAX(seq), 0) AS m FROM vex_raw_documents').get() as { m: number }).m;
  // The advisory data's date as this workstation knows it (a kit's data date, else the newest import),
  // so a bundle made from kit data does not look fresher than the kit; VEX alone: its newest import.
  const vexDates = vexRows.map((r) => r.imported_at).sort();
  const feedDate = feedDataDate(store)?.asOf ?? vexDates[vexDates.length - 1] ?? EPOCH;
  const id = digestJson({ advisories, vex });
  const known = store.db.prepare('SELECT generation FROM kit_mirror_snapshots WHERE id = ?').get(id) as { generation: number } | undefined;
  return { id, generation: known?.generation ?? null, advisories, advisoryMaxSeq, vex, vexMaxSeq, feedDate: isoSeconds(feedDate), advisoryRows, vexRows };
}

/** Feed snapshots this workstation wrote into bundles, newest first. */
export function listMirrorSnapshots(store: Store): FeedSnapshot[] {
  return (store.db.prepare('SELECT * FROM kit_mirror_snapshots ORDER BY generation DESC').all() as MirrorSnapshotRow[]).map(toSnapshot);
}

function toSnapshot(r: MirrorSnapshotRow): FeedSnapshot {
  return {
    id: r.id as Digest,
    generation: r.generation,
    advisories: r.advisory_snapshot as Digest | null,
    advisoryMaxSeq: r.advisory_max_seq,
    vex: r.vex_snapshot as Digest | null,
    vexMaxSeq: r.vex_max_seq,
    feedDate: r.feed_date,
  };
}

/**
 * The base of a delta: a feed snapshot id (or a unique prefix of its hex) written into an earlier
 * bundle, or an advisory snapshot id that an earlier bundle carried (its newest such bundle).
 */
export function resolveMirrorBase(store: Store, since: string): FeedSnapshot {
  const want = since.startsWith('sha256:') ? since : `sha256:${since}`;
  if (!/^sha256:[0-9a-f]{8,64}$/.test(want)) throw new ExportError('invalid-argument', `--since ${JSON.stringify(since)}: expected a snapshot id (sha256:… or at least 8 hex digits)`);
  const rows = store.db.prepare("SELECT * FROM kit_mirror_snapshots WHERE id >= ? AND id < ? || '~' ORDER BY generation DESC").all(want, want) as MirrorSnapshotRow[];
  if (rows.length === 1) return toSnapshot(rows[0]!);
  if (rows.length > 1) throw new ExportError('invalid-argument', `--since ${since} is ambiguous; give more digits`);
  const byAdvisory = store.db.prepare("SELECT * FROM kit_mirror_snapshots WHERE advisory_snapshot >= ? AND advisory_snapshot < ? || '~' ORDER BY generation DESC LIMIT 1").get(want, want) as MirrorSnapshotRow | undefined;
  if (byAdvisory) return toSnapshot(byAdvisory);
  let known = '';
  try {
    known = getSnapshot(store, since).id ?? '';
  } catch {
    /* not an advisory snapshot either */
  }
  throw new ExportError('not-found', known ? `--since ${since}: advisory snapshot ${known} was never written into a mirror bundle, so a delta against it cannot say what the other side has; export a full bundle, or give the snapshot id of an earlier bundle (\`stella export mirror --list\`)` : `--since ${since}: no mirror bundle was exported from feed snapshot ${since} (\`stella export mirror --list\`)`, {
    details: { path: '--since', expected: 'the snapshot id of an earlier mirror bundle' },
  });
}

export interface MirrorBuildInput {
  output: string;
  /** Base feed snapshot of a delta (see resolveMirrorBase); absent: a full bundle. */
  since?: string;
}

export interface MirrorBuildOptions {
  signal?: AbortSignal;
  onProgress?: (phase: string, done: number, total?: number) => void;
}

export interface MirrorBuildResult {
  output: string;
  manifest: MirrorManifest;
  manifestDigest: Digest;
  snapshot: FeedSnapshot;
  documents: { advisories: number; vex: number };
  bytes: number;
}

export async function buildMirror(store: Store, input: MirrorBuildInput, key: SigningKey, opts: MirrorBuildOptions = {}): Promise<MirrorBuildResult> {
  const cur = currentFeedSnapshot(store);
  if (!cur.advisoryRows.length && !cur.vexRows.length) throw new ExportError('not-found', 'there is nothing to mirror: no advisory or VEX document is stored', { details: { expected: 'imported advisories or VEX' } });
  const base = input.since !== undefined ? resolveMirrorBase(store, input.since) : null;
  let advRows = cur.advisoryRows;
  let vexRows = cur.vexRows;
  if (base) {
    const baseAdv = new Set(currentRawRows(store, base.advisoryMaxSeq).map((r) => r.digest));
    const baseVex = new Set(mirroredVex(store, base.vexMaxSeq).map((r) => r.digest));
    advRows = advRows.filter((r) => !baseAdv.has(r.digest));
    vexRows = vexRows.filter((r) => !baseVex.has(r.digest));
  }
  const generation = cur.generation ?? ((store.db.prepare('SELECT COALESCE(MAX(generation), 0) AS g FROM kit_mirror_snapshots').get() as { g: number }).g + 1);
  if (base && base.generation !== null && base.generation >= generation) {
    throw new ExportError('invalid-argument', `--since ${input.since}: that is the current feed snapshot (generation ${generation}); there is nothing newer to put into a delta`);
  }
  const payload: (PayloadEntry & { digest: Digest })[] = [];
  const documents: KitDocument[] = [];
  const seen = new Set<string>();
  const add = (type: 'advisory' | 'vex', r: { digest: string; size: number; source: string; uri: string; format: string }): void => {
    const digest = assertDigest(r.digest, 'raw document digest');
    const path = `${type === 'advisory' ? 'advisories' : 'vex'}/${digest.slice(7)}`;
    if (!seen.has(path)) {
      seen.add(path);
      payload.push({ path, size: r.size, mode: 0o644, digest, open: () => Readable.from([store.blobs.get(digest)]) });
    }
    documents.push({ type, path, source: r.source, uri: r.uri, format: r.format });
  };
  for (const r of advRows) add('advisory', r);
  for (const r of vexRows) add('vex', { digest: r.digest, size: r.size, source: r.source, uri: r.uri, format: r.format });
  const key0 = (d: KitDocument): string => `${d.type}\u0000${d.uri}\u0000${d.path}\u0000${d.source}`;
  documents.sort((a, b) => (key0(a) < key0(b) ? -1 : key0(a) > key0(b) ? 1 : 0));
  const manifest: MirrorManifest = {
    schema: MIRROR_MANIFEST_SCHEMA,
    kind: 'mirror',
    generation,
    mode: base ? 'delta' : 'full',
    base: base && base.generation !== null ? { id: base.id, generation: base.generation } : null,
    snapshot: { id: cur.id, advisories: cur.advisories, vex: cur.vex },
    createdAt: cur.feedDate,
    producer: { keyId: key.keyId, algorithm: key.algorithm },
    documents,
    files: payload.map((p) => ({ path: p.path, digest: p.digest, size: p.size, mode: p.mode })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
  checkManifestConsistency(manifest, 'mirror manifest');
  const bytes = manifestBytes(manifest);
  const sigs = await signManifest(bytes, key);
  const out = resolve(input.output);
  const total = payload.reduce((n, p) => n + p.size, 0);
  opts.onProgress?.('writing mirror bundle', 0, total);
  const written = await writeBundleFolder(out, { manifest: bytes, ...sigs }, payload, { ...(opts.signal ? { signal: opts.signal } : {}), onBytes: (d, t) => opts.onProgress?.('writing mirror bundle', d, t) });
  // The generation is recorded once the bundle exists (a failed write leaves no number behind).
  store.write(() =>
    store.db
      .prepare('INSERT OR IGNORE INTO kit_mirror_snapshots (generation, id, advisory_snapshot, advisory_max_seq, vex_snapshot, vex_max_seq, feed_date) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(generation, cur.id, cur.advisories, cur.advisoryMaxSeq, cur.vex, cur.vexMaxSeq, cur.feedDate),
  );
  return {
    output: out,
    manifest,
    manifestDigest: written.digest,
    snapshot: { id: cur.id, generation, advisories: cur.advisories, advisoryMaxSeq: cur.advisoryMaxSeq, vex: cur.vex, vexMaxSeq: cur.vexMaxSeq, feedDate: cur.feedDate },
    documents: { advisories: advRows.length, vex: vexRows.length },
    bytes: total,
  };
}
