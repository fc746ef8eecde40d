#!/usr/bin/env node
// Builds everything that runs outside tsx: the `stella` CLI, the serve host, worker entries, the
// Electron main/preload (CJS) and the renderer (Vite). `--if-needed` skips work when the outputs are
// newer than every source file (used by `prepare` and `npm test`). `--no-renderer` skips Vite.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = new Set(process.argv.slice(2));
const dist = join(root, 'dist');
const stamp = join(dist, '.build-stamp');

function newestMtime(dir) {
  let newest = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'dist' || e.name === 'testdata' || e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|tsx|mjs|css|html|json)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(dir);
  return newest;
}

const sourcesNewest = Math.max(...['engine', 'app', 'plugins/sdk', 'build/scripts'].map((d) => newestMtime(join(root, d))), statSync(join(root, 'package.json')).mtimeMs);
if (args.has('--if-needed') && existsSync(stamp) && statSync(stamp).mtimeMs >= sourcesNewest) {
  process.exit(0);
}

const t0 = performance.now();
mkdirSync(dist, { recursive: true });
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
  legalComments: 'none',
  define: {
    // engine/core/version.ts: the version stamped into outputs (SARIF tool.driver.version, app info).
    __STELLA_VERSION__: JSON.stringify(version),
    // Bundles are production builds: the zod checks of results and events at the worker port and the
    // engine host (app/workers/protocol.ts BOUNDARY_CHECKS) run from source (tests, dev) only.
    'process.env.NODE_ENV': '"production"',
  },
};

const workerEntries = existsSync(join(root, 'app/workers'))
  ? readdirSync(join(root, 'app/workers')).filter((f) => f.endsWith('.worker.ts')).map((f) => join('app/workers', f))
  : [];
const nodeEntries = {
  cli: 'engine/cli/entry.ts',
  ...(existsSync(join(root, 'app/serve/entry.ts')) ? { serve: 'app/serve/entry.ts' } : {}),
  ...Object.fromEntries(workerEntries.map((f) => [`workers/${f.split('/').pop().replace(/\.ts$/, '')}`, f])),
  // engine/scanner's layer worker (dist/workers/scanner-layer.mjs, found beside dist/cli.mjs)
  ...(existsSync(join(root, 'engine/scanner/_internal/layer.worker.ts')) ? { 'workers/scanner-layer': 'engine/scanner/_internal/layer.worker.ts' } : {}),
};
// The CLI is code-split to keep its start-up small: a command group (and the libraries only it needs)
// is a chunk in dist/chunks, loaded when its noun is on the command line. The serve host and the workers
// are single files, so code that finds files next to its own bundle (renderer, worker entries) finds them.
rmSync(join(dist, 'chunks'), { recursive: true, force: true });
const { cli: cliEntry, ...otherEntries } = nodeEntries;
await build({ ...common, format: 'esm', outdir: dist, outExtension: { '.js': '.mjs' }, entryPoints: { cli: cliEntry }, splitting: true, chunkNames: 'chunks/[name]-[hash]' });
await build({ ...common, format: 'esm', outdir: dist, outExtension: { '.js': '.mjs' }, entryPoints: otherEntries, splitting: false });

if (existsSync(join(root, 'app/main/main.ts'))) {
  await build({
    ...common,
    format: 'cjs',
    outdir: join(dist, 'main'),
    outExtension: { '.js': '.cjs' },
    entryPoints: { main: 'app/main/main.ts', preload: 'app/main/preload.ts' },
    external: ['electron'],
    // CommonJS has no import.meta; the engine code that reads it (version, plug-in folder) checks for that.
    define: { ...common.define, 'import.meta.url': 'undefined' },
  });
}

if (!args.has('--no-renderer') && existsSync(join(root, 'app/renderer/index.html'))) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: join(root, 'app/renderer/vite.config.ts'), logLevel: 'warn' });
}

writeFileSync(stamp, `${new Date(sourcesNewest).toISOString()}\n`);
process.stderr.write(`build: ${relative(root, dist)}/ in ${Math.round(performance.now() - t0)} ms\n`);
