import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openStore, ALL_MIGRATIONS, appliedVersions, StoreError, type Migration, resolveHome, defaultAppDataDir, writeFileAtomic, SMALL_BLOB_BYTES } from './index';
import { sha256Digest, type Digest } from '../core';
import { tempDir } from '../../build/test-support/fixtures';

test('a new store is in WAL mode with every migration applied', () => {
  const home = tempDir();
  const store = openStore({ home });
  try {
    assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(store.db.pragma('foreign_keys', { simple: true }), 1);
    const applied = appliedVersions(store.db);
    const expected = new Map<string, number>();
    for (const m of ALL_MIGRATIONS) expected.set(m.module, Math.max(expected.get(m.module) ?? 0, m.version));
    assert.deepEqual([...applied.entries()].sort(), [...expected.entries()].sort());
  } finally {
    store.close();
  }
});

test('upgrade from every earlier schema version of every module reaches the same schema as a fresh store', () => {
  const schemaOf = (db: Database.Database) =>
    (db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as { sql: string }[]).map((r) => JSON.stringify(r));
  const freshHome = tempDir();
  const fresh = openStore({ home: freshHome });
  const freshSchema = schemaOf(fresh.db);
  fresh.close();
  const modules = [...new Set(ALL_MIGRATIONS.map((m) => m.module))].sort();
  let upgrades = 0;
  for (const module of modules) {
    const last = Math.max(...ALL_MIGRATIONS.filter((m) => m.module === module).map((m) => m.version));
    for (let v = 0; v < last; v++) {
      const home = tempDir();
      // Every other module at its latest version, this one at v (0 = never migrated).
      const target = new Map(modules.map((m) => [m, m === module ? v : Number.MAX_SAFE_INTEGER]));
      openStore({ home, targetVersions: target }).close();
      const upgraded = openStore({ home });
      assert.deepEqual(schemaOf(upgraded.db), freshSchema, `${module} from version ${v}`);
      upgraded.close();
      upgrades++;
    }
  }
  assert.ok(upgrades >= modules.length, 'at least one upgrade path per module was exercised');
});

