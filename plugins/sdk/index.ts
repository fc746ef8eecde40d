/**
 * plugins/sdk — the only module a Stella plug-in imports. See README.md for how to write, build and
 * test an analyzer. Everything here is plain data and pure functions: the SDK imports nothing from
 * engine/ or app/ (lint-enforced), so a plug-in bundle carries its own copy.
 */
import { type FileSelector } from './selectors';
import { type PurlParts } from './purl';
import { type FileSystemView } from './fs';

export { parseControl, type ControlField, type ControlParagraph, type ControlProblem, type ControlParseResult, type ControlParseOptions } from './control';
export { compileSelector, globToRegExp, selectsPath, type FileSelector, type CompiledSelector } from './selectors';
export { purlToString, normalizePythonName, goModulePurl, type PurlParts } from './purl';
export { RecordCollector } from './collector';
export { validateManifest, type ManifestProblem } from './manifest';
export { normalizeAbsolute, resolveRelated, type FileSystemView, type FsEntry, type FsEntryKind, type FsOpenResult, type FsRefusal, type RelatedFile } from './fs';
export { isObject } from './guards';
export { PLUGIN_LAYOUT, PLUGIN_PREDICATE_TYPE, type PluginPredicate, type PluginSignatureInput, type PluginSignatureCheck, type PluginSignatureRefusal } from './layout';

/** The SDK API version this SDK implements. A host refuses plug-ins that need another one. */
export const SDK_API_VERSION = 1;

export type PluginKind = 'analyzer' | 'connector' | 'exporter' | 'notifier';
export type AnalyzerTarget = 'image' | 'rootfs' | 'file';

export interface PluginRequirements {
  /** Needs network access. Stella is offline: such a plug-in is always refused. */
  network: boolean;
  /** Which targets the analyzer applies to (default: all three). */
  targets?: AnalyzerTarget[];
  /** Largest selected file handed to the analyzer (bytes). Bigger files become a located issue. Default 64 MiB. */
  maxFileBytes?: number;
}

/** `plugin.json`. */
export interface PluginManifest {
  /** Namespaced name: `<namespace>/<name>`, lowercase (`os/dpkg`, `lang/python`). */
  name: string;
  /** Positive integer, bumped whenever results may change; stamped into every result (`os/dpkg@1`). */
  version: number;
  kind: PluginKind;
  /** SDK API version the plug-in was written against (see SDK_API_VERSION). */
  sdkApi: number;
  description?: string;
  requirements: PluginRequirements;
  /** Analyzers: which files the host hands over. */
  selectors: FileSelector[];
  /** Entry module, relative to the plug-in folder (the built, committed `dist/index.mjs`). */
  entry: string;
  /** `sha256:<hex>` of the entry file's bytes; the host refuses the plug-in when it differs. */
  entrySha256: string;
}

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * A read-only handle on one selected file. Paths are absolute inside the image/rootfs
 * (`/var/lib/dpkg/status`). The host admitted the file against the layer's read budget before handing
 * it over (bigger files never arrive: they are located issues); read one file at a time and let go of
 * its bytes before the next, so an analyzer's memory is that of its largest file, not of the layer.
 */
export interface AnalyzerFile {
  readonly path: string;
  readonly size: number;
  /** The file's bytes; yours to keep or change (another analyzer never sees them). */
  readBytes(): Promise<Uint8Array>;
  /** UTF-8 decode (invalid sequences become U+FFFD; a leading BOM is dropped). */
  readText(): Promise<string>;
  /**
   * Bytes [offset, offset + length) of the file (fewer past its end): read an archive's directory and
   * the members you need instead of holding the whole file. Optional — a host may not offer it.
   */
  readRange?(offset: number, length: number): Promise<Uint8Array>;
}

/** A value in or out of SQLite. */
export type SqliteValue = string | number | bigint | Uint8Array | null;
export type SqliteRow = Record<string, SqliteValue>;

/**
 * A SQLite database opened by the host from bytes an analyzer read (an `rpmdb.sqlite`): in memory,
 * read-only, writes and `ATTACH` refused, schema-defined functions untrusted (`trusted_schema=OFF`).
 * The SQL is the analyzer's; the database is the attacker's — check the schema (`PRAGMA table_xinfo`),
 * column types and `length()` of big values before reading rows, and read rows one at a time.
 */
export interface SqliteReadOnlyDatabase {
  /** Every row of one read-only statement (SELECT, PRAGMA …) as objects keyed by column name. */
  all(sql: string, ...params: SqliteValue[]): SqliteRow[];
  /** Rows one at a time, so only one is in memory. */
  iterate(sql: string, ...params: SqliteValue[]): IterableIterator<SqliteRow>;
  close(): void;
}

export interface AnalyzeContext {
  /** `name@version` of the running analyzer (what the host stamps as `foundBy`). */
  readonly foundBy: string;
  readonly target: AnalyzerTarget;
  readonly signal?: AbortSignal;
  /**
   * Open SQLite database bytes read-only (see SqliteReadOnlyDatabase). A host capability, because a
   * plug-in bundle carries no native code: it is imported from its verified bytes, where only Node
   * built-ins resolve. Absent in hosts that cannot offer it (say so in an issue).
   */
  readonly openSqlite?: (bytes: Uint8Array) => SqliteReadOnlyDatabase;
  /**
   * Read-only, budgeted view of the rest of the filesystem, for related files (see ./fs.ts). Every host
   * provides it; it is optional so that an analyzer called directly (a unit test) can run without one.
   */
  readonly fs?: FileSystemView;
}

