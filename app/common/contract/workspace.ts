/**
 * Contract part: where exports go and the first-run workspace. `media.list` — the targets an export
 * may be written to (the home's exports folder, folders the host allows, mounted removable media with
 * free space), each a FolderRef the host has granted: the way to pick a medium in `stella serve`, where
 * there is no folder dialog and the browser never names a path. `firstrun.inventory` — a job that
 * stores the app's own dependencies and the host's OS packages as the first SBOMs. Request schemas,
 * result types and result schemas, merged into channels.ts / results.ts.
 */
import { z } from 'zod';

const empty = z.object({}).strict();
const count = z.number().int().nonnegative();

export const workspaceRequestSchemas = {
  /** Export targets: the exports folder, allowed folders, mounted removable media (each granted as a FolderRef). */
  'media.list': empty,
  /** Inventory the app's package-lock.json and the host's OS package database as the first SBOMs (a job). */
  'firstrun.inventory': empty,
} as const;

export interface MediaVolumeView {
  ref: { kind: 'folder'; path: string; name?: string };
  label: string;
  /** `removable`: a medium the OS reports; `folder`: a folder the host allows (`--media DIR`); `exports`: the home's exports folder (where kits and mirrors are built). */
  kind: 'removable' | 'folder' | 'exports';
  device: string | null;
  fsType: string | null;
  sizeBytes: number | null;
  freeBytes: number | null;
  writable: boolean;
}

export interface FirstRunSbomView {
  kind: 'app' | 'os';
  target: string;
  name: string;
  status: 'imported' | 'skipped';
  sbomId: string | null;
  components: number;
  reason: string | null;
}

export interface FirstRunSummary {
  sboms: FirstRunSbomView[];
}

export interface WorkspaceChannelResults {
  'media.list': MediaVolumeView[];
  'firstrun.inventory': { jobId: string };
}

const folderRef = z.object({ kind: z.literal('folder'), path: z.string(), name: z.string().optional() }).strict();
export const mediaVolumeViewSchema = z
  .object({
    ref: folderRef,
    label: z.string(),
    kind: z.enum(['removable', 'folder', 'exports']),
    device: z.string().nullable(),
    fsType: z.string().nullable(),
    sizeBytes: count.nullable(),
    freeBytes: count.nullable(),
    writable: z.boolean(),
  })
  .strict();

export const firstRunSummarySchema = z
  .object({
    sboms: z.array(
      z
        .object({ kind: z.enum(['app', 'os']), target: z.string(), name: z.string(), status: z.enum(['imported', 'skipped']), sbomId: z.string().nullable(), components: count, reason: z.string().nullable() })
        .strict(),
    ),
  })
  .strict();

export const workspaceResultSchemas = {
  'media.list': z.array(mediaVolumeViewSchema),
  'firstrun.inventory': z.object({ jobId: z.string() }).strict(),
} as const;

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const _schemasMatch: [Same<z.infer<typeof mediaVolumeViewSchema>, MediaVolumeView>, Same<z.infer<typeof firstRunSummarySchema>, FirstRunSummary>] = [true, true];
void _schemasMatch;
