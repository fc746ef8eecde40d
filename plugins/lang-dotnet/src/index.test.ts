import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { memoryFile as file } from '../../sdk/testing';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import dotnet from './index';

const run = (path: string, rel: string[]) => dotnet.analyze([file(path, readFileSync(fixture('analyzers', ...rel) as string))], { foundBy: 'lang/dotnet@1', target: 'file' });

const LOCK = '/src/packages.lock.json';
const lockCases: [string, string[], string[]][] = [
  ['empty.v0.json', [], []],
  ['empty.v1.json', [], []],
  ['not-json.txt', [], ['error']],
  ['one-framework-one-package.v1.json', ['Test.Core@6.0.5'], []],
  ['one-framework-two-packages.v1.json', ['Test.Core@6.0.5', 'Test.System@0.13.0-beta4'], []],
  ['two-frameworks-different-packages.v1.json', ['Test.Core@6.0.5', 'Test.System@0.13.0-beta4'], []],
  ['two-frameworks-duplicate-packages.v1.json', ['Test.Core@6.0.5'], []],
  ['two-frameworks-mixed-packages.v1.json', ['Test.Core@6.0.5', 'Test.System@0.13.0-beta4', 'Test.System@2.15.0'], []],
];

for (const [rel, expected, issues] of lockCases) {
  test(`lang/dotnet packages.lock.json: ${rel}`, needsFixtures('analyzers', 'nuget-packages-lock-json', 'osv-scanner', rel), async () => {
    const r = await run(LOCK, ['nuget-packages-lock-json', 'osv-scanner', rel]);
    assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`), expected);
    assert.deepEqual(r.issues.map((i) => i.severity), issues);
    for (const p of r.packages) assert.equal(p.declared, true);
    for (const i of r.issues) assert.equal(i.path, LOCK);
  });
}

test('lang/dotnet packages.lock.json: duplicates across frameworks merge their framework list', needsFixtures('analyzers', 'nuget-packages-lock-json'), async () => {
  const r = await run(LOCK, ['nuget-packages-lock-json', 'osv-scanner', 'two-frameworks-duplicate-packages.v1.json']);
  assert.equal(r.packages[0]?.properties?.frameworks, 'net6.0,net7.0');
});

const DEPS = '/app/TestLibrary.deps.json';
const depsCases: [string[], string[], string[]][] = [
  [['osv-scalibr', 'empty.deps.json'], [], []],
  [['osv-scalibr', 'invalid.deps.json'], [], ['error']],
  [['osv-scalibr', 'valid.deps.json'], ['AWSSDK.Core@3.7.10.6 package', 'Microsoft.Extensions.DependencyInjection@6.0.0 package', 'TestLibrary@1.0.0 project'], []],
  [['osv-scalibr', 'nopackagename.deps.json'], ['AWSSDK.Core@3.7.10.6 package', 'TestLibrary@1.0.0 project'], ['warning']],
  [
    ['syft', 'dotnet__dir-example-1__TestLibrary.deps.json'],
    [
      'AWSSDK.Core@3.7.10.6 package',
      'Microsoft.Extensions.DependencyInjection.Abstractions@6.0.0 package',
      'Microsoft.Extensions.DependencyInjection@6.0.0 package',
      'Microsoft.Extensions.Logging.Abstractions@6.0.0 package',
      'Microsoft.Extensions.Logging@6.0.0 package',
      'Microsoft.Extensions.Options@6.0.0 package',
      'Microsoft.Extensions.Primitives@6.0.0 package',
      'Newtonsoft.Json@13.0.1 package',
      'Serilog.Sinks.Console@4.0.1 package',
      'Serilog@2.10.0 package',
      'System.Diagnostics.DiagnosticSource@6.0.0 package',
      'System.Runtime.CompilerServices.Unsafe@6.0.0 package',
      'TestCommon@1.0.0 project',
      'TestLibrary@1.0.0 project',
    ],
    [],
  ],
];

for (const [rel, expected, issues] of depsCases) {
  test(`lang/dotnet deps.json: ${rel.join('/')}`, needsFixtures('analyzers', 'dotnet-deps-json', ...rel), async () => {
    const r = await run(DEPS, ['dotnet-deps-json', ...rel]);
    assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version} ${p.properties?.libraryType}`).sort(), expected);
    assert.deepEqual(r.issues.map((i) => i.severity), issues);
    for (const p of r.packages) {
      assert.equal(p.declared, undefined, 'deps.json describes a deployed app: installed, not declared');
      assert.equal(p.purl.type, 'nuget');
    }
  });
}

test('lang/dotnet deps.json: dependency edges from targets', needsFixtures('analyzers', 'dotnet-deps-json', 'syft'), async () => {
  const r = await run(DEPS, ['dotnet-deps-json', 'syft', 'dotnet__dir-example-1__TestLibrary.deps.json']);
  const edges = r.relationships.map((e) => `${e.from} -> ${e.to}`);
  assert.ok(edges.includes('TestLibrary/1.0.0 -> Newtonsoft.Json/13.0.1'), edges.join('\n'));
  assert.ok(edges.includes('TestLibrary/1.0.0 -> TestCommon/1.0.0'), edges.join('\n'));
});
