/**
 * Python lockfiles: poetry.lock, Pipfile.lock, pdm.lock, uv.lock. Every entry is a pinned, declared
 * package; versions are reported as written. Groups: Poetry `category`/`groups` other than `main` and
 * `optional = true` extras; Pipfile `develop`; PDM `groups` other than `default`; uv groups are derived
 * from the project's own entry (its `optional-dependencies` / `dev-dependencies`), walking dependencies.
 */
import { type AnalyzerFile, type AnalyzerResult } from '../../sdk';
import { Collector, isObject, readToml, redactUrl, requirementName, type Occurrence } from './common';

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function packageList(doc: Record<string, unknown>, what: string, c: Collector): Record<string, unknown>[] | undefined {
  const list = doc.package ?? [];
  if (!Array.isArray(list)) {
    c.issue('error', `not a ${what}: "package" must be an array of tables ([[package]])`);
    return undefined;
  }
  const out: Record<string, unknown>[] = [];
  list.forEach((p: unknown, i) => {
    if (!isObject(p) || typeof p.name !== 'string' || typeof p.version !== 'string' || !p.name || !p.version) {
      c.issue('warning', `${what}: [[package]] #${i + 1} lacks a string "name" or "version"; skipped`);
      return;
    }
    out.push(p);
  });
  return out;
}

export function parsePoetryLock(file: AnalyzerFile, text: string, result: AnalyzerResult): void {
  const doc = readToml(file, text, 'poetry.lock', result);
  if (!doc) return;
  const c = new Collector(file, result);
  const list = packageList(doc, 'poetry.lock', c);
  if (!list) return;
  const made: [string | undefined, Record<string, unknown>][] = [];
  for (const p of list) {
    const groups = new Set<string>();
    if (typeof p.category === 'string' && p.category !== 'main') groups.add(p.category);
    const gs = strings(p.groups);
    if (gs.length && !gs.includes('main')) for (const g of gs) groups.add(g);
    if (p.optional === true) groups.add('optional');
    const occ: Occurrence = { name: p.name as string, version: p.version as string, groups: [...groups], properties: {} };
    const src = isObject(p.source) ? p.source : undefined;
    if (src && typeof src.type === 'string' && typeof src.url === 'string') {
      const url = redactUrl(src.url);
      if (src.type === 'git') {
        const rev = typeof src.resolved_reference === 'string' ? src.resolved_reference : typeof src.reference === 'string' ? src.reference : undefined;
        occ.qualifiers = { vcs_url: `git+${url}${rev ? `@${rev}` : ''}` };
      } else if (src.type === 'legacy') {
        occ.qualifiers = { repository_url: url };
      } else if (src.type === 'url') {
        occ.qualifiers = { download_url: url };
      } else {
        occ.properties = { resolved: `${src.type}:${url}` }; // directory / file: a local path
      }
    }
    made.push([c.add(occ), p]);
  }
  for (const [id, p] of made) if (isObject(p.dependencies)) for (const dep of Object.keys(p.dependencies)) c.edgeByName(id, dep);
  c.finish();
}

export function parsePipfileLock(file: AnalyzerFile, text: string, result: AnalyzerResult): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    result.issues.push({ path: file.path, severity: 'error', message: `not a Pipfile.lock: invalid JSON (${(e as Error).message.replace(/\s+/g, ' ').slice(0, 200)})` });
    return;
  }
  if (!isObject(doc) || (!isObject(doc.default) && !isObject(doc.develop))) {
    result.issues.push({ path: file.path, severity: 'error', message: 'not a Pipfile.lock: expected an object with "default" and "develop" sections' });
    return;
  }
  const c = new Collector(file, result);
  for (const [section, groups] of [['default', []], ['develop', ['develop']]] as const) {
    const s = doc[section];
    if (s === undefined) continue;
    if (!isObject(s)) {
      c.issue('warning', `Pipfile.lock "${section}" is not an object of packages; skipped`);
      continue;
    }
    for (const [name, e] of Object.entries(s)) {
      if (!isObject(e)) {
        c.issue('warning', `Pipfile.lock ${section}.${name} is not an object; skipped`);
        continue;
      }
      const occ: Occurrence = { name, groups: [...groups], properties: {} };
      if (typeof e.version === 'string') {
        const m = /^\s*===?\s*(\S+)\s*$/.exec(e.version);
        if (m) occ.version = m[1];
        else c.issue('info', `Pipfile.lock ${section}.${name}: version ${JSON.stringify(e.version)} is not a pin (==); reported without a version`);
      } else if (typeof e.git === 'string') {
        const ref = typeof e.ref === 'string' ? e.ref : undefined;
        occ.qualifiers = { vcs_url: `git+${redactUrl(e.git)}${ref ? `@${ref}` : ''}` };
      } else if (typeof e.path === 'string' || typeof e.file === 'string') {
        occ.properties = { resolved: String(e.path ?? e.file) };
      } else {
        c.issue('info', `Pipfile.lock ${section}.${name} has no version; reported without one`);
      }
      if (typeof e.markers === 'string') occ.properties = { ...occ.properties, marker: e.markers };
      c.add(occ);
    }
  }
  c.finish();
}

