/**
 * Hands each analyzer the files its selectors chose, as read-only handles, and collects its result.
 * A throwing analyzer costs only its own result for this layer: the failure becomes an issue.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { purlToString, type AnalyzeContext, type AnalyzerFile, type AnalyzerTarget, type AnalyzerResult, type FileSystemView, type InstalledFiles, type PackageRecord } from '../../../plugins/sdk';
import { openSqliteReadOnly } from './sqlite';
import type { LoadedAnalyzer } from '../plugins';
import type { AnalyzerRun, ScanIssue, ViewRead } from './types';

/** Builds each analyzer's view of the filesystem (its own limits, the host's shared budget); reads are recorded. */
export type ViewFactory = (analyzer: LoadedAnalyzer, reads: ViewRead[]) => FileSystemView;

export interface SelectedFile {
  /** Root-relative path. */
  path: string;
  size: number;
  /**
   * True when every `read()` returns new bytes (read from disk): handed over as they are. False when
   * it returns bytes the host keeps (small files of a layer): each analyzer gets its own copy.
   */
  fresh: boolean;
  read(): Promise<Uint8Array>;
  /** Bytes [offset, offset + length) as a new buffer (fewer past the end). */
  readRange(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * A byte range of a file on disk, which must still be a regular file of the size that was admitted
 * (opened without following a symbolic link: the tree may change between the walk and the read).
 */
export async function readFileRange(file: string, offset: number, length: number, size: number): Promise<Buffer> {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) throw new RangeError(`readRange(${offset}, ${length}): expected non-negative integers`);
  const fh = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.size !== size) throw new Error(`changed since it was admitted (no longer a regular file of ${size} bytes)`);
    const n = Math.max(0, Math.min(length, size - offset));
    const buf = Buffer.allocUnsafe(n);
    let done = 0;
    while (done < n) {
      const { bytesRead } = await fh.read(buf, done, n - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === n ? buf : buf.subarray(0, done);
  } finally {
    await fh.close();
  }
}

/** A byte range of bytes held in memory, as a copy. */
export function sliceRange(bytes: Uint8Array, offset: number, length: number): Uint8Array {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) throw new RangeError(`readRange(${offset}, ${length}): expected non-negative integers`);
  return new Uint8Array(bytes.subarray(offset, offset + length));
}

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

function handle(f: SelectedFile, onFirstRead?: () => void): AnalyzerFile {
  let told = false;
  const onRead = (): void => {
    if (!told) onFirstRead?.();
    told = true;
  };
  return Object.freeze({
    path: `/${f.path}`,
    size: f.size,
    readBytes: async () => {
      onRead();
      const b = await f.read();
      // Shared bytes are copied so an analyzer cannot change what another one reads; fresh bytes are
      // nobody else's, and copying a 250 MB file would double the memory it costs.
      return f.fresh ? b : new Uint8Array(b);
    },
    readText: async () => {
      onRead();
      return decoder.decode(await f.read());
    },
    readRange: async (offset: number, length: number) => {
      onRead();
      return f.readRange(offset, length);
    },
  });
}

/** Which analyzers select a root-relative path (regular files only; the caller checks the kind). */
export function selectingAnalyzers(analyzers: readonly LoadedAnalyzer[], path: string): LoadedAnalyzer[] {
  return analyzers.filter((a) => a.selectors.some((s) => s.matches(path)));
}

