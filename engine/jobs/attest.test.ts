/**
 * The attest jobs end to end: every predicate type signed with keys of every profile into bundles,
 * verified against the subject; in-toto bundles with their signed manifest; the VSA derived from a
 * verdict chains to the full verdict statement; vulns predicates built from a stored scan.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { type CryptoProfile, type SigningAlgorithm, PREDICATE_TYPES, PROFILE_ALGORITHMS, predicateProblems, smSupport, vulnsPredicateFromScan, cosignVulnPredicateFromScan, type KeystoreOptions } from '../attest';
import { listAudit, verifyAudit } from '../audit';
import { fixedClock } from '../core';
import type { ScanResult } from '../match';
import { openStore, type Store } from '../store';
import { attestSignJob, attestVerifyJob, type AttestType } from './attest';
import { jobContext } from './context';
import { generateKeyJob } from './keys';

const FAST: KeystoreOptions = { kdf: { memoryKiB: 1024, iterations: 1, parallelism: 1 } };
const PASS = async (): Promise<string> => 'correct horse battery staple';
const ctx = () => jobContext({ clock: fixedClock('2026-05-01T10:00:00.000Z', 1000) });

const KEYS: [CryptoProfile, SigningAlgorithm][] = (Object.keys(PROFILE_ALGORITHMS) as CryptoProfile[]).flatMap((p) => PROFILE_ALGORITHMS[p].filter((a) => a !== 'sm2' || smSupport().ok).map((a): [CryptoProfile, SigningAlgorithm] => [p, a]));

async function storeWithKeys(): Promise<{ store: Store; names: string[] }> {
  const store = openStore({ home: tempDir() });
  const names: string[] = [];
  for (const [profile, algorithm] of KEYS) {
    const name = `${profile}-${algorithm}`;
    await generateKeyJob(store, { name, profile, algorithm }, PASS, ctx(), FAST);
    names.push(name);
  }
  return { store, names };
}

const VULNS = {
  scanner: {
    uri: 'pkg:github/aquasecurity/trivy@244fd47e07d1004f0aed9',
    version: '0.19.2',
    db: { uri: 'pkg:github/aquasecurity/trivy-db/commit/4c76bb580b2736d67751410fa4ab66d2b6b9b27d', version: 'v1-2021080612', lastUpdate: '2021-08-06T17:45:50.52Z' },
    result: [{ id: 'CVE-123', severity: [{ method: 'nvd', score: 'medium' }, { method: 'cvss_score', score: '5.2' }] }],
  },
  metadata: { scanStartedOn: '2021-08-06T17:45:50.52Z', scanFinishedOn: '2021-08-06T17:50:50.52Z' },
};

const COSIGN_VULN = { invocation: { parameters: null, uri: '', event_id: '', 'builder.id': '' }, scanner: { uri: 'pkg:github/aquasecurity/trivy@0.45.0', version: '0.45.0', result: { SchemaVersion: 2, Results: [] } }, metadata: { scanStartedOn: '2023-09-01T00:00:00Z', scanFinishedOn: '2023-09-01T00:00:10Z' } };

const VERDICT = {
  policy: { name: 'baseline', version: '3', digest: `sha256:${'ab'.repeat(32)}` },
  verdict: 'block',
  decision: 'fail',
  evaluatedAt: '2026-05-01T10:00:00Z',
  resourceUri: 'pkg:oci/app@sha256:1234',
  snapshot: { id: `sha256:${'cd'.repeat(32)}` },
  rules: [{ id: 'no-kev', outcome: 'block', message: 'CVE-2021-44228 is in KEV' }],
  explain: [{ rule: 'no-kev', steps: [{ finding: 'f1', kev: true }] }],
};

interface Row {
  type: AttestType;
  predicate: () => unknown | string;
  predicateTypes: string[];
  predicateType?: string;
  vulnFormat?: 'in-toto' | 'cosign';
}

const SBOM = needsFixtures('sbom', 'cyclonedx-bom-examples');
const ROWS: Row[] = [
  { type: 'sbom', predicate: () => fixture('sbom', 'cyclonedx-bom-examples', 'SBOM', 'laravel-7.12.0', 'bom.1.4.json') as string, predicateTypes: [PREDICATE_TYPES.cyclonedx] },
  { type: 'sbom', predicate: () => fixture('sbom', 'spdx-examples', 'software', 'example11', 'spdx2.3', 'sbom.spdx.json') as string, predicateTypes: [PREDICATE_TYPES.spdx] },
  { type: 'vuln', predicate: () => VULNS, predicateTypes: [PREDICATE_TYPES.vulns] },
  { type: 'vuln', predicate: () => COSIGN_VULN, predicateTypes: [PREDICATE_TYPES.cosignVuln], vulnFormat: 'cosign' },
  { type: 'vex', predicate: () => fixture('vex', 'openvex-vexctl', 'examples', 'openvex', 'demo.vex.json') as string, predicateTypes: [PREDICATE_TYPES.openvex] },
  { type: 'verdict', predicate: () => VERDICT, predicateTypes: [PREDICATE_TYPES.vsa, PREDICATE_TYPES.verdict] },
  { type: 'custom', predicate: () => ({ anything: [1, 2, 3] }), predicateTypes: ['https://example.com/custom/v1'], predicateType: 'https://example.com/custom/v1' },
];

function predicateFile(dir: string, p: unknown, i: number): string {
  if (typeof p === 'string') return p;
  const f = join(dir, `predicate-${i}.json`);
  writeFileSync(f, JSON.stringify(p));
  return f;
}

test('sign → verify round trip for every predicate type, each signed by a key of every profile', SBOM, async () => {
  const { store, names } = await storeWithKeys();
  const dir = tempDir();
  const subject = join(dir, 'app.tar');
  writeFileSync(subject, 'the subject artifact');
  for (const [i, row] of ROWS.entries()) {
    const out = join(dir, `out-${i}.sigstore.jsonl`);
    const r = await attestSignJob(
      store,
      { type: row.type, predicateFile: predicateFile(dir, row.predicate(), i), subjectFiles: [subject], keys: names, output: out, ...(row.predicateType ? { predicateType: row.predicateType } : {}), ...(row.vulnFormat ? { vulnFormat: row.vulnFormat } : {}) },
      PASS,
      ctx(),
      FAST,
    );
    assert.equal(r.bundles.length, row.predicateTypes.length * names.length, `${row.type}: one bundle per statement and key`);
    assert.deepEqual([...new Set(r.bundles.map((b) => b.predicateType))], row.predicateTypes);
    assert.ok(r.bundles.every((b) => b.logIndex !== undefined), 'every bundle is logged');
    const v = await attestVerifyJob(store, { bundleFile: out, artifact: subject }, ctx());
    assert.equal(v.verified, true, `${row.type}: ${JSON.stringify(v.firstFailure)}`);
    assert.equal(v.items.length, r.bundles.length);
    // another artifact is refused by every bundle
    const other = await attestVerifyJob(store, { bundleFile: out, artifact: `sha256:${'0'.repeat(64)}` }, ctx());
    assert.equal(other.verified, false);
    assert.ok(other.items.every((it) => it.checks.some((c) => c.name === 'artifact-digest' && c.status === 'fail')));
  }
  assert.equal((await verifyAudit(store, { signal: new AbortController().signal })).ok, true);
  assert.equal(listAudit(store, { kind: 'attest.signed' }).length, ROWS.length);
  store.close();
});

test('the verification summary of a verdict chains to the full verdict statement', async () => {
  const store = openStore({ home: tempDir() });
  const dir = tempDir();
  const subject = join(dir, 'app.tar');
  writeFileSync(subject, 'x');
  const out = join(dir, 'v.jsonl');
  await attestSignJob(store, { type: 'verdict', predicateFile: predicateFile(dir, VERDICT, 0), subjectFiles: [subject], keys: [], output: out }, PASS, ctx(), FAST);
  const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { dsseEnvelope: { payload: string } });
  const [vsa, verdict] = lines.map((l) => JSON.parse(Buffer.from(l.dsseEnvelope.payload, 'base64').toString('utf8')) as { predicate: Record<string, unknown> });
  assert.ok(vsa && verdict);
  assert.equal(vsa.predicate.verificationResult, 'FAILED');
  assert.deepEqual(vsa.predicate.verifiedLevels, ['FAILED']);
  const chained = (vsa.predicate.inputAttestations as { digest: { sha256: string } }[])[0]?.digest.sha256;
  assert.equal(chained, createHash('sha256').update(Buffer.from(lines[1]?.dsseEnvelope.payload ?? '', 'base64')).digest('hex'), 'inputAttestations names the verdict statement payload');
  assert.deepEqual(verdict.predicate.explain, VERDICT.explain, 'the explain trace travels verbatim');
  store.close();
});

test('predicates that miss required fields are refused with their paths', async () => {
  const store = openStore({ home: tempDir() });
  const dir = tempDir();
  const subject = join(dir, 's');
  writeFileSync(subject, 's');
  const bad: [AttestType, unknown, RegExp][] = [
    ['vuln', { scanner: { uri: 'x', result: [{ id: 'CVE-1' }] }, metadata: {} }, /\/scanner\/db\/lastUpdate.*\/scanner\/result\/0\/severity: expected an array.*\/metadata\/scanStartedOn/],
    ['vex', { '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'x', author: 'a', timestamp: '2024-01-01T00:00:00Z', version: 1, statements: [{ vulnerability: { name: 'CVE-1' }, status: 'not_affected' }] }, /needs a justification or an impact_statement/],
    ['verdict', { ...VERDICT, decision: 'maybe' }, /\/decision: expected one of pass, fail/],
    ['sbom', { hello: 'world' }, /not a valid SBOM|not a recognized SBOM/],
  ];
  for (const [i, [type, predicate, re]] of bad.entries()) {
    await assert.rejects(attestSignJob(store, { type, predicateFile: predicateFile(dir, predicate, i), subjectFiles: [subject], keys: [], output: join(dir, 'o') }, PASS, ctx(), FAST), re, type);
  }
  store.close();
});

test('in-toto bundle: one multi-signature envelope per statement plus a signed manifest; a dropped or added line is caught', async () => {
  const { store, names } = await storeWithKeys();
  const dir = tempDir();
  const subject = join(dir, 'app.tar');
  writeFileSync(subject, 'the app');
  const intoto = join(dir, 'app.tar.intoto.jsonl');
  await attestSignJob(store, { type: 'verdict', predicateFile: predicateFile(dir, VERDICT, 0), subjectFiles: [subject], keys: names.slice(0, 2), output: join(dir, 'b.jsonl'), intotoOutput: intoto }, PASS, ctx(), FAST);
  const lines = readFileSync(intoto, 'utf8').trim().split('\n');
  assert.equal(lines.length, 3, 'VSA, verdict, manifest');
  assert.equal((JSON.parse(lines[0] as string) as { signatures: unknown[] }).signatures.length, 2, 'each envelope carries both signatures');
  const ok = await attestVerifyJob(store, { bundleFile: intoto, artifact: subject, tlogThreshold: 0 }, ctx());
  assert.equal(ok.verified, true, JSON.stringify(ok.firstFailure));
  assert.ok(ok.items[2]?.checks.some((c) => c.name === 'manifest' && c.status === 'pass'));
  const variants: [string, string[]][] = [
    ['a statement dropped', [lines[1] as string, lines[2] as string]],
    ['a statement duplicated from elsewhere', [...lines, JSON.stringify({ ...JSON.parse(lines[0] as string), payload: Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}').toString('base64') })]],
  ];
  for (const [what, ls] of variants) {
    writeFileSync(intoto, `${ls.join('\n')}\n`);
    const v = await attestVerifyJob(store, { bundleFile: intoto, artifact: subject, tlogThreshold: 0 }, ctx());
    assert.equal(v.verified, false, what);
    assert.ok(v.items.some((it) => it.checks.some((c) => c.name === 'manifest' && c.status === 'fail')), `${what}: the manifest check fails`);
  }
  writeFileSync(intoto, `${[lines[1], lines[0], lines[2]].join('\n')}\n`);
  assert.equal((await attestVerifyJob(store, { bundleFile: intoto, artifact: subject, tlogThreshold: 0 }, ctx())).verified, true, 'order does not matter');
  store.close();
});

test('vulns v0.2 and cosign vuln/v1 predicates built from a stored scan are valid', () => {
  const scan: ScanResult = {
    id: 'scan_1',
    subject: 'app.tar',
    snapshot: `sha256:${'ee'.repeat(32)}`,
    createdAt: '2026-05-01T09:00:00.000Z',
    options: { cpe: false, detection: 'default' },
    summary: { total: 1 } as unknown as ScanResult['summary'],
    findings: [
      {
        id: 'f1',
        vulnerabilityId: 'CVE-2021-44228',
        aliases: ['GHSA-jfh8-c2jp-5v3q'],
        componentRef: 'c1',
        purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
        packageName: 'log4j-core',
        ecosystem: 'Maven',
        installedVersion: '2.14.1',
        fixedVersions: ['2.15.0'],
        severity: { given: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' }], score: 10, level: 'critical' },
        kev: true,
        evidence: [],
      },
    ],
  };
  const snap = { id: scan.snapshot, createdAt: '2026-04-30T00:00:00.000Z' };
  const tool = { uri: 'pkg:generic/stella-evidence-workstation@0.1.0', version: '0.1.0' };
  const v = vulnsPredicateFromScan(scan, snap, tool);
  assert.deepEqual(predicateProblems('vulns', v), []);
  const result = (v.scanner as { result: { id: string; severity: { method: string; score: string }[] }[] }).result;
  assert.equal(result[0]?.id, 'CVE-2021-44228');
  assert.deepEqual(result[0]?.severity.at(-1), { method: 'stella-level', score: 'critical' });
  assert.deepEqual(predicateProblems('cosign-vuln', cosignVulnPredicateFromScan(scan, snap, tool)), []);
});
