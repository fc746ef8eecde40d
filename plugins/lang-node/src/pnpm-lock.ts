/**
 * pnpm-lock.yaml, lockfile versions 5.x, 6.x and 9.x.
 *  - keys of `packages` are dependency paths: v5 `/name/1.0.0_peer@2+other@3`, v6 `/name@1.0.0(peer@2)`,
 *    v9 `name@1.0.0` (peers only in `snapshots`); non-registry packages carry `name`/`version` fields
 *    and a `resolution` ({tarball} | {type: git, repo, commit} | {type: directory, directory}).
 *  - v5/v6 mark `dev: true|false` and `optional: true` per package (no `dev` = used by both); v9 does not,
 *    so groups are derived by walking `snapshots` from the importers' dependency sections.
 */
import { type AnalyzerFile, type AnalyzerResult } from '../../sdk';
import { FileCollector, isObject, readYaml, redactUrl, splitDescriptor, stringMap, type Group, type Occurrence } from './common';

type Major = 5 | 6 | 9;

const startsWithDigit = (s: string): boolean => /^\d/.test(s);

/** v9 snapshot key of dependency `name` at `ref`: `1.0.0(peer@1)`, an alias `real@1.0.0`, or a URL. */
function refToKey(name: string, ref: string): string {
  if (startsWithDigit(ref)) return `${name}@${ref}`;
  const d = splitDescriptor(ref);
  if (d && startsWithDigit(d.range)) return ref;
  return `${name}@${ref}`;
}

/** name and version from a dependency path, or undefined when the path does not encode them. */
export function parseDepPath(key: string, major: Major): { name: string; version: string } | undefined {
  let p = key.trim();
  if (/^(?:file|link):/.test(p)) return undefined; // always carry a name field
  const paren = p.indexOf('(');
  if (paren > 0) p = p.slice(0, paren);
  if (major >= 6) {
    if (p.startsWith('/')) p = p.slice(1);
    const d = splitDescriptor(p);
    if (d && startsWithDigit(d.range)) {
      // `registry.example.com/foo@1.0.0`: drop the host segment
      const name = d.name.startsWith('@') ? d.name : (d.name.split('/').pop() ?? d.name);
      return { name, version: d.range };
    }
    if (major >= 9) return undefined;
  }
  // v5 (and v6 files that kept slash paths): /name/version or host/name/version
  const segs = p.split('/');
  const rest = segs.slice(1); // drops '' before a leading '/', or the registry host
  if (!rest.length) return undefined;
  let name: string;
  if (rest[0]?.startsWith('@')) {
    if (rest.length < 2) return undefined;
    name = `${rest[0]}/${rest[1]}`;
    rest.splice(0, 2);
  } else {
    name = rest[0] ?? '';
    rest.splice(0, 1);
  }
  let version = rest[0] ?? '';
  if (!version) {
    const d = splitDescriptor(name);
    if (d && startsWithDigit(d.range)) return { name: d.name, version: d.range };
    return undefined;
  }
  if (!startsWithDigit(version)) return undefined;
  const us = version.indexOf('_');
  if (us > 0) version = version.slice(0, us);
  return name ? { name, version } : undefined;
}

function sourceOf(resolution: unknown): Pick<Occurrence, 'qualifiers' | 'properties'> {
  if (!isObject(resolution)) return { properties: {} };
  const r = stringMap(resolution);
  if (r.type === 'git' && r.repo && r.commit) {
    const url = redactUrl(`${r.repo}#${r.commit}`);
    return { qualifiers: { vcs_url: url }, properties: { resolved: url } };
  }
  if (r.type === 'directory' && r.directory) return { properties: { resolved: `file:${r.directory}` } };
  if (r.tarball) {
    if (r.tarball.startsWith('file:')) return { properties: { resolved: r.tarball } };
    return { qualifiers: { download_url: redactUrl(r.tarball) }, properties: { resolved: redactUrl(r.tarball) } };
  }
  return { properties: {} };
}

function majorOf(v: unknown): Major | undefined {
  const n = Number.parseFloat(String(v ?? ''));
  if (!Number.isFinite(n)) return undefined;
  if (n >= 9) return 9;
  if (n >= 6) return 6;
  if (n >= 5) return 5;
  return undefined;
}

/** Importer dependency sections: v5 `name: ref`, v6/v9 `name: { specifier, version }`. */
function sectionRefs(section: unknown): [string, string][] {
  if (!isObject(section)) return [];
  const out: [string, string][] = [];
  for (const [name, v] of Object.entries(section)) {
    if (typeof v === 'string') out.push([name, v]);
    else if (isObject(v) && typeof v.version === 'string') out.push([name, v.version]);
  }
  return out;
}

