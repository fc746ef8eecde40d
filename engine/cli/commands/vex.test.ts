/**
 * `stella vex` end to end: the triage round trip (create not_affected → export OpenVEX → valid against
 * the OpenVEX JSON schema → re-import into a fresh home gives the same statement), CycloneDX export
 * validity, exit codes, and the AOC check covering raw VEX documents.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { fixture, needsFixtures, tempDir } from '../../../build/test-support/fixtures';
import { fixedClock, sequentialIds } from '../../core';
import { validateCycloneDxJson } from '../../sbom';
import { openStore } from '../../store';
import { runCli } from '../main';

async function cli(argv: string[], home: string, iso = '2026-02-01T10:00:00.000Z'): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const code = await runCli(['--home', home, ...argv], { io: { stdout, stderr, cwd: home, env: {} }, engine: { clock: fixedClock(iso), ids: sequentialIds() } });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

const gate = needsFixtures('vex', 'openvex-spec', 'openvex_json_schema.json');
const PURL = 'pkg:npm/lodash@4.17.20';

test('triage round trip: create not_affected, export OpenVEX (schema-valid), re-import into a fresh home', gate, async () => {
  const dir = tempDir();
  const home = join(dir, 'home');
  const created = await cli(['--json', 'vex', 'create', '--vuln', 'CVE-2021-23337', '--purl', PURL, '--status', 'not_affected', '--justification', 'vulnerable_code_not_in_execute_path', '--impact', 'template() is never called with user input', '-o', join(dir, 'one.json')], home);
  assert.equal(created.code, 0, created.stderr);
  const c = JSON.parse(created.stdout) as { statement: Record<string, unknown>; file: string };
  assert.deepEqual(c.statement, {
    vulnerability: 'CVE-2021-23337',
    aliases: [],
    product: PURL,
    status: 'not_affected',
    justification: 'vulnerable_code_not_in_execute_path',
    issuer: 'Stella Evidence Workstation (local triage)',
    timestamp: '2026-02-01T10:00:00.000Z',
  });

  // Visible in consensus, as the internal class.
  const cons = await cli(['--json', 'vex', 'consensus', '--vuln', 'CVE-2021-23337', '--purl', PURL], home);
  assert.equal(cons.code, 0, cons.stderr);
  const k = JSON.parse(cons.stdout) as { status: string; statements: { issuerClass: string }[]; digest: string };
  assert.equal(k.status, 'not_affected');
  assert.equal(k.statements[0]?.issuerClass, 'internal');

  const out = join(dir, 'export.openvex.json');
  const ex = await cli(['--json', 'vex', 'export', '--format', 'openvex', '-o', out], home);
  assert.equal(ex.code, 0, ex.stderr);
  const doc = JSON.parse(readFileSync(out, 'utf8')) as unknown;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // The schema uses format "iri", which ajv-formats does not define: accept any string for it.
  ajv.addFormat('iri', true);
  const validate = ajv.compile(JSON.parse(readFileSync(fixture('vex', 'openvex-spec', 'openvex_json_schema.json') as string, 'utf8')) as object);
  assert.ok(validate(doc), JSON.stringify(validate.errors));
  // Deterministic: a second export is byte-identical.
  const again = join(dir, 'again.json');
  await cli(['vex', 'export', '--format', 'openvex', '-o', again], home, '2030-01-01T00:00:00.000Z');
  assert.equal(readFileSync(again, 'utf8'), readFileSync(out, 'utf8'));

  const fresh = join(dir, 'fresh');
  const imp = await cli(['--json', 'vex', 'import', out], fresh);
  assert.equal(imp.code, 0, imp.stderr);
  const r = JSON.parse(imp.stdout) as { documents: number; statements: Record<string, unknown>[]; unmatched: unknown[]; rejected: unknown[] };
  assert.deepEqual(Object.keys(r), ['documents', 'statements', 'unmatched', 'rejected']);
  assert.equal(r.documents, 1);
  assert.deepEqual(r.statements, [c.statement]);
  assert.equal(r.unmatched.length, 1, 'the fresh home holds no SBOM with lodash');
  assert.deepEqual(r.rejected, []);
  // The single-decision file written by -o imports to the same statement too.
  const one = JSON.parse((await cli(['--json', 'vex', 'import', c.file], join(dir, 'fresh2'))).stdout) as { statements: unknown[] };
  assert.deepEqual(one.statements, [c.statement]);
});

test('CycloneDX VEX export validates against CycloneDX 1.6 and round-trips statuses and justifications', async () => {
  const dir = tempDir();
  const home = join(dir, 'home');
  const decisions = [
    ['CVE-2024-0001', 'pkg:deb/debian/openssl@3.0.11-1?arch=amd64', 'not_affected', '--justification', 'inline_mitigations_already_exist'],
    ['CVE-2024-0002', 'pkg:pypi/django@4.2.1', 'affected', '--action', 'upgrade to 4.2.2'],
    ['CVE-2024-0003', 'pkg:npm/left-pad@1.3.0', 'fixed'],
    ['CVE-2024-0004', 'pkg:npm/left-pad@1.3.0', 'under_investigation'],
  ];
  for (const [vuln, purl, status, ...rest] of decisions) {
    const r = await cli(['vex', 'create', '--vuln', vuln!, '--purl', purl!, '--status', status!, ...rest], home);
    assert.equal(r.code, 0, r.stderr);
  }
  const out = join(dir, 'vex.cdx.json');
  assert.equal((await cli(['vex', 'export', '--format', 'cyclonedx', '-o', out], home)).code, 0);
  const doc = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
  assert.deepEqual(validateCycloneDxJson(doc, '1.6'), []);
  const before = JSON.parse((await cli(['--json', 'vex', 'export', '--format', 'openvex', '-o', join(dir, 'x.json')], home)).stdout) as { statements: number };
  assert.equal(before.statements, 4);
  const imp = JSON.parse((await cli(['--json', 'vex', 'import', out], join(dir, 'fresh'))).stdout) as { statements: { vulnerability: string; status: string; justification: string | null; product: string }[] };
  assert.deepEqual(
    imp.statements.map((s) => [s.vulnerability, s.product, s.status, s.justification]),
    decisions.map(([v, p, st, flag, j]) => [v, p, st, flag === '--justification' ? j : null]),
  );
});

test('exit codes: usage 2 for a bad decision, 3 for a rejected document, 4 for an empty export; aoc verify covers VEX', async () => {
  const dir = tempDir();
  const home = join(dir, 'home');
  assert.equal((await cli(['vex', 'create', '--vuln', 'CVE-1', '--purl', PURL, '--status', 'not_affected'], home)).code, 2);
  assert.equal((await cli(['vex', 'create', '--vuln', 'CVE-1', '--purl', PURL, '--status', 'affected'], home)).code, 2);
  assert.equal((await cli(['vex', 'create', '--vuln', 'CVE-1', '--purl', 'not-a-purl', '--status', 'fixed'], home)).code, 2);
  assert.equal((await cli(['vex', 'export', '--format', 'openvex', '-o', join(dir, 'x.json')], home)).code, 4);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'x', author: 'a', statements: [{ vulnerability: { name: 'CVE-1' }, products: [{ '@id': PURL }], status: 'not_affected' }] }));
  const r = await cli(['--json', 'vex', 'import', bad], home);
  assert.equal(r.code, 3);
  const rej = (JSON.parse(r.stdout) as { rejected: { document: string; path: string; code: string; error: string }[] }).rejected;
  assert.deepEqual(rej.map((x) => [x.document, x.path, x.code]), [[bad, '/statements/0/justification', 'invalid-document']]);

  assert.equal((await cli(['vex', 'create', '--vuln', 'CVE-1', '--purl', PURL, '--status', 'fixed'], home)).code, 0);
  const ok = await cli(['--json', 'aoc', 'verify'], home);
  assert.equal(ok.code, 0, ok.stdout);
  assert.equal((JSON.parse(ok.stdout) as { vex: { checked: { documents: number } } }).vex.checked.documents, 1);
  // Tampering with a raw VEX row is refused by the append-only guard; dropping the guard is reported.
  const store = openStore({ home });
  assert.throws(() => store.db.prepare("UPDATE vex_statements SET status = 'affected'").run(), /append-only/);
  store.db.exec('DROP TRIGGER vex_statements_no_update');
  store.db.prepare("UPDATE vex_statements SET status = 'affected'").run();
  store.close();
  const broken = await cli(['--json', 'aoc', 'verify'], home);
  assert.equal(broken.code, 1);
  const kinds = (JSON.parse(broken.stdout) as { vex: { violations: { kind: string }[] } }).vex.violations.map((v) => v.kind).sort();
  assert.deepEqual(kinds, ['append-only-guard-missing', 'statement-mismatch']);
});
