/**
 * `pom.xml` (declared). Reports the `<dependencies>` of the project and the entries of its
 * `<dependencyManagement>`, with `${...}` interpolated from `<properties>` and the project model.
 *
 * Decisions (Maven semantics where they differ from osv-scanner):
 * - A version written on a dependency wins over the `<dependencyManagement>` version of the same
 *   artifact (Maven applies managed versions only to dependencies that omit one, and to transitive
 *   ones). osv-scanner lets the managed version win; we report the version Maven builds with and add an
 *   info issue naming the managed one.
 * - A managed entry that no dependency of this POM uses is still reported (osv-scanner does too),
 *   marked `properties.dependencyManagement = "true"`: it pins what transitive dependencies resolve to.
 * - `test`, `provided` and `system` scopes → `scope: 'optional'` (not shipped by this artifact);
 *   the Maven scope is kept in `properties.scope`.
 * - A version range (`[1.0,2.0)`) is a requirement, not a version: the package is reported without a
 *   version, the range in `properties.versionRange`, and an info issue says so. `[1.0]` pins exactly 1.0.
 * - Parent POMs are read through the host's filesystem view, as Maven finds them: `<relativePath>`
 *   (default `../pom.xml`; a directory means its pom.xml; an empty element means "not in this tree"), the
 *   coordinates checked, else the local-repository layout by coordinates (`~/.m2/repository`,
 *   `/usr/share/maven-repo`, or the repository this POM itself sits in). Their properties, project version
 *   and `<dependencyManagement>` are inherited (the child overrides); their `<dependencies>` are inherited
 *   too, reported with the parent as a second location. A parent not found is an info issue, and values that
 *   need it stay unresolved. Imported BOMs and `${env.*}`/`${settings.*}` are not available offline.
 * - `<profiles>` and build plugins are not reported (conditional / build-time only).
 */
import { resolveRelated, type AnalyzerResult, type FileSystemView, type PackageRecord } from '../../sdk';
import { makeRecord, uniqueIds, type Coordinates } from './coords';
import { childArray, childObject, nodeLines, parseXml, textOf, type XmlNode } from './xml';

const ARRAYS = new Set(['project.dependencies.dependency', 'project.dependencyManagement.dependencies.dependency']);
const MAX_INTERPOLATION_DEPTH = 16;
const MAX_VALUE_LENGTH = 4096;
const OPTIONAL_SCOPES = new Set(['test', 'provided', 'system']);

interface RawDep {
  /** The parent POM the entry is inherited from (absent: this POM). */
  from?: string;
  groupId?: string;
  artifactId?: string;
  version?: string;
  scope?: string;
  type?: string;
  classifier?: string;
  optional?: string;
  line?: number;
}

function readDep(lineOf: (node: unknown) => number | undefined, node: unknown): RawDep | undefined {
  const o = childObject(node);
  if (!o) return undefined;
  const get = (k: string): string | undefined => {
    const t = textOf(o[k]);
    return t === undefined || t === '' ? undefined : t;
  };
  const line = lineOf(o);
  return {
    groupId: get('groupId'),
    artifactId: get('artifactId'),
    version: get('version'),
    scope: get('scope'),
    type: get('type'),
    classifier: get('classifier'),
    optional: get('optional'),
    ...(line ? { line } : {}),
  };
}

type Interpolated = { value: string; unresolved: string[] };

/**
 * `${key}` expansion. Each property is expanded once and memoised, so references that fan out
 * (`a=${b}${b}`, `b=${c}${c}`, …) cost linear work, and values are capped in length; a cycle or a
 * missing key leaves the reference as written and is reported.
 */
class Interpolator {
  private readonly memo = new Map<string, Interpolated>();

  constructor(private readonly props: Map<string, string>) {}

  resolve(raw: string): Interpolated {
    return this.expand(raw, []);
  }

