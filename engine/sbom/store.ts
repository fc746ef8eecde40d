/**
 * Import into the evidence store. The record id is content-addressed from the raw bytes
 * (`sbom_<first 24 hex of sha256>`), so importing the same bytes twice returns the same record.
 * Order matters for "nothing stored when anything fails": the file is size-checked before it is read,
 * fully parsed and validated before any byte is written, blobs (raw bytes, canonical inventory) are
 * written only after that, and the rows go in one BEGIN IMMEDIATE transaction; blobs this import
 * created are removed again if that transaction fails.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { canonicalJson, DEFAULT_LIMITS, sha256Digest, throwIfCancelled, type Clock, type Digest, type InputLimits, type Inventory, type SbomFormat } from '../core';
import type { Store } from '../store';
import { countEdges } from './_internal/common';
import { purlEcosystem } from './_internal/purl';
import { SbomError } from './errors';

export interface SbomRecord {
  id: string;
  digest: Digest;
  format: SbomFormat;
  specVersion: string;
  name: string;
  /** Every component (nested included, the document's subject excluded). */
  componentCount: number;
  /** Dependency edges (ref → dependsOn pairs). */
  dependencyCount: number;
  importedAt: string;
}

export type ImportSource = { path: string; name?: string } | { bytes: Uint8Array; name: string };

export type ImportPhase = 'read' | 'parse' | 'store' | 'done';

export interface ImportOptions {
  clock: Clock;
  signal?: AbortSignal;
  onProgress?: (p: { phase: ImportPhase; componentCount?: number }) => void;
  limits?: Partial<InputLimits>;
}

interface SbomRow {
  id: string;
  digest: string;
  format: string;
  spec_version: string;
  name: string;
  component_count: number;
  dependency_count: number;
  inventory_digest: string;
  imported_at: string;
}

function toRecord(r: SbomRow): SbomRecord {
  return {
    id: r.id,
    digest: r.digest as Digest,
    format: r.format as SbomFormat,
    specVersion: r.spec_version,
    name: r.name,
    componentCount: r.component_count,
    dependencyCount: r.dependency_count,
    importedAt: r.imported_at,
  };
}

export function sbomIdFor(digest: Digest): string {
  return `sbom_${digest.slice(7, 31)}`;
}

/** Read a file with its size checked first, so a 2 GB file is refused without being read. */
export function readSbomFile(path: string, limits: InputLimits = DEFAULT_LIMITS): Buffer {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new SbomError('file-unreadable', `${path}: not a regular file; expected an SBOM file`, { details: { file: path, expected: 'a regular file' } });
    size = st.size;
  } catch (cause) {
    if (cause instanceof SbomError) throw cause;
    throw new SbomError('file-unreadable', `${path}: cannot read: ${(cause as Error).message}`, { cause, details: { file: path } });
  }
  if (size > limits.maxDocumentBytes) {
    throw new SbomError('too-large', `${path}: ${size} bytes is larger than the ${limits.maxDocumentBytes}-byte limit for one SBOM; expected a smaller document`, {
      details: { file: path, size, expected: `at most ${limits.maxDocumentBytes} bytes` },
    });
  }
  try {
    return readFileSync(path);
  } catch (cause) {
    throw new SbomError('file-unreadable', `${path}: cannot read: ${(cause as Error).message}`, { cause, details: { file: path } });
  }
}

function findExisting(store: Store, id: string): SbomRecord | null {
  const row = store.db.prepare('SELECT * FROM sboms WHERE id = ?').get(id) as SbomRow | undefined;
  return row ? toRecord(row) : null;
}

