import { closeSync, createReadStream, fstatSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { mkdirPrivate, PRIVATE_FILE_MODE } from '../../store';
import { ExportError } from '../errors';

/**
 * Payload bytes spooled into ONE private temporary file (one file, not one per document: a kit holds
 * tens of thousands of documents), read back by path. The kit reader spools verified members here so
 * that activation never reads the media again; the builder spools feed documents while it parses them.
 */
export class PayloadSpool {
  private readonly fd: number;
  private offset = 0;
  private readonly index = new Map<string, { offset: number; size: number }>();
  readonly file: string;

  constructor(dir: string, name: string) {
    mkdirPrivate(dir);
    this.file = join(dir, name);
    this.fd = openSync(this.file, 'wx+', PRIVATE_FILE_MODE);
  }

  append(path: string, chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) off += writeSync(this.fd, chunk, off, chunk.length - off, this.offset + off);
    const e = this.index.get(path);
    if (e) e.size += chunk.length;
    else this.index.set(path, { offset: this.offset, size: chunk.length });
    this.offset += chunk.length;
  }

  /** Mark an empty file (no chunk ever arrives for it). */
  touch(path: string): void {
    if (!this.index.has(path)) this.index.set(path, { offset: this.offset, size: 0 });
  }

  has(path: string): boolean {
    return this.index.has(path);
  }

  read(path: string): Buffer {
    const e = this.index.get(path);
    if (!e) throw new ExportError('file-missing', `${path} was not verified in this kit`, { details: { path } });
    const buf = Buffer.allocUnsafe(e.size);
    let off = 0;
    while (off < e.size) {
      const n = readSync(this.fd, buf, off, e.size - off, e.offset + off);
      if (n === 0) throw new ExportError('write-failed', `the spooled copy of ${path} is shorter than verified`);
      off += n;
    }
    return buf;
  }

  /** A stream of one spooled file's bytes. */
  stream(path: string): Readable {
    const e = this.index.get(path);
    if (!e) throw new ExportError('file-missing', `${path} is not in the spool`, { details: { path } });
    return e.size === 0 ? Readable.from([]) : createReadStream(this.file, { start: e.offset, end: e.offset + e.size - 1, highWaterMark: 1024 * 1024 });
  }

  get bytes(): number {
    return fstatSync(this.fd).size;
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
    rmSync(this.file, { force: true });
  }
}