const demo: Migration[] = [
  { module: 'demo', version: 1, description: 'items', up: (db) => db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT') },
  { module: 'demo', version: 2, description: 'items.size', up: (db) => db.exec('ALTER TABLE items ADD COLUMN size INTEGER NOT NULL DEFAULT 0') },
];

test('migrations are forward-only and keep data written under earlier versions', () => {
  const home = tempDir();
  const s1 = openStore({ home, migrations: demo, targetVersions: new Map([['demo', 1]]) });
  s1.db.prepare('INSERT INTO items (name) VALUES (?)').run('kept');
  s1.close();
  const s2 = openStore({ home, migrations: demo });
  assert.deepEqual(s2.db.prepare('SELECT name, size FROM items').all(), [{ name: 'kept', size: 0 }]);
  assert.equal(appliedVersions(s2.db).get('demo'), 2);
  s2.close();
  // A build that knows fewer migrations must refuse the newer store instead of corrupting it.
  assert.throws(() => openStore({ home, migrations: demo.slice(0, 1) }), (e: unknown) => e instanceof StoreError && e.code === 'schema-too-new' && /version 2/.test(e.message));
});

test('a failing migration rolls back completely and names itself', () => {
  const home = tempDir();
  const bad: Migration[] = [
    ...demo,
    {
      module: 'demo',
      version: 3,
      description: 'broken',
      up: (db) => {
        db.exec('CREATE TABLE half (x INTEGER) STRICT');
        db.exec('THIS IS NOT SQL');
      },
    },
  ];
  assert.throws(() => openStore({ home, migrations: bad }), (e: unknown) => e instanceof StoreError && e.code === 'migration-failed' && /demo@3 \(broken\)/.test(e.message));
  const db = new Database(join(home, 'stella.db'));
  assert.equal((db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get() as { n: number }).n, 0);
  assert.equal((db.prepare("SELECT max(version) AS v FROM schema_migrations WHERE module = 'demo'").get() as { v: number }).v, 2);
  db.close();
});

test('migration lists with gaps are rejected', () => {
  assert.throws(() => openStore({ home: tempDir(), migrations: [demo[1] as Migration] }), /numbered 1..n without gaps/);
});

test('blob store: content addressed, idempotent, verified on read, atomic', async () => {
  const home = tempDir();
  const store = openStore({ home });
  try {
    const d = store.blobs.put('hello');
    assert.equal(d, sha256Digest('hello'));
    assert.equal(store.blobs.put(Buffer.from('hello')), d);
    assert.equal(store.blobs.get(d).toString(), 'hello');
    const file = join(home, 'big.bin');
    writeFileSync(file, Buffer.alloc(3 * 1024 * 1024, 7));
    const { digest, size } = await store.blobs.putFile(file);
    assert.equal(size, 3 * 1024 * 1024);
    assert.equal(digest, sha256Digest(readFileSync(file)));
    // No temp files are left behind.
    const leftovers = readdirSync(join(home, 'blobs', 'sha256'), { recursive: true }).filter((f) => String(f).endsWith('.tmp'));
    assert.deepEqual(leftovers, []);
    // A corrupted blob is detected, never served.
    const p = store.blobs.pathOf(d);
    chmodSync(p, 0o644);
    writeFileSync(p, 'tampered');
    assert.throws(() => store.blobs.get(d), (e: unknown) => e instanceof StoreError && e.code === 'blob-corrupt' && e.exitCode === 6);
    assert.equal(store.blobs.verify(d), false);
    assert.throws(() => store.blobs.get(sha256Digest('absent')), (e: unknown) => e instanceof StoreError && e.code === 'blob-missing');
  } finally {
    store.close();
  }
});

test('home resolution: --home, then STELLA_HOME, then the per-OS app-data folder', () => {
  assert.equal(resolveHome({ home: '/x/y', env: { STELLA_HOME: '/z' } }), '/x/y');
  assert.equal(resolveHome({ env: { STELLA_HOME: '/z' } }), '/z');
  assert.equal(resolveHome({ env: {}, platform: 'linux', userHome: '/home/a' }), '/home/a/.local/share/stella');
  assert.equal(defaultAppDataDir('linux', { XDG_DATA_HOME: '/data' }, '/home/a'), '/data/stella');
  assert.equal(defaultAppDataDir('darwin', {}, '/Users/a'), '/Users/a/Library/Application Support/Stella Evidence Workstation');
  assert.match(defaultAppDataDir('win32', { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'C:\\Users\\a'), /Stella Evidence Workstation$/);
});

test('writeFileAtomic replaces whole files and leaves no temp files', () => {
  const dir = tempDir();
  const target = join(dir, 'sub', 'out.json');
  writeFileAtomic(target, '{"a":1}');
  writeFileAtomic(target, '{"a":2}');
  assert.equal(readFileSync(target, 'utf8'), '{"a":2}');
  assert.deepEqual(readdirSync(join(dir, 'sub')), ['out.json']);
});

test('two processes writing one home concurrently do not corrupt it', async () => {
  const home = tempDir();
  openStore({ home }).close();
  const storeModule = fileURLToPath(new URL('./index.ts', import.meta.url));
  const script = `
    import { openStore } from ${JSON.stringify(storeModule)};
    const store = openStore({ home: process.argv[1] });
    store.db.exec("CREATE TABLE IF NOT EXISTS hammer (who TEXT NOT NULL, n INTEGER NOT NULL, blob TEXT NOT NULL) STRICT");
    for (let i = 0; i < 200; i++) {
      const digest = store.blobs.put('shared-' + (i % 20));
      store.write(() => store.db.prepare('INSERT INTO hammer VALUES (?, ?, ?)').run(process.argv[2], i, digest));
    }
    store.close();
  `;
  const run = (who: string) =>
    new Promise<number>((resolve, reject) => {
      const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, home, who], { stdio: ['ignore', 'inherit', 'inherit'] });
      p.on('error', reject);
      p.on('exit', (code) => resolve(code ?? -1));
    });
  const codes = await Promise.all([run('a'), run('b')]);
  assert.deepEqual(codes, [0, 0]);
  const store = openStore({ home });
  try {
    assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
    const rows = store.db.prepare('SELECT who, count(*) AS n FROM hammer GROUP BY who ORDER BY who').all();
    assert.deepEqual(rows, [
      { who: 'a', n: 200 },
      { who: 'b', n: 200 },
    ]);
    for (let i = 0; i < 20; i++) assert.equal(store.blobs.get(sha256Digest(`shared-${i}`)).toString(), `shared-${i}`);
  } finally {
    store.close();
  }
});

