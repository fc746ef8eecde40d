/** The replay manifest recorded with a scan: one row per scan, append-only (engine/store/schema/replay.ts). */
import type { Digest } from '../core';
import type { Store } from '../store';
import { manifestBytes, manifestDigest, readReplayManifest, type ReplayManifest } from './manifest';

/** Store the manifest of a scan (call inside the scan's transaction). Recording the same manifest again is a no-op. */
export function saveRecordedManifest(store: Store, m: ReplayManifest, recordedAt: string): Digest {
  const digest = manifestDigest(m);
  store.write(() => {
    store.db.prepare('INSERT OR IGNORE INTO replay_manifests (scan_id, digest, body, recorded_at) VALUES (?, ?, ?, ?)').run(m.scan.id, digest, manifestBytes(m).toString('utf8'), recordedAt);
  });
  return digest;
}

/** The manifest recorded with a scan, or null when the scan was not recorded. */
export function recordedManifest(store: Store, scanId: string): { manifest: ReplayManifest; digest: Digest; recordedAt: string } | null {
  const row = store.db.prepare('SELECT digest, body, recorded_at FROM replay_manifests WHERE scan_id = ?').get(scanId) as { digest: string; body: string; recorded_at: string } | undefined;
  if (!row) return null;
  return { manifest: readReplayManifest(Buffer.from(row.body, 'utf8'), `recorded replay manifest of ${scanId}`), digest: row.digest as Digest, recordedAt: row.recorded_at };
}
