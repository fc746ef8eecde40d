import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { memoryFile as file } from '../../sdk/testing';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import dart from './index';


/** [fixture, expected "name@version source[ dev]", issue severities] */
const cases: [string, string[], string[]][] = [
  ['osv-scanner/empty.lock', [], []],
  ['osv-scanner/no-packages.lock', [], []],
  ['osv-scanner/not-yaml.txt', [], ['error']],
  ['osv-scanner/one-package.lock', ['back_button_interceptor@6.0.1 hosted'], []],
  ['osv-scanner/one-package-dev.lock', ['build_runner@2.2.1 hosted dev'], []],
  ['osv-scanner/two-packages.lock', ['shelf@1.3.2 hosted', 'shelf_web_socket@1.0.2 hosted'], []],
  ['osv-scanner/mixed-packages.lock', ['back_button_interceptor@6.0.1 hosted', 'build_runner@2.2.1 hosted dev', 'shelf@1.3.2 hosted', 'shelf_web_socket@1.0.2 hosted'], []],
  ['osv-scanner/source-git.lock', ['flutter_rust_bridge@1.32.0 git', 'screen_retriever@0.1.2 git', 'toggle_switch@1.4.0 hosted', 'tray_manager@0.1.8 git', 'window_manager@0.2.7 git'], []],
  ['osv-scanner/source-path.lock', ['maa_core@0.0.1 path'], []],
  ['osv-scanner/source-sdk.lock', ['flutter_web_plugins@0.0.0 sdk'], []],
  ['syft/dart__pubspec_locks__pubspec.lock', ['ale@3.3.0 hosted', 'analyzer@0.40.7 hosted', 'ansicolor@1.1.1 hosted', 'archive@2.0.13 hosted', 'args@1.6.0 hosted', 'flutter@0.0.0 sdk', 'key_binder@1.11.20 git'], []],
];

for (const [rel, expected, issues] of cases) {
  test(`lang/dart: ${rel}`, needsFixtures('analyzers', 'pubspec-lock', rel), async () => {
    const r = await dart.analyze([file('/app/pubspec.lock', readFileSync(fixture('analyzers', 'pubspec-lock', rel) as string))], { foundBy: 'lang/dart@1', target: 'file' });
    assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version} ${p.properties?.source}${p.scope === 'optional' ? ' dev' : ''}`).sort(), expected);
    assert.deepEqual(r.issues.map((i) => i.severity), issues);
    for (const p of r.packages) {
      assert.equal(p.declared, true);
      assert.equal(p.purl.type, 'pub');
    }
    for (const i of r.issues) assert.equal(i.path, '/app/pubspec.lock');
  });
}

test('lang/dart: git packages keep their resolved ref', needsFixtures('analyzers', 'pubspec-lock', 'osv-scanner/source-git.lock'), async () => {
  const r = await dart.analyze([file('/app/pubspec.lock', readFileSync(fixture('analyzers', 'pubspec-lock', 'osv-scanner/source-git.lock') as string))], { foundBy: 'lang/dart@1', target: 'file' });
  const p = r.packages.find((x) => x.name === 'flutter_rust_bridge');
  assert.match(p?.properties?.gitRef ?? '', /^[0-9a-f]{40}$/);
});
