import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { memoryFile as file } from '../../sdk/testing';
import { fixture, needsFixtures, tempDir } from '../../../build/test-support/fixtures';
import { hostileRpmdb, type HostileRpmdbVariant } from '../../../build/test-support/hostile';
import rpm, { readSqliteBlobs } from './index';
import { readNdbBlobs } from './ndb';
import { parseHeaderBlob, parseSourceRpm } from './header';
import { readBdbHashValues } from './bdb';
import { openSqliteReadOnly } from '../../../build/test-support/sqlite';

const ctx = { foundBy: 'os/rpm@4', target: 'file' as const, openSqlite: openSqliteReadOnly };


const SQLITE = ['analyzers', 'rpmdb-sqlite', 'generated', 'var', 'lib', 'rpm', 'rpmdb.sqlite'];
const BDB = ['analyzers', 'rpmdb-bdb', 'syft', 'redhat__Packages'];

test('os/rpm: SQLite rpmdb yields what `rpm -qa` printed when the fixture was made', needsFixtures(...SQLITE), async () => {
  const r = await rpm.analyze([file('/var/lib/rpm/rpmdb.sqlite', readFileSync(fixture(...SQLITE) as string))], ctx);
  assert.deepEqual(r.issues, []);
  // Ground truth from `rpm --dbpath … -qa --qf '%{NAME} %{EPOCH} %{VERSION} %{RELEASE} %{ARCH} %{SOURCERPM}'` (rpm 4.18).
  assert.deepEqual(
    r.packages.map((p) => `${p.name} ${p.properties?.epoch ?? '(none)'} ${p.version} ${p.properties?.arch} ${p.properties?.sourceRpm} src=${p.source?.name}@${p.source?.version}`),
    [
      'caret-pkg (none) 2.0^20240101git1a2b3c-3 noarch caret-pkg-2.0^20240101git1a2b3c-3.src.rpm src=caret-pkg@2.0^20240101git1a2b3c-3',
      'hello (none) 1.0-1 noarch hello-1.0-1.src.rpm src=hello@1.0-1',
      'libfoo 2 2:3.4.5-7.el9 x86_64 libfoo-3.4.5-7.el9.src.rpm src=libfoo@2:3.4.5-7.el9',
      'openssl-libs-fixture 1 1:3.0.7-27.el9_4 x86_64 openssl-libs-fixture-3.0.7-27.el9_4.src.rpm src=openssl-libs-fixture@1:3.0.7-27.el9_4',
      'python3-bar (none) 1.2.3~rc1-0.1.el8 noarch python3-bar-1.2.3~rc1-0.1.el8.src.rpm src=python3-bar@1.2.3~rc1-0.1.el8',
      'tzdata-fixture (none) 2024a-1.fc40 noarch tzdata-fixture-2024a-1.fc40.src.rpm src=tzdata-fixture@2024a-1.fc40',
    ],
  );
  const libfoo = r.packages.find((p) => p.name === 'libfoo');
  assert.deepEqual(libfoo?.purl.qualifiers, { arch: 'x86_64', epoch: '2', upstream: 'libfoo-3.4.5-7.el9.src.rpm' });
  assert.equal(libfoo?.purl.version, '3.4.5-7.el9', 'the purl version has no epoch: it goes in the epoch qualifier');
  assert.deepEqual(libfoo?.licenses, ['GPL-2.0-or-later']);
  // installed files (BASENAMES + DIRNAMES/DIRINDEXES), as `rpm -ql` lists them
  assert.deepEqual(r.packages.map((p) => p.files), r.packages.map((p) => [`/usr/share/${p.name}/README`]));
});

test('os/rpm: BerkeleyDB Packages (syft fixture) yields dive 0.9.2-1', needsFixtures(...BDB), async () => {
  const r = await rpm.analyze([file('/var/lib/rpm/Packages', readFileSync(fixture(...BDB) as string))], ctx);
  assert.deepEqual(r.issues, []);
  assert.deepEqual(
    r.packages.map((p) => `${p.name} ${p.version} ${p.properties?.arch} src=${p.source?.name}@${p.source?.version}`),
    ['dive 0.9.2-1 x86_64 src=dive@0.9.2-1'],
  );
  assert.deepEqual(r.packages[0]?.files, ['/usr/local/bin/dive']);
});

