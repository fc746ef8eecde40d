/**
 * Test support (not shipped API): builds small layer tars — hostile ones included — and wraps them
 * into OCI layouts and docker-archives, so scanner tests need no external images.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import type { PluginSources } from '../plugins';
import type { BuiltinPluginDigest } from '../plugin-layout';

export interface TarEntrySpec {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device' | 'block-device' | 'fifo';
  body?: string | Buffer;
  linkname?: string;
}

export async function makeTar(entries: readonly TarEntrySpec[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => void chunks.push(c as Buffer));
  const done = new Promise<void>((res, rej) => {
    pack.on('end', () => res());
    pack.on('error', rej);
  });
  for (const e of entries) {
    const body = e.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(e.body) ? e.body : Buffer.from(e.body);
    await new Promise<void>((res, rej) => {
      pack.entry({ name: e.name, type: e.type ?? 'file', ...(e.linkname ? { linkname: e.linkname } : {}), mode: 0o644, mtime: new Date(0), ...(e.type === 'character-device' ? { devmajor: 1, devminor: 3 } : {}) }, body, (err) => (err ? rej(err) : res()));
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export type LayerCompression = 'gzip' | 'zstd' | 'none';

export function compress(tarBytes: Buffer, how: LayerCompression): Buffer {
  if (how === 'gzip') return gzipSync(tarBytes);
  if (how === 'zstd') return execFileSync('zstd', ['-q', '-c', '-3'], { input: tarBytes, maxBuffer: 1 << 30 });
  return tarBytes;
}

function putBlob(dir: string, bytes: Buffer): string {
  const d = sha(bytes);
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'blobs', 'sha256', d.slice(7)), bytes);
  return d;
}

/** An OCI image layout directory with the given layer tars; returns manifest digest and per-layer digests. */
export function writeOciLayout(dir: string, layers: readonly Buffer[], how: LayerCompression = 'gzip'): { manifest: string; layers: { digest: string; diffId: string }[] } {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const mt = how === 'gzip' ? 'application/vnd.oci.image.layer.v1.tar+gzip' : how === 'zstd' ? 'application/vnd.oci.image.layer.v1.tar+zstd' : 'application/vnd.oci.image.layer.v1.tar';
  const ls = layers.map((t) => {
    const blob = compress(t, how);
    return { digest: putBlob(dir, blob), diffId: sha(t), size: blob.length };
  });
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: ls.map((l) => l.diffId) } }));
  const configDigest = putBlob(dir, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: ls.map((l) => ({ mediaType: mt, digest: l.digest, size: l.size })),
    }),
  );
  const md = putBlob(dir, manifest);
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: md, size: manifest.length }] }));
  return { manifest: md, layers: ls.map(({ digest, diffId }) => ({ digest, diffId })) };
}

/** A `docker save`-style archive (uncompressed layer tars named by diffID). */
export async function writeDockerArchive(file: string, layers: readonly Buffer[]): Promise<void> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: layers.map(sha) } }));
  const cname = `${sha(config).slice(7)}.json`;
  const names = layers.map((l) => `${sha(l).slice(7)}/layer.tar`);
  const manifest = JSON.stringify([{ Config: cname, RepoTags: ['test:latest'], Layers: names }]);
  writeFileSync(file, await makeTar([{ name: 'manifest.json', body: manifest }, { name: cname, body: config }, ...layers.map((l, i) => ({ name: names[i] as string, body: l }))]));
}

/** Rewrite the size field of the tar header at `headerOffset` (and fix its checksum): a header that lies. */
export function lieAboutSize(tarBytes: Buffer, headerOffset: number, size: number): Buffer {
  const b = Buffer.from(tarBytes);
  b.write(size.toString(8).padStart(11, '0') + '\0', headerOffset + 124, 12, 'latin1');
  b.fill(0x20, headerOffset + 148, headerOffset + 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += b[headerOffset + i] as number;
  b.write(sum.toString(8).padStart(6, '0') + '\0 ', headerOffset + 148, 8, 'latin1');
  return b;
}

/** A hand-written plug-in (plain JS entry, digest pinned here) in its own folder under `dir`. */
export function writePlugin(dir: string, folder: string, name: string, body: string, globs: readonly string[] = ['f.txt']): void {
  mkdirSync(join(dir, folder, 'dist'), { recursive: true });
  writeFileSync(join(dir, folder, 'dist', 'index.mjs'), body);
  const entrySha256 = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  writeFileSync(
    join(dir, folder, 'plugin.json'),
    JSON.stringify({ name, version: 1, kind: 'analyzer', sdkApi: 1, requirements: { network: false }, selectors: globs.map((glob) => ({ glob })), entry: 'dist/index.mjs', entrySha256 }),
  );
}

/**
 * Sources that treat every plug-in folder under `dir` as a built-in, with the digests its files have
 * now — as if the application had been built with them (the compiled-in table is the default).
 */
export function asBuiltins(dir: string): PluginSources {
  const builtins: BuiltinPluginDigest[] = [];
  for (const folder of readdirSync(dir).sort()) {
    const manifestPath = join(dir, folder, 'plugin.json');
    if (!existsSync(manifestPath)) continue;
    const bytes = readFileSync(manifestPath);
    const m = JSON.parse(bytes.toString('utf8')) as { name: string; version: number; entry: string };
    const entry = join(dir, folder, m.entry);
    builtins.push({ folder, name: m.name, version: m.version, manifestSha256: sha(bytes), entry: m.entry, entrySha256: existsSync(entry) ? sha(readFileSync(entry)) : 'sha256:(missing)' });
  }
  return { builtinDir: dir, builtins };
}
