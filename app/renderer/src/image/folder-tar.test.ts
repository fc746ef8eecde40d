import assert from 'node:assert/strict';
import { test } from 'node:test';
import tar from 'tar-stream';
import { filesOfFolderInput, folderTar } from './folder-tar';

/** Every entry of a tar as tar-stream (the library the scanner reads layers with) reads it. */
async function entries(bytes: Uint8Array): Promise<{ name: string; type: string; body: string }[]> {
  const out: { name: string; type: string; body: string }[] = [];
  const ex = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('finish', () => resolve());
    ex.on('error', reject);
  });
  ex.on('entry', (h, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => void chunks.push(c as Buffer));
    stream.on('end', () => {
      out.push({ name: h.name, type: String(h.type), body: Buffer.concat(chunks).toString('utf8') });
      next();
    });
  });
  ex.end(Buffer.from(bytes));
  await done;
  return out;
}

test('a folder becomes a tar that tar readers take: sorted entries, exact bytes, long and non-ASCII paths through PAX', async () => {
  const long = `blobs/sha256/${'a'.repeat(64)}/${'deep/'.repeat(12)}file.json`;
  const files = [
    { path: 'oci-layout', file: new Blob(['{"imageLayoutVersion":"1.0.0"}']) },
    { path: 'index.json', file: new Blob(['{"manifests":[]}']) },
    { path: long, file: new Blob(['x'.repeat(513)]) },
    { path: 'usr/share/doc/café/README', file: new Blob(['bonjour\n']) },
    { path: 'empty', file: new Blob([]) },
  ];
  const blob = folderTar(files);
  const bytes = new Uint8Array(await blob.arrayBuffer());
  assert.equal(bytes.length % 512, 0);
  assert.equal(new TextDecoder().decode(bytes.subarray(257, 262)), 'ustar', 'detected as a tar by its magic');
  const got = await entries(bytes);
  assert.deepEqual(
    got.map((e) => [e.name, e.type, e.body.length]),
    [
      [long, 'file', 513],
      ['empty', 'file', 0],
      ['index.json', 'file', 16],
      ['oci-layout', 'file', 30],
      ['usr/share/doc/café/README', 'file', 8],
    ],
  );
  assert.equal(got.find((e) => e.name === 'index.json')?.body, '{"manifests":[]}');
});

test('files of a folder input lose the folder name; the folder name is reported', () => {
  const f = (rel: string): File => Object.assign(new File(['1'], rel.split('/').pop() as string), { webkitRelativePath: rel }) as unknown as File;
  const r = filesOfFolderInput([f('rootfs/etc/os-release'), f('rootfs/var/lib/dpkg/status')]);
  assert.equal(r.folder, 'rootfs');
  assert.deepEqual(r.files.map((x) => x.path), ['etc/os-release', 'var/lib/dpkg/status']);
});
