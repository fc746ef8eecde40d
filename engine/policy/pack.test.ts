import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack as tarPack, type Header } from 'tar-stream';
import { REPO_ROOT, tempDir } from '../../build/test-support/fixtures';
import { builtinPackNames, formatDiagnostic, loadPack, packFromFiles, requireUsable, runPackFixtures } from './index';
import { PolicyError } from './errors';

const PACKS_DIR = join(REPO_ROOT, 'engine', 'policy', 'packs');

async function tarGz(entries: (Partial<Header> & { name: string; body?: string })[]): Promise<Buffer> {
  const p = tarPack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((r) => p.on('end', () => r()));
  for (const { body, ...h } of entries) {
    await new Promise<void>((res, rej) => p.entry({ mode: 0o644, mtime: new Date(0), ...h }, body ?? '', (e) => (e ? rej(e) : res())));
  }
  p.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

function fromFiles(files: Record<string, string>) {
  return packFromFiles({ origin: { kind: 'builtin', name: 't' }, files: new Map(Object.entries(files)), skipped: [] });
}

const MANIFEST = 'name: t\nversion: "1"\ndescription: test\n';
const POLICY = 'policy "t" syntax "stella-dsl@1" {\n  rule kev { when advisory.kev then status := "blocked" because "k" }\n}\n';

test('shipped packs: no lint problem at all, every fixture passes, and the embedded copy is the directory', async () => {
  assert.deepEqual(builtinPackNames(), ['default', 'distro-vex', 'kev-blocking']);
  for (const name of builtinPackNames()) {
    const builtin = await loadPack(`builtin:${name}`);
    assert.deepEqual(builtin.diagnostics.map(formatDiagnostic), [], name);
    const usable = requireUsable(builtin);
    assert.ok(usable.fixtures.length >= 2, `${name} has realistic fixtures`);
    const report = runPackFixtures(usable);
    assert.deepEqual(report.fixtures.filter((f) => !f.passed), [], name);
    assert.equal(report.failed, 0);
    const dir = await loadPack(join(PACKS_DIR, name));
    assert.equal(dir.digest, builtin.digest, `${name}: directory and embedded pack compile to the same digest`);
    assert.equal(dir.source, `directory:${join(PACKS_DIR, name)}`);
  }
  const check = spawnSync(process.execPath, ['build/scripts/embed-policy-packs.mjs', '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  // A bare built-in name works when no such file exists.
  assert.equal((await loadPack('default', { cwd: tempDir() })).source, 'builtin:default');
});

test('.tar.gz packs are read in memory: one top directory is fine; traversal, absolute names, links and oversize members are refused', async () => {
  const dir = tempDir();
  const good = join(dir, 'good.tar.gz');
  writeFileSync(
    good,
    await tarGz([
      { name: 'mypack/', type: 'directory' },
      { name: 'mypack/pack.yaml', body: MANIFEST },
      { name: 'mypack/policy.stella', body: POLICY },
      { name: 'mypack/README.md', body: 'ignored' },
    ]),
  );
  const p = await loadPack(good);
  assert.deepEqual(p.diagnostics, []);
  assert.equal(p.source, `archive:${good}`);
  assert.equal(p.digest, fromFiles({ 'pack.yaml': MANIFEST, 'policy.stella': POLICY }).digest);

  interface Bad {
    name: string;
    entries: (Partial<Header> & { name: string; body?: string })[];
    limits?: { maxArchiveBytes: number; maxTotalBytes: number; maxFiles: number; maxFileBytes: number };
    message: RegExp;
  }
  const base = [{ name: 'pack.yaml', body: MANIFEST }];
  const limits = { maxArchiveBytes: 1 << 20, maxTotalBytes: 1 << 20, maxFiles: 10, maxFileBytes: 1000 };
  const bad: Bad[] = [
    { name: 'traversal', entries: [...base, { name: '../evil.stella', body: POLICY }], message: /unsafe member name/ },
    { name: 'nested traversal', entries: [...base, { name: 'a/../../evil.stella', body: POLICY }], message: /unsafe member name/ },
    { name: 'absolute', entries: [...base, { name: '/etc/evil.stella', body: POLICY }], message: /unsafe member name/ },
    { name: 'symlink', entries: [...base, { name: 'link.stella', type: 'symlink', linkname: '/etc/passwd' }], message: /a symlink member/ },
    { name: 'hard link', entries: [...base, { name: 'link.stella', type: 'link', linkname: 'pack.yaml' }], message: /a link member/ },
    { name: 'member too large', entries: [...base, { name: 'big.stella', body: 'x'.repeat(2000) }], limits, message: /larger than the 1000-byte limit/ },
    { name: 'too many members', entries: [...base, ...Array.from({ length: 11 }, (_, i) => ({ name: `p${i}.stella`, body: POLICY }))], limits, message: /more than 10 members/ },
    { name: 'decompression bomb', entries: [...base, ...Array.from({ length: 9 }, (_, i) => ({ name: `f${i}.stella`, body: ' '.repeat(900) }))], limits: { ...limits, maxTotalBytes: 4000 }, message: /decompresses to more than|exceed 4000 bytes/ },
  ];
  for (const b of bad) {
    const f = join(dir, `${b.name.replace(/ /g, '-')}.tar.gz`);
    writeFileSync(f, await tarGz(b.entries));
    await assert.rejects(loadPack(f, b.limits ? { limits: b.limits } : {}), (e: unknown) => e instanceof PolicyError && e.code === 'pack-unreadable' && e.exitCode === 3 && b.message.test(e.message), b.name);
  }
  const notGzip = join(dir, 'plain.tar.gz');
  writeFileSync(notGzip, 'not gzip');
  await assert.rejects(loadPack(notGzip), /not a gzip archive/);
  const big = join(dir, 'big.tar.gz');
  writeFileSync(big, Buffer.alloc(2 << 20));
  await assert.rejects(loadPack(big, { limits: { ...limits } }), /larger than the 1048576-byte limit for a pack archive/);
});

test('directory packs: symbolic links are not followed (a warning), hidden and unrelated files are not read', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'pack.yaml'), MANIFEST);
  writeFileSync(join(dir, 'policy.stella'), POLICY);
  writeFileSync(join(dir, 'notes.txt'), 'not read');
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git', 'x.stella'), 'garbage');
  const outside = join(tempDir(), 'outside.stella');
  writeFileSync(outside, 'policy "x" syntax "stella-dsl@1" { rule a { when true then warn because "x" } }');
  symlinkSync(outside, join(dir, 'linked.stella'));
  const p = await loadPack(dir);
  assert.deepEqual(p.diagnostics.map((d) => `${d.severity} ${d.code} ${d.file}`), ['warning skipped linked.stella']);
  assert.deepEqual(p.sources.map((s) => s.path), ['policy.stella']);
  assert.ok(p.digest);

  await assert.rejects(loadPack(join(dir, 'missing')), (e: unknown) => e instanceof PolicyError && e.code === 'pack-unreadable' && /no such pack/.test(e.message));
  await assert.rejects(loadPack('builtin:nope'), /no built-in pack nope: built-in packs are default, distro-vex, kev-blocking/);
  await assert.rejects(loadPack(join(dir, 'notes.txt')), /not a pack/);
});

