/**
 * Job: the targets an export can be written to — the app's exports folder, the folders the host allows
 * (`--media DIR`), and the removable media the operating system has mounted, each with its free space.
 * Hosts: the app's `media.list` channel (the host grants exactly the folders listed, so a browser in
 * `stella serve` never names an arbitrary path).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store';
import type { MediaVolume } from '../export';
import type { JobContext } from './context';
import { EXPORTS_DIR } from './evidence';

export interface ListMediaInput {
  /** Folders the host allows besides the exports folder and the removable media (absent ones are left out). */
  folders?: string[];
  /** The removable-media probe (tests inject; default: the operating system's). */
  removable?: () => Promise<MediaVolume[]>;
}

export interface ListMediaResult {
  volumes: MediaVolume[];
}

export async function listMediaJob(store: Store, input: ListMediaInput, ctx: JobContext): Promise<ListMediaResult> {
  const { folderVolume, listRemovableMedia } = await import('../export');
  const exportsDir = join(store.home, EXPORTS_DIR);
  // The exports folder is the home's own: created on first use, like every export creates it.
  mkdirSync(exportsDir, { recursive: true, mode: 0o700 });
  const volumes: MediaVolume[] = [];
  const seen = new Set<string>();
  const add = (v: MediaVolume | null) => {
    if (!v || seen.has(v.path)) return;
    seen.add(v.path);
    volumes.push(v);
  };
  const exportsVolume = folderVolume(exportsDir, 'Exports folder (in the Stella home)');
  add(exportsVolume ? { ...exportsVolume, kind: 'exports' } : null);
  for (const f of [...(input.folders ?? [])].sort()) add(folderVolume(f));
  ctx.onProgress({ phase: 'listing removable media', done: 0 });
  for (const v of await (input.removable ?? (() => listRemovableMedia({ signal: ctx.signal })))()) add(v);
  return { volumes };
}
