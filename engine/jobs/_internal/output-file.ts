/**
 * Writing a user's output file (an exported bundle, a report): temp file beside the target → fsync →
 * `beforeRename` (the job records the export in the audit trail here) → rename → fsync the folder. A
 * reader, or a crash at any point, sees the old file or the complete new one at the target path, never
 * a part; and every file that appears at the target path was audited first.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsyncDir } from '../../store';
import { tempPathFor } from '../../store/atomic';

export function writeOutputAtomic(target: string, data: Uint8Array, beforeRename: () => void = () => undefined): void {
  mkdirSync(dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    let off = 0;
    while (off < data.byteLength) off += writeSync(fd, data, off, data.byteLength - off);
    fsyncSync(fd);
    closeSync(fd);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw e;
  }
  try {
    beforeRename();
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dirname(target));
}
