import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeRelease, packageKey, splitEcosystem } from './package-key';

test('package names normalize per ecosystem', () => {
  const table: [string, string, string, string][] = [
    ['PyPI', 'Django', 'pypi', 'django'],
    ['PyPI', 'zope.interface', 'pypi', 'zope-interface'],
    ['PyPI', 'Foo__Bar-.baz', 'pypi', 'foo-bar-baz'],
    ['npm', '@LoopBack/Rest', 'npm', '@loopback/rest'],
    ['Maven', 'org.jline:jline-parent', 'maven', 'org.jline:jline-parent'],
    ['Go', 'github.com/BurntSushi/toml', 'go', 'github.com/BurntSushi/toml'],
    ['Debian:11', 'OpenSSL', 'debian', 'openssl'],
    ['Alpine:v3.11', 'apache2', 'alpine', 'apache2'],
  ];
  for (const [eco, name, family, key] of table) {
    const k = packageKey(eco, name);
    assert.deepEqual([k.family, k.nameKey], [family, key], `${eco} ${name}`);
  }
  assert.deepEqual(splitEcosystem('Debian:12'), { family: 'debian', base: 'Debian', release: '12' });
});

test('distro releases compare in one spelling', () => {
  const table: [string, string, string][] = [
    ['debian', 'debian-12', '12'],
    ['debian', 'bookworm', '12'],
    ['debian', '11.6', '11'],
    ['debian', 'bullseye', '11'],
    ['alpine', 'alpine-3.11', 'v3.11'],
    ['alpine', '3.11.6', 'v3.11'],
    ['alpine', 'v3.9', 'v3.9'],
    ['ubuntu', '22.04', '22.04'],
  ];
  for (const [f, r, want] of table) assert.equal(normalizeRelease(f, r), want, `${f} ${r}`);
});
