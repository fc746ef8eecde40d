/**
 * VEX and policy inside the pipeline, end to end through the `stella` CLI (issue 10's "done when"):
 *
 * - the Node.js Security WG OpenVEX document applied to an SBOM of Node.js versions changes exactly the
 *   verdicts of the findings its statements name (scan → BLOCKED/WARN → import the VEX → re-scan);
 * - a triage `not_affected` exports as schema-valid OpenVEX, re-imports into a fresh home as the same
 *   statement and changes the verdict of the finding it names and no other;
 * - the pack lifecycle: import an immutable version, approve with two keys (activation refused with
 *   one), activate, and `stella scan` judges with it; everything audited.
 *
 * The advisories are written here in the OSV shape for CVEs the VEX document names (ecosystem
 * `Node.js`, package `node`, as the Node.js Security WG's own core advisories name it): a coarse feed
 * that lists every version as affected, so the VEX statements are what decides.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { cli } from '../../../build/test-support/cli';
import { fixture, needsFixtures, tempDir } from '../../../build/test-support/fixtures';
import { listAudit } from '../../audit';
import { openStore } from '../../store';

const NODE_VEX = ['vex', 'nodejs-security-wg', 'node.openvex.json'];
const SCHEMA = ['vex', 'openvex-spec', 'openvex_json_schema.json'];
const gate = needsFixtures(...NODE_VEX);

interface VexDoc {
  statements: { vulnerability: { name: string }; products: { '@id': string }[]; status: string }[];
}

interface ScanDoc {
  scanId: string;
  verdict: string;
  policy: { pack: string; packDigest: string; rules: { rule: string | null; findings: number }[] };
  vex: { lookup: string; setDigest: string };
  findings: { id: string; vulnerabilityId: string; purl: string; policy: { status: string; rule: string | null; because: string | null } }[];
}

const CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const HIGH = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H';

/** An OSV record saying every Node.js version is affected by `cve`. */
function osv(cve: string, vector: string): string {
  return JSON.stringify({
    schema_version: '1.6.0',
    id: cve,
    modified: '2026-01-01T00:00:00Z',
    published: '2026-01-01T00:00:00Z',
    summary: `${cve} in Node.js`,
    severity: [{ type: 'CVSS_V3', score: vector }],
    affected: [{ package: { ecosystem: 'Node.js', name: 'node', purl: 'pkg:nodejs/node' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }],
  });
}

function bom(versions: string[]): string {
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    serialNumber: 'urn:uuid:3b1e5a0c-8f57-4d0e-9a61-5c2f1d3e7a10',
    metadata: { component: { type: 'container', 'bom-ref': 'image', name: 'node-runtimes', version: '1' } },
    components: versions.map((v) => ({ type: 'application', 'bom-ref': `node-${v}`, name: 'node', version: v, purl: `pkg:nodejs/node@${v}` })),
  });
}

async function stella(home: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string) {
  return cli(['--home', home, ...args], cwd, env);
}

async function scanJsonOf(home: string, sbom: string, expectCode: number, extra: string[] = []): Promise<ScanDoc> {
  const r = await stella(home, ['--json', 'scan', sbom, ...extra]);
  assert.equal(r.code, expectCode, r.stderr);
  return JSON.parse(r.stdout) as ScanDoc;
}

/** Per finding `vulnerability purl → status/rule`. */
function decisions(s: ScanDoc): Map<string, string> {
  return new Map(s.findings.map((f) => [`${f.vulnerabilityId} ${f.purl}`, `${f.policy.status}/${f.policy.rule ?? '-'}`]));
}

