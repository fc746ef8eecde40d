/**
 * A second, narrower pass over a layer, for the filesystem view: the index of a layer below the one being
 * analyzed, or the content of files an analyzer asked for that the first pass did not keep. Same readers
 * as the main walk (gzip / zstd / plain, byte ranges of the image file), same path rules; entries that the
 * main walk would report as hostile are simply left out here (the main walk of that layer reports them).
 */
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { throwIfCancelled } from '../../core';
import { openRange, sniffCompression, ZstdTransform, type LayerSource } from './layer';
import { baseOf, normalizeEntryPath, parentOf } from './paths';
import type { IndexEntry } from './types';

export interface LayerRead {
  entries: IndexEntry[];
  kept: Map<string, Buffer>;
}

export interface LayerReadOptions {
  /** Record the index (every entry), or only collect `keep`'s files. */
  index: boolean;
  /** Which regular files to keep (root-relative path). */
  keep: (path: string) => boolean;
  /** Most uncompressed bytes to read (decompression-bomb guard) and most bytes to keep. */
  maxLayerBytes: number;
  maxKeptBytes: number;
  maxEntries: number;
  signal?: AbortSignal;
}

export async function readLayer(src: LayerSource, opts: LayerReadOptions): Promise<LayerRead> {
  const entries: IndexEntry[] = [];
  const kept = new Map<string, Buffer>();
  let keptBytes = 0;
  let seen = 0;
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.on('entry', (header, stream, next) => {
    stream.on('error', () => undefined);
    const drain = (): void => {
      stream.on('end', () => next());
      stream.resume();
    };
    if (++seen > opts.maxEntries) {
      extract.destroy(new Error(`more than ${opts.maxEntries} entries in layer ${src.label}`));
      return;
    }
    const norm = normalizeEntryPath(header.name);
    if (!norm.ok || norm.path === '') return drain();
    const path = norm.path;
    const base = baseOf(path);
    if (base.startsWith('.wh.')) {
      if (opts.index) {
        if (base === '.wh..wh..opq') entries.push([parentOf(path), 'opaque', 0]);
        else if (base.length > 4 && base !== '.wh..' && base !== '.wh...') entries.push([parentOf(path) ? `${parentOf(path)}/${base.slice(4)}` : base.slice(4), 'whiteout', 0]);
      }
      return drain();
    }
    switch (header.type) {
      case 'file':
      case 'contiguous-file': {
        const size = header.size ?? 0;
        if (opts.index) entries.push([path, 'file', size]);
        if (!opts.keep(path) || keptBytes + size > opts.maxKeptBytes) return drain();
        keptBytes += size;
        const chunks: Buffer[] = [];
        stream.on('data', (c: unknown) => void chunks.push(c as Buffer));
        stream.on('end', () => {
          kept.set(path, Buffer.concat(chunks));
          next();
        });
        return;
      }
      case 'link': {
        const t = normalizeEntryPath(header.linkname ?? '');
        if (t.ok && t.path) {
          if (opts.index) entries.push([path, 'hardlink', 0, t.path]);
          const body = kept.get(t.path);
          if (body && opts.keep(path)) kept.set(path, body);
        }
        return drain();
      }
      case 'symlink':
        if (opts.index) entries.push([path, 'symlink', 0, header.linkname ?? '']);
        return drain();
      case 'directory':
        if (opts.index) entries.push([path, 'dir', 0]);
        return drain();
      case 'character-device':
      case 'block-device':
        if (opts.index) entries.push([path, 'device', 0]);
        return drain();
      case 'fifo':
        if (opts.index) entries.push([path, 'fifo', 0]);
        return drain();
      default:
        return drain();
    }
  });
  const compression = sniffCompression(src);
  const input = openRange(src);
  const plain = compression === 'gzip' ? input.pipe(createGunzip({ chunkSize: 256 * 1024 })) : compression === 'zstd' ? input.pipe(new ZstdTransform()) : input;
  let total = 0;
  try {
    for await (const chunk of plain as AsyncIterable<Buffer>) {
      throwIfCancelled(opts.signal);
      total += chunk.length;
      if (total > opts.maxLayerBytes) throw new Error(`layer ${src.label} exceeds ${opts.maxLayerBytes} bytes uncompressed`);
      if (!extract.write(chunk)) await new Promise<void>((r) => extract.once('drain', r));
    }
    extract.end(undefined as never);
    await done;
  } finally {
    input.destroy();
  }
  return { entries, kept };
}
