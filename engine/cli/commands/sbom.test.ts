import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFixtureTarball, fixture, needsFixtures, REPO_ROOT, tempDir } from '../../../build/test-support/fixtures';
import { cli } from '../../../build/test-support/cli';

const EXAMPLES = needsFixtures('sbom', 'cyclonedx-bom-examples');

test('sbom import --json prints exactly id, digest, format, specVersion, componentCount, dependencyCount; list and show read it back', EXAMPLES, async () => {
  const home = tempDir();
  const file = fixture('sbom', 'cyclonedx-bom-examples', 'SBOM', 'proton-bridge', 'proton-bridge-v1.8.0.bom.xml') as string;
  const imp = await cli(['--home', home, '--json', 'sbom', 'import', file]);
  assert.equal(imp.code, 0, imp.stderr);
  const rec = JSON.parse(imp.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(rec).sort(), ['componentCount', 'dependencyCount', 'digest', 'format', 'id', 'specVersion']);
  assert.equal(rec.format, 'cyclonedx-xml');
  assert.equal(rec.specVersion, '1.2');
  assert.equal(rec.componentCount, 201);
  assert.match(String(rec.id), /^sbom_[0-9a-f]{24}$/);

  const again = await cli(['--home', home, '--json', 'sbom', 'import', file]);
  assert.deepEqual(JSON.parse(again.stdout), rec, 'idempotent re-import');

  const list = await cli(['--home', home, '--json', 'sbom', 'list']);
  assert.equal(list.code, 0);
  const records = JSON.parse(list.stdout) as Record<string, unknown>[];
  assert.equal(records.length, 1);
  assert.equal(records[0]?.id, rec.id);

  const human = await cli(['--home', home, 'sbom', 'list']);
  assert.match(human.stdout, /^ID\s+FORMAT\s+SPEC\s+COMPONENTS/m);
  assert.ok(human.stdout.includes(String(rec.id)));

  for (const target of [String(rec.id), String(rec.digest), file]) {
    const show = await cli(['--home', home, '--json', 'sbom', 'show', target]);
    assert.equal(show.code, 0, show.stderr);
    const doc = JSON.parse(show.stdout) as { components: Record<string, unknown>[]; dependencies: unknown[] };
    assert.equal(doc.components.length, 201, target);
    for (const k of ['ref', 'name', 'version', 'purl', 'type']) assert.ok(k in (doc.components[0] ?? {}), `${target}: component has ${k}`);
    assert.ok(doc.dependencies.length > 0);
  }
  const missing = await cli(['--home', home, '--json', 'sbom', 'show', 'sbom_ffffffffffffffffffffffff']);
  assert.equal(missing.code, 4);
  assert.match(missing.stderr, /neither a readable file nor the id or digest of a stored SBOM/);
});

test('show of a file stores nothing', EXAMPLES, async () => {
  const home = tempDir();
  const file = fixture('sbom', 'cyclonedx-bom-examples', 'SBOM', 'laravel-7.12.0', 'bom.1.2.json') as string;
  const show = await cli(['--home', home, 'sbom', 'show', file]);
  assert.equal(show.code, 0);
  assert.match(show.stdout, /REF\s+TYPE\s+NAME\s+VERSION\s+PURL/);
  const list = await cli(['--home', home, '--json', 'sbom', 'list']);
  assert.deepEqual(JSON.parse(list.stdout), []);
});

test('componentCount counts nested components and excludes metadata.component', async () => {
  const dir = tempDir();
  const file = join(dir, 'nested.cdx.json');
  writeFileSync(
    file,
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      version: 1,
      metadata: { component: { type: 'application', name: 'me', 'bom-ref': 'me' } },
      components: [{ type: 'library', name: 'outer', 'bom-ref': 'o', components: [{ type: 'library', name: 'inner', 'bom-ref': 'i' }] }],
    }),
  );
  const r = await cli(['--home', tempDir(), '--json', 'sbom', 'import', 'nested.cdx.json'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { componentCount: number }).componentCount, 2);
});

