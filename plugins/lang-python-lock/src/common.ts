/**
 * Shared by every lang/python-lock format: the collector that turns occurrences into one record per
 * purl (PEP 503 normalized name, version as written), merging dependency groups, and resolves edges by
 * normalized name; plus the TOML reader and PEP 508 helpers.
 */
import { parse as parseToml } from 'smol-toml';
import { isObject, normalizePythonName, RecordCollector, type AnalyzerFile, type AnalyzerResult, type PackageRecord } from '../../sdk';

export interface Occurrence {
  name: string;
  version?: string;
  qualifiers?: Record<string, string | undefined>;
  /** Dependency groups; empty = required (main/default). */
  groups: string[];
  properties?: Record<string, string>;
  /** 1-based line in the file, kept in `properties.line` for requirements files. */
  line?: number;
  /** Another file the occurrence was read from (a `-r` include): added to the record's locations. */
  location?: string;
}

export { isObject };

/** A PEP 508 project name: letters, digits, `.`, `_`, `-`, starting and ending alphanumeric. */
export function isProjectName(name: string): boolean {
  return name.length <= 200 && /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(name);
}

/** Credentials never leave the workstation in an output: `https://token@host` -> `https://host`. */
export function redactUrl(url: string): string {
  return url.replace(/^((?:[a-z]+\+)?https?:\/\/)[^/@\s]+@/i, '$1');
}

/** The name of a PEP 508 requirement string (`requests[socks] >=2; python_version<"3"` -> `requests`). */
export function requirementName(req: string): string | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(req);
  return m?.[1];
}

/** Parse TOML; on failure push the file's one error issue (with the line) and return undefined. */
export function readToml(file: AnalyzerFile, text: string, what: string, result: AnalyzerResult): Record<string, unknown> | undefined {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (e) {
    const err = e as { line?: number; message?: string };
    result.issues.push({ path: file.path, severity: 'error', ...(err.line ? { line: err.line } : {}), message: `not a ${what}: invalid TOML (${String(err.message ?? e).split('\n')[0]})` });
    return undefined;
  }
}

/**
 * Records of one analyze call for one format. Ids are `path#purl`. `add` returns the id, or undefined
 * (with a warning) when the name cannot form a purl.
 */
export class Collector extends RecordCollector {
  private readonly byName = new Map<string, string[]>();
  private readonly records = new Map<string, PackageRecord>();

  add(o: Occurrence): string | undefined {
    if (!isProjectName(o.name)) {
      this.issue('warning', `${JSON.stringify(o.name.slice(0, 120))} is not a Python project name; entry skipped`, o.line);
      return undefined;
    }
    const purl = { type: 'pypi', name: normalizePythonName(o.name), ...(o.version ? { version: o.version } : {}), ...(o.qualifiers ? { qualifiers: o.qualifiers } : {}) };
    let created: string | undefined;
    const id = this.upsert(
      purl,
      o.groups,
      (newId): PackageRecord => {
        created = newId;
        const rec: PackageRecord = { id: newId, name: o.name, ...(o.version ? { version: o.version } : {}), purl, locations: [this.file.path], properties: { ...(o.properties ?? {}) }, declared: true };
        this.records.set(newId, rec);
        return rec;
      },
      `${o.name} ${o.version ?? ''}`,
      o.line,
    );
    const rec = id ? this.records.get(id) : undefined;
    if (rec && o.location && !rec.locations.includes(o.location)) rec.locations.push(o.location);
    if (created) {
      const n = normalizePythonName(o.name);
      this.byName.set(n, [...(this.byName.get(n) ?? []), created]);
    }
    return id;
  }

  /** Ids of the records with this (normalized) name. */
  named(name: string): string[] {
    return this.byName.get(normalizePythonName(name)) ?? [];
  }

  /** Edge to the one record of that name; ambiguous or absent names give no edge. */
  edgeByName(from: string | undefined, name: string | undefined): void {
    if (!from || !name) return;
    const to = this.named(name);
    if (to.length === 1 && to[0] !== from) this.edge(from, to[0]);
  }
}
