/**
 * Quarantine: a kit or bundle that failed verification or activation is kept under
 * `<home>/quarantine/<id>/` with `reason.json` (what failed, the exit code, the kit's digest when it was
 * read) so it cannot be mistaken for a good one and can be examined later. A package inside the home
 * (an upload) is moved there; one elsewhere — on removable media, perhaps read-only, and itself evidence
 * of what arrived — is copied and left untouched.
 */
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { canonicalJson, type Clock, type IdSource } from '../core';
import { mkdirPrivate, writeFileAtomic, PRIVATE_FILE_MODE } from '../store';
import type { KitCheckName, PackageLocation } from './kit-read';

export interface QuarantineEntry {
  id: string;
  /** Folder holding the copy and reason.json. */
  dir: string;
  quarantinedAt: string;
  /** Where the package was. */
  source: string;
  kind: 'kit' | 'bundle';
  /** Copied (or moved) files, relative to `dir`; empty when copying failed (see `copyError`). */
  files: string[];
  copyError?: string;
  /** The sha256 of the kit file, when it was read that far. */
  digest: string | null;
  check: KitCheckName;
  code: string;
  exitCode: number;
  message: string;
}

export function quarantineDir(home: string): string {
  return join(home, 'quarantine');
}

function inside(parent: string, child: string): boolean {
  const r = relative(resolve(parent), resolve(child));
  return r !== '' && !r.startsWith('..') && !r.startsWith('/');
}

export function quarantinePackage(
  home: string,
  location: PackageLocation,
  reason: { check: KitCheckName; code: string; exitCode: number; message: string; digest: string | null },
  ctx: { clock: Clock; ids: IdSource },
): QuarantineEntry {
  const at = ctx.clock.nowIso();
  const id = `${at.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${ctx.ids.next('q').replace(/[^A-Za-z0-9_]/g, '').slice(-12)}`;
  const dir = join(quarantineDir(home), id);
  mkdirPrivate(dir);
  const sources = location.kind === 'kit' ? location.parts.map((p) => p.path) : [location.path];
  const files: string[] = [];
  let copyError: string | undefined;
  try {
    for (const src of sources) {
      const name = basename(src);
      const target = join(dir, name);
      if (inside(home, src)) renameSync(src, target);
      else if (statSync(src).isDirectory()) cpSync(src, target, { recursive: true, verbatimSymlinks: true });
      else cpSync(src, target);
      files.push(name);
    }
  } catch (e) {
    copyError = (e as Error).message;
  }
  const entry: QuarantineEntry = {
    id,
    dir,
    quarantinedAt: at,
    source: location.path,
    kind: location.kind,
    files,
    ...(copyError !== undefined ? { copyError } : {}),
    digest: reason.digest,
    check: reason.check,
    code: reason.code,
    exitCode: reason.exitCode,
    message: reason.message,
  };
  writeFileAtomic(join(dir, 'reason.json'), `${canonicalJson(entry)}\n`, PRIVATE_FILE_MODE);
  return entry;
}

/** Every quarantined package, newest first. */
export function listQuarantine(home: string): QuarantineEntry[] {
  const root = quarantineDir(home);
  if (!existsSync(root)) return [];
  const out: QuarantineEntry[] = [];
  for (const n of readdirSync(root)) {
    const f = join(root, n, 'reason.json');
    if (!existsSync(f)) continue;
    try {
      out.push({ ...(JSON.parse(readFileSync(f, 'utf8')) as QuarantineEntry), dir: join(root, n) });
    } catch {
      /* a damaged reason file is skipped; the folder is still there */
    }
  }
  return out.sort((a, b) => (a.quarantinedAt < b.quarantinedAt ? 1 : a.quarantinedAt > b.quarantinedAt ? -1 : a.id < b.id ? 1 : -1));
}
