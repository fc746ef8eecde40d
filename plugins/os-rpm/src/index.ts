/**
 * os/rpm — RPM packages from the rpm database. Two formats, told apart by content, not by name
 * (files arrive renamed): SQLite (`rpmdb.sqlite`, rpm ≥ 4.16: table Packages(hnum, blob)), the
 * BerkeleyDB hash database (`Packages`, older rpm) and ndb (`Packages.db`, SUSE). Each row/value is an RPM header blob decoded by
 * ./header. Reports what `rpm -qa --qf '%{NAME} %{EPOCH}:%{VERSION}-%{RELEASE}'` reports, with the
 * source package from SOURCERPM and the installed files (BASENAMES/DIRNAMES). A header that cannot be read
 * is a located issue and the other packages are still reported; a package without a VERSION is kept.
 */
import Database from 'better-sqlite3';
import { defineAnalyzer, eachFile, emptyResult, type AnalyzerResult, type PackageRecord } from '../../sdk';
import { isBdbHash, readBdbHashValues } from './bdb';
import { isNdb, readNdbBlobs } from './ndb';
import { parseHeaderBlob, parseSourceRpm, type RpmHeader } from './header';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** Header blobs of a SQLite rpmdb, read from an in-memory copy (never the file on disk). */
export function readSqliteBlobs(bytes: Uint8Array): Uint8Array[] {
  const copy = Buffer.from(bytes);
  // A WAL-mode database cannot be deserialized as-is; mark the copy as a rollback-journal database.
  if (copy.length > 19 && copy[18] === 2 && copy[19] === 2) {
    copy[18] = 1;
    copy[19] = 1;
  }
  const db = new Database(copy, { readonly: true });
  try {
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'Packages'").get();
    if (!table) throw new Error('SQLite database has no Packages table: not an rpmdb');
    return (db.prepare('SELECT blob FROM Packages ORDER BY hnum').all() as { blob: Buffer }[]).map((r) => new Uint8Array(r.blob));
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
  // 2: ndb Packages.db. 3: installed file lists.
  version: 3,
  async analyze(files) {
    const result: AnalyzerResult = emptyResult();
    await eachFile(files, result, async (file) => {
      const bytes = await file.readBytes();
      let blobs: Uint8Array[];
      if (bytes.length >= 16 && Buffer.from(bytes.subarray(0, 16)).equals(SQLITE_MAGIC)) {
        try {
          blobs = readSqliteBlobs(bytes);
        } catch (e) {
          result.issues.push({ path: file.path, severity: 'error', message: `unreadable SQLite rpmdb: ${(e as Error).message}` });
          return;
        }
      } else if (isBdbHash(bytes)) {
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
      const found: PackageRecord[] = [];
      blobs.forEach((blob, i) => {
        let h: RpmHeader;
        try {
          h = parseHeaderBlob(blob);
        } catch (e) {
          result.issues.push({ path: file.path, severity: 'warning', message: `package header #${i + 1}: ${(e as Error).message}; skipped` });
          return;
        }
        // gpg-pubkey entries are keys imported into the database, not installed software.
        if (!h.name || h.name === 'gpg-pubkey') {
          if (!h.name) result.issues.push({ path: file.path, severity: 'warning', message: `package header #${i + 1} has no NAME tag; skipped` });
          return;
        }
        for (const p of h.problems ?? []) result.issues.push({ path: file.path, severity: 'info', message: `package ${h.name} (header #${i + 1}): ${p}; the package is reported without it` });
        found.push(toPackage(h, file.path));
      });
      found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      result.packages.push(...found);
    });
    return result;
  },
});
