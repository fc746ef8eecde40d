import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { memoryFile as file } from '../../sdk/testing';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import go from './index';
import { purlToString } from '../../sdk';

const run = (body: Buffer) => go.analyze([file('/src/go.mod', body)], { foundBy: 'lang/go@2', target: 'file' });

/** [fixture, expected "module@version" in file order, issue severities] */
const cases: [string, string[], string[]][] = [
  ['osv-scanner/empty.mod', [], []],
  ['osv-scanner/not-go-mod.txt', [], ['error']],
  ['osv-scanner/one-package.mod', ['github.com/BurntSushi/toml@v1.0.0'], []],
  ['osv-scanner/two-packages.mod', ['github.com/BurntSushi/toml@v1.0.0', 'gopkg.in/yaml.v2@v2.4.0', 'stdlib@v1.17'], []],
  [
    'osv-scanner/indirect-packages.mod',
    ['github.com/BurntSushi/toml@v1.0.0', 'gopkg.in/yaml.v2@v2.4.0', 'github.com/mattn/go-colorable@v0.1.9', 'github.com/mattn/go-isatty@v0.0.14', 'golang.org/x/sys@v0.0.0-20210630005230-0f9fa26af87c', 'stdlib@v1.17'],
    [],
  ],
  ['osv-scanner/replace-one.mod', ['example.com/fork/net@v1.4.5'], []],
  ['osv-scanner/replace-different.mod', ['example.com/fork/foe@v1.4.5', 'example.com/fork/foe@v1.4.2'], []],
  ['osv-scanner/replace-mixed.mod', ['example.com/fork/net@v1.4.5', 'golang.org/x/net@v0.5.6'], []],
  ['osv-scanner/replace-no-version.mod', ['example.com/fork/net@v1.4.5'], []],
  ['osv-scanner/replace-not-required.mod', ['golang.org/x/net@v0.5.6', 'github.com/BurntSushi/toml@v1.0.0'], []],
  ['osv-scanner/replace-local.mod', ['golang.org/x/net@undefined', 'github.com/BurntSushi/toml@v1.0.0'], []],
  [
    'syft/golang__go-mod-fixtures__many-packages__go.mod',
    [
      'github.com/anchore/go-testutils@v0.0.0-20200624184116-66aa578126db',
      'github.com/anchore/go-version@v1.2.2-0.20200701162849-18adb9c92b9b',
      'github.com/anchore/stereoscope@v0.0.0-20200706164556-7cf39d7f4639',
      'github.com/anchore/archiver/v3@v3.5.2',
      'github.com/bmatcuk/doublestar@v8.8.8',
      'github.com/go-test/deep@v1.0.6',
      'stdlib@v1.14',
    ],
    ['info'],
  ],
];

for (const [rel, expected, issues] of cases) {
  test(`lang/go: ${rel}`, needsFixtures('analyzers', 'go-mod', rel), async () => {
    const r = await run(readFileSync(fixture('analyzers', 'go-mod', rel) as string));
    assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`), expected);
    assert.deepEqual(r.issues.map((i) => i.severity), issues);
    for (const p of r.packages) {
      assert.equal(p.declared, true);
      assert.equal(p.purl.type, 'golang');
    }
  });
}

test('lang/go: module paths become purl namespace + name', needsFixtures('analyzers', 'go-mod', 'osv-scanner/one-package.mod'), async () => {
  const r = await run(readFileSync(fixture('analyzers', 'go-mod', 'osv-scanner/one-package.mod') as string));
  assert.equal(purlToString(r.packages[0]?.purl as never), 'pkg:golang/github.com/BurntSushi/toml@v1.0.0');
});

test('lang/go: indirect requirements, replacements and local forks are recorded', needsFixtures('analyzers', 'go-mod', 'osv-scanner/replace-local.mod'), async () => {
  const ind = await run(readFileSync(fixture('analyzers', 'go-mod', 'osv-scanner/indirect-packages.mod') as string));
  assert.equal(ind.packages.find((p) => p.name === 'golang.org/x/sys')?.properties?.indirect, 'true');
  assert.equal(ind.packages.find((p) => p.name === 'gopkg.in/yaml.v2')?.properties?.indirect, undefined);
  const local = await run(readFileSync(fixture('analyzers', 'go-mod', 'osv-scanner/replace-local.mod') as string));
  assert.equal(local.packages[0]?.properties?.replacedBy, './fork/net');
  const syft = await run(readFileSync(fixture('analyzers', 'go-mod', 'syft/golang__go-mod-fixtures__many-packages__go.mod') as string));
  assert.match(syft.issues[0]?.message ?? '', /github.com\/adrg\/xdg v0.2.1 is required but excluded/);
  assert.equal(syft.packages.find((p) => p.name === 'github.com/anchore/archiver/v3')?.properties?.replaces, 'github.com/anchore/archiver/v3@v3.5.1');
});
