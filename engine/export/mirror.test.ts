import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentSnapshot } from '../advisories';
import { importAdvisoriesJob } from '../jobs/import-advisories';
import { importVex } from '../jobs/vex';
import { exportMirrorJob } from '../jobs/mirror';
import { writeMediaJob } from '../jobs/kit';
import { openStore } from '../store';
import { cli } from '../../build/test-support/cli';
import { fixture, needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { FAST, consumerTrusting, ctxAt, passphrase } from './testdata/kit-fixtures';
import { parseManifest } from '.';

const skip = needsFixtures('advisories', 'distro', 'alpine-secdb', 'v3.8');

function files(dir: string, rel = ''): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of files(dir, r)) out.set(k, v);
    else out.set(r, readFileSync(join(dir, r)));
  }
  return out;
}

async function importJson(home: string, path: string): Promise<{ code: number; error?: string; json: Record<string, unknown> }> {
  const r = await cli(['--home', home, 'offline', 'import', path, '--json']);
  const json = JSON.parse(r.stdout) as { error?: { code: string } } & Record<string, unknown>;
  return { code: r.code, ...(json.error ? { error: json.error.code } : {}), json };
}

function snap(home: string): string | null {
  const s = openStore({ home });
  try {
    return currentSnapshot(s).id;
  } finally {
    s.close();
  }
}

test('mirror bundles: full then delta, deterministic, imported on another workstation in order; tampering and gaps refused', skip, async () => {
  const producer = openStore({ home: tempDir('stella-mirror-producer-') });
  const ctx = ctxAt('2025-06-01T00:00:00Z');
  await importAdvisoriesJob(producer, { paths: [fixture('advisories', 'distro', 'alpine-secdb', 'v3.5')!] }, ctx);
  await importVex(producer, { paths: [fixture('vex', 'nodejs-security-wg', 'node.openvex.json')!] }, ctx);
  const out = tempDir('stella-mirror-out-');
  const full = await exportMirrorJob(producer, { output: join(out, 'full') }, passphrase, ctx, FAST);
  assert.equal(full.manifest.mode, 'full');
  assert.equal(full.manifest.generation, 1);
  assert.equal(full.manifest.snapshot.advisories, currentSnapshot(producer).id);
  // The same store state exported again: the same generation and the same bytes, file by file.
  const again = await exportMirrorJob(producer, { output: join(out, 'again') }, passphrase, ctxAt('2030-01-01T00:00:00Z'), FAST);
  assert.deepEqual(files(again.output), files(full.output));
  // A folder that exists and is not empty is never overwritten.
  await assert.rejects(exportMirrorJob(producer, { output: full.output }, passphrase, ctx, FAST), /not an empty folder/);

  await importAdvisoriesJob(producer, { paths: [fixture('advisories', 'distro', 'alpine-secdb', 'v3.8')!] }, ctxAt('2025-06-05T00:00:00Z'));
  const delta = await exportMirrorJob(producer, { output: join(out, 'delta'), since: full.snapshot.id }, passphrase, ctxAt('2025-06-05T00:00:00Z'), FAST);
  assert.equal(delta.manifest.mode, 'delta');
  assert.equal(delta.manifest.generation, 2);
  assert.deepEqual(delta.manifest.base, { id: full.snapshot.id, generation: 1 });
  assert.equal(delta.documents.vex, 0, 'unchanged VEX is not in the delta');
  assert.ok(delta.documents.advisories > 0 && delta.manifest.documents.every((d) => d.uri.includes('v3.8')));
  // --since by the advisory snapshot an earlier bundle carried works too; one never exported does not.
  const byAdvisory = await exportMirrorJob(producer, { output: join(out, 'delta2'), since: full.snapshot.advisories!.slice(7, 20) }, passphrase, ctx, FAST);
  assert.deepEqual(files(byAdvisory.output), files(delta.output));
  const unknown = await cli(['--home', producer.home, 'export', 'mirror', '--since', 'sha256:0123456789abcdef', '-o', join(out, 'nope')]);
  assert.equal(unknown.code, 4);

  const home = consumerTrusting(producer);
  // A delta without its base: required data is missing (exit 4), nothing changes.
  const early = await importJson(home, delta.output);
  assert.equal(early.code, 4);
  assert.equal(early.error, 'base-missing');
  assert.equal(snap(home), null);
  assert.equal((await importJson(home, full.output)).code, 0);
  assert.equal(snap(home), full.manifest.snapshot.advisories);

  // Tampered copies of the delta: a changed byte, a missing file, an extra file, a changed manifest.
  const tampers: [string, (dir: string) => void, string][] = [
    ['changed byte', (d) => {
      const f = join(d, parseManifest(readFileSync(join(d, 'manifest.json')), 'm').files[0]!.path);
      const b = readFileSync(f);
      b[0] = b[0]! ^ 0x20;
      writeFileSync(f, b);
    }, 'digest-mismatch'],
    ['missing file', (d) => rmSync(join(d, parseManifest(readFileSync(join(d, 'manifest.json')), 'm').files[0]!.path)), 'file-missing'],
    ['extra file', (d) => writeFileSync(join(d, 'advisories', 'extra.json'), '{}'), 'file-unexpected'],
    ['changed manifest', (d) => appendFileSync(join(d, 'manifest.json'), ' '), 'signature-invalid'],
    ['swapped signature', (d) => cpSync(join(full.output, 'manifest.dsse.json'), join(d, 'manifest.dsse.json')), 'signature-invalid'],
  ];
  for (const [name, change, error] of tampers) {
    const copy = join(tempDir('stella-mirror-tamper-'), 'delta');
    cpSync(delta.output, copy, { recursive: true });
    change(copy);
    const r = await importJson(home, copy);
    assert.equal(r.code, 6, `${name}: exit ${r.code} ${r.error}`);
    assert.equal(r.error, error, name);
    assert.equal(snap(home), full.manifest.snapshot.advisories, `${name}: snapshot changed`);
  }
  // The delta through removable media, its documents split into parts: joined on import.
  const media = tempDir('stella-mirror-media-');
  const written = await writeMediaJob(producer, { source: delta.output, to: media, maxFileBytes: 4096 }, ctx);
  assert.ok(written.split);
  const d = await importJson(home, written.target);
  assert.equal(d.code, 0, JSON.stringify(d.json));
  assert.equal(snap(home), currentSnapshot(producer).id, 'the consumer has the producer’s snapshot');
  // Replaying the full bundle now is non-monotonic.
  assert.equal((await importJson(home, full.output)).code, 8);
  producer.close();
});
