import type { Migration } from '../migrations';

/**
 * Tables owned by engine/advisories. Append new migrations with the next version; never edit shipped ones.
 *
 * Aggregation-Only Contract: `adv_raw_documents` and every table derived from one revision of a raw
 * document are append-only. Triggers make UPDATE/DELETE fail, and `stella aoc verify` checks that the
 * triggers are still there. "Current" is never stored: the current revision of an identity is the one
 * no later row supersedes, so a snapshot is fully described by the highest raw `seq` it saw.
 */
const APPEND_ONLY_TABLES = ['adv_raw_documents', 'adv_observations', 'adv_ids', 'adv_affected', 'adv_kev', 'adv_epss', 'adv_snapshots'] as const;

export const ADVISORY_APPEND_ONLY_TABLES: readonly string[] = APPEND_ONLY_TABLES;

export const advisoryMigrations: Migration[] = [
  {
    module: 'advisories',
    version: 1,
    description: 'raw advisory documents (AOC), observations, id/alias and affected-package indexes, KEV/EPSS, snapshots',
    up(db) {
      db.exec(`
        CREATE TABLE adv_raw_documents (
          seq INTEGER PRIMARY KEY,
          digest TEXT NOT NULL,
          identity_key TEXT NOT NULL,
          revision INTEGER NOT NULL,
          supersedes_seq INTEGER REFERENCES adv_raw_documents(seq),
          supersedes TEXT,
          source TEXT NOT NULL,
          uri TEXT NOT NULL,
          format TEXT NOT NULL,
          spec_version TEXT,
          size INTEGER NOT NULL,
          imported_at TEXT NOT NULL,
          observation_count INTEGER NOT NULL,
          UNIQUE (identity_key, revision)
        ) STRICT;
        CREATE INDEX adv_raw_by_supersedes ON adv_raw_documents(supersedes_seq);
        CREATE INDEX adv_raw_by_digest ON adv_raw_documents(digest);

        CREATE TABLE adv_observations (
          id TEXT NOT NULL,
          doc_seq INTEGER NOT NULL REFERENCES adv_raw_documents(seq),
          ordinal INTEGER NOT NULL,
          source TEXT NOT NULL,
          advisory_id TEXT NOT NULL,
          withdrawn TEXT,
          body TEXT NOT NULL,
          PRIMARY KEY (doc_seq, ordinal)
        ) STRICT;
        CREATE INDEX adv_obs_by_id ON adv_observations(id);

        -- Every id an observation carries (its own advisory id and each alias), upper-cased for lookup.
        CREATE TABLE adv_ids (
          key TEXT NOT NULL,
          doc_seq INTEGER NOT NULL,
          ordinal INTEGER NOT NULL,
          PRIMARY KEY (key, doc_seq, ordinal)
        ) STRICT, WITHOUT ROWID;

        -- Affected packages keyed by ecosystem family + normalized name, for matching.
        CREATE TABLE adv_affected (
          family TEXT NOT NULL,
          name_key TEXT NOT NULL,
          doc_seq INTEGER NOT NULL,
          ordinal INTEGER NOT NULL,
          pkg_index INTEGER NOT NULL,
          PRIMARY KEY (family, name_key, doc_seq, ordinal, pkg_index)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE adv_kev (
          cve_id TEXT NOT NULL,
          doc_seq INTEGER NOT NULL REFERENCES adv_raw_documents(seq),
          body TEXT NOT NULL,
          PRIMARY KEY (cve_id, doc_seq)
        ) STRICT;

        CREATE TABLE adv_epss (
          cve_id TEXT NOT NULL,
          doc_seq INTEGER NOT NULL REFERENCES adv_raw_documents(seq),
          epss REAL NOT NULL,
          percentile REAL,
          date TEXT,
          PRIMARY KEY (cve_id, doc_seq)
        ) STRICT;

        CREATE TABLE adv_snapshots (
          id TEXT PRIMARY KEY,
          max_seq INTEGER NOT NULL,
          document_count INTEGER NOT NULL,
          created_at TEXT NOT NULL
        ) STRICT;
      `);
      for (const t of APPEND_ONLY_TABLES) {
        db.exec(`
          CREATE TRIGGER ${t}_no_update BEFORE UPDATE ON ${t} BEGIN SELECT RAISE(ABORT, 'AOC: ${t} is append-only (UPDATE refused)'); END;
          CREATE TRIGGER ${t}_no_delete BEFORE DELETE ON ${t} BEGIN SELECT RAISE(ABORT, 'AOC: ${t} is append-only (DELETE refused)'); END;
        `);
      }
    },
  },
];
