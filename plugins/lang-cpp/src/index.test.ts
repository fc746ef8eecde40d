import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { memoryFile as file } from '../../sdk/testing';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import conan, { parseConanRef } from './index';


const NESTED = ['brotli@1.0.9', 'bzip2@1.0.8', 'freetype@2.12.1', 'libpng@1.6.39', 'zlib@1.2.13'];
const rows: [string, string[], string[]][] = [];
for (const v of ['v1', 'v1.revisions', 'v2']) {
  rows.push([`empty.${v}.json`, [], []]);
  rows.push([`one-package.${v}.json`, ['zlib@1.2.11'], []]);
  rows.push([`one-package-dev.${v}.json`, ['ninja@1.11.1 dev'], []]);
  rows.push([`two-packages.${v}.json`, ['bzip2@1.0.8', 'zlib@1.2.11'], []]);
  rows.push([`nested-dependencies.${v}.json`, NESTED, []]);
  rows.push([`no-name.${v}.json`, ['zlib@1.2.11'], ['warning']]);
}
rows.push(['not-json.txt', [], ['error']]);
for (const v of ['0.0', '0.1', '0.2', '0.3']) rows.push([`old-format-${v}.json`, ['zlib@1.2.11'], []]);

for (const [rel, expected, issues] of rows) {
  test(`lang/cpp: ${rel}`, needsFixtures('analyzers', 'conan-lock', 'osv-scanner', rel), async () => {
    const r = await conan.analyze([file('/src/conan.lock', readFileSync(fixture('analyzers', 'conan-lock', 'osv-scanner', rel) as string))], { foundBy: 'lang/cpp@1', target: 'file' });
    assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}${p.scope === 'optional' ? ' dev' : ''}`), expected);
    assert.deepEqual(r.issues.map((i) => i.severity), issues);
    for (const p of r.packages) assert.equal(p.declared, true);
  });
}

test('lang/cpp: syft fixtures (Conan 1 with user/channel, Conan 2)', needsFixtures('analyzers', 'conan-lock', 'syft'), async () => {
  const v1 = await conan.analyze([file('/conan.lock', readFileSync(fixture('analyzers', 'conan-lock', 'syft', 'cpp__conan.lock') as string))], { foundBy: 'lang/cpp@1', target: 'file' });
  assert.deepEqual(v1.packages.map((p) => `${p.name}@${p.version}`), ['boost@1.75.0', 'bzip2@1.0.8', 'libbacktrace@cci.20210118', 'mfast@1.2.2', 'tinyxml2@9.0.0', 'zlib@1.2.12']);
  const mfast = v1.packages.find((p) => p.name === 'mfast');
  assert.deepEqual(mfast?.purl.qualifiers, { user: 'my_user', channel: 'my_channel', rrev: 'c6f6387c9b99780f0ee05e25f99d0f39' });
  const v2 = await conan.analyze([file('/conan.lock', readFileSync(fixture('analyzers', 'conan-lock', 'syft', 'cpp__conanlock-v2__conan.lock') as string))], { foundBy: 'lang/cpp@1', target: 'file' });
  assert.deepEqual(v2.packages.map((p) => `${p.name}@${p.version}`), ['matrix@1.1', 'sound32@1.0']);
});

test('lang/cpp: reference grammar', () => {
  assert.deepEqual(parseConanRef('zlib/1.2.11@bincrafters/testing#5f49:1972#5884'), { name: 'zlib', version: '1.2.11', user: 'bincrafters', channel: 'testing', revision: '5f49' });
  assert.deepEqual(parseConanRef('zlib/1.2.11#ffa7%1667396813.184'), { name: 'zlib', version: '1.2.11', user: undefined, channel: undefined, revision: 'ffa7' });
  assert.equal(parseConanRef('1.2.3#ffa7'), undefined);
});
