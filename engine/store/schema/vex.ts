import type { Migration } from '../migrations';

/**
 * Tables owned by engine/vex. Append new migrations with the next version; never edit shipped ones.
 *
 * Aggregation-Only Contract, as for advisories: `vex_raw_documents` keeps the provenance of every
 * imported VEX document (its bytes are in the blob store, byte-exact), and `vex_statements` /
 * `vex_ids` / `vex_products` are derived from one revision of one raw document and never change. All
 * four are append-only (triggers refuse UPDATE/DELETE; `stella aoc verify` checks the triggers).
 * "Current" is never stored: the current revision of an identity is computed when read.
 *
 * `vex_trust` and `vex_settings` are settings (issuer trust, the workstation's triage identity), not
 * evidence: they may be changed and are read at consensus time, so no trust judgement is ever frozen
 * into stored statements.
 */
const APPEND_ONLY_TABLES = ['vex_raw_documents', 'vex_statements', 'vex_ids', 'vex_products'] as const;

export const VEX_APPEND_ONLY_TABLES: readonly string[] = APPEND_ONLY_TABLES;

export const vexMigrations: Migration[] = [
  {
    module: 'vex',
    version: 1,
    description: 'raw VEX documents (AOC), normalized statements, vulnerability-id and product indexes, issuer trust, settings',
    up(db) {
      db.exec(`
        CREATE TABLE vex_raw_documents (
          seq INTEGER PRIMARY KEY,
          digest TEXT NOT NULL,
          identity_key TEXT NOT NULL,
          revision INTEGER NOT NULL,
          supersedes_seq INTEGER REFERENCES vex_raw_documents(seq),
          supersedes TEXT,
          source TEXT NOT NULL,
          uri TEXT NOT NULL,
          format TEXT NOT NULL,
          spec_version TEXT,
          doc_version TEXT,
          issuer TEXT NOT NULL,
          size INTEGER NOT NULL,
          imported_at TEXT NOT NULL,
          statement_count INTEGER NOT NULL,
          UNIQUE (identity_key, revision)
        ) STRICT;
        CREATE INDEX vex_raw_by_supersedes ON vex_raw_documents(supersedes_seq);
        CREATE INDEX vex_raw_by_digest ON vex_raw_documents(digest);
        CREATE INDEX vex_raw_by_identity ON vex_raw_documents(identity_key, revision);

        CREATE TABLE vex_statements (
          id TEXT NOT NULL,
          doc_seq INTEGER NOT NULL REFERENCES vex_raw_documents(seq),
          ordinal INTEGER NOT NULL,
          vulnerability_id TEXT NOT NULL,
          status TEXT NOT NULL,
          body TEXT NOT NULL,
          PRIMARY KEY (doc_seq, ordinal)
        ) STRICT;
        CREATE INDEX vex_statements_by_id ON vex_statements(id);

        -- Every vulnerability id a statement carries (its own and the document's aliases), upper-cased.
        CREATE TABLE vex_ids (
          key TEXT NOT NULL,
          doc_seq INTEGER NOT NULL,
          ordinal INTEGER NOT NULL,
          PRIMARY KEY (key, doc_seq, ordinal)
        ) STRICT, WITHOUT ROWID;

        -- Product match keys (versionless purl, bom-ref, CPE vendor:product) of each statement.
        CREATE TABLE vex_products (
          key TEXT NOT NULL,
          doc_seq INTEGER NOT NULL,
          ordinal INTEGER NOT NULL,
          PRIMARY KEY (key, doc_seq, ordinal)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE vex_trust (
          subject TEXT PRIMARY KEY,
          class TEXT,
          tier INTEGER,
          weight REAL,
          updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE vex_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
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
