/**
 * The main window: locked-down webPreferences and window-state restore (bounds + maximized, saved in
 * userData, restored only where a display still shows it).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { writeFileAtomic } from '../../../engine/store';

export const DEFAULT_SIZE = { width: 1400, height: 900 };
export const MIN_SIZE = { width: 900, height: 600 };

const windowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(MIN_SIZE.width).max(20000),
  height: z.number().int().min(MIN_SIZE.height).max(20000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof windowStateSchema>;

export function windowOptions(preloadPath: string, restored: Partial<WindowState> | null): BrowserWindowConstructorOptions {
  return {
    ...DEFAULT_SIZE,
    ...(restored ? { x: restored.x, y: restored.y, width: restored.width, height: restored.height } : {}),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Stella Evidence Workstation',
    backgroundColor: '#111418',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      webviewTag: false,
      safeDialogs: true,
    },
  };
}

/** Load a saved state; anything unreadable or malformed means "use defaults" (never an error dialog). */
export function loadWindowState(file: string): WindowState | null {
  try {
    const parsed = windowStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  writeFileAtomic(file, `${JSON.stringify(state)}\n`);
}

/**
 * Keep a saved state only if at least 100×50 px of its title area are on some display's work area
 * (a monitor may have been unplugged since); otherwise fall back to the default size, centred.
 */
export function restoreState(saved: WindowState | null, workAreas: Rectangle[]): WindowState | null {
  if (!saved) return null;
  const visible = workAreas.some((a) => {
    const w = Math.min(saved.x + saved.width, a.x + a.width) - Math.max(saved.x, a.x);
    const h = Math.min(saved.y + 50, a.y + a.height) - Math.max(saved.y, a.y);
    return w >= 100 && h >= 50;
  });
  return visible ? saved : null;
}
