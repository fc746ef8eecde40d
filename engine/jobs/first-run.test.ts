import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openStore } from '../store';
import { listSboms } from '../sbom';
import { fixture, needsFixtures, REPO_ROOT } from '../../build/test-support/fixtures';
import { jobContext } from './context';
import { firstRunInventoryJob, hostPackageDatabases } from './first-run';
import { listMediaJob } from './media';

const DPKG = ['analyzers', 'dpkg-rootfs', 'debian-bookworm-built', 'var', 'lib', 'dpkg', 'status'];

test('firstRunInventoryJob stores the app lockfile and an OS database as SBOMs, in one go', needsFixtures(...DPKG), async () => {
  const home = mkdtempSync(join(tmpdir(), 'stella-first-'));
  const store = openStore({ home });
  try {
    const phases: string[] = [];
    const r = await firstRunInventoryJob(
      store,
      { appLockfile: join(REPO_ROOT, 'package-lock.json'), osDatabases: [{ kind: 'os', path: fixture(...DPKG) as string, as: 'var/lib/dpkg/status', name: 'host OS packages (dpkg)' }] },
      jobContext({ onProgress: (p) => phases.push(p.phase) }),
    );
    assert.deepEqual(r.sboms.map((s) => [s.kind, s.status]), [['app', 'imported'], ['os', 'imported']]);
    for (const s of r.sboms) assert.ok(s.components > 10, `${s.name}: ${s.components} components`);
    const stored = listSboms(store).map((s) => s.name).sort();
    assert.deepEqual(stored, ['Stella Evidence Workstation (package-lock.json)', 'host OS packages (dpkg)']);
    assert.ok(phases.includes('storing SBOMs'));
    // idempotent per content: a second run stores nothing new
    await firstRunInventoryJob(store, { appLockfile: join(REPO_ROOT, 'package-lock.json'), osDatabases: [] }, jobContext());
    assert.equal(listSboms(store).length, 2);
  } finally {
    store.close();
    rmSync(home, { recursive: true, force: true });
  }
});

test('firstRunInventoryJob says what it skipped; with nothing at all it refuses', async () => {
  const home = mkdtempSync(join(tmpdir(), 'stella-first-'));
  const store = openStore({ home });
  try {
    const r = await firstRunInventoryJob(store, { appLockfile: join(REPO_ROOT, 'package-lock.json'), osDatabases: [] }, jobContext());
    assert.equal(r.sboms[1]?.status, 'skipped');
    assert.match(r.sboms[1]?.reason ?? '', /no dpkg, apk or rpm database/);
    await assert.rejects(firstRunInventoryJob(store, { appLockfile: join(home, 'absent.json'), osDatabases: [] }, jobContext()), /nothing to inventory/);
  } finally {
    store.close();
    rmSync(home, { recursive: true, force: true });
  }
});

test('hostPackageDatabases finds non-empty databases under a root; listMediaJob lists the exports folder and allowed folders', async () => {
  const root = mkdtempSync(join(tmpdir(), 'stella-root-'));
  const home = mkdtempSync(join(tmpdir(), 'stella-media-'));
  const store = openStore({ home });
  try {
    assert.deepEqual(hostPackageDatabases(root), []);
    const apk = join(root, 'lib/apk/db/installed');
    mkdirSync(dirname(apk), { recursive: true });
    writeFileSync(apk, '');
    assert.deepEqual(hostPackageDatabases(root), [], 'an empty database is not offered');
    writeFileSync(apk, 'P:musl\nV:1.2.4-r2\n\n');
    assert.deepEqual(hostPackageDatabases(root).map((d) => d.as), ['lib/apk/db/installed']);
    const r = await listMediaJob(store, { folders: [root, join(root, 'absent')], removable: async () => [] }, jobContext());
    assert.deepEqual(r.volumes.map((v) => [v.kind, v.path]), [['exports', join(home, 'exports')], ['folder', root]]);
  } finally {
    store.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  }
});
