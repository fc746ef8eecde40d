// Main-process rules tested in plain Node: the Electron objects are fakes passed in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { IPC, type Reply } from '../../common/contract';
import { EngineHost, type EngineBackend } from '../host/engine-host';
import { fileResolver, PathGrants } from '../host/files';
import { openDialogOptions, openFiles } from './dialogs';
import { registerIpc } from './ipc';
import { buildMenuTemplate } from './menu';
import { serveAppRequest } from './protocol';
import { APP_URL, ELECTRON_CSP, hardenSession, hardenWebContents, isAllowedRequest, isAppUrl, type SessionLike, type WebContentsLike } from './security';
import { loadWindowState, restoreState, saveWindowState, windowOptions } from './window';

const items = (t: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] => t.flatMap((m) => [m, ...(Array.isArray(m.submenu) ? items(m.submenu) : [])]);

test('menu: File has the open/import actions wired to their handlers; dev-only items only in dev; mac gets an app menu', () => {
  const called: string[] = [];
  const actions = { openSbom: () => called.push('sbom'), openImage: () => called.push('image'), importAdvisories: () => called.push('adv'), about: () => called.push('about') };
  const linux = buildMenuTemplate({ platform: 'linux', appName: 'Stella', dev: false, actions });
  assert.deepEqual(linux.map((m) => m.label), ['&File', '&Edit', '&View', '&Window', '&Help']);
  const all = items(linux);
  const byLabel = (l: string) => all.find((i) => i.label === l);
  assert.equal(byLabel('Open SBOM…')?.accelerator, 'CmdOrCtrl+O');
  assert.equal(byLabel('Import Advisories…')?.accelerator, 'CmdOrCtrl+I');
  for (const l of ['Open SBOM…', 'Open Container Image…', 'Import Advisories…', 'About Stella']) (byLabel(l)?.click as () => void)();
  assert.deepEqual(called, ['sbom', 'image', 'adv', 'about']);
  assert.ok(!all.some((i) => i.role === 'toggleDevTools' || i.role === 'reload'), 'no devtools/reload in production');
  assert.ok(all.some((i) => i.role === 'quit'));
  assert.ok(items(buildMenuTemplate({ platform: 'linux', appName: 'Stella', dev: true, actions })).some((i) => i.role === 'toggleDevTools'));
  const mac = buildMenuTemplate({ platform: 'darwin', appName: 'Stella', dev: false, actions });
  assert.equal(mac[0]?.label, 'Stella');
  assert.ok(items(mac).some((i) => i.role === 'hideOthers'));
});

test('dialogs: per-purpose filters; chosen paths are granted; cancel yields nothing', async () => {
  assert.deepEqual(openDialogOptions('sbom', false).properties, ['openFile', 'dontAddToRecent']);
  assert.deepEqual(openDialogOptions('advisories', true).properties, ['openFile', 'multiSelections', 'dontAddToRecent']);
  assert.ok(openDialogOptions('sbom', false).filters?.[0]?.extensions.includes('json'));
  assert.ok(openDialogOptions('image', false).filters?.[0]?.extensions.includes('tar'));
  assert.ok(openDialogOptions('advisories', false).filters?.some((f) => f.extensions.includes('*')));

  const dir = mkdtempSync(join(tmpdir(), 'stella-dlg-'));
  const file = join(dir, 'bom.json');
  writeFileSync(file, '{}');
  const grants = new PathGrants();
  const seen: unknown[] = [];
  const dialog = {
    showOpenDialog: async (...a: unknown[]) => {
      seen.push(a);
      return { canceled: false, filePaths: [file] };
    },
  } as never;
  const refs = await openFiles(dialog, null, grants, 'sbom');
  assert.deepEqual(refs, [{ kind: 'path', path: file, name: 'bom.json' }]);
  assert.deepEqual(grants.resolvePath(refs[0] as never), { path: file, name: 'bom.json', uri: file });
  const cancel = { showOpenDialog: async () => ({ canceled: true, filePaths: [] }) } as never;
  assert.deepEqual(await openFiles(cancel, null, grants, 'sbom'), []);
  // a folder (an OCI layout or root filesystem): a folder dialog, and the folder is granted as one
  assert.deepEqual(openDialogOptions('image', false, true).properties, ['openDirectory', 'dontAddToRecent']);
  assert.equal(openDialogOptions('image', false, true).filters, undefined);
  const folderDialog = { showOpenDialog: async () => ({ canceled: false, filePaths: [dir] }) } as never;
  const [folder] = await openFiles(folderDialog, null, grants, 'image', false, true);
  assert.deepEqual(grants.resolvePath(folder as never), { path: dir, name: dir.split('/').pop(), uri: dir });
  for (const p of ['attestation', 'artifact', 'trust-root', 'key'] as const) assert.ok(openDialogOptions(p, false).filters?.some((f) => f.extensions.includes('*')), p);
  rmSync(dir, { recursive: true, force: true });
});

