/**
 * Every module's migrations, in one list. Each module owns its own file; add a migration by appending
 * to that file's array with the next version number — never edit a migration that has shipped.
 */
import type { Migration } from '../migrations';
import { coreMigrations } from './core';
import { sbomMigrations } from './sbom';
import { advisoryMigrations } from './advisories';
import { scannerMigrations } from './scanner';
import { matchMigrations } from './match';
import { vexMigrations } from './vex';
import { attestMigrations } from './attest';
import { auditMigrations } from './audit';
import { kitMigrations } from './kits';
import { notifyMigrations } from './notify';
import { policyMigrations } from './policy';
import { replayMigrations } from './replay';

export const ALL_MIGRATIONS: readonly Migration[] = [...coreMigrations, ...sbomMigrations, ...advisoryMigrations, ...scannerMigrations, ...matchMigrations, ...vexMigrations, ...attestMigrations, ...auditMigrations, ...policyMigrations, ...replayMigrations, ...kitMigrations, ...notifyMigrations];
