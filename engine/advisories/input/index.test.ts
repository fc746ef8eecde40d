import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';
import { extractFixtureTarball, fixture, needsFixtures, tempDir } from '../../../build/test-support/fixtures';
import { makeZip } from '../../../build/test-support/zip';
import { isInputError, isSkipped, readInputs, type InputItem } from './index';

async function collect(paths: string[], opts?: Parameters<typeof readInputs>[1]): Promise<InputItem[]> {
  const out: InputItem[] = [];
  for await (const item of readInputs(paths, opts)) out.push(item);
  return out;
}

const docs = (items: InputItem[]) => items.filter((i) => !isInputError(i)) as { uri: string; bytes: Buffer }[];
const errors = (items: InputItem[], code?: string) => items.filter((i) => isInputError(i) && (!code || i.error.code === code));

async function makeTarGz(entries: { name: string; data?: string; type?: 'file' | 'directory' | 'symlink' }[]): Promise<Buffer> {
  const p = tarPack();
  for (const e of entries) {
    if (e.type === 'directory') p.entry({ name: e.name, type: 'directory' });
    else if (e.type === 'symlink') p.entry({ name: e.name, type: 'symlink', linkname: '/etc/passwd' });
    else p.entry({ name: e.name }, e.data ?? '');
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p as AsyncIterable<Buffer>) chunks.push(c);
  return gzipSync(Buffer.concat(chunks));
}

test('zip: members sorted by name, bytes unchanged, LICENSE skipped visibly, "../" and absolute names refused', async () => {
  const dir = tempDir();
  const a = Buffer.from('{"id":"GHSA-aaaa-aaaa-aaaa","modified":"2024-01-01T00:00:00Z"}');
  const b = Buffer.from('{"id":"GHSA-bbbb-bbbb-bbbb","modified":"2024-01-01T00:00:00Z"}\n');
  const c = Buffer.from(JSON.stringify({ id: 'GHSA-cccc-cccc-cccc', modified: '2024-01-01T00:00:00Z', details: 'x'.repeat(5000) }));
  const zip = join(dir, 'all.zip');
  writeFileSync(
    zip,
    makeZip([
      { name: 'GHSA-bbbb-bbbb-bbbb.json', data: b },
      { name: 'LICENSE', data: Buffer.from('Apache-2.0') },
      { name: 'sub/', data: Buffer.alloc(0) },
      { name: '../evil.json', data: a },
      { name: '/abs.json', data: a },
      { name: 'GHSA-aaaa-aaaa-aaaa.json', data: a },
      { name: 'sub/GHSA-cccc-cccc-cccc.json', data: c, deflate: true },
    ]),
  );
  const items = await collect([zip]);
  assert.deepEqual(
    items.map((i) => [i.uri.slice(zip.length), isInputError(i) ? i.error.code : 'doc']),
    [
      ['!/../evil.json', 'unreadable-input'],
      ['!//abs.json', 'unreadable-input'],
      ['!/GHSA-aaaa-aaaa-aaaa.json', 'doc'],
      ['!/GHSA-bbbb-bbbb-bbbb.json', 'doc'],
      ['!/LICENSE', 'not-an-advisory'],
      ['!/sub/GHSA-cccc-cccc-cccc.json', 'doc'],
    ],
  );
  assert.deepEqual(
    docs(items).map((d) => d.bytes),
    [a, b, c],
  );
  const evil = errors(items, 'unreadable-input')[0];
  assert.ok(evil && isInputError(evil) && /unsafe member name/.test(evil.error.message) && evil.error.message.includes('../evil.json'));
});

test('zip bomb guard: a member over maxMemberBytes is refused by its declared size, and by its real size when the header lies', async () => {
  const dir = tempDir();
  const zip = join(dir, 'bomb.zip');
  const big = Buffer.alloc(200_000, 0x61);
  writeFileSync(
    zip,
    makeZip([
      { name: 'big.json', data: big, deflate: true },
      { name: 'liar.json', data: big, deflate: true, declaredSize: 10 },
      { name: 'ok.json', data: Buffer.from('{}') },
    ]),
  );
  const items = await collect([zip], { maxMemberBytes: 1000 });
  assert.deepEqual(
    items.map((i) => (isInputError(i) ? i.error.code : 'doc')),
    ['unreadable-input', 'unreadable-input', 'doc'],
  );
  assert.match((items[0] as { error: Error }).error.message, /larger than the 1000-byte document limit/);
});

