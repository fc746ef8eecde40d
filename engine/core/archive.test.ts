import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { pack as tarPack, type Header } from 'tar-stream';
import { tempDir } from '../../build/test-support/fixtures';
import { deterministicTarGz, deterministicTarGzStream, forEachTarGzEntry, readTarGz, safeArchivePath, type ArchiveEntry } from './archive';
import { CoreError } from './errors';

const enc = (s: string) => Buffer.from(s, 'utf8');

/** A raw tar built member by member (for hostile archives the writer refuses to make). */
async function rawTarGz(members: { header: Partial<Header> & { name: string }; body?: string }[]): Promise<Buffer> {
  const p = tarPack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of p) chunks.push(c as Buffer);
  })();
  for (const m of members) p.entry(m.header, m.body ?? '');
  p.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

test('deterministic: same entries in any order give the same bytes; gzip header has no time, no name, OS byte 3', async () => {
  const entries: ArchiveEntry[] = [
    { path: 'b/verify.sh', bytes: enc('#!/bin/sh\necho ok\n'), mode: 0o755 },
    { path: 'a.json', bytes: enc('{"a":1}') },
    { path: 'manifest.json', bytes: enc('{}') },
  ];
  const one = await deterministicTarGz(entries);
  const two = await deterministicTarGz([...entries].reverse());
  assert.deepEqual(one, two);
  assert.equal(one[0], 0x1f);
  assert.equal(one[3], 0, 'FLG: no FNAME, no FCOMMENT');
  assert.equal(one.readUInt32LE(4), 0, 'MTIME is 0');
  assert.equal(one[9], 3, 'OS byte is fixed to Unix');
  const back = await readTarGz(one, 'mem.tar.gz');
  assert.deepEqual(
    back.map((e) => [e.path, e.mode, Buffer.from(e.bytes).toString()]),
    [
      ['a.json', 0o644, '{"a":1}'],
      ['b/verify.sh', 0o755, '#!/bin/sh\necho ok\n'],
      ['manifest.json', 0o644, '{}'],
    ],
  );
  // Headers: uid/gid 0, mtime 0, empty owner names (read back with the system tar where it exists).
  const tar = spawnSync('tar', ['--numeric-owner', '-tvzf', '-'], { input: one, encoding: 'utf8' });
  if (tar.status === 0) {
    for (const line of tar.stdout.trim().split('\n')) assert.match(line, /^-rw[-x]r-[-x]r-[-x] 0\/0\s+\d+ 1970-01-01 00:00 /, line);
  }
});

test('streamed members: archive bigger than any chunk, declared size enforced', async () => {
  const big = Buffer.alloc(3 * 1024 * 1024, 7);
  const chunks: Buffer[] = [];
  for await (const c of deterministicTarGzStream([{ path: 'big.bin', size: big.length, open: () => Readable.from([big.subarray(0, 1000), big.subarray(1000)]) }])) chunks.push(c as Buffer);
  const back = await readTarGz(Buffer.concat(chunks), 'big.tar.gz');
  assert.equal(back.length, 1);
  assert.ok(Buffer.from(back[0]!.bytes).equals(big));

  const wrong = deterministicTarGzStream([{ path: 'x', size: 10, open: () => Readable.from([Buffer.alloc(4)]) }]);
  await assert.rejects(async () => {
    for await (const _ of wrong) void _;
  });
});

test('writer refuses unnormalized or duplicate names', async () => {
  for (const path of ['../x', '/abs', 'a/../b', 'a\\b', './a', 'a//b', '']) {
    await assert.rejects(deterministicTarGz([{ path, bytes: enc('x') }]), (e: unknown) => e instanceof CoreError && e.code === 'invalid-archive', path);
  }
  await assert.rejects(deterministicTarGz([{ path: 'a', bytes: enc('1') }, { path: 'a', bytes: enc('2') }]), /twice/);
});

test('safeArchivePath', () => {
  const table: [string, string | null][] = [
    ['a/b.txt', 'a/b.txt'],
    ['./a/./b/', 'a/b'],
    ['pack/', 'pack'],
    ['../etc/passwd', null],
    ['a/../../b', null],
    ['/etc/passwd', null],
    ['C:/x', null],
    ['a\\..\\b', null],
    ['a\0b', null],
    ['', null],
    ['.', null],
  ];
  for (const [input, want] of table) assert.equal(safeArchivePath(input), want, JSON.stringify(input));
});

