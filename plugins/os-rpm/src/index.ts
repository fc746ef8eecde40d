/**
 * os/rpm — RPM packages from the rpm database. Three formats, told apart by content, not by name
 * (files arrive renamed): SQLite (`rpmdb.sqlite`, rpm ≥ 4.16: table Packages(hnum, blob), opened by
 * the host read-only and checked before any row is read — see ./sqlite), the
 * BerkeleyDB hash database (`Packages`, older rpm) and ndb (`Packages.db`, SUSE). Each row/value is an RPM header blob decoded by
 * ./header. Reports what `rpm -qa --qf '%{NAME} %{EPOCH}:%{VERSION}-%{RELEASE}'` reports, with the
 * source package from SOURCERPM and the installed files (BASENAMES/DIRNAMES). A header that cannot be read
 * is a located issue and the other packages are still reported; a package without a VERSION is kept.
 */
import { defineAnalyzer, eachFile, emptyResult, type AnalyzerResult, type PackageRecord, type SqliteReadOnlyDatabase } from '../../sdk';
import { isBdbHash, readBdbHashValues } from './bdb';
import { isNdb, readNdbBlobs } from './ndb';
import { parseHeaderBlob, parseSourceRpm, type RpmHeader } from './header';
import { sqliteHeaderRows } from './sqlite';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** Header blobs of a SQLite rpmdb, through the host's read-only opener (every check of ./sqlite applies). */
export function readSqliteBlobs(bytes: Uint8Array, openSqlite: (bytes: Uint8Array) => SqliteReadOnlyDatabase, skip: (ordinal: number, why: string) => void = () => undefined): Uint8Array[] {
  const db = openSqlite(bytes);
  try {
    return [...sqliteHeaderRows(db, skip)].map((r) => r.blob);
  } finally {
    db.close();
  }
}

export function evr(h: RpmHeader): string {
  return `${h.epoch !== undefined ? `${h.epoch}:` : ''}${h.version ?? ''}-${h.release ?? ''}`;
}

function toPackage(h: RpmHeader, path: string): PackageRecord {
  const name = h.name as string;
  const version = h.version !== undefined && h.release !== undefined ? `${h.version}-${h.release}` : h.version;
  const src = h.sourceRpm ? parseSourceRpm(h.sourceRpm) : undefined;
  const properties: Record<string, string> = {};
  if (h.arch) properties.arch = h.arch;
  if (h.epoch !== undefined) properties.epoch = String(h.epoch);
  if (h.sourceRpm) properties.sourceRpm = h.sourceRpm;
  if (h.vendor) properties.vendor = h.vendor;
  return {
    id: `${name}:${h.arch ?? ''}:${evr(h)}`,
    name,
    version: h.epoch !== undefined && version ? `${h.epoch}:${version}` : version,
    purl: {
      type: 'rpm',
      namespace: 'redhat',
      name,
      version,
      qualifiers: { arch: h.arch, epoch: h.epoch !== undefined ? String(h.epoch) : undefined, upstream: h.sourceRpm },
    },
    distroBound: true,
    source: src ? { name: src.name, version: `${h.epoch !== undefined ? `${h.epoch}:` : ''}${src.version}-${src.release}` } : undefined,
    locations: [path],
    licenses: h.license ? [h.license] : undefined,
    properties,
    ...(h.files?.length ? { files: h.files } : {}),
  };
}

export default defineAnalyzer({
  name: 'os/rpm',
  // 2: ndb Packages.db. 3: SQLite through the host's read-only opener, with schema, type and size checks before any row is read.
  // 4: installed file lists.
  version: 4,
  async analyze(files, ctx) {
    const result: AnalyzerResult = emptyResult();
    await eachFile(files, result, async (file) => {
      const found: PackageRecord[] = [];
      const warn = (ordinal: number, why: string): void => void result.issues.push({ path: file.path, severity: 'warning', message: `package header #${ordinal}: ${why}; skipped` });
      const take = (blob: Uint8Array, ordinal: number): void => {
        let h: RpmHeader;
        try {
          h = parseHeaderBlob(blob);
        } catch (e) {
          return warn(ordinal, (e as Error).message);
        }
        // gpg-pubkey entries are keys imported into the database, not installed software.
        if (!h.name || h.name === 'gpg-pubkey') {
          if (!h.name) result.issues.push({ path: file.path, severity: 'warning', message: `package header #${ordinal} has no NAME tag; skipped` });
          return;
        }
        for (const p of h.problems ?? []) result.issues.push({ path: file.path, severity: 'info', message: `package ${h.name} (header #${ordinal}): ${p}; the package is reported without it` });
        found.push(toPackage(h, file.path));
      };
      const bytes = await file.readBytes();
      if (bytes.length >= 16 && Buffer.from(bytes.buffer, bytes.byteOffset, 16).equals(SQLITE_MAGIC)) {
        if (!ctx.openSqlite) {
          result.issues.push({ path: file.path, severity: 'error', message: 'this host cannot open SQLite databases (no AnalyzeContext.openSqlite); the SQLite rpmdb is not analyzed' });
          return;
        }
        let db: SqliteReadOnlyDatabase | undefined;
        try {
          db = ctx.openSqlite(bytes);
          // One row at a time: a header is parsed and dropped before the next is read.
          for (const row of sqliteHeaderRows(db, warn)) take(row.blob, row.ordinal);
        } catch (e) {
          result.issues.push({ path: file.path, severity: 'error', message: `unreadable SQLite rpmdb: ${(e as Error).message}` });
          return;
        } finally {
          db?.close();
        }
      } else {
        let blobs: Uint8Array[];
        if (isBdbHash(bytes)) {
          try {
            blobs = readBdbHashValues(bytes);
          } catch (e) {
            result.issues.push({ path: file.path, severity: 'error', message: `unreadable BerkeleyDB rpmdb: ${(e as Error).message}` });
            return;
          }
        } else if (isNdb(bytes)) {
          try {
            blobs = readNdbBlobs(bytes);
          } catch (e) {
            result.issues.push({ path: file.path, severity: 'error', message: `unreadable ndb Packages.db: ${(e as Error).message}` });
            return;
          }
        } else {
          result.issues.push({ path: file.path, severity: 'error', message: 'not an rpm database: expected a SQLite rpmdb ("SQLite format 3" header), a BerkeleyDB hash Packages file or an ndb Packages.db ("RpmP" header)' });
          return;
        }
        blobs.forEach((blob, i) => take(blob, i + 1));
      }
      found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      result.packages.push(...found);
    });
    return result;
  },
});
