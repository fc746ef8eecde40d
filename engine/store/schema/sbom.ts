import type { Migration } from '../migrations';

/** Tables owned by engine/sbom. Append new migrations with the next version; never edit shipped ones. */
export const sbomMigrations: Migration[] = [];
