import type { Migration } from '../migrations';

/**
 * Tables owned by engine/export's offline kits and mirror bundles. Append new migrations with the next
 * version; never edit shipped ones.
 *
 * `kit_activations` is the history of every kit or mirror bundle this workstation activated (the active
 * one of a channel is its newest row) and `kit_files` the plug-in and policy-pack files each delivered
 * (their bytes are blobs). `kit_mirror_snapshots` numbers the feed snapshots this workstation wrote
 * into mirror bundles (the generation). All three are append-only: history is evidence. `kit_settings`
 * holds settings (the stale-feed threshold).
 */
const APPEND_ONLY_TABLES = ['kit_activations', 'kit_files', 'kit_mirror_snapshots'] as const;

export const KIT_APPEND_ONLY_TABLES: readonly string[] = APPEND_ONLY_TABLES;

export const kitMigrations: Migration[] = [
  {
    module: 'kits',
    version: 1,
    description: 'offline kit and mirror bundle activations, the files they delivered, mirror generations, settings',
    up(db) {
      db.exec(`
        CREATE TABLE kit_activations (
          seq INTEGER PRIMARY KEY,
          channel TEXT NOT NULL,
          kind TEXT NOT NULL,
          version TEXT NOT NULL,
          generation INTEGER,
          kit_digest TEXT NOT NULL,
          manifest_digest TEXT NOT NULL,
          producer_key_id TEXT NOT NULL,
          feed_date TEXT NOT NULL,
          advisory_snapshot TEXT,
          vex_snapshot TEXT,
          forced INTEGER NOT NULL,
          force_reason TEXT,
          activated_at TEXT NOT NULL,
          manifest TEXT NOT NULL
        ) STRICT;
        CREATE INDEX kit_activations_by_channel ON kit_activations(channel, seq);

        CREATE TABLE kit_files (
          activation_seq INTEGER NOT NULL REFERENCES kit_activations(seq),
          kind TEXT NOT NULL,
          name TEXT NOT NULL,
          path TEXT NOT NULL,
          digest TEXT NOT NULL,
          size INTEGER NOT NULL,
          mode INTEGER NOT NULL,
          PRIMARY KEY (activation_seq, kind, name, path)
        ) STRICT;

        CREATE TABLE kit_mirror_snapshots (
          generation INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          advisory_snapshot TEXT,
          advisory_max_seq INTEGER NOT NULL,
          vex_snapshot TEXT,
          vex_max_seq INTEGER NOT NULL,
          feed_date TEXT NOT NULL
        ) STRICT;

        CREATE TABLE kit_settings (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;
      `);
      for (const t of APPEND_ONLY_TABLES) {
        db.exec(`
          CREATE TRIGGER ${t}_no_update BEFORE UPDATE ON ${t} BEGIN SELECT RAISE(ABORT, '${t} is append-only (UPDATE refused)'); END;
          CREATE TRIGGER ${t}_no_delete BEFORE DELETE ON ${t} BEGIN SELECT RAISE(ABORT, '${t} is append-only (DELETE refused)'); END;
        `);
      }
    },
  },
];
