import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { memoryFile as file } from '../../sdk/testing';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import elixir from './index';

const run = (body: Buffer) => elixir.analyze([file('/app/mix.lock', body)], { foundBy: 'lang/elixir@1', target: 'file' });

const cases: [string, string[], string[]][] = [
  ['osv-scanner/empty.lock', [], []],
  ['osv-scanner/one-package.lock', ['plug@1.11.1'], []],
  ['osv-scanner/two-packages.lock', ['plug@1.11.1', 'plug_crypto@1.2.2'], []],
  ['osv-scanner/git.lock', ['bar@git:bef3ee1d3618017061498b96c75043e8449ef9b5', 'foe@git:a9574ab75d6ed01e1288c453ae1d943d7a964595', 'foo@git:fc94cce7830fa4dc455024bc2a83720afe244531'], []],
];

for (const [rel, expected, issues] of cases) {
  test(`lang/elixir: ${rel}`, needsFixtures('analyzers', 'mix-lock', rel), async () => {
    const r = await run(readFileSync(fixture('analyzers', 'mix-lock', rel) as string));
    assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version ?? `git:${p.properties?.gitCommit}`}`).sort(), expected);
    assert.deepEqual(r.issues.map((i) => i.severity), issues);
    for (const p of r.packages) assert.equal(p.declared, true);
  });
}

test('lang/elixir: many.lock and the syft fixture — every entry, with hex edges', needsFixtures('analyzers', 'mix-lock', 'syft/elixir__mix.lock'), async () => {
  const many = await run(readFileSync(fixture('analyzers', 'mix-lock', 'osv-scanner/many.lock') as string));
  assert.equal(many.packages.length, 21);
  assert.deepEqual(many.issues, []);
  const syft = await run(readFileSync(fixture('analyzers', 'mix-lock', 'syft/elixir__mix.lock') as string));
  assert.equal(syft.packages.length, 17);
  assert.deepEqual(syft.issues, []);
  assert.equal(syft.packages.find((p) => p.name === 'local_dep')?.properties?.localPath, '../local_dep');
  assert.equal(syft.packages.find((p) => p.name === 'enacl')?.properties?.gitCommit, '2f50ba6289f2f2d9fef05d22a396c0bab4f64149');
  const cowboy = syft.packages.find((p) => p.name === 'cowboy');
  assert.equal(cowboy?.version, '2.9.0');
  assert.equal(cowboy?.properties?.outerChecksum, 'sha256:2c729f934b4e1aa149aff882f57c6372c15399a20d54f65c8d67bef583021bde');
  const edges = syft.relationships.map((e) => `${e.from} -> ${e.to}`);
  assert.ok(edges.includes('cowboy -> cowlib'), edges.join('\n'));
});

test('lang/elixir: non-mix files are rejected with a located error; nothing is evaluated', async () => {
  const r = await run(Buffer.from('System.cmd("rm", ["-rf", "/"])\n'));
  assert.equal(r.packages.length, 0);
  assert.equal(r.issues[0]?.severity, 'error');
  assert.equal(r.issues[0]?.line, 1);
  assert.match(r.issues[0]?.message ?? '', /not a mix.lock/);
  const unterminated = await run(Buffer.from('%{\n  "plug": {:hex, :plug, "1.11.1"\n'));
  assert.equal(unterminated.issues[0]?.severity, 'error');
});
