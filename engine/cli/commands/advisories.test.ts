import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fixture, needsFixtures, REPO_ROOT, tempDir } from '../../../build/test-support/fixtures';
import { runCli } from '../main';

const LOOPBACK = ['advisories', 'npm', 'loopbackio-security', 'advisories'];
const MAVEN = ['advisories', 'maven', 'osv-scalibr-maven-ghsa.jsonl.gz'];
const DSA = ['advisories', 'distro', 'debian-security-tracker', 'DSA', 'list'];
const gate = needsFixtures(...MAVEN);

async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const code = await runCli(argv, { io: { stdout, stderr, cwd, env: { STELLA_HOME: join(cwd, 'home') } } });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

const SBOM = {
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  version: 1,
  serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
  metadata: { component: { type: 'application', name: 'demo-app', version: '1.0.0', 'bom-ref': 'demo-app' } },
  components: [
    { type: 'library', 'bom-ref': 'junit', group: 'junit', name: 'junit', version: '4.12', purl: 'pkg:maven/junit/junit@4.12' },
    { type: 'library', 'bom-ref': 'junit-fixed', group: 'junit', name: 'junit', version: '4.13.1', purl: 'pkg:maven/junit/junit@4.13.1' },
    { type: 'library', 'bom-ref': 'xorg', name: 'xorg-server', version: '2:1.20.11-1+deb11u5', purl: 'pkg:deb/debian/xorg-server@2:1.20.11-1%2Bdeb11u5?distro=debian-11' },
    { type: 'library', 'bom-ref': 'lb', group: '@loopback', name: 'rest', version: '1.0.0', purl: 'pkg:npm/%40loopback/rest@1.0.0' },
  ],
};

let dir: string;
before(async () => {
  if (gate.skip) return;
  dir = tempDir();
  writeFileSync(join(dir, 'bom.json'), JSON.stringify(SBOM, null, 2));
});

test('advisories import --json: report shape, one bad document never aborts, re-import is unchanged', gate, async () => {
  writeFileSync(join(dir, 'broken.json'), '{"id": "X", "affected": [');
  const paths = [fixture(...LOOPBACK) as string, fixture(...MAVEN) as string, fixture(...DSA) as string, join(dir, 'broken.json')];
  const r1 = await cli(['--json', 'advisories', 'import', ...paths, '--imported-at', '2026-01-01T00:00:00Z'], dir);
  assert.equal(r1.code, 0, r1.stderr);
  const j1 = JSON.parse(r1.stdout) as Record<string, unknown> & { rejected: { path: string; error: string }[] };
  for (const k of ['documents', 'new', 'unchanged', 'superseded', 'rejected']) assert.ok(k in j1, k);
  assert.ok((j1.new as number) >= 360);
  assert.ok(j1.rejected.some((x) => x.path === join(dir, 'broken.json')));
  assert.match(r1.stderr, /rejected .*broken\.json/);
  const r2 = await cli(['--json', 'advisories', 'import', ...paths], dir);
  const j2 = JSON.parse(r2.stdout) as Record<string, number>;
  assert.deepEqual([j2.new, j2.superseded, j2.unchanged], [0, 0, j1.new]);
});

test('advisories show / snapshot --json', gate, async () => {
  const show = await cli(['--json', 'advisories', 'show', 'GHSA-269g-pwp5-87pp'], dir);
  assert.equal(show.code, 0, show.stderr);
  const l = JSON.parse(show.stdout) as { id: string; aliases: string[]; observations: { source: string }[]; conflicts: unknown[] };
  assert.equal(l.id, 'CVE-2020-15250');
  assert.deepEqual(l.aliases, ['GHSA-269g-pwp5-87pp']);
  assert.deepEqual(Object.keys(l).slice(0, 4), ['id', 'aliases', 'observations', 'conflicts']);
  const lb = JSON.parse((await cli(['--json', 'advisories', 'show', 'CVE-2020-4988'], dir)).stdout) as { observations: { source: string }[]; conflicts: { kind: string }[] };
  assert.deepEqual(lb.observations.map((o) => o.source), ['csaf', 'osv']);
  const missing = await cli(['--json', 'advisories', 'show', 'CVE-1900-0001'], dir);
  assert.equal(missing.code, 4);

  const snap = await cli(['--json', 'advisories', 'snapshot'], dir);
  const s = JSON.parse(snap.stdout) as { id: string; documentCount: number; sources: { source: string; documents: number; ageSeconds: number }[] };
  assert.match(s.id, /^sha256:[0-9a-f]{64}$/);
  assert.deepEqual(s.sources.map((x) => x.source), ['csaf', 'debian-dsa', 'ghsa', 'osv']);
  assert.ok(s.sources.every((x) => x.ageSeconds > 0));
  const human = await cli(['advisories', 'snapshot'], dir);
  assert.match(human.stdout, /ghsa\s+364 documents/);
});

