/**
 * Electron main: single instance, hardened session and windows, the `app://` protocol for the UI, the
 * engine host (worker pool) and its IPC router, native menus and dialogs, window-state restore, and a
 * quit that drains running jobs. `electron` is a parameter so this module type-checks against
 * Electron's own types and is testable with fakes; main.ts passes the real module.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type * as ElectronNs from 'electron';
import { resolveHome } from '../../../engine/store';
import type { FileRef } from '../../common/contract';
import { EngineHost } from '../host/engine-host';
import { fileResolver, PathGrants } from '../host/files';
import { EnginePool } from '../../workers/pool';
import { chooseFolders, openFiles, type OpenPurpose } from './dialogs';
import { type NotificationApi, showDesktopNotifications } from './notifications';
import { registerIpc } from './ipc';
import { buildMenuTemplate } from './menu';
import { serveAppRequest } from './protocol';
import { APP_SCHEME, APP_URL, hardenSession, hardenWebContents } from './security';
import { loadWindowState, restoreState, saveWindowState, windowOptions } from './window';

export type ElectronModule = Pick<typeof ElectronNs, 'app' | 'BrowserWindow' | 'ipcMain' | 'dialog' | 'Menu' | 'protocol' | 'session' | 'screen'>;

export interface BootstrapPaths {
  preload: string;
  uiDir: string;
  workerScript: string;
}

export interface BootstrapOptions {
  dev?: boolean;
  log?: (m: string) => void;
  /** Drain timeout when quitting, ms (default 10 s). */
  drainMs?: number;
  /** The main command's arguments (default `process.argv`): `--home DIR`, `--feeds DIR`, `--media DIR`…. */
  argv?: readonly string[];
  /** The app's package-lock.json for the first-run inventory (default: in the app's folder, `app.getAppPath()`). */
  appLockfile?: string;
}

/**
 * The app's package-lock.json: in the packaged app's folder (app.asar; electron-builder.yml ships it),
 * or — run from the repository (`electron dist/main/main.cjs`, whose app path is dist/main) — at its root.
 */
export function appLockfileOf(appPath: string): string {
  const candidates = [join(appPath, 'package-lock.json'), join(appPath, '..', '..', 'package-lock.json')];
  return candidates.find((p) => existsSync(p)) ?? (candidates[0] as string);
}

export interface MainArgs {
  home?: string;
  feeds?: string;
  media: string[];
}

/** `--home DIR`, `--feeds DIR`, `--media DIR` (repeatable) among the main process's argv (also `--x=DIR`); the rest is Electron's/Chromium's. */
export function parseMainArgs(argv: readonly string[]): MainArgs {
  const out: MainArgs = { media: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const m = /^--(home|feeds|media)(?:=(.*))?$/.exec(a);
    if (!m) continue;
    const v = m[2] ?? argv[i + 1];
    if (m[2] === undefined) i++;
    if (v === undefined || v === '') continue;
    if (m[1] === 'media') out.media.push(v);
    else out[m[1] as 'home' | 'feeds'] = v;
  }
  return out;
}

export const APP_NAME = 'Stella Evidence Workstation';