test('zip members are checked against the central directory: a corrupt member (CRC-32) is an error item, its neighbours read', async () => {
  const dir = tempDir();
  const zip = join(dir, 'crc.zip');
  const bytes = makeZip([
    { name: 'a.json', data: '{"id":"A"}' },
    { name: 'b.json', data: '{"id":"B"}' },
    { name: 'c.json', data: '{"id":"C"}', deflate: true },
  ]);
  // Flip one stored byte of b.json ("B" → "X"): same size, other CRC.
  const at = bytes.indexOf('{"id":"B"}') + 7;
  bytes[at] = 0x58;
  writeFileSync(zip, bytes);
  const items = await collect([zip]);
  assert.deepEqual(
    items.map((i) => [i.uri.slice(zip.length), isInputError(i) ? i.error.code : (i as { bytes: Buffer }).bytes.toString()]),
    [
      ['!/a.json', '{"id":"A"}'],
      ['!/b.json', 'unreadable-input'],
      ['!/c.json', '{"id":"C"}'],
    ],
  );
  assert.match((items[1] as { error: Error }).error.message, /CRC-32 mismatch/);
});

test('member-count cap: a zip with more members than maxMembers is refused as a whole', async () => {
  const dir = tempDir();
  const zip = join(dir, 'many.zip');
  writeFileSync(zip, makeZip(Array.from({ length: 5 }, (_, i) => ({ name: `m${i}.json`, data: Buffer.from('{}') }))));
  const items = await collect([zip], { maxMembers: 3 });
  assert.equal(items.length, 1);
  assert.ok(isInputError(items[0]!) && /more than 3 members/.test(items[0].error.message));
  assert.equal(docs(await collect([zip], { maxMembers: 5 })).length, 5);
});

test('corrupt archives and missing paths yield an error item and the walk continues', async () => {
  const dir = tempDir();
  const badZip = join(dir, 'bad.zip');
  writeFileSync(badZip, Buffer.from('PK\x03\x04 this is not really a zip'));
  const good = join(dir, 'x.json');
  writeFileSync(good, '{"id":"OSV-1","modified":"2024-01-01T00:00:00Z"}');
  const tgz = await makeTarGz([{ name: 'a/one.json', data: '{"one":1}' }, { name: 'a/two.json', data: '{"two":2}' }]);
  const truncated = join(dir, 'cut.tar.gz');
  writeFileSync(truncated, tgz.subarray(0, tgz.length - 12));
  const badGz = join(dir, 'bad.json.gz');
  writeFileSync(badGz, Buffer.from('not gzip'));
  const items = await collect([badZip, join(dir, 'missing.json'), truncated, badGz, good]);
  const codes = items.map((i) => (isInputError(i) ? `${i.error.code}:${relative(dir, i.uri)}` : `doc:${relative(dir, i.uri)}`));
  assert.equal(codes[0], 'unreadable-input:bad.zip');
  assert.equal(codes[1], 'unreadable-input:missing.json');
  assert.equal(codes.at(-2), 'unreadable-input:bad.json.gz');
  assert.equal(codes.at(-1), 'doc:x.json');
  // The truncated tar.gz: whatever members precede the damage, then one error naming the archive.
  const mid = codes.slice(2, -2);
  assert.equal(mid.at(-1), 'unreadable-input:cut.tar.gz');
  assert.match((items[2 + mid.length - 1] as { error: Error }).error.message, /corrupt tar\.gz archive/);
});