test('session: every permission denied except clipboard text writes; remote requests blocked; CSP forced', () => {
  const h: Record<string, (...a: never[]) => unknown> = {};
  const session = {
    setPermissionRequestHandler: (f: never) => (h.request = f),
    setPermissionCheckHandler: (f: never) => (h.check = f),
    webRequest: { onBeforeRequest: (f: never) => (h.before = f), onHeadersReceived: (f: never) => (h.headers = f) },
  } as unknown as SessionLike;
  hardenSession(session);
  for (const [perm, want] of [['media', false], ['geolocation', false], ['notifications', false], ['openExternal', false], ['fileSystem', false], ['clipboard-read', false], ['clipboard-sanitized-write', true]] as const) {
    let granted: boolean | undefined;
    (h.request as (...a: unknown[]) => void)({}, perm, (g: boolean) => (granted = g), {});
    assert.equal(granted, want, perm);
    assert.equal((h.check as (...a: unknown[]) => boolean)({}, perm, 'app://stella', {}), want, perm);
  }
  for (const [url, cancel] of [
    ['app://stella/index.html', false],
    ['app://stella/assets/x.js', false],
    ['data:image/png;base64,AA', false],
    ['https://example.com/x.js', true],
    ['http://127.0.0.1:8080/', true],
    ['file:///etc/passwd', true],
    ['ws://example.com/', true],
    ['app://evil/index.html', true],
  ] as const) {
    let res: { cancel?: boolean } | undefined;
    (h.before as (...a: unknown[]) => void)({ url }, (r: { cancel?: boolean }) => (res = r));
    assert.equal(res?.cancel, cancel, url);
  }
  let headers: Record<string, string[]> | undefined;
  (h.headers as (...a: unknown[]) => void)({ responseHeaders: { 'content-security-policy': ["default-src *"], 'X-Other': ['1'] } }, (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders));
  assert.deepEqual(headers, { 'X-Other': ['1'], 'Content-Security-Policy': [ELECTRON_CSP], 'X-Content-Type-Options': ['nosniff'] });
  assert.match(ELECTRON_CSP, /default-src 'self'/);
  assert.doesNotMatch(ELECTRON_CSP, /unsafe-eval|https?:/);
});

