/**
 * Hostile inputs for the bounded-memory tests and benchmarks (issue 8, item 4): small files on disk
 * that expand to hundreds of megabytes, generated into a temp dir (never committed), and a runner that
 * starts the real `stella` CLI in a child process and reports its peak RSS.
 *
 * Every generator streams: none of them holds the expanded bytes in memory, so the test process itself
 * stays small while it builds a 1 GB layer.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import Database from 'better-sqlite3';
import tar from 'tar-stream';
import { REPO_ROOT } from './fixtures';

const MB = 1024 * 1024;

/** `size` bytes of `fill` in 1 MiB chunks (one chunk allocated, reused). */
function repeated(size: number, fill: number): Readable {
  const chunk = Buffer.alloc(Math.min(size, MB), fill);
  let left = size;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, chunk.length);
      left -= n;
      this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    },
  });
}

/** A stream of `prefix`, `size` bytes of `fill`, `suffix`. */
function sandwich(prefix: string, size: number, fill: number, suffix: string): Readable {
  return Readable.from(
    (async function* () {
      yield Buffer.from(prefix);
      for await (const c of repeated(size, fill)) yield c as Buffer;
      yield Buffer.from(suffix);
    })(),
  );
}

async function writeStream(file: string, source: Readable): Promise<void> {
  await pipeline(source, createWriteStream(file));
}

/** A CycloneDX 1.6 JSON SBOM whose one component has a `description` of `size` bytes. */
export async function sbomWithHugeString(file: string, size = 200 * MB): Promise<void> {
  const head = '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[{"type":"library","name":"a","version":"1.0","purl":"pkg:npm/a@1.0","description":"';
  await writeStream(file, sandwich(head, size, 0x41, '"}]}\n'));
}

/** A CycloneDX 1.6 XML SBOM whose one component has a `<description>` text of `size` bytes. */
export async function xmlSbomWithHugeText(file: string, size = 200 * MB): Promise<void> {
  const head = '<?xml version="1.0" encoding="UTF-8"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components><component type="library"><name>a</name><version>1.0</version><description>';
  await writeStream(file, sandwich(head, size, 0x41, '</description></component></components></bom>\n'));
}

/** An OSV advisory whose `details` is `size` bytes. */
export async function osvWithHugeString(file: string, size = 200 * MB, id = 'GHSA-hhhh-hhhh-hhhh'): Promise<void> {
  const head = `{"schema_version":"1.6.0","id":"${id}","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"left-pad"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.3.0"}]}]}],"details":"`;
  await writeStream(file, sandwich(head, size, 0x41, '"}\n'));
}

/** Stream through, hashing. */
class HashTap extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }
  digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }
}

/** Pack entries whose bodies are streams into a tar stream (sizes known up front). */
function packStreamed(entries: { name: string; size: number; body: () => Readable }[]): Readable {
  const pack = tar.pack();
  void (async () => {
    try {
      for (const e of entries) {
        await new Promise<void>((res, rej) => {
          const sink = pack.entry({ name: e.name, size: e.size, mode: 0o644, mtime: new Date(0) }, (err) => (err ? rej(err) : res()));
          e.body().pipe(sink);
        });
      }
      pack.finalize();
    } catch (err) {
      pack.destroy(err as Error);
    }
  })();
  return pack as unknown as Readable;
}

/** A gzip-compressed `.tar.gz` of `count` OSV documents, each with a `details` string of `size` bytes. */
export async function advisoryTarGz(file: string, count = 4, size = 150 * MB): Promise<void> {
  const entries = Array.from({ length: count }, (_, i) => {
    const head = `{"schema_version":"1.6.0","id":"GHSA-big${i}-xxxx-xxxx","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"p${i}"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.0.0"}]}]}],"details":"`;
    const tail = '"}\n';
    return { name: `advisories/GHSA-big${i}.json`, size: head.length + size + tail.length, body: () => sandwich(head, size, 0x41, tail) };
  });
  await pipeline(packStreamed(entries), createGzip({ level: 9 }), createWriteStream(file));
}

