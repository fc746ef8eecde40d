/**
 * Job: inventory a target — what is in an image tar, OCI layout, root-filesystem directory or single
 * lockfile / manifest / package database. Nothing is stored except layer-cache entries (each complete
 * on its own). Hosts: `stella inventory`, and the scan job for every target that is not an SBOM.
 */
import { basename } from 'node:path';
import type { Store } from '../store';
import type { InventoryResult } from '../scanner';
import type { JobContext } from './context';
import { pluginSourcesFor } from './_internal/plugin-sources';

export interface InventoryInput {
  /** The target: image tar (docker-archive / OCI), OCI layout directory, root filesystem, or one file. */
  path: string;
  /**
   * The name the user knows the target by (an upload's name, the file name). A single file is analyzed
   * as if it stood at this path, so lockfile selectors match an upload stored under a random name.
   * Default: the file name of `path`.
   */
  name?: string;
  /** With a single file: analyze it as if it stood at this path in a filesystem (`var/lib/dpkg/status`). */
  as?: string;
  /**
   * The application's analyzer plug-in folder (default: the installation's plugins/, or
   * $STELLA_PLUGINS_DIR). Signed third-party plug-ins come from `<home>/plugins` of the store.
   */
  pluginsDir?: string;
  /** Worker threads for layers (default: one per core, 0 = in this thread). */
  workers?: number;
  /** Read and write the per-layer cache in the store (default true; false still reads trust from it). */
  cache?: boolean;
}

const PHASE_NAMES = { plugins: 'loading analyzers', layers: 'analyzing layers', squash: 'stacking layers' } as const;

/**
 * `store` keeps the per-layer cache and holds the trust that third-party plug-ins are checked against;
 * `null` analyzes every layer afresh with the built-in plug-ins only and writes nothing. Plug-ins the
 * host refused are logged as warnings (and returned in `refusedPlugins`).
 */
export async function inventoryJob(store: Store | null, input: InventoryInput, ctx: JobContext): Promise<InventoryResult> {
  // The scanner (image readers, plug-in host, worker pool) is loaded only by jobs that inventory.
  const { detectTargetKind, inventoryTarget } = await import('../scanner');
  // The scanner analyzes a single file under its own file name by default; only a different name is passed on.
  const renamed = input.as === undefined && input.name !== undefined && input.name !== basename(input.path) && detectTargetKind(input.path) === 'file';
  const as = input.as ?? (renamed ? input.name : undefined);
  const pluginSources = await pluginSourcesFor(store, input.pluginsDir);
  const result = await inventoryTarget(input.path, {
    ...(as !== undefined ? { as } : {}),
    ...(store && input.cache !== false ? { store } : { cache: false }),
    pluginSources,
    ...(input.workers !== undefined ? { workers: input.workers } : {}),
    signal: ctx.signal,
    onProgress: (p) =>
      ctx.onProgress({
        phase: PHASE_NAMES[p.phase],
        done: p.done,
        total: p.total,
        ...(p.detail ? { message: p.detail } : {}),
        ...(p.layer ? { item: { index: p.layer.index, id: p.layer.digest, state: p.layer.state } } : {}),
      }),
  });
  for (const r of result.refusedPlugins) ctx.log('warn', `plug-in ${r.name}${r.version !== undefined ? `@${r.version}` : ''} (${r.source}, ${r.dir}) refused: ${r.code}: ${r.reason}`);
  return result;
}