test('web contents: navigation away, redirects, new windows and webviews are denied', () => {
  const on: Record<string, (...a: unknown[]) => void> = {};
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  const wc = { on: (ev: string, f: never) => (on[ev] = f), setWindowOpenHandler: (f: never) => (openHandler = f) } as unknown as WebContentsLike;
  hardenWebContents(wc);
  const nav = (ev: string, url: string): boolean => {
    let prevented = false;
    on[ev]!({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  assert.equal(nav('will-navigate', 'https://evil.example/'), true);
  assert.equal(nav('will-navigate', 'file:///etc/passwd'), true);
  assert.equal(nav('will-navigate', 'app://stella/index.html#/findings'), false);
  assert.equal(nav('will-redirect', 'http://127.0.0.1/'), true);
  let webview = false;
  on['will-attach-webview']!({ preventDefault: () => (webview = true) });
  assert.equal(webview, true);
  assert.deepEqual(openHandler!({ url: 'https://example.com' }), { action: 'deny' });
  assert.deepEqual(openHandler!({ url: APP_URL }), { action: 'deny' });
  assert.equal(isAppUrl('app://stella.evil/x'), false);
  assert.equal(isAllowedRequest('javascript:alert(1)'), false);
});

test('window: locked-down webPreferences; state restored only where a display shows it; bad state files ignored', () => {
  const o = windowOptions('/p/preload.cjs', null);
  assert.deepEqual(
    [o.webPreferences?.contextIsolation, o.webPreferences?.sandbox, o.webPreferences?.nodeIntegration, o.webPreferences?.webSecurity, o.webPreferences?.webviewTag, o.webPreferences?.preload],
    [true, true, false, true, false, '/p/preload.cjs'],
  );
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  const saved = { x: 100, y: 100, width: 1200, height: 800, maximized: true };
  assert.deepEqual(restoreState(saved, screen), saved);
  assert.equal(restoreState({ ...saved, x: 3000 }, screen), null, 'on an unplugged monitor');
  assert.equal(restoreState({ ...saved, y: -500 }, screen), null, 'title bar off screen');
  assert.deepEqual(restoreState({ ...saved, x: 2000 }, [...screen, { x: 1920, y: 0, width: 1920, height: 1080 }]), { ...saved, x: 2000 });
  assert.equal(windowOptions('/p', saved).x, 100);

  const dir = mkdtempSync(join(tmpdir(), 'stella-ws-'));
  const f = join(dir, 'window-state.json');
  assert.equal(loadWindowState(f), null);
  saveWindowState(f, saved);
  assert.deepEqual(loadWindowState(f), saved);
  writeFileSync(f, '{"x":1,"y":2,"width":10,"height":10}');
  assert.equal(loadWindowState(f), null, 'below the minimum size');
  writeFileSync(f, 'not json');
  assert.equal(loadWindowState(f), null);
  rmSync(dir, { recursive: true, force: true });
});

test('app:// protocol: serves the UI with the CSP; no traversal, no foreign host', async () => {
  const ui = mkdtempSync(join(tmpdir(), 'stella-app-'));
  mkdirSync(join(ui, 'assets'));
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Stella</title>');
  writeFileSync(join(ui, 'assets', 'a.js'), 'x');
  const index = await serveAppRequest(ui, 'app://stella/index.html');
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('content-security-policy'), ELECTRON_CSP);
  assert.equal((await serveAppRequest(ui, 'app://stella/assets/a.js')).headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal((await serveAppRequest(ui, 'app://stella/..%2f..%2fetc%2fpasswd')).status, 403);
  assert.equal((await serveAppRequest(ui, 'app://other/index.html')).status, 403);
  assert.equal((await serveAppRequest(ui, 'app://stella/assets/none.js')).status, 404);
  rmSync(ui, { recursive: true, force: true });
});

test('IPC router: only the app top frame is served; drops are validated, granted and re-emitted; events reach windows', async () => {
  const handlers: Record<string, (...a: unknown[]) => unknown> = {};
  const ipcMain = {
    handle: (c: string, f: never) => (handlers[c] = f),
    on: (c: string, f: never) => (handlers[c] = f),
    removeHandler: (c: string) => delete handlers[c],
    removeAllListeners: (c: string) => delete handlers[c],
  } as never;
  const backend: EngineBackend = { call: async (_r, method) => (method === 'sbom.list' ? [] : null), close: async () => {} };
  const grants = new PathGrants();
  const host = new EngineHost({ backend, files: fileResolver({ paths: grants }), info: { version: '1', mode: 'electron', home: '/h', platform: 'linux' } });
  const sent: unknown[][] = [];
  const off = registerIpc({ ipcMain, host, grants, targets: () => [{ send: (...a: unknown[]) => sent.push(a), isDestroyed: () => false } as never] });
  const appFrame = { senderFrame: { url: 'app://stella/index.html', parent: null } };
  const invoke = (ev: unknown, ...a: unknown[]) => handlers[IPC.invoke]!(ev, ...a) as Promise<Reply<unknown>>;

  assert.deepEqual(await invoke(appFrame, 'sbom.list', {}), { ok: true, value: [] });
  assert.equal(((await invoke(appFrame, 'sbom.get', { id: 7 })) as { error: { code: string } }).error.code, 'invalid-request');
  assert.equal(((await invoke(appFrame, 42, {})) as { error: { code: string } }).error.code, 'invalid-request');
  for (const frame of [{ url: 'https://evil.example/', parent: null }, { url: 'app://stella/index.html', parent: {} }, null]) {
    const r = await invoke({ senderFrame: frame }, 'sbom.list', {});
    assert.equal(r.ok, false);
  }

  const dir = mkdtempSync(join(tmpdir(), 'stella-drop-'));
  const file = join(dir, 'feed.json');
  writeFileSync(file, '[]');
  const drop = handlers[IPC.drop]!;
  drop({ senderFrame: { url: 'https://evil.example/', parent: null } }, { paths: [file] });
  drop(appFrame, { paths: ['relative.json'] });
  drop(appFrame, { paths: [file], purpose: 'rm -rf' });
  assert.equal(sent.length, 0, 'untrusted or malformed drops are ignored');
  drop(appFrame, { paths: [file, dir], purpose: 'advisories' });
  assert.deepEqual(sent, [[IPC.event, 'files.dropped', { files: [{ kind: 'path', path: file, name: 'feed.json' }], purpose: 'advisories' }]]);
  // the dropped file is now importable by the renderer
  const imp = await invoke(appFrame, 'advisories.import', { files: [{ kind: 'path', path: file }] });
  assert.equal(imp.ok, true);
  off();
  assert.equal(handlers[IPC.invoke], undefined);
  rmSync(dir, { recursive: true, force: true });
});