test('pack.yaml, exceptions.yaml and fixtures problems are diagnostics at the YAML line:column', () => {
  interface Case {
    name: string;
    files: Record<string, string>;
    expect: string[];
  }
  const cases: Case[] = [
    { name: 'no pack.yaml', files: { 'policy.stella': POLICY }, expect: ['pack.yaml:1:1 error: the pack has no pack.yaml: expected name, version and description'] },
    { name: 'no policy', files: { 'pack.yaml': MANIFEST }, expect: ['pack.yaml:1:1 error: the pack has no .stella file: expected at least one policy'] },
    { name: 'numeric version', files: { 'pack.yaml': 'name: t\nversion: 1.0\ndescription: d\n', 'policy.stella': POLICY }, expect: ['pack.yaml:2:10 error: version: expected a version string (quote numbers: version: "1.0")'] },
    { name: 'unknown key', files: { 'pack.yaml': `${MANIFEST}autor: me\n`, 'policy.stella': POLICY }, expect: ['pack.yaml:1:1 error: (document): Unrecognized key: "autor"'] },
    { name: 'bad YAML', files: { 'pack.yaml': 'name: [t\n', 'policy.stella': POLICY }, expect: ['pack.yaml:2:1 error: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'] },
    {
      name: 'exception without owner and with a bad date',
      files: { 'pack.yaml': MANIFEST, 'policy.stella': POLICY, 'exceptions.yaml': 'exceptions:\n  - id: E1\n    kind: suppress\n    owner: ""\n    reason: r\n    expires: 2026-02-30\n    match: { vulnerability: CVE-1 }\n' },
      expect: ['exceptions.yaml:4:12 error: exceptions.0.owner: every exception names its owner', 'exceptions.yaml:6:14 error: exceptions.0.expires: expected an ISO date (YYYY-MM-DD) that exists on the calendar'],
    },
    {
      name: 'exception matching nothing, "to" on a suppress, duplicate id',
      files: {
        'pack.yaml': MANIFEST,
        'policy.stella': POLICY,
        'exceptions.yaml': 'exceptions:\n  - { id: E1, kind: suppress, owner: o, reason: r, expires: 2026-06-30, match: {}, to: warn }\n  - { id: E2, kind: defer, owner: o, reason: r, expires: 2026-06-30, match: { purl: "pkg:npm/x" } }\n  - { id: E2, kind: defer, owner: o, reason: r, expires: 2026-06-30, match: { purl: "pkg:npm/y" } }\n',
      },
      expect: ['exceptions.yaml:2:80 error: exceptions.0.match: an exception matches a vulnerability, a purl, or both', 'exceptions.yaml:2:88 error: exceptions.0.to: "to" is only for downgrade exceptions'],
    },
    {
      name: 'fixture problems',
      files: {
        'pack.yaml': MANIFEST,
        'policy.stella': POLICY,
        'fixtures/a.yaml': 'evaluationDate: 2026-03-01\nfindings:\n  - { id: f1, vulnerability: CVE-1, severity: severe }\nexpect:\n  findings:\n    f1: blocked\n',
        'fixtures/b.yaml': 'evaluationDate: 2026-03-01\nfindings:\n  - { id: f1, vulnerability: CVE-1 }\nexpect:\n  findings:\n    f2: blocked\n    f1: { rule: nope }\n',
      },
      expect: ['fixtures/a.yaml:3:47 error: findings.0.severity: Invalid input', 'fixtures/b.yaml:6:9 error: expect.findings.f2: expectation for f2, which is not a finding of this fixture', 'fixtures/b.yaml:7:17 error: expect.findings.f1.rule: expects rule nope, which the pack does not have'],
    },
  ];
  const failures: string[] = [];
  for (const c of cases) {
    const p = fromFiles(c.files);
    const got = p.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity}: ${d.message.split('\n')[0]}`.replace(/ at line \d+, column \d+:?$/, ''));
    const want = c.expect;
    if (got.length !== want.length || got.some((g, i) => !g.startsWith(want[i] as string))) failures.push(`${c.name}:\n  got  ${JSON.stringify(got)}\n  want ${JSON.stringify(want)}`);
    assert.equal(p.digest, null, `${c.name}: a pack with errors has no digest`);
    assert.throws(() => requireUsable(p), (e: unknown) => e instanceof PolicyError && e.code === 'policy-errors' && e.exitCode === 3);
  }
  assert.deepEqual(failures, []);
});

test('a fixture whose expectation is wrong fails with the finding, field, expected and actual values', () => {
  const p = requireUsable(
    fromFiles({
      'pack.yaml': MANIFEST,
      'policy.stella': POLICY,
      'fixtures/wrong.yaml': 'evaluationDate: 2026-03-01\nfindings:\n  - { id: f1, vulnerability: CVE-2021-44228, kev: true }\n  - { id: f2, vulnerability: CVE-2, severity: low }\nexpect:\n  verdict: PASS\n  findings:\n    f1: { status: warn, rule: kev }\n    f2: pass\n',
    }),
  );
  const r = runPackFixtures(p);
  assert.equal(r.failed, 1);
  assert.deepEqual(r.fixtures[0]?.failures, [
    { field: 'verdict', expected: 'PASS', actual: 'BLOCKED' },
    { finding: 'f1', field: 'status', expected: 'warn', actual: 'blocked', because: 'k' },
  ]);
});

test('the pack digest covers the IR and the exceptions, not fixtures or formatting', () => {
  const exc = 'exceptions:\n  - { id: E1, kind: suppress, owner: o, reason: r, expires: 2026-06-30, match: { vulnerability: CVE-1 } }\n';
  const a = fromFiles({ 'pack.yaml': MANIFEST, 'policy.stella': POLICY });
  const b = fromFiles({ 'pack.yaml': MANIFEST, 'policy.stella': `# comment\n${POLICY.replace(/ {2}/g, '    ')}`, 'fixtures/x.yaml': 'evaluationDate: 2026-03-01\nfindings: []\nexpect: {}\n' });
  const c = fromFiles({ 'pack.yaml': MANIFEST, 'policy.stella': POLICY, 'exceptions.yaml': exc });
  const d = fromFiles({ 'pack.yaml': MANIFEST.replace('"1"', '"2"'), 'policy.stella': POLICY });
  assert.ok(a.digest);
  assert.equal(a.digest, b.digest);
  assert.notEqual(a.digest, c.digest);
  assert.notEqual(a.digest, d.digest);
});
