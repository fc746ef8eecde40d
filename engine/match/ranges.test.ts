import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AffectedPackage } from '../core';
import { evaluateAffected } from './ranges';

// Ranges of real advisories (GHSA-269g-pwp5-87pp junit, GHSA-2268-98wh-qfhf jline) and OSV-spec shapes.
const junit: AffectedPackage = { ecosystem: 'Maven', name: 'junit:junit', ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '4.7' }, { fixed: '4.13.1' }] }], versions: [] };
const lastAffected: AffectedPackage = { ecosystem: 'PyPI', name: 'x', ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { last_affected: '1.4.2' }] }], versions: [] };
const twoIntervals: AffectedPackage = {
  ecosystem: 'npm',
  name: 'x',
  ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.3' }, { introduced: '2.0.0' }, { fixed: '2.1.0' }] }],
  versions: [],
};
const limited: AffectedPackage = { ecosystem: 'Go', name: 'x', ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { limit: '1.5.0' }] }], versions: [] };
const gitOnly: AffectedPackage = { ecosystem: 'PyPI', name: 'x', ranges: [{ type: 'GIT', repo: 'https://example.invalid/x', events: [{ introduced: 'abc' }, { fixed: 'def' }] }], versions: [] };
const explicit: AffectedPackage = { ecosystem: 'PyPI', name: 'x', ranges: [], versions: ['1.0', '1.1'] };
const legacy = { ecosystem: 'npm', name: 'x', ranges: [], versions: [], semverRange: '<1.4.1 || >=2.0.0 <2.0.3' };

test('OSV range evaluation: introduced / fixed / last_affected / limit / explicit versions / legacy semver ranges', () => {
  const table: [string, AffectedPackage, string, boolean][] = [
    ['below introduced', junit, '4.6', false],
    ['at introduced', junit, '4.7', true],
    ['inside', junit, '4.12', true],
    ['pre-release below fix (Maven ordering)', junit, '4.13-rc-2', true],
    ['at fixed', junit, '4.13.1', false],
    ['above fixed', junit, '4.13.2', false],
    ['at last_affected', lastAffected, '1.4.2', true],
    ['after last_affected', lastAffected, '1.4.3', false],
    ['first interval', twoIntervals, '1.0.0', true],
    ['between intervals', twoIntervals, '1.5.0', false],
    ['second interval', twoIntervals, '2.0.5', true],
    ['after second fix', twoIntervals, '2.1.0', false],
    ['below limit', limited, '1.4.9', true],
    ['at limit', limited, '1.5.0', false],
    ['explicit version', explicit, '1.1', true],
    ['explicit version, PEP 440 equal spelling', explicit, '1.1.0', true],
    ['not an explicit version', explicit, '1.2', false],
    ['legacy semver range hit', legacy as AffectedPackage, '2.0.1', true],
    ['legacy semver range miss', legacy as AffectedPackage, '1.4.1', false],
  ];
  for (const [name, pkg, v, want] of table) {
    const r = evaluateAffected(v, pkg.ecosystem, pkg);
    assert.equal(r.affected, want, `${name}: ${v}`);
    if (want) assert.ok(r.comparisons.length > 0, `${name}: a match carries the comparisons that decided it`);
  }
});

test('a match records the deciding range and comparisons; fixed versions come from that range', () => {
  const r = evaluateAffected('4.12', 'Maven', junit);
  assert.deepEqual(r.range, { type: 'ECOSYSTEM', events: [{ introduced: '4.7' }, { fixed: '4.13.1' }] });
  assert.deepEqual(r.fixedVersions, ['4.13.1']);
  assert.deepEqual(
    r.comparisons.map((c) => [c.left, c.op, c.right, c.result, c.event]),
    [
      ['4.12', '>=', '4.7', true, 'introduced'],
      ['4.12', '>=', '4.13.1', false, 'fixed'],
    ],
  );
});

test('GIT ranges are skipped with a recorded reason; unparsable versions too', () => {
  const g = evaluateAffected('1.0', 'PyPI', gitOnly);
  assert.equal(g.affected, false);
  assert.match(g.skipped[0] ?? '', /GIT range of https:\/\/example\.invalid\/x skipped/);
  const bad = evaluateAffected('not a version!', 'Maven', { ...junit, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }] });
  assert.equal(bad.affected, false);
  assert.equal(bad.skipped.length, 1);
});
