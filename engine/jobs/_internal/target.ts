/**
 * Deciding, without loading the scanner, whether a scan target is an SBOM document. The scanner (its
 * image readers, analyzer plug-ins and worker pool) is loaded only when the target is not one.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { DEFAULT_LIMITS } from '../../core';
import { detectSbomFormat } from '../../sbom/detect';
import { JobError } from '../errors';

/** Enough of a large file to see an SBOM's opening (XML root element, JSON marker keys near the top). */
const HEAD_BYTES = 64 * 1024;

function isTarHeader(b: Uint8Array): boolean {
  return b.length >= 262 && Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1', 257, 262) === 'ustar';
}

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

function readHead(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/**
 * Is `path` an SBOM (CycloneDX, SPDX, Syft, Trivy), judged by content? Directories, tar archives (images),
 * gzip files and non-text files are not. A file larger than the SBOM size limit is judged by its first
 * 64 KiB, so an oversized SBOM is refused by the SBOM import with the limit named, not by the scanner.
 */
export function isSbomFile(path: string): boolean {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return false;
    size = st.size;
  } catch (cause) {
    throw new JobError('target-unreadable', `${path}: cannot read the target: ${(cause as Error).message}`, {
      cause,
      details: { file: path, expected: 'an SBOM, image archive, OCI layout, root filesystem directory or lockfile' },
    });
  }
  const bytes = size > DEFAULT_LIMITS.maxDocumentBytes ? readHead(path, HEAD_BYTES) : readFileSync(path);
  if (isTarHeader(bytes) || isGzip(bytes)) return false;
  try {
    return detectSbomFormat(bytes, path) !== null;
  } catch {
    // Not text (an rpmdb, a binary): not an SBOM.
    return false;
  }
}
