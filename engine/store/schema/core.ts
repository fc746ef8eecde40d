import type { Migration } from '../migrations';

export const coreMigrations: Migration[] = [
  {
    module: 'core',
    version: 1,
    description: 'store metadata and blob references',
    up(db) {
      db.exec(`
        CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
        CREATE TABLE blob_refs (
          digest TEXT NOT NULL,
          kind TEXT NOT NULL,
          size INTEGER NOT NULL,
          PRIMARY KEY (digest, kind)
        ) STRICT;
      `);
    },
  },
  {
    module: 'core',
    version: 2,
    description: 'database tier of the blob store for batches of small blobs',
    up(db) {
      db.exec('CREATE TABLE blob_small (digest TEXT PRIMARY KEY, bytes BLOB NOT NULL) STRICT, WITHOUT ROWID');
    },
  },
];
