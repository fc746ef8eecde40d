/**
 * The findings the policy benches evaluate: 100,000 generated deterministically with the shape and mix
 * of real scans (severities, KEV, EPSS, fixes, four ecosystems, scopes) and a VEX consensus on a fifth.
 */
import { newComponent, type Finding, type SeverityLevel } from '../../engine/core';
import { findingInput, type PolicyFindingInput, type PolicyScanInput, type PolicyVexConsensus } from '../../engine/policy';

export const N = 100_000;
export const DATE = '2026-03-01';

/** A small deterministic generator (the bench must give the same inputs every run). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const LEVELS: SeverityLevel[] = ['critical', 'high', 'high', 'medium', 'medium', 'medium', 'low', 'unknown'];
const ECOS = [
  { eco: 'Maven', purl: (i: number) => `pkg:maven/org.example.g${i % 997}/artifact${i % 311}@1.${i % 17}.${i % 5}` },
  { eco: 'npm', purl: (i: number) => `pkg:npm/pkg-${i % 1231}@${i % 9}.${i % 23}.0` },
  { eco: 'Debian', purl: (i: number) => `pkg:deb/debian/lib${i % 701}@${i % 4}.${i % 9}-${i % 3}?distro=debian-12` },
  { eco: 'Alpine', purl: (i: number) => `pkg:apk/alpine/pkg${i % 401}@${i % 3}.${i % 7}-r${i % 4}` },
];
const CLASSES = ['vendor', 'distro', 'internal', 'community'];

export function makeFinding(i: number, rnd: () => number): Finding {
  const e = ECOS[i % ECOS.length] as (typeof ECOS)[number];
  const level = LEVELS[Math.floor(rnd() * LEVELS.length)] as SeverityLevel;
  const cve = `CVE-20${10 + (i % 15)}-${10000 + (i % 40000)}`;
  return {
    id: `fnd_${i.toString(16).padStart(24, '0')}`,
    vulnerabilityId: cve,
    aliases: i % 3 === 0 ? [`GHSA-${(i % 9000).toString(36)}-bench`] : [],
    componentRef: `c${i}`,
    purl: e.purl(i),
    packageName: `pkg${i}`,
    ecosystem: e.eco,
    installedVersion: `1.${i % 17}.${i % 5}`,
    fixedVersions: rnd() < 0.6 ? [`1.${(i % 17) + 1}.0`] : [],
    severity: { given: [], score: level === 'unknown' ? null : Math.round(rnd() * 100) / 10, level },
    kev: rnd() < 0.02,
    ...(rnd() < 0.3 ? { epss: { score: rnd(), percentile: rnd() } } : {}),
    evidence: [{ rawDocument: { digest: `sha256:${'0'.repeat(64)}`, source: i % 2 ? 'ghsa' : 'debian', uri: 'bench' }, observationId: `obs_${i}`, advisoryId: cve, ecosystem: e.eco, packageName: `pkg${i}`, matchedBy: 'purl', comparisons: [] }],
  };
}

function vexFor(rnd: () => number): PolicyVexConsensus | null {
  if (rnd() >= 0.2) return null;
  const n = 1 + Math.floor(rnd() * 3);
  const statements = Array.from({ length: n }, () => {
    const status = (['not_affected', 'not_affected', 'fixed', 'affected', 'under_investigation'] as const)[Math.floor(rnd() * 5)] ?? 'not_affected';
    return { issuer: `issuer${Math.floor(rnd() * 20)}`, issuerClass: CLASSES[Math.floor(rnd() * 4)] as string, tier: Math.floor(rnd() * 4), weight: rnd(), status, ...(status === 'not_affected' ? { justification: 'vulnerable_code_not_present' } : {}) };
  });
  const first = statements[0] as (typeof statements)[number];
  return { status: first.status, confidence: rnd(), statements, conflicts: rnd() < 0.1 ? [{ statuses: ['affected', 'not_affected'], issuers: ['a', 'b'] }] : [] };
}

export function inputs(): { findings: Finding[]; scan: PolicyScanInput } {
  const rnd = lcg(20260301);
  const findings = Array.from({ length: N }, (_, i) => makeFinding(i, rnd));
  const tags = ['image'];
  const inputsList: PolicyFindingInput[] = findings.map((f, i) =>
    findingInput(f, { component: newComponent({ ref: f.componentRef, name: f.packageName, type: 'library', scope: i % 11 === 0 ? 'optional' : 'required', declared: i % 2 === 0 }), sbomTags: tags, vex: vexFor(rnd) }),
  );
  return { findings, scan: { scan: { id: 'bench', subject: 'bench' }, unknowns: { componentsWithoutPurl: 12, unresolvableRanges: 3 }, findings: inputsList } };
}

