/**
 * Path rules for hostile archives: every path is made root-relative; `..` that would climb above the
 * image root makes the entry invalid (reported, never followed); absolute paths are reported and read
 * relative to the root, which is how container runtimes unpack them.
 */

export type NormalizedPath = { ok: true; path: string; absolute: boolean } | { ok: false; reason: string };

/** Normalize a tar entry name or hard-link target. `''` is the root itself. */
export function normalizeEntryPath(name: string): NormalizedPath {
  if (name.includes('\0')) return { ok: false, reason: 'contains a NUL byte' };
  const absolute = name.startsWith('/');
  const out: string[] = [];
  for (const seg of name.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (!out.length) return { ok: false, reason: 'climbs above the image root with ".."' };
      out.pop();
      continue;
    }
    out.push(seg);
  }
  return { ok: true, path: out.join('/'), absolute };
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Every proper ancestor of a root-relative path, nearest first (`a/b/c` → `a/b`, `a`). */
export function ancestorsOf(path: string): string[] {
  const out: string[] = [];
  let p = parentOf(path);
  while (p) {
    out.push(p);
    p = parentOf(p);
  }
  return out;
}

/** What a resolver needs to know about one path of a (squashed) tree. */
export type Node = { kind: 'file' } | { kind: 'dir' } | { kind: 'symlink'; target: string } | { kind: 'other' };

export type Resolution = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Resolve symlinks in `path` the way a process chrooted into the image would: absolute targets start at
 * the image root and `..` at the root stays at the root, so resolution can never leave the image.
 */
export function resolveInRoot(lookup: (path: string) => Node | undefined, path: string, maxHops = 40): Resolution {
  let pending = path.split('/').filter((s) => s && s !== '.');
  const done: string[] = [];
  let hops = 0;
  while (pending.length) {
    const seg = pending.shift() as string;
    if (seg === '..') {
      done.pop();
      continue;
    }
    if (seg === '.') continue;
    const candidate = [...done, seg].join('/');
    const node = lookup(candidate);
    if (!node) return { ok: false, reason: `/${candidate} does not exist` };
    if (node.kind === 'symlink') {
      if (++hops > maxHops) return { ok: false, reason: `too many symbolic links resolving /${path}` };
      const target = node.target.split('/').filter((s) => s && s !== '.');
      if (node.target.startsWith('/')) done.length = 0;
      pending = [...target, ...pending];
      continue;
    }
    if (pending.length && node.kind !== 'dir') return { ok: false, reason: `/${candidate} is not a directory` };
    done.push(seg);
  }
  return { ok: true, path: done.join('/') };
}
