// The repository's language analyzers driven through the host (`stella inventory` paths): file
// selection by the manifests' selectors, `--as`, rootfs walks. Kept here, not beside the plug-ins,
// because plug-ins (tests included) import only plugins/sdk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inventoryTarget } from './index';
import { fixture, needsFixtures, tempDir } from '../../build/test-support/fixtures';

test('lang/java through the host: stella inventory --as selects each format', needsFixtures('analyzers', 'maven-pom-xml', 'osv-scanner/with-scope.xml'), async () => {
  const pom = await inventoryTarget(fixture('analyzers', 'maven-pom-xml', 'osv-scanner/with-scope.xml') as string, { as: 'app/pom.xml', cache: false });
  assert.deepEqual(pom.document.packages.map((p) => `${p.purl} ${p.foundBy}`).sort(), ['pkg:maven/abc/xyz@1.2.3 lang/java@3', 'pkg:maven/junit/junit@4.12 lang/java@3']);
  const lock = await inventoryTarget(fixture('analyzers', 'gradle-lockfile', 'osv-scanner/one-pkg') as string, { as: 'app/gradle.lockfile', cache: false });
  assert.deepEqual(lock.document.packages.map((p) => p.purl), ['pkg:maven/org.springframework.security/spring-security-crypto@5.7.3']);
  const bad = await inventoryTarget(fixture('analyzers', 'maven-pom-xml', 'osv-scanner/not-pom.txt') as string, { as: 'app/pom.xml', cache: false });
  assert.ok(bad.issues.some((i) => i.severity === 'error' && /not a Maven POM/.test(i.message)), JSON.stringify(bad.issues));
});

test('lang/node installed node_modules and lockfile through the host (rootfs): selectors, licenses, edges, stubs skipped', async () => {
  const treeFile = fileURLToPath(new URL('../../plugins/lang-node/testdata/rootfs-tree.json', import.meta.url));
  const tree = JSON.parse(readFileSync(treeFile, 'utf8')) as Record<string, string>;
  const dir = tempDir('stella-node-');
  for (const [rel, body] of Object.entries(tree)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), body);
  }
  const r = await inventoryTarget(dir, { cache: false });
  const rows = r.document.packages.map((p) => `${p.name} ${p.version} ${p.purl}`).sort();
  assert.deepEqual(rows, [
    '@scope/pkg 2.0.0 pkg:npm/%40scope/pkg@2.0.0',
    'app 1.0.0 pkg:npm/app@1.0.0',
    'debug 2.6.9 pkg:npm/debug@2.6.9',
    'debug 4.3.4 pkg:npm/debug@4.3.4',
    'left-pad 1.3.0 pkg:npm/left-pad@1.3.0',
    'left-pad 1.3.0 pkg:npm/left-pad@1.3.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fx%2Fleft-pad.git%230123456789abcdef0123456789abcdef01234567',
    'util 0.1.0 pkg:npm/util@0.1.0',
  ]);
  assert.doesNotMatch(JSON.stringify(r.document), /secret/);
  // the lockfile's own project (Syft's root package) is marked, in the document and the inventory
  assert.deepEqual(r.document.packages.filter((p) => p.root).map((p) => p.purl), ['pkg:npm/app@1.0.0']);
  assert.equal(r.inventory.components.find((c) => c.purl === 'pkg:npm/app@1.0.0')?.root, true);
});

test('lang/python-lock through the host: rootfs with requirements and a lockfile', async () => {
  const dir = tempDir('stella-py-');
  mkdirSync(join(dir, 'srv/app/requirements'), { recursive: true });
  writeFileSync(join(dir, 'srv/app/requirements.txt'), '-r requirements/base.txt\nflask==3.0.0\n');
  writeFileSync(join(dir, 'srv/app/requirements/base.txt'), 'Jinja2==3.1.2\n');
  writeFileSync(join(dir, 'srv/app/uv.lock'), 'version = 1\n[[package]]\nname = "Zope.Interface"\nversion = "6.0"\nsource = { registry = "https://pypi.org/simple" }\n');
  const r = await inventoryTarget(dir, { cache: false });
  // Jinja2: from base.txt itself (selected) and through requirements.txt's -r include, merged into one package
  assert.deepEqual(r.document.packages.map((p) => `${p.name} ${p.version} ${p.purl} ${p.locations.join(',')}`).sort(), [
    'Jinja2 3.1.2 pkg:pypi/jinja2@3.1.2 /srv/app/requirements.txt,/srv/app/requirements/base.txt',
    'Zope.Interface 6.0 pkg:pypi/zope-interface@6.0 /srv/app/uv.lock',
    'flask 3.0.0 pkg:pypi/flask@3.0.0 /srv/app/requirements.txt',
  ]);
  assert.deepEqual(r.issues, []);
});