test('the Node.js OpenVEX document changes exactly the verdicts of the findings its statements name', gate, async () => {
  const vex = JSON.parse(readFileSync(fixture(...NODE_VEX) as string, 'utf8')) as VexDoc;
  // A `fixed` statement about particular versions, a `not_affected` statement about every version, and a
  // CVE the document says nothing about.
  const fixed = vex.statements.find((s) => s.status === 'fixed' && s.products.length >= 2 && s.products.every((p) => /^pkg:nodejs\/node@v\d/.test(p['@id'])));
  const notAffected = vex.statements.find((s) => s.status === 'not_affected' && s.products.some((p) => p['@id'] === 'pkg:nodejs/node'));
  assert.ok(fixed && notAffected, 'the document has both kinds of statement');
  const named = new Set(vex.statements.map((s) => s.vulnerability.name));
  const control = 'CVE-2015-0001';
  assert.ok(!named.has(control));
  const fixedIn = (fixed.products[0] as { '@id': string })['@id'].replace(/^pkg:nodejs\/node@v/, '');
  // The version the statement names, written without the "v" (purls of real SBOMs), and one it does not name.
  const versions = [fixedIn, '0.10.0'];
  assert.ok(!fixed.products.some((p) => p['@id'] === 'pkg:nodejs/node@v0.10.0'));

  const dir = tempDir();
  const feed = join(dir, 'osv');
  mkdirSync(feed);
  writeFileSync(join(feed, 'fixed.json'), osv(fixed.vulnerability.name, CRITICAL));
  writeFileSync(join(feed, 'not-affected.json'), osv(notAffected.vulnerability.name, HIGH));
  writeFileSync(join(feed, 'control.json'), osv(control, HIGH));
  const sbom = join(dir, 'bom.json');
  writeFileSync(sbom, bom(versions));
  const home = join(dir, 'home');
  const imp = await stella(home, ['--json', 'advisories', 'import', feed]);
  assert.equal(imp.code, 0, imp.stderr);

  const before = await scanJsonOf(home, sbom, 1);
  assert.equal(before.verdict, 'BLOCKED');
  assert.equal(before.policy.pack, 'stella-default', 'the shipped default is the active pack');
  assert.equal(before.findings.length, 6, JSON.stringify([...decisions(before)]));
  const p = (v: string) => `pkg:nodejs/node@${v}`;
  assert.deepEqual(
    Object.fromEntries(decisions(before)),
    Object.fromEntries([
      [`${fixed.vulnerability.name} ${p(fixedIn)}`, 'blocked/block_critical'],
      [`${fixed.vulnerability.name} ${p('0.10.0')}`, 'blocked/block_critical'],
      [`${notAffected.vulnerability.name} ${p(fixedIn)}`, 'warn/warn_high'],
      [`${notAffected.vulnerability.name} ${p('0.10.0')}`, 'warn/warn_high'],
      [`${control} ${p(fixedIn)}`, 'warn/warn_high'],
      [`${control} ${p('0.10.0')}`, 'warn/warn_high'],
    ]),
  );
  assert.deepEqual(before.policy.rules.map((r) => [r.rule, r.findings]), [['block_critical', 2]], 'the rules that decided the verdict');

  const vexImport = await stella(home, ['--json', 'vex', 'import', fixture(...NODE_VEX) as string]);
  assert.equal(vexImport.code, 0, vexImport.stderr);

  // A re-scan, and the evaluation of the first scan with the active pack, both see the VEX now.
  const after = await scanJsonOf(home, sbom, 1);
  assert.notEqual(after.vex.setDigest, before.vex.setDigest);
  const changed = [...decisions(after)].filter(([k, v]) => decisions(before).get(k) !== v);
  assert.deepEqual(Object.fromEntries(changed), {
    [`${fixed.vulnerability.name} ${p(fixedIn)}`]: 'pass/accept_trusted_vex',
    [`${notAffected.vulnerability.name} ${p(fixedIn)}`]: 'pass/accept_trusted_vex',
    [`${notAffected.vulnerability.name} ${p('0.10.0')}`]: 'pass/accept_trusted_vex',
  });
  assert.equal(after.verdict, 'BLOCKED', 'node 0.10.0 is still blocked: the fixed statement does not name it');
  const evaluated = await stella(home, ['--json', 'policy', 'eval', 'active', '--scan', before.scanId]);
  assert.equal(evaluated.code, 1);
  const e = JSON.parse(evaluated.stdout) as { findings: { id: string; status: string; rule: string | null }[]; vex: { setDigest: string } };
  assert.equal(e.vex.setDigest, after.vex.setDigest);
  assert.deepEqual(
    e.findings.map((f) => `${f.status}/${f.rule ?? '-'}`),
    before.findings.map((f) => decisions(after).get(`${f.vulnerabilityId} ${f.purl}`)),
  );

  // Only node 0.10.0's critical finding is left: an SBOM with just the fixed version passes the gate (WARN: the control CVE).
  const onlyFixed = join(dir, 'fixed-only.json');
  writeFileSync(onlyFixed, bom([fixedIn]));
  const fixedOnly = await scanJsonOf(home, onlyFixed, 0);
  assert.equal(fixedOnly.verdict, 'WARN');

  // Every step is in the audit trail, in order.
  const store = openStore({ home });
  try {
    const kinds = listAudit(store).map((a) => a.kind);
    assert.deepEqual(kinds, ['advisories.imported', 'sbom.imported', 'scan.completed', 'vex.imported', 'sbom.imported', 'scan.completed', 'sbom.imported', 'scan.completed']);
    const scanned = listAudit(store, { kind: 'scan.completed' })[0];
    assert.equal(scanned?.details.verdict, 'BLOCKED');
    assert.equal(scanned?.details.packDigest, before.policy.packDigest);
  } finally {
    store.close();
  }
});

