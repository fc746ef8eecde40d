/**
 * Versioned, forward-only schema migrations. Each engine module owns a numbered list of migrations
 * (`schema/<module>.ts`); the store applies the missing ones in order, each in its own
 * `BEGIN IMMEDIATE` transaction so two processes opening one home serialize instead of racing.
 */
import type Database from 'better-sqlite3';
import { StoreError } from './errors';

export interface Migration {
  /** Module that owns the tables (`sbom`, `advisories`, …). */
  module: string;
  /** 1, 2, 3 … without gaps. */
  version: number;
  description: string;
  up(db: Database.Database): void;
}

export function ensureMigrationTable(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    module TEXT NOT NULL,
    version INTEGER NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (module, version)
  ) STRICT`);
}

export function appliedVersions(db: Database.Database): Map<string, number> {
  const rows = db.prepare('SELECT module, MAX(version) AS v FROM schema_migrations GROUP BY module').all() as { module: string; v: number }[];
  return new Map(rows.map((r) => [r.module, r.v]));
}

function checkSequence(migrations: readonly Migration[]): Map<string, Migration[]> {
  const byModule = new Map<string, Migration[]>();
  for (const m of migrations) {
    const list = byModule.get(m.module) ?? [];
    list.push(m);
    byModule.set(m.module, list);
  }
  for (const [module, list] of byModule) {
    list.sort((a, b) => a.version - b.version);
    list.forEach((m, i) => {
      if (m.version !== i + 1) throw new StoreError('migration-failed', `migrations of module ${module} must be numbered 1..n without gaps; found ${m.version} at position ${i + 1}`);
    });
  }
  return byModule;
}

/**
 * Apply every migration not yet applied, optionally stopping at `target` versions per module
 * (used by tests that start from an earlier schema).
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], target?: ReadonlyMap<string, number>): { applied: string[] } {
  ensureMigrationTable(db);
  const byModule = checkSequence(migrations);
  const applied: string[] = [];
  // Refuse a store written by a newer version of the app: forward-only means we cannot read it safely.
  for (const [module, v] of appliedVersions(db)) {
    const known = byModule.get(module)?.length ?? 0;
    if (v > known) {
      throw new StoreError('schema-too-new', `the store's ${module} schema is at version ${v} but this build knows only up to ${known}; use a newer Stella`, { details: { module, version: v, known } });
    }
  }
  for (const module of [...byModule.keys()].sort()) {
    const list = byModule.get(module) ?? [];
    const stop = target?.get(module) ?? list.length;
    for (const m of list) {
      if (m.version > stop) break;
      const run = db.transaction(() => {
        const have = (db.prepare('SELECT 1 FROM schema_migrations WHERE module = ? AND version = ?').get(module, m.version) as unknown) !== undefined;
        if (have) return false;
        m.up(db);
        db.prepare('INSERT INTO schema_migrations (module, version, description) VALUES (?, ?, ?)').run(module, m.version, m.description);
        return true;
      });
      try {
        if (run.immediate()) applied.push(`${module}@${m.version}`);
      } catch (cause) {
        if (cause instanceof StoreError) throw cause;
        throw new StoreError('migration-failed', `migration ${module}@${m.version} (${m.description}) failed: ${(cause as Error).message}`, { cause });
      }
    }
  }
  return { applied };
}
