/**
 * lang/cpp — Conan packages in `conan.lock`.
 * - Conan 2 (`"version": "0.5"`): `requires`, `build_requires` (tools: optional scope) and
 *   `python_requires` lists of references.
 * - Conan 1 graph locks (`graph_lock.nodes`, versions 0.0–0.4): every node's `ref` (or `pref`, a
 *   package reference, in the 0.x formats) except the consumer node (the one with a `path` to the
 *   conanfile, or no reference at all); nodes reached through `build_requires` are optional scope.
 * References follow Conan's grammar `name/version[@user/channel][#recipe_revision][%timestamp][:package_id[#package_revision]]`.
 */
import { defineAnalyzer, eachFile, emptyResult, type AnalyzerFile, type AnalyzerResult, type PackageRecord } from '../../sdk';

export interface ConanRef {
  name: string;
  version: string;
  user?: string;
  channel?: string;
  revision?: string;
}

export function parseConanRef(ref: string): ConanRef | undefined {
  const recipe = ref.split(':')[0] as string; // drop :package_id#prev
  const m = /^([^/@#%\s]+)\/([^@#%\s]+)(?:@([^/#%\s]+)\/([^#%\s]+))?(?:#([0-9a-f]+))?(?:%[0-9.]+)?$/.exec(recipe);
  if (!m) return undefined;
  return { name: m[1] as string, version: m[2] as string, user: m[3], channel: m[4], revision: m[5] };
}

function toRecord(r: ConanRef, file: AnalyzerFile, optional: boolean): PackageRecord {
  const properties: Record<string, string> = {};
  if (r.revision) properties.recipeRevision = r.revision;
  if (r.user) properties.user = r.user;
  if (r.channel) properties.channel = r.channel;
  return {
    id: `${r.name}/${r.version}${r.user ? `@${r.user}/${r.channel}` : ''}`,
    name: r.name,
    version: r.version,
    purl: { type: 'conan', name: r.name, version: r.version, qualifiers: { user: r.user, channel: r.channel, rrev: r.revision } },
    locations: [file.path],
    properties,
    declared: true,
    ...(optional ? { scope: 'optional' as const } : {}),
  };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

export default defineAnalyzer({
  name: 'lang/cpp',
  // 2: Conan 1 references with user/channel no longer dropped by the host (purl fix).
  version: 2,
  async analyze(files) {
    const result: AnalyzerResult = emptyResult();
    await eachFile(files, result, async (file) => {
      let doc: unknown;
      try {
        doc = JSON.parse(await file.readText());
      } catch (e) {
        result.issues.push({ path: file.path, severity: 'error', message: `not a conan.lock: invalid JSON (${(e as Error).message})` });
        return;
      }
      if (!isObj(doc) || (!isObj(doc.graph_lock) && !Array.isArray(doc.requires) && !Array.isArray(doc.build_requires))) {
        result.issues.push({ path: file.path, severity: 'error', message: 'not a conan.lock: expected "graph_lock.nodes" (Conan 1) or "requires"/"build_requires" lists (Conan 2)' });
        return;
      }
      const out = new Map<string, PackageRecord>();
      const add = (ref: string, optional: boolean, where: string) => {
        const r = parseConanRef(ref);
        if (!r) {
          result.issues.push({ path: file.path, severity: 'warning', message: `${where}: "${ref}" is not a Conan reference "name/version[@user/channel][#revision]"; skipped` });
          return;
        }
        const rec = toRecord(r, file, optional);
        const have = out.get(rec.id);
        if (!have) out.set(rec.id, rec);
        else if (!optional && have.scope === 'optional') delete have.scope;
      };
      if (isObj(doc.graph_lock)) {
        const nodes = isObj(doc.graph_lock.nodes) ? doc.graph_lock.nodes : {};
        const buildOnly = new Set<string>();
        for (const n of Object.values(nodes)) {
          if (!isObj(n) || !Array.isArray(n.build_requires)) continue;
          for (const id of n.build_requires) if (typeof id === 'string') buildOnly.add(id);
        }
        for (const [id, n] of Object.entries(nodes)) {
          if (!isObj(n)) continue;
          const ref = typeof n.ref === 'string' ? n.ref : typeof n.pref === 'string' ? n.pref : undefined;
          if (!ref || typeof n.path === 'string') continue; // the consumer (conanfile) is not a dependency
          add(ref, buildOnly.has(id), `graph_lock node ${id}`);
        }
      } else {
        for (const [key, optional] of [
          ['requires', false],
          ['build_requires', true],
          ['python_requires', true],
        ] as const) {
          const list = doc[key];
          if (list === undefined) continue;
          if (!Array.isArray(list)) {
            result.issues.push({ path: file.path, severity: 'warning', message: `"${key}" must be a list of references` });
            continue;
          }
          list.forEach((ref, i) => (typeof ref === 'string' ? add(ref, optional, `${key}[${i}]`) : result.issues.push({ path: file.path, severity: 'warning', message: `${key}[${i}] is not a string` })));
        }
      }
      result.packages.push(...[...out.values()].sort((a, b) => (a.id < b.id ? -1 : 1)));
    });
    return result;
  },
});
