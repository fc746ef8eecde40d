import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../build/test-support/fixtures';
import { compileSelector, normalizePythonName, parseControl, parseNameWithVersion, purlToString, validateManifest, defineAnalyzer } from './index';

test('parseControl: paragraphs, continuation lines, " ." blank lines, located problems', () => {
  const text = 'Package: a\nDescription: short\n long\n .\n more\n\n\nPackage: b\nbroken line\n  \nVersion: 1\n';
  const r = parseControl(text);
  assert.equal(r.paragraphs.length, 3);
  assert.equal(r.paragraphs[0]?.get('package'), 'a');
  assert.equal(r.paragraphs[0]?.get('Description'), 'short\nlong\n\nmore');
  assert.equal(r.paragraphs[0]?.line, 1);
  assert.equal(r.paragraphs[1]?.line, 8);
  assert.deepEqual(r.problems, [{ line: 9, message: 'not a control field: "broken line" (expected "Field: value")' }]);
  // the whitespace-only line 10 ends paragraph b; Version starts a third, package-less paragraph
  assert.equal(r.paragraphs[1]?.get('Version'), undefined);
  assert.equal(r.paragraphs[2]?.get('Version'), '1');
});

test('parseControl headersOnly: stops at the first blank line and returns the body', () => {
  const r = parseControl('Name: x\nVersion: 1\n\nBody: not a header\n', { headersOnly: true });
  assert.equal(r.paragraphs.length, 1);
  assert.equal(r.body, 'Body: not a header\n');
});

test('parseControl: continuation before any field is a located problem', () => {
  assert.deepEqual(parseControl(' orphan\nA: b').problems, [{ line: 1, message: 'continuation line without a field before it (expected "Field: value")' }]);
});

const selectorCases: [glob: string, opts: { exclude?: string[]; ignoreCase?: boolean }, path: string, expected: boolean][] = [
  ['var/lib/dpkg/status', {}, 'var/lib/dpkg/status', true],
  ['var/lib/dpkg/status', {}, 'x/var/lib/dpkg/status', false],
  ['var/lib/dpkg/status.d/*', {}, 'var/lib/dpkg/status.d/base', true],
  ['var/lib/dpkg/status.d/*', {}, 'var/lib/dpkg/status.d/a/b', false],
  ['var/lib/dpkg/status.d/*', { exclude: ['*.md5sums'] }, 'var/lib/dpkg/status.d/base.md5sums', false],
  ['**/*dist-info/METADATA', { ignoreCase: true }, 'usr/lib/python3/dist-packages/a-1.dist-info/METADATA', true],
  ['**/*dist-info/METADATA', { ignoreCase: true }, 'dist-name/DIST-INFO/METADATA', true],
  ['**/*dist-info/METADATA', {}, 'dist-name/DIST-INFO/METADATA', false],
  ['**/*.egg-info', {}, 'six.egg-info', true],
  ['**/package-lock.json', {}, 'package-lock.json', true],
  ['a/?.txt', {}, 'a/b.txt', true],
  ['a/?.txt', {}, 'a/bc.txt', false],
  ['a.b/c', {}, 'axb/c', false],
];

test('selectors: glob semantics', () => {
  for (const [glob, opts, path, expected] of selectorCases) {
    assert.equal(compileSelector({ glob, ...opts }).matches(path), expected, `${glob} vs ${path}`);
  }
  assert.throws(() => compileSelector({ glob: '/abs' }), /root-relative/);
});

test('purl helpers and PEP 503 names', () => {
  assert.equal(purlToString({ type: 'deb', namespace: 'debian', name: 'util-linux', version: '1:2.36.1-8', qualifiers: { distro: 'debian-12', arch: 'amd64', empty: '' } }), 'pkg:deb/debian/util-linux@1:2.36.1-8?arch=amd64&distro=debian-12');
  assert.equal(normalizePythonName('Charset_Normalizer..x'), 'charset-normalizer-x');
  assert.deepEqual(parseNameWithVersion('lvm2 (2.02.176-4.1ubuntu3)'), { name: 'lvm2', version: '2.02.176-4.1ubuntu3' });
  assert.deepEqual(parseNameWithVersion('glibc'), { name: 'glibc' });
});

test('validateManifest: every problem located by JSON pointer', () => {
  const bad = validateManifest({ name: 'Bad Name', version: 0, kind: 'thing', sdkApi: 1, requirements: { network: 'no' }, selectors: [{ glob: '/x' }], entry: '../x.mjs', entrySha256: 'abc' });
  assert.deepEqual(
    bad.problems.map((p) => p.path),
    ['/name', '/version', '/kind', '/requirements/network', '/selectors/0/glob', '/entry', '/entrySha256'],
  );
  assert.equal(bad.manifest, undefined);
  const good = validateManifest({ name: 'os/x', version: 1, kind: 'analyzer', sdkApi: 1, requirements: { network: false }, selectors: [{ glob: 'a' }], entry: 'dist/index.mjs', entrySha256: `sha256:${'0'.repeat(64)}` });
  assert.deepEqual(good.problems, []);
  assert.equal(good.manifest?.name, 'os/x');
});

test('defineAnalyzer refuses bad identities', () => {
  const analyze = async () => ({ packages: [], relationships: [], issues: [] });
  assert.throws(() => defineAnalyzer({ name: 'dpkg', version: 1, analyze }), /namespace/);
  assert.throws(() => defineAnalyzer({ name: 'os/dpkg', version: 1.5, analyze }), /positive integer/);
});

test('committed plug-in entries and pinned digests are fresh (build/scripts/build-plugins.mjs --check)', () => {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'build/scripts/build-plugins.mjs'), '--check'], { encoding: 'utf8', cwd: REPO_ROOT });
  assert.equal(r.status, 0, r.stderr);
});
