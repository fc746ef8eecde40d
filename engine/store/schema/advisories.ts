import type { Migration } from '../migrations';

/** Tables owned by engine/advisories. Append new migrations with the next version; never edit shipped ones. */
export const advisoryMigrations: Migration[] = [];
