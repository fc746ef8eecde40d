import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { memoryFile as file } from '../../sdk/testing';
import go from './index';
import { purlToString } from '../../sdk';
import { BUILDINFO_MAGIC, parseModInfo, readBuildInfo } from './buildinfo';
import { fakeGoExecutable } from '../../../build/test-support/go-binary';

/** A Go 1.18+ executable (build info inline) as the Go linker lays it out. */
const fakeGoBinary = (goVersion: string, modinfo: string): Buffer => fakeGoExecutable(goVersion, modinfo, { layout: 'inline' });

const MODINFO = [
  'path\texample.com/tool/cmd/tool',
  'mod\texample.com/tool\tv1.4.0\th1:abc=',
  'dep\tgolang.org/x/net\tv0.17.0\th1:net=',
  'dep\tgithub.com/old/lib\tv1.0.0\th1:old=',
  '=>\tgithub.com/fork/lib\tv1.0.1\th1:fork=',
  'dep\texample.com/local\tv0.0.0',
  '=>\t../local\t',
  'build\t-compiler=gc',
  'build\tGOOS=linux',
  'build\tvcs.revision=0123456789abcdef',
  '',
].join('\n');

test('bin/go: module, dependencies (with replacements) and the toolchain as stdlib', async () => {
  const r = await go.analyze([file('/usr/local/bin/tool', fakeGoBinary('go1.21.5', MODINFO))], { foundBy: 'bin/go@1', target: 'file' });
  assert.deepEqual(r.issues, []);
  assert.deepEqual(
    r.packages.map((p) => `${p.componentType ?? 'library'} ${p.name}@${p.version ?? '-'}`),
    ['application example.com/tool@v1.4.0', 'library golang.org/x/net@v0.17.0', 'library github.com/fork/lib@v1.0.1', 'library example.com/local@v0.0.0', 'library stdlib@v1.21.5'],
  );
  const fork = r.packages.find((p) => p.name === 'github.com/fork/lib');
  assert.equal(fork?.properties?.replaces, 'github.com/old/lib@v1.0.0');
  assert.equal(r.packages.find((p) => p.name === 'example.com/local')?.properties?.replacedBy, '../local');
  assert.equal(r.packages[0]?.properties?.['build.vcs.revision'], '0123456789abcdef');
  assert.equal(r.relationships.length, 4);
  for (const p of r.packages) assert.equal(p.purl.type, 'golang');
  assert.equal(purlToString(fork?.purl as never), 'pkg:golang/github.com/fork/lib@v1.0.1', 'module path: namespace + name, not an encoded name');
});

test('bin/go: scripts and non-Go executables are passed over silently; old and truncated build info is a located info issue', async () => {
  const script = await go.analyze([file('/usr/bin/tool.sh', '#!/bin/sh\necho hi\n')], { foundBy: 'bin/go@1', target: 'file' });
  assert.deepEqual([script.packages, script.issues], [[], []]);
  const cBinary = await go.analyze([file('/usr/bin/ls', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(4096)]))], { foundBy: 'bin/go@1', target: 'file' });
  assert.deepEqual([cBinary.packages, cBinary.issues], [[], []]);
  // the Go 1.13–1.17 layout in a file that is not ELF (a Mach-O here): its pointers cannot be mapped
  const macho = fakeGoExecutable('go1.16', MODINFO, { layout: 'pointers' });
  Buffer.from([0xcf, 0xfa, 0xed, 0xfe]).copy(macho, 0);
  const old = await go.analyze([file('/usr/bin/old', macho)], { foundBy: 'bin/go@1', target: 'file' });
  assert.equal(old.packages.length, 0);
  assert.deepEqual(old.issues.map((i) => [i.path, i.severity]), [['/usr/bin/old', 'info']]);
  assert.match(old.issues[0]?.message ?? '', /before Go 1\.18 and not an ELF executable/);
  const whole = fakeGoBinary('go1.21.5', MODINFO);
  const truncated = readBuildInfo(whole.subarray(0, whole.indexOf(BUILDINFO_MAGIC) + 40));
  assert.equal(truncated.kind, 'unsupported');
});

