// Electron main end to end with a fake `electron` module and the real engine host + workers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MenuItemConstructorOptions } from 'electron';
import { IPC, type Reply } from '../../common/contract';
import { bootstrap, type ElectronModule } from './bootstrap';
import { APP_URL } from './security';

type Fn = (...a: unknown[]) => unknown;

function fakeElectron(opts: { lock: boolean; userData: string }) {
  const appHandlers: Record<string, Fn[]> = {};
  const ipc: Record<string, Fn> = {};
  const record = { quit: 0, exit: [] as number[], menu: null as MenuItemConstructorOptions[] | null, schemes: [] as unknown[], protocols: [] as string[], errors: [] as string[], sent: [] as unknown[][] };
  const windows: FakeWindow[] = [];
  class FakeWindow {
    readonly options: Record<string, unknown>;
    readonly handlers: Record<string, Fn[]> = {};
    url = '';
    focused = 0;
    maximized = false;
    webContents = { send: (...a: unknown[]) => record.sent.push(a), isDestroyed: () => false };
    constructor(o: Record<string, unknown>) {
      this.options = o;
      windows.push(this);
    }
    static getAllWindows() {
      return windows;
    }
    on(ev: string, f: Fn) {
      (this.handlers[ev] ??= []).push(f);
      return this;
    }
    once(ev: string, f: Fn) {
      return this.on(ev, f);
    }
    emit(ev: string) {
      for (const f of this.handlers[ev] ?? []) f();
    }
    async loadURL(u: string) {
      this.url = u;
    }
    maximize() {
      this.maximized = true;
    }
    isMaximized() {
      return this.maximized;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {
      this.focused++;
    }
    show() {}
    getNormalBounds() {
      return { x: 10, y: 20, width: 1300, height: 850 };
    }
  }
  const electron = {
    app: {
      requestSingleInstanceLock: () => opts.lock,
      on: (ev: string, f: Fn) => (appHandlers[ev] ??= []).push(f),
      whenReady: async () => {},
      getVersion: () => '9.9.9',
      getPath: () => opts.userData,
      quit: () => record.quit++,
      exit: (c: number) => record.exit.push(c),
    },
    BrowserWindow: FakeWindow,
    ipcMain: { handle: (c: string, f: Fn) => (ipc[c] = f), on: (c: string, f: Fn) => (ipc[c] = f), removeHandler: () => {}, removeAllListeners: () => {} },
    dialog: { showErrorBox: (t: string, m: string) => record.errors.push(`${t}: ${m}`), showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showMessageBox: async () => ({ response: 0 }) },
    Menu: { buildFromTemplate: (t: MenuItemConstructorOptions[]) => t, setApplicationMenu: (m: MenuItemConstructorOptions[]) => (record.menu = m) },
    protocol: { registerSchemesAsPrivileged: (s: unknown[]) => record.schemes.push(...s), handle: (scheme: string) => record.protocols.push(scheme) },
    session: { defaultSession: { setPermissionRequestHandler() {}, setPermissionCheckHandler() {}, webRequest: { onBeforeRequest() {}, onHeadersReceived() {} } } },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  };
  const emitApp = (ev: string, ...a: unknown[]) => (appHandlers[ev] ?? []).forEach((f) => f(...a));
  return { electron: electron as unknown as ElectronModule, record, windows, ipc, emitApp };
}

const workerScript = fileURLToPath(new URL('../../workers/engine.worker.ts', import.meta.url));
const paths = { preload: '/app/dist/main/preload.cjs', uiDir: '/app/dist/renderer', workerScript };

test('a second instance only quits (the first one gets focused)', async () => {
  const f = fakeElectron({ lock: false, userData: tmpdir() });
  await bootstrap(f.electron, paths, { log: () => {} });
  assert.equal(f.record.quit, 1);
  assert.equal(f.windows.length, 0);
  assert.deepEqual(f.record.protocols, []);
});

test('start: hardened window on app://, IPC served by the engine host, menu, state saved, quit drains', { timeout: 60_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'stella-electron-home-'));
  const userData = mkdtempSync(join(tmpdir(), 'stella-electron-ud-'));
  const prev = process.env.STELLA_HOME;
  process.env.STELLA_HOME = home;
  const f = fakeElectron({ lock: true, userData });
  try {
    await bootstrap(f.electron, paths, { log: () => {}, drainMs: 1000 });
    assert.equal(f.record.errors.length, 0, f.record.errors.join('\n'));
    assert.deepEqual((f.record.schemes[0] as { scheme: string }).scheme, 'app');
    assert.deepEqual(f.record.protocols, ['app']);
    assert.equal(f.windows.length, 1);
    const w = f.windows[0]!;
    assert.equal(w.url, APP_URL);
    const prefs = w.options.webPreferences as Record<string, unknown>;
    assert.deepEqual([prefs.contextIsolation, prefs.sandbox, prefs.nodeIntegration, prefs.preload], [true, true, false, paths.preload]);
    assert.ok(f.record.menu?.some((m) => m.label === '&File'));

    const appFrame = { senderFrame: { url: APP_URL, parent: null } };
    const info = (await f.ipc[IPC.invoke]!(appFrame, 'app.info', {})) as Reply<{ mode: string; home: string; nativeDialogs: boolean; version: string }>;
    assert.deepEqual(info.ok && [info.value.mode, info.value.home, info.value.nativeDialogs, info.value.version], ['electron', home, true, '9.9.9']);
    const snap = (await f.ipc[IPC.invoke]!(appFrame, 'advisories.snapshot', {})) as Reply<{ documentCount: number }>;
    assert.equal(snap.ok && snap.value.documentCount, 0, 'reader worker answered from the store');
    const dialog = (await f.ipc[IPC.invoke]!(appFrame, 'files.open', { purpose: 'sbom' })) as Reply<unknown[]>;
    assert.deepEqual(dialog, { ok: true, value: [] }, 'cancelled dialog');

    f.emitApp('second-instance');
    assert.equal(w.focused, 1);

    w.emit('close');
    assert.deepEqual(JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8')), { x: 10, y: 20, width: 1300, height: 850, maximized: false });

    let prevented = 0;
    f.emitApp('before-quit', { preventDefault: () => prevented++ });
    assert.equal(prevented, 1, 'quit waits for the engine host to drain');
    const deadline = Date.now() + 10_000;
    while (f.record.quit === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(f.record.quit, 1, 'then quits');
    f.emitApp('before-quit', { preventDefault: () => prevented++ });
    assert.equal(prevented, 1, 'the second before-quit passes');
    assert.ok(existsSync(join(home, 'stella.db')));
  } finally {
    if (prev === undefined) delete process.env.STELLA_HOME;
    else process.env.STELLA_HOME = prev;
    rmSync(home, { recursive: true, force: true });
    rmSync(userData, { recursive: true, force: true });
  }
});