/**
 * A `.tar.gz` of `count` OSV documents that are big but within every limit: a 7 MB `details`, a 7 MB
 * `summary` and ~10 MB of `references` each (~24 MB a document). They must import, with memory bounded
 * by the byte-bounded write batches rather than growing with the number of documents.
 */
export async function advisoryTarGzWithinLimits(file: string, count = 8): Promise<void> {
  const ref = '{"type":"WEB","url":"https://example.invalid/advisories/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},';
  const refs = 100_000;
  const text = 7 * MB;
  const entries = Array.from({ length: count }, (_, i) => {
    const head = `{"schema_version":"1.6.0","id":"GHSA-ok${String(i).padStart(2, '0')}-xxxx-xxxx","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"ok${i}"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.0.0"}]}]}],"references":[`;
    const body = async function* (): AsyncGenerator<Buffer> {
      yield Buffer.from(head);
      const block = Buffer.from(ref.repeat(1000));
      for (let k = 0; k < refs / 1000; k++) yield k === refs / 1000 - 1 ? block.subarray(0, block.length - 1) : block;
      yield Buffer.from('],"summary":"');
      for await (const c of repeated(text, 0x53)) yield c as Buffer;
      yield Buffer.from('","details":"');
      for await (const c of repeated(text, 0x44)) yield c as Buffer;
      yield Buffer.from('"}\n');
    };
    const size = head.length + ref.length * refs - 1 + '],"summary":"'.length + text + '","details":"'.length + text + 3;
    return { name: `advisories/GHSA-ok${i}.json`, size, body: () => Readable.from(body()) };
  });
  await pipeline(packStreamed(entries), createGzip({ level: 6 }), createWriteStream(file));
}

/**
 * An OCI image tar (one gzip layer) holding `count` zero-filled `.jar` files of `size` bytes each under
 * `app/lib/`. Zeros compress ~1000:1, so the image is a few MB.
 */
export async function imageWithZeroJars(file: string, work: string, count = 4, size = 250 * MB): Promise<void> {
  const dir = join(work, 'oci');
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const entries = Array.from({ length: count }, (_, i) => ({ name: `app/lib/zero-${i}.jar`, size, body: () => repeated(size, 0) }));
  const diff = new HashTap();
  const blob = new HashTap();
  const tmp = join(dir, 'layer.tmp');
  await pipeline(packStreamed(entries), diff, createGzip({ level: 9 }), blob, createWriteStream(tmp));
  const layerDigest = blob.digest();
  const { renameSync } = await import('node:fs');
  renameSync(tmp, join(dir, 'blobs', 'sha256', layerDigest.slice(7)));
  const put = (bytes: Buffer): string => {
    const d = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    writeFileSync(join(dir, 'blobs', 'sha256', d.slice(7)), bytes);
    return d;
  };
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [diff.digest()] } }));
  const configDigest = put(config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: blob.bytes }],
    }),
  );
  const manifestDigest = put(manifest);
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifest.length }] }));
  const layout = Buffer.from('{"imageLayoutVersion":"1.0.0"}');
  const files: { name: string; path?: string; bytes?: Buffer }[] = [
    { name: 'oci-layout', bytes: layout },
    { name: 'index.json', bytes: index },
    { name: `blobs/sha256/${configDigest.slice(7)}`, bytes: config },
    { name: `blobs/sha256/${manifestDigest.slice(7)}`, bytes: manifest },
    { name: `blobs/sha256/${layerDigest.slice(7)}`, path: join(dir, 'blobs', 'sha256', layerDigest.slice(7)) },
  ];
  await pipeline(
    packStreamed(
      files.map((f) => ({
        name: f.name,
        size: f.bytes ? f.bytes.length : statSync(f.path as string).size,
        body: () => (f.bytes ? Readable.from([f.bytes]) : createReadStream(f.path as string)),
      })),
    ),
    createWriteStream(file),
  );
}

