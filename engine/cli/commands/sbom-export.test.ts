import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fixture, needsFixtures, tempDir } from '../../../build/test-support/fixtures';
import { sha256Digest } from '../../core';
import { runCli } from '../main';

const DROPWIZARD = ['sbom', 'cyclonedx-bom-examples', 'SBOM', 'dropwizard-1.3.15', 'bom.json'];

async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const code = await runCli(argv, { io: { stdout, stderr, cwd, env: { STELLA_HOME: join(cwd, 'home') } } });
  return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') };
}

test('sbom export FILE: each format, --json summary matches the written bytes', needsFixtures(...DROPWIZARD), async () => {
  const dir = tempDir();
  const input = fixture(...DROPWIZARD)!;
  const rows: [string, string | undefined, string][] = [
    ['cyclonedx-json', undefined, '1.6'],
    ['cyclonedx-json', '1.7', '1.7'],
    ['cyclonedx-xml', '1.7', '1.7'],
    ['spdx-json', undefined, '2.3'],
    ['spdx3-json', undefined, '3.0.1'],
  ];
  for (const [format, spec, wantSpec] of rows) {
    const out = `out-${format}-${wantSpec}`;
    const r = await cli(['--json', 'sbom', 'export', input, '--format', format, ...(spec ? ['--spec-version', spec] : []), '-o', out], dir);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout.toString('utf8')) as Record<string, unknown>;
    const bytes = readFileSync(join(dir, out));
    assert.deepEqual(summary, { output: join(dir, out), format, specVersion: wantSpec, digest: sha256Digest(bytes), componentCount: summary.componentCount });
    assert.ok((summary.componentCount as number) > 50);
  }
  // Nothing but the outputs (no temp files left behind).
  assert.deepEqual(readdirSync(dir).filter((f) => f !== 'home').sort(), rows.map(([f, , v]) => `out-${f}-${v}`).sort());
});

test('sbom export -o - writes the document to stdout; the same bytes as a file', needsFixtures(...DROPWIZARD), async () => {
  const dir = tempDir();
  const input = fixture(...DROPWIZARD)!;
  const a = await cli(['sbom', 'export', input, '--format', 'spdx-json', '-o', '-'], dir);
  assert.equal(a.code, 0, a.stderr);
  const b = await cli(['sbom', 'export', input, '--format', 'spdx-json', '-o', 'x.spdx.json'], dir);
  assert.equal(b.code, 0);
  assert.deepEqual(a.stdout, readFileSync(join(dir, 'x.spdx.json')));
  assert.match(a.stderr, /exported \d+ component\(s\) as spdx-json 2\.3 to -/);
  const c = await cli(['--json', 'sbom', 'export', input, '--format', 'spdx-json', '-o', '-'], dir);
  assert.equal(c.code, 2);
});

test('sbom export by stored id gives the same bytes as from the file', needsFixtures(...DROPWIZARD), async () => {
  const dir = tempDir();
  const input = fixture(...DROPWIZARD)!;
  const imp = await cli(['--json', 'sbom', 'import', input], dir);
  assert.equal(imp.code, 0, imp.stderr);
  const id = (JSON.parse(imp.stdout.toString('utf8')) as { id: string }).id;
  const fromId = await cli(['sbom', 'export', id, '--format', 'cyclonedx-xml', '-o', 'a.xml'], dir);
  assert.equal(fromId.code, 0, fromId.stderr);
  const fromFile = await cli(['sbom', 'export', input, '--format', 'cyclonedx-xml', '-o', 'b.xml'], dir);
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.deepEqual(readFileSync(join(dir, 'a.xml')), readFileSync(join(dir, 'b.xml')));
});

test('sbom export errors: exit codes, messages, nothing written', needsFixtures(...DROPWIZARD), async () => {
  const dir = tempDir();
  const input = fixture(...DROPWIZARD)!;
  const rows: { argv: string[]; code: number; message: RegExp }[] = [
    { argv: ['sbom', 'export', input, '--format', 'cyclonedx-yaml', '-o', 'o'], code: 2, message: /expected one of cyclonedx-json, cyclonedx-xml, spdx-json, spdx3-json/ },
    { argv: ['sbom', 'export', input, '--format', 'cyclonedx-json', '--spec-version', '1.4', '-o', 'o'], code: 2, message: /expected one of 1\.6, 1\.7/ },
    { argv: ['sbom', 'export', 'sbom_doesnotexist', '--format', 'spdx-json', '-o', 'o'], code: 4, message: /sbom_doesnotexist: neither a readable file nor/ },
    { argv: ['sbom', 'export', input, '--format', 'spdx-json', '-o', 'no/such/dir/o.json'], code: 3, message: /does not exist/ },
  ];
  for (const row of rows) {
    const r = await cli(row.argv, dir);
    assert.equal(r.code, row.code, `${row.argv.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, row.message);
  }
  // A missing -o is a commander usage error (its message goes to commander's own output).
  assert.equal((await cli(['sbom', 'export', input, '--format', 'spdx-json'], dir)).code, 2);
  assert.equal(existsSync(join(dir, 'o')), false);
  assert.equal(existsSync(join(dir, 'no')), false);
});
