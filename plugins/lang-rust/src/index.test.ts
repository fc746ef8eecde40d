import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { memoryFile as file } from '../../sdk/testing';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import rust from './index';


const cases: [string, string[], string[]][] = [
  ['osv-scanner/empty.lock', [], []],
  ['osv-scanner/one-package.lock', ['addr2line@0.15.2'], ['info']], // depends on gimli, which is not in the file
  ['osv-scanner/two-packages.lock', ['addr2line@0.15.2', 'syn@1.0.73'], ['info', 'info', 'info', 'info']], // gimli, proc-macro2, quote, unicode-xid are not in the file
  ['osv-scanner/two-packages-with-local.lock', ['addr2line@0.15.2', 'local-rust-pkg@0.1.0'], ['info']],
  ['osv-scanner/package-with-build-string.lock', ['wasi@0.10.2+wasi-snapshot-preview1'], []],
  ['osv-scanner/not-toml.txt', [], ['error']],
  [
    'syft/rust__Cargo.lock',
    [
      'ansi_term@0.12.1',
      'errno@0.3.9',
      'matches@0.1.8',
      'memchr@2.3.3',
      'natord@1.0.9',
      'nom@4.2.3',
      'schannel@0.1.26',
      'unicode-bidi@0.3.4',
      'version_check@0.1.5',
      'winapi-i686-pc-windows-gnu@0.4.0',
      'winapi-x86_64-pc-windows-gnu@0.4.0',
      'winapi@0.3.9',
      'windows-sys@0.52.0',
      'windows-sys@0.59.0',
    ],
    ['info'], // unicode-bidi depends on "bogus", which the file does not list
  ],
];

for (const [rel, expected, issues] of cases) {
  test(`lang/rust: ${rel}`, needsFixtures('analyzers', 'cargo-lock', rel), async () => {
    const r = await rust.analyze([file('/src/Cargo.lock', readFileSync(fixture('analyzers', 'cargo-lock', rel) as string))], { foundBy: 'lang/rust@1', target: 'file' });
    assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`).sort(), expected);
    assert.deepEqual(r.issues.map((i) => i.severity), issues);
    for (const p of r.packages) {
      assert.equal(p.declared, true);
      assert.equal(p.purl.type, 'cargo');
      assert.equal(p.purl.version, p.version);
    }
  });
}

test('lang/rust: dependency edges resolve "name version" references', needsFixtures('analyzers', 'cargo-lock', 'syft/rust__Cargo.lock'), async () => {
  const r = await rust.analyze([file('/Cargo.lock', readFileSync(fixture('analyzers', 'cargo-lock', 'syft/rust__Cargo.lock') as string))], { foundBy: 'lang/rust@1', target: 'file' });
  const edges = r.relationships.map((e) => `${e.from} -> ${e.to}`);
  assert.ok(edges.includes('errno@0.3.9 -> windows-sys@0.52.0'), edges.join('\n'));
  assert.ok(edges.includes('ansi_term@0.12.1 -> winapi@0.3.9'), edges.join('\n'));
});