/**
 * An 8 KiB SQLite rpmdb whose `Packages.blob` is a generated column, `zeroblob(bytes)`: reading one
 * row materializes `bytes` bytes. Variants exercise the other checks of the rpm analyzer.
 */
export type HostileRpmdbVariant = 'generated-blob' | 'stored-generated' | 'virtual-table' | 'text-blob' | 'huge-length' | 'view' | 'declared-text';

export function hostileRpmdb(file: string, variant: HostileRpmdbVariant = 'generated-blob', bytes = 300_000_000): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = DELETE');
    switch (variant) {
      case 'generated-blob':
        db.exec(`CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB GENERATED ALWAYS AS (zeroblob(${bytes})) VIRTUAL, pad INTEGER)`);
        db.exec('INSERT INTO Packages (pad) VALUES (1), (2)');
        break;
      case 'stored-generated':
        db.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL, big BLOB GENERATED ALWAYS AS (x\'00\') STORED)');
        db.exec("INSERT INTO Packages (blob) VALUES (x'00000001')");
        break;
      case 'virtual-table':
        db.exec('CREATE VIRTUAL TABLE Packages USING fts5(hnum, blob)');
        db.exec("INSERT INTO Packages (hnum, blob) VALUES (1, 'x')");
        break;
      case 'declared-text':
        db.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob TEXT NOT NULL)');
        db.exec("INSERT INTO Packages (blob) VALUES ('x')");
        break;
      case 'text-blob':
        db.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
        db.exec("INSERT INTO Packages (blob) VALUES ('not a header')");
        break;
      case 'huge-length':
        // A real (stored) blob bigger than any rpm header: refused by length(blob) before it is read.
        db.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
        db.prepare('INSERT INTO Packages (blob) VALUES (zeroblob(?))').run(bytes);
        break;
      case 'view':
        db.exec('CREATE TABLE t (x INTEGER)');
        db.exec(`CREATE VIEW Packages AS SELECT 1 AS hnum, zeroblob(${bytes}) AS blob`);
        break;
    }
  } finally {
    db.close();
  }
}

export interface MeasuredRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size of the whole CLI process (all threads), in MiB; null when unknown. */
  peakRssMb: number | null;
  ms: number;
}

const REPORTER = `process.on('exit', () => { try { process.stderr.write('\\nstella-peak-rss-kb ' + process.resourceUsage().maxRSS + '\\n'); } catch {} });`;

/**
 * Run `stella ARGS` (bin/stella.mjs: the built CLI when dist/ exists, else the sources through tsx) in
 * a child process; the child reports `process.resourceUsage().maxRSS` (getrusage: every thread) on exit.
 */
