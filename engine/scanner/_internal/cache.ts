/**
 * Delta-SBOM layer cache: a layer's scan (index + analyzer results) stored as a canonical-JSON blob,
 * keyed by (layer blob digest, analyzer-set fingerprint). The caller reuses an entry only after the
 * layer's bytes have been re-hashed to that digest — never on a manifest's word.
 */
import { canonicalJson, sha256Hex, type Digest } from '../../core';
import type { Store } from '../../store';
import type { LayerScan, ScanLimits } from './types';

/**
 * Bumped whenever the host's own layer walk changes what a layer scan holds (issues, admitted files),
 * so results of an older host are never reused.
 */
export const LAYER_SCAN_VERSION = 2;

/**
 * The analyzer-set part of a cache key: the plug-in fingerprint (which includes every entry digest),
 * the limits (a different budget admits different files) and the layer-walk version.
 */
export function analyzerSetKey(pluginFingerprint: string, limits: ScanLimits): string {
  // Only the limits that change results; where bytes wait (memory or spool) and concurrency do not.
  const { maxFileBytes, maxSelectedBytes, maxLayerBytes, maxEntries, maxCompressionRatio, ratioCheckAfterBytes } = limits;
  const key = canonicalJson({ maxFileBytes, maxSelectedBytes, maxLayerBytes, maxEntries, maxCompressionRatio, ratioCheckAfterBytes });
  return `${pluginFingerprint};limits:${sha256Hex(key).slice(0, 16)};walk${LAYER_SCAN_VERSION}`;
}

export class LayerCache {
  constructor(private readonly store: Store) {}

  get(layerDigest: string, fingerprint: string): LayerScan | undefined {
    const row = this.store.db.prepare('SELECT result_blob FROM scanner_layer_cache WHERE layer_digest = ? AND analyzer_set = ?').get(layerDigest, fingerprint) as
      | { result_blob: string }
      | undefined;
    if (!row) return undefined;
    try {
      const scan = JSON.parse(this.store.blobs.get(row.result_blob as Digest).toString('utf8')) as LayerScan;
      return scan.complete ? scan : undefined;
    } catch {
      // A missing or corrupt blob is a cache miss: the layer is simply analyzed again.
      return undefined;
    }
  }

  put(layerDigest: string, fingerprint: string, scan: LayerScan): void {
    if (!scan.complete || !scan.diffId) return;
    const blob = this.store.blobs.put(canonicalJson(scan));
    this.store.write(() => {
      this.store.db
        .prepare('INSERT OR REPLACE INTO scanner_layer_cache (layer_digest, analyzer_set, result_blob, diff_id) VALUES (?, ?, ?, ?)')
        .run(layerDigest, fingerprint, blob, scan.diffId as string);
      this.store.db.prepare('INSERT OR IGNORE INTO blob_refs (digest, kind, size) VALUES (?, ?, ?)').run(blob, 'scanner-layer', this.store.blobs.size(blob));
    });
  }
}
