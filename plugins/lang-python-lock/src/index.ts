/**
 * lang/python-lock — Python packages declared in lockfiles and requirements files: requirements*.txt,
 * poetry.lock, Pipfile.lock, pdm.lock, uv.lock. Every record is `declared: true`, its purl name PEP 503
 * normalized and its version as written; dev/optional groups give `scope: 'optional'` and
 * `properties.group`. Requirements files follow their `-r` includes (recursively, cycles reported) and
 * `-c` constraints, read from the files of the same call or through the host's filesystem view.
 */
import { defineAnalyzer, eachFile, emptyResult, type AnalyzerResult } from '../../sdk';
import { parsePdmLock, parsePipfileLock, parsePoetryLock, parseUvLock } from './locks';
import { parseRequirementsFile } from './requirements';

export type PythonFileKind = 'requirements' | 'poetry' | 'pipfile' | 'pdm' | 'uv';

export function kindOf(path: string): PythonFileKind | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base === 'poetry.lock') return 'poetry';
  if (base === 'Pipfile.lock') return 'pipfile';
  if (base === 'pdm.lock') return 'pdm';
  if (base === 'uv.lock') return 'uv';
  if (/\.(?:txt|in)$/i.test(base)) return 'requirements';
  return undefined;
}

export default defineAnalyzer({
  name: 'lang/python-lock',
  // 2: -r includes followed through the filesystem view; -c constraints pin versions.
  version: 2,
  async analyze(files, ctx) {
    const result: AnalyzerResult = emptyResult();
    const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const available = new Map(sorted.filter((f) => kindOf(f.path) === 'requirements').map((f) => [f.path, f]));
    await eachFile(sorted, result, async (file) => {
      if (ctx.signal?.aborted) return;
      const kind = kindOf(file.path);
      switch (kind) {
        case 'requirements':
          return parseRequirementsFile(file, await file.readText(), result, { available, ...(ctx.fs ? { fs: ctx.fs } : {}) });
        case 'poetry':
          return parsePoetryLock(file, await file.readText(), result);
        case 'pipfile':
          return parsePipfileLock(file, await file.readText(), result);
        case 'pdm':
          return parsePdmLock(file, await file.readText(), result);
        case 'uv':
          return parseUvLock(file, await file.readText(), result);
        case undefined:
          result.issues.push({ path: file.path, severity: 'error', message: 'not a Python lockfile (expected requirements*.txt, poetry.lock, Pipfile.lock, pdm.lock or uv.lock)' });
          return;
      }
    });
    return result;
  },
});