test('triage round trip: a not_affected decision exports as valid OpenVEX, re-imports into a fresh home as the same statement, and changes that finding only', needsFixtures(...SCHEMA), async () => {
  const dir = tempDir();
  const feed = join(dir, 'osv');
  mkdirSync(feed);
  writeFileSync(join(feed, 'a.json'), osv('CVE-2024-27982', HIGH));
  writeFileSync(join(feed, 'b.json'), osv('CVE-2024-27983', CRITICAL));
  const sbom = join(dir, 'bom.json');
  writeFileSync(sbom, bom(['18.19.0', '20.11.0']));
  const homes = [join(dir, 'a'), join(dir, 'b')];
  for (const h of homes) assert.equal((await stella(h, ['advisories', 'import', feed])).code, 0);

  const first = await scanJsonOf(homes[0] as string, sbom, 1);
  const target = first.findings.find((f) => f.vulnerabilityId === 'CVE-2024-27982' && f.purl === 'pkg:nodejs/node@20.11.0');
  assert.equal(target?.policy.status, 'warn');
  const created = await stella(homes[0] as string, ['--json', 'vex', 'create', '--vuln', 'CVE-2024-27982', '--purl', 'pkg:nodejs/node@20.11.0', '--status', 'not_affected', '--justification', 'vulnerable_code_not_in_execute_path']);
  assert.equal(created.code, 0, created.stderr);
  const statement = (JSON.parse(created.stdout) as { statement: Record<string, unknown> }).statement;

  // Where it was made, the re-scan changes that one finding (our own triage is internal VEX).
  const second = await scanJsonOf(homes[0] as string, sbom, 1);
  const changedHere = second.findings.filter((f, i) => f.policy.status !== first.findings[i]?.policy.status);
  assert.deepEqual(changedHere.map((f) => [f.vulnerabilityId, f.purl, f.policy.status, f.policy.rule]), [['CVE-2024-27982', 'pkg:nodejs/node@20.11.0', 'pass', 'accept_trusted_vex']]);

  const exported = join(dir, 'triage.openvex.json');
  assert.equal((await stella(homes[0] as string, ['vex', 'export', '--format', 'openvex', '-o', exported])).code, 0);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('iri', true);
  const validate = ajv.compile(JSON.parse(readFileSync(fixture(...SCHEMA) as string, 'utf8')) as object);
  assert.ok(validate(JSON.parse(readFileSync(exported, 'utf8'))), JSON.stringify(validate.errors));

  // The fresh home: scanned before the VEX arrives, then the document is imported.
  const freshHome = homes[1] as string;
  const base = await scanJsonOf(freshHome, sbom, 1);
  const imp = await stella(freshHome, ['--json', 'vex', 'import', exported]);
  assert.equal(imp.code, 0, imp.stderr);
  assert.deepEqual((JSON.parse(imp.stdout) as { statements: unknown[] }).statements, [statement], 'the same statement');
  // Another workstation's triage is its issuer's word; this home trusts that workstation as its own.
  const trust = await stella(freshHome, ['vex', 'trust', '--issuer', statement.issuer as string, '--class', 'internal']);
  assert.equal(trust.code, 0, trust.stderr);
  const evaluated = await stella(freshHome, ['--json', 'policy', 'eval', 'builtin:default', '--scan', base.scanId]);
  const e = JSON.parse(evaluated.stdout) as { findings: { id: string; status: string; rule: string | null }[] };
  const changed = e.findings.filter((d, i) => d.status !== base.findings[i]?.policy.status);
  assert.deepEqual(changed.map((d) => [d.id, d.status, d.rule]), [[base.findings.find((f) => f.vulnerabilityId === 'CVE-2024-27982' && f.purl === 'pkg:nodejs/node@20.11.0')?.id, 'pass', 'accept_trusted_vex']]);
});

