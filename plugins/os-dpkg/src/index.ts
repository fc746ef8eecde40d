/**
 * os/dpkg — Debian packages from the dpkg database: `var/lib/dpkg/status` (one paragraph per package)
 * and distroless `var/lib/dpkg/status.d/<package>` files (one or more paragraphs, usually no Status).
 *
 * Reports what `dpkg-query -W` reports: the binary package name and `${Version}` exactly as written
 * (epoch included), the architecture, and the source package (`Source: name (version)`, version
 * defaulting to the binary version as dpkg does for `${source:Version}`).
 *
 * Tolerant of damaged databases, as dpkg-query is: a paragraph that cannot name a package is a located
 * issue and every other paragraph is still reported; a package without a Version is kept with an empty
 * version (Syft does the same; osv-scanner reports it too).
 *
 * The files each package installed come from `var/lib/dpkg/info/<pkg>[:<arch>].list` (and, in distroless
 * images, `status.d/<pkg>.md5sums`): reported as `installedFiles`, which the host joins to the package
 * across layers, so language packages a Debian package installed can be attributed to it.
 */
import { defineAnalyzer, eachFile, emptyResult, parseControl, parseNameWithVersion, type AnalyzerFile, type AnalyzerResult, type ControlParagraph, type FileIssue, type PackageRecord } from '../../sdk';

/** dpkg's "current state" words whose files are on disk; `not-installed` and `config-files` are not. */
const ON_DISK_STATES = new Set(['installed', 'unpacked', 'half-installed', 'half-configured', 'triggers-awaited', 'triggers-pending']);
const KNOWN_STATES = new Set([...ON_DISK_STATES, 'not-installed', 'config-files']);

type Verdict = { keep: true } | { keep: false; issue?: string };

function statusVerdict(status: string | undefined): Verdict {
  // Distroless status.d entries carry no Status: they are installed by construction.
  if (status === undefined) return { keep: true };
  const words = status.split(/\s+/).filter(Boolean);
  const state = words[2];
  if (words.length !== 3 || state === undefined || !KNOWN_STATES.has(state)) {
    return { keep: false, issue: `Status ${JSON.stringify(status)}: expected "<want> <flag> <state>" with a dpkg state such as "install ok installed"` };
  }
  return ON_DISK_STATES.has(state) ? { keep: true } : { keep: false };
}

/** First names of a Depends-style field (alternatives: every named package; version/arch constraints dropped). */
function dependencyNames(field: string | undefined): string[] {
  if (!field) return [];
  const out: string[] = [];
  for (const clause of field.split(',')) {
    for (const alt of clause.split('|')) {
      const name = /^\s*([a-z0-9][a-z0-9+.-]*)/i.exec(alt)?.[1];
      if (name) out.push(name.toLowerCase());
    }
  }
  return out;
}

/** Simple fields are one line; a stray continuation line (seen in damaged databases) is not part of them. */
function one(p: ControlParagraph, field: string): string | undefined {
  const v = p.get(field)?.split('\n')[0]?.trim();
  return v ? v : undefined;
}

function recordFrom(p: ControlParagraph, path: string, issues: FileIssue[]): PackageRecord | undefined {
  const name = one(p, 'Package');
  const version = one(p, 'Version');
  if (!name) {
    issues.push({ path, line: p.line, severity: 'warning', message: 'paragraph without a Package field skipped (expected "Package: <name>")' });
    return undefined;
  }
  const verdict = statusVerdict(one(p, 'Status'));
  if (!verdict.keep) {
    if (verdict.issue) issues.push({ path, line: p.line, severity: 'warning', message: `package ${name}: ${verdict.issue}; skipped` });
    return undefined;
  }
  if (!version) issues.push({ path, line: p.line, severity: 'warning', message: `package ${name} has no Version field; reported with an empty version` });
  const arch = one(p, 'Architecture');
  const src = one(p, 'Source');
  const source = src ? parseNameWithVersion(src) : undefined;
  const properties: Record<string, string> = {};
  if (arch) properties.arch = arch;
  const installedSize = one(p, 'Installed-Size');
  if (installedSize) properties.installedSize = installedSize;
  const maintainer = one(p, 'Maintainer');
  if (maintainer) properties.maintainer = maintainer;
  return {
    id: `${name}:${arch ?? ''}`,
    name,
    version,
    purl: { type: 'deb', namespace: 'debian', name, version, qualifiers: { arch } },
    distroBound: true,
    source: source ? { name: source.name, ...((source.version ?? version) ? { version: source.version ?? version } : {}) } : { name, ...(version ? { version } : {}) },
    locations: [path],
    properties,
  };
}

