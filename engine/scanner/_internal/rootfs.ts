/**
 * Root-filesystem directories and single files. A directory is walked with lstat only: symbolic links
 * are recorded, never followed, so nothing outside the root is read (OS detection resolves links
 * itself, clamped to the root). Files are read lazily, after a size check, when an analyzer asks.
 */
import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AnalyzerTarget } from '../../../plugins/sdk';
import { throwIfCancelled, yieldAndCheck } from '../../core';
import type { LoadedAnalyzer } from '../plugins';
import { readFileRange, runAnalyzers, selectingAnalyzers, type SelectedFile, type ViewFactory } from './analyze';
import { ReadBudget } from './budget';
import { createFsView, DEFAULT_MAX_RELATED_FILES, DiskBackend } from './fsview';
import { parentOf } from './paths';
import { OS_FILES, type IndexEntry, type LayerScan, type ScanIssue, type ScanLimits } from './types';

/** Views over a directory on disk, one per analyzer, charged to the tree's read budget (shared with the selected files). */
function diskViews(backend: DiskBackend, budget: ReadBudget): ViewFactory {
  return (a, reads) => createFsView(backend, { maxFileBytes: a.maxFileBytes, maxFiles: DEFAULT_MAX_RELATED_FILES, budget }, reads);
}

function readSmall(abs: string, max: number): string | undefined {
  const fd = openSync(abs, 'r');
  try {
    const buf = Buffer.alloc(Math.min(max, statSync(abs).size));
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

export async function scanDirectory(root: string, analyzers: readonly LoadedAnalyzer[], limits: ScanLimits, signal?: AbortSignal): Promise<LayerScan> {
  const issues: ScanIssue[] = [];
  const entries: IndexEntry[] = [];
  const selected = new Map<string, SelectedFile>();
  const osFiles: Record<string, string> = {};
  const budget = new ReadBudget(limits.maxSelectedBytes, limits.maxFileBytes);
  const stack: string[] = [''];
  let listed = 0;
  while (stack.length) {
    // The walk is synchronous file-system calls: yield now and then so a cancel (worker message,
    // SIGINT) is delivered during a big tree, not after it.
    if (++listed % 64 === 0) await yieldAndCheck(signal);
    else throwIfCancelled(signal);
    const rel = stack.pop() as string;
    let names: string[];
    try {
      names = readdirSync(join(root, rel)).sort();
    } catch (e) {
      issues.push({ severity: 'warning', path: `/${rel}`, message: `cannot list directory: ${(e as Error).message}` });
      continue;
    }
    for (const name of names) {
      const path = rel ? `${rel}/${name}` : name;
      const abs = join(root, path);
      let st;
      try {
        st = lstatSync(abs);
      } catch (e) {
        issues.push({ severity: 'warning', path: `/${path}`, message: `cannot stat: ${(e as Error).message}` });
        continue;
      }
      if (entries.length >= limits.maxEntries) {
        issues.push({ severity: 'error', path: `/${path}`, message: `more than ${limits.maxEntries} entries; the walk stopped here` });
        stack.length = 0;
        break;
      }
      if (st.isSymbolicLink()) {
        entries.push([path, 'symlink', 0, readlinkSync(abs)]);
      } else if (st.isDirectory()) {
        entries.push([path, 'dir', 0]);
        stack.push(path);
      } else if (st.isFile()) {
        entries.push([path, 'file', st.size]);
        if (OS_FILES.includes(path)) osFiles[path] = readSmall(abs, 1024 * 1024) ?? '';
        const sel = selectingAnalyzers(analyzers, path);
        if (!sel.length) continue;
        const max = Math.min(limits.maxFileBytes, ...sel.map((a) => a.maxFileBytes));
        // Admitted in walk order (sorted), like a layer's files in tar order: deterministic.
        const admission = budget.admit(st.size, max);
        if (!admission.ok) {
          issues.push({ severity: 'warning', path: `/${path}`, message: admission.message });
          continue;
        }
        // Read lazily, and re-check: the tree may change between the walk and the read.
        const size = st.size;
        selected.set(path, {
          path,
          size,
          fresh: true,
          read: async () => {
            try {
              return await readFileRange(abs, 0, size, size);
            } catch (e) {
              throw new Error(`/${path} ${(e as Error).message}`);
            }
          },
          readRange: (offset, length) => readFileRange(abs, offset, length, size),
        });
      } else {
        entries.push([path, st.isFIFO() ? 'fifo' : 'device', 0]);
      }
    }
  }
  const runs = await runAnalyzers(analyzers, selected, 'rootfs', issues, undefined, signal, undefined, diskViews(new DiskBackend(root), budget));
  return { entries, analyzers: runs, osFiles, issues, complete: true };
}

/**
 * One file analyzed as if it stood at `asPath` (root-relative). Its analyzers' view of the filesystem is the
 * file's own directory, mounted where `asPath` puts the file: a `-r base.txt` beside a requirements file, a
 * parent POM one level up inside that directory are found; nothing outside the directory is visible.
 */
export async function scanSingleFile(file: string, asPath: string, analyzers: readonly LoadedAnalyzer[], limits: ScanLimits, target: AnalyzerTarget = 'file'): Promise<LayerScan> {
  const issues: ScanIssue[] = [];
  const size = statSync(file).size;
  const sel = selectingAnalyzers(analyzers, asPath);
  const selected = new Map<string, SelectedFile>();
  const budget = new ReadBudget(limits.maxSelectedBytes, limits.maxFileBytes);
  const admission = budget.admit(size, Math.min(...sel.map((a) => a.maxFileBytes)));
  if (!admission.ok) issues.push({ severity: 'error', path: `/${asPath}`, message: `${file}: ${admission.message}` });
  else {
    // The file named on the command line may be a link (followed, once, here); what is read is never
    // swapped for a link afterwards.
    const real = realpathSync(file);
    selected.set(asPath, { path: asPath, size, fresh: true, read: () => readFileRange(real, 0, size, size), readRange: (offset, length) => readFileRange(real, offset, length, size) });
  }
  const views = diskViews(new DiskBackend(dirname(realpathSync(file)), parentOf(asPath)), budget);
  const runs = await runAnalyzers(analyzers, selected, target, issues, undefined, undefined, undefined, views);
  return { entries: [[asPath, 'file', size]], analyzers: runs, osFiles: {}, issues, complete: true };
}
