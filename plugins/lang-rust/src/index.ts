/**
 * lang/rust — crates from `Cargo.lock` (declared dependencies). Every `[[package]]` is reported —
 * registry, git and local path crates alike (local ones have no `source`) — with the dependency edges
 * Cargo recorded (`"name"`, `"name version"` or `"name version (source)"`).
 */
import { parse as parseToml } from 'smol-toml';
import { defineAnalyzer, eachFile, emptyResult, type AnalyzerResult, type PackageRecord } from '../../sdk';

interface CargoPackage {
  name?: unknown;
  version?: unknown;
  source?: unknown;
  checksum?: unknown;
  dependencies?: unknown;
}

export default defineAnalyzer({
  name: 'lang/rust',
  version: 1,
  async analyze(files) {
    const result: AnalyzerResult = emptyResult();
    await eachFile(files, result, async (file) => {
      let doc: Record<string, unknown>;
      try {
        doc = parseToml(await file.readText()) as Record<string, unknown>;
      } catch (e) {
        const err = e as { line?: number; message: string };
        result.issues.push({ path: file.path, severity: 'error', ...(err.line ? { line: err.line } : {}), message: `not a Cargo.lock: invalid TOML (${err.message.split('\n')[0]})` });
        return;
      }
      const list = doc.package ?? [];
      if (!Array.isArray(list)) {
        result.issues.push({ path: file.path, severity: 'error', message: 'not a Cargo.lock: "package" must be an array of tables ([[package]])' });
        return;
      }
      const byName = new Map<string, PackageRecord[]>();
      const pkgs: { rec: PackageRecord; deps: string[] }[] = [];
      list.forEach((raw: CargoPackage, i) => {
        if (typeof raw?.name !== 'string' || typeof raw.version !== 'string') {
          result.issues.push({ path: file.path, severity: 'warning', message: `[[package]] #${i + 1} lacks a string name or version; skipped` });
          return;
        }
        const source = typeof raw.source === 'string' ? raw.source : undefined;
        const properties: Record<string, string> = { source: source ?? 'local' };
        if (typeof raw.checksum === 'string') properties.checksum = `sha256:${raw.checksum}`;
        const rec: PackageRecord = {
          id: `${raw.name}@${raw.version}${source ? '' : '#local'}`,
          name: raw.name,
          version: raw.version,
          purl: { type: 'cargo', name: raw.name, version: raw.version },
          locations: [file.path],
          properties,
          declared: true,
        };
        pkgs.push({ rec, deps: Array.isArray(raw.dependencies) ? raw.dependencies.filter((d): d is string => typeof d === 'string') : [] });
        byName.set(raw.name, [...(byName.get(raw.name) ?? []), rec]);
      });
      for (const { rec, deps } of pkgs) {
        result.packages.push(rec);
        for (const dep of deps) {
          const [name, version] = dep.split(' ');
          const candidates = byName.get(name ?? '') ?? [];
          const to = version ? candidates.find((c) => c.version === version) : candidates.length === 1 ? candidates[0] : undefined;
          if (to) result.relationships.push({ from: rec.id, to: to.id, type: 'depends-on' });
          else result.issues.push({ path: file.path, severity: 'info', message: `${rec.name} ${rec.version} depends on "${dep}", which the lockfile does not list unambiguously` });
        }
      }
    });
    return result;
  },
});
