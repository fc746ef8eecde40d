/**
 * lang/ruby — Ruby gems.
 * - `Gemfile.lock` (Bundler): gems listed under `specs:` of the GEM, GIT and PATH sections, parsed with
 *   Bundler's own line grammar (two-space indentation levels; `name (version[-platform])`). Unknown
 *   sections are skipped with a located warning; dependency lines (six spaces) become edges.
 * - installed `specifications/<name>-<version>.gemspec` (RubyGems writes these as Ruby code): name,
 *   version and licenses are read from the `s.name = "…"` style assignments, never evaluated.
 */
import { defineAnalyzer, eachFile, emptyResult, type AnalyzerFile, type AnalyzerResult, type PackageRecord } from '../../sdk';

const GEM_SOURCES = new Set(['GEM', 'GIT', 'PATH']);
const KNOWN_SECTIONS = new Set([...GEM_SOURCES, 'PLATFORMS', 'DEPENDENCIES', 'RUBY VERSION', 'BUNDLED WITH', 'CHECKSUMS', 'PLUGIN SOURCE']);
// Bundler's LockfileParser NAME_VERSION: indentation, name, optional "(version[-platform])", optional "!".
const NAME_VERSION = /^( {2}| {4}| {6})(?! )(.*?)(?: \(([^-]*)(?:-(.*))?\))?(!)?$/;

function parseLockfile(text: string, file: AnalyzerFile, result: AnalyzerResult): void {
  const lines = text.split(/\r?\n/);
  let section: string | undefined;
  let sawSection = false;
  let inSpecs = false;
  let current: PackageRecord | undefined;
  const records: PackageRecord[] = [];
  const deps = new Map<PackageRecord, string[]>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    if (/^[A-Z]/.test(line)) {
      section = line.trim();
      sawSection = true;
      inSpecs = false;
      current = undefined;
      if (!KNOWN_SECTIONS.has(section)) result.issues.push({ path: file.path, line: i + 1, severity: 'warning', message: `unknown Gemfile.lock section "${section}"; its entries are not gems Bundler would install and were skipped` });
      continue;
    }
    if (!section || !GEM_SOURCES.has(section)) continue;
    if (line === '  specs:') {
      inSpecs = true;
      continue;
    }
    if (!inSpecs) continue;
    const m = NAME_VERSION.exec(line);
    if (!m) {
      result.issues.push({ path: file.path, line: i + 1, severity: 'warning', message: `line ${i + 1} is not a "name (version)" spec line` });
      continue;
    }
    const [, indent, name, version, platform] = m as unknown as [string, string, string, string | undefined, string | undefined];
    if (indent.length === 4) {
      if (!version) {
        result.issues.push({ path: file.path, line: i + 1, severity: 'warning', message: `gem ${name} has no version; skipped` });
        current = undefined;
        continue;
      }
      const properties: Record<string, string> = { source: section };
      if (platform) properties.platform = platform;
      current = {
        id: `${name}@${version}${platform ? `-${platform}` : ''}`,
        name,
        version,
        purl: { type: 'gem', name, version, qualifiers: { platform } },
        locations: [file.path],
        properties,
        declared: true,
      };
      records.push(current);
      deps.set(current, []);
    } else if (indent.length === 6 && current) {
      deps.get(current)?.push(name);
    }
  }
  if (!sawSection && text.trim() !== '') {
    result.issues.push({ path: file.path, severity: 'error', message: 'not a Gemfile.lock: no GEM, GIT, PATH or PLATFORMS section found' });
    return;
  }
  const byName = new Map(records.map((r) => [r.name, r]));
  for (const r of records) {
    result.packages.push(r);
    for (const d of deps.get(r) ?? []) {
      const to = byName.get(d);
      if (to) result.relationships.push({ from: r.id, to: to.id, type: 'depends-on' });
    }
  }
}

/** Reads `s.name = "x".freeze`-style assignments of a RubyGems-written specification without running Ruby. */
export function parseGemspec(text: string): { name?: string; version?: string; licenses: string[] } {
  const str = (field: string): string | undefined => {
    const m = new RegExp(`^\\s*\\w+\\.${field}\\s*=\\s*["']([^"']+)["']`, 'm').exec(text);
    return m?.[1];
  };
  let version = str('version');
  if (!version) {
    // `s.version = Gem::Version.new("1.2.3")` is also written by some tools.
    version = /^\s*\w+\.version\s*=\s*Gem::Version\.new\(\s*["']([^"']+)["']/m.exec(text)?.[1];
  }
  const licenses: string[] = [];
  const list = /^\s*\w+\.licenses\s*=\s*\[([^\]]*)\]/m.exec(text)?.[1];
  if (list) for (const m of list.matchAll(/["']([^"']+)["']/g)) licenses.push(m[1] as string);
  const single = str('license');
  if (single && !licenses.includes(single)) licenses.push(single);
  return { name: str('name'), version, licenses };
}

export default defineAnalyzer({
  name: 'lang/ruby',
  version: 1,
  async analyze(files) {
    const result: AnalyzerResult = emptyResult();
    await eachFile(files, result, async (file) => {
      const text = await file.readText();
      if (file.path.endsWith('.gemspec')) {
        const spec = parseGemspec(text);
        if (!spec.name || !spec.version) {
          result.issues.push({ path: file.path, severity: 'error', message: 'not a RubyGems specification: no `s.name = "…"` and `s.version = "…"` assignments found' });
          return;
        }
        result.packages.push({
          id: `${spec.name}@${spec.version}`,
          name: spec.name,
          version: spec.version,
          purl: { type: 'gem', name: spec.name, version: spec.version },
          locations: [file.path],
          licenses: spec.licenses.length ? spec.licenses : undefined,
        });
        return;
      }
      parseLockfile(text, file, result);
    });
    return result;
  },
});
