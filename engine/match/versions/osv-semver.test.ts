/**
 * OSV's ordering vectors for the SEMVER-type ecosystems, from osv-scalibr (`semantic/testdata/pub-versions.txt`,
 * whose non-build lines are its `semver-versions.txt`, and osv-scanner `internal/semantic/fixtures/nuget-versions.txt`,
 * Apache-2.0): every line must hold in both directions, as osv-scalibr's own `compare_test.go` checks. Before these
 * ecosystems followed OSV's rules, Hex agreed with 63% and Pub with 68% of them (a leading `v`, numbers past 2^53,
 * extra components were refused).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions, isValidVersion, type CompareResult } from './index';

const SEMVER = `
1.0.0-alpha < 1.0.0-alpha.1
1.0.0-alpha.1 < 1.0.0-alpha.beta
1.0.0-alpha.beta < 1.0.0-beta
1.0.0-beta < 1.0.0-beta.2
1.0.0-beta.2 < 1.0.0-beta.11
1.0.0-beta.11 < 1.0.0-rc.1
1.0.0-rc.1 < 1.0.0
1.0.0 < 1.0.1
1.0.0 < 1.1.0
1.0.0 < 2.0.0
0.0.0 > 0.0.0-foo
0.0.1 > 0.0.0
1.0.0 > 0.9.9
0.10.0 > 0.9.0
0.99.0 > 0.10.0
2.0.0 > 1.2.3
v0.0.0 > 0.0.0-foo
v0.0.1 > 0.0.0
v1.0.0 > 0.9.9
v0.10.0 > 0.9.0
v0.99.0 > 0.10.0
v2.0.0 > 1.2.3
0.0.0 > v0.0.0-foo
0.0.1 > v0.0.0
1.0.0 > v0.9.9
0.10.0 > v0.9.0
0.99.0 > v0.10.0
2.0.0 > v1.2.3
1.2.3 > 1.2.3-asdf
1.2.3 > 1.2.3-4
1.2.3 > 1.2.3-4-foo
1.2.3-5-foo > 1.2.3-5
1.2.3-5 > 1.2.3-4
1.2.3-5-foo > 1.2.3-5-Foo
3.0.0 > 2.7.2+asdf
1.2.3-a.10 > 1.2.3-a.5
1.2.3-a.b > 1.2.3-a.5
1.2.3-a.b > 1.2.3-a
1.2.3-a.b.c.10.d.5 > 1.2.3-a.b.c.5.d.100
1.2.3-r2 > 1.2.3-r100
1.2.3-r100 > 1.2.3-R2
1.2.3 = v1.2.3
1.2.3 = 1.2.3
1.2.3-0 = v1.2.3-0
1.2.3-0 = 1.2.3-0
1.2.3-1 = v1.2.3-1
1.2.3-1 = 1.2.3-1
1.2.3-beta = v1.2.3-beta
1.2.3-beta = 1.2.3-beta
999999999999999999999999999991 < 999999999999999999999999999999
999999999999999999999999999991.999999999999999999999999999991.999999999999999999999999999991 < 999999999999999999999999999999.999999999999999999999999999991.999999999999999999999999999991
1.1.3.4.5 = 1.1.3.4.5
`;
const PUB_BUILD = `
1.0.0-pre < 1.0.0-pre+build
1.0.0-pre+build < 1.0.0
1.0.0 < 1.0.0+build
1.2.3+1 < 1.2.3+2
1.2.3+1 < 1.2.3+a
1.2.3+9 < 1.2.3+a
1.2.3+900 < 1.2.3+a
1.2.3+a1 > 1.2.3+a
1.2.3+a1 = 1.2.3+a1
1.2.3+a1 < 1.2.3+a2
1.2.3+b = 1.2.3+b
1.2.3+a9 < 1.2.3+b2
1.2.3+9a > 1.2.3+1z
1.2.3+9d > 1.2.3+1z
1.2.3-beta+build < 1.2.3-beta+otherbuild
1.2.3+build < 1.2.3+otherbuild
v1.2.3+build < 1.2.3+otherbuild
`;
const NUGET = `
1.0.0 = 1.0.0
1.0.0-BETA = 1.0.0-beta
1.0.0-BETA+AA = 1.0.0-beta+aa
1.0.0-BETA.X.y.5.77.0+AA = 1.0.0-beta.x.y.5.77.0+aa
1.0.0 = 1.0.0+beta
1.0 = 1.0.0.0
1.0+test = 1.0.0.0
1.0.0.1-1.2.A = 1.0.0.1-1.2.a+A
1.0.01 = 1.0.1.0
1.0 < 1.0.0.1
1.0+test < 1.0.0.1
1.0.0.1-1.2.A < 1.0.0.1-1.2.a.A+A
1.0.01 < 1.0.1.2
1.0.0 > 0.0.0
1.1.0 > 1.0.0
1.0.1 > 1.0.0
1.0.0-beta2 > 1.0.0-BETA
1.0.0+AA > 1.0.0-beta+aa
1.0.0-BETA.X.y.5.77.0+AA < 1.0.0-beta.x.y.5.79.0+aa
1.999.9999 < 2.1.1
1.0.0-BETA < 1.0.0-beta.1+AA
1.0.0-BETA.X.y.5.79.0+AA < 1.0.0-beta.x.y.5.790.0+abc
1.0.0 < 1.0.0.1
1.0.0.1-alpha < 1.0.0.1-pre
1.0.0-pre < 1.0.0.1-alpha
1.0.0 < 1.0.0.1-alpha
0.9.9.1 < 1.0.0
999999999999999999999999999991 < 999999999999999999999999999999
999999999999999999999999999991.999999999999999999999999999991.999999999999999999999999999991 < 999999999999999999999999999999.999999999999999999999999999991.999999999999999999999999999991
`;

function lines(text: string): [string, CompareResult, string][] {
  return text
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .map(([a, op, b]) => [a as string, op === '<' ? -1 : op === '>' ? 1 : 0, b as string]);
}

function check(ecosystem: string, text: string): void {
  const wrong: string[] = [];
  for (const [a, expected, b] of lines(text)) {
    const got = compareVersions(ecosystem, a, b);
    const back = compareVersions(ecosystem, b, a);
    if (got !== expected || back !== (-expected || 0)) wrong.push(`${a} vs ${b}: got ${got}/${back}, expected ${expected}`);
  }
  assert.deepEqual(wrong, [], `${ecosystem}: ${wrong.length} of ${lines(text).length} vectors disagree`);
}

for (const eco of ['npm', 'crates.io', 'Go', 'Hex']) {
  test(`${eco}: OSV's SemVer vectors (leading v, 30-digit numbers, extra components)`, () => {
    check(eco, SEMVER);
    // SemVer 2.0 ignores build metadata; Pub is the one that orders it
    check(eco, '1.2.3-beta+build = 1.2.3-beta+otherbuild\n1.2.3+build = 1.2.3+otherbuild\nv1.2.3+build = 1.2.3+otherbuild');
  });
}

test("Pub: OSV's Pub vectors (SemVer ones plus ordered builds)", () => {
  check('Pub', SEMVER);
  check('Pub', PUB_BUILD);
});

test("NuGet: OSV's NuGet vectors (four components, case-insensitive labels, 30-digit parts)", () => {
  check('NuGet', NUGET);
});

test('OSV leniency has limits: text no ecosystem tool can order is still rejected', () => {
  for (const eco of ['npm', 'crates.io', 'Go', 'Hex', 'Pub', 'NuGet']) {
    for (const v of ['', 'latest', '^1.2.3', '1.2.x', 'v', '1..2', '1.2.3-', '1.2.3+', 'go1.22.0', '1.0.0-beta..1', '>=1.0']) {
      assert.equal(isValidVersion(eco, v), false, `${eco}: ${JSON.stringify(v)}`);
    }
  }
  // what OSV orders and real SBOMs carry
  for (const eco of ['npm', 'crates.io', 'Go', 'Hex', 'Pub', 'NuGet']) {
    for (const v of ['v1.2.3', '1.2', '1.1.3.4.5', '01.2.3', '999999999999999999999999999999.0.0', 'v1.2.3-rc.1+b.5']) {
      assert.equal(isValidVersion(eco, v), true, `${eco}: ${JSON.stringify(v)}`);
    }
  }
});

test('30-digit NuGet and Go versions compare as numbers, not as doubles', () => {
  const a = '123456789012345678901234567890.0.1';
  const b = '123456789012345678901234567891.0.0';
  for (const eco of ['NuGet', 'Go', 'npm', 'Pub', 'Hex', 'crates.io']) {
    assert.equal(compareVersions(eco, a, b), -1, eco);
    assert.equal(compareVersions(eco, `v${b}`, a), 1, eco);
    assert.equal(compareVersions(eco, a, a.replace(/^/, 'v')), 0, eco);
  }
  assert.equal(compareVersions('NuGet', '1.0.0.123456789012345678901234567890', '1.0.0.123456789012345678901234567889'), 1);
  assert.equal(compareVersions('Go', 'v1.2.3-pre.123456789012345678901234567890', 'v1.2.3-pre.99999999999999999999'), 1);
});

test('Hex v1.2.3 < 1.2.4 (a leading v, as OSV reads Hex versions)', () => {
  assert.equal(compareVersions('Hex', 'v1.2.3', '1.2.4'), -1);
  assert.equal(compareVersions('Pub', 'v1.2.3', '1.2.4'), -1);
});
