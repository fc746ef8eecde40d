import type { Migration } from '../migrations';

/** Tables owned by engine/sbom. Append new migrations with the next version; never edit shipped ones. */
export const sbomMigrations: Migration[] = [
  {
    module: 'sbom',
    version: 1,
    description: 'imported SBOMs, their components (queryable by purl) and dependency edges',
    up(db) {
      db.exec(`
        CREATE TABLE sboms (
          id TEXT PRIMARY KEY,
          digest TEXT NOT NULL UNIQUE,
          format TEXT NOT NULL,
          spec_version TEXT NOT NULL,
          name TEXT NOT NULL,
          size INTEGER NOT NULL,
          component_count INTEGER NOT NULL,
          dependency_count INTEGER NOT NULL,
          inventory_digest TEXT NOT NULL,
          warnings TEXT NOT NULL,
          imported_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX sboms_imported_at ON sboms (imported_at, id);
        CREATE TABLE sbom_components (
          sbom_id TEXT NOT NULL REFERENCES sboms (id) ON DELETE CASCADE,
          ref TEXT NOT NULL,
          name TEXT NOT NULL,
          version TEXT,
          purl TEXT,
          type TEXT NOT NULL,
          ecosystem TEXT,
          parent TEXT,
          PRIMARY KEY (sbom_id, ref)
        ) STRICT;
        CREATE INDEX sbom_components_purl ON sbom_components (purl);
        CREATE INDEX sbom_components_ecosystem_name ON sbom_components (ecosystem, name);
        CREATE TABLE sbom_dependencies (
          sbom_id TEXT NOT NULL REFERENCES sboms (id) ON DELETE CASCADE,
          ref TEXT NOT NULL,
          depends_on TEXT NOT NULL,
          PRIMARY KEY (sbom_id, ref, depends_on)
        ) STRICT;
      `);
    },
  },
];