/** Parse, validate, normalize and store one SBOM; idempotent per byte content. */
export async function importSbom(store: Store, source: ImportSource, opts: ImportOptions): Promise<SbomRecord> {
  const limits: InputLimits = { ...DEFAULT_LIMITS, ...(opts.limits ?? {}) };
  opts.onProgress?.({ phase: 'read' });
  const bytes = 'path' in source ? readSbomFile(source.path, limits) : source.bytes;
  const name = source.name ?? ('path' in source ? basename(source.path) : '<input>');
  const fileLabel = 'path' in source ? source.path : source.name;
  const digest = sha256Digest(bytes);
  const id = sbomIdFor(digest);
  throwIfCancelled(opts.signal);
  // Idempotent re-import: same bytes → same record. Only valid documents are ever stored, so the bytes
  // were validated when the record was written.
  const existing = findExisting(store, id);
  if (existing) {
    opts.onProgress?.({ phase: 'done', componentCount: existing.componentCount });
    return existing;
  }
  opts.onProgress?.({ phase: 'parse' });
  // Loaded here, not at module load: the parsers and schema validators (CycloneDX library, ajv, libxmljs2,
  // zod) are most of a CLI's start-up, and re-importing stored bytes or reading a stored SBOM needs none.
  const { parseSbom } = await import('./parse');
  const parsed = await parseSbom(bytes, { fileName: fileLabel, limits, ...(opts.signal ? { signal: opts.signal } : {}) });
  opts.onProgress?.({ phase: 'store', componentCount: parsed.inventory.components.length });
  throwIfCancelled(opts.signal);

  const inventoryJson = canonicalJson(parsed.inventory);
  const inventoryDigest = sha256Digest(inventoryJson);
  const createdBlobs: Digest[] = [];
  const putBlob = (data: Uint8Array | string, digest: Digest): void => {
    if (!store.blobs.has(digest)) {
      store.blobs.put(data);
      createdBlobs.push(digest);
    }
  };
  const importedAt = opts.clock.nowIso();
  const record: SbomRecord = {
    id,
    digest,
    format: parsed.format,
    specVersion: parsed.specVersion,
    name,
    componentCount: parsed.inventory.components.length,
    dependencyCount: countEdges(parsed.inventory.dependencies),
    importedAt,
  };
  try {
    putBlob(bytes, digest);
    putBlob(inventoryJson, inventoryDigest);
    const result = store.write(() => {
      const again = findExisting(store, id);
      if (again) return again; // another process imported the same bytes meanwhile
      store.db
        .prepare(
          `INSERT INTO sboms (id, digest, format, spec_version, name, size, component_count, dependency_count, inventory_digest, warnings, imported_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, digest, record.format, record.specVersion, name, bytes.byteLength, record.componentCount, record.dependencyCount, inventoryDigest, JSON.stringify(parsed.warnings), importedAt);
      const blobRef = store.db.prepare('INSERT OR IGNORE INTO blob_refs (digest, kind, size) VALUES (?, ?, ?)');
      blobRef.run(digest, 'sbom-raw', bytes.byteLength);
      blobRef.run(inventoryDigest, 'sbom-inventory', Buffer.byteLength(inventoryJson));
      const insC = store.db.prepare('INSERT INTO sbom_components (sbom_id, ref, name, version, purl, type, ecosystem, parent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      for (const c of parsed.inventory.components) {
        insC.run(id, c.ref, c.name, c.version ?? null, c.purl ?? null, c.type, purlEcosystem(c.purl) ?? null, c.parent ?? null);
      }
      const insD = store.db.prepare('INSERT OR IGNORE INTO sbom_dependencies (sbom_id, ref, depends_on) VALUES (?, ?, ?)');
      for (const d of parsed.inventory.dependencies) for (const t of d.dependsOn) insD.run(id, d.ref, t);
      return record;
    });
    opts.onProgress?.({ phase: 'done', componentCount: result.componentCount });
    return result;
  } catch (e) {
    // Remove blobs this import created unless some committed row now refers to them.
    for (const d of createdBlobs) {
      const referenced = store.db.prepare('SELECT 1 FROM blob_refs WHERE digest = ?').get(d) !== undefined;
      if (!referenced) removeBlob(store, d);
    }
    throw e;
  }
}

function removeBlob(store: Store, digest: Digest): void {
  try {
    // Blob files are read-only (0444); unlinking only needs write permission on the directory.
    store.blobs.discard(digest);
  } catch {
    // best effort: an orphan content-addressed blob is harmless and never listed
  }
}

export function listSboms(store: Store): SbomRecord[] {
  return (store.db.prepare('SELECT * FROM sboms ORDER BY imported_at, id').all() as SbomRow[]).map(toRecord);
}

/** A stored SBOM by id (`sbom_…`), full digest (`sha256:…`) or a unique id/digest-hex prefix. */
export function getSbom(store: Store, idOrDigest: string): { record: SbomRecord; inventory: Inventory; warnings: string[] } | null {
  let row = store.db.prepare('SELECT * FROM sboms WHERE id = ? OR digest = ?').get(idOrDigest, idOrDigest) as SbomRow | undefined;
  if (!row && /^(sbom_)?[0-9a-f]{6,}$/.test(idOrDigest)) {
    const hex = idOrDigest.replace(/^sbom_/, '');
    const rows = store.db.prepare("SELECT * FROM sboms WHERE digest LIKE ? LIMIT 2").all(`sha256:${hex}%`) as SbomRow[];
    if (rows.length === 1) row = rows[0];
  }
  if (!row) return null;
  const inventory = JSON.parse(store.blobs.get(row.inventory_digest as Digest).toString('utf8')) as Inventory;
  const warningsRow = store.db.prepare('SELECT warnings FROM sboms WHERE id = ?').get(row.id) as { warnings: string };
  return { record: toRecord(row), inventory, warnings: JSON.parse(warningsRow.warnings) as string[] };
}

/** Components of stored SBOMs with this canonical purl (for scans, VEX and policy). */
export function findComponentsByPurl(store: Store, purl: string): { sbomId: string; ref: string; name: string; version: string | null; type: string }[] {
  return store.db
    .prepare('SELECT sbom_id AS sbomId, ref, name, version, type FROM sbom_components WHERE purl = ? ORDER BY sbom_id, ref')
    .all(purl) as { sbomId: string; ref: string; name: string; version: string | null; type: string }[];
}
