import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appLockfileOf, parseMainArgs } from './bootstrap';

const cases: [string[], ReturnType<typeof parseMainArgs>][] = [
  [['dist/main/main.cjs'], { media: [] }],
  [['dist/main/main.cjs', '--feeds', '/srv/feeds', '--home', '/h'], { feeds: '/srv/feeds', home: '/h', media: [] }],
  [['--feeds=/f', '--media', '/m1', '--media=/m2', '--no-sandbox'], { feeds: '/f', media: ['/m1', '/m2'] }],
  [['--feeds'], { media: [] }],
];
for (const [argv, want] of cases) {
  test(`parseMainArgs ${argv.join(' ')}`, () => assert.deepEqual(parseMainArgs(argv), want));
}

test('appLockfileOf: the packaged app folder, else the repository root two levels up (dist/main)', () => {
  const root = mkdtempSync(join(tmpdir(), 'stella-lock-'));
  try {
    mkdirSync(join(root, 'dist', 'main'), { recursive: true });
    writeFileSync(join(root, 'package-lock.json'), '{}');
    assert.equal(appLockfileOf(join(root, 'dist', 'main')), join(root, 'package-lock.json'));
    writeFileSync(join(root, 'dist', 'main', 'package-lock.json'), '{}');
    assert.equal(appLockfileOf(join(root, 'dist', 'main')), join(root, 'dist', 'main', 'package-lock.json'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
