/**
 * lang/node — npm packages.
 *  - declared, from lockfiles: package-lock.json / npm-shrinkwrap.json (v1-v3), yarn.lock (classic v1
 *    and berry), pnpm-lock.yaml (5.x, 6.x, 9.x). Records are `declared: true`; dev/optional ones get
 *    `scope: 'optional'` and `properties.group` (`dev`, `optional`, `dev,optional`).
 *  - installed: `node_modules/**` package.json files (name, version, license).
 * Each lockfile is read on its own; a name@version listed at several places of one lockfile is one
 * record (required when any occurrence is). Git, tarball and path sources keep their origin in the purl
 * (`vcs_url` / `download_url`) and in `properties.resolved`, with any credentials in URLs removed.
 */
import { defineAnalyzer, eachFile, emptyResult, type AnalyzerFile, type AnalyzerResult } from '../../sdk';
import { parsePackageLock } from './npm-lock';
import { parsePnpmLock } from './pnpm-lock';
import { parseYarnLock } from './yarn-lock';
import { parseInstalled } from './installed';

export type NodeFileKind = 'package-lock' | 'yarn-lock' | 'pnpm-lock' | 'installed';

/** Which format a selected path is (by its base name; the selectors only hand these over). */
export function kindOf(path: string): NodeFileKind | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base === 'package-lock.json' || base === 'npm-shrinkwrap.json') return 'package-lock';
  if (base === 'yarn.lock') return 'yarn-lock';
  if (base === 'pnpm-lock.yaml') return 'pnpm-lock';
  if (base === 'package.json' && path.includes('/node_modules/')) return 'installed';
  return undefined;
}

export default defineAnalyzer({
  name: 'lang/node',
  // 2: the root package (npm packages[""], yarn berry workspaces), marked root.
  version: 2,
  async analyze(files, ctx) {
    const result: AnalyzerResult = emptyResult();
    const installed: AnalyzerFile[] = [];
    await eachFile(files, result, async (file) => {
      if (ctx.signal?.aborted) return;
      const kind = kindOf(file.path);
      switch (kind) {
        case 'package-lock':
          return parsePackageLock(file, await file.readText(), result);
        case 'yarn-lock':
          return parseYarnLock(file, await file.readText(), result);
        case 'pnpm-lock':
          return parsePnpmLock(file, await file.readText(), result);
        case 'installed':
          installed.push(file);
          return;
        case undefined:
          result.issues.push({ path: file.path, severity: 'error', message: 'not a Node.js package file (expected package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml or node_modules/**/package.json)' });
          return;
      }
    });
    await parseInstalled(installed, result);
    return result;
  },
});
