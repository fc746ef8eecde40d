/**
 * Table-driven ordering and validity tests per ecosystem. Where a reference tool is installed here, the
 * expected values were produced by it (Debian: Dpkg::Version; PyPI: packaging; Maven: maven-artifact 3.8.7);
 * elsewhere they come from the ecosystem's own test vectors, cited per table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions, getComparator, isKnownEcosystem, isValidVersion, KNOWN_ECOSYSTEMS, parseEcosystem, sortVersions, type CompareResult } from './index';
import { MatchError } from '../errors';
import { rpmvercmp } from './_internal/rpm';
import { phpVersionCompare, composerNormalize } from './_internal/packagist';

type Row = readonly [a: string, b: string, expected: CompareResult];

function checkTable(ecosystem: string, rows: readonly Row[]): void {
  for (const [a, b, expected] of rows) {
    assert.equal(compareVersions(ecosystem, a, b), expected, `${ecosystem}: cmp(${a}, ${b})`);
    assert.equal(compareVersions(ecosystem, b, a), -expected || 0, `${ecosystem}: cmp(${b}, ${a})`);
  }
}

/** Each list is in ascending order: every earlier element is less than every later one. */
function checkAscending(ecosystem: string, versions: readonly string[]): void {
  for (let i = 0; i < versions.length; i++) {
    for (let j = i + 1; j < versions.length; j++) {
      const a = versions[i] as string;
      const b = versions[j] as string;
      assert.equal(compareVersions(ecosystem, a, b), -1, `${ecosystem}: ${a} < ${b}`);
      assert.equal(compareVersions(ecosystem, b, a), 1, `${ecosystem}: ${b} > ${a}`);
    }
  }
}

function expectInvalid(ecosystem: string, versions: readonly string[]): void {
  for (const v of versions) {
    assert.equal(isValidVersion(ecosystem, v), false, `${ecosystem}: ${JSON.stringify(v)} should be invalid`);
    assert.throws(
      () => compareVersions(ecosystem, v, v),
      (e: unknown) => e instanceof MatchError && e.code === 'invalid-version' && e.exitCode === 3 && e.message.includes(ecosystem),
      `${ecosystem}: ${JSON.stringify(v)} should throw invalid-version`,
    );
  }
}

test('Debian / Ubuntu: dpkg order (expected values from Dpkg::Version)', () => {
  const rows: Row[] = [
    ['1.0', '1.0-0', 0],
    ['1:1.0-1', '1.0-2', 1],
    ['1.0~rc1', '1.0', -1],
    ['1.0~~', '1.0~', -1],
    ['1.0~', '1.0', -1],
    ['1.0', '1.0+b1', -1],
    ['1.0a', '1.0+', -1],
    ['1.0.', '1.0', 1],
    ['2.30-1', '2.3-1', 1],
    ['7.6p2-4', '7.6-0', 1],
    ['1.0.3-3', '1.0-1', 1],
    ['1.3', '1.2.2-2', 1],
    ['0:1.2', '1.2', 0],
    ['1.2-1~bpo11+1', '1.2-1', -1],
    ['1.2-1ubuntu1', '1.2-1', 1],
    ['10:1', '9:2', 1],
    ['1.0-1.1', '1.0-1+b1', 1],
    ['0001.0', '1.0', 0],
    ['1.0-a', '1.0-A', 1],
    ['1.0-123456789012345678901234567890', '1.0-123456789012345678901234567891', -1],
  ];
  checkTable('Debian', rows);
  checkTable('Ubuntu:22.04', rows);
  expectInvalid('Debian', ['', 'a1.0', '1.0 1', '1.18.36:5.4', '1.0-', ':1.0', 'x:1.0', '1.0_1']);
});

