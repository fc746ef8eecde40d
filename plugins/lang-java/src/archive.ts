/**
 * Java archives (jar, war, ear, par, sar, jpi, hpi; installed). For each archive, nested ones included:
 * 1. every `META-INF/maven/<group>/<artifact>/pom.properties` is a package (authoritative coordinates;
 *    a shaded/uber jar carries several, all of them real code);
 * 2. else — or also, when the file name is `artifact-version.ext` and no pom.properties names that
 *    artifact (a shaded jar that embeds others' pom.properties but not its own) — the file name and `META-INF/MANIFEST.MF` give one package, in syft's order: artifactId and
 *    version from a `name-version.jar` file name when it has that shape (build tools copy
 *    `artifactId-version.jar` into WEB-INF/lib; manifest titles are often prose and manifest versions
 *    decorated or OSGi-qualified), else Short-Name (Jenkins) / Implementation-Title / Bundle-SymbolicName
 *    and the first word of Implementation-Version / Plugin-Version / Bundle-Version; the group from a
 *    Maven/Gradle repository layout of the path, else Group-Id (Jenkins), else Implementation-Vendor-Id,
 *    else artifactId as a flagged guess. `properties.*From` say which source won; the raw manifest values are kept.
 * Nested archives (`WEB-INF/lib/*.jar`, `BOOT-INF/lib/*.jar`, `lib/*.jar`, wars in ears, …) are read
 * from memory up to MAX_DEPTH levels. Their packages keep the outer file first in `locations` (the host
 * attributes records by the real file) and add `outer.war!/WEB-INF/lib/inner.jar`.
 *
 * Hostile input: entry names are validated (no absolute paths, `..`, backslashes or NUL); declared and
 * actual uncompressed sizes are capped per member and per outer file (zip bombs become a located
 * issue); entry count is capped; a corrupt archive keeps what was read before the damage.
 */
import { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { AnalyzerResult, PackageRecord } from '../../sdk';
import { GUESSED_GROUP, makeRecord, type Coordinates } from './coords';
import { parseManifest, parsePomPropertiesFile } from './properties';

export const ARCHIVE_EXTENSIONS = ['jar', 'war', 'ear', 'par', 'sar', 'jpi', 'hpi'];
const ARCHIVE_RE = new RegExp(`\\.(${ARCHIVE_EXTENSIONS.join('|')})$`, 'i');

export interface ArchiveLimits {
  /** Nesting levels below the file itself that are opened. */
  maxDepth: number;
  /** Largest metadata member read (pom.properties, MANIFEST.MF). */
  maxMetadataBytes: number;
  /** Largest nested archive read into memory. */
  maxNestedBytes: number;
  /** Total uncompressed bytes read per outer file, all levels together. */
  maxTotalBytes: number;
  /** Entries listed per archive. */
  maxEntries: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxDepth: 4,
  maxMetadataBytes: 1024 * 1024,
  maxNestedBytes: 64 * 1024 * 1024,
  // With the outer file (≤ the host's 256 MiB per-file limit) this bounds what one archive costs in memory.
  maxTotalBytes: 128 * 1024 * 1024,
  maxEntries: 200_000,
};

export function isArchiveName(name: string): boolean {
  return ARCHIVE_RE.test(name);
}

const POM_PROPERTIES_RE = /^META-INF\/maven\/([^/]+)\/([^/]+)\/pom\.properties$/;

/** `name-version.ext` → parts; the version starts at the first `-` followed by a digit. */
export function splitArchiveFileName(base: string): { name: string; version?: string } {
  const stem = base.replace(ARCHIVE_RE, '');
  const m = /^(.+?)-(\d[^/]*)$/.exec(stem);
  return m?.[1] && m[2] ? { name: m[1], version: m[2] } : { name: stem };
}

/**
 * The groupId a repository layout records in the path of a top-level file: a Maven local repository
 * (`…/repository/<g>/<r>/<o>/<artifact>/<version>/<artifact>-<version>[-classifier].jar`) or Gradle's
 * cache (`…/files-2.1/<group>/<artifact>/<version>/<sha1>/<file>`).
 */
export function groupFromRepositoryPath(path: string, artifactId: string, version: string): string | undefined {
  const segs = path.split('/');
  const n = segs.length;
  const base = segs[n - 1] ?? '';
  if (!base.startsWith(`${artifactId}-${version}`)) return undefined;
  if (segs[n - 2] === version && segs[n - 3] === artifactId) {
    const root = segs.lastIndexOf('repository', n - 4);
    if (root >= 0 && root < n - 4) return segs.slice(root + 1, n - 3).join('.');
  }
  if (segs[n - 3] === version && segs[n - 4] === artifactId && segs[n - 6] === 'files-2.1' && /^[0-9a-f]{16,40}$/.test(segs[n - 2] ?? '')) return segs[n - 5];
  return undefined;
}

class ZipProblem extends Error {}

/** An archive read by ranges from the host (the outer file): only its directory and the members used are read. */
export interface RangeSource {
  size: number;
  readRange(offset: number, length: number): Promise<Uint8Array>;
}

const RANGE_CHUNK = 1024 * 1024;

/** yauzl's random-access reader over a RangeSource, in chunks of at most 1 MiB. */
class HostRangeReader extends yauzl.RandomAccessReader {
  constructor(private readonly source: RangeSource) {
    super();
  }
  override _readStreamForRange(start: number, end: number): Readable {
    const source = this.source;
    return Readable.from(
      (async function* (): AsyncGenerator<Buffer> {
        for (let at = start; at < end; ) {
          const got = await source.readRange(at, Math.min(RANGE_CHUNK, end - at));
          if (got.length === 0) throw new Error(`the file ended at byte ${at}, before ${end}`);
          yield Buffer.from(got.buffer, got.byteOffset, got.byteLength);
          at += got.length;
        }
      })(),
    );
  }
}

const ZIP_OPTIONS = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true };

