/**
 * Hands each analyzer the files its selectors chose, as read-only handles, and collects its result.
 * A throwing analyzer costs only its own result for this layer: the failure becomes an issue.
 */
import type { AnalyzerFile, AnalyzerTarget, AnalyzerResult } from '../../../plugins/sdk';
import type { LoadedAnalyzer } from '../plugins';
import type { AnalyzerRun, ScanIssue } from './types';

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

function sanitize(result: unknown, foundBy: string): AnalyzerResult {
  const r = (result ?? {}) as Partial<AnalyzerResult>;
  if (!Array.isArray(r.packages) || !Array.isArray(r.issues)) throw new Error(`${foundBy} returned no {packages, relationships, issues} result`);
  // Structured clone drops functions/prototypes so a result is plain data for workers and the cache.
  return structuredClone({ packages: r.packages, relationships: Array.isArray(r.relationships) ? r.relationships : [], issues: r.issues });
}

export async function runAnalyzers(
  analyzers: readonly LoadedAnalyzer[],
  files: ReadonlyMap<string, SelectedFile>,
  target: AnalyzerTarget,
  issues: ScanIssue[],
  layer: string | undefined,
  signal?: AbortSignal,
): Promise<AnalyzerRun[]> {
  const runs: AnalyzerRun[] = [];
  const paths = [...files.keys()].sort();
  for (const a of analyzers) {
    const targets = a.manifest.requirements.targets;
    if (targets && !targets.includes(target)) continue;
    const mine = paths.filter((p) => a.selectors.some((s) => s.matches(p))).map((p) => handle(files.get(p) as SelectedFile));
    if (!mine.length) continue;
    try {
      const result = sanitize(await a.definition.analyze(mine, { foundBy: a.id, target, ...(signal ? { signal } : {}) }), a.id);
      runs.push({ foundBy: a.id, result });
    } catch (e) {
      issues.push({ severity: 'error', plugin: a.id, ...(layer ? { layer } : {}), message: `analyzer failed on ${mine.length} file(s): ${(e as Error).message}` });
    }
  }
  return runs;
}