test('os/rpm: files that are not rpm databases are rejected with a located error', async () => {
  for (const body of [Buffer.from('hello world, not a database at all'), Buffer.alloc(0)]) {
    const r = await rpm.analyze([file('/var/lib/rpm/Packages', body)], ctx);
    assert.equal(r.packages.length, 0);
    assert.equal(r.issues.length, 1);
    assert.equal(r.issues[0]?.severity, 'error');
    assert.equal(r.issues[0]?.path, '/var/lib/rpm/Packages');
    assert.match(r.issues[0]?.message ?? '', /not an rpm database/);
  }
});

test('os/rpm: truncated and corrupted BerkeleyDB files end in an error, never a hang or an out-of-range read', needsFixtures(...BDB), async () => {
  const good = readFileSync(fixture(...BDB) as string);
  const truncated = good.subarray(0, 4096 + 100);
  assert.throws(() => readBdbHashValues(truncated), /truncated|outside|broken/);
  const r = await rpm.analyze([file('/var/lib/rpm/Packages', Buffer.from(truncated))], ctx);
  assert.equal(r.issues[0]?.severity, 'error');
  // A self-referencing overflow chain must be caught by the cycle check.
  const values = readBdbHashValues(good);
  assert.equal(values.length, 1);
});

test('rpm header: bounds-checked decoding and SOURCERPM parsing', () => {
  assert.throws(() => parseHeaderBlob(new Uint8Array(4)), /shorter than its 8-byte preamble/);
  const lying = Buffer.alloc(8);
  lying.writeInt32BE(3, 0);
  lying.writeInt32BE(1000, 4);
  assert.throws(() => parseHeaderBlob(lying), /only 8 bytes/);
  assert.deepEqual(parseSourceRpm('openssl-3.0.7-27.el9.src.rpm'), { name: 'openssl', version: '3.0.7', release: '27.el9' });
  assert.deepEqual(parseSourceRpm('kernel-5.14.0-1.nosrc.rpm'), { name: 'kernel', version: '5.14.0', release: '1' });
  assert.equal(parseSourceRpm('garbage'), undefined);
});

/**
 * An ndb Packages.db laid out as rpm's ndb backend writes it (header page with slots, 16-byte blocks,
 * "BlbS" blobs), holding the REAL header blobs of the SQLite fixture. No real ndb database is in the
 * fixture corpus (Debian's rpm cannot write one), so the container is built here.
 */
function ndbFrom(blobs: Uint8Array[]): Buffer {
  const PAGE = 4096;
  const parts: Buffer[] = [];
  const slots = Buffer.alloc(PAGE);
  slots.writeUInt32LE(0x506d7052, 0); // RpmP
  slots.writeUInt32LE(0, 4); // version
  slots.writeUInt32LE(1, 8); // generation
  slots.writeUInt32LE(1, 12); // slot pages
  for (let off = 32; off + 16 <= PAGE; off += 16) slots.writeUInt32LE(0x746f6c53, off); // "Slot", free
  let block = PAGE / 16;
  blobs.forEach((blob, i) => {
    const blocks = Math.ceil((16 + blob.length + 12) / 16);
    const b = Buffer.alloc(blocks * 16);
    b.writeUInt32LE(0x53626c42, 0); // BlbS
    b.writeUInt32LE(i + 1, 4);
    b.writeUInt32LE(1, 8);
    b.writeUInt32LE(blob.length, 12);
    Buffer.from(blob).copy(b, 16);
    const slot = 32 + i * 16;
    slots.writeUInt32LE(i + 1, slot + 4);
    slots.writeUInt32LE(block, slot + 8);
    slots.writeUInt32LE(blocks, slot + 12);
    parts.push(b);
    block += blocks;
  });
  return Buffer.concat([slots, ...parts]);
}

