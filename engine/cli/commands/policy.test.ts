/** The `stella policy` contract: commands, flags, JSON field names and exit codes (issue 10). */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, needsFixtures, tempDir } from '../../../build/test-support/fixtures';
import { canonicalJson } from '../../core';
import { cli } from '../../../build/test-support/cli';

function writePack(dir: string, files: Record<string, string>): string {
  for (const [rel, text] of Object.entries({ 'pack.yaml': 'name: draft\nversion: "0.1"\ndescription: a draft\n', ...files })) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const SBOM = ['sbom', 'cyclonedx-bom-examples', 'SBOM', 'dropwizard-1.3.15', 'bom.json'];
const gate = needsFixtures(...SBOM);
let home: string;
let scanFile: string;
let scanId: string;

before(async () => {
  if (gate.skip) return;
  home = tempDir();
  const imp = await cli(['--home', home, '--json', 'advisories', 'import', fixture('advisories', 'maven', 'osv-scalibr-maven-ghsa.jsonl.gz') as string, fixture('advisories', 'kev', 'known_exploited_vulnerabilities.json.gz') as string]);
  assert.equal(imp.code, 0, imp.stderr);
  const scan = await cli(['--home', home, '--json', 'scan', fixture(...SBOM) as string]);
  // The active (shipped default) pack blocks the KEV and critical findings of dropwizard 1.3.15.
  assert.equal(scan.code, 1, scan.stderr);
  assert.equal((JSON.parse(scan.stdout) as { verdict: string }).verdict, 'BLOCKED');
  scanFile = join(tempDir(), 'scan.json');
  writeFileSync(scanFile, scan.stdout);
  scanId = (JSON.parse(scan.stdout) as { scanId: string }).scanId;
});

test('policy lint: exit 0 for a clean pack; exit 3 with file:line:col: message lines on errors', async () => {
  const ok = await cli(['policy', 'lint', 'builtin:default']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, '');
  assert.match(ok.stderr, /0 errors, 0 warnings; digest sha256:[0-9a-f]{64}/);

  const dir = writePack(tempDir(), {
    'rules.stella': 'policy "draft" syntax "stella-dsl@1" {\n  rule a { when sevrity.level == "high" then status := "blocked" because "x" }\n  rule b { when true then warn because "y" }\n  rule c { when epss > 0.5 then warn because "z" }\n}\n',
  });
  const bad = await cli(['policy', 'lint', dir]);
  assert.equal(bad.code, 3);
  const lines = bad.stdout.trim().split('\n');
  assert.deepEqual(lines, ['rules.stella:2:17: error: unknown identifier sevrity.level (did you mean severity.level?)', 'rules.stella:4:8: warning: rule c is unreachable: rule b (rules.stella:3:8, priority 100) decides every finding before it']);
  for (const l of lines) assert.match(l, /^[^:]+:\d+:\d+: .+$/);

  const json = await cli(['--json', 'policy', 'lint', dir]);
  assert.equal(json.code, 3);
  const doc = JSON.parse(json.stdout) as { ok: boolean; errors: number; warnings: number; diagnostics: { file: string; line: number; column: number; severity: string; code: string; message: string }[] };
  assert.deepEqual([doc.ok, doc.errors, doc.warnings], [false, 1, 1]);
  assert.deepEqual(Object.keys(doc.diagnostics[0] ?? {}).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity']);
});

test('policy test: exit 0 when every fixture holds, 1 when one fails, 3 when the pack does not compile', async () => {
  for (const p of ['builtin:default', 'builtin:kev-blocking', 'builtin:distro-vex', 'engine/policy/packs/default']) {
    const r = await cli(['policy', 'test', p]);
    assert.equal(r.code, 0, `${p}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /\d+ passed, 0 failed/);
  }
  const policy = 'policy "draft" syntax "stella-dsl@1" {\n  rule kev { when advisory.kev then status := "blocked" because "known exploited" }\n}\n';
  const failing = writePack(tempDir(), {
    'p.stella': policy,
    'fixtures/kev.yaml': 'evaluationDate: 2026-03-01\nfindings:\n  - { id: log4shell, vulnerability: CVE-2021-44228, kev: true }\nexpect:\n  verdict: WARN\n  findings:\n    log4shell: warn\n',
  });
  const r = await cli(['policy', 'test', failing]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /FAIL fixtures\/kev\.yaml/);
  assert.match(r.stdout, /log4shell: status expected "warn", got "blocked" — "known exploited"/);
  const json = await cli(['--json', 'policy', 'test', failing]);
  assert.equal(json.code, 1);
  assert.deepEqual((JSON.parse(json.stdout) as { failed: number }).failed, 1);

  const broken = writePack(tempDir(), { 'p.stella': 'policy "draft" syntax "stella-dsl@1" { rule { } }' });
  const b = await cli(['policy', 'test', broken]);
  assert.equal(b.code, 3);
  assert.match(b.stderr, /p\.stella:1:45: error: expected a rule name/);
});

test('policy eval --scan FILE|ID --json: {"verdict","findings":[{"id","vulnerabilityId","purl","status","rule","because"}]}; exit 1 when BLOCKED', gate, async () => {
  const byFile = await cli(['--home', home, '--json', 'policy', 'eval', 'builtin:default', '--scan', scanFile, '--date', '2026-03-01']);
  assert.equal(byFile.code, 1, byFile.stderr);
  const doc = JSON.parse(byFile.stdout) as { verdict: string; findings: Record<string, unknown>[]; evaluationDate: string; pack: { name: string } };
  assert.equal(doc.verdict, 'BLOCKED');
  assert.ok(doc.findings.length > 50);
  for (const f of doc.findings) assert.deepEqual(Object.keys(f), ['id', 'vulnerabilityId', 'purl', 'status', 'rule', 'because']);
  assert.ok(doc.findings.some((f) => f.status === 'blocked' && f.rule === 'block_kev' && f.vulnerabilityId === 'CVE-2023-44487'));
  assert.deepEqual([doc.evaluationDate, doc.pack.name], ['2026-03-01', 'stella-default']);

  const byId = await cli(['--home', home, '--json', 'policy', 'eval', 'builtin:default', '--scan', scanId, '--date', '2026-03-01']);
  assert.equal(byId.code, 1);
  assert.deepEqual((JSON.parse(byId.stdout) as typeof doc).findings, doc.findings);

  const human = await cli(['--home', home, 'policy', 'eval', 'builtin:default', '--scan', scanId]);
  assert.equal(human.code, 1);
  assert.match(human.stdout, /^verdict BLOCKED — \d+ blocked, \d+ warn, \d+ pass of \d+ findings$/m);

  const lenient = writePack(tempDir(), { 'p.stella': 'policy "lenient" syntax "stella-dsl@1" {\n  rule all { when true then status := "pass" because "accept everything" }\n}\n' });
  const pass = await cli(['--home', home, '--json', 'policy', 'eval', lenient, '--scan', scanId]);
  assert.equal(pass.code, 0, pass.stderr);
  assert.equal((JSON.parse(pass.stdout) as typeof doc).verdict, 'PASS');

  const env = await cli(['--home', home, '--json', 'policy', 'eval', 'builtin:kev-blocking', '--scan', scanId, '--env', 'exposure=internet', '--date', '2026-03-01']);
  assert.ok((JSON.parse(env.stdout) as typeof doc).findings.some((f) => f.rule === 'critical_internet'));
});

test('policy eval: usage, invalid input and missing data exit codes', gate, async () => {
  const noScan = await cli(['--home', home, 'policy', 'eval', 'builtin:default']);
  assert.equal(noScan.code, 2);
  const badEnv = await cli(['--home', home, 'policy', 'eval', 'builtin:default', '--scan', scanId, '--env', 'no-equals']);
  assert.equal(badEnv.code, 2);
  const badDate = await cli(['--home', home, 'policy', 'eval', 'builtin:default', '--scan', scanId, '--date', '2026-13-01']);
  assert.equal(badDate.code, 3);
  const notJson = join(tempDir(), 'x.json');
  writeFileSync(notJson, '{"subject": 1}');
  const badFile = await cli(['--home', home, '--json', 'policy', 'eval', 'builtin:default', '--scan', notJson]);
  assert.equal(badFile.code, 3);
  assert.match((JSON.parse(badFile.stdout) as { error: { message: string } }).error.message, /\/subject: .*expected a stella scan --json document/);
  const missing = await cli(['--home', home, 'policy', 'eval', 'builtin:default', '--scan', 'scan_000000000000000000000000']);
  assert.equal(missing.code, 4);
  const noPack = await cli(['--home', home, 'policy', 'eval', 'no/such/pack', '--scan', scanId]);
  assert.equal(noPack.code, 3);
});

test('policy simulate --json: counts, changes, rules, histograms; scans by id and file; nothing stored', gate, async () => {
  const r = await cli(['--home', home, '--json', 'policy', 'simulate', '--base', 'builtin:default', '--candidate', 'builtin:kev-blocking', '--scan', scanId, '--scan', scanFile, '--env', 'exposure=internet', '--samples', '2', '--date', '2026-03-01']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as {
    counts: Record<string, number>;
    changes: Record<string, unknown>[];
    rules: Record<string, unknown>[];
    histograms: { before: Record<string, Record<string, number>>; after: Record<string, Record<string, number>> };
    samples: unknown[];
    scans: { scan: string }[];
  };
  assert.deepEqual(Object.keys(doc.counts), ['added', 'removed', 'changed', 'unchanged']);
  assert.ok(doc.changes.length > 0);
  for (const c of doc.changes) for (const k of ['finding', 'vulnerabilityId', 'purl', 'before', 'after', 'rule']) assert.ok(k in c, `change has ${k}`);
  assert.ok(doc.rules.some((x) => x.rule === 'critical_internet'));
  assert.deepEqual(Object.keys(doc.histograms), ['before', 'after']);
  assert.deepEqual(Object.keys(doc.histograms.before.critical ?? {}), ['PASS', 'WARN', 'BLOCKED']);
  assert.equal(doc.samples.length, 2);
  assert.equal(doc.scans.length, 2);
  // Two copies of the same scan: every count is even.
  for (const v of Object.values(doc.counts)) assert.equal(v % 2, 0);

  const list = execFileSync('sqlite3', [join(home, 'stella.db'), 'SELECT count(*) FROM match_scans'], { encoding: 'utf8' }).trim();
  assert.equal(list, '1', 'simulation stored nothing');
  const human = await cli(['--home', home, 'policy', 'simulate', '--base', 'builtin:default', '--candidate', 'builtin:default']);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /added 0 {2}removed 0 {2}changed 0 {2}unchanged \d+/);
});

test('policy explain and compile', gate, async () => {
  const evalDoc = JSON.parse((await cli(['--home', home, '--json', 'policy', 'eval', 'builtin:default', '--scan', scanId])).stdout) as { findings: { id: string; rule: string }[] };
  const kev = evalDoc.findings.find((f) => f.rule === 'block_kev') as { id: string };
  const ex = await cli(['--home', home, '--json', 'policy', 'explain', 'builtin:default', '--scan', scanId, '--finding', kev.id]);
  assert.equal(ex.code, 0, ex.stderr);
  const t = JSON.parse(ex.stdout) as { decision: { rule: string }; rules: unknown[]; inputs: unknown[]; evidence: unknown[]; whatIf: { change: string }[] };
  assert.equal(t.decision.rule, 'block_kev');
  assert.ok(t.inputs.length > 0 && t.evidence.length > 0);
  assert.ok(t.whatIf.some((w) => /vendor-, distro- or internal-class issuer/.test(w.change)));
  const human = await cli(['--home', home, 'policy', 'explain', 'builtin:default', '--scan', scanId, '--finding', kev.id]);
  assert.match(human.stdout, /what would change the verdict:/);

  const compiled = await cli(['--json', 'policy', 'compile', 'builtin:default']);
  const lint = await cli(['--json', 'policy', 'lint', 'builtin:default']);
  assert.equal((JSON.parse(compiled.stdout) as { digest: string }).digest, (JSON.parse(lint.stdout) as { pack: { digest: string } }).pack.digest);
  const canonical = await cli(['policy', 'compile', 'builtin:default']);
  assert.equal(canonical.stdout.trim(), canonicalJson((JSON.parse(compiled.stdout) as { ir: unknown }).ir), 'prints the canonical IR');
});
