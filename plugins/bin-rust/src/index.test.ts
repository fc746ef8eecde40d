import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { memoryFile as file } from '../../sdk/testing';
import rust from './index';
import { elfSection } from './elf';

/** A minimal little-endian ELF64 with a section-name table and one data section, as a linker lays it out. */
function elf64(sectionName: string, data: Buffer): Buffer {
  const shstr = Buffer.from(`\0.shstrtab\0${sectionName}\0`, 'latin1');
  const header = 64;
  const dataOff = header;
  const strOff = dataOff + data.length;
  const shoff = strOff + shstr.length;
  const out = Buffer.alloc(shoff + 3 * 64);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  out.writeBigUInt64LE(BigInt(shoff), 0x28);
  out.writeUInt16LE(64, 0x3a);
  out.writeUInt16LE(3, 0x3c);
  out.writeUInt16LE(1, 0x3e);
  data.copy(out, dataOff);
  shstr.copy(out, strOff);
  const sh = (i: number, name: number, off: number, size: number) => {
    const h = shoff + i * 64;
    out.writeUInt32LE(name, h);
    out.writeBigUInt64LE(BigInt(off), h + 0x18);
    out.writeBigUInt64LE(BigInt(size), h + 0x20);
  };
  sh(0, 0, 0, 0);
  sh(1, 1, strOff, shstr.length);
  sh(2, 11, dataOff, data.length);
  return out;
}

const AUDIT = {
  packages: [
    { name: 'mytool', version: '0.3.1', source: 'local', dependencies: [1, 2], root: true },
    { name: 'serde', version: '1.0.193', source: 'crates.io', dependencies: [] },
    { name: 'cc', version: '1.0.83', source: 'crates.io', kind: 'build' },
  ],
};

test('bin/rust: crates from a cargo-auditable .dep-v0 section, with edges, root and build-only crates', async () => {
  const bin = elf64('.dep-v0', deflateSync(Buffer.from(JSON.stringify(AUDIT))));
  const r = await rust.analyze([file('/usr/local/bin/mytool', bin)], { foundBy: 'bin/rust@1', target: 'file' });
  assert.deepEqual(r.issues, []);
  assert.deepEqual(
    r.packages.map((p) => `${p.componentType} ${p.name}@${p.version} ${p.properties?.source}${p.scope === 'optional' ? ' build' : ''}`),
    ['application mytool@0.3.1 local', 'library serde@1.0.193 crates.io', 'library cc@1.0.83 crates.io build'],
  );
  assert.deepEqual(r.relationships.map((e) => `${e.from.split('#')[1]}->${e.to.split('#')[1]}`), ['0->1', '0->2']);
  for (const p of r.packages) assert.equal(p.purl.type, 'cargo');
});

test('bin/rust: binaries without audit data are passed over; damaged sections are located issues', async () => {
  const plain = await rust.analyze([file('/usr/bin/ls', elf64('.text', Buffer.alloc(32)))], { foundBy: 'bin/rust@1', target: 'file' });
  assert.deepEqual([plain.packages, plain.issues], [[], []]);
  const script = await rust.analyze([file('/usr/bin/x.sh', '#!/bin/sh\n')], { foundBy: 'bin/rust@1', target: 'file' });
  assert.deepEqual([script.packages, script.issues], [[], []]);
  const garbage = await rust.analyze([file('/usr/bin/bad', elf64('.dep-v0', Buffer.from('not zlib')))], { foundBy: 'bin/rust@1', target: 'file' });
  assert.equal(garbage.packages.length, 0);
  assert.deepEqual(garbage.issues.map((i) => [i.path, i.severity]), [['/usr/bin/bad', 'error']]);
  // A zlib bomb: the audit JSON is capped when inflating.
  const bomb = await rust.analyze([file('/usr/bin/bomb', elf64('.dep-v0', deflateSync(Buffer.alloc(32 * 1024 * 1024, 0x20))))], { foundBy: 'bin/rust@1', target: 'file' });
  assert.equal(bomb.issues[0]?.severity, 'error');
  // A section table pointing past the end of the file.
  const lying = elf64('.dep-v0', Buffer.alloc(8));
  lying.writeBigUInt64LE(BigInt(lying.length + 100), 0x28);
  const r = await rust.analyze([file('/usr/bin/lying', lying)], { foundBy: 'bin/rust@1', target: 'file' });
  assert.equal(r.issues[0]?.severity, 'info');
  assert.throws(() => elfSection(lying, '.dep-v0'), /outside/);
});
