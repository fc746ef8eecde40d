/**
 * Files split for FAT32 (which cannot hold a file of 4 GiB or more): `NAME.part000`, `NAME.part001`, …
 * in order, each at most `FAT32_MAX_FILE_BYTES`. Readers join them back to back without writing the
 * whole file anywhere.
 */
import { createReadStream, existsSync, statSync, type ReadStream } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import type { ArchiveSource } from '../../core';

/** The largest file FAT32 can store: 4 GiB − 1 byte. */
export const FAT32_MAX_FILE_BYTES = 4 * 1024 * 1024 * 1024 - 1;

const PART_RE = /\.part(\d{3})$/;
export const MAX_PARTS = 1000;

export function partName(file: string, index: number): string {
  return `${file}.part${String(index).padStart(3, '0')}`;
}

/** `NAME.part007` → `{ base: 'NAME', index: 7 }`. */
export function parsePartName(file: string): { base: string; index: number } | null {
  const m = PART_RE.exec(file);
  return m ? { base: file.slice(0, -m[0].length), index: Number(m[1]) } : null;
}

/** The parts of a split `path` (part000, part001, … while they exist), or null when there is none. */
export function findParts(path: string): { path: string; size: number }[] | null {
  if (!existsSync(partName(path, 0))) return null;
  const parts: { path: string; size: number }[] = [];
  for (let i = 0; i < MAX_PARTS; i++) {
    const p = partName(path, i);
    if (!existsSync(p)) break;
    const st = statSync(p);
    if (!st.isFile()) break;
    parts.push({ path: p, size: st.size });
  }
  return parts;
}

/** One stream over files read back to back; destroying it stops the reading (and closes the file). */
export function concatenatedStream(paths: readonly string[], highWaterMark = 1024 * 1024): Readable {
  const out = new PassThrough({ highWaterMark });
  let closed = false;
  let current: ReadStream | null = null;
  out.on('close', () => {
    closed = true;
    current?.destroy();
  });
  (async () => {
    for (const p of paths) {
      if (closed) return;
      current = createReadStream(p, { highWaterMark });
      for await (const chunk of current) {
        if (closed) return;
        if (!out.write(chunk)) {
          await new Promise<void>((r) => {
            out.once('drain', r);
            out.once('close', r);
          });
        }
      }
    }
    if (!closed) out.end();
  })().catch((e: unknown) => {
    if (!closed) out.destroy(e instanceof Error ? e : new Error(String(e)));
  });
  return out;
}

/** An archive source over one file or its parts. */
export function fileOrPartsSource(parts: readonly { path: string; size: number }[]): ArchiveSource {
  return { size: parts.reduce((n, p) => n + p.size, 0), open: () => concatenatedStream(parts.map((p) => p.path)) };
}
