import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { memoryFile as file } from '../../sdk/testing';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import php from './index';

const run = (path: string, body: Buffer) => php.analyze([file(path, body)], { foundBy: 'lang/php@1', target: 'file' });

/** [fixture, expected "name@version[ dev]" sorted, issue severities] */
const lockCases: [string, string[], string[]][] = [
  ['osv-scanner/empty.json', [], []],
  ['osv-scanner/not-json.txt', [], ['error']],
  ['osv-scanner/one-package.json', ['sentry/sdk@2.0.4'], []],
  ['osv-scanner/one-package-dev.json', ['sentry/sdk@2.0.4 dev'], []],
  ['osv-scanner/two-packages.json', ['sentry/sdk@2.0.4', 'theseer/tokenizer@1.1.3 dev'], []],
  ['osv-scanner/two-packages-alt.json', ['sentry/sdk@2.0.4', 'theseer/tokenizer@1.1.3'], []],
  ['syft/php__composer.lock', ['adoy/fastcgi-client@1.0.2', 'alcaeus/mongo-php-adapter@1.1.11', 'behat/gherkin@v4.6.2 dev', 'codeception/codeception@4.1.6 dev'], []],
];

for (const [rel, expected, issues] of lockCases) {
  test(`lang/php composer.lock: ${rel}`, needsFixtures('analyzers', 'composer-lock', rel), async () => {
    const r = await run('/app/composer.lock', readFileSync(fixture('analyzers', 'composer-lock', rel) as string));
    assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}${p.scope === 'optional' ? ' dev' : ''}`).sort(), expected);
    assert.deepEqual(r.issues.map((i) => i.severity), issues);
    for (const p of r.packages) {
      assert.equal(p.declared, true);
      assert.equal(p.purl.type, 'composer');
      assert.equal(`${p.purl.namespace}/${p.purl.name}`, p.name);
    }
  });
}

test('lang/php installed.json: Composer 2 object with dev-package-names, dependency edges', async () => {
  const r = await run('/app/vendor/composer/installed.json', readFileSync(new URL('../testdata/installed-v2.json', import.meta.url)));
  assert.deepEqual(r.issues, []);
  assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}${p.scope === 'optional' ? ' dev' : ''}`), ['monolog/monolog@2.9.1', 'psr/log@3.0.0', 'phpunit/phpunit@10.3.2 dev']);
  for (const p of r.packages) assert.equal(p.declared, undefined, 'installed packages are not declared');
  assert.deepEqual(r.relationships, [{ from: 'monolog/monolog', to: 'psr/log', type: 'depends-on' }]);
  assert.deepEqual(r.packages[0]?.licenses, ['MIT']);
});

test('lang/php installed.json: Composer 1 bare array; wrong shapes are rejected with a located error', async () => {
  const r = await run('/app/vendor/composer/installed.json', readFileSync(new URL('../testdata/installed-v1.json', import.meta.url)));
  assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`), ['symfony/polyfill-mbstring@v1.27.0']);
  const bad = await run('/app/vendor/composer/installed.json', Buffer.from('{"name":"x"}'));
  assert.equal(bad.issues.length, 1);
  assert.equal(bad.issues[0]?.severity, 'error');
  assert.equal(bad.issues[0]?.path, '/app/vendor/composer/installed.json');
  assert.match(bad.issues[0]?.message ?? '', /expected an array \(Composer 1\) or an object with a "packages" array/);
});