test('bin/go: Go 1.13–1.17 executables (build info behind pointers, mapped through the ELF program headers)', async () => {
  const rows: [string, Parameters<typeof fakeGoExecutable>[2]][] = [
    ['ELF64 little-endian', { layout: 'pointers', bits: 64 }],
    ['ELF32 big-endian', { layout: 'pointers', bits: 32, bigEndian: true }],
  ];
  for (const [what, opts] of rows) {
    const r = await go.analyze([file('/usr/local/bin/legacy', fakeGoExecutable('go1.16.15', MODINFO, opts))], { foundBy: 'bin/go@2', target: 'file' });
    assert.deepEqual(r.issues, [], what);
    assert.deepEqual(
      r.packages.map((p) => `${p.name}@${p.version ?? '-'}`),
      ['example.com/tool@v1.4.0', 'golang.org/x/net@v0.17.0', 'github.com/fork/lib@v1.0.1', 'example.com/local@v0.0.0', 'stdlib@v1.16.15'],
      what,
    );
    assert.equal(purlToString(r.packages.at(-1)?.purl as never), 'pkg:golang/stdlib@v1.16.15');
  }
  // GOPATH-mode build: no module info, the toolchain still gives stdlib
  const gopath = await go.analyze([file('/usr/bin/gp', fakeGoExecutable('go1.15.2', '', { layout: 'pointers' }))], { foundBy: 'bin/go@2', target: 'file' });
  assert.deepEqual(gopath.packages.map((p) => `${p.name}@${p.version}`), ['stdlib@v1.15.2']);
  // a pointer that leads outside the loaded segment is a located info issue, never a crash
  const broken = fakeGoExecutable('go1.16.15', MODINFO, { layout: 'pointers' });
  broken.writeBigUInt64LE(0xdead0000n, 0x100 + 16);
  const b = await go.analyze([file('/usr/bin/broken', broken)], { foundBy: 'bin/go@2', target: 'file' });
  assert.equal(b.packages.length, 0);
  assert.match(b.issues[0]?.message ?? '', /not in a loaded segment/);
  // toolchain pre-releases are kept
  const rc = await go.analyze([file('/usr/bin/rc', fakeGoExecutable('go1.21rc2', MODINFO))], { foundBy: 'bin/go@2', target: 'file' });
  assert.equal(rc.packages.find((p) => p.name === 'stdlib')?.version, 'v1.21rc2');
});

test('bin/go: module info lines', () => {
  const m = parseModInfo(MODINFO);
  assert.equal(m.path, 'example.com/tool/cmd/tool');
  assert.deepEqual(m.main, { path: 'example.com/tool', version: 'v1.4.0', sum: 'h1:abc=' });
  assert.equal(m.deps.length, 3);
  assert.equal(m.settings.GOOS, 'linux');
});

// Debian's umoci and skopeo are Go programs (installed by .ci/run); Debian builds them in GOPATH mode,
// so their build info names the main package and the toolchain but no module versions.
const REAL = ['/usr/bin/umoci', '/usr/bin/skopeo'].find((p) => existsSync(p));
test('bin/go: a real Go executable from Debian', { skip: REAL ? false : 'no Go executable found (install with: apt-get install -y umoci skopeo)' }, async () => {
  const path = REAL as string;
  const r = await go.analyze([file(path, readFileSync(path))], { foundBy: 'bin/go@1', target: 'file' });
  assert.deepEqual(r.issues, []);
  const stdlib = r.packages.find((p) => p.name === 'stdlib');
  assert.match(stdlib?.version ?? '', /^v1\.\d+/);
  const main = r.packages.find((p) => p.componentType === 'application');
  assert.match(main?.name ?? '', /^github\.com\/(opencontainers\/umoci|containers\/skopeo)\//);
});
