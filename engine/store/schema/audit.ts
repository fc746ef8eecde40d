import type { Migration } from '../migrations';

/**
 * Tables owned by engine/audit: the hash-chained, signed audit trail and the public keys that signed
 * it. Both are append-only (triggers refuse UPDATE and DELETE). Append new migrations; never edit shipped ones.
 */
export const auditMigrations: Migration[] = [
  {
    module: 'audit',
    version: 1,
    description: 'hash-chained signed audit entries and their signing keys',
    up(db) {
      db.exec(`
        CREATE TABLE audit_keys (
          key_id TEXT PRIMARY KEY,
          algorithm TEXT NOT NULL,
          public_key TEXT NOT NULL,
          added_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE audit_entries (
          seq INTEGER PRIMARY KEY,
          at TEXT NOT NULL,
          kind TEXT NOT NULL,
          subject TEXT NOT NULL,
          details TEXT NOT NULL,
          prev_hash TEXT NOT NULL,
          entry_hash TEXT NOT NULL UNIQUE,
          key_id TEXT NOT NULL,
          signature TEXT NOT NULL
        ) STRICT;
        CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;
        CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;
        CREATE TRIGGER audit_keys_no_update BEFORE UPDATE ON audit_keys BEGIN SELECT RAISE(ABORT, 'audit_keys is append-only'); END;
        CREATE TRIGGER audit_keys_no_delete BEFORE DELETE ON audit_keys BEGIN SELECT RAISE(ABORT, 'audit_keys is append-only'); END;
      `);
    },
  },
];
