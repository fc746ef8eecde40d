/**
 * lang/dart — packages in `pubspec.lock` (YAML written by `dart pub`): `packages.<name>` with
 * `version`, `source` (hosted, git, path, sdk) and `dependency` ("direct main", "direct dev",
 * "transitive", "direct overridden"). Dev dependencies are optional scope.
 */
import { parse } from 'yaml';
import { defineAnalyzer, eachFile, emptyResult, type AnalyzerResult } from '../../sdk';

export default defineAnalyzer({
  name: 'lang/dart',
  version: 1,
  async analyze(files) {
    const result: AnalyzerResult = emptyResult();
    await eachFile(files, result, async (file) => {
      let doc: unknown;
      try {
        doc = parse(await file.readText(), { maxAliasCount: 100 });
      } catch (e) {
        const err = e as { linePos?: { line: number }[]; message: string };
        const line = err.linePos?.[0]?.line;
        result.issues.push({ path: file.path, severity: 'error', ...(line ? { line } : {}), message: `not a pubspec.lock: invalid YAML (${err.message.split('\n')[0]})` });
        return;
      }
      if (doc === null || doc === undefined) return;
      if (typeof doc !== 'object' || Array.isArray(doc)) {
        result.issues.push({ path: file.path, severity: 'error', message: 'not a pubspec.lock: expected a YAML mapping with a "packages" mapping' });
        return;
      }
      const packages = (doc as Record<string, unknown>).packages;
      if (packages === undefined || packages === null) return;
      if (typeof packages !== 'object' || Array.isArray(packages)) {
        result.issues.push({ path: file.path, severity: 'error', message: 'pubspec.lock: "packages" must be a mapping of package names' });
        return;
      }
      for (const [name, raw] of Object.entries(packages as Record<string, unknown>)) {
        const p = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
        const version = typeof p.version === 'string' ? p.version : undefined;
        if (!version) {
          result.issues.push({ path: file.path, severity: 'warning', message: `package ${name} has no version; skipped` });
          continue;
        }
        const dependency = typeof p.dependency === 'string' ? p.dependency : 'transitive';
        const source = typeof p.source === 'string' ? p.source : 'hosted';
        const properties: Record<string, string> = { dependency, source };
        const desc = p.description as Record<string, unknown> | undefined;
        if (source === 'git' && desc && typeof desc === 'object') {
          if (typeof desc.url === 'string') properties.gitUrl = desc.url;
          if (typeof desc['resolved-ref'] === 'string') properties.gitRef = desc['resolved-ref'];
        }
        if (source === 'path' && desc && typeof desc === 'object' && typeof desc.path === 'string') properties.localPath = desc.path;
        const dev = dependency === 'direct dev';
        result.packages.push({
          id: name,
          name,
          version,
          purl: { type: 'pub', name, version },
          locations: [file.path],
          properties,
          declared: true,
          ...(dev ? { scope: 'optional' as const } : {}),
        });
      }
    });
    return result;
  },
});
