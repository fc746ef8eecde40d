/**
 * Electron main entry (bundled to dist/main/main.cjs). Everything is in electron/bootstrap.ts; this
 * file only hands it the real `electron` module and the built files' locations.
 */
import * as electron from 'electron';
import { join } from 'node:path';
import { bootstrap } from './electron/bootstrap';

// dist/main/main.cjs → dist/main/preload.cjs, dist/renderer, dist/workers/engine.worker.mjs
const dist = join(__dirname, '..');
bootstrap(
  electron,
  {
    preload: join(__dirname, 'preload.cjs'),
    uiDir: join(dist, 'renderer'),
    // Electron (≥ 18) loads worker_threads scripts from inside app.asar; native modules are unpacked.
    workerScript: join(dist, 'workers', 'engine.worker.mjs'),
  },
  { dev: !electron.app.isPackaged },
).catch((e: unknown) => {
  electron.dialog.showErrorBox('Stella could not start', e instanceof Error ? (e.stack ?? e.message) : String(e));
  electron.app.exit(1);
});
