/**
 * lang/r — packages in `renv.lock` (JSON written by renv): `Packages.<name>` with `Version`, `Source`
 * (Repository, Bioconductor, GitHub, GitLab, …) and `Repository`. CRAN-style packages get
 * `pkg:cran/…`, Bioconductor ones `pkg:bioconductor/…`, GitHub remotes `pkg:github/<user>/<repo>@<sha>`
 * with the R package name and version kept as the component's name and version.
 */
import { defineAnalyzer, eachFile, emptyResult, type AnalyzerResult, type PurlParts } from '../../sdk';

export default defineAnalyzer({
  name: 'lang/r',
  version: 1,
  async analyze(files) {
    const result: AnalyzerResult = emptyResult();
    await eachFile(files, result, async (file) => {
      let doc: unknown;
      try {
        doc = JSON.parse(await file.readText());
      } catch (e) {
        result.issues.push({ path: file.path, severity: 'error', message: `not a renv.lock: invalid JSON (${(e as Error).message})` });
        return;
      }
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
        result.issues.push({ path: file.path, severity: 'error', message: 'not a renv.lock: expected an object with "R" and "Packages"' });
        return;
      }
      const packages = (doc as Record<string, unknown>).Packages ?? {};
      if (typeof packages !== 'object' || Array.isArray(packages) || packages === null) {
        result.issues.push({ path: file.path, severity: 'error', message: 'renv.lock: "Packages" must be an object keyed by package name' });
        return;
      }
      const names = new Set(Object.keys(packages));
      for (const [key, raw] of Object.entries(packages as Record<string, Record<string, unknown>>)) {
        const name = typeof raw?.Package === 'string' ? raw.Package : key;
        const version = typeof raw?.Version === 'string' ? raw.Version : undefined;
        if (!version) {
          result.issues.push({ path: file.path, severity: 'warning', message: `package ${name} has no Version; skipped` });
          continue;
        }
        const source = typeof raw.Source === 'string' ? raw.Source : 'Repository';
        const repository = typeof raw.Repository === 'string' ? raw.Repository : undefined;
        const properties: Record<string, string> = { source };
        if (repository) properties.repository = repository;
        if (typeof raw.Hash === 'string') properties.hash = raw.Hash;
        let purl: PurlParts = { type: 'cran', name, version };
        if (source === 'Bioconductor') purl = { type: 'bioconductor', name, version };
        else if (source === 'GitHub' && typeof raw.RemoteUsername === 'string' && typeof raw.RemoteRepo === 'string') {
          const sha = typeof raw.RemoteSha === 'string' ? raw.RemoteSha : undefined;
          purl = { type: 'github', namespace: raw.RemoteUsername, name: raw.RemoteRepo, version: sha };
          if (sha) properties.gitCommit = sha;
        }
        result.packages.push({ id: name, name, version, purl, locations: [file.path], properties, declared: true });
        const reqs = Array.isArray(raw.Requirements) ? raw.Requirements : [];
        for (const r of reqs) if (typeof r === 'string' && names.has(r)) result.relationships.push({ from: name, to: r, type: 'depends-on' });
      }
    });
    return result;
  },
});
