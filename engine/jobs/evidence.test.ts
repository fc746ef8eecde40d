/**
 * Evidence bundles on the scanned fixture home: what a bundle holds and that it agrees with the store;
 * verify.sh run with plain sh, sha256sum and openssl (passes; fails for one byte changed in any member
 * and in the archive); byte-identical re-exports; verification outcomes for tampered bundles.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deterministicTarGz, readTarGz, sha256Digest, type ArchiveEntry } from '../core';
import { openStore } from '../store';
import { listAudit, verifyAudit } from '../audit';
import { verifyLog } from '../attest';
import { getScan } from '../match';
import { manifestBytes } from '../replay';
import { tempDir } from '../../build/test-support/fixtures';
import { FAST_KDF, PASSPHRASE, needsScannedHome, scanContext, scannedHome } from '../../build/test-support/evidence';
import { exportEvidenceJob, verifyEvidenceJob, type ExportEvidenceResult } from './evidence';
import { generateKeyJob } from './keys';

const passphrase = async (): Promise<string> => PASSPHRASE;
const shTools = (): { skip: string | false } => {
  for (const tool of ['sh', 'sha256sum', 'openssl', 'tar']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return { skip: `${tool} is not installed (install with: apt-get install -y coreutils openssl tar)` };
  }
  return needsScannedHome();
};

async function exported(): Promise<{ home: string; bundle: string; result: ExportEvidenceResult; members: ArchiveEntry[] }> {
  const h = await scannedHome();
  const store = openStore({ home: h.home });
  try {
    const bundle = join(tempDir(), 'evidence.tar.gz');
    const result = await exportEvidenceJob(store, { scan: h.scanId, output: bundle }, passphrase, scanContext(), FAST_KDF);
    return { home: h.home, bundle, result, members: await readTarGz(bundle, 'bundle') };
  } finally {
    store.close();
  }
}

function extract(archive: string): string {
  const dir = tempDir('stella-unpacked-');
  const r = spawnSync('tar', ['-xzf', archive, '-C', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return dir;
}

/** `sh verify.sh [KEYID]` in an extracted bundle folder with an environment holding only PATH. */
function verifySh(folder: string, ...args: string[]): { status: number | null; out: string } {
  const r = spawnSync('sh', [join(folder, 'verify.sh'), ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('an evidence bundle holds the scan, its evidence and proofs, and says so in its signed manifest', needsScannedHome(), async () => {
  const { home, result, members } = await exported();
  const root = result.root;
  assert.equal(root, `stella-evidence-${result.scanId}`);
  const paths = members.map((m) => m.path.slice(root.length + 1));
  for (const want of [
    'manifest.json',
    'manifest.json.sig',
    'checksums.sha256',
    'verify.sh',
    'report.html',
    'keys/signer.pem',
    'trust/trusted_root.json',
    'sbom/sbom.cdx.json',
    'sbom/sbom.spdx.json',
    'findings/findings.json',
    'findings/findings.sarif.json',
    'vex/statements.json',
    'vex/consensus.json',
    'policy/pack.json',
    'policy/verdict.json',
    'policy/explain.json',
    'replay/replay-manifest.json',
    'attestations/sbom.sigstore.json',
    'attestations/vulns.sigstore.json',
    'attestations/vex.sigstore.json',
    'attestations/verdict.sigstore.json',
    'attestations/vsa.sigstore.json',
  ]) {
    assert.ok(paths.includes(want), `${want} is in the bundle`);
  }
  assert.equal(paths.length, result.files);
  assert.deepEqual(paths, [...paths].sort(), 'members are sorted');
  const get = (p: string): Buffer => Buffer.from(members.find((m) => m.path === `${root}/${p}`)?.bytes ?? []);
  assert.equal(members.find((m) => m.path.endsWith('/verify.sh'))?.mode, 0o755);
  assert.ok(members.filter((m) => !m.path.endsWith('/verify.sh')).every((m) => m.mode === 0o644));

  const manifest = JSON.parse(get('manifest.json').toString('utf8')) as { files: { path: string; digest: string }[]; scan: { id: string; createdAt: string }; signer: { keyId: string } };
  assert.equal(manifest.files.length, paths.length - 3, 'the manifest lists every member but itself, its signature and checksums.sha256');
  for (const f of manifest.files) assert.equal(sha256Digest(get(f.path)), f.digest, f.path);
  assert.equal(manifest.signer.keyId, result.signer.keyId);

  const store = openStore({ home });
  try {
    const scan = getScan(store, result.scanId);
    const findings = JSON.parse(get('findings/findings.json').toString('utf8')) as { findings: { id: string; policy: { status: string } | null }[]; verdict: string };
    assert.deepEqual(findings.findings.map((f) => f.id), scan.findings.map((f) => f.id));
    assert.ok(findings.findings.every((f) => f.policy !== null), 'every finding carries its policy status');
    assert.equal(findings.verdict, result.verdict);
    const verdict = JSON.parse(get('policy/verdict.json').toString('utf8')) as { verdict: string; findings: { verdict: string }[]; pack: { digest: string } };
    assert.equal(verdict.verdict, result.verdict);
    const explain = JSON.parse(get('policy/explain.json').toString('utf8')) as unknown[];
    assert.equal(explain.length, verdict.findings.filter((d) => d.verdict !== 'PASS').length, 'one explain trace per finding the policy did not pass');
    const pack = JSON.parse(get('policy/pack.json').toString('utf8')) as { digest: string; ir: unknown; sources: unknown[] };
    assert.equal(pack.digest, verdict.pack.digest);
    assert.ok(pack.ir && pack.sources.length > 0);
    // the triaged finding: its VEX decision, the statement behind it, and the policy passing it
    const h = await scannedHome();
    const triaged = (findings.findings as { id: string; vex: { status: string; justification: string } | null; policy: { status: string; rule: string } }[]).find((f) => f.id === h.triaged);
    assert.deepEqual([triaged?.vex?.status, triaged?.vex?.justification, triaged?.policy.status, triaged?.policy.rule], ['not_affected', 'vulnerable_code_not_in_execute_path', 'pass', 'accept_trusted_vex']);
    const consensus = JSON.parse(get('vex/consensus.json').toString('utf8')) as { findingId: string }[];
    assert.deepEqual(consensus.map((c) => c.findingId), [h.triaged]);
    assert.equal((JSON.parse(get('vex/statements.json').toString('utf8')) as unknown[]).length, 1);
    // the scan was recorded: the bundle carries that very manifest
    const recorded = store.db.prepare('SELECT body FROM replay_manifests WHERE scan_id = ?').get(result.scanId) as { body: string };
    assert.equal(get('replay/replay-manifest.json').toString('utf8'), recorded.body);
    assert.equal(result.replayManifest.recorded, true);
    // no wall clock: the only dates are the scan's and the snapshot's
    const sarif = get('findings/findings.sarif.json').toString('utf8');
    assert.ok(!/20[3-9]\d-/.test(sarif));
    // audited, and the audit trail and the log still verify
    const audit = listAudit(store, { kind: 'export.evidence' });
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.details.digest, result.digest);
    assert.equal((await verifyAudit(store, { signal: new AbortController().signal })).ok, true);
    assert.equal((await verifyLog(store, { signal: new AbortController().signal })).ok, true);
  } finally {
    store.close();
  }
});

test('the same scan exported twice (and again after the log grew) gives a byte-identical bundle', needsScannedHome(), async () => {
  const h = await scannedHome();
  const store = openStore({ home: h.home });
  try {
    const dir = tempDir();
    const a = await exportEvidenceJob(store, { scan: h.scanId, output: join(dir, 'a.tar.gz') }, passphrase, scanContext(), FAST_KDF);
    // something else is logged in between: the re-export must still prove against the same checkpoints
    await generateKeyJob(store, { name: 'other', profile: 'world', algorithm: 'ed25519' }, passphrase, scanContext(), FAST_KDF);
    const other = await exportEvidenceJob(store, { scan: h.scanId, output: join(dir, 'other.tar.gz'), key: 'other' }, passphrase, scanContext(), FAST_KDF);
    assert.notEqual(other.digest, a.digest);
    const b = await exportEvidenceJob(store, { scan: 'latest', output: join(dir, 'b.tar.gz') }, passphrase, scanContext(), FAST_KDF);
    assert.ok(readFileSync(join(dir, 'a.tar.gz')).equals(readFileSync(join(dir, 'b.tar.gz'))), 'byte-identical');
    assert.equal(a.digest, b.digest);
    assert.deepEqual(
      a.attestations.map((x) => [x.logIndex, x.treeSize]),
      b.attestations.map((x) => [x.logIndex, x.treeSize]),
    );
  } finally {
    store.close();
  }
});

test('verify.sh passes with plain sh, sha256sum and openssl, and checks the expected signer', shTools(), async () => {
  const { bundle, result } = await exported();
  const folder = join(extract(bundle), result.root);
  const ok = verifySh(folder);
  assert.equal(ok.status, 0, ok.out);
  assert.match(ok.out, new RegExp(`OK: ${result.files} files intact; manifest.json signed by key ${result.signer.keyId}`));
  assert.equal(verifySh(folder, result.signer.keyId).status, 0);
  const wrong = verifySh(folder, '0'.repeat(64));
  assert.equal(wrong.status, 1);
  assert.match(wrong.out, /not by the expected key/);
});

test('verify.sh fails when one byte of any member changes, or a file is added or removed', shTools(), async () => {
  const { bundle, result, members } = await exported();
  const folder = join(extract(bundle), result.root);
  let checked = 0;
  for (const m of members) {
    const rel = m.path.slice(result.root.length + 1);
    const file = join(folder, rel);
    const original = readFileSync(file);
    const changed = Buffer.from(original);
    const at = Math.floor(changed.length / 2);
    changed[at] = (changed[at] ?? 0) ^ 0x01;
    writeFileSync(file, changed);
    const r = verifySh(folder);
    writeFileSync(file, original);
    assert.notEqual(r.status, 0, `one byte changed in ${rel} must fail: ${r.out}`);
    // (a changed verify.sh fails however the change breaks it; every other member fails a check by name)
    if (rel !== 'verify.sh') assert.match(r.out, /FAILED/, rel);
    checked++;
  }
  assert.equal(checked, result.files);
  assert.equal(verifySh(folder).status, 0, 'restored');
  writeFileSync(join(folder, 'sbom', 'extra.json'), '{}');
  assert.match(verifySh(folder).out, /extra or missing file/);
  rmSync(join(folder, 'sbom', 'extra.json'));
  rmSync(join(folder, 'report.html'));
  assert.notEqual(verifySh(folder).status, 0);
});

test('one byte changed anywhere in the archive: tar plus verify.sh fails, and so does stella export verify (exit 3)', shTools(), async () => {
  const { home, bundle } = await exported();
  const bytes = readFileSync(bundle);
  const store = openStore({ home });
  try {
    // the gzip header (bytes 0–9), the first and last deflate bytes, the trailer (CRC, size), and spread offsets between
    const offsets = new Set<number>([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, bytes.length - 9, bytes.length - 5, bytes.length - 1]);
    for (let k = 1; k <= 24; k++) offsets.add(Math.floor((bytes.length * k) / 25));
    for (const at of [...offsets].sort((a, b) => a - b)) {
      const changed = Buffer.from(bytes);
      changed[at] = (changed[at] ?? 0) ^ 0x01;
      const file = join(tempDir(), 'changed.tar.gz');
      writeFileSync(file, changed);
      const dir = tempDir('stella-unpacked-');
      const untar = spawnSync('tar', ['-xzf', file, '-C', dir], { encoding: 'utf8' });
      const folders = readdirSync(dir);
      const sh = untar.status === 0 && folders.length === 1 ? verifySh(join(dir, folders[0] as string)) : { status: 1, out: untar.stderr };
      // a changed gzip header byte carries no content (mtime, flags, OS): the files extract unchanged, and
      // only stella export verify (which checks the header we write) can tell
      if (at > 9) assert.notEqual(sh.status, 0, `byte ${at}: tar + verify.sh must fail`);
      const v = await verifyEvidenceJob(store, { bundle: file }, scanContext());
      assert.equal(v.outcome, 'damaged', `byte ${at}: ${v.failure?.name} ${v.failure?.detail}`);
    }
  } finally {
    store.close();
  }
});

/** Rebuild a bundle archive with its members changed by `edit` (the archive itself stays well-formed). */
async function rebuilt(members: ArchiveEntry[], edit: (m: ArchiveEntry[]) => ArchiveEntry[]): Promise<string> {
  const file = join(tempDir(), 'rebuilt.tar.gz');
  writeFileSync(file, await deterministicTarGz(edit(members.map((m) => ({ ...m, bytes: Buffer.from(m.bytes) })))));
  return file;
}

test('stella export verify: intact → ok; damaged member, missing or extra file → damaged; swapped signature, wrong key, untrusted signer → untrusted', needsScannedHome(), async () => {
  const { home, bundle, result, members } = await exported();
  const root = result.root;
  const at = (p: string) => (m: ArchiveEntry) => m.path === `${root}/${p}`;
  const flip = (b: Uint8Array): Buffer => {
    const c = Buffer.from(b);
    c[10] = (c[10] ?? 0) ^ 0x20;
    return c;
  };
  // a second bundle of the same scan signed by another key: its signature is a real one, over other bytes
  const store = openStore({ home });
  try {
    await generateKeyJob(store, { name: 'other', profile: 'world', algorithm: 'ed25519' }, passphrase, scanContext(), FAST_KDF);
    const otherFile = join(tempDir(), 'other.tar.gz');
    await exportEvidenceJob(store, { scan: result.scanId, output: otherFile, key: 'other' }, passphrase, scanContext(), FAST_KDF);
    const otherMembers = await readTarGz(otherFile, 'other');
    const otherSig = otherMembers.find(at('manifest.json.sig'))?.bytes as Uint8Array;
    const otherPem = join(tempDir(), 'other.pem');
    writeFileSync(otherPem, otherMembers.find(at('keys/signer.pem'))?.bytes as Uint8Array);

    const cases: { name: string; file: string; keyFile?: string; outcome: string; check: string }[] = [
      { name: 'intact', file: bundle, outcome: 'ok', check: '' },
      { name: 'intact, with its own key given', file: bundle, keyFile: join(tempDir(), 'k.pem'), outcome: 'ok', check: '' },
      { name: 'a member changed', file: await rebuilt(members, (ms) => ms.map((m) => (at('findings/findings.json')(m) ? { ...m, bytes: flip(m.bytes) } : m))), outcome: 'damaged', check: 'files' },
      { name: 'a member missing', file: await rebuilt(members, (ms) => ms.filter((m) => !at('vex/statements.json')(m))), outcome: 'damaged', check: 'files' },
      { name: 'an extra file', file: await rebuilt(members, (ms) => [...ms, { path: `${root}/notes.txt`, bytes: Buffer.from('hello') }]), outcome: 'damaged', check: 'files' },
      { name: 'checksums.sha256 changed', file: await rebuilt(members, (ms) => ms.map((m) => (at('checksums.sha256')(m) ? { ...m, bytes: flip(m.bytes) } : m))), outcome: 'damaged', check: 'checksums' },
      { name: 'not one folder', file: await rebuilt(members, (ms) => [...ms, { path: 'elsewhere.txt', bytes: Buffer.from('x') }]), outcome: 'damaged', check: 'layout' },
      { name: 'the signature swapped for another key’s', file: await rebuilt(members, (ms) => ms.map((m) => (at('manifest.json.sig')(m) ? { ...m, bytes: otherSig } : m))), outcome: 'untrusted', check: 'signature' },
      { name: 'a signature byte changed', file: await rebuilt(members, (ms) => ms.map((m) => (at('manifest.json.sig')(m) ? { ...m, bytes: flip(m.bytes) } : m))), outcome: 'untrusted', check: 'signature' },
      { name: 'the manifest changed (still canonical)', file: await rebuilt(members, (ms) => ms.map((m) => (at('manifest.json')(m) ? { ...m, bytes: Buffer.from(Buffer.from(m.bytes).toString('utf8').replace(result.verdict, result.verdict === 'PASS' ? 'WARN' : 'PASS')) } : m))), outcome: 'untrusted', check: 'signature' },
      { name: 'the wrong key given', file: bundle, keyFile: otherPem, outcome: 'untrusted', check: 'signer' },
    ];
    writeFileSync(join(tempDir(), 'k.pem'), '');
    const ownPem = cases[1] as { keyFile: string };
    writeFileSync(ownPem.keyFile, members.find(at('keys/signer.pem'))?.bytes as Uint8Array);
    for (const c of cases) {
      const v = await verifyEvidenceJob(store, { bundle: c.file, ...(c.keyFile ? { keyFile: c.keyFile } : {}) }, scanContext());
      assert.equal(v.outcome, c.outcome, `${c.name}: ${v.failure?.name}: ${v.failure?.detail}`);
      if (c.check) assert.equal(v.failure?.name, c.check, c.name);
      else assert.ok(v.checks.every((x) => x.status === 'pass'), `${c.name}: ${JSON.stringify(v.checks)}`);
    }
  } finally {
    store.close();
  }
  // a workstation that does not trust the signer
  const fresh = openStore({ home: tempDir() });
  try {
    const v = await verifyEvidenceJob(fresh, { bundle }, scanContext());
    assert.equal(v.outcome, 'untrusted');
    assert.equal(v.failure?.name, 'signer');
    assert.equal(v.checks.find((c) => c.name === 'attestations')?.status, 'pass', 'the attestations themselves still verify with the bundle’s own trust material');
  } finally {
    fresh.close();
  }
});

test('the replay manifest in a bundle of an unrecorded scan is derived from the store and replays', needsScannedHome(), async () => {
  const h = await scannedHome();
  const store = openStore({ home: h.home });
  try {
    // a re-scan without --record: its bundle derives the manifest (with the verdict it carries)
    const { rescanSbomJob } = await import('./scan');
    const again = await rescanSbomJob(store, { sbomId: h.manifest.inputs.sbom.id }, scanContext({ ids: { next: (prefix) => `${prefix}_again` } }));
    const out = join(tempDir(), 'b.tar.gz');
    const r = await exportEvidenceJob(store, { scan: again.scan.id, output: out }, passphrase, scanContext(), FAST_KDF);
    assert.equal(r.replayManifest.recorded, false);
    const members = await readTarGz(out, 'b');
    const manifestText = Buffer.from(members.find((m) => m.path.endsWith('/replay/replay-manifest.json'))?.bytes ?? []).toString('utf8');
    const manifest = JSON.parse(manifestText) as { inputs: { policy: { digest: string } | null; vex: unknown }; outputs: { verdict: { verdict: string } | null } };
    assert.equal(manifest.outputs.verdict?.verdict, r.verdict);
    assert.ok(manifest.inputs.policy);
    const file = join(tempDir(), 'm.json');
    writeFileSync(file, manifestText);
    const { replayJob } = await import('./replay');
    const rep = await replayJob(store, { manifest: file }, scanContext());
    assert.equal(rep.result, 'identical', JSON.stringify(rep.firstDifference));
    // the VEX changes afterwards (another triage decision): the verdict no longer replays, and replay says where
    const blocked = again.scan.findings.find((f) => f.id !== h.triaged && f.severity.level === 'critical' && !f.kev && f.purl);
    assert.ok(blocked?.purl);
    const { createVexStatement } = await import('./vex');
    await createVexStatement(store, { vulnerability: blocked.vulnerabilityId, purl: blocked.purl, status: 'not_affected', justification: 'component_not_present' }, scanContext());
    const after = await replayJob(store, { manifest: file }, scanContext());
    assert.equal(after.result, 'different');
    assert.equal(after.inputs.find((i) => i.name === 'vex')?.status, 'different');
    assert.deepEqual(after.outputs.map((o) => [o.name, o.same]), [['findings', true], ['summary', true], ['verdict', false]]);
    assert.equal(after.firstDifference?.path.startsWith('/verdict'), true, after.firstDifference?.path);
    assert.ok(manifestBytes(h.manifest).length > 0);
  } finally {
    store.close();
  }
});

test('writing over an existing bundle replaces it whole; a missing scan is exit 4', needsScannedHome(), async () => {
  const h = await scannedHome();
  const store = openStore({ home: h.home });
  try {
    const dir = join(tempDir(), 'out');
    mkdirSync(dir);
    const target = join(dir, 'e.tar.gz');
    writeFileSync(target, 'old');
    await exportEvidenceJob(store, { scan: h.scanId, output: target }, passphrase, scanContext(), FAST_KDF);
    assert.equal((await readTarGz(target, 'e')).length > 10, true);
    assert.deepEqual(readdirSync(dir), ['e.tar.gz'], 'no temp file is left behind');
    await assert.rejects(() => exportEvidenceJob(store, { scan: 'scan_nope', output: join(dir, 'x.tar.gz') }, passphrase, scanContext(), FAST_KDF), (e: unknown) => (e as { exitCode?: number }).exitCode === 4);
    assert.deepEqual(readdirSync(dir), ['e.tar.gz']);
  } finally {
    store.close();
  }
});
