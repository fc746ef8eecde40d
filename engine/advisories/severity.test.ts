import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cvss2BaseScore, cvss3BaseScore, cvss4ApproxScore, normalizeSeverity, roundUp1 } from './severity';

test('CVSS v3.x base scores match the published scores of real vectors', () => {
  const table: [string, number][] = [
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10.0],
    ['CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H', 5.5], // GHSA-2268-98wh-qfhf (CVE-2023-50572)
    ['CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', 6.5],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:L/I:L/A:N', 4.7],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1], // classic reflected XSS
    ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N', 0],
    ['CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H', 9.1],
  ];
  for (const [v, want] of table) assert.equal(cvss3BaseScore(v), want, v);
});

test('malformed vectors give null, never a guess', () => {
  for (const v of ['CVSS:3.1/AV:N/AC:L', 'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'AV:N', '']) assert.equal(cvss3BaseScore(v), null, v);
  assert.equal(cvss2BaseScore('AV:N/AC:L'), null);
});

test('CVSS v2 base scores', () => {
  assert.equal(cvss2BaseScore('AV:N/AC:L/Au:N/C:P/I:P/A:P'), 7.5);
  assert.equal(cvss2BaseScore('AV:N/AC:M/Au:N/C:N/I:P/A:N'), 4.3);
  assert.equal(cvss2BaseScore('AV:N/AC:L/Au:N/C:C/I:C/A:C'), 10.0);
});

test('Roundup is robust against floating point', () => {
  assert.equal(roundUp1(4.0000000001), 4.0);
  assert.equal(roundUp1(4.02), 4.1);
});

test('CVSS v4 is approximated and labelled as such', () => {
  const s = cvss4ApproxScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N');
  assert.ok(s !== null && s >= 9);
  const n = normalizeSeverity([{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }]);
  assert.equal(n.method, 'cvss-v4-approx');
  assert.equal(n.level, 'critical');
});

test('normalizeSeverity prefers exact v3 over text, reads GHSA text levels, and says unknown when nothing is given', () => {
  const table: [Parameters<typeof normalizeSeverity>[0], number | null, string, string][] = [
    [[{ type: 'text', score: 'MODERATE' }], null, 'medium', 'text'],
    [[{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H' }, { type: 'text', score: 'HIGH' }], 5.5, 'medium', 'cvss-v3'],
    [[{ type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' }], 7.5, 'high', 'cvss-v2'],
    [[{ type: 'cvss_score', score: '9.1' }], 9.1, 'critical', 'numeric'],
    [[], null, 'unknown', 'none'],
  ];
  for (const [given, score, level, method] of table) {
    const n = normalizeSeverity(given);
    assert.deepEqual([n.score, n.level, n.method], [score, level, method], JSON.stringify(given));
  }
});