test('putMany: small blobs go to the database tier in one transaction, large ones to files; both read back verified', async () => {
  const home = tempDir();
  const store = openStore({ home });
  try {
    const small = Buffer.from('{"id":"OSV-1"}');
    const large = Buffer.alloc(SMALL_BLOB_BYTES + 1, 1);
    const results = await store.blobs.putMany([small, large, small]);
    const [s, l, again] = results.map((r) => ('digest' in r ? r.digest : r.error.message));
    assert.equal(s, sha256Digest(small));
    assert.equal(again, s, 'duplicates in a batch share the digest');
    assert.equal(l, sha256Digest(large));
    assert.equal(readdirSync(join(home, 'blobs', 'sha256'), { recursive: true }).filter((f) => String(f).endsWith(String(s).slice(7))).length, 0, 'the small blob is not a file');
    assert.equal((store.db.prepare('SELECT count(*) AS n FROM blob_small').get() as { n: number }).n, 1, 'one row: the duplicate is stored once');
    assert.ok(store.blobs.has(s as Digest) && store.blobs.has(l as Digest));
    assert.ok(store.blobs.get(s as Digest).equals(small));
    assert.equal(store.blobs.size(l as Digest), large.length);
    // Tampering with the database tier is detected like a corrupt file.
    store.db.prepare('UPDATE blob_small SET bytes = ? WHERE digest = ?').run(Buffer.from('x'), s);
    assert.throws(() => store.blobs.get(s as Digest), (e: unknown) => e instanceof StoreError && e.code === 'blob-corrupt');
    store.blobs.discard(s as Digest);
    assert.equal(store.blobs.has(s as Digest), false);
  } finally {
    store.close();
  }
});

test('what the store creates is private: folders 0700, the database (and its WAL) 0600, blobs 0400', { skip: process.platform === 'win32' ? 'POSIX modes' : false }, async () => {
  const home = join(tempDir(), 'a', 'new', 'home');
  const store = openStore({ home });
  try {
    const big = await store.blobs.putMany([Buffer.alloc(SMALL_BLOB_BYTES + 1, 2)]);
    store.write(() => store.db.prepare('SELECT 1').get());
    const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);
    assert.equal(mode(home), '700');
    assert.equal(mode(join(home, '..')), '700', 'parents it had to create too');
    for (const f of ['stella.db', 'stella.db-wal', 'stella.db-shm']) assert.equal(mode(join(home, f)), '600', f);
    assert.equal(mode(join(home, 'blobs')), '700');
    assert.equal(mode(join(home, 'blobs', 'sha256')), '700');
    const first = big[0];
    assert.ok(first && 'digest' in first, String(first && 'error' in first ? first.error : first));
    const blob = store.blobs.pathOf(first.digest);
    assert.equal(mode(join(blob, '..')), '700');
    assert.equal(mode(blob), '400');
  } finally {
    store.close();
  }
});