test('os/rpm: ndb Packages.db (SUSE) yields the same packages as the SQLite rpmdb it was built from', needsFixtures(...SQLITE), async () => {
  const blobs = readSqliteBlobs(readFileSync(fixture(...SQLITE) as string), openSqliteReadOnly);
  const db = ndbFrom(blobs);
  const r = await rpm.analyze([file('/usr/lib/sysimage/rpm/Packages.db', db)], ctx);
  assert.deepEqual(r.issues, []);
  assert.deepEqual(r.packages.map((p) => `${p.name} ${p.version}`), [
    'caret-pkg 2.0^20240101git1a2b3c-3',
    'hello 1.0-1',
    'libfoo 2:3.4.5-7.el9',
    'openssl-libs-fixture 1:3.0.7-27.el9_4',
    'python3-bar 1.2.3~rc1-0.1.el8',
    'tzdata-fixture 2024a-1.fc40',
  ]);
  // Damaged databases end in a located error, never a read outside the file.
  const truncated = db.subarray(0, 4096 + 40);
  const bad = await rpm.analyze([file('/usr/lib/sysimage/rpm/Packages.db', truncated)], ctx);
  assert.equal(bad.issues[0]?.severity, 'error');
  assert.match(bad.issues[0]?.message ?? '', /unreadable ndb Packages\.db: .*outside/);
  assert.throws(() => readNdbBlobs(Buffer.from('RpmPxxxx')), /not an ndb/);
});

/**
 * The SQLite rpmdb is an attacker's database read with SQL: nothing is read before the table, its
 * columns and each row's type and length have been checked (`length()` comes from the record header).
 */
const hostile: [HostileRpmdbVariant, 'error' | 'warning', RegExp][] = [
  ['generated-blob', 'error', /column "blob" of Packages is a generated \(VIRTUAL\) column; refused/],
  ['stored-generated', 'error', /column "big" of Packages is a generated \(STORED\) column; refused/],
  ['virtual-table', 'error', /"Packages" is a virtual table; refused/],
  ['view', 'error', /"Packages" is a view, not a table; refused/],
  ['declared-text', 'error', /Packages has columns hnum INTEGER, blob TEXT; refused \(expected hnum INTEGER, blob BLOB\)/],
  ['text-blob', 'warning', /package header #1: blob is text, expected a blob; skipped/],
  ['huge-length', 'warning', /package header #1: header blob is 20000000 bytes, over the 16777216-byte limit \(RPMDB_SQLITE_LIMITS\.maxHeaderBytes\); not read; skipped/],
];

for (const [variant, severity, message] of hostile) {
  test(`os/rpm: hostile SQLite rpmdb (${variant}) is refused before any row is read, with a located ${severity}`, async () => {
    const path = join(tempDir(), 'rpmdb.sqlite');
    hostileRpmdb(path, variant, variant === 'huge-length' ? 20_000_000 : 300_000_000);
    const before = process.memoryUsage().rss;
    const r = await rpm.analyze([file('/var/lib/rpm/rpmdb.sqlite', readFileSync(path))], ctx);
    assert.deepEqual(r.packages, []);
    assert.deepEqual(r.issues.map((i) => [i.severity, i.path]), [[severity, '/var/lib/rpm/rpmdb.sqlite']]);
    assert.match(r.issues[0]?.message ?? '', message);
    // Nothing near the 300 MB a generated zeroblob would have materialized.
    assert.ok(process.memoryUsage().rss - before < 100 * 1024 * 1024, `rss grew by ${Math.round((process.memoryUsage().rss - before) / 1048576)} MB`);
  });
}

test('os/rpm: without the host SQLite capability the database is reported, not silently skipped', needsFixtures(...SQLITE), async () => {
  const r = await rpm.analyze([file('/var/lib/rpm/rpmdb.sqlite', readFileSync(fixture(...SQLITE) as string))], { foundBy: 'os/rpm@3', target: 'file' });
  assert.deepEqual(r.packages, []);
  assert.match(r.issues[0]?.message ?? '', /this host cannot open SQLite databases/);
});

test('os/rpm: one damaged header is a located issue; every other package is still reported', needsFixtures(...SQLITE), async () => {
  const db = new Database(readFileSync(fixture(...SQLITE) as string));
  db.prepare('UPDATE Packages SET blob = ? WHERE hnum = (SELECT MIN(hnum) FROM Packages)').run(Buffer.from([0, 0, 0, 9, 0, 0, 0, 1]));
  const bytes = db.serialize();
  db.close();
  const r = await rpm.analyze([file('/var/lib/rpm/rpmdb.sqlite', bytes)], ctx);
  assert.equal(r.packages.length, 5, 'six packages, one damaged');
  assert.deepEqual(r.issues.map((i) => i.severity), ['warning']);
  assert.match(r.issues[0]?.message ?? '', /^package header #1: header declares 9 entries and 1 data bytes but the blob has only 8 bytes; skipped/);
});
