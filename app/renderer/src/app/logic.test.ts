import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LinksetView, ScanSummary } from '../../../common/contract';
import { conflictFields } from '../advisories/AdvisoriesScreen';
import { formatAge } from '../common/ErrorBox';
import { scanVerdict } from '../dashboard/Dashboard';
import { treeRoots } from '../sbom/SbomExplorer';
import { hrefFor, parseHash } from './router';

test('routes: parse and build hash URLs; unknown routes fall back to the dashboard', () => {
  const r = parseHash('#/findings?scan=s1&view=3');
  assert.equal(r.name, 'findings');
  assert.equal(r.params.get('scan'), 's1');
  assert.equal(r.params.get('view'), '3');
  assert.equal(parseHash('').name, 'dashboard');
  assert.equal(parseHash('#/nope').name, 'dashboard');
  assert.equal(hrefFor('advisories', { id: 'CVE-2023-44487', q: '' }), '#/advisories?id=CVE-2023-44487');
  assert.equal(parseHash(hrefFor('sbom', { id: 'a b&c' })).params.get('id'), 'a b&c');
});

test('dependency tree roots: the subject when it has edges, else the refs nothing depends on', () => {
  const comp = (ref: string) => ({ ref, name: ref, type: 'library', licenses: [], hashes: [], locations: [] });
  const deps = [
    { ref: 'app', dependsOn: ['a', 'b'] },
    { ref: 'a', dependsOn: ['b'] },
    { ref: 'tool', dependsOn: ['a'] },
  ];
  assert.deepEqual(treeRoots({ subject: comp('app'), components: [], dependencies: deps }), ['app']);
  assert.deepEqual(treeRoots({ subject: comp('other'), components: [], dependencies: deps }), ['app', 'tool']);
  // a pure cycle has no natural root: start somewhere rather than show nothing
  assert.deepEqual(treeRoots({ components: [], dependencies: [{ ref: 'x', dependsOn: ['y'] }, { ref: 'y', dependsOn: ['x'] }] }), ['x']);
});

test('linkset conflicts map to the observation fields to highlight', () => {
  const ls = {
    id: 'CVE-1',
    aliases: [],
    observations: [],
    conflicts: [
      { type: 'severity-mismatch', observations: ['o1', 'o2'], message: '' },
      { type: 'affected-range-divergence', field: 'affected[0].ranges', observations: ['o2'], message: '' },
    ],
  } as LinksetView;
  const m = conflictFields(ls);
  assert.deepEqual([...(m.get('o1') ?? [])], ['severities']);
  assert.deepEqual([...(m.get('o2') ?? [])].sort(), ['affected', 'severities']);
  assert.equal(m.get('o3'), undefined);
});

test('dashboard verdicts and ages', () => {
  const s = (over: Partial<ScanSummary>): ScanSummary => ({ id: 'x', subject: 'x', snapshot: null, createdAt: '', findingCount: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, none: 0, unknown: 0 }, kevCount: 0, fixableCount: 0, ...over });
  assert.equal(scanVerdict(s({ kevCount: 1 })), 'fail');
  assert.equal(scanVerdict(s({ bySeverity: { critical: 1, high: 0, medium: 0, low: 0, none: 0, unknown: 0 } })), 'fail');
  assert.equal(scanVerdict(s({ bySeverity: { critical: 0, high: 2, medium: 0, low: 0, none: 0, unknown: 0 } })), 'warn');
  assert.equal(scanVerdict(s({ bySeverity: { critical: 0, high: 0, medium: 9, low: 0, none: 0, unknown: 0 } })), 'pass');
  const now = Date.parse('2026-11-28T12:00:00Z');
  assert.equal(formatAge('2026-11-28T11:59:30Z', now), '30 s ago');
  assert.equal(formatAge('2026-11-28T09:00:00Z', now), '3 h ago');
  assert.equal(formatAge('2026-11-20T12:00:00Z', now), '8 days ago');
  assert.equal(formatAge(null, now), 'never');
});