const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Why a record from a plug-in cannot be used, or undefined when it can. */
function recordProblem(rec: unknown): string | undefined {
  const r = rec as Partial<PackageRecord> | null;
  if (!r || typeof r !== 'object') return 'not an object';
  if (!isStr(r.id) || !isStr(r.name)) return 'id and name must be non-empty strings';
  if (r.version !== undefined && typeof r.version !== 'string') return 'version must be a string';
  if (!r.purl || typeof r.purl !== 'object' || !isStr(r.purl.type) || !isStr(r.purl.name)) return 'purl must have a type and a name';
  if (!Array.isArray(r.locations) || !r.locations.length || !r.locations.every((l) => isStr(l) && l.startsWith('/'))) return 'locations must be absolute paths, the first the file the record was read from';
  if (r.files !== undefined && (!Array.isArray(r.files) || !r.files.every((f) => isStr(f) && f.startsWith('/')))) return 'files must be absolute paths';
  if (r.root !== undefined && typeof r.root !== 'boolean') return 'root must be true or false';
  try {
    purlToString(r.purl);
  } catch (e) {
    return `purl cannot be built: ${(e as Error).message}`;
  }
  return undefined;
}

function sanitize(result: unknown, foundBy: string, issues: ScanIssue[], layer: string | undefined): AnalyzerResult {
  const r = (result ?? {}) as Partial<AnalyzerResult>;
  if (!Array.isArray(r.packages) || !Array.isArray(r.issues)) throw new Error(`${foundBy} returned no {packages, relationships, issues} result`);
  const packages: PackageRecord[] = [];
  r.packages.forEach((p, i) => {
    const why = recordProblem(p);
    if (why) issues.push({ severity: 'error', plugin: foundBy, ...(layer ? { layer } : {}), message: `analyzer returned an unusable record #${i} (${why}); dropped` });
    else packages.push(p);
  });
  const fileIssues = r.issues.filter((i) => i && typeof i === 'object' && isStr(i.message));
  const installedFiles = Array.isArray(r.installedFiles)
    ? r.installedFiles.filter((x: InstalledFiles) => x && isStr(x.package) && isStr(x.source) && x.source.startsWith('/') && Array.isArray(x.paths) && x.paths.every((p) => isStr(p) && p.startsWith('/')))
    : [];
  // Structured clone drops functions/prototypes so a result is plain data for workers and the cache.
  return structuredClone({
    packages,
    relationships: Array.isArray(r.relationships) ? r.relationships.filter((x) => x && isStr(x.from) && isStr(x.to)) : [],
    issues: fileIssues,
    ...(installedFiles.length ? { installedFiles } : {}),
  });
}

export async function runAnalyzers(
  analyzers: readonly LoadedAnalyzer[],
  files: ReadonlyMap<string, SelectedFile>,
  target: AnalyzerTarget,
  issues: ScanIssue[],
  layer: string | undefined,
  signal?: AbortSignal,
  /** Told which analyzer reads which file, as it happens (a worker's out-of-memory error names it). */
  onActivity?: (doing: string) => void,
  /** Each analyzer's view of the rest of the filesystem (SDK `ctx.fs`). */
  views?: ViewFactory,
): Promise<AnalyzerRun[]> {
  const runs: AnalyzerRun[] = [];
  const paths = [...files.keys()].sort();
  for (const a of analyzers) {
    const targets = a.manifest.requirements.targets;
    if (targets && !targets.includes(target)) continue;
    const mine = paths
      .filter((p) => a.selectors.some((s) => s.matches(p)))
      .map((p) => {
        const f = files.get(p) as SelectedFile;
        return handle(f, onActivity ? () => onActivity(`${a.id} was analyzing /${f.path} (${f.size} bytes)`) : undefined);
      });
    if (!mine.length) continue;
    const reads: ViewRead[] = [];
    const fs = views?.(a, reads);
    try {
      const ctx: AnalyzeContext = { foundBy: a.id, target, openSqlite: openSqliteReadOnly, ...(signal ? { signal } : {}), ...(fs ? { fs } : {}) };
      const result = sanitize(await a.definition.analyze(mine, ctx), a.id, issues, layer);
      runs.push({ foundBy: a.id, result, ...(reads.length ? { reads } : {}) });
    } catch (e) {
      issues.push({ severity: 'error', plugin: a.id, ...(layer ? { layer } : {}), message: `analyzer failed on ${mine.length} file(s): ${(e as Error).message}` });
    }
  }
  return runs;
}