function openZip(src: Buffer | RangeSource): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, zip: ZipFile): void => (err ? reject(err) : resolve(zip));
    if (Buffer.isBuffer(src)) yauzl.fromBuffer(src, ZIP_OPTIONS, done);
    else yauzl.fromRandomAccessReader(new HostRangeReader(src), src.size, ZIP_OPTIONS, done);
  });
}

/** Entry name as text. Bit 11 = UTF-8; otherwise CP437, of which ASCII (all we match on) is a subset. */
function entryName(e: Entry): string {
  const raw = e.fileNameRaw ?? (e.fileName as unknown as Buffer);
  return (e.generalPurposeBitFlag & 0x800 ? raw.toString('utf8') : raw.toString('latin1'));
}

function badEntryName(name: string): string | undefined {
  if (name.includes('\0')) return 'contains NUL';
  if (name.includes('\\')) return 'contains a backslash';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'is absolute';
  if (name.split('/').includes('..')) return 'contains ".."';
  return undefined;
}

interface Listing {
  entries: { entry: Entry; name: string }[];
  problem?: string;
}

function listEntries(zip: ZipFile, limits: ArchiveLimits): Promise<Listing> {
  return new Promise((resolve) => {
    const entries: Listing['entries'] = [];
    let done = false;
    const finish = (problem?: string): void => {
      if (done) return;
      done = true;
      resolve(problem ? { entries, problem } : { entries });
    };
    zip.on('entry', (entry: Entry) => {
      entries.push({ entry, name: entryName(entry) });
      if (entries.length >= limits.maxEntries) finish(`more than ${limits.maxEntries} entries; the rest were not read`);
      else zip.readEntry();
    });
    zip.on('end', () => finish());
    zip.on('error', (e: Error) => finish(`corrupt archive: ${e.message}`));
    zip.readEntry();
  });
}

interface Budget {
  used: number;
}

