#!/usr/bin/env node
// Builds every plug-in's entry (plugins/<dir>/src/index.ts -> plugins/<dir>/dist/index.mjs, committed)
// with esbuild — one self-contained file: its own copy of plugins/sdk and of every npm package it uses,
// so the pinned digest covers all code the plug-in runs; no source map, so the bytes depend only on the
// sources — pins the entry's sha256 in plugins/<dir>/plugin.json, and compiles the digests of every
// built-in plug-in (manifest + entry) into engine/scanner/_internal/builtin-plugins.gen.ts (committed):
// the host loads a folder of the application's plugins/ only when its bytes have exactly those digests,
// so the built-ins are covered by the application's own package signature.
// The host imports an entry from its verified bytes (a data: URL), where only Node built-ins resolve:
// a bundle that would import anything else (a native addon, an unbundled package) fails the build.
//   node build/scripts/build-plugins.mjs                rebuild entries, digests and the compiled-in table
//   node build/scripts/build-plugins.mjs --check        exit 1 (listing them) when an entry, digest or the table is stale
//   node build/scripts/build-plugins.mjs --plugin DIR   build one third-party plug-in folder outside plugins/
//                                                       (DIR/src/index.ts -> DIR/<entry>, pins DIR/plugin.json);
//                                                       it is not a built-in: sign it with `stella plugins sign DIR`
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pluginsDir = join(root, 'plugins');
export const BUILTIN_TABLE = join(root, 'engine', 'scanner', '_internal', 'builtin-plugins.gen.ts');

const sha256 = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** The entry bundle of `src` (a plug-in's src/index.ts): its bytes, or throws naming what it imports that it may not. */
export async function bundlePlugin(src, name) {
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
    throw new Error(`${name} imports ${[...new Set(foreign)].join(', ')}: a plug-in bundle may import only Node built-ins (it is loaded from its verified bytes; native code is a host capability on the analyze context)`);
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
  return out.outputFiles[0].contents;
}

/**
 * Build one plug-in folder: the entry from src/index.ts and its pin in plugin.json. With `check`, write
 * nothing and return what is stale. Returns the digests of the (fresh) manifest and entry.
 */
async function buildFolder(dir, { check }) {
  const manifestPath = join(dir, 'plugin.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const bytes = await bundlePlugin(join(dir, 'src', 'index.ts'), manifest.name);
  const digest = sha256(bytes);
  const entryPath = join(dir, manifest.entry);
  const current = existsSync(entryPath) ? readFileSync(entryPath) : null;
  const entryStale = !current || !Buffer.from(bytes).equals(current);
  const digestStale = manifest.entrySha256 !== digest;
  const stale = [];
  if (entryStale) stale.push(`${manifest.entry} differs from a fresh build of src/`);
  if (digestStale) stale.push(`plugin.json entrySha256 is ${manifest.entrySha256}, the built entry is ${digest}`);
  const manifestText = `${JSON.stringify({ ...manifest, entrySha256: digest }, null, 2)}\n`;
  if (!check) {
    if (entryStale) {
      mkdirSync(join(entryPath, '..'), { recursive: true });
      writeFileSync(entryPath, bytes);
    }
    if (digestStale) writeFileSync(manifestPath, manifestText);
    process.stderr.write(`build-plugins: ${manifest.name} -> ${relative(root, entryPath)} ${digest}\n`);
  }
  // The manifest's digest as it is (or will be) written; with only the pin stale, that is the fresh text.
  const manifestBytes = digestStale ? Buffer.from(manifestText) : readFileSync(manifestPath);
  return { stale, entry: { name: manifest.name, version: manifest.version, manifestSha256: sha256(manifestBytes), entry: manifest.entry, entrySha256: digest } };
}

const quote = (s) => `'${String(s).replace(/[\\']/g, (c) => `\\${c}`)}'`;

function builtinTable(entries) {
  const rows = entries.map(
    (e) => `  { folder: ${quote(e.folder)}, name: ${quote(e.name)}, version: ${e.version}, manifestSha256: ${quote(e.manifestSha256)}, entry: ${quote(e.entry)}, entrySha256: ${quote(e.entrySha256)} },`,
  );
  return [
    '// Generated by build/scripts/build-plugins.mjs from plugins/*/plugin.json and their entries: do not edit.',
    "// The plug-ins that ship with the application. The host loads a folder of the application's plugins/",
    '// only when its manifest and entry bytes have exactly these digests (engine/scanner/plugins.ts), so',
    "// they are covered by the application's own package signature; plugin.json's entrySha256 alone proves nothing.",
    "import type { BuiltinPluginDigest } from '../plugin-layout';",
    '',
    'export const BUILTIN_PLUGINS: readonly BuiltinPluginDigest[] = [',
    ...rows,
    '];',
    '',
  ].join('\n');
}

async function main() {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const one = args.indexOf('--plugin');
  if (one !== -1) {
    const dir = args[one + 1] ? resolve(args[one + 1]) : undefined;
    if (!dir || !existsSync(join(dir, 'plugin.json')) || !existsSync(join(dir, 'src', 'index.ts'))) {
      process.stderr.write('build-plugins: --plugin DIR needs a folder with plugin.json and src/index.ts\n');
      process.exit(2);
    }
    if (`${dir}${sep}`.startsWith(`${pluginsDir}${sep}`)) {
      process.stderr.write(`build-plugins: ${dir} is inside plugins/, where every folder is a built-in; build it without --plugin, or keep a third-party plug-in outside plugins/\n`);
      process.exit(2);
    }
    const r = await buildFolder(dir, { check });
    if (check && r.stale.length) {
      process.stderr.write(`stale plug-in ${dir}:\n  ${r.stale.join('\n  ')}\n`);
      process.exit(1);
    }
    return;
  }
  const stale = [];
  const entries = [];
  for (const folder of readdirSync(pluginsDir).sort()) {
    const dir = join(pluginsDir, folder);
    if (!existsSync(join(dir, 'plugin.json')) || !existsSync(join(dir, 'src', 'index.ts'))) continue;
    const r = await buildFolder(dir, { check });
    stale.push(...r.stale.map((s) => `${folder}: ${s}`));
    entries.push({ folder, ...r.entry });
  }
  const table = builtinTable(entries);
  const tableStale = !existsSync(BUILTIN_TABLE) || readFileSync(BUILTIN_TABLE, 'utf8') !== table;
  if (check) {
    if (tableStale) stale.push(`${relative(root, BUILTIN_TABLE)} does not list the digests of the built-in plug-ins`);
    if (stale.length) {
      process.stderr.write(`stale plug-in entries (run: node build/scripts/build-plugins.mjs):\n  ${stale.join('\n  ')}\n`);
      process.exit(1);
    }
    return;
  }
  if (tableStale) {
    writeFileSync(BUILTIN_TABLE, table);
    process.stderr.write(`build-plugins: ${relative(root, BUILTIN_TABLE)} (${entries.length} built-in plug-ins)\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    process.stderr.write(`build-plugins: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
