// electron-builder.yml: valid against electron-builder's own schema, the agreed targets, native
// modules unpacked and rebuilt for Electron, and every `files` pattern matching something in the stage
// that `npm run package` hands to electron-builder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import Ajv from 'ajv';

const root = fileURLToPath(new URL('../..', import.meta.url));
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
  files: string[];
  asarUnpack: string[];
  linux: { target: string[] };
  mac: { target: string[]; entitlements: string };
  win: { target: string[] };
  afterPack: string;
  directories: { buildResources: string; output: string };
};

test('electron-builder.yml is valid against electron-builder\'s schema', () => {
  const require = createRequire(import.meta.url);
  const schemaPath = require.resolve('app-builder-lib/scheme.json');
  const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  assert.equal(validate(config), true, JSON.stringify(validate.errors));
});

test('targets, identity, native-module handling', () => {
  assert.equal(config.productName, 'Stella Evidence Workstation');
  assert.match(String(config.appId), /^[a-z0-9.-]+$/);
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(config.mac.target, ['dmg']);
  assert.deepEqual(config.win.target, ['nsis']);
  assert.equal(config.asar, true);
  for (const m of ['better-sqlite3', 'libxmljs2']) assert.ok(config.asarUnpack.includes(`node_modules/${m}/**`), m);
  // The worker bundles (dist/workers) stay in app.asar beside the node_modules they import (packages are
  // external in build.mjs); Electron loads worker_threads scripts from asar and only the .node files are unpacked.
  assert.ok(!config.asarUnpack.some((p) => p.startsWith('dist/')), 'worker bundles stay in the asar with their dependencies');
  // the first-run inventory of the app's own dependencies reads the shipped lockfile
  assert.ok(config.files.includes('package-lock.json'), 'package-lock.json shipped');
  assert.equal(config.npmRebuild, true);
  assert.equal(config.buildDependenciesFromSource, true);
  for (const f of [config.afterPack, config.mac.entitlements, 'build/electron/icons/icon.png', 'build/electron/icons/512x512.png']) assert.ok(existsSync(join(root, f)), f);
});

const isBuilt = (): boolean => ['dist/main/main.cjs', 'dist/main/preload.cjs', 'dist/serve.mjs', 'dist/workers/engine.worker.mjs', 'dist/renderer/index.html'].every((f) => existsSync(join(root, f)));
test('every `files` pattern matches files of the staged app', (t) => {
  // Checked when the test runs, not at import: a concurrent `npm run build` may be rewriting dist/.
  if (!isBuilt()) {
    t.skip('the app is not (completely) built: run `npm run build` (npm test builds it)');
    return;
  }
  const r = spawnSync(process.execPath, [join(root, 'build/scripts/package.mjs'), '--stage-only', '--skip-build'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const stage = join(root, 'build/out/stage');
  const all: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else all.push(relative(stage, p).split('\\').join('/'));
    }
  };
  walk(stage);
  const toRegex = (glob: string): RegExp => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\/?/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*')}$`);
  for (const pattern of config.files.filter((f) => !f.startsWith('!'))) {
    assert.ok(all.some((f) => toRegex(pattern).test(f)), `${pattern} matches nothing in the stage`);
  }
  for (const f of ['dist/main/main.cjs', 'dist/main/preload.cjs', 'dist/workers/engine.worker.mjs', 'dist/serve.mjs', 'dist/cli.mjs', 'dist/renderer/index.html', 'package.json', 'package-lock.json']) assert.ok(all.includes(f), f);
  assert.ok(!all.some((f) => f.endsWith('.map')), 'no source maps shipped');
  assert.ok(!all.some((f) => /^plugins\/[^/]+\/testdata\//.test(f)), 'no plug-in testdata shipped');
  const pkg = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8')) as { main: string; scripts?: unknown };
  assert.equal(pkg.main, 'dist/main/main.cjs');
  assert.equal(pkg.scripts, undefined, 'no prepare/build scripts run inside the stage');
  assert.ok(!all.some((f) => f.endsWith('.test.ts')), 'no tests in the stage');
  rmSync(stage, { recursive: true, force: true });
});