test('sbom validate: 0 for valid, 3 with path and expectation for invalid', needsFixtures('sbom', 'cyclonedx-spec-tests.tar.gz'), async () => {
  const root = join(extractFixtureTarball('sbom', 'cyclonedx-spec-tests.tar.gz'), 'cyclonedx-spec-tests');
  const ok = await cli(['--json', 'sbom', 'validate', join(root, '1.6', 'valid-bom-1.6.json')]);
  assert.equal(ok.code, 0);
  assert.equal((JSON.parse(ok.stdout) as { valid: boolean }).valid, true);
  const bad = await cli(['--json', 'sbom', 'validate', join(root, '1.5', 'invalid-scope-1.5.xml')]);
  assert.equal(bad.code, 3);
  const res = JSON.parse(bad.stdout) as { valid: boolean; errors: { path: string; expected?: string }[] };
  assert.equal(res.valid, false);
  assert.match(res.errors[0]?.path ?? '', /scope.*line \d+/);
  assert.match(res.errors[0]?.expected ?? '', /'required', 'optional', 'excluded'/);
  const human = await cli(['sbom', 'validate', join(root, '1.4', 'invalid-hash-alg-1.4.json')]);
  assert.equal(human.code, 3);
  assert.match(human.stdout, /\/components\/0\/hashes\/0\/alg: .* — expected one of "MD5"/);
});

test('import of invalid input exits 3 and stores nothing', async () => {
  const home = tempDir();
  const dir = tempDir();
  writeFileSync(join(dir, 'trunc.json'), '{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"lib');
  const r = await cli(['--home', home, '--json', 'sbom', 'import', join(dir, 'trunc.json')]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /trunc\.json: truncated JSON \(the document ends early\) at line 1, column \d+/);
  assert.equal((JSON.parse(r.stdout) as { error: { code: string } }).error.code, 'malformed');
  const list = await cli(['--home', home, '--json', 'sbom', 'list']);
  assert.deepEqual(JSON.parse(list.stdout), []);
});

test('sbom export delegates with its options; the export re-imports with the same components', EXAMPLES, async () => {
  const home = tempDir();
  const out = join(tempDir(), 'out.cdx.json');
  const file = fixture('sbom', 'cyclonedx-bom-examples', 'SBOM', 'laravel-7.12.0', 'bom.1.3.xml') as string;
  const imp = JSON.parse((await cli(['--home', home, '--json', 'sbom', 'import', file])).stdout) as { id: string; componentCount: number };
  const exp = await cli(['--home', home, '--json', 'sbom', 'export', imp.id, '--format', 'cyclonedx-json', '--spec-version', '1.6', '-o', out]);
  assert.equal(exp.code, 0, exp.stderr);
  const back = await cli(['--home', home, '--json', 'sbom', 'import', out]);
  assert.equal(back.code, 0, back.stderr);
  const rec = JSON.parse(back.stdout) as { format: string; specVersion: string; componentCount: number };
  assert.deepEqual([rec.format, rec.specVersion, rec.componentCount], ['cyclonedx-json', '1.6', imp.componentCount]);
  const usage = await cli(['--home', home, 'sbom', 'export', imp.id, '--format', 'cyclonedx-json']);
  assert.equal(usage.code, 2, 'missing -o is a usage error');
});

test('spawned stella process: exit codes 0 and 3', needsFixtures('sbom', 'cyclonedx-spec-tests.tar.gz'), () => {
  const root = join(extractFixtureTarball('sbom', 'cyclonedx-spec-tests.tar.gz'), 'cyclonedx-spec-tests');
  const child = `const { runCli } = await import(${JSON.stringify(new URL('../main.ts', import.meta.url).href)}); process.exitCode = await runCli(process.argv.slice(1));`;
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child, '--', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  const home = tempDir();
  const ok = run(['--home', home, '--json', 'sbom', 'import', join(root, '1.7', 'valid-bom-1.7.xml')]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal((JSON.parse(ok.stdout) as { format: string }).format, 'cyclonedx-xml');
  const bad = run(['--home', home, 'sbom', 'import', join(root, '1.7', 'invalid-component-type-1.7.json')]);
  assert.equal(bad.status, 3);
  assert.match(bad.stderr, /\/components\/0\/type: must be equal to one of the allowed values; expected one of "application"/);
});
