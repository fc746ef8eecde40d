// Start-up: `stella --version` answers without loading the program, and each command loads only what it
// needs before its first byte of work (the job's first progress event) — no SBOM writers, schema
// validators or archive readers for an inventory of an OCI layout or an import of a directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, needsFixtures, REPO_ROOT, tempDir } from '../../build/test-support/fixtures';
import { packagesOf, traceStartup } from '../../build/test-support/startup-trace';
import { runCli } from './main';
import { groupsFor } from './commands';

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

test('stella --version / -V: the package version, exit 0, nothing but the entry loaded', () => {
  for (const flag of ['--version', '-V']) {
    const t = traceStartup([flag]);
    assert.equal(t.status, 0, t.stderr);
    assert.equal(t.stdout, `${VERSION}\n`);
    // (tsx runs the sources when dist/ is not built; it is not part of the program)
    assert.deepEqual(
      packagesOf(t.loadedBeforeWork).filter((p) => p !== 'tsx'),
      [],
      `no package loaded for ${flag}: ${t.loadedBeforeWork.join(', ')}`,
    );
  }
});

test('runCli --version (any host): the version, no command group registered', async () => {
  let out = '';
  const code = await runCli(['--home', tempDir(), '--version'], { io: { stdout: { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream } });
  assert.equal(code, 0);
  assert.equal(out, `${VERSION}\n`);
  assert.deepEqual(groupsFor(['--version']), []);
  assert.deepEqual(groupsFor(['--home', 'x', '-V']), []);
  assert.ok(groupsFor(['--version', '--help']).length > 1, 'help lists every group');
  assert.deepEqual(
    groupsFor(['inventory', '--version']).map((g) => g.noun),
    ['inventory'],
  );
});

const HEAVY = ['@cyclonedx/cyclonedx-library', 'ajv', 'ajv-formats', 'tar-stream', 'yauzl', 'piscina', 'libxmljs2', 'fast-xml-parser', '@sigstore/sign', '@sigstore/verify', 'react'];

test('advisories import of a directory: no archive readers, validators or UI code before the first progress event', needsFixtures('advisories/npm/loopbackio-security'), () => {
  const dir = join(tempDir(), 'feed');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.json'), readFileSync(fixture('advisories', 'npm', 'loopbackio-security', 'advisories', 'lbsa-20201130.osv.json') as string));
  const t = traceStartup(['--home', tempDir(), 'advisories', 'import', dir, '--json']);
  assert.equal(t.status, 0, t.stderr);
  assert.ok(t.progressed, `the first-progress marker is written (stderr: ${t.stderr.slice(-300)})`);
  const loaded = packagesOf(t.loadedBeforeWork);
  assert.deepEqual(
    loaded.filter((p) => HEAVY.includes(p)),
    [],
    `loaded before work: ${loaded.join(', ')}`,
  );
});

test('inventory of a single file: no SBOM writers, schema validators or worker pool before the first progress event', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'requirements.txt'), 'requests==2.31.0\n');
  const t = traceStartup(['--home', tempDir(), 'inventory', join(dir, 'requirements.txt'), '--json']);
  assert.equal(t.status, 0, t.stderr);
  assert.ok(t.progressed);
  const loaded = packagesOf(t.loadedBeforeWork);
  assert.deepEqual(
    loaded.filter((p) => HEAVY.includes(p) && p !== 'tar-stream'),
    [],
    `loaded before work: ${loaded.join(', ')}`,
  );
});