export function registerPrivilegedScheme(electron: Pick<ElectronModule, 'protocol'>): void {
  electron.protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

export async function bootstrap(electron: ElectronModule, paths: BootstrapPaths, opts: BootstrapOptions = {}): Promise<void> {
  const { app, BrowserWindow, ipcMain, dialog, Menu, protocol, session, screen } = electron;
  const log = opts.log ?? ((m: string) => process.stderr.write(`stella: ${m}\n`));
  registerPrivilegedScheme(electron);
  if (!app.requestSingleInstanceLock()) {
    log('another Stella window is already running; focusing it');
    app.quit();
    return;
  }
  let win: ElectronNs.BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, log));

  await app.whenReady();
  const args = parseMainArgs(opts.argv ?? process.argv.slice(1));
  const home = resolveHome({ ...(args.home !== undefined ? { home: args.home } : {}) });
  const pool = new EnginePool({ home, workerScript: paths.workerScript, log: (level, m) => log(`${level}: ${m}`) });
  try {
    await pool.start();
  } catch (e) {
    dialog.showErrorBox('Stella cannot open its evidence store', `${(e as Error).message}\n\nEvidence store: ${home}\nSet STELLA_HOME to use another folder.`);
    await pool.close({ drainMs: 0 }).catch(() => {});
    app.exit(1);
    return;
  }
  const grants = new PathGrants();
  const host = new EngineHost({
    backend: pool,
    files: fileResolver({ paths: grants }),
    info: { version: app.getVersion(), mode: 'electron', home, platform: process.platform },
    openFiles: (args) => openFiles(dialog, win, grants, args.purpose, args.multiple ?? false, args.directory ?? false),
    chooseFolder: (args) => chooseFolders(dialog, win, grants, args.purpose, args.multiple ?? false),
    grantFolder: (path) => grants.grantFolder(path),
    mediaFolders: args.media.map((d) => resolve(d)),
    appLockfile: opts.appLockfile ?? appLockfileOf(typeof app.getAppPath === 'function' ? app.getAppPath() : process.cwd()),
    notifications: true,
  });
  if (args.feeds !== undefined) {
    try {
      const { jobId } = host.importFeedsAtStart(resolve(args.feeds));
      log(`importing the advisories in ${resolve(args.feeds)} (job ${jobId})`);
    } catch (e) {
      dialog.showErrorBox('Importing --feeds failed', (e as Error).message);
    }
  }
  // `Notification` is not part of ElectronModule, so test fakes need not provide it.
  showDesktopNotifications(host.bus, (electron as { Notification?: NotificationApi }).Notification, () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  hardenSession(session.defaultSession, log);
  protocol.handle(APP_SCHEME, (req) => serveAppRequest(paths.uiDir, req.url));
  registerIpc({ ipcMain, host, grants, targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents), log });

  const reportFailure = (what: string, r: { ok: boolean; error?: { message: string } }): void => {
    if (!r.ok) dialog.showErrorBox(`${what} failed`, r.error?.message ?? 'unknown error');
  };
  const fromMenu = async (purpose: OpenPurpose): Promise<void> => {
    const files: FileRef[] = await openFiles(dialog, win, grants, purpose, purpose === 'advisories');
    if (files.length === 0) return;
    if (purpose === 'sbom') for (const file of files) reportFailure('Importing the SBOM', await host.invoke('sbom.import', { file }));
    else if (purpose === 'advisories') reportFailure('Importing advisories', await host.invoke('advisories.import', { files }));
    else host.bus.emit('files.dropped', { files, purpose });
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        platform: process.platform,
        appName: APP_NAME,
        dev: opts.dev ?? false,
        actions: {
          openSbom: () => void fromMenu('sbom'),
          openImage: () => void fromMenu('image'),
          importAdvisories: () => void fromMenu('advisories'),
          about: () =>
            void dialog.showMessageBox({
              type: 'info',
              title: `About ${APP_NAME}`,
              message: `${APP_NAME} ${app.getVersion()}`,
              detail: `Evidence store: ${home}\nElectron ${process.versions.electron ?? '?'} · Node ${process.versions.node}`,
            }),
        },
      }),
    ),
  );

  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const createWindow = (): void => {
    const restored = restoreState(
      loadWindowState(stateFile),
      screen.getAllDisplays().map((d) => d.workArea),
    );
    const w = new BrowserWindow(windowOptions(paths.preload, restored));
    win = w;
    if (restored?.maximized) w.maximize();
    w.once('ready-to-show', () => w.show());
    w.on('close', () => {
      try {
        const b = w.getNormalBounds();
        saveWindowState(stateFile, { x: b.x, y: b.y, width: b.width, height: b.height, maximized: w.isMaximized() });
      } catch (e) {
        log(`could not save the window state: ${(e as Error).message}`);
      }
    });
    w.on('closed', () => {
      if (win === w) win = null;
    });
    void w.loadURL(APP_URL);
  };
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let drained = false;
  app.on('before-quit', (event) => {
    if (drained) return;
    event.preventDefault();
    if (host.jobs.active > 0) log(`finishing ${host.jobs.active} running job(s) before quitting…`);
    void host
      .close({ drainMs: opts.drainMs ?? 10_000 })
      .catch((e: unknown) => log(`shutdown: ${(e as Error).message}`))
      .finally(() => {
        drained = true;
        app.quit();
      });
  });
}