test('reader refuses traversal, links, devices, duplicates and oversize members before reading them', async () => {
  const cases: { name: string; members: { header: Partial<Header> & { name: string }; body?: string }[]; limits?: object; match: RegExp }[] = [
    { name: 'dot-dot', members: [{ header: { name: '../../evil', size: 1 }, body: 'x' }], match: /would leave the target directory/ },
    { name: 'absolute', members: [{ header: { name: '/etc/cron.d/x', size: 1 }, body: 'x' }], match: /would leave the target directory/ },
    { name: 'symlink', members: [{ header: { name: 'link', type: 'symlink', linkname: '/etc/passwd' } }], match: /symlink; only regular files/ },
    { name: 'hard link', members: [{ header: { name: 'hl', type: 'link', linkname: 'x' } }], match: /link; only regular files/ },
    { name: 'device', members: [{ header: { name: 'dev', type: 'character-device' } }], match: /character-device/ },
    { name: 'duplicate', members: [{ header: { name: 'a', size: 1 }, body: 'x' }, { header: { name: './a', size: 1 }, body: 'y' }], match: /appears twice/ },
    { name: 'entry size', members: [{ header: { name: 'a', size: 11 }, body: 'x'.repeat(11) }], limits: { maxEntryBytes: 10 }, match: /more than the limit of 10 bytes/ },
    { name: 'total size', members: [{ header: { name: 'a', size: 6 }, body: 'x'.repeat(6) }, { header: { name: 'b', size: 6 }, body: 'x'.repeat(6) }], limits: { maxTotalBytes: 10 }, match: /add up to more than the limit of 10 bytes/ },
    { name: 'count', members: [{ header: { name: 'a', size: 0 } }, { header: { name: 'b', size: 0 } }], limits: { maxEntries: 1 }, match: /more than 1 members/ },
  ];
  for (const c of cases) {
    const bytes = await rawTarGz(c.members);
    let opened = 0;
    await assert.rejects(
      forEachTarGzEntry(
        bytes,
        `${c.name}.tar.gz`,
        async (_i, s) => {
          opened++;
          s.resume();
          await new Promise((r) => s.on('end', r));
        },
        c.limits ? { limits: c.limits } : {},
      ),
      (e: unknown) => e instanceof CoreError && e.code === 'invalid-archive' && e.category === 'invalid-input' && c.match.test(e.message) && e.message.includes(`${c.name}.tar.gz`),
      c.name,
    );
    if (c.name !== 'duplicate' && c.name !== 'total size' && c.name !== 'count') assert.equal(opened, 0, `${c.name}: no member content handed out`);
  }
});

test('reader: damaged archives are invalid input naming the file, compressed size bounded by the file size', async () => {
  const good = await deterministicTarGz([{ path: 'a.txt', bytes: enc('hello '.repeat(1000)) }]);
  await assert.rejects(readTarGz(good.subarray(0, good.length - 12), 'cut.tar.gz'), (e: unknown) => e instanceof CoreError && e.code === 'invalid-archive' && /cut\.tar\.gz/.test(e.message));
  await assert.rejects(readTarGz(enc('not gzip at all'), 'plain.txt'), (e: unknown) => e instanceof CoreError && /plain\.txt.*gzip/.test(e.message));
  const dir = tempDir('archive');
  const file = join(dir, 'a.tar.gz');
  writeFileSync(file, good);
  assert.equal((await readTarGz(file, file)).length, 1);
  await assert.rejects(readTarGz(file, file, { limits: { maxCompressedBytes: 10 } }), /more than the limit of 10 bytes/);
  // gzip bomb: a small archive whose member inflates past the total limit is refused by its header size
  const bomb = await rawTarGz([{ header: { name: 'zeros', size: 5 * 1024 * 1024 }, body: '\0'.repeat(5 * 1024 * 1024) }]);
  assert.ok(bomb.length < 50_000);
  await assert.rejects(readTarGz(bomb, 'bomb.tar.gz', { limits: { maxTotalBytes: 1024 * 1024 } }), /more than the limit/);
  assert.ok(gunzipSync(good).length > 0);
});

async function drain(_info: unknown, s: Readable): Promise<void> {
  for await (const _chunk of s) void _chunk;
}

test('strictGzip: a changed header byte, an appended byte or a second gzip member is refused; the canonical archive passes and every compressed byte is seen', async () => {
  const good = await deterministicTarGz([{ path: 'a.json', bytes: enc('{"a":1}') }, { path: 'b.txt', bytes: enc('b'.repeat(5000)) }]);
  let seen = 0;
  await forEachTarGzEntry(good, 'good.tar.gz', drain, { strictGzip: true, onCompressedChunk: (c) => (seen += c.length) });
  assert.equal(seen, good.length);
  const cases: [string, Buffer][] = [
    ['mtime byte', Buffer.concat([good.subarray(0, 4), Buffer.from([1]), good.subarray(5)])],
    ['XFL byte', Buffer.concat([good.subarray(0, 8), Buffer.from([0]), good.subarray(9)])],
    ['OS byte', Buffer.concat([good.subarray(0, 9), Buffer.from([0xff]), good.subarray(10)])],
    ['one appended zero byte', Buffer.concat([good, Buffer.from([0])])],
    ['a second gzip member', Buffer.concat([good, gzipSync(Buffer.alloc(1024))])],
  ];
  for (const [what, bytes] of cases) {
    // Without the strict check gunzip accepts these (that is why the option exists) …
    await forEachTarGzEntry(bytes, what, drain);
    // … with it, each is refused as an invalid archive.
    await assert.rejects(
      forEachTarGzEntry(bytes, what, drain, { strictGzip: true }),
      (e: unknown) => e instanceof CoreError && e.code === 'invalid-archive',
      what,
    );
  }
});

test('an ArchiveSource (parts read back to back) is read like one file', async () => {
  const good = await deterministicTarGz([{ path: 'x/y.bin', bytes: Buffer.alloc(70_000, 3) }]);
  const parts = [good.subarray(0, 100), good.subarray(100, 5000), good.subarray(5000)];
  const back = await readTarGz({ size: good.length, open: () => Readable.from(parts) }, 'parts', { strictGzip: true });
  assert.deepEqual(back.map((e) => [e.path, e.bytes.byteLength]), [['x/y.bin', 70_000]]);
  await assert.rejects(readTarGz({ size: good.length, open: () => Readable.from(parts) }, 'parts', { limits: { maxCompressedBytes: 10 } }), /more than the limit of 10 bytes/);
});
