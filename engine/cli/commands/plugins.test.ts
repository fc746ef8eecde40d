/**
 * Signed third-party plug-ins (issue 11 item 6), through the CLI: `stella plugins sign DIR --key NAME`
 * writes the signature (audited); a workstation loads a plug-in from `<home>/plugins/<folder>/` only when
 * that signature verifies against its trust for `plugins` and names the bytes on disk — and then
 * analyzes with it. Each refusal is listed by `plugins list --json` and printed by `inventory` at start.
 *
 * The plug-in is real: the os/dpkg analyzer re-exported under the name acme/dpkg, built from the SDK by
 * `build/scripts/build-plugins.mjs --plugin DIR` (the author's build of an out-of-tree plug-in).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, fixture, needsFixtures, tempDir } from '../../../build/test-support/fixtures';
import { cli as runStella } from '../../../build/test-support/cli';
import { type PluginsDescription, thirdPartyPluginsDir } from '../../scanner';

const PASS = { STELLA_PASSPHRASE: 'correct horse battery staple' };
const STATUS = ['analyzers', 'dpkg-status', 'osv-scanner', 'multiple_status'];

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return runStella(args, process.cwd(), env);
}

async function ok(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await cli(args, env);
  assert.equal(r.code, 0, `stella ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The author's plug-in folder: manifest, source importing the SDK, built entry. */
function buildAcmeDpkg(root: string): string {
  const dir = join(root, 'acme-dpkg');
  mkdirSync(join(dir, 'src'), { recursive: true });
  const sdk = join(REPO_ROOT, 'plugins', 'sdk', 'index.ts');
  const dpkg = join(REPO_ROOT, 'plugins', 'os-dpkg', 'src', 'index.ts');
  writeFileSync(
    join(dir, 'src', 'index.ts'),
    `import { defineAnalyzer } from ${JSON.stringify(sdk)};\nimport dpkg from ${JSON.stringify(dpkg)};\n\nexport default defineAnalyzer({ name: 'acme/dpkg', version: 1, analyze: (files, ctx) => dpkg.analyze(files, ctx) });\n`,
  );
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'plugins', 'os-dpkg', 'plugin.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'plugin.json'), JSON.stringify({ ...manifest, name: 'acme/dpkg', version: 1, description: 'dpkg status, by ACME', entrySha256: `sha256:${'0'.repeat(64)}` }, null, 2));
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'build', 'scripts', 'build-plugins.mjs'), '--plugin', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return dir;
}

interface Author {
  home: string;
  pem: string;
}

async function author(root: string, name: string): Promise<Author> {
  const home = join(root, `${name}-home`);
  await ok(['--home', home, 'keys', 'generate', '--profile', 'world', '--alg', 'ed25519', '--name', name], PASS);
  const pem = join(root, `${name}.pem`);
  writeFileSync(pem, await ok(['--home', home, 'keys', 'export-public', name]));
  return { home, pem };
}

/** Install a signed plug-in folder into a workstation home (what an offline kit does), optionally damaged. */
function install(src: string, home: string, folder: string, damage?: (dir: string) => void): string {
  const dir = join(thirdPartyPluginsDir(home), folder);
  cpSync(src, dir, { recursive: true, filter: (p) => !p.includes(`${join(src, 'src')}`) });
  damage?.(dir);
  return dir;
}

function flipByte(file: string): void {
  const b = readFileSync(file);
  const i = Math.floor(b.length / 2);
  b[i] = (b[i] as number) ^ 0x01;
  writeFileSync(file, b);
}

async function listed(home: string): Promise<PluginsDescription> {
  return JSON.parse(await ok(['--home', home, '--json', 'plugins', 'list'])) as PluginsDescription;
}

const thirdParty = (d: PluginsDescription) => d.plugins.filter((p) => p.source === 'third-party').map((p) => [p.dir.split(/[\\/]/).pop(), p.name, p.status, p.origin, p.code ?? null]);

