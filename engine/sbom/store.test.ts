import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fixedClock, sha256Digest } from '../core';
import { openStore } from '../store';
import { fixture, needsFixtures, REPO_ROOT, tempDir } from '../../build/test-support/fixtures';
import { findComponentsByPurl, getSbom, importSbom, listSboms, parseSbom } from './index';

const clock = fixedClock('2026-02-03T04:05:06.000Z');
const EXAMPLES = needsFixtures('sbom', 'cyclonedx-bom-examples');
const laravel = (): string => fixture('sbom', 'cyclonedx-bom-examples', 'SBOM', 'laravel-7.12.0', 'bom.1.4.json') as string;

test('import stores the record, the raw bytes byte-exact, the inventory and queryable components; re-import is idempotent', EXAMPLES, async () => {
  const home = tempDir();
  const store = openStore({ home });
  try {
    const path = laravel();
    const raw = readFileSync(path);
    const rec = await importSbom(store, { path }, { clock });
    const digest = sha256Digest(raw);
    assert.deepEqual(rec, {
      id: `sbom_${digest.slice(7, 31)}`,
      digest,
      format: 'cyclonedx-json',
      specVersion: '1.4',
      name: 'bom.1.4.json',
      componentCount: 62,
      dependencyCount: 113,
      importedAt: '2026-02-03T04:05:06.000Z',
    });
    assert.ok(store.blobs.get(digest).equals(raw), 'raw bytes stored byte-exact');
    const again = await importSbom(store, { bytes: raw, name: 'other-name.json' }, { clock: fixedClock('2030-01-01T00:00:00.000Z') });
    assert.deepEqual(again, rec, 'same bytes → same record, unchanged');
    assert.deepEqual(listSboms(store), [rec]);
    const byId = getSbom(store, rec.id);
    const byDigest = getSbom(store, rec.digest);
    assert.ok(byId && byDigest);
    assert.deepEqual(byId.record, rec);
    const parsed = await parseSbom(raw, { fileName: path });
    assert.deepEqual(byId.inventory, JSON.parse(JSON.stringify(parsed.inventory)), 'stored inventory equals a fresh parse');
    assert.equal(getSbom(store, 'sbom_000000000000000000000000'), null);
    const hits = findComponentsByPurl(store, 'pkg:composer/laravel/framework@v7.30.6');
    assert.deepEqual(hits.map((h) => [h.sbomId, h.name]), [[rec.id, 'framework']]);
    const eco = store.db.prepare('SELECT DISTINCT ecosystem FROM sbom_components WHERE sbom_id = ?').all(rec.id) as { ecosystem: string }[];
    assert.deepEqual(eco.map((e) => e.ecosystem), ['composer']);
    const edges = (store.db.prepare('SELECT COUNT(*) AS n FROM sbom_dependencies WHERE sbom_id = ?').get(rec.id) as { n: number }).n;
    assert.equal(edges, 113);
  } finally {
    store.close();
  }
});

test('componentCount includes nested components and excludes the subject', async () => {
  const store = openStore({ home: tempDir() });
  try {
    const doc = {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      version: 1,
      metadata: { component: { type: 'application', name: 'subject', 'bom-ref': 's' } },
      components: [
        { type: 'library', name: 'a', 'bom-ref': 'a', components: [{ type: 'library', name: 'a1', 'bom-ref': 'a1', components: [{ type: 'library', name: 'a11', 'bom-ref': 'a11' }] }] },
        { type: 'library', name: 'b', 'bom-ref': 'b' },
      ],
      dependencies: [{ ref: 's', dependsOn: ['a', 'b'] }, { ref: 'a', dependsOn: ['a1'] }],
    };
    const rec = await importSbom(store, { bytes: Buffer.from(JSON.stringify(doc)), name: 'nested.json' }, { clock });
    assert.equal(rec.componentCount, 4);
    assert.equal(rec.dependencyCount, 3);
    const parents = store.db.prepare('SELECT ref, parent FROM sbom_components WHERE sbom_id = ? ORDER BY ref').all(rec.id);
    assert.deepEqual(parents.map((r) => ({ ...(r as object) })), [
      { ref: 'a', parent: null },
      { ref: 'a1', parent: 'a' },
      { ref: 'a11', parent: 'a1' },
      { ref: 'b', parent: null },
    ]);
  } finally {
    store.close();
  }
});

const CLI_CHILD = `const { runCli } = await import(${JSON.stringify(new URL('../cli/main.ts', import.meta.url).href)}); process.exitCode = await runCli(process.argv.slice(1));`;

function runChild(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CLI_CHILD, '--', ...args], { cwd: REPO_ROOT, env: { ...process.env, STELLA_HOME: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

test('two processes importing into one home at once do not corrupt it', EXAMPLES, async () => {
  const home = tempDir();
  const a = laravel();
  const b = fixture('sbom', 'cyclonedx-bom-examples', 'SBOM', 'dropwizard-1.3.15', 'bom.json') as string;
  const runs = await Promise.all([
    runChild(['--home', home, '--json', 'sbom', 'import', a]),
    runChild(['--home', home, '--json', 'sbom', 'import', b]),
    runChild(['--home', home, '--json', 'sbom', 'import', a]),
    runChild(['--home', home, '--json', 'sbom', 'import', b]),
  ]);
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  const ids = runs.map((r) => (JSON.parse(r.stdout) as { id: string }).id);
  assert.equal(ids[0], ids[2]);
  assert.equal(ids[1], ids[3]);
  const store = openStore({ home });
  try {
    assert.equal((store.db.pragma('integrity_check') as { integrity_check: string }[])[0]?.integrity_check, 'ok');
    const list = listSboms(store);
    assert.deepEqual(list.map((r) => r.id).sort(), [ids[0], ids[1]].sort());
    assert.deepEqual(list.map((r) => r.componentCount).sort((x, y) => x - y), [62, 167]);
    for (const r of list) assert.ok(store.blobs.verify(r.digest));
  } finally {
    store.close();
  }
});

