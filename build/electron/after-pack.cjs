/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder loads hooks with require() */
// electron-builder afterPack hook: refuse to ship a package whose native modules were not rebuilt for
// Electron — a Node-ABI better-sqlite3 would only fail when an auditor opens the app.
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

function findResources(appOutDir, platform) {
  if (platform === 'darwin' || platform === 'mas') {
    const app = readdirSync(appOutDir).find((f) => f.endsWith('.app'));
    return join(appOutDir, app ?? '', 'Contents', 'Resources');
  }
  return join(appOutDir, 'resources');
}

exports.default = async function afterPack(context) {
  const resources = findResources(context.appOutDir, context.electronPlatformName);
  const unpacked = join(resources, 'app.asar.unpacked', 'node_modules');
  const binary = join(unpacked, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(binary)) {
    throw new Error(`afterPack: ${binary} is missing — better-sqlite3 was not rebuilt/unpacked for Electron (check npmRebuild and asarUnpack in electron-builder.yml)`);
  }
  if (!existsSync(join(resources, 'app.asar'))) throw new Error(`afterPack: ${join(resources, 'app.asar')} is missing`);
  console.log(`afterPack: native modules present in ${unpacked}`);
};
