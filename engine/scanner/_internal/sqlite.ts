/**
 * The host's SQLite capability for analyzers (`AnalyzeContext.openSqlite`): database bytes an analyzer
 * read are opened in memory, read-only. Plug-in bundles carry no native code (they are imported from
 * their verified bytes), so the host owns better-sqlite3 and hands out only this narrow interface.
 */
import Database from 'better-sqlite3';
import type { SqliteReadOnlyDatabase, SqliteRow, SqliteValue } from '../../../plugins/sdk';

export function openSqliteReadOnly(bytes: Uint8Array): SqliteReadOnlyDatabase {
  let image = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A WAL-mode database (rpm writes them) cannot be deserialized as it is: mark a copy as a
  // rollback-journal database. The caller's bytes are never changed.
  if (image.length > 19 && image[18] === 2 && image[19] === 2) {
    image = Buffer.from(image);
    image[18] = 1;
    image[19] = 1;
  }
  const db = new Database(image, { readonly: true });
  try {
    // Schema-defined SQL (generated columns, views, triggers) may not call functions with side effects,
    // and nothing may write, even to a temporary table.
    db.pragma('trusted_schema = OFF');
    db.pragma('query_only = ON');
  } catch (e) {
    db.close();
    throw e;
  }
  const prepare = (sql: string) => {
    const st = db.prepare(sql);
    if (!st.readonly) throw new Error(`only read-only statements may run against an analyzed database: ${sql.slice(0, 80)}`);
    return st;
  };
  return {
    all: (sql: string, ...params: SqliteValue[]) => prepare(sql).all(...params) as SqliteRow[],
    iterate: (sql: string, ...params: SqliteValue[]) => prepare(sql).iterate(...params) as IterableIterator<SqliteRow>,
    close: () => db.close(),
  };
}
