/**
 * Parity through the host: every lockfile / database fixture of ../shared/fixtures/analyzers, analyzed by the
 * loaded plug-in directly and through `inventoryTarget(file, { as })`, must give the same packages — the host
 * drops nothing an analyzer reports (before this, `pkg:golang/stdlib@v1.17` and Conan 1 `user/channel` purls
 * were refused by the host and silently lost). The expected package lists themselves are asserted per
 * fixture in each plug-in's own test; the cases the peers disagreed on are asserted here end to end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { purlToString } from '../../plugins/sdk';
import { memoryFile, memoryFs } from '../../plugins/sdk/testing';
import { fixture, needsFixtures } from '../../build/test-support/fixtures';
import { inventoryTarget, loadPlugins } from './index';

/** fixture format → the path the file takes in a filesystem (what the selectors expect). */
const AS: Record<string, string> = {
  'apk-installed': 'lib/apk/db/installed',
  'cargo-lock': 'src/Cargo.lock',
  'composer-lock': 'app/composer.lock',
  'conan-lock': 'src/conan.lock',
  'dotnet-deps-json': 'app/App.deps.json',
  'dpkg-status': 'var/lib/dpkg/status',
  'gemfile-lock': 'app/Gemfile.lock',
  'go-mod': 'src/go.mod',
  'gradle-lockfile': 'app/gradle.lockfile',
  'gradle-verification-metadata': 'app/gradle/verification-metadata.xml',
  'java-pom-properties': 'app/META-INF/maven/g/a/pom.properties',
  'maven-pom-xml': 'src/pom.xml',
  'mix-lock': 'app/mix.lock',
  'npm-package-lock': 'app/package-lock.json',
  'nuget-packages-lock-json': 'src/packages.lock.json',
  'pdm-lock': 'app/pdm.lock',
  'pipfile-lock': 'app/Pipfile.lock',
  'pnpm-lock': 'app/pnpm-lock.yaml',
  'poetry-lock': 'app/poetry.lock',
  'pubspec-lock': 'app/pubspec.lock',
  'renv-lock': 'proj/renv.lock',
  'requirements-txt': 'src/pip/requirements.txt',
  'uv-lock': 'app/uv.lock',
  'yarn-lock': 'app/yarn.lock',
};

function fixtureFiles(format: string): string[] {
  const root = fixture('analyzers', format) as string;
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(root);
  return out;
}

test('every lockfile and database fixture: the host reports exactly what its analyzer reports', { ...needsFixtures('analyzers'), timeout: 600_000 }, async () => {
  const plugins = await loadPlugins();
  const problems: string[] = [];
  let checked = 0;
  for (const [format, as] of Object.entries(AS)) {
    for (const file of fixtureFiles(format)) {
      const analyzer = plugins.analyzers.find((a) => a.selectors.some((s) => s.matches(as)));
      assert.ok(analyzer, `an analyzer selects ${as}`);
      // the host's view of a single file is its own directory, mounted where --as puts it
      const dir = file.slice(0, file.lastIndexOf('/'));
      const asDir = as.includes('/') ? `/${as.slice(0, as.lastIndexOf('/'))}` : '';
      const siblings = Object.fromEntries(readdirSync(dir).filter((n) => statSync(join(dir, n)).isFile()).map((n) => [`${asDir}/${n}`, readFileSync(join(dir, n))]));
      const direct = await analyzer.definition.analyze([memoryFile(`/${as}`, readFileSync(file))], { foundBy: analyzer.id, target: 'file', fs: memoryFs(siblings) });
      const viaHost = await inventoryTarget(file, { as, cache: false, plugins });
      const want = [...new Set(direct.packages.map((p) => purlToString(p.purl)))].sort();
      const got = [...new Set(viaHost.document.packages.filter((p) => p.foundBy === analyzer.id).map((p) => p.purl))].sort();
      const dropped = viaHost.document.issues.filter((i) => /unusable record/.test(i.message));
      if (JSON.stringify(got) !== JSON.stringify(want) || dropped.length) problems.push(`${format}/${file.slice(dir.length - 20)}: host ${got.length} vs analyzer ${want.length}; ${dropped.map((d) => d.message).join('; ')}`);
      checked++;
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(checked > 250, `${checked} fixtures checked`);
});

test('the cases the peers disagreed on, end to end through the host', needsFixtures('analyzers'), async () => {
  const inv = async (format: string, rel: string, as = AS[format] as string) => (await inventoryTarget(fixture('analyzers', format, rel) as string, { as, cache: false })).document;
  // go.mod `go 1.17` gives the standard library (osv-scanner)
  assert.ok((await inv('go-mod', 'osv-scanner/two-packages.mod')).packages.some((p) => p.purl === 'pkg:golang/stdlib@v1.17'));
  // Conan 0.x graph locks (osv-scanner: zlib 1.2.11); 0.0 names it with user/channel, which the host now keeps
  for (const v of ['0.0', '0.1', '0.2', '0.3']) {
    const doc = await inv('conan-lock', `osv-scanner/old-format-${v}.json`);
    assert.deepEqual(doc.packages.map((p) => `${p.name}@${p.version}`), ['zlib@1.2.11'], v);
  }
  assert.equal((await inv('conan-lock', 'osv-scanner/old-format-0.0.json')).packages[0]?.purl, 'pkg:conan/zlib@1.2.11?channel=testing&rrev=5f4917ce0a630b102f472afd00102d40&user=bincrafters');
  // a dpkg database with malformed paragraphs still reports its good ones; no Version is an empty version (osv-scanner, Syft)
  assert.deepEqual((await inv('dpkg-status', 'osv-scanner/malformed_status')).packages.map((p) => `${p.name}@${p.version ?? ''}`), ['bash@']);
  assert.deepEqual((await inv('dpkg-status', 'syft/debian__var__lib__dpkg__status.d__multiple', 'var/lib/dpkg/status.d/multiple')).packages.map((p) => `${p.name}@${p.version ?? ''}`), ['no-version@', 'tzdata@2020a-0+deb10u1', 'util-linux@2.33.1-0.1']);
  // requirements -r includes resolved beside the file (osv-scanner)
  const req = await inv('requirements-txt', 'osv-scanner/with-multiple-r-options.txt');
  assert.ok(req.packages.some((p) => p.purl === 'pkg:pypi/django@2.2.24' && p.locations.includes('/src/pip/one-package-constrained.txt')));
  assert.equal(req.packages.length, 10);
  // yarn berry workspaces and the npm root package (Syft's convention), marked as the root
  const berry = await inv('yarn-lock', 'syft/javascript__yarn-berry__yarn.lock');
  assert.deepEqual(berry.packages.filter((p) => p.root).map((p) => p.purl), ['pkg:npm/c0n-fab_u.lation@7.7.7']);
  const lock = await inv('npm-package-lock', 'syft/javascript__pkg-lock__package-lock-3.json');
  assert.deepEqual(lock.packages.filter((p) => p.root).map((p) => p.purl), ['pkg:npm/lock-v3-fixture@1.0.0']);
});
