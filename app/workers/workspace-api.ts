/**
 * Worker methods for the first-run workspace and the export targets: thin adapters from the contract to
 * engine/jobs (`firstRunInventoryJob`, `listMediaJob`). The host resolves what only it may know (the
 * app's own lockfile, the folders it allows) and grants the folders `media.list` returns.
 */
import { z } from 'zod';
import type { Store } from '../../engine/store';
import type { JobContext } from '../../engine/jobs/context';
import { jobResultSchemaOf, resultSchemaOf, type ChannelResult, type JobResults, type MediaVolumeView } from '../common/contract';
import { method, type MethodContext, type MethodDef } from './runtime';
import type { ReaderFileCallArgs, WriterJobArgs } from './protocol';

const pathArg = z.string().min(1).max(4096);

export function workspaceWriterMethods(jobContextOf: (ctx: MethodContext<Store>) => JobContext): { 'firstrun.inventory': MethodDef<Store, WriterJobArgs['firstrun.inventory'], JobResults['firstrun.inventory']> } {
  return {
    'firstrun.inventory': method(z.object({ appLockfile: pathArg.optional() }).strict(), jobResultSchemaOf('firstrun.inventory'), async (args, ctx) => {
      const { firstRunInventoryJob } = await import('../../engine/jobs/first-run');
      const r = await firstRunInventoryJob(ctx.store, { ...(args.appLockfile !== undefined ? { appLockfile: args.appLockfile } : {}) }, jobContextOf(ctx));
      return { sboms: r.sboms.map((s) => ({ ...s })) };
    }),
  };
}

export function workspaceReaderMethods(jobContextOf: (ctx: MethodContext<Store>) => JobContext): { 'media.list': MethodDef<Store, ReaderFileCallArgs['media.list'], ChannelResult<'media.list'>> } {
  return {
    'media.list': method(z.object({ folders: z.array(pathArg).max(100) }).strict(), resultSchemaOf('media.list'), async (args, ctx) => {
      const { listMediaJob } = await import('../../engine/jobs/media');
      const r = await listMediaJob(ctx.store, { folders: args.folders }, jobContextOf(ctx));
      return r.volumes.map(
        (v): MediaVolumeView => ({ ref: { kind: 'folder', path: v.path, name: v.label }, label: v.label, kind: v.kind, device: v.device, fsType: v.fsType, sizeBytes: v.sizeBytes, freeBytes: v.freeBytes, writable: v.writable }),
      );
    }),
  };
}
