#!/usr/bin/env node
// `npm start`: build if needed, then launch the Electron app when Electron's runtime is installed.
// Where it isn't (its download is skipped by allowScripts `electron: false`, or there is no network),
// explain why and serve the same UI with `stella serve` semantics on 127.0.0.1 instead.
// Flags: --serve (always serve), --port N, --home DIR, --open, --feeds DIR (import advisories at start),
// --media DIR (an export target besides removable media; repeatable).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

const built = spawnSync(process.execPath, [join(root, 'build/scripts/build.mjs'), '--if-needed'], { stdio: 'inherit', cwd: root });
if (built.status !== 0) process.exit(built.status ?? 1);

/** The Electron executable, or the reason there is none. */
export function findElectron() {
  const require = createRequire(join(root, 'package.json'));
  let exe;
  try {
    exe = require('electron');
  } catch (e) {
    return { reason: `its runtime is not installed: the download was skipped (package.json allowScripts "electron": false) or had no network (${String(e.message).split('\n')[0]})` };
  }
  if (typeof exe !== 'string' || !existsSync(exe)) return { reason: `its runtime binary ${exe} is missing` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { reason: 'there is no display (DISPLAY / WAYLAND_DISPLAY are unset)' };
  return { exe };
}

const electron = flag('--serve') ? { reason: '--serve was given' } : findElectron();
if (electron.exe) {
  // --feeds / --home / --media go on to the Electron main, which reads them from its argv
  const passOn = argv.filter((a, i) => ['--feeds', '--home', '--media'].includes(a) || ['--feeds', '--home', '--media'].includes(argv[i - 1] ?? ''));
  const child = spawn(electron.exe, [join(root, 'dist/main/main.cjs'), ...passOn], { stdio: 'inherit', cwd: root, env: { ...process.env, ELECTRON_RUN_AS_NODE: '' } });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
  for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
} else {
  process.stderr.write(`npm start: not launching Electron — ${electron.reason}.\nServing the same UI instead (like \`stella serve\`); open the URL below in a browser. Ctrl-C stops it.\n`);
  const bundle = join(root, 'dist/serve.mjs');
  if (!existsSync(bundle)) {
    process.stderr.write(`npm start: ${bundle} is missing after the build — run \`npm run build\` and look for errors.\n`);
    process.exit(10);
  }
  const { runServe } = await import(pathToFileURL(bundle).href);
  const controller = new AbortController();
  let stopping = false;
  for (const s of ['SIGINT', 'SIGTERM']) {
    process.on(s, () => {
      if (stopping) process.exit(130);
      stopping = true;
      controller.abort();
    });
  }
  const port = value('--port') !== undefined ? Number(value('--port')) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    process.stderr.write(`npm start: --port must be an integer from 0 to 65535\n`);
    process.exit(2);
  }
  try {
    const media = argv.flatMap((a, i) => (a === '--media' && argv[i + 1] ? [argv[i + 1]] : []));
    await runServe({ home: value('--home'), port, open: flag('--open'), feeds: value('--feeds'), mediaFolders: media, signal: controller.signal });
  } catch (e) {
    process.stderr.write(`npm start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(10);
  }
}
