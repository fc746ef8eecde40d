/**
 * lang/dotnet — NuGet packages of .NET applications.
 * - `<app>.deps.json` (written next to a published app, so it describes what is deployed): every entry
 *   of `libraries` is `"<Name>/<Version>"` with a `type` (`package` = a NuGet package, `project` = a
 *   project reference, reported as an application component); dependency edges come from `targets`.
 * - `packages.lock.json` (NuGet lock file, declared): per target framework, `Direct`/`Transitive`
 *   packages with their `resolved` version; the same package@version across frameworks is reported once.
 */
import { defineAnalyzer, eachFile, emptyResult, type AnalyzerFile, type AnalyzerResult, type PackageRecord } from '../../sdk';

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function depsJson(doc: Record<string, unknown>, file: AnalyzerFile, result: AnalyzerResult): void {
  const libraries = obj(doc.libraries);
  if (!libraries) {
    if (Object.keys(doc).length > 0 && !doc.runtimeTarget && !doc.targets) result.issues.push({ path: file.path, severity: 'error', message: 'not a .deps.json: expected "runtimeTarget", "targets" and "libraries" objects' });
    return;
  }
  const idOf = new Map<string, string>();
  for (const [key, value] of Object.entries(libraries)) {
    const slash = key.lastIndexOf('/');
    const lib = obj(value) ?? {};
    if (slash <= 0 || slash === key.length - 1) {
      result.issues.push({ path: file.path, severity: 'warning', message: `libraries entry "${key}" is not "<name>/<version>"; skipped` });
      continue;
    }
    const name = key.slice(0, slash);
    const version = key.slice(slash + 1);
    const type = typeof lib.type === 'string' ? lib.type : 'package';
    const properties: Record<string, string> = { libraryType: type };
    if (typeof lib.sha512 === 'string' && lib.sha512) properties.sha512 = lib.sha512;
    if (typeof lib.path === 'string') properties.path = lib.path;
    const rec: PackageRecord = {
      id: key,
      name,
      version,
      purl: { type: 'nuget', name, version },
      locations: [file.path],
      properties,
      ...(type === 'project' ? { componentType: 'application' as const } : {}),
    };
    result.packages.push(rec);
    idOf.set(name.toLowerCase(), key);
  }
  for (const target of Object.values(obj(doc.targets) ?? {})) {
    for (const [key, entry] of Object.entries(obj(target) ?? {})) {
      if (!idOf.has(key.slice(0, key.lastIndexOf('/')).toLowerCase()) || !libraries[key]) continue;
      for (const dep of Object.keys(obj(obj(entry)?.dependencies) ?? {})) {
        const to = idOf.get(dep.toLowerCase());
        if (to && to !== key) result.relationships.push({ from: key, to, type: 'depends-on' });
      }
    }
  }
}

function lockJson(doc: Record<string, unknown>, file: AnalyzerFile, result: AnalyzerResult): void {
  const frameworks = obj(doc.dependencies);
  if (typeof doc.version !== 'number' || !frameworks) {
    result.issues.push({ path: file.path, severity: 'error', message: 'not a NuGet packages.lock.json: expected a numeric "version" and a "dependencies" object keyed by target framework' });
    return;
  }
  const recs = new Map<string, PackageRecord>();
  const edges = new Map<string, Set<string>>();
  for (const [framework, packages] of Object.entries(frameworks)) {
    for (const [name, raw] of Object.entries(obj(packages) ?? {})) {
      const p = obj(raw) ?? {};
      const type = typeof p.type === 'string' ? p.type : 'Transitive';
      const version = typeof p.resolved === 'string' ? p.resolved : undefined;
      if (!version) {
        if (type !== 'Project') result.issues.push({ path: file.path, severity: 'warning', message: `${framework}/${name}: no "resolved" version; skipped` });
        continue;
      }
      const id = `${name}@${version}`;
      const have = recs.get(id);
      if (have) {
        const fw = new Set((have.properties?.frameworks ?? '').split(',').concat(framework));
        (have.properties as Record<string, string>).frameworks = [...fw].filter(Boolean).sort().join(',');
        if (type === 'Direct') (have.properties as Record<string, string>).dependencyType = 'Direct';
      } else {
        recs.set(id, {
          id,
          name,
          version,
          purl: { type: 'nuget', name, version },
          locations: [file.path],
          properties: { dependencyType: type, frameworks: framework, ...(typeof p.contentHash === 'string' ? { contentHash: `sha512-${p.contentHash}` } : {}) },
          declared: true,
        });
      }
      for (const dep of Object.keys(obj(p.dependencies) ?? {})) {
        const resolved = obj(obj(packages)?.[dep])?.resolved;
        if (typeof resolved === 'string') {
          const set = edges.get(id) ?? new Set<string>();
          set.add(`${dep}@${resolved}`);
          edges.set(id, set);
        }
      }
    }
  }
  for (const rec of [...recs.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) result.packages.push(rec);
  for (const [from, tos] of [...edges.entries()].sort()) for (const to of [...tos].sort()) if (recs.has(to)) result.relationships.push({ from, to, type: 'depends-on' });
}

export default defineAnalyzer({
  name: 'lang/dotnet',
  version: 1,
  async analyze(files) {
    const result: AnalyzerResult = emptyResult();
    await eachFile(files, result, async (file) => {
      const isLock = file.path.endsWith('packages.lock.json');
      let doc: unknown;
      try {
        doc = JSON.parse(await file.readText());
      } catch (e) {
        result.issues.push({ path: file.path, severity: 'error', message: `not a ${isLock ? 'NuGet packages.lock.json' : '.deps.json'}: invalid JSON (${(e as Error).message})` });
        return;
      }
      const o = obj(doc);
      if (!o) {
        result.issues.push({ path: file.path, severity: 'error', message: `not a ${isLock ? 'NuGet packages.lock.json' : '.deps.json'}: expected a JSON object` });
        return;
      }
      if (isLock) lockJson(o, file, result);
      else depsJson(o, file, result);
    });
    return result;
  },
});
