/**
 * os/apk — Alpine packages from `lib/apk/db/installed`: blank-line separated records of `K:value`
 * lines (apk-tools' "installed database" format). Reports what `apk info -v` reports: the package
 * name (`P:`), the full version with its `-rN` release (`V:`), the architecture (`A:`) and the origin
 * (`o:`, the source package the APKBUILD was built from — distro advisories name origins), and the
 * files each package installed (`F:` directories and `R:` files), so the host can tell which language
 * packages an apk package owns. A record without a name is a located issue; the others are still
 * reported; a package without a version is kept with an empty version.
 */
import { defineAnalyzer, eachFile, emptyResult, type AnalyzerResult, type FileIssue, type PackageRecord } from '../../sdk';

interface ApkRecord {
  line: number;
  fields: Map<string, string>;
  /** Files owned by the package (`F:` directory + `R:` file lines). */
  files: string[];
}

/** Single-letter keys apk-tools writes (see apk-tools `apk_db_index_read`); anything else is not apk data. */
const KNOWN_KEYS = new Set('CPVASITULomtcDprFRaMZiqkgfsN'.split(''));

export function parseInstalled(text: string, path: string): { records: ApkRecord[]; issues: FileIssue[]; recognized: number } {
  const records: ApkRecord[] = [];
  const issues: FileIssue[] = [];
  let recognized = 0;
  let current: ApkRecord | undefined;
  let dir = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') {
      current = undefined;
      dir = '';
      continue;
    }
    const key = line[0] ?? '';
    if (line[1] !== ':' || !KNOWN_KEYS.has(key)) {
      issues.push({ path, line: i + 1, severity: 'warning', message: `line ${i + 1} is not an apk database entry (expected "<letter>:<value>"): ${JSON.stringify(line.slice(0, 60))}` });
      continue;
    }
    recognized++;
    if (!current) {
      current = { line: i + 1, fields: new Map(), files: [] };
      records.push(current);
    }
    const value = line.slice(2);
    if (key === 'F') {
      dir = value;
    } else if (key === 'R') {
      current.files.push(`/${dir ? `${dir}/` : ''}${value}`);
    } else if (!current.fields.has(key)) {
      current.fields.set(key, value);
    }
  }
  return { records, issues, recognized };
}

function toPackage(rec: ApkRecord, path: string, issues: FileIssue[]): PackageRecord | undefined {
  const name = rec.fields.get('P')?.trim();
  if (!name) {
    issues.push({ path, line: rec.line, severity: 'warning', message: `record at line ${rec.line} has no package name (expected "P:<name>"); skipped` });
    return undefined;
  }
  const version = rec.fields.get('V')?.trim() || undefined;
  if (!version) issues.push({ path, line: rec.line, severity: 'warning', message: `package ${name} has no version (expected "V:<version>"); reported with an empty version` });
  const arch = rec.fields.get('A')?.trim() || undefined;
  const origin = rec.fields.get('o')?.trim() || undefined;
  const license = rec.fields.get('L')?.trim();
  const properties: Record<string, string> = {};
  if (arch) properties.arch = arch;
  const maintainer = rec.fields.get('m')?.trim();
  if (maintainer) properties.maintainer = maintainer;
  const commit = rec.fields.get('c')?.trim();
  if (commit) properties.commit = commit;
  return {
    id: `${name}:${arch ?? ''}`,
    name,
    version,
    purl: { type: 'apk', namespace: 'alpine', name, version, qualifiers: { arch } },
    distroBound: true,
    // apk origins share the version of the packages built from them.
    source: origin ? { name: origin, version } : undefined,
    locations: [path],
    licenses: license ? [license] : undefined,
    properties,
    ...(rec.files.length ? { files: [...rec.files] } : {}),
  };
}

function dependencyNames(field: string | undefined): string[] {
  if (!field) return [];
  return field
    .split(/\s+/)
    .filter((d) => d && !d.startsWith('!'))
    .map((d) => d.split(/[<>=~]/)[0] ?? '')
    .filter(Boolean);
}

export default defineAnalyzer({
  name: 'os/apk',
  // 2: installed files.
  version: 2,
  async analyze(files) {
    const result: AnalyzerResult = emptyResult();
    await eachFile(files, result, async (file) => {
      const text = await file.readText();
      const { records, issues, recognized } = parseInstalled(text, file.path);
      if (text.trim() !== '' && recognized === 0) {
        result.issues.push({ path: file.path, severity: 'error', message: 'not an apk installed database: no "<letter>:<value>" records found' });
        return;
      }
      result.issues.push(...issues);
      const providers = new Map<string, string>();
      const packages: { pkg: PackageRecord; rec: ApkRecord }[] = [];
      for (const rec of records) {
        const pkg = toPackage(rec, file.path, result.issues);
        if (!pkg) continue;
        packages.push({ pkg, rec });
        providers.set(pkg.name, pkg.id);
        for (const p of dependencyNames(rec.fields.get('p'))) if (!providers.has(p)) providers.set(p, pkg.id);
      }
      for (const { pkg, rec } of packages) {
        result.packages.push(pkg);
        const targets = new Set<string>();
        for (const dep of dependencyNames(rec.fields.get('D'))) {
          const to = providers.get(dep);
          if (to && to !== pkg.id) targets.add(to);
        }
        for (const to of [...targets].sort()) result.relationships.push({ from: pkg.id, to, type: 'depends-on' });
      }
    });
    return result;
  },
});
