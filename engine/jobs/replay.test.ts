/**
 * Replay of a recorded scan: identical from the stored inputs; a new revision of one advisory leaves the
 * pinned replay identical and shows up — as the JSON pointer of the first differing output — when
 * replayed against the new snapshot; missing inputs and broken manifests are refused with their codes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../store';
import { exitCodeOf } from '../core';
import { manifestBytes, manifestDigest, valueAt, type ReplayManifest } from '../replay';
import { tempDir } from '../../build/test-support/fixtures';
import { ociImageWithX } from '../../build/test-support/images';
import { changedAdvisoryFile, needsScannedHome, scanContext, scannedHome } from '../../build/test-support/evidence';
import { importAdvisoriesJob } from './import-advisories';
import { replayJob } from './replay';

function manifestFile(m: unknown): string {
  const p = join(tempDir(), 'scan.replay.json');
  writeFileSync(p, typeof m === 'string' ? m : manifestBytes(m as ReplayManifest));
  return p;
}

test('a recorded scan replays as identical, from the file and from the store', needsScannedHome(), async () => {
  const h = await scannedHome();
  const store = openStore({ home: h.home });
  try {
    for (const ref of [manifestFile(h.manifest), `scan:${h.scanId}`]) {
      const r = await replayJob(store, { manifest: ref }, scanContext());
      assert.equal(r.result, 'identical', ref);
      assert.equal(r.firstDifference, null);
      assert.equal(r.manifest, manifestDigest(h.manifest));
      assert.ok(r.inputs.every((i) => i.status === 'same'), JSON.stringify(r.inputs));
      assert.deepEqual(r.outputs.map((o) => [o.name, o.same]), [['findings', true], ['summary', true], ['verdict', true]]);
    }
  } finally {
    store.close();
  }
});

test('after a new revision of one advisory: the pinned replay is identical, against the new snapshot it names the first differing path', needsScannedHome(), async () => {
  const h = await scannedHome();
  const store = openStore({ home: h.home });
  try {
    const target = h.findings.find((f) => f.evidence.length === 1 && f.severity.level !== 'critical');
    assert.ok(target, 'a finding decided by one advisory');
    const changed = changedAdvisoryFile(store, target);
    const imported = await importAdvisoriesJob(store, { paths: [changed.path] }, scanContext());
    assert.equal(imported.superseded, 1, 'the file is a new revision of a stored advisory');
    const file = manifestFile(h.manifest);

    const pinned = await replayJob(store, { manifest: file }, scanContext());
    assert.equal(pinned.result, 'identical');

    const now = await replayJob(store, { manifest: file, snapshot: 'current' }, scanContext());
    assert.equal(now.result, 'different');
    assert.ok(now.firstDifference?.precise);
    const path = now.firstDifference?.path ?? '';
    const m = /^\/findings\/(\d+)\//.exec(path);
    assert.ok(m, `the difference is inside a finding: ${path}`);
    // the pointer leads to the finding the changed advisory decided
    assert.equal(h.findings[Number(m[1])]?.vulnerabilityId, target.vulnerabilityId);
    assert.deepEqual(valueAt({ findings: h.findings }, path), now.firstDifference?.recorded);
    assert.notDeepEqual(now.firstDifference?.recorded, now.firstDifference?.replayed);
    const advisories = now.inputs.find((i) => i.name === 'advisories');
    assert.equal(advisories?.status, 'overridden');
    assert.equal(advisories?.replayed, imported.snapshot);
    assert.equal(now.outputs.find((o) => o.name === 'findings')?.same, false);
  } finally {
    store.close();
  }
});

test('a manifest whose recorded output digest does not match the stored scan reports the member, not a guess', needsScannedHome(), async () => {
  const h = await scannedHome();
  const store = openStore({ home: h.home });
  try {
    const forged = structuredClone(h.manifest);
    forged.outputs.summary.digest = `sha256:${'0'.repeat(64)}`;
    const r = await replayJob(store, { manifest: manifestFile(forged) }, scanContext());
    assert.equal(r.result, 'different');
    assert.deepEqual(r.firstDifference, { path: '/summary', precise: false });
  } finally {
    store.close();
  }
});

test('inputs the store does not have: exit 4 naming them; a file that is no manifest: exit 3', needsScannedHome(), async () => {
  const h = await scannedHome();
  const fresh = openStore({ home: tempDir() });
  try {
    await assert.rejects(
      () => replayJob(fresh, { manifest: manifestFile(h.manifest) }, scanContext()),
      (e: unknown) => exitCodeOf(e) === 4 && /SBOM sbom_.* is not stored/.test((e as Error).message) && /advisory snapshot sha256:/.test((e as Error).message),
    );
    await assert.rejects(() => replayJob(fresh, { manifest: `scan:${h.scanId}` }, scanContext()), (e: unknown) => exitCodeOf(e) === 4);
    const broken: { name: string; text: string; where: RegExp }[] = [
      { name: 'not JSON', text: '{"type":', where: /not JSON/ },
      { name: 'another type', text: JSON.stringify({ ...h.manifest, type: 'https://example.com/x' }), where: /\/type/ },
      { name: 'a bad digest', text: JSON.stringify({ ...h.manifest, inputs: { ...h.manifest.inputs, advisories: { ...h.manifest.inputs.advisories, snapshot: 'sha256:XYZ' } } }), where: /\/inputs\/advisories\/snapshot/ },
    ];
    for (const b of broken) {
      await assert.rejects(() => replayJob(fresh, { manifest: manifestFile(b.text) }, scanContext()), (e: unknown) => exitCodeOf(e) === 3 && b.where.test((e as Error).message), b.name);
    }
  } finally {
    fresh.close();
  }
});

test('an image scan records the image, its layers and the analyzers, and replays as identical', async () => {
  const { scanTargetJob } = await import('./scan');
  const dir = await ociImageWithX();
  const osv = join(tempDir(), 'x.json');
  writeFileSync(osv, JSON.stringify({ schema_version: '1.6.0', id: 'PYSEC-2099-1', aliases: ['CVE-2099-0001'], modified: '2026-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'PyPI', name: 'x' }, versions: ['1'] }] }));

  const store = openStore({ home: tempDir() });
  try {
    await importAdvisoriesJob(store, { paths: [osv] }, scanContext());
    const r = await scanTargetJob(store, { path: dir, record: true }, scanContext());
    assert.equal(r.scan.findings.length, 1);
    const m = r.replay?.manifest;
    assert.ok(m);
    assert.equal(m.inputs.target.kind, 'oci-dir');
    assert.equal(m.inputs.target.image?.layers.length, 1);
    assert.match(m.inputs.target.image?.digest ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.ok(m.inputs.plugins && m.inputs.plugins.analyzers.some((a) => a.id.startsWith('lang/python')), JSON.stringify(m.inputs.plugins?.analyzers));
    const rep = await replayJob(store, { manifest: manifestFile(m) }, scanContext());
    assert.equal(rep.result, 'identical', JSON.stringify(rep.firstDifference));
    assert.ok(rep.inputs.every((i) => i.status === 'same'), JSON.stringify(rep.inputs));
  } finally {
    store.close();
  }
});
