import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { memoryFile as file } from '../../sdk/testing';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import r from './index';


/** [fixture, expected "name@version purl-type", issue severities] */
const cases: [string, string[], string[]][] = [
  ['empty.lock', [], []],
  ['not-json.txt', [], ['error']],
  ['one-package.lock', ['morning@0.1.0 cran'], []],
  ['two-packages.lock', ['markdown@1.0 cran', 'mime@0.7 cran'], []],
  ['with-bioconductor.lock', ['BH@1.75.0-0 cran', 'BSgenome@1.60.0 bioconductor'], []],
  ['with-mixed-sources.lock', ['markdown@1.0 cran', 'mime@0.12.1 github'], []],
  ['without-repository.lock', ['morning@0.1.0 cran'], []],
];

for (const [rel, expected, issues] of cases) {
  test(`lang/r: ${rel}`, needsFixtures('analyzers', 'renv-lock', 'osv-scanner', rel), async () => {
    const res = await r.analyze([file('/proj/renv.lock', readFileSync(fixture('analyzers', 'renv-lock', 'osv-scanner', rel) as string))], { foundBy: 'lang/r@1', target: 'file' });
    assert.deepEqual(res.packages.map((p) => `${p.name}@${p.version} ${p.purl.type}`).sort(), expected);
    assert.deepEqual(res.issues.map((i) => i.severity), issues);
    for (const p of res.packages) assert.equal(p.declared, true);
  });
}

test('lang/r: GitHub remotes keep the commit in the purl', needsFixtures('analyzers', 'renv-lock'), async () => {
  const res = await r.analyze([file('/proj/renv.lock', readFileSync(fixture('analyzers', 'renv-lock', 'osv-scanner', 'with-mixed-sources.lock') as string))], { foundBy: 'lang/r@1', target: 'file' });
  const mime = res.packages.find((p) => p.name === 'mime');
  assert.deepEqual(mime?.purl, { type: 'github', namespace: 'yihui', name: 'mime', version: '1763e0dcb72fb58d97bab97bb834fc71f1e012bc' });
});
