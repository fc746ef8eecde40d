/**
 * The workstation's version (package.json `version`), for what it stamps into its outputs (SARIF's
 * `tool.driver.version`, the app's About). Bundles have it compiled in (esbuild `define` in
 * build/scripts/build.mjs); run from source, it is read once from the repository's package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreError } from './errors';

declare const __STELLA_VERSION__: string | undefined;

export const PACKAGE_NAME = 'stella-evidence-workstation';

let fromSource: string | undefined;

export function stellaVersion(): string {
  if (typeof __STELLA_VERSION__ === 'string') return __STELLA_VERSION__;
  fromSource ??= readPackageVersion();
  return fromSource;
}

function readPackageVersion(): string {
  // `import.meta` is read through a cast: the Electron main bundle is CommonJS, where it is empty — and
  // where the define above always answers first.
  const url = (import.meta as { url?: string }).url;
  let dir = typeof url === 'string' ? dirname(fileURLToPath(url)) : process.cwd();
  for (;;) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === PACKAGE_NAME && typeof pkg.version === 'string') return pkg.version;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new CoreError('internal', `cannot tell the Stella version: no package.json of ${PACKAGE_NAME} above ${typeof url === 'string' ? fileURLToPath(url) : process.cwd()}`);
}
