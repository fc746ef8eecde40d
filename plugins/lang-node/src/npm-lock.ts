/**
 * package-lock.json / npm-shrinkwrap.json, lockfile versions 1-3.
 *  - v2/v3 `packages`: one entry per installed folder (`node_modules/a/node_modules/b`); `name` is set
 *    when the folder is an alias; `link: true` entries point at a workspace folder listed on its own.
 *  - v1 `dependencies`: a tree of `{ version, dev, optional, requires, dependencies }`; `version` is
 *    `npm:real@1.0.0` for aliases, a git URL with the commit for git dependencies, `file:…` for local ones.
 * v2 files carry both; `packages` is the complete one, so it wins.
 * The project itself (`packages[""]`, when it has a name) is reported as the root package, as Syft does.
 */
import { type AnalyzerFile, type AnalyzerResult } from '../../sdk';
import { FileCollector, isGitSpec, isObject, isRegistryTarball, redactUrl, splitDescriptor, stringMap, type Group, type Occurrence } from './common';

const MAX_DEPTH = 256;

function groupsOf(e: Record<string, unknown>): Group[] {
  const g: Group[] = [];
  if (e.dev === true || e.devOptional === true) g.push('dev');
  if (e.optional === true || e.devOptional === true) g.push('optional');
  return g;
}

/** `node_modules/a/node_modules/@s/b` -> `@s/b`; a folder outside node_modules (workspace, file: dep) -> its base name. */
export function nameFromLockPath(path: string): string {
  const i = path.lastIndexOf('node_modules/');
  if (i >= 0) return path.slice(i + 'node_modules/'.length);
  const parts = path.split('/').filter(Boolean);
  const base = parts[parts.length - 1] ?? '';
  const scope = parts[parts.length - 2];
  return scope?.startsWith('@') ? `${scope}/${base}` : base;
}

/** Where a `resolved` URL / v1 `version` points, as purl qualifiers and a `resolved` property. */
function sourceOf(spec: string | undefined): { qualifiers?: Record<string, string>; properties: Record<string, string> } {
  if (!spec) return { properties: {} };
  if (isGitSpec(spec)) return { qualifiers: { vcs_url: redactUrl(spec) }, properties: { resolved: redactUrl(spec) } };
  if (/^(?:file|link):/.test(spec)) return { properties: { resolved: spec } };
  if (/^https?:\/\//i.test(spec) && !isRegistryTarball(spec)) return { qualifiers: { download_url: redactUrl(spec) }, properties: { resolved: redactUrl(spec) } };
  return { properties: {} };
}

function parseV2(packages: Record<string, unknown>, c: FileCollector): void {
  const ids = new Map<string, string>();
  const entries: [string, Record<string, unknown>][] = [];
  let rootEntry: Record<string, unknown> | undefined;
  for (const [key, raw] of Object.entries(packages)) {
    if (key === '') {
      // the project itself: Syft reports it (name and version of packages[""]); marked as the root, never matched
      if (isObject(raw) && typeof raw.name === 'string' && raw.name) {
        const version = typeof raw.version === 'string' && raw.version ? raw.version : undefined;
        const id = c.add({ name: raw.name, version, groups: [], properties: {}, licenses: typeof raw.license === 'string' ? [raw.license] : undefined, root: true });
        if (id) ids.set('', id);
        rootEntry = raw;
      }
      continue;
    }
    if (!isObject(raw)) {
      c.issue('warning', `packages[${JSON.stringify(key)}] is not an object (expected { version, resolved, … }); skipped`);
      continue;
    }
    entries.push([key, raw]);
  }
  for (const [key, e] of entries) {
    if (e.link === true) continue; // its target folder is an entry of its own
    const pathName = nameFromLockPath(key);
    const name = typeof e.name === 'string' && e.name ? e.name : pathName;
    const version = typeof e.version === 'string' && e.version ? e.version : undefined;
    const resolved = typeof e.resolved === 'string' ? e.resolved : undefined;
    const src = sourceOf(resolved);
    const properties: Record<string, string> = { ...src.properties };
    if (name !== pathName && key.includes('node_modules/')) properties.alias = pathName;
    if (!key.includes('node_modules/')) properties.resolved ??= `file:${key}`;
    if (!version) c.issue('info', `packages[${JSON.stringify(key)}] (${name}) has no version; reported without one`);
    const occ: Occurrence = { name, version, qualifiers: src.qualifiers, groups: groupsOf(e), properties, licenses: typeof e.license === 'string' ? [e.license] : undefined };
    const id = c.add(occ);
    if (id) ids.set(key, id);
  }
  // Node's resolution: look in <folder>/node_modules, then in each enclosing node_modules up to the root.
  const resolve = (from: string, dep: string): string | undefined => {
    let base = from;
    for (;;) {
      const cand = `${base ? `${base}/` : ''}node_modules/${dep}`;
      const hit = packages[cand];
      if (isObject(hit)) {
        if (hit.link === true && typeof hit.resolved === 'string') return ids.get(hit.resolved);
        return ids.get(cand);
      }
      if (!base) return undefined;
      const i = base.lastIndexOf('/node_modules/');
      base = i >= 0 ? base.slice(0, i) : '';
    }
  };
  for (const [key, e] of rootEntry ? [['', rootEntry] as [string, Record<string, unknown>], ...entries] : entries) {
    const from = ids.get(key);
    if (!from) continue;
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
      if (field === 'devDependencies' && key !== '') continue;
      for (const dep of Object.keys(stringMap(e[field]))) c.edge(from, resolve(key, dep));
    }
  }
}

