import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LinksetView, ScanSummary } from '../../../common/contract';
import { conflictFields } from '../advisories/AdvisoriesScreen';
import { formatAge } from '../common/ErrorBox';
import { scanVerdict, verdictTitle } from '../dashboard/Dashboard';
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
  const v = (verdict: 'PASS' | 'WARN' | 'BLOCKED', current = true): ScanSummary['verdict'] => ({
    verdict,
    pack: { name: 'stella-default', version: '1.0.0', digest: 'sha256:0', source: 'builtin:default' },
    evaluationDate: '2026-11-28',
    vexSetDigest: 'sha256:1',
    counts: { PASS: 0, WARN: 0, BLOCKED: 1 },
    rules: [{ rule: 'block_kev', because: 'KEV', findings: 1 }],
    evaluatedAt: '2026-11-28T00:00:00Z',
    current,
  });
  // The verdict is the engine's, whatever the counts say: no rule of the UI's own.
  assert.equal(scanVerdict(s({ kevCount: 1, verdict: v('PASS') })), 'PASS');
  assert.equal(scanVerdict(s({ verdict: v('BLOCKED') })), 'BLOCKED');
  assert.equal(scanVerdict(s({ bySeverity: { critical: 3, high: 0, medium: 0, low: 0, none: 0, unknown: 0 } })), 'none', 'a scan stored before verdicts');
  assert.equal(verdictTitle(v('BLOCKED')), 'stella-default@1.0.0 (builtin:default) on 2026-11-28 — decided by block_kev (1)');
  assert.match(verdictTitle(v('WARN', false)), /made before VEX or the active pack changed$/);
  const now = Date.parse('2026-11-28T12:00:00Z');
  assert.equal(formatAge('2026-11-28T11:59:30Z', now), '30 s ago');
  assert.equal(formatAge('2026-11-28T09:00:00Z', now), '3 h ago');
  assert.equal(formatAge('2026-11-20T12:00:00Z', now), '8 days ago');
  assert.equal(formatAge(null, now), 'never');
});