test('tar.gz: archive order, directories silent, symlinks and traversal names reported', async () => {
  const dir = tempDir();
  const tgz = join(dir, 'feed.tgz');
  writeFileSync(
    tgz,
    await makeTarGz([
      { name: 'feed/', type: 'directory' },
      { name: 'feed/b.json', data: '{"b":1}' },
      { name: 'feed/a.json', data: '{"a":1}' },
      { name: 'feed/link.json', type: 'symlink' },
      { name: 'feed/../../etc/x.json', data: '{}' },
      { name: 'feed/README.md', data: '# hi' },
    ]),
  );
  const items = await collect([tgz]);
  assert.deepEqual(
    items.map((i) => [i.uri.slice(tgz.length + 2), isInputError(i) ? i.error.code : 'doc']),
    [
      ['feed/b.json', 'doc'],
      ['feed/a.json', 'doc'],
      ['feed/link.json', 'not-an-advisory'],
      ['feed/../../etc/x.json', 'unreadable-input'],
      ['feed/README.md', 'not-an-advisory'],
    ],
  );
});

test('directory walk: sorted, hidden entries and project files skipped visibly, jsonl split per line', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'b'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'b', 'z.json'), '{}');
  writeFileSync(join(dir, 'a.yaml'), 'id: X\n');
  writeFileSync(join(dir, 'README.md'), '# readme');
  writeFileSync(join(dir, 'c.jsonl'), '{"id":"A"}\r\n\n  \n{"id":"B"}');
  const items = await collect([dir]);
  assert.deepEqual(
    items.map((i) => [relative(dir, i.uri), isInputError(i) ? i.error.code : 'doc']),
    [
      ['.git', 'not-an-advisory'],
      ['README.md', 'not-an-advisory'],
      ['a.yaml', 'doc'],
      ['b/z.json', 'doc'],
      ['c.jsonl#L1', 'doc'],
      ['c.jsonl#L4', 'doc'],
    ],
  );
  assert.deepEqual(
    docs(items).slice(2).map((d) => d.bytes.toString()),
    ['{"id":"A"}', '{"id":"B"}'],
  );
  assert.equal(items.filter(isSkipped).length, 2);
});

test('jsonl: each line is bounded by maxMemberBytes; a broken gzip stream keeps the lines before it', async () => {
  const dir = tempDir();
  const f = join(dir, 'feed.jsonl');
  writeFileSync(f, `{"a":1}\n${'x'.repeat(5000)}\n{"b":2}\n${'y'.repeat(3000)}`);
  const items = await collect([f], { maxMemberBytes: 1000 });
  assert.deepEqual(
    items.map((i) => [relative(dir, i.uri), isInputError(i) ? i.error.code : i.bytes.toString()]),
    [
      ['feed.jsonl#L1', '{"a":1}'],
      ['feed.jsonl#L2', 'unreadable-input'],
      ['feed.jsonl#L3', '{"b":2}'],
      ['feed.jsonl#L4', 'unreadable-input'],
    ],
  );
  assert.match((items[1] as { error: Error }).error.message, /#L2: 5000 bytes is larger than the 1000-byte document limit/);
  const gz = join(dir, 'cut.jsonl.gz');
  const whole = gzipSync(Buffer.from(Array.from({ length: 2000 }, (_, i) => `{"n":${i}}`).join('\n')));
  writeFileSync(gz, whole.subarray(0, whole.length - 20));
  const cut = await collect([gz]);
  assert.ok(docs(cut).length > 1000, 'lines before the damage');
  const last = cut.at(-1)!;
  assert.ok(isInputError(last) && /not a valid gzip file/.test(last.error.message) && last.uri === gz);
});

test('cancellation stops the walk', async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(collect([tempDir()], { signal: ac.signal }), (e: Error & { code?: string }) => e.code === 'cancelled');
});

// ------------------------------------------------------------------ real fixtures: raw bytes come back unchanged

