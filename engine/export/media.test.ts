import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Digest } from '../core';
import { buildKitJob } from '../jobs/kit';
import { openStore } from '../store';
import { cli } from '../../build/test-support/cli';
import { needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { FAST, ctxAt, kitInputs, passphrase } from './testdata/kit-fixtures';
import { ExportError, FAT32_MAX_FILE_BYTES, MEDIA_MANIFEST_SUFFIX, writeToMedia } from '.';

test('FAT32 split size is 4 GiB − 1 byte', () => {
  assert.equal(FAT32_MAX_FILE_BYTES, 4 * 1024 ** 3 - 1);
  assert.equal(FAT32_MAX_FILE_BYTES, 4_294_967_295);
});

function source(size: number): { dir: string; file: string; bytes: Buffer } {
  const dir = tempDir('stella-media-src-');
  const bytes = randomBytes(size);
  const file = join(dir, 'kit.tar.gz');
  writeFileSync(file, bytes);
  return { dir, file, bytes };
}

test('files larger than the split size become .partNNN files that join back to the same bytes; stale parts go', async () => {
  const { file, bytes } = source(250_000);
  const to = tempDir('stella-media-to-');
  const phases: string[] = [];
  const r = await writeToMedia({ source: file, targetDir: to }, { maxFileBytes: 100_000, onProgress: (p) => void (phases.at(-1) !== p && phases.push(p)) });
  assert.deepEqual(phases, ['writing', 'reading back']);
  assert.equal(r.split, true);
  assert.deepEqual(readdirSync(to).sort(), ['kit.tar.gz.part000', 'kit.tar.gz.part001', 'kit.tar.gz.part002', `kit.tar.gz${MEDIA_MANIFEST_SUFFIX}`]);
  assert.deepEqual(r.files[0]!.parts.map((p) => p.size), [100_000, 100_000, 50_000]);
  assert.equal(r.files[0]!.digest, sha256Digest(bytes));
  const joined = Buffer.concat(['000', '001', '002'].map((n) => readFileSync(join(to, `kit.tar.gz.part${n}`))));
  assert.deepEqual(joined, bytes);
  assert.deepEqual(r.readBack, { ok: true, files: 3, bytes: 250_000 });
  const manifest = JSON.parse(readFileSync(r.mediaManifest, 'utf8')) as { files: { parts: { path: string; digest: string }[] }[] };
  for (const p of manifest.files[0]!.parts) assert.equal(sha256Digest(readFileSync(join(to, p.path))), p.digest);
  // Written again with a larger split: two parts, the third (stale) part is removed; unsplit: no parts.
  await writeToMedia({ source: file, targetDir: to }, { maxFileBytes: 200_000 });
  assert.deepEqual(readdirSync(to).filter((n) => n.includes('.part')).sort(), ['kit.tar.gz.part000', 'kit.tar.gz.part001']);
  await writeToMedia({ source: file, targetDir: to });
  assert.deepEqual(readdirSync(to).sort(), ['kit.tar.gz', `kit.tar.gz${MEDIA_MANIFEST_SUFFIX}`]);
  assert.deepEqual(readFileSync(join(to, 'kit.tar.gz')), bytes);
});

test('free space is checked first; a cancel or a failure leaves nothing behind; a bad read-back is a trust failure', async () => {
  const { file } = source(300_000);
  const to = tempDir('stella-media-to-');
  await assert.rejects(
    writeToMedia({ source: file, targetDir: to }, { freeBytes: () => 200_000 }),
    (e: unknown) => e instanceof ExportError && e.code === 'no-space' && e.exitCode === 2 && /200000 bytes free/.test(e.message),
  );
  assert.deepEqual(readdirSync(to), []);
  const ac = new AbortController();
  await assert.rejects(
    writeToMedia({ source: file, targetDir: to }, { maxFileBytes: 100_000, signal: ac.signal, onProgress: (_p, done) => void (done >= 100_000 && ac.abort()) }),
    (e: unknown) => (e as { code?: string }).code === 'cancelled',
  );
  assert.deepEqual(readdirSync(to), [], 'a cancelled write removes what it wrote (and its temporary files)');
  // The medium returns other bytes than were written (here: changed just before the read-back).
  await assert.rejects(
    writeToMedia(
      { source: file, targetDir: to },
      {
        maxFileBytes: 100_000,
        onProgress: (p, done) => {
          if (p === 'reading back' && done === 0) {
            const part = join(to, 'kit.tar.gz.part001');
            const b = readFileSync(part);
            b[500] = b[500]! ^ 0xff;
            writeFileSync(part, b);
          }
        },
      },
    ),
    (e: unknown) => e instanceof ExportError && e.code === 'readback-failed' && e.exitCode === 6 && /part001/.test(e.message),
  );
  assert.ok(existsSync(join(to, 'kit.tar.gz.part001')), 'what the medium returned is kept as evidence');
});

test('a kit written to media in parts is imported from there (`stella offline write`, then import by its name)', needsFixtures('advisories', 'distro', 'alpine-secdb', 'v3.5'), async () => {
  const home = tempDir('stella-media-home-');
  const store = openStore({ home });
  const inputs = await kitInputs();
  const kit = await buildKitJob(store, { channel: 'edge', version: '0.1.0', feeds: inputs.feeds, output: join(tempDir('stella-media-kit-'), 'edge-0.1.0.tar.gz') }, passphrase, ctxAt('2025-06-01T00:00:00Z'), FAST);
  store.close();
  const stick = tempDir('stella-stick-');
  const w = await cli(['--home', home, 'offline', 'write', kit.output, '--to', stick, '--split-size', '65536', '--json']);
  assert.equal(w.code, 0, w.stderr);
  const written = JSON.parse(w.stdout) as { target: string; split: boolean; readBack: { ok: boolean } };
  assert.equal(written.split, true);
  assert.equal(existsSync(written.target), false, 'only parts are on the stick');
  const dry = await cli(['--home', home, 'offline', 'import', written.target, '--dry-run', '--json']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal((JSON.parse(dry.stdout) as { digest: string }).digest, kit.digest, 'the joined parts are the kit, byte for byte');
  // A damaged part is found on import.
  const part = join(stick, 'edge-0.1.0.tar.gz.part001');
  const b = readFileSync(part);
  b[100] = b[100]! ^ 0xff;
  writeFileSync(part, b);
  const bad = await cli(['--home', home, 'offline', 'import', written.target, '--json']);
  assert.ok(bad.code === 3 || bad.code === 6, `exit ${bad.code}`);
});
