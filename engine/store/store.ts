/**
 * The evidence store: one SQLite database (WAL, foreign keys, FULL sync) plus the content-addressed
 * blob store, under one home directory. Within a process there is one writing connection; across
 * processes SQLite's locking (busy timeout + BEGIN IMMEDIATE for writes) serializes writers, and blobs
 * are written by atomic rename, so two processes opening one home cannot corrupt it.
 */
import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, openSync } from 'node:fs';
import { join } from 'node:path';
import { mkdirPrivate, PRIVATE_FILE_MODE } from './atomic';
import { BlobStore } from './blobs';
import { StoreError } from './errors';
import { migrate, type Migration } from './migrations';
import { ALL_MIGRATIONS } from './schema';
import { resolveHome, type HomeOptions } from './home';

export interface OpenStoreOptions extends HomeOptions {
  /** Open without running migrations and without writing (inspection tools). */
  readonly?: boolean;
  /** Override the migration list (tests). */
  migrations?: readonly Migration[];
  /** Stop at these versions per module (tests of upgrades from earlier schemas). */
  targetVersions?: ReadonlyMap<string, number>;
  /** How long a writer waits for another process's lock, ms. */
  busyTimeoutMs?: number;
}

export interface Store {
  readonly home: string;
  readonly db: Database.Database;
  readonly blobs: BlobStore;
  /** Run `fn` in a write transaction (BEGIN IMMEDIATE): all or nothing. */
  write<T>(fn: () => T): T;
  /**
   * Run an async `fn` — a whole job that awaits between its steps — in ONE write transaction: committed
   * when it resolves, rolled back when it throws (a cancelled job leaves the store as it was). `write`
   * calls inside become savepoints. The write lock is held throughout, so other processes' writers wait
   * (busy timeout); within a process, nothing else may use this connection meanwhile (one writer).
   */
  writeAsync<T>(fn: () => Promise<T>): Promise<T>;
  close(): void;
}

export const DB_FILE = 'stella.db';

export function openStore(opts: OpenStoreOptions = {}): Store {
  const home = resolveHome(opts);
  try {
    mkdirPrivate(home);
    accessSync(home, constants.W_OK | constants.R_OK);
    // SQLite creates the database 0644 (less the umask) and gives -wal/-shm the database's mode: create it 0600 first.
    if (!opts.readonly) closeSync(openSync(join(home, DB_FILE), 'a', PRIVATE_FILE_MODE));
  } catch (cause) {
    throw new StoreError('home-unusable', `cannot use ${home} as the Stella home: ${(cause as Error).message}`, { cause, details: { file: home } });
  }
  let db: Database.Database;
  try {
    db = new Database(join(home, DB_FILE), { readonly: opts.readonly ?? false, timeout: opts.busyTimeoutMs ?? 15000 });
  } catch (cause) {
    throw new StoreError('home-unusable', `cannot open the store database in ${home}: ${(cause as Error).message}`, { cause, details: { file: join(home, DB_FILE) } });
  }
  try {
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    if (!opts.readonly) migrate(db, opts.migrations ?? ALL_MIGRATIONS, opts.targetVersions);
  } catch (e) {
    db.close();
    throw e;
  }
  const blobs = new BlobStore(join(home, 'blobs'), db);
  return {
    home,
    db,
    blobs,
    write<T>(fn: () => T): T {
      return db.transaction(fn).immediate();
    },
    async writeAsync<T>(fn: () => Promise<T>): Promise<T> {
      if (db.inTransaction) throw new StoreError('nested-write', 'writeAsync: a write transaction is already open on this connection; jobs do not nest');
      db.exec('BEGIN IMMEDIATE');
      let result: T;
      try {
        result = await fn();
      } catch (e) {
        // A failed statement may already have ended the transaction (SQLite rolls back on some errors).
        if (db.inTransaction) db.exec('ROLLBACK');
        throw e;
      }
      try {
        db.exec('COMMIT');
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw e;
      }
      return result;
    },
    close() {
      if (db.open) db.close();
    },
  };
}