function readMember(zip: ZipFile, entry: Entry, cap: number, budget: Budget, limits: ArchiveLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (entry.uncompressedSize > cap) return reject(new ZipProblem(`declares ${entry.uncompressedSize} uncompressed bytes, more than the ${cap}-byte limit (possible zip bomb); not read`));
    if (budget.used + entry.uncompressedSize > limits.maxTotalBytes) return reject(new ZipProblem(`would exceed the ${limits.maxTotalBytes}-byte total uncompressed budget for this file (possible zip bomb); not read`));
    zip.openReadStream(entry, (err, stream) => {
      if (err) return reject(new ZipProblem(`cannot be read: ${err.message}`));
      // Inflated straight into one buffer of the declared size (checked above; yauzl fails a member
      // whose real size differs), so a member costs its size once, not twice (chunks + concatenation).
      const out = Buffer.allocUnsafe(entry.uncompressedSize);
      let n = 0;
      let failed = false;
      stream.on('data', (c: Buffer) => {
        budget.used += c.length;
        const total = n + c.length;
        if (total > cap || total > out.length || budget.used > limits.maxTotalBytes) {
          failed = true;
          stream.destroy();
          const which = total > cap ? `${cap}-byte member` : total > out.length ? `${out.length} bytes it declares, the` : `${limits.maxTotalBytes}-byte total`;
          reject(new ZipProblem(`inflates beyond the ${which} limit (zip bomb); not read`));
          return;
        }
        c.copy(out, n);
        n = total;
      });
      stream.on('error', (e: Error) => {
        if (!failed) reject(new ZipProblem(/too many bytes|too few bytes/i.test(e.message) ? `size does not match its declared ${entry.uncompressedSize} bytes (${e.message}; possible zip bomb); not read` : `cannot be read: ${e.message}`));
        failed = true;
      });
      stream.on('end', () => {
        if (!failed) resolve(n === out.length ? out : out.subarray(0, n));
      });
    });
  });
}

export interface ArchiveContext {
  /** The real file the host handed over (first location, issue path). */
  file: string;
  result: AnalyzerResult;
  limits: ArchiveLimits;
  budget: Budget;
  /** The host's cancellation: stop opening members and nested archives once aborted. */
  signal?: AbortSignal;
}

/**
 * Analyze one archive: its bytes (nested archives, read into memory within the caps), or the outer file
 * read by ranges. `display` is its location (`/app/a.war` or `/app/a.war!/WEB-INF/lib/b.jar`).
 */