  private key(key: string, stack: string[]): Interpolated {
    const have = this.memo.get(key);
    if (have) return have;
    const v = this.props.get(key);
    if (v === undefined || stack.includes(key) || stack.length >= MAX_INTERPOLATION_DEPTH) return { value: `\${${key}}`, unresolved: [key] };
    const r = this.expand(v, [...stack, key]);
    // Only a result independent of the stack is memoised (a cycle seen from here may resolve elsewhere).
    if (!r.unresolved.some((u) => stack.includes(u))) this.memo.set(key, r);
    return r;
  }

  private expand(s: string, stack: string[]): Interpolated {
    const unresolved = new Set<string>();
    let out = '';
    let last = 0;
    const re = /\$\{([^${}]+)\}/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s)) !== null) {
      const r = this.key(m[1] ?? '', stack);
      for (const u of r.unresolved) unresolved.add(u);
      out += s.slice(last, m.index) + r.value;
      last = m.index + m[0].length;
      if (out.length > MAX_VALUE_LENGTH) break;
    }
    if (out.length <= MAX_VALUE_LENGTH) out += s.slice(last);
    // Bounded: a property that doubles itself per level must not grow without limit.
    return { value: out.length > MAX_VALUE_LENGTH ? out.slice(0, MAX_VALUE_LENGTH) : out, unresolved: [...unresolved] };
  }
}