export function runStellaMeasured(args: readonly string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<MeasuredRun> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(REPORTER)}`, join(REPO_ROOT, 'bin', 'stella.mjs'), ...args], {
      cwd: opts.cwd ?? REPO_ROOT,
      env: { ...process.env, NODE_OPTIONS: '', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 300_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const stderrAll = Buffer.concat(err).toString('utf8');
      const m = /\nstella-peak-rss-kb (\d+)\n/.exec(stderrAll);
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: stderrAll.replace(/\nstella-peak-rss-kb \d+\n/, ''),
        peakRssMb: m ? Math.round(Number(m[1]) / 1024) : null,
        ms: Math.round(performance.now() - t0),
      });
    });
  });
}

/** The memory ceiling every hostile input must stay under (issue 8). */
export const HOSTILE_RSS_LIMIT_MB = 768;

/** One hostile input: how to make it, the command that reads it, and what must come out. */
export interface HostileCase {
  /** Also the row name in `npm run bench`. */
  name: string;
  /** Generate the input under `dir`; returns the path the command reads. */
  make(dir: string): Promise<string>;
  /** The `stella` arguments (without `--home` and `--json`). */
  args(input: string): string[];
  exitCode: number;
  /** Each must match the `--json` document on stdout (the limit is named there). */
  expect: RegExp[];
}

export const HOSTILE_CASES: readonly HostileCase[] = [
  {
    name: 'SBOM (CycloneDX JSON) with one 200 MB string field',
    make: async (dir) => (await sbomWithHugeString(join(dir, 'bom.json')), join(dir, 'bom.json')),
    args: (f) => ['sbom', 'import', f],
    exitCode: 3,
    expect: [/"code": "too-large"/, /a JSON string of 209715200 bytes at line 1, column \d+ is longer than the 8388608-byte limit for one value \(maxStringBytes/],
  },
  {
    name: 'SBOM (CycloneDX XML) with one 200 MB text node',
    make: async (dir) => (await xmlSbomWithHugeText(join(dir, 'bom.xml')), join(dir, 'bom.xml')),
    args: (f) => ['sbom', 'import', f],
    exitCode: 3,
    expect: [/"code": "too-large"/, /an XML text or attribute value of 209715200 bytes .* \(maxStringBytes/],
  },
  {
    name: 'advisory (OSV) with one 200 MB string field',
    make: async (dir) => (await osvWithHugeString(join(dir, 'osv.json')), join(dir, 'osv.json')),
    args: (f) => ['advisories', 'import', f],
    exitCode: 3,
    expect: [/"new": 0/, /larger than the 134217728-byte document limit \(maxDocumentBytes of advisory import/],
  },
  {
    name: 'advisory (OSV) with one 100 MB string field, under the document limit',
    make: async (dir) => (await osvWithHugeString(join(dir, 'osv.json'), 100 * MB), join(dir, 'osv.json')),
    args: (f) => ['advisories', 'import', f],
    exitCode: 3,
    expect: [/"new": 0/, /a JSON string of 104857600 bytes at line 1, column \d+ is longer than the 8388608-byte limit for one value \(maxStringBytes/],
  },
  {
    name: '.tar.gz holding four 150 MB advisory documents',
    make: async (dir) => (await advisoryTarGz(join(dir, 'adv.tar.gz')), join(dir, 'adv.tar.gz')),
    args: (f) => ['advisories', 'import', f],
    exitCode: 3,
    expect: [/"documents": 4/, /"new": 0/, /GHSA-big3\.json: 157286635 bytes is larger than the 134217728-byte document limit \(maxDocumentBytes/],
  },
  {
    name: '.tar.gz holding eight 24 MB advisory documents within the limits',
    make: async (dir) => (await advisoryTarGzWithinLimits(join(dir, 'adv.tar.gz')), join(dir, 'adv.tar.gz')),
    args: (f) => ['advisories', 'import', f],
    exitCode: 0,
    expect: [/"documents": 8/, /"new": 8/, /"rejected": \[\]/],
  },
  {
    name: 'image holding four zero-filled 250 MB .jar files',
    make: async (dir) => (await imageWithZeroJars(join(dir, 'image.tar'), dir), join(dir, 'image.tar')),
    args: (f) => ['inventory', f, '--no-cache'],
    exitCode: 0,
    expect: [
      /"packages": \[\]/,
      /"message": "selected file is 262144000 bytes; only 12582912 bytes are left of the layer's read budget of 536870912 bytes \(512 MiB\) \(maxSelectedBytes\); not analyzed",[^}]*"path": "\/app\/lib\/zero-3\.jar"/,
      /"message": "not a readable Java archive: [^"]*",[^}]*"path": "\/app\/lib\/zero-0\.jar"/,
    ],
  },
  {
    name: '8 KiB rpmdb.sqlite whose blob column is a generated zeroblob(300000000)',
    make: async (dir) => (hostileRpmdb(join(dir, 'rpmdb.sqlite')), join(dir, 'rpmdb.sqlite')),
    args: (f) => ['inventory', f, '--as', 'var/lib/rpm/rpmdb.sqlite'],
    exitCode: 3,
    expect: [/"message": "unreadable SQLite rpmdb: column \\"blob\\" of Packages is a generated \(VIRTUAL\) column; refused/],
  },
];