test('RPM family: rpmvercmp vectors from rpm tests/rpmvercmp.at', () => {
  const rows: Row[] = [
    ['1.0', '1.0', 0], ['1.0', '2.0', -1], ['2.0.1', '2.0', 1], ['2.0.1a', '2.0.1', 1], ['5.5p1', '5.5p2', -1],
    ['5.5p10', '5.5p1', 1], ['10xyz', '10.1xyz', -1], ['xyz10', 'xyz10.1', -1], ['xyz.4', '8', -1], ['xyz.4', '2', -1],
    ['5.5p2', '5.6p1', -1], ['5.6p1', '6.5p1', -1], ['6.0.rc1', '6.0', 1], ['10b2', '10a1', 1], ['10a2', '10b2', -1],
    ['1.0a', '1.0aa', -1], ['10.0001', '10.1', 0], ['10.0001', '10.0039', -1], ['4.999.9', '5.0', -1],
    ['20101121', '20101122', -1], ['2.0', '2_0', 0], ['a+', 'a_', 0], ['+a', '_a', 0], ['_+', '_', 0], ['+', '_', 0],
    ['1.0~rc1', '1.0', -1], ['1.0~rc1', '1.0~rc2', -1], ['1.0~rc1~git123', '1.0~rc1', -1], ['1.0^', '1.0', 1],
    ['1.0^git1', '1.0', 1], ['1.0^git1', '1.0^git2', -1], ['1.0^git1', '1.01', -1], ['1.0^20160101', '1.0.1', -1],
    ['1.0^20160102', '1.0^20160101^git1', 1], ['1.0~rc1^git1', '1.0~rc1', 1], ['1.0^git1', '1.0^git1~pre', 1],
  ];
  for (const [a, b, expected] of rows) {
    assert.equal(rpmvercmp(a, b), expected, `rpmvercmp(${a}, ${b})`);
    assert.equal(rpmvercmp(b, a), -expected || 0, `rpmvercmp(${b}, ${a})`);
  }
  // EVR split as rpm.labelCompare receives it: epoch before the first ':', release after the last '-'.
  const evr: Row[] = [
    ['1:1.0-1', '2.0-1', 1],
    ['0:1.0-1', '1.0-1', 0],
    ['1.0', '1.0-1', -1],
    ['1.0-1.el8', '1.0-1.el8_2', -1],
    ['2.28-151.el8', '2.28-164.el8', -1],
    ['1.0-2.fc38', '1.0-10.fc38', -1],
  ];
  for (const eco of ['Red Hat', 'SUSE', 'openSUSE', 'AlmaLinux', 'Rocky Linux:9', 'Red Hat:enterprise_linux:8::appstream']) checkTable(eco, evr);
  assert.equal(isValidVersion('Red Hat', 'any string: rpm orders it'), true);
  expectInvalid('Red Hat', ['', '-1', '1:-1', '2:']);
});

test('PyPI: PEP 440 order (expected values from packaging)', () => {
  checkAscending('PyPI', ['1.0.dev0', '1.0a1', '1.0a2.dev1', '1.0a2', '1.0b1', '1.0rc1', '1.0c2', '1.0', '1.0+local', '1.0.post1.dev0', '1.0.post1', '1!0.1']);
  checkTable('PyPI', [
    ['1.0', '1.0+local', -1],
    ['1.0+abc', '1.0+5', -1],
    ['1.0+abc.5', '1.0+abc.6', -1],
    ['1.0', '1.0.0', 0],
    ['1.0-1', '1.0.post1', 0],
    ['1.0_RC1', '1.0rc1', 0],
    ['v1.0', '1.0', 0],
    ['1.0a', '1.0a0', 0],
    ['1.0.dev', '1.0.dev0', 0],
    ['1.0-r4', '1.0.post4', 0],
    ['1.0.0.0.0.1', '1.0', 1],
    ['1.0.99999999999999999999', '1.0.99999999999999999998', 1],
  ]);
});

test('PyPI: non-PEP 440 versions are ordered by the legacy rule, before every PEP 440 version', () => {
  assert.equal(isValidVersion('PyPI', '1.0-foo'), false);
  assert.equal(isValidVersion('PyPI', '1.0'), true);
  // legacy < any PEP 440 version, even 0
  checkTable('PyPI', [
    ['1.0-foo', '0', -1],
    ['2013-01-01', '0.0.1', -1],
    ['french toast', '0.dev0', -1],
  ]);
  // legacy among themselves (setuptools' historical parse_version)
  checkAscending('PyPI', ['0.9-foo', '1.0-beta-foo', '1.0.0-foo', '1.0-foo-2', '1.0-p1-foo', '1.1-foo']);
  checkTable('PyPI', [['1.0.0-foo', '1.0-foo', 0]]);
});

