import type { Migration } from '../migrations';
import { appendOnly } from './append-only';

/**
 * Tables owned by engine/policy. Append new migrations; never edit shipped ones.
 *
 * - `policy_packs`: imported pack versions. A version is immutable: (name, version) is unique and
 *   names one pack digest (canonical IR + exceptions); its source files are content-addressed blobs
 *   listed in `files` (canonical JSON `[{path, digest, size}]`, sorted by path).
 * - `policy_approvals`: DSSE envelopes, each one workstation key's signature over the pack's approval
 *   statement, with the public key that made it (so an approval verifies after the key is gone).
 * - `policy_activations`: which pack became active when; the newest row is the active pack, and with
 *   no row the shipped `builtin:default` is. Built-in packs are activated by name (`builtin`).
 * - `policy_scan_verdicts`: the verdict of a stored scan under a pack, with the VEX set it saw; the
 *   newest row of a scan is its verdict.
 * All four are append-only.
 */
export const policyMigrations: Migration[] = [
  {
    module: 'policy',
    version: 1,
    description: 'policy pack versions, approvals, activations and scan verdicts',
    up(db) {
      db.exec(`
        CREATE TABLE policy_packs (
          seq INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          version TEXT NOT NULL,
          digest TEXT NOT NULL,
          description TEXT NOT NULL,
          origin TEXT NOT NULL,
          files TEXT NOT NULL,
          imported_at TEXT NOT NULL,
          UNIQUE (name, version)
        ) STRICT;

        CREATE TABLE policy_approvals (
          seq INTEGER PRIMARY KEY,
          pack_seq INTEGER NOT NULL REFERENCES policy_packs(seq),
          key_id TEXT NOT NULL,
          key_name TEXT,
          algorithm TEXT NOT NULL,
          public_key TEXT NOT NULL,
          envelope TEXT NOT NULL,
          approved_at TEXT NOT NULL,
          UNIQUE (pack_seq, key_id)
        ) STRICT;

        CREATE TABLE policy_activations (
          seq INTEGER PRIMARY KEY,
          pack_seq INTEGER REFERENCES policy_packs(seq),
          builtin TEXT,
          name TEXT NOT NULL,
          version TEXT NOT NULL,
          digest TEXT NOT NULL,
          approvals TEXT NOT NULL,
          activated_at TEXT NOT NULL,
          CHECK ((pack_seq IS NULL) <> (builtin IS NULL))
        ) STRICT;

        CREATE TABLE policy_scan_verdicts (
          seq INTEGER PRIMARY KEY,
          scan_id TEXT NOT NULL REFERENCES match_scans(id),
          verdict TEXT NOT NULL,
          pack_name TEXT NOT NULL,
          pack_version TEXT NOT NULL,
          pack_digest TEXT NOT NULL,
          pack_source TEXT NOT NULL,
          evaluation_date TEXT NOT NULL,
          vex_set_digest TEXT NOT NULL,
          counts TEXT NOT NULL,
          rules TEXT NOT NULL,
          evaluated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX policy_scan_verdicts_by_scan ON policy_scan_verdicts(scan_id, seq);
        ${appendOnly('policy_packs')}
        ${appendOnly('policy_approvals')}
        ${appendOnly('policy_activations')}
        ${appendOnly('policy_scan_verdicts')}
      `);
    },
  },
];
