/**
 * Package URL helpers. Analyzers describe a purl by its parts; `purlToString` renders the canonical
 * string with packageurl-js (the one purl implementation used across Stella).
 */
import { PackageURL } from 'packageurl-js';

export interface PurlParts {
  /** purl type: `deb`, `pypi`, `npm`, `rpm`, `apk`, `maven`, `golang`, … */
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  /** Qualifiers; empty values are dropped. Rendered sorted by key. */
  qualifiers?: Record<string, string | undefined>;
  subpath?: string;
}

/**
 * packageurl-js 2.0.1's own golang and conan checks refuse purls their type definitions allow (golang: a
 * ReferenceError on `@v1.17`; conan: a `channel` qualifier without a namespace, Conan 1's
 * `name/version@user/channel`). Neither type has a normalizer there, so building them as `generic` and
 * naming the type afterwards gives the exact string without those checks. (The engine's purl module does
 * the same; the SDK stands alone, so it carries its own copy.)
 */
const LIBRARY_TYPE_CHECK_SKIPPED = new Set(['golang', 'conan']);

export function purlToString(p: PurlParts): string {
  const q: Record<string, string> = {};
  for (const k of Object.keys(p.qualifiers ?? {}).sort()) {
    const v = p.qualifiers?.[k];
    if (v !== undefined && v !== '') q[k] = v;
  }
  const args = [p.namespace || undefined, p.name, p.version || undefined, Object.keys(q).length ? q : undefined, p.subpath || undefined] as const;
  const type = p.type.toLowerCase();
  if (!LIBRARY_TYPE_CHECK_SKIPPED.has(type)) return new PackageURL(p.type, ...args).toString();
  if (type === 'golang' && !p.namespace && !GO_NAMESPACELESS.has(p.name)) throw new Error(`golang purl ${JSON.stringify(p.name)} needs a namespace (the module path before the last "/")`);
  const built = new PackageURL('generic', ...args);
  (built as { type: string }).type = type;
  return built.toString();
}

/** Go packages named without a module path: the standard library and the go command, as the Go vulndb names them. */
const GO_NAMESPACELESS = new Set(['stdlib', 'toolchain']);

/** PEP 503 normalized Python project name: lowercase, runs of `-`, `_`, `.` become one `-`. */
export function normalizePythonName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * purl parts of a Go module or package path: the last path segment is the name, everything before it
 * the namespace (`github.com/gorilla/mux` → namespace `github.com/gorilla`, name `mux`), as purl-spec's
 * golang type defines; `stdlib` has no namespace.
 */
export function goModulePurl(modulePath: string, version?: string): PurlParts {
  const i = modulePath.lastIndexOf('/');
  return i < 0 ? { type: 'golang', name: modulePath, version } : { type: 'golang', namespace: modulePath.slice(0, i), name: modulePath.slice(i + 1), version };
}