test('PyPI PYSEC tar.gz: 2,661 raw documents, byte-identical to the files in the archive', needsFixtures('advisories', 'pypi-pysec-advisory-database.tar.gz'), async () => {
  const tgz = fixture('advisories', 'pypi-pysec-advisory-database.tar.gz')!;
  const items = await collect([tgz]);
  const d = docs(items);
  assert.equal(d.length, 2661);
  assert.deepEqual(
    errors(items).map((e) => [e.uri.slice(tgz.length + 2), (e as { error: { code: string } }).error.code]),
    [
      ['pypa-advisory-database/LICENSE', 'not-an-advisory'],
      ['pypa-advisory-database/vulns/.id-allocator', 'not-an-advisory'],
    ],
  );
  const root = extractFixtureTarball('advisories', 'pypi-pysec-advisory-database.tar.gz');
  for (const doc of d) {
    const member = doc.uri.slice(tgz.length + 2);
    assert.ok(doc.bytes.equals(readFileSync(join(root, member))), member);
  }
});

test('GHSA OSV jsonl.gz: 364 line documents whose bytes rebuild the file', needsFixtures('advisories', 'maven', 'osv-scalibr-maven-ghsa.jsonl.gz'), async () => {
  const f = fixture('advisories', 'maven', 'osv-scalibr-maven-ghsa.jsonl.gz')!;
  const items = await collect([f]);
  const d = docs(items);
  assert.equal(d.length, 364);
  assert.equal(errors(items).length, 0);
  assert.equal(d[0]!.uri, `${f}#L1`);
  assert.equal(d[363]!.uri, `${f}#L364`);
  const whole = gunzipSync(readFileSync(f)).toString('utf8');
  assert.equal(whole.replace(/\n$/, ''), d.map((x) => x.bytes.toString('utf8')).join('\n'));
});

test('single .gz files are decompressed; plain files are returned as read; directories walk sorted', needsFixtures('advisories'), async () => {
  const root = fixture('advisories')!;
  const items = await collect([join(root, 'kev'), join(root, 'distro', 'debian-security-tracker'), join(root, 'npm', 'loopbackio-security')]);
  const byName = (n: string) => docs(items).find((x) => x.uri.endsWith(n));
  const kevGz = join(root, 'kev', 'known_exploited_vulnerabilities.json.gz');
  assert.ok(byName('known_exploited_vulnerabilities.json.gz')!.bytes.equals(gunzipSync(readFileSync(kevGz))));
  for (const f of ['DSA/list', 'DLA/list']) {
    assert.ok(byName(f)!.bytes.equals(readFileSync(join(root, 'distro', 'debian-security-tracker', f))), f);
  }
  const lb = join(root, 'npm', 'loopbackio-security');
  assert.deepEqual(
    items.filter((i) => i.uri.startsWith(lb)).map((i) => [relative(lb, i.uri), isInputError(i) ? i.error.code : 'doc']),
    [
      ['LICENSE', 'not-an-advisory'],
      ['advisories/README.md', 'not-an-advisory'],
      ['advisories/lbsa-20201130.csaf.json', 'doc'],
      ['advisories/lbsa-20201130.csaf.json.license', 'not-an-advisory'],
      ['advisories/lbsa-20201130.osv.json', 'doc'],
      ['advisories/lbsa-20201130.osv.json.license', 'not-an-advisory'],
    ],
  );
  // Every file of the walked folders is accounted for (a document or a visible skip).
  const files = (d: string): string[] =>
    readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? files(join(d, n)) : [join(d, n)]));
  assert.equal(items.length, [join(root, 'kev'), join(root, 'distro', 'debian-security-tracker'), lb].flatMap(files).length);
});

test('readInputs: a path can carry the uri provenance should record (an upload under its original name)', async () => {
  const dir = tempDir();
  const tmp = join(dir, 'upload-7f3a');
  writeFileSync(tmp, gzipSync(Buffer.from('{"id":"OSV-1"}\n{"id":"OSV-2"}\n')));
  const plain = join(dir, 'plain.json');
  writeFileSync(plain, '{"id":"OSV-3"}');
  const items: InputItem[] = [];
  for await (const item of readInputs([{ path: tmp, uri: 'upload:feed.jsonl.gz' }, plain])) items.push(item);
  // The temp copy is gzip of JSON lines: it reads as one document (not a .jsonl name), recorded under the upload name.
  assert.deepEqual(
    items.map((i) => i.uri),
    ['upload:feed.jsonl.gz', plain],
  );
  assert.ok(!isInputError(items[0] as InputItem));
});
