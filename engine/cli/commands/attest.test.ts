/**
 * The CLI contract of issue 11 item 8: `keys`, `attest sign|verify`, `log`, `trust`, `audit` — flags,
 * JSON fields and exit codes (0 ok · 2 usage / no passphrase · 4 missing · 6 trust failure).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../build/test-support/fixtures';
import { cli as runStella } from '../../../build/test-support/cli';

async function cli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return runStella(args, opts.cwd ?? process.cwd(), opts.env ?? {});
}

const PASS = { STELLA_PASSPHRASE: 'correct horse battery staple' };

test('keys: no passphrase source → exit 2 saying how to give one; generate, list, export-public', async () => {
  const home = tempDir();
  const none = await cli(['--home', home, 'keys', 'generate', '--profile', 'world', '--name', 'k1']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /--passphrase-file FILE, the STELLA_PASSPHRASE environment variable, or run the command in a terminal/);

  const pf = join(tempDir(), 'pass.txt');
  writeFileSync(pf, 'correct horse battery staple\n');
  const gen = await cli(['--home', home, '--json', 'keys', 'generate', '--profile', 'fips', '--alg', 'p384', '--name', 'fips-1', '--passphrase-file', pf]);
  assert.equal(gen.code, 0, gen.stderr);
  const rec = JSON.parse(gen.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(rec).sort(), ['algorithm', 'createdAt', 'isDefault', 'keyId', 'name', 'profile']);
  assert.equal(rec.algorithm, 'p384');
  assert.equal(rec.isDefault, true);

  const wrongAlg = await cli(['--home', home, 'keys', 'generate', '--profile', 'world', '--alg', 'p384', '--name', 'x'], { env: PASS });
  assert.equal(wrongAlg.code, 2);
  assert.match(wrongAlg.stderr, /not part of the world profile/);
  const badChoice = await cli(['--home', home, 'keys', 'generate', '--profile', 'moon', '--name', 'x'], { env: PASS });
  assert.equal(badChoice.code, 2);

  const list = await cli(['--home', home, '--json', 'keys', 'list']);
  const listed = JSON.parse(list.stdout) as { keys: { name: string; keyId: string }[]; profiles: { profile: string; available: boolean }[] };
  assert.deepEqual(listed.keys.map((k) => k.name), ['fips-1']);
  assert.deepEqual(listed.profiles.map((p) => p.profile), ['world', 'fips', 'sm']);

  const pem = await cli(['--home', home, 'keys', 'export-public', 'fips-1']);
  assert.equal(pem.code, 0);
  assert.match(pem.stdout, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
  assert.equal((await cli(['--home', home, 'keys', 'export-public', 'nope'])).code, 4);
});

test('attest sign on a fresh home creates the default key; verify exits 0, and 6 naming the failing check', async () => {
  const home = tempDir();
  const dir = tempDir();
  writeFileSync(join(dir, 'app.bin'), 'application bytes');
  writeFileSync(join(dir, 'other.bin'), 'other bytes');
  writeFileSync(join(dir, 'pred.json'), JSON.stringify({ builtBy: 'hand' }));
  const noPass = await cli(['--home', home, 'attest', 'sign', '--type', 'custom', '--predicate-type', 'https://example.com/p/v1', '--predicate', 'pred.json', '--subject', 'app.bin', '-o', 'app.sigstore.json'], { cwd: dir });
  assert.equal(noPass.code, 2, 'creating the default key needs a passphrase');

  const sign = await cli(['--home', home, '--json', 'attest', 'sign', '--type', 'custom', '--predicate-type', 'https://example.com/p/v1', '--predicate', 'pred.json', '--subject', 'app.bin', '-o', 'app.sigstore.json'], { cwd: dir, env: PASS });
  assert.equal(sign.code, 0, sign.stderr);
  assert.match(sign.stderr, /creating the default world\/ed25519 key "default"/);
  const signed = JSON.parse(sign.stdout) as { bundles: { keyName: string; algorithm: string; logIndex: number }[] };
  assert.deepEqual(signed.bundles.map((b) => [b.keyName, b.algorithm, b.logIndex]), [['default', 'ed25519', 0]]);
  const bundleText = readFileSync(join(dir, 'app.sigstore.json'), 'utf8');
  assert.equal(bundleText.trim().split('\n').length, 1, 'one key, one statement: an ordinary one-bundle file');

  const ok = await cli(['--home', home, 'attest', 'verify', '--bundle', 'app.sigstore.json', 'app.bin'], { cwd: dir });
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  for (const check of ['signature', 'signer-key', 'tlog-inclusion', 'timestamp', 'artifact-digest', 'statement']) assert.match(ok.stdout, new RegExp(`✓ ${check}`));

  const json = await cli(['--home', home, '--json', 'attest', 'verify', '--bundle', 'app.sigstore.json', `sha256:${'1'.repeat(64)}`], { cwd: dir });
  assert.equal(json.code, 6);
  const doc = JSON.parse(json.stdout) as { verified: boolean; items: { checks: { name: string; status: string }[] }[]; firstFailure: { check: string } };
  assert.equal(doc.verified, false);
  assert.equal(doc.firstFailure.check, 'artifact-digest');
  assert.match(json.stderr, /verification failed: .*artifact-digest/);

  const other = await cli(['--home', home, 'attest', 'verify', '--bundle', 'app.sigstore.json', 'other.bin'], { cwd: dir });
  assert.equal(other.code, 6);
  assert.match(other.stdout, /✗ artifact-digest/);

  // a second signature with a named key and a wrong passphrase: exit 6, audited
  const wrong = await cli(['--home', home, 'attest', 'sign', '--type', 'custom', '--predicate-type', 'https://example.com/p/v1', '--predicate', 'pred.json', '--subject', 'app.bin', '--key', 'default', '-o', 'b2.json'], { cwd: dir, env: { STELLA_PASSPHRASE: 'not the passphrase' } });
  assert.equal(wrong.code, 6);
  assert.match(wrong.stderr, /wrong passphrase for key default/);
  const audit = await cli(['--home', home, '--json', 'audit', 'list']);
  assert.deepEqual((JSON.parse(audit.stdout) as { kind: string }[]).map((e) => e.kind), ['key.generated', 'attest.signed', 'key.unlock-failed']);
  assert.equal((await cli(['--home', home, 'audit', 'verify'])).code, 0);

  const usage = await cli(['--home', home, 'attest', 'verify', '--bundle', 'app.sigstore.json', '--certificate-identity', 'x', 'app.bin'], { cwd: dir });
  assert.equal(usage.code, 2, '--certificate-identity needs --certificate-oidc-issuer');
});

test('log info | proof ENTRY | verify --json', async () => {
  const home = tempDir();
  const dir = tempDir();
  writeFileSync(join(dir, 'a'), 'a');
  writeFileSync(join(dir, 'p.json'), '{}');
  for (let i = 0; i < 3; i++) {
    const r = await cli(['--home', home, 'attest', 'sign', '--type', 'custom', '--predicate-type', `https://example.com/p/${i}`, '--predicate', 'p.json', '--subject', 'a', '-o', `b${i}.json`], { cwd: dir, env: PASS });
    assert.equal(r.code, 0, r.stderr);
  }
  const info = JSON.parse((await cli(['--home', home, '--json', 'log', 'info'])).stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(info).sort(), ['baseUrl', 'checkpoint', 'logId', 'origin', 'publicKey', 'rootHash', 'treeSize']);
  assert.equal(info.treeSize, 3);
  const proof = await cli(['--home', home, '--json', 'log', 'proof', '1', '--from-size', '2']);
  assert.equal(proof.code, 0, proof.stderr);
  const p = JSON.parse(proof.stdout) as { logIndex: number; inclusionProof: { treeSize: number; hashes: string[]; checkpoint: string }; consistencyProof: { size1: number; size2: number } };
  assert.equal(p.logIndex, 1);
  assert.equal(p.inclusionProof.treeSize, 3);
  assert.equal(p.inclusionProof.hashes.length, 2);
  assert.deepEqual([p.consistencyProof.size1, p.consistencyProof.size2], [2, 3]);
  assert.equal((await cli(['--home', home, 'log', 'proof', '9'])).code, 4);
  assert.equal((await cli(['--home', home, 'log', 'proof', 'zz'])).code, 3);
  const v = await cli(['--home', home, '--json', 'log', 'verify']);
  assert.equal(v.code, 0);
  assert.deepEqual((JSON.parse(v.stdout) as { ok: boolean; entries: number }).entries, 3);
});

test('trust add/list/remove/export-root: another workstation verifies our bundle with our exported root and key', async () => {
  const homeA = tempDir();
  const homeB = tempDir();
  const dir = tempDir();
  writeFileSync(join(dir, 'a.bin'), 'artifact');
  writeFileSync(join(dir, 'p.json'), '{}');
  assert.equal((await cli(['--home', homeA, 'attest', 'sign', '--type', 'custom', '--predicate-type', 'https://example.com/p', '--predicate', 'p.json', '--subject', 'a.bin', '-o', 'a.sigstore.json'], { cwd: dir, env: PASS })).code, 0);
  const exp = await cli(['--home', homeA, '--json', 'trust', 'export-root', '-o', 'trusted_root.json', '--keys-out', 'keys.pem'], { cwd: dir });
  assert.equal(exp.code, 0, exp.stderr);
  const root = JSON.parse(readFileSync(join(dir, 'trusted_root.json'), 'utf8')) as { mediaType: string; tlogs: { baseUrl: string }[] };
  assert.equal(root.mediaType, 'application/vnd.dev.sigstore.trustedroot+json;version=0.1');
  assert.match(root.tlogs[0]?.baseUrl ?? '', /^https:\/\/stella\.invalid\/log\//);
  const pem = (await cli(['--home', homeA, 'keys', 'export-public', 'default'])).stdout;
  writeFileSync(join(dir, 'a.pem'), pem);

  // workstation B does not trust A yet
  assert.equal((await cli(['--home', homeB, 'attest', 'verify', '--bundle', 'a.sigstore.json', 'a.bin'], { cwd: dir })).code, 6);
  // explicitly given root and key: verified
  assert.equal((await cli(['--home', homeB, 'attest', 'verify', '--bundle', 'a.sigstore.json', '--trusted-root', 'trusted_root.json', '--key', 'a.pem', 'a.bin'], { cwd: dir })).code, 0);
  // or trusted for attestations
  const missingPurpose = await cli(['--home', homeB, 'trust', 'add', 'a.pem'], { cwd: dir });
  assert.equal(missingPurpose.code, 2);
  const badPurpose = await cli(['--home', homeB, 'trust', 'add', 'a.pem', '--purpose', 'kits,everything'], { cwd: dir });
  assert.equal(badPurpose.code, 2);
  assert.match(badPurpose.stderr, /"everything" is not one of attestations, kits, plugins/);
  assert.equal((await cli(['--home', homeB, 'trust', 'add', 'a.pem', '--name', 'ws-a-key', '--purpose', 'attestations,kits'], { cwd: dir })).code, 0);
  assert.equal((await cli(['--home', homeB, 'trust', 'add', 'a.pem', '--name', 'again', '--purpose', 'kits'], { cwd: dir })).code, 3, 'the same key twice');
  assert.equal((await cli(['--home', homeB, 'trust', 'add', 'trusted_root.json', '--name', 'ws-a-log', '--purpose', 'attestations'], { cwd: dir })).code, 0);
  const list = JSON.parse((await cli(['--home', homeB, '--json', 'trust', 'list'])).stdout) as { name: string; kind: string; origin: string; purposes: string[] }[];
  assert.deepEqual(
    list.map((e) => [e.name, e.kind, e.purposes.join(',')]),
    [
      ['ws-a-key', 'public-key', 'attestations,kits'],
      ['ws-a-log', 'trusted-root', 'attestations'],
    ],
  );
  assert.equal((await cli(['--home', homeB, 'attest', 'verify', '--bundle', 'a.sigstore.json', 'a.bin'], { cwd: dir })).code, 0);
  assert.equal((await cli(['--home', homeB, 'trust', 'remove', 'ws-a-log'])).code, 0);
  assert.equal((await cli(['--home', homeB, 'trust', 'remove', 'ws-a-log'])).code, 4);
  const after = await cli(['--home', homeB, 'attest', 'verify', '--bundle', 'a.sigstore.json', 'a.bin'], { cwd: dir });
  assert.equal(after.code, 6);
  assert.match(after.stderr, /tlog-inclusion/);
  const audit = JSON.parse((await cli(['--home', homeB, '--json', 'audit', 'list', '--kind', 'trust'])).stdout) as { kind: string; subject: string }[];
  assert.deepEqual(audit.map((e) => [e.kind, e.subject]), [['trust.added', 'ws-a-key'], ['trust.added', 'ws-a-log'], ['trust.removed', 'ws-a-log']]);
  // the workstation's own key is always trusted and cannot be removed
  const own = await cli(['--home', homeA, 'trust', 'remove', 'workstation-key-default']);
  assert.equal(own.code, 2);
  assert.match(own.stderr, /always trusts/);
});

test('audit verify exits 6 naming the first bad entry', async () => {
  const home = tempDir();
  const pf = join(tempDir(), 'p');
  writeFileSync(pf, 'correct horse battery staple');
  for (const n of ['a', 'b', 'c']) assert.equal((await cli(['--home', home, 'keys', 'generate', '--profile', 'world', '--name', n, '--passphrase-file', pf])).code, 0);
  const { openStore } = await import('../../store');
  const s = openStore({ home });
  s.db.exec("DROP TRIGGER audit_entries_no_update; UPDATE audit_entries SET subject = 'z' WHERE seq = 2");
  s.close();
  const v = await cli(['--home', home, '--json', 'audit', 'verify']);
  assert.equal(v.code, 6);
  assert.equal((JSON.parse(v.stdout) as { firstBad: { seq: number } }).firstBad.seq, 2);
  assert.match(v.stderr, /audit trail broken at entry 2/);
});
