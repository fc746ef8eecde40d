import type { Migration } from '../migrations';

/**
 * Tables owned by engine/replay: the replay manifest recorded with a scan (`stella scan --record`), one
 * per scan, append-only (a manifest describes what happened; it is never rewritten). Append new
 * migrations; never edit shipped ones.
 */
export const replayMigrations: Migration[] = [
  {
    module: 'replay',
    version: 1,
    description: 'replay manifests recorded with scans',
    up(db) {
      db.exec(`
        CREATE TABLE replay_manifests (
          scan_id TEXT PRIMARY KEY,
          digest TEXT NOT NULL,
          body TEXT NOT NULL,
          recorded_at TEXT NOT NULL
        ) STRICT;
        CREATE TRIGGER replay_manifests_no_update BEFORE UPDATE ON replay_manifests BEGIN SELECT RAISE(ABORT, 'replay_manifests is append-only'); END;
        CREATE TRIGGER replay_manifests_no_delete BEFORE DELETE ON replay_manifests BEGIN SELECT RAISE(ABORT, 'replay_manifests is append-only'); END;
      `);
    },
  },
];
