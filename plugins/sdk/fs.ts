/**
 * The read-only view of the whole (squashed) filesystem an analyzer may query for files related to the
 * ones it was handed: a requirements file's `-r` include, a POM's parent, a package's installed-file list.
 * The host builds it; an analyzer never walks or opens anything itself.
 *
 * - Paths are absolute inside the image / root filesystem (`/app/requirements/base.txt`). `..` stops at
 *   the root and symbolic links are resolved inside the root, as a process chrooted there would see them:
 *   nothing outside the target is reachable.
 * - Reads are bounded: each file by the analyzer's `maxFileBytes`, all reads of one analyze call by a
 *   byte budget the host shares with the files it selected, and by a count of files.
 * - In an image, the view is the filesystem as of the layer being analyzed (that layer over the ones
 *   below it), and every entry names the layer (diffID) it comes from, for attribution.
 */
import type { AnalyzerFile } from './index';

export type FsEntryKind = 'file' | 'dir' | 'symlink' | 'other';

export interface FsEntry {
  /** Absolute path after resolving symbolic links. */
  readonly path: string;
  readonly kind: FsEntryKind;
  /** Bytes, for regular files (0 otherwise). */
  readonly size: number;
  /** Layer diffID the entry comes from (images only). */
  readonly layer?: string;
}

/** Why a related file cannot be read. */
export type FsRefusal = 'not-found' | 'not-a-file' | 'too-large' | 'budget-exhausted' | 'unreadable';

/** A related file: an AnalyzerFile that also names its layer. */
export interface RelatedFile extends AnalyzerFile {
  readonly layer?: string;
}

export type FsOpenResult = { ok: true; file: RelatedFile } | { ok: false; reason: FsRefusal; message: string };

export interface FileSystemView {
  /** What is at `path` (symbolic links followed), or undefined when nothing is. */
  stat(path: string): Promise<FsEntry | undefined>;
  /** A regular file's content handle, or why it cannot be read (never throws for a missing file). */
  open(path: string): Promise<FsOpenResult>;
  /** Entry names of a directory, sorted; undefined when `dir` is not a directory. */
  list(dir: string): Promise<string[] | undefined>;
}

/** POSIX-normalize an absolute path: `.` dropped, `..` applied and clamped at the root. */
export function normalizeAbsolute(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** `target` relative to the directory holding `fromFile` (or absolute as given), normalized. */
export function resolveRelated(fromFile: string, target: string): string {
  if (target.startsWith('/')) return normalizeAbsolute(target);
  const dir = fromFile.slice(0, fromFile.lastIndexOf('/')) || '/';
  return normalizeAbsolute(`${dir}/${target}`);
}