test('scan --json / --format sarif / --format table', gate, async () => {
  const r = await cli(['--json', 'scan', 'bom.json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { subject: string; snapshot: string; findings: Record<string, unknown>[]; summary: { findings: number; bySeverity: Record<string, number>; fixable: number } };
  assert.match(j.subject, /^demo-app(@1\.0\.0)?@sha256:[0-9a-f]{64}$/);
  assert.match(j.snapshot, /^sha256:/);
  for (const f of j.findings) for (const k of ['id', 'vulnerabilityId', 'aliases', 'purl', 'installedVersion', 'fixedVersions', 'severity', 'kev', 'evidence']) assert.ok(k in f, k);
  const ids = j.findings.map((f) => `${String(f.purl)} ${String(f.vulnerabilityId)}`);
  assert.ok(ids.includes('pkg:maven/junit/junit@4.12 CVE-2020-15250'));
  assert.ok(ids.some((i) => i.startsWith('pkg:deb/debian/xorg-server@') && i.endsWith(' CVE-2023-1393')), ids.join('\n'));
  assert.ok(ids.includes('pkg:npm/%40loopback/rest@1.0.0 CVE-2020-4988'));
  assert.ok(!ids.some((i) => i.startsWith('pkg:maven/junit/junit@4.13.1')));
  assert.equal(j.summary.findings, j.findings.length);

  const sarif = JSON.parse((await cli(['scan', 'bom.json', '--format', 'sarif'], dir)).stdout) as {
    version: string;
    $schema: string;
    runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
  };
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  assert.ok(run);
  assert.equal(run.tool.driver.name, 'stella');
  assert.equal(run.results.length, j.findings.length);
  for (const res of run.results) {
    assert.equal(run.tool.driver.rules[res.ruleIndex]?.id, res.ruleId);
    assert.ok(['error', 'warning', 'note'].includes(res.level));
    assert.match(res.locations[0]?.physicalLocation.artifactLocation.uri ?? '', /^pkg:/);
  }
  const table = await cli(['scan', 'bom.json', '--format', 'table'], dir);
  assert.match(table.stdout, /SEVERITY\s+VULNERABILITY/);
  assert.match(table.stdout, /CVE-2020-15250/);
});

test('aoc verify: 0 when intact, 1 with the violations listed when a blob is corrupted', gate, async () => {
  const ok = await cli(['--json', 'aoc', 'verify'], dir);
  assert.equal(ok.code, 0, ok.stdout);
  const home = join(dir, 'home');
  const { openStore } = await import('../../store');
  const store = openStore({ home });
  const row = store.db.prepare("SELECT digest FROM adv_raw_documents WHERE source = 'osv'").get() as { digest: `sha256:${string}` };
  const p = store.blobs.pathOf(row.digest);
  // Small documents of a batch live in the blob store's database tier, larger ones in files.
  if (existsSync(p)) {
    chmodSync(p, 0o644);
    writeFileSync(p, '{"tampered": true}');
  } else {
    assert.equal(store.db.prepare('UPDATE blob_small SET bytes = ? WHERE digest = ?').run(Buffer.from('{"tampered": true}'), row.digest).changes, 1);
  }
  store.close();
  const bad = await cli(['--json', 'aoc', 'verify'], dir);
  assert.equal(bad.code, 1);
  const rep = JSON.parse(bad.stdout) as { ok: boolean; violations: { kind: string; digest?: string }[] };
  assert.equal(rep.ok, false);
  assert.deepEqual(rep.violations.map((v) => [v.kind, v.digest]), [['blob-corrupt', row.digest]]);
});

test('scan exits 4 with a clear message when no advisories are loaded (spawned binary)', gate, () => {
  const empty = tempDir();
  writeFileSync(join(empty, 'bom.json'), JSON.stringify(SBOM));
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'stella.mjs'), '--home', join(empty, 'home'), 'scan', join(empty, 'bom.json')], { encoding: 'utf8' });
  assert.equal(r.status, 4, r.stderr);
  assert.match(r.stderr, /no advisories are loaded — import some with `stella advisories import`/);
});
