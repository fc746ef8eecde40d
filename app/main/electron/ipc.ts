/**
 * The IPC router: `stella:invoke` (renderer → EngineHost, envelope replies), `stella:drop` (preload →
 * main: dropped file paths, granted and re-emitted as `files.dropped`), and every bus event pushed to
 * the app's windows on `stella:event`. Messages from anything but the app's own top frame are refused.
 */
import { z } from 'zod';
import { isAbsolute } from 'node:path';
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { FILE_PURPOSES, IPC, type FileRef, type Reply } from '../../common/contract';
import type { EngineHost } from '../host/engine-host';
import type { PathGrants } from '../host/files';
import { isAppUrl } from './security';

export const dropMessageSchema = z
  .object({
    paths: z.array(z.string().min(1).max(4096).refine((p) => isAbsolute(p), 'must be an absolute path')).min(1).max(10000),
    purpose: z.enum(FILE_PURPOSES).optional(),
  })
  .strict();

type SenderEvent = Pick<IpcMainInvokeEvent | IpcMainEvent, 'senderFrame'>;

/** Only the app's own top-level frame may talk to main. */
export function isTrustedSender(event: SenderEvent): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  return frame.parent === null && isAppUrl(frame.url);
}

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'on' | 'removeHandler' | 'removeAllListeners'>;
  host: EngineHost;
  grants: PathGrants;
  /** The web contents that receive events (the app's windows). */
  targets: () => Pick<WebContents, 'send' | 'isDestroyed'>[];
  log?: (m: string) => void;
}

export function registerIpc(deps: IpcDeps): () => void {
  const log = deps.log ?? (() => {});
  deps.ipcMain.handle(IPC.invoke, async (event, channel: unknown, args: unknown): Promise<Reply<unknown>> => {
    if (!isTrustedSender(event)) {
      log(`refused IPC from ${event.senderFrame?.url ?? 'an unknown frame'}`);
      return { ok: false, error: { code: 'invalid-request', message: 'refused: not the Stella window' } };
    }
    if (typeof channel !== 'string') return { ok: false, error: { code: 'invalid-request', message: 'channel must be a string' } };
    return deps.host.invoke(channel, args);
  });
  deps.ipcMain.on(IPC.drop, (event, msg: unknown) => {
    if (!isTrustedSender(event)) return;
    const parsed = dropMessageSchema.safeParse(msg);
    if (!parsed.success) {
      log(`dropped a malformed drop message: ${parsed.error.message}`);
      return;
    }
    const files: FileRef[] = [];
    for (const p of parsed.data.paths) {
      // a folder dropped on the image zone is an OCI layout or root filesystem to scan
      const ref = deps.grants.grant(p, { directory: parsed.data.purpose === 'image' });
      try {
        deps.grants.resolvePath(ref as Extract<FileRef, { kind: 'path' }>);
        files.push(ref);
      } catch (e) {
        log(`ignored dropped item ${p}: ${(e as Error).message}`);
      }
    }
    if (files.length) deps.host.bus.emit('files.dropped', { files, ...(parsed.data.purpose ? { purpose: parsed.data.purpose } : {}) });
  });
  const off = deps.host.bus.onAny((name, payload) => {
    for (const wc of deps.targets()) if (!wc.isDestroyed()) wc.send(IPC.event, name, payload);
  });
  return () => {
    off();
    deps.ipcMain.removeHandler(IPC.invoke);
    deps.ipcMain.removeAllListeners(IPC.drop);
  };
}
