#!/usr/bin/env node
// `npm run package [-- --linux|--mac|--win] [--dir]`: installers with electron-builder
// (electron-builder.yml). Steps:
//  1. build everything (CLI, serve host, workers, Electron main/preload, UI);
//  2. stage the app in build/out/stage: dist/, plugins/ (no testdata), build/electron/, a production
//     package.json and the lockfile;
//  3. `npm ci --omit=dev` in the stage, then electron-builder there. Its npmRebuild step rebuilds
//     better-sqlite3 and libxmljs2 for Electron *in the stage*, so the repository's node_modules keeps
//     the Node build `npm test` needs.
// `--stage-only` stops after step 2 (tests); `--skip-build` reuses dist/.
// Needs a machine that can download Electron and the native modules' headers (not the offline room).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = join(root, 'build/out');
const stage = join(out, 'stage');
const stageOnly = process.argv.includes('--stage-only');
const skipBuild = process.argv.includes('--skip-build');
const passthrough = process.argv.slice(2).filter((a) => a !== '--stage-only' && a !== '--skip-build');

function run(cmd, args, cwd) {
  process.stderr.write(`package: ${cmd} ${args.join(' ')}  (in ${cwd})\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd, shell: process.platform === 'win32' });
  if (r.status !== 0) {
    process.stderr.write(`package: ${cmd} failed (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status || 1);
  }
}

if (!skipBuild) run(process.execPath, [join(root, 'build/scripts/build.mjs')], root);
for (const f of ['dist/main/main.cjs', 'dist/main/preload.cjs', 'dist/workers/engine.worker.mjs', 'dist/serve.mjs', 'dist/renderer/index.html']) {
  if (!existsSync(join(root, f))) {
    process.stderr.write(`package: ${f} was not built; fix the build first\n`);
    process.exit(1);
  }
}

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
cpSync(join(root, 'dist'), join(stage, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') });
cpSync(join(root, 'plugins'), join(stage, 'plugins'), { recursive: true, filter: (src) => !/[\\/]testdata([\\/]|$)/.test(src) && !src.endsWith('.test.ts') });
cpSync(join(root, 'build/electron'), join(stage, 'build/electron'), { recursive: true, filter: (src) => !/\.(test\.ts|md)$/.test(src) });
cpSync(join(root, 'package-lock.json'), join(stage, 'package-lock.json'));

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const stagedPkg = {
  name: pkg.name,
  productName: 'Stella Evidence Workstation',
  version: pkg.version,
  description: pkg.description,
  license: pkg.license,
  author: { name: 'Stella Ops contributors', email: 'stella@localhost' },
  homepage: 'https://stella-ops.org',
  type: pkg.type,
  main: 'dist/main/main.cjs',
  dependencies: pkg.dependencies,
  // Unchanged so the lockfile matches for `npm ci`; --omit=dev never installs them. electron-builder
  // reads Electron's version from here (and from electronVersion below).
  devDependencies: pkg.devDependencies,
  allowScripts: pkg.allowScripts,
};
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(stagedPkg, null, 2)}\n`);

if (stageOnly) {
  process.stderr.write(`package: staged in ${stage} (--stage-only: no install, no electron-builder)\n`);
  process.exit(0);
}
run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], stage);
const builder = join(root, 'node_modules/.bin/electron-builder');
run(builder, ['--projectDir', stage, '--config', join(root, 'electron-builder.yml'), `--config.electronVersion=${electronVersion}`, '--publish', 'never', ...passthrough], stage);
process.stderr.write(`package: installers are in ${join(out, 'packages')}\n`);
