import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock, sequentialIds } from '../core';
import { openStore, type Store } from '../store';
import { listScans } from '../match';
import { fixture, needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { ociImageWithX } from '../../build/test-support/images';
import { cancellationSetup, GHSA_FIXTURE, storeState } from '../../build/test-support/large-inputs';
import { findingDetail, importAdvisoriesJob, jobContext, rescanSbomJob, scanTargetJob, searchAdvisoryGroups, type JobContext, type JobProgress } from './index';

const DROPWIZARD = ['sbom', 'cyclonedx-bom-examples', 'SBOM', 'dropwizard-1.3.15', 'bom.xml'];

// One id source for the whole file: every scan of a store needs its own id.
const ids = sequentialIds();

function ctx(over: Partial<JobContext> = {}): JobContext {
  return jobContext({ clock: fixedClock('2026-01-01T00:00:00.000Z'), ids, ...over });
}

/** One advisory for the Python package `x` 1 (what the small image and lockfile below contain). */
const OSV_X = {
  schema_version: '1.6.0',
  id: 'PYSEC-2099-1',
  aliases: ['CVE-2099-0001'],
  modified: '2026-01-01T00:00:00Z',
  summary: 'x before 2 does something bad',
  affected: [{ package: { ecosystem: 'PyPI', name: 'x' }, versions: ['1'] }],
};

async function storeWith(docs: Record<string, unknown>[]): Promise<Store> {
  const dir = tempDir();
  const paths = docs.map((d, i) => {
    const p = join(dir, `adv-${i}.json`);
    writeFileSync(p, JSON.stringify(d));
    return p;
  });
  const store = openStore({ home: tempDir() });
  await importAdvisoriesJob(store, { paths }, ctx());
  return store;
}

/** An OCI image layout of one layer holding the Python package `x` 1 (build/test-support/images.ts). */
const imageWithX = ociImageWithX;

test('an SBOM target and a re-scan of the stored SBOM name the subject alike and give byte-identical findings', needsFixtures(...DROPWIZARD), async () => {
  const store = openStore({ home: tempDir() });
  try {
    await importAdvisoriesJob(store, { paths: [fixture(...GHSA_FIXTURE) as string] }, ctx());
    const phases: string[] = [];
    const first = await scanTargetJob(store, { path: fixture(...DROPWIZARD) as string }, ctx({ onProgress: (p) => phases.push(p.phase) }));
    assert.equal(first.target, 'sbom');
    assert.equal(first.sbom.name, 'bom.xml');
    assert.equal(first.scan.subject, `io.dropwizard/dropwizard-parent@1.3.15@${first.sbom.digest}`);
    assert.ok(first.scan.findings.length > 10, `${first.scan.findings.length} findings`);
    assert.ok(phases.includes('parsing SBOM') && phases.includes('matching'), phases.join(', '));

    const again = await rescanSbomJob(store, { sbomId: first.sbom.id }, ctx());
    assert.equal(again.target, 'stored-sbom');
    assert.equal(again.scan.subject, first.scan.subject);
    assert.equal(JSON.stringify(again.scan.findings), JSON.stringify(first.scan.findings));
    assert.equal(listScans(store).length, 2);
  } finally {
    store.close();
  }
});

test('an image is inventoried, stored as an SBOM named by its image digest, and re-scanned under the same subject', async () => {
  const store = await storeWith([OSV_X]);
  try {
    const r = await scanTargetJob(store, { path: await imageWithX() }, ctx());
    assert.equal(r.target, 'oci-dir');
    assert.match(r.scan.subject, /^image@sha256:[0-9a-f]{64}$/);
    assert.equal(r.sbom.name, r.scan.subject);
    assert.deepEqual(r.scan.findings.map((f) => `${f.purl} ${f.vulnerabilityId}`), ['pkg:pypi/x@1 CVE-2099-0001']);

    const again = await rescanSbomJob(store, { sbomId: r.sbom.id }, ctx());
    assert.equal(again.scan.subject, r.scan.subject);
    assert.equal(JSON.stringify(again.scan.findings), JSON.stringify(r.scan.findings));

    // The evidence drawer's join: finding → component of the scanned SBOM → observation as stored.
    const f = r.scan.findings[0]!;
    const d = findingDetail(store, r.scan.id, f.id);
    assert.equal(d.component?.purl, 'pkg:pypi/x@1');
    assert.deepEqual(d.evidence.map((e) => e.observation.advisoryId), ['PYSEC-2099-1']);
  } finally {
    store.close();
  }
});

test('a single file is analyzed under the name it was given (an upload stored under a random name)', async () => {
  const store = await storeWith([OSV_X]);
  try {
    const file = join(tempDir(), 'upload-5f2c');
    writeFileSync(file, 'x==1\n');
    const r = await scanTargetJob(store, { path: file, name: 'requirements.txt' }, ctx());
    assert.equal(r.target, 'file');
    assert.deepEqual(r.scan.findings.map((f) => f.vulnerabilityId), ['CVE-2099-0001']);
    assert.equal(r.scan.subject, `requirements.txt@${r.sbom.digest}`);
  } finally {
    store.close();
  }
});

test('without advisories a scan is refused before any work (exit 4) and nothing is stored', async () => {
  const home = tempDir();
  const store = openStore({ home });
  try {
    const before = storeState(home);
    await assert.rejects(scanTargetJob(store, { path: await imageWithX() }, ctx()), (e: unknown) => (e as { code?: string; exitCode?: number }).code === 'no-advisories' && (e as { exitCode: number }).exitCode === 4);
    assert.deepEqual(storeState(home), before);
  } finally {
    store.close();
  }
});

test('search results group one advisory carried by several sources', async () => {
  const dir = tempDir();
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  writeFileSync(a, JSON.stringify(OSV_X));
  // Another source's record of the same advisory: one more alias, no summary.
  const { summary: _summary, ...noSummary } = OSV_X;
  writeFileSync(b, JSON.stringify({ ...noSummary, aliases: ['CVE-2099-0001', 'GHSA-2099-xxxx-yyyy'] }));
  const store = openStore({ home: tempDir() });
  try {
    await importAdvisoriesJob(store, { paths: [a], source: 'mirror-a' }, ctx());
    await importAdvisoriesJob(store, { paths: [b], source: 'mirror-b' }, ctx());
    const want = [{ id: 'PYSEC-2099-1', aliases: ['CVE-2099-0001', 'GHSA-2099-xxxx-yyyy'], sources: ['mirror-a', 'mirror-b'], summary: 'x before 2 does something bad' }];
    assert.deepEqual(searchAdvisoryGroups(store, 'PYSEC-2099'), want);
    assert.deepEqual(searchAdvisoryGroups(store, 'cve-2099-0001'), want);
    assert.deepEqual(searchAdvisoryGroups(store, 'nothing-like-this'), []);
  } finally {
    store.close();
  }
});

test('cancelled mid-way, a 10,000-component scan and a 5,000-document import leave the store as it was', needsFixtures(...GHSA_FIXTURE), async () => {
  const { home, sbom, feed, before } = await cancellationSetup();
  const store = openStore({ home });
  try {
    const cases: { name: string; phase: string; run: (c: JobContext) => Promise<unknown> }[] = [
      { name: 'scan', phase: 'matching', run: (c) => scanTargetJob(store, { path: sbom }, c) },
      { name: 'import', phase: 'importing advisories', run: (c) => importAdvisoriesJob(store, { paths: [feed] }, c) },
    ];
    for (const k of cases) {
      const ac = new AbortController();
      let at: JobProgress | undefined;
      const onProgress = (p: JobProgress): void => {
        if (!at && p.phase === k.phase && p.done > 0) {
          at = p;
          ac.abort();
        }
      };
      await assert.rejects(k.run(ctx({ signal: ac.signal, onProgress })), (e: unknown) => (e as { code?: string }).code === 'cancelled', k.name);
      assert.ok(at && (at.total === undefined || at.done < at.total), `${k.name}: cancelled mid-way (at ${JSON.stringify(at)})`);
      assert.deepEqual(storeState(home), before, `${k.name}: the store is as it was`);
    }
    // The store is still usable, and the same jobs succeed when not cancelled.
    const report = await importAdvisoriesJob(store, { paths: [feed] }, ctx());
    assert.equal(report.new, 5_000);
  } finally {
    store.close();
  }
});
