/**
 * Small container images for tests, built from real fixture folders or a few files: a `docker save`-style
 * archive (uncompressed layer tars named by diffID, a config with `history`, RepoTags), so the image view's
 * layers, sizes and build steps can be checked end to end without a registry or a 200 MB image; and an
 * OCI layout written with engine/core's deterministic tar writer.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { deterministicTarGz, sha256Digest } from '../../engine/core';
import { tempDir } from './fixtures';
export interface TestFile {
  path: string;
  bytes: Buffer;
}

export interface TestLayer {
  files: TestFile[];
  /** The build step recorded in the config history (what the image view shows as "created by"). */
  createdBy: string;
}

/** Every regular file under `dir`, with paths relative to it (sorted; `/` separators), optionally under `prefix`. */
export function filesUnder(dir: string, prefix = ''): TestFile[] {
  const out: TestFile[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.push({ path: `${prefix}${relative(dir, p).split(sep).join('/')}`, bytes: readFileSync(p) });
    }
  };
  walk(dir);
  return out;
}

/** An uncompressed tar of `files` (mode 0644, mtime 0), in the given order. */
export async function tarOf(files: readonly TestFile[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => void chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const f of files) {
    await new Promise<void>((resolve, reject) => pack.entry({ name: f.path, mode: 0o644, mtime: new Date(0) }, f.bytes, (err) => (err ? reject(err) : resolve())));
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export interface BuiltImage {
  /** The image id (config digest) — what the scanner names a docker-archive by. */
  digest: string;
  layers: { diffId: string; size: number; createdBy: string }[];
}

/**
 * A docker-archive at `file` with one layer per entry of `layers`. The config history has an
 * `empty_layer` step between layers (as `ENV`/`LABEL` steps do), so readers must skip those.
 */
export async function writeDockerArchive(file: string, layers: readonly TestLayer[], opts: { repoTag?: string; created?: string } = {}): Promise<BuiltImage> {
  const created = opts.created ?? '2024-06-01T12:00:00Z';
  const tars = await Promise.all(layers.map((l) => tarOf(l.files)));
  const history = layers.flatMap((l, i) => [{ created, created_by: l.createdBy }, ...(i < layers.length - 1 ? [{ created, created_by: `/bin/sh -c #(nop)  ENV STEP=${i + 1}`, empty_layer: true }] : [])]);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created, history, rootfs: { type: 'layers', diff_ids: tars.map(sha256) } }));
  const configName = `${sha256(config).slice(7)}.json`;
  const layerNames = tars.map((t) => `${sha256(t).slice(7)}/layer.tar`);
  const manifest = JSON.stringify([{ Config: configName, RepoTags: [opts.repoTag ?? 'stella-test/app:1.0'], Layers: layerNames }]);
  const entries: TestFile[] = [
    { path: 'manifest.json', bytes: Buffer.from(manifest) },
    { path: configName, bytes: config },
    ...tars.map((t, i) => ({ path: layerNames[i] as string, bytes: t })),
  ];
  writeFileSync(file, await tarOf(entries));
  return { digest: sha256(config), layers: tars.map((t, i) => ({ diffId: sha256(t), size: t.length, createdBy: (layers[i] as TestLayer).createdBy })) };
}

/** An OCI image layout (directory `image/`) of one Debian 12 layer holding the Python package `x` 1. */
export async function ociImageWithX(): Promise<string> {
  const layer = await deterministicTarGz([
    { path: 'etc/os-release', bytes: Buffer.from('ID=debian\nVERSION_ID="12"\n') },
    { path: 'usr/lib/python3/dist-packages/x-1.dist-info/METADATA', bytes: Buffer.from('Metadata-Version: 2.1\nName: x\nVersion: 1\n\n') },
  ]);
  const dir = join(tempDir(), 'image');
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const blob = (b: Uint8Array): { digest: string; size: number } => {
    const digest = sha256Digest(b);
    writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), b);
    return { digest, size: b.byteLength };
  };
  const config = blob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256Digest(gunzipSync(layer))] } })));
  const manifest = blob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...blob(layer) }],
      }),
    ),
  );
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest }] }));
  return dir;
}