export async function analyzeArchive(ctx: ArchiveContext, bytes: Buffer | RangeSource, display: string, depth: number): Promise<void> {
  const { file, result, limits } = ctx;
  const nested = display !== file;
  const where = nested ? ` (${display})` : '';
  const issue = (severity: 'error' | 'warning' | 'info', message: string): void => void result.issues.push({ path: file, severity, message });
  let zip: ZipFile;
  try {
    zip = await openZip(bytes);
  } catch (e) {
    issue(nested ? 'warning' : 'error', `not a readable Java archive${where}: ${(e as Error).message}; expected a zip file (jar/war/ear)`);
    return;
  }
  try {
    const listing = await listEntries(zip, limits);
    if (listing.problem) issue('warning', `${display}: ${listing.problem}`);
    const poms: { entry: Entry; name: string }[] = [];
    let manifest: Entry | undefined;
    const children: { entry: Entry; name: string }[] = [];
    for (const e of listing.entries) {
      const bad = badEntryName(e.name);
      if (bad) {
        issue('warning', `${display}: entry name ${JSON.stringify(e.name.slice(0, 120))} ${bad}; expected a relative path; skipped`);
        continue;
      }
      if (e.name.endsWith('/')) continue;
      if (POM_PROPERTIES_RE.test(e.name)) poms.push(e);
      else if (e.name.toUpperCase() === 'META-INF/MANIFEST.MF') manifest ??= e.entry;
      else if (isArchiveName(e.name)) children.push(e);
    }
    poms.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

    const more = nested ? [display] : [];
    const found: PackageRecord[] = [];
    for (const p of poms) {
      try {
        const text = (await readMember(zip, p.entry, limits.maxMetadataBytes, ctx.budget, limits)).toString('utf8');
        const rec = parsePomPropertiesFile(file, text, result, { moreLocations: more, properties: { pomProperties: p.name, ...(nested ? { archive: display } : {}) } });
        if (rec) found.push(rec);
      } catch (e) {
        issue('warning', `${display}!/${p.name} ${(e as Error).message}`);
      }
    }
    // A shaded jar whose own pom.properties was dropped still is that artifact: when the file name says
    // `artifact-version` and no pom.properties names that artifact, the file itself is reported too.
    const ownName = splitArchiveFileName(display.slice(display.lastIndexOf('/') + 1));
    if (!found.length || (ownName.version && !found.some((r) => r.purl.name === ownName.name))) {
      let attrs = new Map<string, string>();
      if (manifest) {
        try {
          attrs = parseManifest((await readMember(zip, manifest, limits.maxMetadataBytes, ctx.budget, limits)).toString('utf8'));
        } catch (e) {
          issue('warning', `${display}!/META-INF/MANIFEST.MF ${(e as Error).message}`);
        }
      }
      const base = display.slice(display.lastIndexOf('/') + 1);
      const fromName = splitArchiveFileName(base);
      const identifier = (v: string | undefined): string | undefined => (v && /^[A-Za-z0-9_.+-]+$/.test(v) ? v : undefined);
      const bsn = attrs.get('bundle-symbolicname')?.split(';')[0]?.trim();
      const title = attrs.get('implementation-title');
      let artifactId: string;
      let from: string;
      // Jenkins plug-ins (hpi/jpi, usually installed as `<short-name>.jpi`) record Group-Id/Short-Name/Plugin-Version.
      const shortName = identifier(attrs.get('short-name'));
      if (fromName.version) [artifactId, from] = [fromName.name, 'filename'];
      else if (shortName) [artifactId, from] = [shortName, 'MANIFEST.MF Short-Name'];
      else if (identifier(title)) [artifactId, from] = [title as string, 'MANIFEST.MF Implementation-Title'];
      else if (identifier(bsn)) [artifactId, from] = [bsn as string, 'MANIFEST.MF Bundle-SymbolicName'];
      else [artifactId, from] = [fromName.name, 'filename'];
      // Implementation-Version is often decorated ("5.13.0 (b0)", "2.0.8 2003-12-28"): its first word.
      const implVersion = attrs.get('implementation-version')?.split(/\s+/)[0];
      const bundleVersion = attrs.get('bundle-version');
      const pluginVersion = attrs.get('plugin-version')?.split(/\s+/)[0];
      const [version, versionFrom] = fromName.version
        ? [fromName.version, 'filename']
        : implVersion
          ? [implVersion, 'MANIFEST.MF Implementation-Version']
          : pluginVersion
            ? [pluginVersion, 'MANIFEST.MF Plugin-Version']
            : bundleVersion
              ? [bundleVersion, 'MANIFEST.MF Bundle-Version']
              : [undefined, undefined];
      const vendorId = identifier(attrs.get('implementation-vendor-id'));
      const jenkinsGroup = identifier(attrs.get('group-id'));
      const repoGroup = !nested && version ? groupFromRepositoryPath(file, artifactId, version) : undefined;
      const groupId = repoGroup ?? jenkinsGroup ?? vendorId;
      const coords: Coordinates = { ...(groupId ? { groupId } : {}), artifactId, ...(version ? { version } : {}) };
      if (!version) issue('info', `${display}: no pom.properties, no version in the file name and no Implementation-Version/Plugin-Version/Bundle-Version in MANIFEST.MF; reported without a version`);
      const properties: Record<string, string> = {
        coordinatesFrom: from,
        groupIdFrom: repoGroup ? 'repository layout of the path' : jenkinsGroup ? 'MANIFEST.MF Group-Id' : vendorId ? 'MANIFEST.MF Implementation-Vendor-Id' : GUESSED_GROUP,
        ...(versionFrom ? { versionFrom } : {}),
        ...(nested ? { archive: display } : {}),
      };
      if (title) properties['manifest.Implementation-Title'] = title;
      if (attrs.get('implementation-version')) properties['manifest.Implementation-Version'] = attrs.get('implementation-version') as string;
      if (bsn) properties['manifest.Bundle-SymbolicName'] = bsn;
      if (bundleVersion) properties['manifest.Bundle-Version'] = bundleVersion;
      const rec = makeRecord(file, coords, { properties, moreLocations: more });
      result.packages.push(rec);
    }

    for (const c of children) {
      if (ctx.signal?.aborted) return;
      const childDisplay = `${display}!/${c.name}`;
      if (depth + 1 > limits.maxDepth) {
        issue('info', `${childDisplay}: nested deeper than ${limits.maxDepth} archives; not opened`);
        continue;
      }
      let childBytes: Buffer;
      try {
        childBytes = await readMember(zip, c.entry, limits.maxNestedBytes, ctx.budget, limits);
      } catch (e) {
        issue('warning', `${childDisplay} ${(e as Error).message}`);
        continue;
      }
      await analyzeArchive(ctx, childBytes, childDisplay, depth + 1);
    }
  } finally {
    zip.close();
  }
}