function occurrenceV1(key: string, e: Record<string, unknown>): Occurrence {
  const spec = typeof e.version === 'string' ? e.version : '';
  const properties: Record<string, string> = {};
  let name = key;
  let version: string | undefined = spec || undefined;
  let qualifiers: Record<string, string> | undefined;
  if (spec.startsWith('npm:')) {
    const d = splitDescriptor(spec.slice(4));
    if (d) {
      name = d.name;
      version = d.range;
      properties.alias = key;
    }
  } else if (/^(?:file|link):/.test(spec)) {
    version = undefined;
    properties.resolved = spec;
  } else if (isGitSpec(spec) || /^[a-z+]+:\/\//i.test(spec)) {
    // The commit (or tarball) is known, the package's own version is not.
    version = undefined;
    qualifiers = isGitSpec(spec) ? { vcs_url: redactUrl(spec) } : { download_url: redactUrl(spec) };
    properties.resolved = redactUrl(spec);
  }
  return { name, version, qualifiers, groups: groupsOf(e), properties };
}

function parseV1(deps: Record<string, unknown>, c: FileCollector): void {
  interface Node {
    id: string | undefined;
    requires: string[];
    scopes: Record<string, unknown>[]; // innermost first: where `requires` names are looked up
  }
  const nodes: Node[] = [];
  const idOf = new Map<Record<string, unknown>, string | undefined>();
  const walk = (map: Record<string, unknown>, outer: Record<string, unknown>[], depth: number): void => {
    if (depth > MAX_DEPTH) {
      c.issue('warning', `dependencies nested deeper than ${MAX_DEPTH} levels; the rest is skipped`);
      return;
    }
    const scopes = [map, ...outer];
    for (const [key, raw] of Object.entries(map)) {
      if (!isObject(raw)) {
        c.issue('warning', `dependencies[${JSON.stringify(key)}] is not an object (expected { version, … }); skipped`);
        continue;
      }
      const occ = occurrenceV1(key, raw);
      if (!occ.version && !occ.properties?.resolved) c.issue('info', `dependencies[${JSON.stringify(key)}] has no version; reported without one`);
      const id = c.add(occ);
      idOf.set(raw, id);
      const inner = isObject(raw.dependencies) ? raw.dependencies : undefined;
      nodes.push({ id, requires: Object.keys(stringMap(raw.requires)), scopes: inner ? [inner, ...scopes] : scopes });
      if (inner) walk(inner, scopes, depth + 1);
    }
  };
  walk(deps, [], 0);
  for (const n of nodes) {
    for (const dep of n.requires) {
      const scope = n.scopes.find((s) => isObject(s[dep]));
      const target = scope?.[dep];
      if (isObject(target)) c.edge(n.id, idOf.get(target));
    }
  }
}

export function parsePackageLock(file: AnalyzerFile, text: string, result: AnalyzerResult): void {
  const what = file.path.endsWith('npm-shrinkwrap.json') ? 'npm-shrinkwrap.json' : 'package-lock.json';
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    result.issues.push({ path: file.path, severity: 'error', message: `not a ${what}: invalid JSON (${(e as Error).message.replace(/\s+/g, ' ').slice(0, 200)})` });
    return;
  }
  if (!isObject(doc) || (!isObject(doc.packages) && !isObject(doc.dependencies))) {
    result.issues.push({ path: file.path, severity: 'error', message: `not a ${what}: expected an object with a "packages" (lockfile v2/v3) or "dependencies" (v1) object` });
    return;
  }
  const c = new FileCollector(file, result, true);
  if (isObject(doc.packages)) parseV2(doc.packages, c);
  else parseV1(doc.dependencies as Record<string, unknown>, c);
  c.finish();
}
