/** Reading raw documents back: provenance rows and their byte-exact content from the blob store. */
import { assertDigest } from '../core';
import type { Store } from '../store';
import { AdvisoryError } from './errors';

export interface RawDocumentRow {
  seq: number;
  digest: string;
  identityKey: string;
  revision: number;
  supersedes: string | null;
  source: string;
  uri: string;
  format: string;
  specVersion: string | null;
  size: number;
  importedAt: string;
  observationCount: number;
}

/** Every stored revision with this digest (usually one), oldest first; throws not-found. */
export function getRawDocument(store: Store, digest: string): RawDocumentRow[] {
  const rows = store.db
    .prepare(
      `SELECT seq, digest, identity_key AS identityKey, revision, supersedes, source, uri, format, spec_version AS specVersion, size,
              imported_at AS importedAt, observation_count AS observationCount
       FROM adv_raw_documents WHERE digest = ? ORDER BY seq`,
    )
    .all(digest) as RawDocumentRow[];
  if (!rows.length) throw new AdvisoryError('not-found', `no raw advisory document ${digest} is stored`, { details: { path: 'digest', expected: 'the digest of a stored raw document' } });
  return rows;
}

/** The raw bytes, byte-exact; a corrupt blob throws StoreError('blob-corrupt'). */
export function readRawDocument(store: Store, digest: string): Buffer {
  getRawDocument(store, digest);
  return store.blobs.get(assertDigest(digest, 'raw document digest'));
}