export function parseDpkgDatabase(text: string, path: string, result: AnalyzerResult): void {
  const { paragraphs, problems } = parseControl(text);
  const located = problems.map((x) => ({ path, line: x.line, severity: 'warning' as const, message: x.message }));
  const before = result.packages.length;
  const records: PackageRecord[] = [];
  for (const p of paragraphs) {
    const r = recordFrom(p, path, result.issues);
    if (r) records.push(r);
  }
  if (!records.length && paragraphs.every((p) => !one(p, 'Package')) && text.trim() !== '') {
    // Nothing package-shaped at all: this is not a dpkg database (e.g. a requirements.txt given --as status).
    result.issues.push({ path, line: problems[0]?.line ?? 1, severity: 'error', message: 'not a dpkg status file: no "Package:" paragraph found (expected RFC 822 paragraphs with Package, Status, Version)' });
    return;
  }
  result.issues.push(...located);
  // A package appears once per architecture; the last paragraph wins as in dpkg's own database load.
  const byId = new Map<string, PackageRecord>();
  for (const r of records) byId.set(r.id, r);
  result.packages.push(...byId.values());
  const names = new Map<string, string[]>();
  for (const r of result.packages.slice(before)) names.set(r.name, [...(names.get(r.name) ?? []), r.id]);
  for (const p of paragraphs) {
    const name = one(p, 'Package');
    const id = name ? `${name}:${one(p, 'Architecture') ?? ''}` : undefined;
    if (!id || !byId.has(id)) continue;
    const deps = new Set([...dependencyNames(p.get('Depends')), ...dependencyNames(p.get('Pre-Depends'))]);
    for (const d of [...deps].sort()) {
      for (const to of names.get(d) ?? []) if (to !== id) result.relationships.push({ from: id, to, type: 'depends-on' });
    }
  }
}

/** `/var/lib/dpkg/info/libc6:amd64.list` → `libc6:amd64`; `.../status.d/tzdata.md5sums` → `tzdata`. */
function listedPackage(path: string): { kind: 'list' | 'md5sums'; pkg: string } | undefined {
  const m = /\/(?:info|status\.d)\/([^/]+)\.(list|md5sums)$/.exec(path);
  return m ? { kind: m[2] as 'list' | 'md5sums', pkg: m[1] as string } : undefined;
}

/**
 * One package's installed files. A `.list` holds absolute paths, directories included; `.md5sums` holds
 * `<md5>  <path without leading />` lines for regular files only.
 */
export function parseFileList(text: string, kind: 'list' | 'md5sums'): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const t = line.replace(/\r$/, '');
    if (!t) continue;
    if (kind === 'list') {
      if (t.startsWith('/') && t !== '/.') out.push(t);
    } else {
      const m = /^[0-9a-f]{32}\s+(.+)$/i.exec(t);
      if (m) out.push(`/${(m[1] as string).replace(/^\/+/, '')}`);
    }
  }
  return out;
}

function addFileList(f: AnalyzerFile, text: string, kind: 'list' | 'md5sums', pkg: string, result: AnalyzerResult): void {
  const paths = parseFileList(text, kind);
  // Package ids are `name:arch`; a list named without the arch belongs to the package of that name
  // (the host matches `package` against record ids, then names).
  result.installedFiles ??= [];
  result.installedFiles.push({ package: pkg, source: f.path, paths });
}

export default defineAnalyzer({
  name: 'os/dpkg',
  // 2: installed-file lists; packages without a Version are kept.
  version: 2,
  async analyze(files) {
    const result = emptyResult();
    await eachFile(files, result, async (f) => {
      const listed = listedPackage(f.path);
      if (listed) addFileList(f, await f.readText(), listed.kind, listed.pkg, result);
      else parseDpkgDatabase(await f.readText(), f.path, result);
    });
    result.installedFiles?.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
    return result;
  },
});
