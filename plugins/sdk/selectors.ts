/**
 * Declarative file selectors. Paths are image-root relative, `/`-separated, without a leading `/`
 * (`var/lib/dpkg/status`). A glob is matched against the whole path:
 *   `*`  any run of characters except `/`     `?`  one character except `/`
 *   `**` (a whole segment) zero or more segments
 * `exclude` globs are matched against the base name only (`*.md5sums`). `ignoreCase` makes both case-insensitive.
 */

export interface FileSelector {
  glob: string;
  /** Base-name globs that reject an otherwise selected file. */
  exclude?: string[];
  ignoreCase?: boolean;
}

function escapeRe(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

function segmentToRe(seg: string): string {
  let out = '';
  for (const ch of seg) {
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += escapeRe(ch);
  }
  return out;
}

/** Compile a glob to an anchored RegExp. Throws on an empty or absolute glob. */
export function globToRegExp(glob: string, ignoreCase = false): RegExp {
  if (!glob || glob.startsWith('/')) throw new Error(`selector glob must be a non-empty root-relative path, got ${JSON.stringify(glob)}`);
  const segs = glob.split('/');
  let re = '^';
  segs.forEach((seg, i) => {
    const last = i === segs.length - 1;
    if (seg === '**') {
      re += last ? '.*' : '(?:[^/]+/)*';
    } else {
      re += segmentToRe(seg) + (last ? '' : '/');
    }
  });
  re += '$';
  return new RegExp(re, ignoreCase ? 'i' : '');
}

export interface CompiledSelector {
  readonly selector: FileSelector;
  matches(path: string): boolean;
}

export function compileSelector(selector: FileSelector): CompiledSelector {
  const re = globToRegExp(selector.glob, selector.ignoreCase);
  const excludes = (selector.exclude ?? []).map((g) => globToRegExp(g, selector.ignoreCase));
  return {
    selector,
    matches(path: string): boolean {
      if (!re.test(path)) return false;
      const base = path.slice(path.lastIndexOf('/') + 1);
      return !excludes.some((x) => x.test(base));
    },
  };
}

/** True when any of the selectors selects the path. */
export function selectsPath(selectors: readonly CompiledSelector[], path: string): boolean {
  return selectors.some((s) => s.matches(path));
}