export function parsePdmLock(file: AnalyzerFile, text: string, result: AnalyzerResult): void {
  const doc = readToml(file, text, 'pdm.lock', result);
  if (!doc) return;
  const c = new Collector(file, result);
  const list = packageList(doc, 'pdm.lock', c);
  if (!list) return;
  const made: [string | undefined, Record<string, unknown>][] = [];
  for (const p of list) {
    const gs = strings(p.groups);
    const occ: Occurrence = { name: p.name as string, version: p.version as string, groups: gs.length && !gs.includes('default') ? gs : [], properties: {} };
    if (typeof p.git === 'string') {
      const rev = typeof p.revision === 'string' ? p.revision : typeof p.ref === 'string' ? p.ref : undefined;
      occ.qualifiers = { vcs_url: `git+${redactUrl(p.git)}${rev ? `@${rev}` : ''}` };
    } else if (typeof p.url === 'string') {
      occ.qualifiers = { download_url: redactUrl(p.url) };
    } else if (typeof p.path === 'string') {
      occ.properties = { resolved: p.path };
    }
    if (typeof p.marker === 'string') occ.properties = { ...occ.properties, marker: p.marker };
    made.push([c.add(occ), p]);
  }
  for (const [id, p] of made) for (const d of strings(p.dependencies)) c.edgeByName(id, requirementName(d));
  c.finish();
}

interface UvDep {
  name: string;
  version?: string;
}

function uvDeps(v: unknown): UvDep[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).flatMap((d) => (typeof d.name === 'string' ? [{ name: d.name, ...(typeof d.version === 'string' ? { version: d.version } : {}) }] : []));
}

export function parseUvLock(file: AnalyzerFile, text: string, result: AnalyzerResult): void {
  const doc = readToml(file, text, 'uv.lock', result);
  if (!doc) return;
  const c = new Collector(file, result);
  const list = packageList(doc, 'uv.lock', c);
  if (!list) return;
  const sourceOf = (p: Record<string, unknown>): Record<string, unknown> => (isObject(p.source) ? p.source : {});
  const isProject = (p: Record<string, unknown>): boolean => sourceOf(p).virtual === '.' || sourceOf(p).editable === '.';
  // Which of the project's sections reach each package: '' = its required dependencies, else the group.
  const byName = new Map<string, Record<string, unknown>[]>();
  const norm = (n: string): string => n.toLowerCase().replace(/[-_.]+/g, '-');
  for (const p of list) byName.set(norm(p.name as string), [...(byName.get(norm(p.name as string)) ?? []), p]);
  const find = (d: UvDep): Record<string, unknown> | undefined => {
    const cands = byName.get(norm(d.name)) ?? [];
    return d.version ? cands.find((x) => x.version === d.version) : cands.length === 1 ? cands[0] : undefined;
  };
  const depsOf = (p: Record<string, unknown>): UvDep[] => [
    ...uvDeps(p.dependencies),
    ...(isObject(p['optional-dependencies']) ? Object.values(p['optional-dependencies']).flatMap(uvDeps) : []),
  ];
  const reach = new Map<Record<string, unknown>, Set<string>>();
  const walk = (start: UvDep[], mark: string): void => {
    const queue = start.map(find).filter((x): x is Record<string, unknown> => !!x);
    const seen = new Set<Record<string, unknown>>();
    for (let i = 0; i < queue.length; i++) {
      const p = queue[i] as Record<string, unknown>;
      if (seen.has(p) || isProject(p)) continue;
      seen.add(p);
      reach.set(p, (reach.get(p) ?? new Set()).add(mark));
      for (const d of uvDeps(p.dependencies)) {
        const q = find(d);
        if (q) queue.push(q);
      }
    }
  };
  const projects = list.filter(isProject);
  for (const root of projects) {
    walk(uvDeps(root.dependencies), '');
    for (const section of ['optional-dependencies', 'dev-dependencies']) {
      const groups = root[section];
      if (isObject(groups)) for (const [g, deps] of Object.entries(groups)) walk(uvDeps(deps), g);
    }
  }
  const ids = new Map<Record<string, unknown>, string | undefined>();
  for (const p of list) {
    if (isProject(p)) continue; // the project itself: its name and version are its own, not a dependency
    const marks = reach.get(p);
    const groups = projects.length && marks && !marks.has('') ? [...marks] : [];
    const src = sourceOf(p);
    const occ: Occurrence = { name: p.name as string, version: p.version as string, groups, properties: {} };
    if (typeof src.git === 'string') occ.qualifiers = { vcs_url: `git+${redactUrl(src.git.replace(/#([0-9a-f]{7,40})$/i, '@$1'))}` };
    else if (typeof src.url === 'string') occ.qualifiers = { download_url: redactUrl(src.url) };
    else if (typeof src.registry === 'string' && !/^https:\/\/pypi\.org\/simple\/?$/.test(src.registry)) occ.qualifiers = { repository_url: redactUrl(src.registry) };
    else if (typeof src.path === 'string' || typeof src.directory === 'string' || typeof src.editable === 'string' || typeof src.virtual === 'string') {
      occ.properties = { resolved: String(src.path ?? src.directory ?? src.editable ?? src.virtual) };
    }
    ids.set(p, c.add(occ));
  }
  for (const p of list) {
    const from = ids.get(p);
    for (const d of depsOf(p)) {
      const q = find(d);
      if (q) c.edge(from, ids.get(q));
    }
  }
  c.finish();
}
