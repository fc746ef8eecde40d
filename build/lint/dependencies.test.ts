/**
 * README's dependency table stays true: every package in package.json (type packages aside) has a row
 * saying why it is there, and every package a row names is still in package.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './boundaries.mjs';

/** The packages named in the first column of README's "Dependencies and why" table. */
function readmeDependencies(readme: string): Set<string> {
  const start = readme.indexOf('## Dependencies and why');
  assert.ok(start >= 0, 'README has a "Dependencies and why" section');
  const end = readme.indexOf('\n## ', start + 1);
  const names = new Set<string>();
  for (const line of readme.slice(start, end < 0 ? undefined : end).split('\n')) {
    const cell = /^\|([^|]*)\|/.exec(line)?.[1];
    if (!cell || /^\s*(dependency|-+)\s*$/.test(cell)) continue;
    for (const part of cell.split(/[,+()]/)) {
      const word = part.trim().split(/\s+/)[0] ?? '';
      if (/^(@[a-z0-9-]+\/)?[a-z][a-z0-9.-]*$/.test(word)) names.add(word);
    }
  }
  return names;
}

test("README's dependency table names exactly the packages in package.json", () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const installed = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})].filter((n) => !n.startsWith('@types/')));
  const documented = readmeDependencies(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'));
  assert.deepEqual([...installed].filter((n) => !documented.has(n)).sort(), [], 'installed but without a row in README saying why');
  assert.deepEqual([...documented].filter((n) => !installed.has(n)).sort(), [], 'a README row names a package that is not installed');
});

test('the table reader: names, scoped names and version suffixes', () => {
  const names = readmeDependencies('## Dependencies and why\n\n| dependency | why |\n| --- | --- |\n| electron 41 | x |\n| @sigstore/sign 4.1, @sigstore/verify 3.1 | y |\n| vite 8 + @vitejs/plugin-react 6 | z |\n| dexie (+ fake-indexeddb) | w |\n\n## Next\n| notapkg | v |\n');
  assert.deepEqual([...names].sort(), ['@sigstore/sign', '@sigstore/verify', '@vitejs/plugin-react', 'dexie', 'electron', 'fake-indexeddb', 'vite']);
});
