/**
 * The SQLite rpmdb (`rpmdb.sqlite`, rpm ≥ 4.16): `Packages(hnum INTEGER PRIMARY KEY AUTOINCREMENT,
 * blob BLOB NOT NULL)`, one RPM header blob per row. The database is an attacker's file and the rows are
 * read with SQL, so nothing is read before it is known to be safe:
 * 1. `Packages` must be an ordinary rowid table (not a view, not a virtual table, not WITHOUT ROWID);
 * 2. `PRAGMA table_xinfo`: no hidden or generated column at all (a generated `zeroblob(300000000)`
 *    would materialize 300 MB per row from an 8 KiB file), `hnum` declared INTEGER, `blob` BLOB;
 * 3. per row, `typeof()` and `length()` — answered from the record header, without reading the value —
 *    must say an integer `hnum` and a blob of at most `maxHeaderBytes`; other rows are skipped with a
 *    located warning;
 * 4. only then are the admitted rows read, one at a time, by rowid.
 */
import type { SqliteReadOnlyDatabase, SqliteValue } from '../../sdk';

export interface RpmdbSqliteLimits {
  /** Largest header blob read (rpm's own headers are kilobytes; a few reach a few megabytes). */
  maxHeaderBytes: number;
  /** Most rows listed. */
  maxRows: number;
}

export const RPMDB_SQLITE_LIMITS: Readonly<RpmdbSqliteLimits> = Object.freeze({ maxHeaderBytes: 16 * 1024 * 1024, maxRows: 200_000 });

export class RpmdbSqliteError extends Error {}

const HIDDEN_KIND: Record<number, string> = { 1: 'a hidden column', 2: 'a generated (VIRTUAL) column', 3: 'a generated (STORED) column' };

/** Refuses anything but rpm's own table shape (see the module comment); throws RpmdbSqliteError. */
export function checkPackagesTable(db: SqliteReadOnlyDatabase): void {
  const master = db.all("SELECT type, sql FROM sqlite_master WHERE lower(name) = 'packages'");
  const entry = master[0];
  if (!entry) throw new RpmdbSqliteError('SQLite database has no Packages table: not an rpmdb');
  if (entry.type !== 'table') throw new RpmdbSqliteError(`"Packages" is a ${String(entry.type)}, not a table; refused (expected rpm's Packages(hnum INTEGER, blob BLOB) table)`);
  const sql = typeof entry.sql === 'string' ? entry.sql : '';
  if (/^\s*CREATE\s+VIRTUAL\b/i.test(sql)) throw new RpmdbSqliteError('"Packages" is a virtual table; refused (expected an ordinary table)');
  if (/\bWITHOUT\s+ROWID\b/i.test(sql)) throw new RpmdbSqliteError('"Packages" is a WITHOUT ROWID table; refused (expected an ordinary rowid table)');
  const columns = db.all('PRAGMA table_xinfo("Packages")');
  for (const c of columns) {
    const hidden = Number(c.hidden ?? 0);
    if (hidden !== 0) {
      throw new RpmdbSqliteError(`column "${String(c.name)}" of Packages is ${HIDDEN_KIND[hidden] ?? `hidden (kind ${hidden})`}; refused (reading it would evaluate SQL stored in the database)`);
    }
  }
  const declared = (name: string): string | undefined => {
    const c = columns.find((x) => typeof x.name === 'string' && x.name.toLowerCase() === name);
    return c ? String(c.type ?? '').toUpperCase() : undefined;
  };
  const hnum = declared('hnum');
  const blob = declared('blob');
  if (hnum !== 'INTEGER' || blob !== 'BLOB') {
    throw new RpmdbSqliteError(`Packages has columns ${columns.map((c) => `${String(c.name)} ${String(c.type)}`).join(', ')}; refused (expected hnum INTEGER, blob BLOB)`);
  }
}

export interface HeaderRow {
  /** 1-based position in hnum order (what issues call "package header #n"). */
  ordinal: number;
  hnum: number;
  blob: Uint8Array;
}

/**
 * The header blobs of a SQLite rpmdb, one at a time, after every check above; rows that fail a check
 * are reported through `skip` and not read.
 */
export function* sqliteHeaderRows(db: SqliteReadOnlyDatabase, skip: (ordinal: number, why: string) => void, limits: RpmdbSqliteLimits = RPMDB_SQLITE_LIMITS): Generator<HeaderRow> {
  checkPackagesTable(db);
  const listed = db.all(`SELECT rowid AS rid, hnum, typeof(hnum) AS hnumType, typeof(blob) AS blobType, length(blob) AS size FROM Packages ORDER BY hnum, rowid LIMIT ${limits.maxRows + 1}`);
  if (listed.length > limits.maxRows) throw new RpmdbSqliteError(`Packages has more than ${limits.maxRows} rows (RPMDB_SQLITE_LIMITS.maxRows); refused`);
  const admitted: { ordinal: number; rid: SqliteValue; hnum: number }[] = [];
  listed.forEach((r, i) => {
    const ordinal = i + 1;
    if (r.hnumType !== 'integer') return skip(ordinal, `hnum is ${String(r.hnumType)}, expected an integer`);
    if (r.blobType !== 'blob') return skip(ordinal, `blob is ${String(r.blobType)}, expected a blob`);
    const size = Number(r.size);
    if (size > limits.maxHeaderBytes) return skip(ordinal, `header blob is ${size} bytes, over the ${limits.maxHeaderBytes}-byte limit (RPMDB_SQLITE_LIMITS.maxHeaderBytes); not read`);
    admitted.push({ ordinal, rid: r.rid ?? null, hnum: Number(r.hnum) });
  });
  for (const a of admitted) {
    const row = db.all('SELECT blob FROM Packages WHERE rowid = ?', a.rid)[0];
    const blob = row?.blob;
    if (!(blob instanceof Uint8Array)) {
      skip(a.ordinal, 'the row changed between listing and reading');
      continue;
    }
    yield { ordinal: a.ordinal, hnum: a.hnum, blob };
  }
}
