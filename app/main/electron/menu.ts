/** The native application menu, as a template built from plain actions (unit-tested without Electron). */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  openSbom(): void;
  openImage(): void;
  importAdvisories(): void;
  about(): void;
}

export function buildMenuTemplate(opts: { platform: NodeJS.Platform; appName: string; dev: boolean; actions: MenuActions }): MenuItemConstructorOptions[] {
  const mac = opts.platform === 'darwin';
  const { actions } = opts;
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Open SBOM…', accelerator: 'CmdOrCtrl+O', click: () => actions.openSbom() },
      { label: 'Open Container Image…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.openImage() },
      { label: 'Import Advisories…', accelerator: 'CmdOrCtrl+I', click: () => actions.importAdvisories() },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit', label: 'E&xit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(opts.dev ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[]) : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const windowMenu: MenuItemConstructorOptions = { label: '&Window', submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }] };
  const help: MenuItemConstructorOptions = { role: 'help', label: '&Help', submenu: [{ label: `About ${opts.appName}`, click: () => actions.about() }] };
  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: opts.appName,
          submenu: [
            { label: `About ${opts.appName}`, click: () => actions.about() },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  return [...appMenu, file, edit, view, windowMenu, help];
}
