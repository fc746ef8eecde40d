/**
 * Determinism of every exporter: the same inventory gives identical bytes (twice in a row, from a fresh
 * parse of the same file, and in another process with a different locale and time zone) — and so do a
 * scan's evidence bundle and report.html — and the
 * output for a small hand-made inventory equals the committed golden files in
 * export/testdata/golden/ so that any change of output is noticed in review.
 *
 * After an intended output change, regenerate the golden files with
 *   STELLA_UPDATE_GOLDEN=1 node --import tsx --test engine/sbom/golden.test.ts
 * and review the diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixture, needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { FAST_KDF, PASSPHRASE, needsScannedHome, scanContext, scannedHome } from '../../build/test-support/evidence';
import { openStore } from '../store';
import { exportEvidenceJob } from '../jobs/evidence';
import { reportJob } from '../jobs/report';
import type { Inventory } from '../core';
import { parseSbom } from './index';
import { EXPORT_SPEC_VERSIONS, exportInventory, type ExportFormat } from './export';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const SMALL = here('./export/testdata/small-inventory.json');
const GOLDEN_DIR = here('./export/testdata/golden/');
const DROPWIZARD = ['sbom', 'cyclonedx-bom-examples', 'SBOM', 'dropwizard-1.3.15', 'bom.json'];

const CASES = Object.entries(EXPORT_SPEC_VERSIONS).flatMap(([format, versions]) => versions.map((specVersion) => ({ format: format as ExportFormat, specVersion })));

const loadSmall = (): Inventory => JSON.parse(readFileSync(SMALL, 'utf8')) as Inventory;

for (const { format, specVersion } of CASES) {
  test(`golden: small inventory as ${format} ${specVersion}`, () => {
    const first = exportInventory(loadSmall(), { format, specVersion });
    const second = exportInventory(loadSmall(), { format, specVersion });
    assert.ok(first.bytes.equals(second.bytes), 'two exports of the same inventory differ');
    const golden = `${GOLDEN_DIR}small.${format}-${specVersion}${first.extension}`;
    if (process.env.STELLA_UPDATE_GOLDEN === '1') writeFileSync(golden, first.bytes);
    assert.equal(first.bytes.toString('utf8'), readFileSync(golden, 'utf8'), `output differs from ${golden}`);
  });

  test(`deterministic: real SBOM (dropwizard) as ${format} ${specVersion}, parsed twice`, needsFixtures(...DROPWIZARD), async () => {
    const bytes = readFileSync(fixture(...DROPWIZARD)!);
    const a = exportInventory((await parseSbom(bytes, { fileName: 'bom.json' })).inventory, { format, specVersion });
    const b = exportInventory((await parseSbom(bytes, { fileName: 'bom.json' })).inventory, { format, specVersion });
    assert.ok(a.bytes.length > 10_000);
    assert.ok(a.bytes.equals(b.bytes));
    assert.equal(a.digest, b.digest);
  });
}

test('deterministic across processes with another locale and time zone', () => {
  const script = `
    import { readFileSync } from 'node:fs';
    import { exportInventory, EXPORT_SPEC_VERSIONS } from ${JSON.stringify(here('./export/index.ts'))};
    const inv = JSON.parse(readFileSync(${JSON.stringify(SMALL)}, 'utf8'));
    const out = {};
    for (const [format, versions] of Object.entries(EXPORT_SPEC_VERSIONS)) for (const specVersion of versions) out[format + ' ' + specVersion] = exportInventory(inv, { format, specVersion }).digest;
    process.stdout.write(JSON.stringify(out));
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
  });
  assert.equal(child.status, 0, child.stderr);
  const theirs = JSON.parse(child.stdout) as Record<string, string>;
  const ours = Object.fromEntries(CASES.map(({ format, specVersion }) => [`${format} ${specVersion}`, exportInventory(loadSmall(), { format, specVersion }).digest]));
  assert.deepEqual(theirs, ours);
});

test('deterministic: the evidence bundle and report.html of a scan, twice, and in another process with another locale and time zone', needsScannedHome(), async () => {
  const h = await scannedHome();
  const copy = tempDir('stella-golden-copy-');
  const exportBoth = async (home: string, out: string): Promise<{ bundle: string; report: string }> => {
    const store = openStore({ home });
    try {
      const b = await exportEvidenceJob(store, { scan: 'latest', output: join(out, 'e.tar.gz') }, async () => PASSPHRASE, scanContext(), FAST_KDF);
      const r = await reportJob(store, { scan: 'latest', format: 'html' }, scanContext());
      return { bundle: b.digest, report: r.digest };
    } finally {
      store.close();
    }
  };
  const first = await exportBoth(h.home, tempDir());
  const second = await exportBoth(h.home, tempDir());
  assert.deepEqual(second, first, 'twice in one store');
  // A copy of the store (its transparency log key and entries included: a store with another log would
  // be other inputs) exported in a process with another locale and time zone.
  cpSync(h.home, copy, { recursive: true });
  const script = `
    import { openStore } from ${JSON.stringify(here('../store/index.ts'))};
    import { exportEvidenceJob } from ${JSON.stringify(here('../jobs/evidence.ts'))};
    import { reportJob } from ${JSON.stringify(here('../jobs/report.ts'))};
    import { FAST_KDF, PASSPHRASE, scanContext } from ${JSON.stringify(here('../../build/test-support/evidence.ts'))};
    const store = openStore({ home: ${JSON.stringify(copy)} });
    const b = await exportEvidenceJob(store, { scan: 'latest', output: ${JSON.stringify(join(copy, 'e.tar.gz'))} }, async () => PASSPHRASE, scanContext(), FAST_KDF);
    const r = await reportJob(store, { scan: 'latest', format: 'html' }, scanContext());
    store.close();
    process.stdout.write(JSON.stringify({ bundle: b.digest, report: r.digest }));
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
  });
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(JSON.parse(child.stdout), first, 'another process, locale and time zone, on a copy of the store');
});