export function parsePnpmLock(file: AnalyzerFile, text: string, result: AnalyzerResult): void {
  const y = readYaml(text);
  if ('error' in y) {
    result.issues.push({ path: file.path, severity: 'error', ...(y.line ? { line: y.line } : {}), message: `not a pnpm-lock.yaml: invalid YAML (${y.error})` });
    return;
  }
  if ('doc' in y && !Object.keys(y.doc).length) return; // an empty (or comments-only) lockfile lists nothing
  if (!('doc' in y) || y.doc.lockfileVersion === undefined) {
    result.issues.push({ path: file.path, severity: 'error', message: 'not a pnpm-lock.yaml: expected a YAML mapping with "lockfileVersion" and "packages"' });
    return;
  }
  const doc = y.doc;
  const major = majorOf(doc.lockfileVersion);
  if (!major) {
    result.issues.push({ path: file.path, severity: 'error', message: `unsupported pnpm lockfileVersion ${JSON.stringify(doc.lockfileVersion)} (expected 5.x, 6.x or 9.x)` });
    return;
  }
  const packages = isObject(doc.packages) ? doc.packages : {};
  if (doc.packages !== undefined && doc.packages !== null && doc.packages !== '' && !isObject(doc.packages)) {
    result.issues.push({ path: file.path, severity: 'error', message: 'pnpm-lock.yaml: "packages" must be a mapping of dependency paths' });
    return;
  }
  const snapshots = major >= 9 && isObject(doc.snapshots) ? doc.snapshots : {};
  const c = new FileCollector(file, result, true);
  const byKey = new Map<string, string | undefined>();
  const byNameVersion = new Map<string, string | undefined>();
  const baseKey = (k: string): string => {
    let p = k.startsWith('/') ? k.slice(1) : k;
    const paren = p.indexOf('(');
    if (paren > 0) p = p.slice(0, paren);
    return p;
  };
  const lookup = (name: string, ref: string): string | undefined => {
    if (/^link:/.test(ref)) return undefined;
    const candidates =
      major >= 9 ? [refToKey(name, ref)] : ref.replace(/\(.*$/, '').includes('/') || ref.startsWith('file:') ? [ref, `/${ref}`] : major === 5 ? [`/${name}/${ref}`] : [`/${name}@${ref}`];
    for (const k of candidates) {
      if (byKey.has(k)) return byKey.get(k);
      if (byKey.has(baseKey(k))) return byKey.get(baseKey(k));
      const nv = parseDepPath(k, major);
      if (nv && byNameVersion.has(`${nv.name}@${nv.version}`)) return byNameVersion.get(`${nv.name}@${nv.version}`);
    }
    return undefined;
  };

  // v9: which importer sections reach each package (by base key)
  const reach = new Map<string, Set<'prod' | Group>>();
  const optionalSnap = new Set<string>();
  if (major >= 9) {
    for (const [k, s] of Object.entries(snapshots)) if (isObject(s) && s.optional === 'true') optionalSnap.add(baseKey(k));
    const importers = isObject(doc.importers) ? Object.values(doc.importers) : [];
    const snapDeps = (k: string): [string, string][] => {
      const s = snapshots[k];
      if (!isObject(s)) return [];
      return [...Object.entries(stringMap(s.dependencies)), ...Object.entries(stringMap(s.optionalDependencies))];
    };
    const walk = (start: [string, string][], mark: 'prod' | Group): void => {
      const queue = start.filter(([, r]) => !r.startsWith('link:')).map(([n, r]) => refToKey(n, r));
      const done = new Set<string>();
      for (let i = 0; i < queue.length; i++) {
        const k = queue[i] as string;
        if (done.has(k)) continue;
        done.add(k);
        const b = baseKey(k);
        const set = reach.get(b) ?? new Set();
        set.add(mark);
        reach.set(b, set);
        for (const [n, r] of snapDeps(k)) if (!r.startsWith('link:')) queue.push(refToKey(n, r));
      }
    };
    for (const imp of importers) {
      if (!isObject(imp)) continue;
      walk(sectionRefs(imp.dependencies), 'prod');
      walk(sectionRefs(imp.optionalDependencies), 'optional');
      walk(sectionRefs(imp.devDependencies), 'dev');
    }
  }

  const entries: [string, string | undefined, Record<string, unknown>][] = [];
  for (const [key, raw] of Object.entries(packages)) {
    const e = isObject(raw) ? raw : {};
    const parsed = parseDepPath(key, major);
    // v9 keys of non-registry packages are `name@<url>`: the name is in the key, the version in a field
    const keyName = major >= 9 ? splitDescriptor(key.startsWith('/') ? key.slice(1) : key)?.name : undefined;
    const name = typeof e.name === 'string' && e.name ? e.name : (parsed?.name ?? keyName);
    const version = typeof e.version === 'string' && e.version ? e.version : parsed?.version;
    if (!name || !version) {
      c.issue('warning', `package ${JSON.stringify(key)} has no name and version (expected a dependency path like ${major === 5 ? '"/name/1.0.0"' : major === 6 ? '"/name@1.0.0"' : '"name@1.0.0"'} or "name"/"version" fields); skipped`);
      continue;
    }
    let groups: Group[] = [];
    if (major < 9) {
      if (e.dev === 'true') groups.push('dev');
      if (e.optional === 'true') groups.push('optional');
    } else {
      const marks = reach.get(baseKey(key)) ?? new Set();
      const opt = optionalSnap.has(baseKey(key));
      if (!marks.has('prod') || opt) {
        if (marks.has('dev') && !marks.has('prod')) groups.push('dev');
        if (opt || marks.has('optional')) groups.push('optional');
      }
      groups = [...new Set(groups)];
    }
    const src = sourceOf(e.resolution);
    const id = c.add({ name, version, groups, qualifiers: src.qualifiers, properties: src.properties });
    byKey.set(key, id);
    byKey.set(baseKey(key), id);
    if (!byNameVersion.has(`${name}@${version}`)) byNameVersion.set(`${name}@${version}`, id);
    entries.push([key, id, e]);
  }
  const snapsByBase = new Map<string, Record<string, unknown>[]>();
  for (const [k, s] of Object.entries(snapshots)) if (isObject(s)) snapsByBase.set(baseKey(k), [...(snapsByBase.get(baseKey(k)) ?? []), s]);
  const depsOf = (key: string, e: Record<string, unknown>): [string, string][] => {
    const from = major >= 9 ? (snapsByBase.get(baseKey(key)) ?? []) : [e];
    return from.flatMap((s) => [...Object.entries(stringMap(s.dependencies)), ...Object.entries(stringMap(s.optionalDependencies))]);
  };
  for (const [key, id, e] of entries) for (const [n, r] of depsOf(key, e)) c.edge(id, lookup(n, r));
  c.finish();
}