test('npm / crates.io: SemVer 2.0 as node-semver and OSV order it', () => {
  const asc = ['0.0.0-0', '0.0.0-alpha', '1.0.0-0', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.10.0', '2.0.0'];
  checkAscending('npm', asc);
  checkAscending('crates.io', asc);
  checkTable('npm', [['1.0.0+build.1', '1.0.0+build.2', 0], ['v1.2.3', '1.2.3', 0], ['1.0', '1.0.0', 0], ['01.0.0', '1.0.0', 0], ['1.0.0.0', '1.0.0', -1]]);
  expectInvalid('npm', ['1.0.0-', 'x', '', '1.0.0 - 2.0.0']);
  expectInvalid('crates.io', ['1.0.0-', '^1.0.0', '~1']);
});

test('Go: v prefix optional, pseudo-versions and +incompatible', () => {
  checkAscending('Go', [
    'v0.0.0-20191109021931-daa7c04131f5',
    'v0.0.0-20200101000000-aaaaaaaaaaaa',
    'v0.1.0',
    'v1.2.3-pre',
    'v1.2.3-pre.0.20200101000000-aaaaaaaaaaaa',
    'v1.2.3',
    'v1.2.4-0.20200101000000-aaaaaaaaaaaa',
    'v1.2.4',
    'v2.0.0+incompatible',
    'v2.1.0',
  ]);
  checkTable('Go', [
    ['1.2.3', 'v1.2.3', 0],
    ['v1', 'v1.0.0', 0],
    ['v1.2', 'v1.2.0', 0],
    ['v2.0.0+incompatible', 'v2.0.0', 0],
  ]);
  // OSV orders these (extra components go to the pre-release part, leading zeros are dropped)
  checkTable('Go', [['v1.2.3.4', 'v1.2.3', -1], ['v01.2.3', 'v1.2.3', 0], ['v1.2-pre', 'v1.2.0', -1]]);
  expectInvalid('Go', ['latest', 'go1.22.0', 'v1.2.', '']);
});

test('Hex: Elixir Version (SemVer 2.0), with the leading v OSV accepts', () => {
  checkAscending('Hex', ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta', '1.0.0', '1.0.1', '1.1.0', '2.0.0']);
  checkTable('Hex', [['1.0.0+build', '1.0.0', 0], ['v1.0.0', '1.0.0', 0], ['v1.2.3', '1.2.4', -1]]);
  expectInvalid('Hex', [' 1.0.0', '1.0.0 ', 'x1.0.0']);
});

test('Maven: ComparableVersion 3.8.7 (expected values from maven-artifact 3.8.7)', () => {
  // Orders from Maven's own ComparableVersionTest, as 3.8.7 labels them.
  checkAscending('Maven', ['1-alpha2snapshot', '1-alpha2', '1-alpha-123', '1-beta-2', '1-beta123', '1-m2', '1-m11', '1-rc', '1-cr2', '1-rc123', '1-SNAPSHOT', '1', '1-sp', '1-sp2', '1-sp123', '1-abc', '1-def', '1-pom-1', '1-1-snapshot', '1-1', '1-2', '1-123']);
  checkAscending('Maven', ['2.0.0.a', '2.0.2', '2.0.123', '2.1.0', '2.1-a', '2.1b', '2.1-c', '2.1-1', '2.1.0.1', '2.2', '2.123', '11.a2', '11.a11', '11.b2', '11.b11', '11.m2', '11.m11', '11', '11.a', '11b', '11c', '11m']);
  checkTable('Maven', [
    ['2.0', '2-1', -1],
    ['2-1', '2.0.a', 1], // 3.8.7; later Maven puts 2-1 before 2.0.a
    ['2.0.a', '2.0.0.a', 0],
    ['1', '1.0.0', 0],
    ['1.0', '1-0', 0],
    ['1-ga', '1', 0],
    ['1-final', '1', 0],
    ['1.0.0.RELEASE', '1.0.0', 0],
    ['1.0-alpha1', '1.0-a1', 0],
    ['1.0.0-M1', '1.0.0-milestone-1', 0],
    ['2.1.1.0', '2.1.1-0.27.0', -1],
    ['1.0.0.RC1', '1.0.0-RC2', -1],
    ['9999999999', '99999999999999999999', -1],
    ['1.0-SNAPSHOT', '1.0-RC', 1],
    ['1-0.alpha', '1', -1],
  ]);
  assert.equal(isValidVersion('Maven', 'any string'), true);
});

test('RubyGems: Gem::Version', () => {
  checkTable('RubyGems', [
    ['1.0', '1.0.0', 0],
    ['1.0.a', '1.0', -1],
    ['5.a', '5.0.0.rc2', -1],
    ['5.x', '5.0.0.rc2', 1],
    ['1.9.3', '1.9.2.99', 1],
    ['1.9.3', '1.9.3.1', -1],
    ['1.0.0-alpha', '1.0.0.pre.alpha', 0],
    ['1.0.b1', '1.0.a2', 1],
    ['1.0.a10', '1.0.a9', 1],
    ['1.0.0.a', '1.0.0.A', 1],
    [' 1.0 ', '1.0', 0],
    ['', '0', 0],
    ['1.123456789012345678901234567890', '1.123456789012345678901234567891', -1],
  ]);
  expectInvalid('RubyGems', ['junk', '1.0_1', '1..0', '-1']);
});

test('Packagist: composer normalize + PHP version_compare', () => {
  assert.equal(composerNormalize('v1.2'), '1.2.0.0');
  assert.equal(composerNormalize('1.0.0-beta.2'), '1.0.0.0-beta2');
  assert.equal(composerNormalize('2.1.3-RC1'), '2.1.3.0-RC1');
  assert.equal(composerNormalize('1.0.0-p1'), '1.0.0.0-patch1');
  assert.equal(composerNormalize('20240101'), '20240101');
  assert.equal(composerNormalize('2024-01-01'), '2024.01.01');
  assert.equal(composerNormalize('1.x-dev'), '1.9999999.9999999.9999999-dev');
  assert.equal(composerNormalize('dev-main'), 'dev-main');
  assert.equal(composerNormalize('1.0+build.5'), '1.0.0.0');
  assert.equal(composerNormalize('1.0.0-SNAPSHOT'), null);
  assert.equal(composerNormalize('1234567890123456789'), '1234567890123456789'); // date form: at most 19 digits
  assert.equal(composerNormalize('12345678901234567890'), null);
  // PHP's own version_compare examples / semantics
  assert.equal(phpVersionCompare('5.2', '5.2.0'), -1);
  assert.equal(phpVersionCompare('1.0rc1', '1.0'), -1);
  assert.equal(phpVersionCompare('1.0pl1', '1.0'), 1);
  assert.equal(phpVersionCompare('1.0-dev', '1.0-alpha'), -1);
  assert.equal(phpVersionCompare('1.0.0', '1.0.0'), 0);
  checkAscending('Packagist', ['dev-main', '1.0.0-dev', '1.0.0-alpha1', '1.0.0-beta', '1.0.0-RC1', '1.0.0', '1.0.0-p1', '1.0.1', '1.10.0', '2024.01.01']);
  checkTable('Packagist', [
    ['0+git2019', '0+git2018', 0], // normalize drops build metadata
    ['v1.0', '1.0.0', 0],
    ['1.0.0-SNAPSHOT', '1.0.0', -1],
    // normalize fails on one side -> PHP version_compare on the raw strings (numbers saturate at 2^63-1)
    ['v12345678901234567890', '1', -1],
    ['1099999999999999999999', '099999999999999999999+.', 1],
  ]);
});

test('CRAN: utils::compareVersion (no padding; NA parts fail only when reached)', () => {
  checkTable('CRAN', [
    ['1.8', '1.8.0', -1],
    ['1.0-1', '1.0.1', 0],
    ['0.0-18.1', '0.4.36', -1],
    ['2.10', '2.9', 1],
    ['1.2.3', '1.2.3', 0],
    ['3.1.20230209161050', '4.0', -1],
  ]);
  expectInvalid('CRAN', ['1.x', '3.1.20230209161050']);
  assert.throws(() => compareVersions('CRAN', '3.1.20230209161050', '3.1.2'), /CRAN version "3\.1\.20230209161050"/);
});

test('Alpine: apk-tools version.c (vectors from apk-tools test/version.data)', () => {
  const rows: Row[] = [
    ['2.34', '0.1.0_alpha', 1], ['0.1.0_alpha', '0.1.0_alpha', 0], ['0.1.0_alpha', '0.1.3_alpha', -1], ['0.1.0_alpha2', '0.1.0_alpha', 1],
    ['0.1.0_alpha', '2.2.39-r1', -1], ['2.2.39-r1', '1.0.4-r3', 1], ['1.0.4-r3', '1.0.4-r4', -1], ['1.0.4-r4', '1.6', -1],
    ['1.1', '1.1_alpha1', 1], ['1.2.1', '1.2', 1], ['1.2', '1.3_alpha', -1], ['1.3_alpha', '1.3_alpha2', -1], ['0.7.0', '0.8_beta1', -1],
    ['0.8_beta1', '0.8_beta2', -1], ['2.3.0b-r1', '2.3.0b-r2', -1], ['0.12.3', '0.12', 1], ['0.12', '0.13_beta1', -1],
    ['1.2.11', '1.2.12.1', -1], ['0.2.0-r1', '3.1_p16', -1], ['3.1_p16', '3.1_p17', -1], ['1.06-r6', '006', -1], ['006', '1.0.0', 1],
    ['1.2.2-r1', '1.2.2', 1], ['2.59', '20050718-r1', -1], ['3.9.8-r5', '2.01.01_alpha10', 1], ['1.0', '0.99.3.20040818', 1],
    ['4.2.52_p2-r1', '4.2.52_p4-r2', -1], ['2.8', '2.20.1', -1], ['20060720', '3.0.20060720', 1], ['2.5.1-r8', '2.5.1a-r1', -1],
    ['20040401', '2.0.0_rc3-r1', 1], ['3.0.0-r2', '021109-r3', -1], ['021109-r3', '20060512', -1], ['0.9.16-r1', '3.9_pre20060124', -1],
    ['1.1.7', '6b-r7', -1], ['0.10.0-r1', '0.10.0', 1], ['0.10.0', '0.10.1_rc1', -1], ['1.0-r1', '0.15.1b', 1], ['0.15.1b-r2', '0.15.1b', 1],
    ['22.7-r1', '22.7.3-r1', -1], ['22.7', '2.1_pre20', 1], ['2.1_pre20', '2.1_pre26', -1], ['2.10.1', '02.08.01b', 1],
    ['3.81', '1.6d', 1], ['1.6d', '1.2.07.8', 1], ['1.2.07.8', '1.2.12.04', -1], ['1.2.12.04', '1.2.12.05', -1],
    ['8.1.2.20040524-r1', '8.1.2.20050715-r1', -1], ['0.20070118', '0.20070207_rc1', -1], ['3.7_p1', '1.3', 1],
    ['4.5_p1-r1', '4.5_p1', 1], ['0.9.8c-r1', '0.9.8d', -1], ['1.7', '1.7b', -1], ['1.8.5', '1.8.5_p2', -1],
    ['2.9.11_pre20051101-r3', '2.9.11_pre20051101', 1], ['0.9.28.1', '087-r1', -1], ['104-r11', '104-r9', 1], ['2.12r-r4', '2.12r-r5', -1],
    ['7.0.17', '7.0.174', -1], ['1.6.8_p12-r1', '1.6.8_p9-r2', 1], ['1.3-r0', '1.3.1-r0', -1], ['1.3_pre1-r1', '1.3.2', -1],
    ['1.0_p10-r0', '1.0_p9-r0', 1], ['0.1.0_alpha_pre2', '0.1.0_alpha', -1], ['1.0.0_pre20191002222144-r0', '1.0.0_pre20210530193627-r0', -1],
  ];
  checkTable('Alpine', rows);
  checkTable('Alpine:v3.18', rows);
  checkTable('Wolfi', [['1.0_git20230101', '1.0', 1], ['1.0_cvs', '1.0_svn', -1], ['1.0_hg', '1.0_p1', -1]]);
  expectInvalid('Alpine', ['', 'a1.0', '1.0-1', '1.0_foo', '1.0bc', '1.0.']);
});

test('NuGet: NuGet.Versioning (VersionComparer.Default)', () => {
  checkAscending('NuGet', ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.0.1', '1.0.1', '1.10.0']);
  checkTable('NuGet', [
    ['1.0', '1.0.0.0', 0],
    ['1', '1.0.0', 0],
    ['1.0.0-BETA', '1.0.0-beta', 0],
    ['1.0.0+meta', '1.0.0', 0],
    ['01.02.03', '1.2.3', 0],
    ['1.0.0-1', '1.0.0-a', -1],
  ]);
  // what NuGet.Versioning refuses but OSV orders
  checkTable('NuGet', [['v1.0', '1.0.0', 0], ['2147483648.0', '2147483647.9', 1], ['1.0.0.0.1', '1.0.0.0', -1]]);
  expectInvalid('NuGet', ['1.0-', '1.0.0-beta..1', 'latest']);
});

test('Pub: pub_semver (builds are ordered too)', () => {
  checkAscending('Pub', ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.0+1', '1.0.0+2', '1.0.0+build', '1.0.1', '1.1.0', '2.0.0']);
  checkTable('Pub', [['1.0.0-beta.01', '1.0.0-beta.1', 0]]);
  // what pub_semver refuses but OSV orders
  checkTable('Pub', [['v1.0.0', '1.0.0', 0], ['1.0', '1.0.0', 0], ['1.0.0.0', '1.0.0', -1], ['18446744073709551616.0.0', '18446744073709551615.0.0', 1]]);
  expectInvalid('Pub', ['1.0.0-', '', 'any']);
});

test('Hackage: PVP version lists', () => {
  checkAscending('Hackage', ['0', '0.1', '0.1.0', '0.1.0.1', '0.2', '1', '1.0', '1.0.0', '1.2', '1.10', '2']);
  checkTable('Hackage', [['1.0-tag', '1.0', 0]]);
  expectInvalid('Hackage', ['', '01.0', '1..0', '1.0.', 'v1.0', '1234567890']);
});

test('parseEcosystem, names and unknown ecosystems', () => {
  assert.deepEqual(parseEcosystem('Debian:12'), { ecosystem: 'Debian', release: '12' });
  assert.deepEqual(parseEcosystem('pypi'), { ecosystem: 'PyPI' });
  assert.deepEqual(parseEcosystem('Red Hat:enterprise_linux:8::appstream'), { ecosystem: 'Red Hat', release: 'enterprise_linux:8::appstream' });
  assert.deepEqual(parseEcosystem('GitHub Actions'), { ecosystem: 'GitHub Actions' });
  assert.equal(isKnownEcosystem('Rocky Linux:9'), true);
  assert.equal(isKnownEcosystem('GitHub Actions'), false);
  for (const eco of ['npm', 'PyPI', 'Maven', 'RubyGems', 'Go', 'crates.io', 'NuGet', 'Packagist', 'Hex', 'Pub', 'CRAN', 'Hackage', 'Debian', 'Ubuntu', 'Red Hat', 'SUSE', 'AlmaLinux', 'Rocky Linux', 'Alpine']) {
    assert.ok(KNOWN_ECOSYSTEMS.includes(eco as (typeof KNOWN_ECOSYSTEMS)[number]), eco);
  }
  assert.throws(
    () => compareVersions('Nope', '1', '2'),
    (e: unknown) => e instanceof MatchError && e.code === 'unknown-ecosystem' && e.exitCode === 2 && e.message.includes('Debian'),
  );
  assert.throws(() => getComparator('Nope:1'), MatchError);
});

test('sortVersions and the parse cache give stable results across many versions', () => {
  const versions = Array.from({ length: 50_000 }, (_, i) => `${i % 97}.${i % 13}.${i}`);
  const cmp = getComparator('npm');
  // fill the cache beyond one generation and compare again: same answers
  const first = versions.map((v, i) => cmp(v, versions[(i + 1) % versions.length] as string));
  const second = versions.map((v, i) => cmp(v, versions[(i + 1) % versions.length] as string));
  assert.deepEqual(second, first);
  assert.deepEqual(sortVersions('Debian', ['1.0-1', '1:0.1', '1.0~rc1-1', '0.9']), ['0.9', '1.0~rc1-1', '1.0-1', '1:0.1']);
  // a cached invalid version keeps failing
  assert.throws(() => compareVersions('npm', 'bad', '1.0.0'), MatchError);
  assert.throws(() => compareVersions('npm', 'bad', '1.0.0'), MatchError);
});
