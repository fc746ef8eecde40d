import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeEntryPath, resolveInRoot, type Node } from './paths';
import { parseOsRelease } from './os';
import { Squash, viewOf } from './squash';
import type { IndexEntry, LayerScan } from './types';

const scan = (entries: IndexEntry[], osFiles: Record<string, string> = {}): LayerScan => ({ entries, analyzers: [], osFiles, issues: [], complete: true });

const pathCases: [string, string | null, boolean][] = [
  ['./etc/passwd', 'etc/passwd', false],
  ['/etc/passwd', 'etc/passwd', true],
  ['a//b/./c/', 'a/b/c', false],
  ['a/../b', 'b', false],
  ['../x', null, false],
  ['a/../../x', null, false],
  ['a\0b', null, false],
];

test('normalizeEntryPath: relative, absolute (flagged), climbing (refused)', () => {
  for (const [input, expected, absolute] of pathCases) {
    const n = normalizeEntryPath(input);
    if (expected === null) assert.equal(n.ok, false, input);
    else assert.deepEqual(n, { ok: true, path: expected, absolute }, input);
  }
});

test('resolveInRoot: chroot semantics, loops and non-directories', () => {
  const fs: Record<string, Node> = {
    etc: { kind: 'dir' },
    'etc/os-release': { kind: 'symlink', target: '../usr/lib/os-release' },
    'etc/abs': { kind: 'symlink', target: '/usr/lib/os-release' },
    'etc/climb': { kind: 'symlink', target: '../../../../../usr/lib/os-release' },
    'etc/loop': { kind: 'symlink', target: 'loop' },
    'etc/file': { kind: 'file' },
    usr: { kind: 'dir' },
    'usr/lib': { kind: 'dir' },
    'usr/lib/os-release': { kind: 'file' },
    lib: { kind: 'symlink', target: 'usr/lib' },
  };
  const look = (p: string): Node | undefined => fs[p];
  assert.deepEqual(resolveInRoot(look, 'etc/os-release'), { ok: true, path: 'usr/lib/os-release' });
  assert.deepEqual(resolveInRoot(look, 'etc/abs'), { ok: true, path: 'usr/lib/os-release' });
  assert.deepEqual(resolveInRoot(look, 'etc/climb'), { ok: true, path: 'usr/lib/os-release' });
  assert.deepEqual(resolveInRoot(look, 'lib/os-release'), { ok: true, path: 'usr/lib/os-release' });
  assert.deepEqual(resolveInRoot(look, 'etc/loop'), { ok: false, reason: 'too many symbolic links resolving /etc/loop' });
  assert.deepEqual(resolveInRoot(look, 'etc/file/x'), { ok: false, reason: '/etc/file is not a directory' });
  assert.deepEqual(resolveInRoot(look, 'nope'), { ok: false, reason: '/nope does not exist' });
});

test('Squash.visible: replaced paths, whiteouts, opaque dirs, non-directory ancestors', () => {
  const sq = new Squash([
    viewOf(scan([['a/f', 'file', 1], ['b/f', 'file', 1], ['c/f', 'file', 1], ['d/f', 'file', 1], ['e/f', 'file', 1], ['keep/f', 'file', 1]])),
    viewOf(scan([['a/f', 'file', 2], ['b', 'whiteout', 0], ['c', 'opaque', 0], ['c/g', 'file', 1], ['d', 'symlink', 0, 'x'], ['e/f', 'whiteout', 0], ['keep', 'dir', 0]])),
  ]);
  const table: [number, string, boolean][] = [
    [0, 'a/f', false],
    [1, 'a/f', true],
    [0, 'b/f', false],
    [0, 'c/f', false],
    [1, 'c/g', true],
    [0, 'd/f', false],
    [0, 'e/f', false],
    [0, 'keep/f', true],
  ];
  for (const [layer, path, visible] of table) assert.equal(sq.visible(layer, path), visible, `${layer}:${path}`);
  assert.equal(sq.entry('a/f')?.layer, 1);
  assert.equal(sq.entry('e/f'), undefined);
});

test('Squash.readOsFile follows a symlink of one layer into a file replaced by a later layer', () => {
  const sq = new Squash([
    viewOf(scan([['etc/os-release', 'symlink', 0, '../usr/lib/os-release'], ['usr/lib/os-release', 'file', 9]], { 'usr/lib/os-release': 'ID=old\n' })),
    viewOf(scan([['usr/lib/os-release', 'file', 9]], { 'usr/lib/os-release': 'ID=new\nVERSION_ID="2"\n' })),
  ]);
  const r = sq.readOsFile('etc/os-release');
  assert.deepEqual(parseOsRelease(r.text ?? ''), { ID: 'new', VERSION_ID: '2' });
});
