import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compileSelector, type AnalyzerFile } from '../../sdk';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import python from './index';

const manifest = JSON.parse(readFileSync(new URL('../plugin.json', import.meta.url), 'utf8')) as { selectors: { glob: string; ignoreCase?: boolean }[] };
const selectors = manifest.selectors.map(compileSelector);

/** Walk a fixture tree and hand the analyzer exactly what the manifest selects (as the host does). */
function selectedFiles(root: string): AnalyzerFile[] {
  const out: AnalyzerFile[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const abs = join(d, n);
      if (statSync(abs).isDirectory()) walk(abs);
      else {
        const rel = relative(root, abs);
        if (!selectors.some((s) => s.matches(rel))) continue;
        const body = readFileSync(abs);
        out.push({ path: `/${rel}`, size: body.length, readBytes: async () => new Uint8Array(body), readText: async () => body.toString('utf8') });
      }
    }
  };
  walk(root);
  return out;
}

const cases: [string, string[]][] = [
  ['syft/python__site-packages__nested', ['Pygments 2.6.1 pkg:pypi/pygments@2.6.1 /dist-name/dist-info/METADATA', 'requests 2.22.0 pkg:pypi/requests@2.22.0 /egg-name/egg-info/PKG-INFO']],
  ['syft/python__site-packages__uppercase', ['Pygments 2.6.1 pkg:pypi/pygments@2.6.1 /dist-name/DIST-INFO/METADATA', 'requests 2.22.0 pkg:pypi/requests@2.22.0 /egg-name/EGG-INFO/PKG-INFO']],
  ['syft/python__site-packages__test', ['requests 2.22.0 pkg:pypi/requests@2.22.0 /test.egg-info']],
  [
    'debian-bookworm-dist-packages',
    [
      'certifi 2022.9.24 pkg:pypi/certifi@2022.9.24 /usr/lib/python3/dist-packages/certifi-2022.9.24.egg-info/PKG-INFO',
      'chardet 5.1.0 pkg:pypi/chardet@5.1.0 /usr/lib/python3/dist-packages/chardet-5.1.0.dist-info/METADATA',
      'charset-normalizer 3.0.1 pkg:pypi/charset-normalizer@3.0.1 /usr/lib/python3/dist-packages/charset_normalizer-3.0.1.dist-info/METADATA',
      'idna 3.3 pkg:pypi/idna@3.3 /usr/lib/python3/dist-packages/idna-3.3.egg-info/PKG-INFO',
      'requests 2.28.1 pkg:pypi/requests@2.28.1 /usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO',
      'six 1.16.0 pkg:pypi/six@1.16.0 /usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO',
      'urllib3 1.26.12 pkg:pypi/urllib3@1.26.12 /usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info/PKG-INFO',
    ],
  ],
];

for (const [rel, expected] of cases) {
  test(`lang/python: ${rel}`, needsFixtures('analyzers', 'python-site-packages', rel), async () => {
    const files = selectedFiles(fixture('analyzers', 'python-site-packages', rel) as string);
    const r = await python.analyze(files, { foundBy: 'lang/python@1', target: 'rootfs' });
    const { purlToString } = await import('../../sdk');
    assert.deepEqual(r.packages.map((p) => `${p.name} ${p.version} ${purlToString(p.purl)} ${p.locations[0]}`).sort(), expected);
    assert.deepEqual(r.issues, []);
  });
}

test('lang/python: licenses prefer License-Expression; UNKNOWN is no license', async () => {
  const mk = (t: string): AnalyzerFile => ({ path: '/x.dist-info/METADATA', size: t.length, readBytes: async () => new TextEncoder().encode(t), readText: async () => t });
  const a = await python.analyze([mk('Metadata-Version: 2.4\nName: A_b\nVersion: 1\nLicense: MIT License\nLicense-Expression: MIT\n\nbody')], { foundBy: 'lang/python@1', target: 'file' });
  assert.deepEqual(a.packages[0]?.licenses, ['MIT']);
  assert.equal(a.packages[0]?.purl.name, 'a-b');
  const b = await python.analyze([mk('Name: x\nVersion: 2\nLicense: UNKNOWN\n')], { foundBy: 'lang/python@1', target: 'file' });
  assert.deepEqual(b.packages[0]?.licenses, []);
});

test('lang/python: metadata without Name/Version is rejected with a located error', async () => {
  const t = 'Not metadata at all\nHello';
  const r = await python.analyze([{ path: '/y.dist-info/METADATA', size: t.length, readBytes: async () => new TextEncoder().encode(t), readText: async () => t }], { foundBy: 'lang/python@1', target: 'file' });
  assert.equal(r.packages.length, 0);
  assert.deepEqual(r.issues.map((i) => [i.path, i.severity, i.line]), [['/y.dist-info/METADATA', 'error', 1]]);
  assert.match(r.issues[0]?.message ?? '', /no Name and Version header \(expected/);
});
