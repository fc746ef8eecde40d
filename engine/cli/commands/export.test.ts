/**
 * The CLI contract of issue 12 item 1 and issue 11 item 7: `stella export evidence SCAN_ID|latest -o
 * FILE`, `stella export verify BUNDLE` (0 ok · 3 damaged · 6 trust failure), `stella report SCAN_ID
 * --format html -o FILE`, `stella scan … --record [FILE]` and `stella replay MANIFEST` (0 identical ·
 * 1 different · 3 not a manifest · 4 inputs missing).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deterministicTarGz, readTarGz } from '../../core';
import { openStore } from '../../store';
import { fixture, tempDir } from '../../../build/test-support/fixtures';
import { cli as runStella } from '../../../build/test-support/cli';
import { DROPWIZARD_XML, PASSPHRASE, changedAdvisoryFile, needsScannedHome, scannedHome } from '../../../build/test-support/evidence';

const PASS = { STELLA_PASSPHRASE: PASSPHRASE };

function cli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return runStella(args, opts.cwd ?? process.cwd(), opts.env ?? {});
}

test('export evidence latest -o FILE --json, then export verify: 0; a damaged member: 3; a foreign key: 6', needsScannedHome(), async () => {
  const h = await scannedHome();
  const dir = tempDir();
  const noPass = await cli(['--home', h.home, 'export', 'evidence', 'latest', '-o', 'e.tar.gz'], { cwd: dir });
  assert.equal(noPass.code, 2, 'unlocking the signing key needs a passphrase');
  assert.equal(existsSync(join(dir, 'e.tar.gz')), false);

  const out = await cli(['--home', h.home, '--json', 'export', 'evidence', 'latest', '-o', 'e.tar.gz'], { cwd: dir, env: PASS });
  assert.equal(out.code, 0, out.stderr);
  const r = JSON.parse(out.stdout) as { output: string; scanId: string; digest: string; root: string; files: number; verdict: string; signer: { keyId: string; algorithm: string; name: string }; attestations: unknown[]; auditHead: { seq: number; entryHash: string }; replayManifest: { digest: string; recorded: boolean } };
  assert.equal(r.output, join(dir, 'e.tar.gz'));
  assert.equal(r.scanId, h.scanId);
  assert.deepEqual([r.signer.keyId, r.signer.algorithm, r.signer.name], [h.keyId, 'ed25519', 'default']);
  assert.equal(r.attestations.length, 5);
  assert.equal(r.replayManifest.recorded, true);
  assert.match(r.auditHead.entryHash, /^sha256:[0-9a-f]{64}$/);

  const ok = await cli(['--home', h.home, '--json', 'export', 'verify', 'e.tar.gz'], { cwd: dir });
  assert.equal(ok.code, 0, ok.stdout);
  const v = JSON.parse(ok.stdout) as { outcome: string; checks: { name: string; status: string }[]; digest: string };
  assert.equal(v.outcome, 'ok');
  assert.deepEqual(v.checks.map((c) => `${c.name}:${c.status}`), ['archive', 'layout', 'manifest', 'checksums', 'files', 'signature', 'signer', 'attestations'].map((n) => `${n}:pass`));
  assert.equal(v.digest, r.digest);

  // one member changed, re-packed: damaged (3)
  const members = await readTarGz(join(dir, 'e.tar.gz'), 'e');
  const damaged = members.map((m) => (m.path.endsWith('/sbom/sbom.spdx.json') ? { ...m, bytes: Buffer.concat([Buffer.from(m.bytes), Buffer.from(' ')]) } : m));
  writeFileSync(join(dir, 'damaged.tar.gz'), await deterministicTarGz(damaged));
  const bad = await cli(['--home', h.home, 'export', 'verify', 'damaged.tar.gz'], { cwd: dir });
  assert.equal(bad.code, 3, bad.stdout);
  assert.match(bad.stderr, /damaged: files: sbom\/sbom.spdx.json was changed/);

  // verified elsewhere: a fresh home does not trust the signer (6) unless given its key
  const fresh = tempDir();
  const untrusted = await cli(['--home', fresh, 'export', 'verify', join(dir, 'e.tar.gz')]);
  assert.equal(untrusted.code, 6);
  assert.match(untrusted.stderr, /untrusted: signer: key [0-9a-f]{64} is not trusted/);
  const pem = await cli(['--home', h.home, 'keys', 'export-public', 'default']);
  writeFileSync(join(dir, 'signer.pem'), pem.stdout);
  assert.equal((await cli(['--home', fresh, 'export', 'verify', join(dir, 'e.tar.gz'), '--key', join(dir, 'signer.pem')])).code, 0);
  // …or once it trusts that key for attestations
  assert.equal((await cli(['--home', fresh, 'trust', 'add', join(dir, 'signer.pem'), '--purpose', 'attestations', '--name', 'auditor'])).code, 0);
  assert.equal((await cli(['--home', fresh, 'export', 'verify', join(dir, 'e.tar.gz')])).code, 0);

  const missing = await cli(['--home', h.home, 'export', 'evidence', 'scan_nope', '-o', 'x.tar.gz'], { cwd: dir, env: PASS });
  assert.equal(missing.code, 4);
  const empty = await cli(['--home', tempDir(), 'export', 'evidence', 'latest', '-o', 'x.tar.gz'], { cwd: dir, env: PASS });
  assert.equal(empty.code, 4);
  assert.match(empty.stderr, /no scan is stored yet/);
  const notABundle = await cli(['--home', h.home, 'export', 'verify', join(dir, 'signer.pem')]);
  assert.equal(notABundle.code, 3);
});

test('report SCAN --format html -o FILE writes the page (and -o - to stdout); the export is audited', needsScannedHome(), async () => {
  const h = await scannedHome();
  const dir = tempDir();
  const r = await cli(['--home', h.home, '--json', 'report', h.scanId, '--format', 'html', '-o', 'report.html'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { scanId: string; format: string; output: string; digest: string; verdict: string };
  assert.deepEqual([j.scanId, j.format, j.output], [h.scanId, 'html', join(dir, 'report.html')]);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.match(html, /^<!DOCTYPE html>/);
  const stdout = await cli(['--home', h.home, 'report', 'latest', '-o', '-'], { cwd: dir });
  assert.equal(stdout.stdout, html);
  const audit = await cli(['--home', h.home, '--json', 'audit', 'list', '--kind', 'export']);
  assert.deepEqual((JSON.parse(audit.stdout) as { kind: string }[]).map((e) => e.kind), ['export.report']);
  assert.equal((await cli(['--home', h.home, 'report', h.scanId, '--format', 'pdf', '-o', 'r.pdf'], { cwd: dir })).code, 2);
});

test('scan --record FILE, then replay FILE: 0 identical; against a newer snapshot: 1 naming the path; no manifest: 3; no inputs: 4', needsScannedHome(), async () => {
  const h = await scannedHome();
  const dir = tempDir();
  const sbom = fixture(...DROPWIZARD_XML) as string;
  const scan = await cli(['--home', h.home, '--json', 'scan', sbom, '--record', 'scan.replay.json'], { cwd: dir });
  // the shipped default pack judges the scan: exit 1 exactly when it is BLOCKED
  assert.equal(scan.code, (JSON.parse(scan.stdout) as { verdict: string }).verdict === 'BLOCKED' ? 1 : 0, scan.stderr);
  assert.match(scan.stderr, /replay manifest sha256:[0-9a-f]{64} written to/);
  const manifest = JSON.parse(readFileSync(join(dir, 'scan.replay.json'), 'utf8')) as { scan: { id: string }; outputs: { findings: { count: number } } };
  assert.equal(manifest.scan.id, (JSON.parse(scan.stdout) as { scanId: string }).scanId);

  const same = await cli(['--home', h.home, '--json', 'replay', 'scan.replay.json'], { cwd: dir });
  assert.equal(same.code, 0, same.stderr);
  assert.equal((JSON.parse(same.stdout) as { result: string }).result, 'identical');
  assert.equal((await cli(['--home', h.home, 'replay', `scan:${manifest.scan.id}`])).code, 0);

  // --record without a file name writes <scan id>.replay.json
  const again = await cli(['--home', h.home, '--json', 'scan', sbom, '--record'], { cwd: dir });
  const againId = (JSON.parse(again.stdout) as { scanId: string }).scanId;
  assert.ok(existsSync(join(dir, `${againId}.replay.json`)));

  const store = openStore({ home: h.home });
  let changed: string;
  try {
    const target = h.findings.find((f) => f.evidence.length === 1 && f.severity.level !== 'critical');
    assert.ok(target);
    changed = changedAdvisoryFile(store, target).path;
  } finally {
    store.close();
  }
  assert.equal((await cli(['--home', h.home, 'advisories', 'import', changed])).code, 0);
  assert.equal((await cli(['--home', h.home, 'replay', 'scan.replay.json'], { cwd: dir })).code, 0, 'still identical as recorded');
  const diff = await cli(['--home', h.home, 'replay', 'scan.replay.json', '--snapshot', 'current'], { cwd: dir });
  assert.equal(diff.code, 1, diff.stderr);
  assert.match(diff.stdout, /^different: scan scan_\S+ — first difference at \/findings\/\d+\//);
  assert.match(diff.stdout, /input advisories overridden: sha256:[0-9a-f]{64} → sha256:[0-9a-f]{64}/);

  writeFileSync(join(dir, 'junk.json'), '{"type":"nope"}');
  assert.equal((await cli(['--home', h.home, 'replay', 'junk.json'], { cwd: dir })).code, 3);
  const none = await cli(['--home', tempDir(), 'replay', join(dir, 'scan.replay.json')]);
  assert.equal(none.code, 4);
  assert.match(none.stderr, /cannot replay scan/);
});