test('signed third-party plug-ins: sign (audited), trusted → loaded and analyzing; changed by one byte, unsigned, untrusted, wrong purpose or named like a built-in → refused with the reason', { ...needsFixtures(...STATUS), timeout: 240_000 }, async () => {
  const root = tempDir();
  const plugin = buildAcmeDpkg(root);
  const acme = await author(root, 'acme');
  const mallory = await author(root, 'mallory');

  // Signing: without a passphrase source exit 2; then the signature file, and an audit entry.
  const noPass = await cli(['--home', acme.home, 'plugins', 'sign', plugin, '--key', 'acme']);
  assert.equal(noPass.code, 2, noPass.stderr);
  const noKey = await cli(['--home', acme.home, 'plugins', 'sign', plugin]);
  assert.equal(noKey.code, 2, '--key is required');
  assert.match(noKey.stderr, /required option '--key <name>' not specified/);
  const signed = JSON.parse(await ok(['--home', acme.home, '--json', 'plugins', 'sign', plugin, '--key', 'acme'], PASS)) as { signature: string; name: string; manifestSha256: string; entrySha256: string; keys: { keyId: string }[] };
  assert.equal(signed.signature, join(plugin, 'plugin.sig.dsse.json'));
  assert.equal(signed.name, 'acme/dpkg');
  const envelope = JSON.parse(readFileSync(signed.signature, 'utf8')) as { payloadType: string; payload: string; signatures: { keyid: string }[] };
  assert.equal(envelope.payloadType, 'application/vnd.in-toto+json');
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { predicateType: string; subject: { name: string; digest: { sha256: string } }[]; predicate: unknown };
  assert.equal(statement.predicateType, 'https://stella.invalid/attestation/plugin/v1');
  assert.deepEqual(statement.subject, [
    { name: 'dist/index.mjs', digest: { sha256: signed.entrySha256.slice(7) } },
    { name: 'plugin.json', digest: { sha256: signed.manifestSha256.slice(7) } },
  ]);
  assert.deepEqual(statement.predicate, { entry: 'dist/index.mjs', kind: 'analyzer', name: 'acme/dpkg', sdkApi: 1, version: 1 });
  const audit = JSON.parse(await ok(['--home', acme.home, '--json', 'audit', 'list'])) as { kind: string; subject: string; details: Record<string, unknown> }[];
  const entry = audit.find((e) => e.kind === 'plugin.signed');
  assert.deepEqual([entry?.subject, entry?.details.entrySha256, entry?.details.keyIds], ['acme/dpkg@1', signed.entrySha256, [signed.keys[0]?.keyId]]);

  // The same plug-in signed by a key no workstation trusts, and the real os/dpkg signed by acme.
  const byMallory = join(root, 'by-mallory');
  cpSync(plugin, byMallory, { recursive: true });
  await ok(['--home', mallory.home, 'plugins', 'sign', byMallory, '--key', 'mallory'], PASS);
  const impostor = join(root, 'os-dpkg');
  cpSync(join(REPO_ROOT, 'plugins', 'os-dpkg'), impostor, { recursive: true });
  const warned = await cli(['--home', acme.home, 'plugins', 'sign', impostor, '--key', 'acme'], PASS);
  assert.equal(warned.code, 0, warned.stderr);
  assert.match(warned.stderr, /os\/dpkg is the name of a built-in plug-in: workstations refuse a third-party plug-in of that name/);

  // A workstation that trusts acme for plug-ins.
  const ws = join(root, 'workstation');
  await ok(['--home', ws, 'trust', 'add', acme.pem, '--purpose', 'plugins', '--name', 'acme']);
  install(plugin, ws, 'a-acme-dpkg');
  install(plugin, ws, 'b-bundle-changed', (d) => flipByte(join(d, 'dist', 'index.mjs')));
  install(plugin, ws, 'c-manifest-changed', (d) => {
    const p = join(d, 'plugin.json');
    writeFileSync(p, readFileSync(p, 'utf8').replace('by ACME', 'by ACMF'));
  });
  install(plugin, ws, 'd-signature-edited', (d) => {
    // The statement re-pointed at a changed bundle: the signature no longer covers the payload.
    flipByte(join(d, 'dist', 'index.mjs'));
    const p = join(d, 'plugin.sig.dsse.json');
    const env = JSON.parse(readFileSync(p, 'utf8')) as { payload: string };
    const st = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as { subject: { name: string; digest: { sha256: string } }[] };
    for (const s of st.subject) if (s.name === 'dist/index.mjs') s.digest.sha256 = createHash('sha256').update(readFileSync(join(d, 'dist', 'index.mjs'))).digest('hex');
    env.payload = Buffer.from(JSON.stringify(st)).toString('base64');
    writeFileSync(p, JSON.stringify(env));
  });
  install(plugin, ws, 'e-empty-signature', (d) => writeFileSync(join(d, 'plugin.sig.dsse.json'), ''));
  install(byMallory, ws, 'f-untrusted');
  install(impostor, ws, 'g-os-dpkg');
  // An unsigned folder: no signature file at all.
  install(plugin, ws, 'h-no-signature', (d) => rmSync(join(d, 'plugin.sig.dsse.json')));

  const doc = await listed(ws);
  assert.equal(doc.thirdPartyDir, thirdPartyPluginsDir(ws));
  assert.deepEqual(thirdParty(doc), [
    ['a-acme-dpkg', 'acme/dpkg', 'loaded', 'acme', null],
    ['b-bundle-changed', 'acme/dpkg', 'refused', 'unverified', 'digest-mismatch'],
    ['c-manifest-changed', 'acme/dpkg', 'refused', 'unverified', 'digest-mismatch'],
    ['d-signature-edited', 'acme/dpkg', 'refused', 'unverified', 'bad-signature'],
    ['e-empty-signature', 'acme/dpkg', 'refused', 'unverified', 'invalid-signature'],
    ['f-untrusted', 'acme/dpkg', 'refused', 'unverified', 'untrusted-signer'],
    ['h-no-signature', 'acme/dpkg', 'refused', 'unverified', 'unsigned'],
    ['g-os-dpkg', 'os/dpkg', 'refused', 'acme', 'name-conflict'],
  ]);
  const byFolder = (f: string) => doc.plugins.find((p) => p.dir.endsWith(f));
  assert.deepEqual(byFolder('a-acme-dpkg')?.signer, { name: 'acme', keyId: signed.keys[0]?.keyId });
  assert.deepEqual([byFolder('a-acme-dpkg')?.digest, byFolder('a-acme-dpkg')?.manifestDigest, byFolder('a-acme-dpkg')?.kind, byFolder('a-acme-dpkg')?.version], [signed.entrySha256, signed.manifestSha256, 'analyzer', 1]);
  assert.match(byFolder('b-bundle-changed')?.reason ?? '', /^dist\/index\.mjs hashes to sha256:[0-9a-f]{64}, but the signature names sha256:[0-9a-f]{64}: it was changed after signing$/);
  assert.match(byFolder('c-manifest-changed')?.reason ?? '', /^plugin\.json hashes to sha256:[0-9a-f]{64}, but the signature names sha256:[0-9a-f]{64}: it was changed after signing$/);
  assert.match(byFolder('d-signature-edited')?.reason ?? '', /signature 0 by trusted key [0-9a-f]{16}… does not verify/);
  assert.match(byFolder('f-untrusted')?.reason ?? '', /^signed by key [0-9a-f]{16}…, which is not trusted for plugins \(stella trust add KEY\.pem --purpose plugins\)$/);
  assert.match(byFolder('g-os-dpkg')?.reason ?? '', /os\/dpkg is the name of a built-in plug-in/);
  assert.match(byFolder('h-no-signature')?.reason ?? '', /no plugin\.sig\.dsse\.json: a third-party plug-in loads only when signed by a key trusted for plugins/);
  // The built-ins are all there, loaded, and os/dpkg is the application's own.
  assert.deepEqual(doc.plugins.filter((p) => p.source === 'built-in' && p.status !== 'loaded'), []);
  assert.equal(byFolder(join('plugins', 'os-dpkg'))?.origin, 'built-in');

  // The signed plug-in analyzes, beside the built-in; the refusals are printed at start.
  const status = fixture(...STATUS) as string;
  const inv = await cli(['--home', ws, '--json', 'inventory', status, '--as', 'var/lib/dpkg/status', '--no-cache']);
  assert.equal(inv.code, 0, inv.stderr);
  const packages = (JSON.parse(inv.stdout) as { packages: { name: string; foundBy: string }[] }).packages;
  const by = (foundBy: string) => packages.filter((p) => p.foundBy === foundBy).map((p) => p.name).sort();
  assert.deepEqual(by('acme/dpkg@1'), ['base-files', 'bash', 'bsdutils', 'libc6']);
  assert.deepEqual(by('acme/dpkg@1'), by('os/dpkg@2'));
  assert.match(inv.stderr, /plug-in acme\/dpkg@1 \(third-party, \S+b-bundle-changed\) refused: digest-mismatch: dist\/index\.mjs hashes to sha256:/);
  assert.match(inv.stderr, /plug-in acme\/dpkg@1 \(third-party, \S+f-untrusted\) refused: untrusted-signer:/);

  // A workstation that trusts acme, but only for kits: refused, naming the purpose.
  const kitsOnly = join(root, 'kits-only');
  await ok(['--home', kitsOnly, 'trust', 'add', acme.pem, '--purpose', 'kits', '--name', 'acme-kits']);
  install(plugin, kitsOnly, 'acme-dpkg');
  const wrongPurpose = await listed(kitsOnly);
  assert.deepEqual(thirdParty(wrongPurpose), [['acme-dpkg', 'acme/dpkg', 'refused', 'unverified', 'untrusted-signer']]);
  assert.match(wrongPurpose.plugins.find((p) => p.source === 'third-party')?.reason ?? '', /^signed by key [0-9a-f]{16}…, trusted as acme-kits for kits but not for plugins \(stella trust add KEY\.pem --purpose plugins\)$/);
  const kitsInv = await cli(['--home', kitsOnly, '--json', 'inventory', status, '--as', 'var/lib/dpkg/status', '--no-cache']);
  assert.equal(kitsInv.code, 0, kitsInv.stderr);
  assert.deepEqual((JSON.parse(kitsInv.stdout) as { packages: { foundBy: string }[] }).packages.filter((p) => p.foundBy.startsWith('acme/')), []);

  // The author's own workstation trusts its own keys for every purpose.
  install(plugin, acme.home, 'acme-dpkg');
  assert.deepEqual(thirdParty(await listed(acme.home)), [['acme-dpkg', 'acme/dpkg', 'loaded', 'workstation-key-acme', null]]);
});
