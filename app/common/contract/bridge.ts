/**
 * What the Electron preload exposes on `window.stella` (contextBridge): exactly an allow-listed
 * `invoke` and `subscribe`. Anything not in CHANNELS / EVENTS is refused in the preload and again in main.
 */
import type { Reply } from './envelope';

export interface StellaBridge {
  invoke(channel: string, args: unknown): Promise<Reply<unknown>>;
  subscribe(event: string, handler: (payload: unknown) => void): () => void;
}

/** The main-process IPC channel names used under the bridge (not part of the renderer API). */
export const IPC = {
  invoke: 'stella:invoke',
  event: 'stella:event',
  /** preload → main: absolute paths of files dropped on the window (main grants and re-emits them). */
  drop: 'stella:drop',
} as const;

declare global {
  interface Window {
    stella?: StellaBridge;
  }
}