test('pack lifecycle: import an immutable version, two approvals by distinct keys, activate; stella scan judges with the active pack', async () => {
  const dir = tempDir();
  const home = join(dir, 'home');
  const env = { STELLA_PASSPHRASE: 'correct horse battery staple' };
  const packDir = join(dir, 'strict');
  mkdirSync(join(packDir, 'fixtures'), { recursive: true });
  writeFileSync(join(packDir, 'pack.yaml'), 'name: strict\nversion: "1.0.0"\ndescription: every high or critical finding blocks\n');
  writeFileSync(join(packDir, 'strict.stella'), 'policy "strict" syntax "stella-dsl@1" {\n  settings { default_status = "pass" }\n  rule block_high priority 10 {\n    when severity.level >= "high"\n    then status := "blocked"\n    because "High and critical findings block here"\n  }\n}\n');
  writeFileSync(join(packDir, 'fixtures', 'high.yaml'), 'evaluationDate: 2026-03-01\nfindings:\n  - { id: f1, vulnerability: CVE-1, severity: high }\nexpect:\n  verdict: BLOCKED\n');

  const imported = await stella(home, ['--json', 'policy', 'import', packDir]);
  assert.equal(imported.code, 0, imported.stderr);
  const i = JSON.parse(imported.stdout) as { outcome: string; pack: { name: string; version: string; digest: string; approvalsNeeded: number; files: { path: string }[] }; fixtures: { passed: number } };
  assert.deepEqual([i.outcome, i.pack.name, i.pack.version, i.pack.approvalsNeeded, i.fixtures.passed], ['new', 'strict', '1.0.0', 2, 1]);
  assert.deepEqual(i.pack.files.map((f) => f.path), ['fixtures/high.yaml', 'pack.yaml', 'strict.stella']);
  assert.equal(JSON.parse((await stella(home, ['--json', 'policy', 'import', packDir])).stdout).outcome, 'unchanged');
  // Immutable: the same version with other rules is refused.
  writeFileSync(join(packDir, 'strict.stella'), readFileSync(join(packDir, 'strict.stella'), 'utf8').replace('>= "high"', '== "critical"'));
  const changed = await stella(home, ['policy', 'import', packDir]);
  assert.equal(changed.code, 3);
  assert.match(changed.stderr, /strict@1\.0\.0 is already imported with digest sha256:[0-9a-f]{64}.*another version/);

  for (const name of ['alice', 'bob']) assert.equal((await stella(home, ['keys', 'generate', '--profile', 'world', '--name', name], env)).code, 0);
  const notYet = await stella(home, ['policy', 'activate', 'strict@1.0.0']);
  assert.equal(notYet.code, 1);
  assert.match(notYet.stderr, /0 valid approvals and needs 2 from distinct keys/);
  const a1 = await stella(home, ['--json', 'policy', 'approve', 'strict@1.0.0', '--key', 'alice'], env);
  assert.equal(a1.code, 0, a1.stderr);
  assert.equal((JSON.parse(a1.stdout) as { pack: { approvalsNeeded: number } }).pack.approvalsNeeded, 1);
  assert.equal((await stella(home, ['policy', 'approve', 'strict@1.0.0', '--key', 'alice'], env)).code, 1, 'one key approves once');
  const oneKey = await stella(home, ['policy', 'activate', 'strict@1.0.0']);
  assert.equal(oneKey.code, 1);
  assert.match(oneKey.stderr, /1 valid approval and needs 2/);
  assert.equal((await stella(home, ['policy', 'approve', 'strict@1.0.0', '--key', 'bob'], env)).code, 0);
  const activated = await stella(home, ['--json', 'policy', 'activate', 'strict@1.0.0']);
  assert.equal(activated.code, 0, activated.stderr);

  const active = JSON.parse((await stella(home, ['--json', 'policy', 'active'])).stdout) as { name: string; version: string; ref: string; digest: string; approvals: string[] };
  assert.deepEqual([active.name, active.version, active.ref, active.approvals.length], ['strict', '1.0.0', 'strict@1.0.0', 2]);
  assert.equal(active.digest, i.pack.digest);
  const history = JSON.parse((await stella(home, ['--json', 'policy', 'history'])).stdout) as { events: { event: string; pack: string; keyName?: string }[]; versions: { active: boolean }[] };
  assert.deepEqual(
    history.events.map((e) => `${e.event} ${e.pack}${e.keyName ? ` ${e.keyName}` : ''}`),
    ['imported strict@1.0.0', 'approved strict@1.0.0 alice', 'approved strict@1.0.0 bob', 'activated strict@1.0.0'],
  );
  assert.deepEqual(history.versions.map((v) => v.active), [true]);

  // Refusals are audited like the changes.
  const store = openStore({ home });
  try {
    const kinds = listAudit(store, { kind: 'policy' }).map((a) => a.kind);
    assert.deepEqual(kinds, ['policy.imported', 'policy.activation-refused', 'policy.approved', 'policy.activation-refused', 'policy.approved', 'policy.activated']);
  } finally {
    store.close();
  }

  // stella scan uses the active pack: a high finding now blocks.
  const feed = join(dir, 'osv');
  mkdirSync(feed);
  writeFileSync(join(feed, 'high.json'), osv('CVE-2024-27982', HIGH));
  const sbom = join(dir, 'bom.json');
  writeFileSync(sbom, bom(['20.11.0']));
  assert.equal((await stella(home, ['advisories', 'import', feed])).code, 0);
  const judged = await scanJsonOf(home, sbom, 1);
  assert.deepEqual([judged.verdict, judged.policy.pack, judged.policy.packDigest, judged.findings[0]?.policy.rule], ['BLOCKED', 'strict', i.pack.digest, 'block_high']);
  // --policy overrides it; the table output prints the verdict and the deciding rule.
  const table = await stella(home, ['scan', sbom, '--policy', 'builtin:default']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /verdict WARN — 0 blocked, 1 warn, 0 pass · pack stella-default@1\.0\.0 \(builtin:default\)/);
  assert.match(table.stdout, /decided by warn_high \(1 finding\): High severity findings are reported, not blocking/);
  // Back to the shipped default without approvals.
  assert.equal((await stella(home, ['policy', 'activate', 'builtin:default'])).code, 0);
  assert.equal(JSON.parse((await stella(home, ['--json', 'policy', 'active'])).stdout).ref, 'builtin:default');
});