/** Maven version: plain, or a range. `[1.0]` is an exact pin. */
function classifyVersion(v: string): { version: string } | { range: string } {
  const exact = /^\[\s*([^,[\]()\s]+)\s*\]$/.exec(v);
  if (exact?.[1]) return { version: exact[1] };
  if (/^[[(]/.test(v) || v.includes(',')) return { range: v };
  return { version: v };
}

interface ParentRef {
  groupId?: string;
  artifactId?: string;
  version?: string;
  /** undefined = Maven's default `../pom.xml`; '' = an empty `<relativePath/>` (look only in repositories). */
  relativePath?: string;
}

/** What one POM contributes: its properties, model values, parent reference and dependency sections. */
interface PomModel {
  path: string;
  parent?: ParentRef;
  props: Map<string, string>;
  groupId?: string;
  artifactId?: string;
  version?: string;
  deps: (RawDep | undefined)[];
  managed: (RawDep | undefined)[];
}

const text0 = (o: XmlNode | undefined, k: string): string | undefined => {
  const t = o ? textOf(o[k]) : undefined;
  return t === '' ? undefined : t;
};

function readModel(path: string, text: string): { model: PomModel } | { error: string; line?: number } {
  const parsed = parseXml(text, ARRAYS);
  if (!parsed.ok) return { error: `not a Maven POM: ${parsed.message}; expected a pom.xml with a <project> root element`, ...(parsed.line ? { line: parsed.line } : {}) };
  const project = childObject(parsed.doc.project) ?? (parsed.doc.project === '' ? {} : undefined);
  const roots = Object.keys(parsed.doc).filter((k) => k !== '#text');
  if (!project || roots.length !== 1) {
    const what = roots.length === 1 && roots[0] === 'project' ? '<project> holds only text' : `root element is ${roots.length ? `<${roots.join('>, <')}>` : 'missing'}`;
    return { error: `not a Maven POM: ${what}; expected a single <project> root element with model elements`, line: 1 };
  }
  const parentNode = childObject(project.parent);
  const rp = parentNode && 'relativePath' in parentNode ? (textOf(parentNode.relativePath) ?? '') : undefined;
  const parent: ParentRef | undefined = parentNode
    ? { groupId: text0(parentNode, 'groupId'), artifactId: text0(parentNode, 'artifactId'), version: text0(parentNode, 'version'), ...(rp !== undefined ? { relativePath: rp.trim() } : {}) }
    : undefined;
  const props = new Map<string, string>();
  const propsNode = childObject(project.properties);
  if (propsNode) {
    for (const [k, v] of Object.entries(propsNode)) {
      const t = textOf(Array.isArray(v) ? v[v.length - 1] : v); // a repeated property: the last one wins, as in Maven
      if (!k.startsWith('@_') && k !== '#text' && t !== undefined) props.set(k, t);
    }
  }
  const lineOf = nodeLines(text);
  return {
    model: {
      path,
      ...(parent ? { parent } : {}),
      props,
      groupId: text0(project, 'groupId') ?? parent?.groupId,
      artifactId: text0(project, 'artifactId'),
      version: text0(project, 'version') ?? parent?.version,
      deps: childArray(childObject(project.dependencies)?.dependency).map((d) => readDep(lineOf, d)),
      managed: childArray(childObject(childObject(project.dependencyManagement)?.dependencies)?.dependency).map((d) => readDep(lineOf, d)),
    },
  };
}

const MAX_PARENT_DEPTH = 16;
const coordsOf = (r: ParentRef | PomModel): string => [r.groupId, r.artifactId, r.version].map((x) => x ?? '?').join(':');

/** Local Maven repositories an image or tree may hold, plus the one this POM sits in (if any). */
async function repositoryRoots(fs: FileSystemView, childPath: string): Promise<string[]> {
  const roots = ['/root/.m2/repository', '/usr/share/maven-repo'];
  for (const user of (await fs.list('/home')) ?? []) roots.push(`/home/${user}/.m2/repository`);
  const segs = childPath.split('/');
  const at = segs.lastIndexOf('repository');
  if (at > 0) roots.unshift(segs.slice(0, at + 1).join('/'));
  return [...new Set(roots)];
}

/** Maven's parent lookup: relativePath first (coordinates must match), then repositories by coordinates. */
async function findParent(child: PomModel, fs: FileSystemView): Promise<{ model: PomModel } | { why: string }> {
  const ref = child.parent as ParentRef;
  const tried: string[] = [];
  const matches = (m: PomModel): boolean => m.groupId === ref.groupId && m.artifactId === ref.artifactId && (!ref.version || !m.version || m.version === ref.version);
  const attempt = async (path: string): Promise<PomModel | undefined> => {
    const r = await fs.open(path);
    if (!r.ok) {
      tried.push(`${path}: ${r.reason}`);
      return undefined;
    }
    const read = readModel(r.file.path, await r.file.readText());
    if ('error' in read) {
      tried.push(`${path}: ${read.error}`);
      return undefined;
    }
    if (!matches(read.model)) {
      tried.push(`${path} is ${coordsOf(read.model)}`);
      return undefined;
    }
    return read.model;
  };
  if (ref.relativePath !== '') {
    let p = resolveRelated(child.path, ref.relativePath ?? '../pom.xml');
    if ((await fs.stat(p))?.kind === 'dir') p = `${p === '/' ? '' : p}/pom.xml`;
    const m = await attempt(p);
    if (m) return { model: m };
  }
  if (ref.groupId && ref.artifactId && ref.version && !/\$\{/.test(`${ref.groupId}${ref.artifactId}${ref.version}`)) {
    for (const root of await repositoryRoots(fs, child.path)) {
      const m = await attempt(`${root}/${ref.groupId.replace(/\./g, '/')}/${ref.artifactId}/${ref.version}/${ref.artifactId}-${ref.version}.pom`);
      if (m) return { model: m };
    }
  }
  return { why: tried.length ? `not found (${tried.join('; ')})` : 'not found' };
}

export async function parsePom(path: string, text: string, result: AnalyzerResult, fs?: FileSystemView): Promise<void> {
  const read = readModel(path, text);
  if ('error' in read) {
    result.issues.push({ path, severity: 'error', ...(read.line ? { line: read.line } : {}), message: read.error });
    return;
  }
  const self = read.model;
  // the parent chain, nearest first
  const parents: PomModel[] = [];
  let missingParent: string | undefined;
  for (let cur = self; cur.parent; ) {
    if (parents.length >= MAX_PARENT_DEPTH) {
      missingParent = `${coordsOf(cur.parent)}: more than ${MAX_PARENT_DEPTH} parents`;
      break;
    }
    if (!fs) {
      missingParent = `${coordsOf(cur.parent)}: no filesystem view to read it from`;
      break;
    }
    const found = await findParent(cur, fs);
    if ('why' in found) {
      missingParent = `${coordsOf(cur.parent)} ${found.why}`;
      break;
    }
    if (found.model.path === self.path || parents.some((p) => p.path === found.model.path)) {
      missingParent = `${coordsOf(cur.parent)}: the parent chain loops back to ${found.model.path}`;
      break;
    }
    parents.push(found.model);
    cur = found.model;
  }
  if (missingParent) result.issues.push({ path, severity: 'info', line: 1, message: `parent POM ${missingParent}; values it would supply stay unresolved` });
  const parentCoords = self.parent ? coordsOf(self.parent) : undefined;

  // Maven's inheritance: the farthest ancestor first, each child overriding
  const props = new Map<string, string>();
  for (const m of [...parents].reverse()) for (const [k, v] of m.props) props.set(k, v);
  for (const [k, v] of self.props) props.set(k, v);
  // The project model Maven exposes to interpolation; groupId/version are inherited from <parent>.
  const model: [string, string | undefined][] = [
    ['groupId', self.groupId],
    ['artifactId', self.artifactId],
    ['version', self.version],
  ];
  for (const [k, v] of model) {
    if (v === undefined) continue;
    props.set(`project.${k}`, v);
    props.set(`pom.${k}`, v); // Maven 2 spelling, still honoured
    if (!props.has(k)) props.set(k, v);
  }
  if (self.parent) {
    for (const k of ['groupId', 'artifactId', 'version'] as const) {
      const v = self.parent[k];
      if (v !== undefined) props.set(`project.parent.${k}`, v);
    }
  }
  const interp = new Interpolator(props);

  // own sections first; a parent's entries after, tagged with the POM they come from
  // (an inherited entry's line is in its parent's file, so it is not kept as a line of this one)
  const withFrom = (m: PomModel, list: (RawDep | undefined)[]): (RawDep | undefined)[] =>
    m === self
      ? list
      : list.map((d) => {
          if (!d) return d;
          const { line: _line, ...rest } = d;
          return { ...rest, from: m.path };
        });
  const deps = [self, ...parents].flatMap((m) => withFrom(m, m.deps));
  const managed = [self, ...parents].flatMap((m) => withFrom(m, m.managed));

  const keyOf = (g: string, a: string, type?: string, classifier?: string): string => `${g}:${a}:${type ?? 'jar'}:${classifier ?? ''}`;

  interface Resolved {
    raw: RawDep;
    groupId: string;
    artifactId: string;
    key: string;
    managedEntry: boolean;
  }
  const resolveField = (raw: string | undefined, what: string, line: number | undefined): string | undefined => {
    if (raw === undefined) return undefined;
    const r = interp.resolve(raw);
    if (r.unresolved.length) {
      const why = missingParent ? `it may come from the parent POM ${parentCoords}, which was not found` : parents.length ? 'neither this POM nor its parents define it' : 'no <properties> entry defines it';
      result.issues.push({ path, severity: 'info', ...(line ? { line } : {}), message: `${what} "${raw}": cannot resolve \${${r.unresolved.join('}, ${')}}; ${why}` });
      return undefined;
    }
    return r.value;
  };
  const identify = (raw: RawDep | undefined, index: number, section: string, managedEntry: boolean): Resolved | undefined => {
    if (!raw) {
      result.issues.push({ path, severity: 'warning', message: `${section} #${index + 1} is not an element with <groupId> and <artifactId>; skipped` });
      return undefined;
    }
    const groupId = resolveField(raw.groupId, 'groupId', raw.line);
    const artifactId = resolveField(raw.artifactId, 'artifactId', raw.line);
    if (!groupId || !artifactId) {
      result.issues.push({ path, severity: 'warning', ...(raw.line ? { line: raw.line } : {}), message: `${section} #${index + 1} lacks a resolvable <groupId> or <artifactId>; expected both; skipped` });
      return undefined;
    }
    const type = raw.type ? interp.resolve(raw.type).value : undefined;
    const classifier = raw.classifier ? interp.resolve(raw.classifier).value : undefined;
    return { raw, groupId, artifactId, key: keyOf(groupId, artifactId, type, classifier), managedEntry };
  };

  const managedByKey = new Map<string, Resolved>();
  const managedResolved: Resolved[] = [];
  managed.forEach((m, i) => {
    const r = identify(m, i, '<dependencyManagement> <dependency>', true);
    if (!r) return;
    managedResolved.push(r);
    if (!managedByKey.has(r.key)) managedByKey.set(r.key, r);
  });

  const records: PackageRecord[] = [];
  const usedManaged = new Set<Resolved>();
  const emit = (r: Resolved, rawVersion: string | undefined, scopeRaw: string | undefined, extra: Record<string, string>): void => {
    const line = r.raw.line;
    const coords: Coordinates = { groupId: r.groupId, artifactId: r.artifactId };
    const properties: Record<string, string> = { ...extra };
    const name = `${r.groupId}:${r.artifactId}`;
    if (rawVersion === undefined) {
      const why = missingParent ? `it is expected from the parent POM ${parentCoords}, which was not found, or a BOM` : parents.length ? 'neither this POM, its parents nor their <dependencyManagement> supply one (a BOM may, which is not available offline)' : 'the POM declares none and no <dependencyManagement> entry supplies one';
      result.issues.push({ path, severity: 'info', ...(line ? { line } : {}), message: `${name} has no version: ${why}; reported without a version` });
    } else {
      const v = resolveField(rawVersion, `${name} version`, line);
      if (v !== undefined) {
        const c = classifyVersion(v);
        if ('version' in c) coords.version = c.version;
        else {
          properties.versionRange = c.range;
          result.issues.push({ path, severity: 'info', ...(line ? { line } : {}), message: `${name} requires the version range ${c.range}; Maven picks the version from a repository, which is not consulted offline; reported without a version` });
        }
      }
    }
    const scope = scopeRaw ? interp.resolve(scopeRaw).value : undefined;
    if (scope) properties.scope = scope;
    if (r.raw.type && r.raw.type !== 'jar') properties.type = r.raw.type;
    if (r.raw.classifier) properties.classifier = r.raw.classifier;
    if (r.raw.optional === 'true') properties.optional = 'true';
    if (scope === 'import') {
      result.issues.push({ path, severity: 'info', ...(line ? { line } : {}), message: `${name} is an imported BOM; the versions it manages are not available offline` });
    }
    if (r.raw.from) properties.inheritedFrom = r.raw.from;
    records.push(makeRecord(path, coords, { declared: true, ...(scope && OPTIONAL_SCOPES.has(scope) ? { scope: 'optional' as const } : {}), properties, ...(r.raw.from ? { moreLocations: [r.raw.from] } : {}) }));
  };

  const depKeys = new Set<string>();
  deps.forEach((d, i) => {
    const r = identify(d, i, '<dependencies> <dependency>', false);
    if (!r) return;
    // a dependency the child declares again overrides the inherited one
    if (depKeys.has(r.key)) return;
    depKeys.add(r.key);
    const m = managedByKey.get(r.key);
    if (m) usedManaged.add(m);
    let version = r.raw.version;
    const extra: Record<string, string> = {};
    if (version === undefined && m?.raw.version !== undefined) {
      version = m.raw.version;
      extra.versionFrom = 'dependencyManagement';
    } else if (version !== undefined && m?.raw.version !== undefined) {
      const own = interp.resolve(version).value;
      const theirs = interp.resolve(m.raw.version).value;
      if (own !== theirs) {
        result.issues.push({ path, severity: 'info', ...(r.raw.line ? { line: r.raw.line } : {}), message: `${r.groupId}:${r.artifactId}: the version ${own} written on the dependency overrides the <dependencyManagement> version ${theirs} (Maven semantics)` });
      }
    }
    emit(r, version, r.raw.scope ?? m?.raw.scope, extra);
  });
  for (const m of managedResolved) {
    if (usedManaged.has(m) || managedByKey.get(m.key) !== m) continue;
    emit(m, m.raw.version, m.raw.scope, { dependencyManagement: 'true' });
  }
  uniqueIds(records);
  result.packages.push(...records);
}
