/**
 * yarn.lock, classic (v1, yarn's own "syml" format) and berry (yarn 2+, YAML with a `__metadata`
 * block); both read as yarn reads them (`readYaml`). Keys are descriptors `name@range[, name@range…]`;
 * aliases are `alias@npm:real@range`. Berry records the real locator in `resolution`. Yarn records no
 * dev/optional groups, so every entry is reported as required.
 */
import { type AnalyzerFile, type AnalyzerResult } from '../../sdk';
import { FileCollector, isGitSpec, isObject, isRegistryTarball, readYaml, redactUrl, splitDescriptor, stringMap, type Occurrence } from './common';

/** `name@npm:real@^1` -> real name and range; anything else unchanged. */
function unalias(name: string, range: string): { name: string; range: string; alias?: string } {
  if (range.startsWith('npm:')) {
    const inner = splitDescriptor(range.slice(4));
    if (inner && !/^[\^~<>=*\d]/.test(inner.name)) return { ...inner, alias: name };
    return { name, range: range.slice(4) };
  }
  return { name, range };
}

/** Where a non-registry entry comes from: purl qualifiers and a `resolved` property. */
function sourceOf(range: string, resolved: string | undefined): Pick<Occurrence, 'qualifiers' | 'properties'> {
  const where = resolved ?? range;
  if (/^(?:file|link|portal|exec):/.test(range) || /^(?:file|link|portal|exec):/.test(where)) return { properties: { resolved: where.replace(/::.*$/, '').replace(/#.*$/, '') } };
  if (isGitSpec(where) || /#commit[=:]/.test(where) || isGitSpec(range)) return { qualifiers: { vcs_url: redactUrl(where) }, properties: { resolved: redactUrl(where) } };
  if (/^https?:\/\//i.test(where)) return { qualifiers: { download_url: redactUrl(where) }, properties: { resolved: redactUrl(where) } };
  return { properties: { resolved: redactUrl(where) } };
}

/** A range that the registry resolves (semver range, tag, or berry `npm:`), as opposed to git/URL/path sources. */
function isRegistryRange(range: string): boolean {
  return range.startsWith('npm:') || range.startsWith('patch:') || (!range.includes(':') && !range.includes('/'));
}

function parseClassic(text: string, file: AnalyzerFile, result: AnalyzerResult): void {
  const y = readYaml(text);
  if (!('doc' in y)) {
    const why = 'error' in y ? `${y.error} ` : '';
    result.issues.push({ path: file.path, severity: 'error', ...('line' in y && y.line ? { line: y.line } : {}), message: `not a yarn.lock: ${why}(expected "descriptor:" blocks with indented "version" fields)` });
    return;
  }
  const doc = y.doc;
  const c = new FileCollector(file, result, true);
  const byDescriptor = new Map<string, string | undefined>();
  const entries: { id: string | undefined; e: Record<string, unknown> }[] = [];
  const seen = new Map<Record<string, unknown>, string | undefined>();
  for (const [key, e] of Object.entries(doc)) {
    if (!isObject(e)) {
      c.issue('warning', `entry ${JSON.stringify(key)} is not a block of fields (expected indented "version …" lines); skipped`);
      continue;
    }
    if (seen.has(e)) {
      for (const d of key.split(/,\s*/)) byDescriptor.set(d.trim(), seen.get(e));
      continue;
    }
    const first = splitDescriptor((key.split(/,\s*/)[0] ?? '').trim());
    if (!first) {
      c.issue('warning', `entry ${JSON.stringify(key)} is not a "name@range" descriptor; skipped`);
      continue;
    }
    const version = typeof e.version === 'string' && e.version ? e.version : undefined;
    if (!version) c.issue('warning', `entry ${JSON.stringify(key)} has no "version"; reported without one`);
    const u = unalias(first.name, first.range);
    const resolved = typeof e.resolved === 'string' ? e.resolved : undefined;
    // `resolved` tells where the bytes came from (a semver-looking key can still resolve to git).
    const fromRegistry = resolved ? isRegistryTarball(resolved) : isRegistryRange(first.range);
    const src = fromRegistry ? { properties: {} } : sourceOf(u.range, resolved);
    const id = c.add({ name: u.name, version, groups: [], qualifiers: src.qualifiers, properties: { ...(u.alias ? { alias: u.alias } : {}), ...src.properties } });
    seen.set(e, id);
    for (const d of key.split(/,\s*/)) byDescriptor.set(d.trim(), id);
    entries.push({ id, e });
  }
  for (const { id, e } of entries) {
    for (const field of ['dependencies', 'optionalDependencies']) {
      for (const [n, r] of Object.entries(stringMap(e[field]))) c.edge(id, byDescriptor.get(`${n}@${r}`));
    }
  }
  c.finish();
}

function parseBerry(text: string, file: AnalyzerFile, result: AnalyzerResult): void {
  const y = readYaml(text);
  if (!('doc' in y)) {
    const why = 'error' in y ? `invalid YAML (${y.error})` : 'expected a YAML mapping of "descriptor": { version, resolution, … }';
    result.issues.push({ path: file.path, severity: 'error', ...('line' in y && y.line ? { line: y.line } : {}), message: `not a yarn.lock: ${why}` });
    return;
  }
  const doc = y.doc;
  const c = new FileCollector(file, result, true);
  const byDescriptor = new Map<string, string | undefined>();
  const entries: { id: string | undefined; e: Record<string, unknown> }[] = [];
  for (const [key, e] of Object.entries(doc)) {
    if (key === '__metadata') continue;
    if (!isObject(e)) {
      c.issue('warning', `entry ${JSON.stringify(key)} is not a mapping (expected { version, resolution, … }); skipped`);
      continue;
    }
    const descriptors = key.split(/,\s*/).map((d) => d.trim());
    const locator = typeof e.resolution === 'string' ? e.resolution : (descriptors[0] ?? '');
    const loc = splitDescriptor(locator);
    if (!loc) {
      c.issue('warning', `entry ${JSON.stringify(key)}: ${JSON.stringify(locator)} is not a "name@reference" locator; skipped`);
      continue;
    }
    const firstKey = splitDescriptor(descriptors[0] ?? '');
    if (loc.range.startsWith('workspace:')) {
      // the project's own workspaces (`0.0.0-use.local` unless the package.json names a version): reported, as
      // osv-scanner and Syft do — under the lockfile key's name, as Syft does — and marked root, never matched
      const name = firstKey?.name ?? loc.name;
      const version = typeof e.version === 'string' && e.version ? e.version : undefined;
      const id = c.add({ name, version, groups: [], properties: { workspace: loc.range.slice('workspace:'.length) }, root: true });
      for (const d of descriptors) byDescriptor.set(d, id);
      entries.push({ id, e });
      continue;
    }
    const u = unalias(loc.name, loc.range);
    const version = typeof e.version === 'string' && e.version ? e.version : undefined;
    if (!version) c.issue('warning', `entry ${JSON.stringify(key)} has no "version"; reported without one`);
    const alias = firstKey && firstKey.name !== u.name ? firstKey.name : u.alias;
    const src = isRegistryRange(loc.range) ? { properties: {} } : sourceOf(loc.range, loc.range);
    const id = c.add({ name: u.name, version, groups: [], qualifiers: src.qualifiers, properties: { ...(alias ? { alias } : {}), ...src.properties } });
    for (const d of descriptors) byDescriptor.set(d, id);
    entries.push({ id, e });
  }
  for (const { id, e } of entries) {
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
      for (const [n, r] of Object.entries(stringMap(e[field]))) {
        c.edge(id, byDescriptor.get(`${n}@${r}`) ?? byDescriptor.get(`${n}@npm:${r}`));
      }
    }
  }
  c.finish();
}

export function parseYarnLock(file: AnalyzerFile, text: string, result: AnalyzerResult): void {
  if (/^__metadata:/m.test(text)) parseBerry(text, file, result);
  else parseClassic(text, file, result);
}
