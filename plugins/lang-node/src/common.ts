/**
 * Shared by every lang/node format: the per-file collector that turns "occurrences" of a package
 * (a lockfile may list the same name@version at many nested paths, or with several peer suffixes)
 * into one record per purl, merging dependency groups, and keeps dependency edges between them.
 */
import { parseSyml } from '@yarnpkg/parsers';
import { isObject, RecordCollector, type AnalyzerFile, type AnalyzerResult, type PackageRecord, type PurlParts } from '../../sdk';

/**
 * YAML as yarn itself reads it (@yarnpkg/parsers over js-yaml): the failsafe schema, so every scalar
 * stays a string (`version: 2.0` is not the number 2), duplicate keys tolerated, `yarn lockfile v1`
 * files read with yarn's own classic grammar. Aliases are not expanded into copies, so an alias bomb
 * costs no memory; the analyzers only walk fixed, shallow paths of the result.
 * Returns the mapping, `'not-mapping'` for a scalar/sequence document, or the syntax error and its line.
 */
export function readYaml(text: string): { doc: Record<string, unknown> } | { notMapping: true } | { error: string; line?: number } {
  try {
    const doc = parseSyml(text) as unknown;
    return isObject(doc) ? { doc } : { notMapping: true };
  } catch (e) {
    const err = e as { message?: string; mark?: { line?: number }; location?: { start?: { line?: number } } };
    const msg = String(err.message ?? e).split('\n')[0] ?? '';
    if (/^Expected an indexed object/.test(msg)) return { notMapping: true };
    const line = typeof err.mark?.line === 'number' ? err.mark.line + 1 : err.location?.start?.line;
    return { error: msg, ...(line ? { line } : {}) };
  }
}

/** Dependency groups a lockfile can mark an entry with. No group = a required (production) dependency. */
export type Group = 'dev' | 'optional';

export interface Occurrence {
  /** Name as published (the real name behind an alias). */
  name: string;
  version?: string;
  /** Purl qualifiers (vcs_url, download_url) that tell apart builds that share a name and version. */
  qualifiers?: Record<string, string | undefined>;
  /** Empty = required. */
  groups: Group[];
  /** Extra facts (alias, resolved, …); the first occurrence's value wins. */
  properties?: Record<string, string>;
  licenses?: string[];
  /** The project itself (npm `packages[""]`, a yarn `workspace:` entry): reported as the root, never matched. */
  root?: boolean;
}

/** `@scope/name` -> purl namespace `@scope` and name `name` (packageurl-js percent-encodes the `@`). */
export function npmPurl(name: string, version: string | undefined, qualifiers?: Record<string, string | undefined>): PurlParts {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  return {
    type: 'npm',
    ...(slash > 0 ? { namespace: name.slice(0, slash), name: name.slice(slash + 1) } : { name }),
    ...(version ? { version } : {}),
    ...(qualifiers ? { qualifiers } : {}),
  };
}

/** A plausible npm package name: `name` or `@scope/name`, no whitespace, no path tricks. */
export function isPackageName(name: string): boolean {
  return name.length <= 214 && /^(?:@[^\s/@]+\/)?[^\s/@][^\s/]*$/.test(name);
}

/**
 * Split a yarn/pnpm descriptor `name@range` at the first `@` that is not the scope's: `@babel/core@^7`
 * -> `@babel/core`, `^7`. Returns undefined when there is no range part.
 */
export function splitDescriptor(d: string): { name: string; range: string } | undefined {
  const at = d.indexOf('@', 1);
  if (at <= 0) return undefined;
  return { name: d.slice(0, at), range: d.slice(at + 1) };
}

/** Git sources as npm, yarn and pnpm write them. */
export function isGitSpec(s: string): boolean {
  return /^(?:git\+[a-z]+:|git:|github:|gitlab:|bitbucket:|gist:)/i.test(s) || /^(?:https?|ssh):\/\/[^#]+\.git(?:#|$)/i.test(s) || /^(?:https?|ssh):\/\/[^#]+#(?:commit[=:])?[0-9a-f]{7,40}$/i.test(s);
}

/**
 * Drop credentials from http(s) URLs (`https://token@host/…`): lockfiles sometimes carry them and
 * nothing Stella outputs should. `ssh://git@host` keeps its user name, which is not a secret.
 */
export function redactUrl(url: string): string {
  return url.replace(/^((?:git\+)?https?:\/\/)[^/@\s]+@/i, '$1');
}

/** A registry download: `https://host/<name>/-/<name>-<version>.tgz` (npm, yarn and pnpm registries alike). */
export function isRegistryTarball(url: string): boolean {
  return /^https?:\/\/[^#?]*\/-\/[^/#?]+\.tgz(?:[#?].*)?$/i.test(url);
}

export { isObject };

export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/**
 * Collects the records of one file. `add` returns the record id (stable per purl) or undefined when the
 * occurrence cannot form a purl (the issue is recorded). Ids are prefixed with the file path, so several
 * lockfiles in one analyze call never collide.
 */
export class FileCollector extends RecordCollector {
  constructor(
    file: AnalyzerFile,
    result: AnalyzerResult,
    readonly declared: boolean,
  ) {
    super(file, result);
  }

  add(o: Occurrence): string | undefined {
    if (!isPackageName(o.name)) {
      this.issue('warning', `${JSON.stringify(o.name.slice(0, 120))} is not an npm package name (expected "name" or "@scope/name"); entry skipped`);
      return undefined;
    }
    const purl = npmPurl(o.name, o.version, o.qualifiers);
    return this.upsert(
      purl,
      o.groups,
      (id): PackageRecord => ({
        id,
        name: o.name,
        ...(o.version ? { version: o.version } : {}),
        purl,
        locations: [this.file.path],
        ...(o.licenses?.length ? { licenses: o.licenses } : {}),
        properties: { ...(o.properties ?? {}) },
        ...(this.declared ? { declared: true } : {}),
        ...(o.root ? { root: true, componentType: 'application' as const } : {}),
      }),
      `${o.name}@${o.version ?? ''}`,
      undefined,
      o.properties,
    );
  }
}
