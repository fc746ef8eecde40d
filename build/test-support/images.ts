/** Small container images built by tests, with engine/core's deterministic tar writer. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { deterministicTarGz, sha256Digest } from '../../engine/core';
import { tempDir } from './fixtures';

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
