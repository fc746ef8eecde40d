import type { Migration } from '../migrations';

/** Tables owned by engine/scanner. Append new migrations with the next version; never edit shipped ones. */
export const scannerMigrations: Migration[] = [];
