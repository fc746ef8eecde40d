import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { detectSbomFormat, parseSbom, SbomError } from './index';

// Hand-written documents following syft's JSON schema 16.x and Trivy's JSON report (SchemaVersion 2):
// the shared corpus has none, see testdata/.
const testdata = (name: string): Buffer => readFileSync(new URL(`./testdata/${name}`, import.meta.url));

test('syft JSON: packages, source packages (dpkg source, rpm sourceRpm), layers, relationships, distro', async () => {
  const bytes = testdata('syft-debian.syft.json');
  assert.deepEqual(detectSbomFormat(bytes), { format: 'syft-json' });
  const r = await parseSbom(bytes, { fileName: 'syft-debian.syft.json' });
  assert.equal(r.format, 'syft-json');
  assert.equal(r.specVersion, '16.0.18');
  const by = new Map(r.inventory.components.map((c) => [c.name, c]));
  const libc = by.get('libc6');
  assert.equal(libc?.purl, 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc');
  assert.deepEqual(libc?.source, { name: 'glibc', version: '2.36-9+deb12u4' });
  assert.equal(libc?.foundBy, 'dpkg-db-cataloger');
  assert.equal(libc?.layer, 'sha256:1a5fc1184c48f30a0d4ad8bbb7e7e7e6e1f6ad2b1f6b1c2b8e1f0e6b36a8a1c0');
  assert.deepEqual(libc?.locations.map((l) => l.path), ['/usr/share/doc/libc6/copyright', '/var/lib/dpkg/status']);
  assert.deepEqual(libc?.licenses, [{ expression: 'GPL-2.0-only', acknowledgement: 'declared' }, { expression: 'LGPL-2.1', acknowledgement: 'declared' }]);
  assert.equal(libc?.cpes.length, 1);
  assert.deepEqual(by.get('openssl-libs')?.source, { name: 'openssl', version: '3.0.7-27.el9' });
  assert.deepEqual(by.get('openssl-libs')?.licenses, [{ name: 'ASL 2.0', acknowledgement: 'declared' }]);
  const weird = by.get('weird');
  assert.equal(weird?.purl, undefined);
  assert.equal(weird?.extra['syft:purl'], 'not a purl at all');
  assert.ok(r.warnings.some((w) => w.includes('/artifacts/3/purl')));
  assert.deepEqual(r.inventory.dependencies, [{ ref: '4b5c1a8f9e2d7c36', dependsOn: ['8f2e6d0c1b3a4957'] }]);
  assert.deepEqual(r.inventory.os, { id: 'debian', versionId: '12', name: 'Debian GNU/Linux 12 (bookworm)' });
  assert.deepEqual(r.inventory.document.tools, [{ name: 'syft', version: '1.18.1' }]);
  assert.ok(libc?.extra['syft:metadata'], 'package metadata kept');
});

test('Trivy JSON: packages across results, full versions with epoch/release, source, layers, DependsOn', async () => {
  const bytes = testdata('trivy-debian.trivy.json');
  assert.deepEqual(detectSbomFormat(bytes), { format: 'trivy-json' });
  const r = await parseSbom(bytes, { fileName: 'trivy-debian.trivy.json' });
  assert.equal(r.format, 'trivy-json');
  assert.equal(r.inventory.components.length, 4);
  const by = new Map(r.inventory.components.map((c) => [c.name, c]));
  assert.equal(by.get('libc6')?.version, '2.36-9+deb12u4');
  assert.deepEqual(by.get('libc6')?.source, { name: 'glibc', version: '2.36-9+deb12u4' });
  assert.equal(by.get('perl-base')?.version, '1:5.36.0-7+deb12u1');
  assert.deepEqual(by.get('perl-base')?.source, { name: 'perl', version: '1:5.36.0-7+deb12u1' });
  assert.equal(by.get('libc6')?.layer, 'sha256:1a5fc1184c48f30a0d4ad8bbb7e7e7e6e1f6ad2b1f6b1c2b8e1f0e6b36a8a1c0');
  assert.deepEqual(by.get('lodash')?.locations, [{ path: 'app/package-lock.json', layer: 'sha256:' + '7b'.repeat(32) }]);
  assert.deepEqual(by.get('libgcc-s1')?.licenses, [{ expression: 'GPL-3.0-or-later WITH GCC-exception-3.1' }]);
  assert.deepEqual(r.inventory.dependencies, [{ ref: '3c1d2e9f8a7b6c5d', dependsOn: ['7e6f5a4b3c2d1e0f'] }]);
  assert.deepEqual(r.inventory.os, { id: 'debian', versionId: '12.8' });
  const results = r.inventory.document.extra['trivy:Results'] as { Vulnerabilities?: unknown[] }[];
  assert.equal(results[0]?.Vulnerabilities?.length, 1, 'vulnerabilities kept in document.extra');
});

test('syft/Trivy structural checks name the path', async () => {
  const bad: [string, object, RegExp][] = [
    ['syft artifact without name', { artifacts: [{ id: 'x', type: 'deb' }], descriptor: { name: 'syft' }, schema: { version: '16.0.18' } }, /\/artifacts\/0\/name: missing; expected a string name/],
    ['trivy schema 1', { SchemaVersion: 1, ArtifactName: 'x', Results: [] }, /\/SchemaVersion: unsupported value 1; expected 2/],
    ['trivy package without name', { SchemaVersion: 2, ArtifactName: 'x', Results: [{ Target: 't', Packages: [{ Version: '1' }] }] }, /\/Results\/0\/Packages\/0\/Name: missing/],
  ];
  for (const [name, doc, re] of bad) {
    await assert.rejects(parseSbom(Buffer.from(JSON.stringify(doc)), { fileName: 'x.json' }), (e: unknown) => e instanceof SbomError && e.code === 'schema-invalid' && re.test(e.message), name);
  }
});
