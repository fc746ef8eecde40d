#!/usr/bin/env node
// Builds every plug-in's entry (plugins/<dir>/src/index.ts -> plugins/<dir>/dist/index.mjs, committed)
// with esbuild — one self-contained file: its own copy of plugins/sdk and of every npm package it uses,
// so the pinned digest covers all code the plug-in runs; no source map, so the bytes depend only on the
// sources — and pins the entry's sha256 in plugins/<dir>/plugin.json.
// The host imports an entry from its verified bytes (a data: URL), where only Node built-ins resolve:
// a bundle that would import anything else (a native addon, an unbundled package) fails the build.
//   node build/scripts/build-plugins.mjs           rebuild entries and digests
//   node build/scripts/build-plugins.mjs --check   exit 1 (listing them) when an entry or digest is stale
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const check = process.argv.includes('--check');
const pluginsDir = join(root, 'plugins');
const stale = [];

for (const dir of readdirSync(pluginsDir).sort()) {
  const manifestPath = join(pluginsDir, dir, 'plugin.json');
  const src = join(pluginsDir, dir, 'src', 'index.ts');
  if (!existsSync(manifestPath) || !existsSync(src)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const options = {
    entryPoints: [src],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    write: false,
    legalComments: 'none',
    logLevel: 'warning',
    absWorkingDir: root,
    charset: 'utf8',
    metafile: true,
  };
  let out = await build(options);
  const foreign = Object.values(out.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external && !isBuiltin(i.path)).map((i) => i.path));
  if (foreign.length) {
    process.stderr.write(`build-plugins: ${manifest.name} imports ${[...new Set(foreign)].join(', ')}: a plug-in bundle may import only Node built-ins (it is loaded from its verified bytes; native code is a host capability on the analyze context)\n`);
    process.exit(1);
  }
  // A bundled CommonJS dependency that require()s a Node built-in needs a `require` inside an ES module.
  // The entry runs from a data: URL (no file to create a require from), so it gets one that serves
  // built-ins only; only such bundles get the banner, so every other entry's bytes stay the same.
  if (Buffer.from(out.outputFiles[0].contents).toString('utf8').includes('Dynamic require of "')) {
    out = await build({
      ...options,
      banner: { js: "const require = (id) => { const m = process.getBuiltinModule(id); if (m === undefined) throw new Error(`a Stella plug-in may require only Node built-ins, not ${id}`); return m; };" },
    });
  }
  const bytes = out.outputFiles[0].contents;
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const entryPath = join(pluginsDir, dir, manifest.entry);
  const current = existsSync(entryPath) ? readFileSync(entryPath) : null;
  const entryStale = !current || !Buffer.from(bytes).equals(current);
  const digestStale = manifest.entrySha256 !== digest;
  if (check) {
    if (entryStale) stale.push(`${dir}: ${manifest.entry} differs from a fresh build of src/`);
    if (digestStale) stale.push(`${dir}: plugin.json entrySha256 is ${manifest.entrySha256}, the built entry is ${digest}`);
    continue;
  }
  if (entryStale) {
    mkdirSync(join(entryPath, '..'), { recursive: true });
    writeFileSync(entryPath, bytes);
  }
  if (digestStale) {
    manifest.entrySha256 = digest;
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  }
  process.stderr.write(`build-plugins: ${manifest.name} -> ${dir}/${manifest.entry} ${digest}\n`);
}
if (check && stale.length) {
  process.stderr.write(`stale plug-in entries (run: node build/scripts/build-plugins.mjs):\n  ${stale.join('\n  ')}\n`);
  process.exit(1);
}