export type IssueSeverity = 'error' | 'warning' | 'info';

/** A problem with one file: where, what was expected. Partial results stay valid alongside it. */
export interface FileIssue {
  path: string;
  message: string;
  severity: IssueSeverity;
  line?: number;
}

export interface PackageRecord {
  /** Analyzer-unique id within one result (used by relationships), e.g. `bash:amd64`. */
  id: string;
  /** Name as the ecosystem prints it (Debian binary package name, Python `Name:` field). */
  name: string;
  /** Version exactly as the package manager reports it (dpkg: epoch included). */
  version?: string;
  purl: PurlParts;
  /**
   * An OS package (deb/rpm/apk): the host sets the purl namespace to the detected distro id (when
   * known) and adds the `distro=<id>-<versionId>` qualifier, so results stay cacheable per layer.
   */
  distroBound?: boolean;
  /** CycloneDX component type; default `library`. */
  componentType?: 'library' | 'application' | 'framework' | 'operating-system';
  /** Source / upstream package (Debian `Source:`). */
  source?: { name: string; version?: string };
  /** Evidence paths; the FIRST is the file this record was read from (drives layer attribution). */
  locations: string[];
  /** Declared licenses (SPDX expressions or names as written). */
  licenses?: string[];
  /** Extra facts as name/value (`arch`, `installedSize`, …). */
  properties?: Record<string, string>;
  /** Read from a lockfile or manifest (declared), not from an installed-package database. */
  declared?: boolean;
  /** `optional` for dev/test/optional dependency groups, as the lockfile marks them. */
  scope?: 'required' | 'optional' | 'excluded';
  /** Content hashes the source records (npm `integrity`, Cargo `checksum`): CycloneDX algorithm names, lowercase hex. */
  hashes?: { alg: 'MD5' | 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512'; content: string }[];
  /**
   * OS packages: the absolute paths of the files the package manager installed for this package, as its
   * database records them in the same record (apk `R:` lines, rpm file lists). dpkg keeps them in files of
   * their own: see `AnalyzerResult.installedFiles`. The host uses them to tell which language packages an OS
   * package owns.
   */
  files?: string[];
  /**
   * The project itself, as its lockfile or manifest names it (the root package in Syft's convention), not a
   * dependency: reported, marked as root, never matched against advisories.
   */
  root?: boolean;
}

/**
 * Files one OS package installed, read from a list file of its own (dpkg `var/lib/dpkg/info/<pkg>.list`).
 * Kept apart from the package record because the list and the database entry can sit in different layers:
 * the host gives the package the list of the topmost layer where the list file is still visible.
 */
export interface InstalledFiles {
  /** Id of the package record this list belongs to (the same id the analyzer gives that package). */
  package: string;
  /** Absolute path of the list file (drives visibility, like a record's first location). */
  source: string;
  /** Absolute paths installed. */
  paths: string[];
}

export interface Relationship {
  /** Record ids from the same result. */
  from: string;
  to: string;
  type: 'depends-on';
}

export interface AnalyzerResult {
  packages: PackageRecord[];
  relationships: Relationship[];
  issues: FileIssue[];
  /** OS analyzers whose database keeps file lists apart (dpkg). */
  installedFiles?: InstalledFiles[];
}

export interface AnalyzerDefinition {
  /** Must equal the manifest's name and version. */
  readonly name: string;
  readonly version: number;
  /** Given the selected files of one layer (image) or of the whole tree (rootfs / single file). */
  analyze(files: readonly AnalyzerFile[], ctx: AnalyzeContext): Promise<AnalyzerResult>;
}

/** The entry module's default export. Validates identity early so a typo fails at load, not at scan. */
export function defineAnalyzer(def: AnalyzerDefinition): AnalyzerDefinition {
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(def.name)) throw new Error(`analyzer name must be "<namespace>/<name>" in lowercase, got ${JSON.stringify(def.name)}`);
  if (!Number.isInteger(def.version) || def.version < 1) throw new Error(`analyzer ${def.name}: version must be a positive integer`);
  return Object.freeze({ ...def });
}

/** An empty result to build on. */
export function emptyResult(): AnalyzerResult {
  return { packages: [], relationships: [], issues: [] };
}

/**
 * Run `fn` for each file, turning a thrown error into an `error` issue on that file, so that one bad
 * file never costs the results of the others.
 */
export async function eachFile(files: readonly AnalyzerFile[], result: AnalyzerResult, fn: (file: AnalyzerFile) => Promise<void>): Promise<void> {
  for (const f of files) {
    try {
      await fn(f);
    } catch (e) {
      result.issues.push({ path: f.path, severity: 'error', message: `cannot analyze: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
}

/** Split `Name (version)` (Debian `Source:` field) into parts. */
export function parseNameWithVersion(s: string): { name: string; version?: string } {
  const m = /^\s*([^\s(]+)\s*(?:\(\s*([^)\s]+)\s*\))?\s*$/.exec(s);
  if (!m) return { name: s.trim() };
  return m[2] ? { name: m[1] ?? '', version: m[2] } : { name: m[1] ?? '' };
}
