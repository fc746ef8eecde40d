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
  {
    module: 'core',
    version: 3,
    description: 'database tier of the blob store as a rowid table (blobs appended, only the digest index is random)',
    up(db) {
      // A WITHOUT ROWID table keeps each row (up to 256 KB of bytes) inside the B-tree ordered by digest,
      // so every insert of a random digest splits and rewrites pages full of blob bytes: inserting 40,000
      // 3 KB blobs cost 2.5× the CPU of a rowid table, where the bytes are appended and only the small
      // digest index is random (measured for issue 14). Same columns, same constraint, same name.
      db.exec(`
        CREATE TABLE blob_small_v3 (digest TEXT PRIMARY KEY, bytes BLOB NOT NULL) STRICT;
        INSERT INTO blob_small_v3 (digest, bytes) SELECT digest, bytes FROM blob_small ORDER BY digest;
        DROP TABLE blob_small;
        ALTER TABLE blob_small_v3 RENAME TO blob_small;
      `);
    },
  },
];
