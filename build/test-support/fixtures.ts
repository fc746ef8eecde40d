/**
 * Access to the shared fixture corpus for tests. The corpus is found through STELLA_FIXTURES
 * (default ../shared/fixtures next to the repository). Where it is absent (a user's clone) tests that
 * need it are skipped with a visible reason instead of failing or passing silently.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export function fixturesDir(): string | null {
  const dir = resolve(process.env.STELLA_FIXTURES ?? join(REPO_ROOT, '..', 'shared', 'fixtures'));
  return existsSync(dir) ? dir : null;
}

export const FIXTURES_MISSING_REASON =
  'shared fixture corpus not found: set STELLA_FIXTURES to the fixtures folder (default ../shared/fixtures beside the repository)';

/** Path to a fixture, or null when the corpus (or that file) is absent. */
export function fixture(...parts: string[]): string | null {
  const dir = fixturesDir();
  if (!dir) return null;
  const p = join(dir, ...parts);
  return existsSync(p) ? p : null;
}

/** Options for node:test's `test(name, opts, fn)` that skip with a reason when fixtures are absent. */
export function needsFixtures(...parts: string[]): { skip: string | false } {
  const dir = fixturesDir();
  if (!dir) return { skip: FIXTURES_MISSING_REASON };
  if (parts.length && !existsSync(join(dir, ...parts))) return { skip: `fixture ${parts.join('/')} not found in ${dir}` };
  return { skip: false };
}

/** Options that skip a test when a system tool is missing, naming the install command. */
export function needsTool(tool: string, installHint: string): { skip: string | false } {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  return r.status === 0 ? { skip: false } : { skip: `${tool} is not installed (install with: ${installHint})` };
}

const extracted = new Map<string, string>();

/** Extract a fixture tarball once per process into a temp dir and return that dir. */
export function extractFixtureTarball(...parts: string[]): string {
  const key = parts.join('/');
  const have = extracted.get(key);
  if (have) return have;
  const src = fixture(...parts);
  if (!src) throw new Error(`fixture ${key} not found`);
  const dir = mkdtempSync(join(tmpdir(), 'stella-fx-'));
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', src, '-C', dir]);
  extracted.set(key, dir);
  return dir;
}

/** A fresh, empty temporary directory. */
export function tempDir(prefix = 'stella-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
