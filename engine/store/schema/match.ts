import type { Migration } from '../migrations';

/** Tables owned by engine/match (stored scans and their findings). Append new migrations; never edit shipped ones. */
export const matchMigrations: Migration[] = [
  {
    module: 'match',
    version: 1,
    description: 'stored scans (subject, snapshot used, summary) and their findings',
    up(db) {
      db.exec(`
        CREATE TABLE match_scans (
          id TEXT PRIMARY KEY,
          subject TEXT NOT NULL,
          sbom_id TEXT,
          snapshot_id TEXT NOT NULL,
          created_at TEXT NOT NULL,
          options TEXT NOT NULL,
          summary TEXT NOT NULL,
          component_count INTEGER NOT NULL,
          finding_count INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE match_findings (
          scan_id TEXT NOT NULL REFERENCES match_scans(id),
          finding_id TEXT NOT NULL,
          vulnerability_id TEXT NOT NULL,
          level TEXT NOT NULL,
          body TEXT NOT NULL,
          PRIMARY KEY (scan_id, finding_id)
        ) STRICT;
      `);
    },
  },
];
