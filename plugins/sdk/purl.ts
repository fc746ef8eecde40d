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

export function purlToString(p: PurlParts): string {
  const q: Record<string, string> = {};
  for (const k of Object.keys(p.qualifiers ?? {}).sort()) {
    const v = p.qualifiers?.[k];
    if (v !== undefined && v !== '') q[k] = v;
  }
  return new PackageURL(p.type, p.namespace || undefined, p.name, p.version || undefined, Object.keys(q).length ? q : undefined, p.subpath || undefined).toString();
}

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
