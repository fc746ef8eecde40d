import type { Migration } from '../migrations';

/** Tables owned by engine/scanner. Append new migrations with the next version; never edit shipped ones. */
export const scannerMigrations: Migration[] = [
  {
    module: 'scanner',
    version: 1,
    description: 'per-layer analysis cache (delta SBOM) keyed by layer blob digest and analyzer set',
    up(db) {
      db.exec(`
        CREATE TABLE scanner_layer_cache (
          layer_digest TEXT NOT NULL,
          analyzer_set TEXT NOT NULL,
          result_blob TEXT NOT NULL,
          diff_id TEXT NOT NULL,
          PRIMARY KEY (layer_digest, analyzer_set)
        ) STRICT;
      `);
    },
  },
];
