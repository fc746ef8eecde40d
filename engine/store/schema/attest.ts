import type { Migration } from '../migrations';
import { appendOnly } from './append-only';

/**
 * Tables owned by engine/attest: the keystore index (private keys live encrypted in files under
 * `<home>/keys/`), the persisted unlock-failure counters, trust roots, and the embedded transparency
 * log (entries, perfect-subtree hashes, signed checkpoints). Append new migrations; never edit shipped ones.
 */
export const attestMigrations: Migration[] = [
  {
    module: 'attest',
    version: 1,
    description: 'keystore index, unlock failures, trust roots, transparency log',
    up(db) {
      db.exec(`
        CREATE TABLE attest_keys (
          name TEXT PRIMARY KEY,
          key_id TEXT NOT NULL UNIQUE,
          profile TEXT NOT NULL,
          algorithm TEXT NOT NULL,
          public_key TEXT NOT NULL,
          file TEXT NOT NULL,
          is_default INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX attest_keys_one_default ON attest_keys(profile) WHERE is_default = 1;
        CREATE TABLE attest_key_unlock (
          name TEXT PRIMARY KEY,
          failures INTEGER NOT NULL,
          last_failure_ms INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE attest_trust (
          name TEXT PRIMARY KEY,
          kind TEXT NOT NULL,
          purposes TEXT NOT NULL,
          body TEXT NOT NULL,
          digest TEXT NOT NULL,
          key_ids TEXT NOT NULL,
          added_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE attest_log_info (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          origin TEXT NOT NULL,
          public_key TEXT NOT NULL,
          key_id TEXT NOT NULL,
          created_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE attest_log_entries (
          idx INTEGER PRIMARY KEY,
          leaf_hash BLOB NOT NULL UNIQUE,
          kind TEXT NOT NULL,
          api_version TEXT NOT NULL,
          body BLOB NOT NULL,
          integrated_time INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE attest_log_nodes (
          level INTEGER NOT NULL,
          idx INTEGER NOT NULL,
          hash BLOB NOT NULL,
          PRIMARY KEY (level, idx)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE attest_log_checkpoints (
          tree_size INTEGER PRIMARY KEY,
          root_hash BLOB NOT NULL,
          note TEXT NOT NULL
        ) STRICT;
        ${appendOnly('attest_log_info')}
        ${appendOnly('attest_log_entries')}
        ${appendOnly('attest_log_nodes')}
        ${appendOnly('attest_log_checkpoints')}
      `);
    },
  },
];
