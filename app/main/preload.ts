/**
 * The preload (sandboxed, context-isolated; bundled to dist/main/preload.cjs). It exposes exactly
 * `window.stella.invoke` and `window.stella.subscribe`, each checked against the contract's allow-list,
 * and turns files dropped on the window into paths main grants (`files.dropped` events). It imports
 * nothing but `electron` and zod-free contract constants: a sandboxed preload cannot load packages.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC, type StellaBridge } from '../common/contract/bridge';
import { CHANNEL_NAMES, EVENT_NAMES, FILE_PURPOSES } from '../common/contract/names';
import type { Reply } from '../common/contract/envelope';

const channels = new Set<string>(CHANNEL_NAMES);
const events = new Set<string>(EVENT_NAMES);
const handlers = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(IPC.event, (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  for (const h of handlers.get(name) ?? []) {
    try {
      h(payload);
    } catch (err) {
      console.error(`stella: a ${name} handler threw`, err);
    }
  }
});

const bridge: StellaBridge = {
  invoke(channel: string, args: unknown): Promise<Reply<unknown>> {
    if (typeof channel !== 'string' || !channels.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown-channel', message: `unknown channel ${String(channel)}` } });
    }
    return ipcRenderer.invoke(IPC.invoke, channel, args) as Promise<Reply<unknown>>;
  },
  subscribe(event: string, handler: (payload: unknown) => void): () => void {
    if (typeof event !== 'string' || !events.has(event) || typeof handler !== 'function') throw new TypeError(`stella.subscribe: unknown event ${String(event)}`);
    let set = handlers.get(event);
    if (!set) handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  },
};
contextBridge.exposeInMainWorld('stella', bridge);

// Drag and drop: the renderer marks drop zones with data-drop-purpose (one of FILE_PURPOSES).
window.addEventListener('dragover', (e) => {
  if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
});
window.addEventListener('drop', (e) => {
  if (!e.dataTransfer || e.dataTransfer.files.length === 0) return;
  e.preventDefault();
  const paths = Array.from(e.dataTransfer.files)
    .map((f) => webUtils.getPathForFile(f))
    .filter((p) => p !== '');
  const zone = e.target instanceof Element ? e.target.closest('[data-drop-purpose]') : null;
  const purpose = zone?.getAttribute('data-drop-purpose') ?? undefined;
  if (paths.length) ipcRenderer.send(IPC.drop, { paths, ...(purpose !== undefined && (FILE_PURPOSES as readonly string[]).includes(purpose) ? { purpose } : {}) });
});
