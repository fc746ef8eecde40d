/**
 * Installed packages: `node_modules/<name>/package.json` and `node_modules/@scope/<name>/package.json`
 * at any depth. A package.json without a string name and version (build-tool stubs such as
 * `{"type":"module"}`) is not a package and is skipped silently. Dependency edges follow Node's own
 * lookup (the nearest enclosing `node_modules`) among the package.json files of the same call.
 */
import { type AnalyzerFile, type AnalyzerResult } from '../../sdk';
import { FileCollector, isObject, stringMap } from './common';

function licensesOf(p: Record<string, unknown>): string[] | undefined {
  const one = (l: unknown): string | undefined => (typeof l === 'string' ? l : isObject(l) && typeof l.type === 'string' ? l.type : undefined);
  const out: string[] = [];
  const l = one(p.license);
  if (l) out.push(l);
  if (Array.isArray(p.licenses)) for (const x of p.licenses) {
    const v = one(x);
    if (v) out.push(v);
  }
  return out.length ? out : undefined;
}

/** `/app/node_modules/a/node_modules/@s/b/package.json` -> folder `/app/node_modules/a/node_modules/@s/b`. */
const folderOf = (path: string): string => path.slice(0, path.lastIndexOf('/'));

export async function parseInstalled(files: readonly AnalyzerFile[], result: AnalyzerResult): Promise<void> {
  const byFolder = new Map<string, { c: FileCollector; id: string; deps: string[] }>();
  for (const file of files) {
    let text: string;
    try {
      text = await file.readText();
    } catch (e) {
      result.issues.push({ path: file.path, severity: 'error', message: `cannot analyze: ${e instanceof Error ? e.message : String(e)}` });
      continue;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      result.issues.push({ path: file.path, severity: 'warning', message: `installed package.json is not valid JSON (${(e as Error).message.replace(/\s+/g, ' ').slice(0, 200)}); skipped` });
      continue;
    }
    if (!isObject(doc) || typeof doc.name !== 'string' || !doc.name || typeof doc.version !== 'string' || !doc.version) continue;
    const c = new FileCollector(file, result, false);
    const id = c.add({ name: doc.name, version: doc.version, groups: [], licenses: licensesOf(doc) });
    if (!id) {
      c.finish();
      continue;
    }
    byFolder.set(folderOf(file.path), {
      c,
      id,
      deps: [...Object.keys(stringMap(doc.dependencies)), ...Object.keys(stringMap(doc.optionalDependencies)), ...Object.keys(stringMap(doc.peerDependencies))],
    });
  }
  const findDep = (folder: string, dep: string): string | undefined => {
    let base = folder;
    for (;;) {
      const hit = byFolder.get(`${base}/node_modules/${dep}`);
      if (hit) return hit.id;
      const i = base.lastIndexOf('/node_modules/');
      if (i < 0) return undefined;
      base = base.slice(0, i);
    }
  };
  for (const [folder, { c, id, deps }] of [...byFolder].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    c.finish();
    for (const dep of [...new Set(deps)].sort()) {
      const to = findDep(folder, dep);
      if (to && to !== id) result.relationships.push({ from: id, to, type: 'depends-on' });
    }
  }
}
