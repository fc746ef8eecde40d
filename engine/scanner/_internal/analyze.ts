/**
 * Hands each analyzer the files its selectors chose, as read-only handles, and collects its result.
 * A throwing analyzer costs only its own result for this layer: the failure becomes an issue.
 */
import { purlToString, type AnalyzerFile, type AnalyzerTarget, type AnalyzerResult, type FileSystemView, type InstalledFiles, type PackageRecord } from '../../../plugins/sdk';
import type { LoadedAnalyzer } from '../plugins';
import type { AnalyzerRun, ScanIssue, ViewRead } from './types';

/** Builds each analyzer's view of the filesystem (its own limits, the host's shared budget); reads are recorded. */
export type ViewFactory = (analyzer: LoadedAnalyzer, reads: ViewRead[]) => FileSystemView;

export interface SelectedFile {
  /** Root-relative path. */
  path: string;
  size: number;
  read(): Promise<Uint8Array>;
}

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

function handle(f: SelectedFile): AnalyzerFile {
  return Object.freeze({
    path: `/${f.path}`,
    size: f.size,
    readBytes: async () => {
      const b = await f.read();
      return new Uint8Array(b); // a copy: an analyzer cannot mutate what another one reads
    },
    readText: async () => decoder.decode(await f.read()),
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
  views?: ViewFactory,
): Promise<AnalyzerRun[]> {
  const runs: AnalyzerRun[] = [];
  const paths = [...files.keys()].sort();
  for (const a of analyzers) {
    const targets = a.manifest.requirements.targets;
    if (targets && !targets.includes(target)) continue;
    const mine = paths.filter((p) => a.selectors.some((s) => s.matches(p))).map((p) => handle(files.get(p) as SelectedFile));
    if (!mine.length) continue;
    const reads: ViewRead[] = [];
    const fs = views?.(a, reads);
    try {
      const result = sanitize(await a.definition.analyze(mine, { foundBy: a.id, target, ...(signal ? { signal } : {}), ...(fs ? { fs } : {}) }), a.id, issues, layer);
      runs.push({ foundBy: a.id, result, ...(reads.length ? { reads } : {}) });
    } catch (e) {
      issues.push({ severity: 'error', plugin: a.id, ...(layer ? { layer } : {}), message: `analyzer failed on ${mine.length} file(s): ${(e as Error).message}` });
    }
  }
  return runs;
}
