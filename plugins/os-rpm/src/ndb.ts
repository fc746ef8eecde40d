/**
 * Read-only reader for rpm's "ndb" package database (`Packages.db`, rpm ≥ 4.16 with the ndb backend,
 * used by SUSE). Layout (little-endian), per rpm's lib/backend/ndb/rpmpkg.c:
 *   header (32 bytes at 0): magic "RpmP", version 0, generation, number of 4096-byte slot pages, …
 *   slots (16 bytes each, after the header, filling the slot pages): magic "Slot", package index
 *     (0 = free), block offset, block count — blocks are 16 bytes;
 *   blob at block offset × 16: magic "BlbS", package index, generation, blob length, then the RPM
 *     header blob.
 * Every offset and length is checked against the file size.
 */
const HEADER_MAGIC = 0x506d7052; // "RpmP"
const SLOT_MAGIC = 0x746f6c53; // "Slot"
const BLOB_MAGIC = 0x53626c42; // "BlbS"
const PAGE = 4096;
const BLOCK = 16;
const HEADER_BYTES = 32;

export class NdbError extends Error {}

export function isNdb(b: Uint8Array): boolean {
  return b.length >= HEADER_BYTES && new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0, true) === HEADER_MAGIC;
}

export function readNdbBlobs(b: Uint8Array): Uint8Array[] {
  if (!isNdb(b)) throw new NdbError('not an ndb Packages.db (magic "RpmP" not found)');
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const version = v.getUint32(4, true);
  if (version !== 0) throw new NdbError(`ndb version ${version} is not supported (expected 0)`);
  const slotPages = v.getUint32(12, true);
  if (slotPages === 0 || slotPages * PAGE > b.length) throw new NdbError(`header declares ${slotPages} slot pages but the file has ${b.length} bytes (truncated?)`);
  const out: Uint8Array[] = [];
  for (let off = HEADER_BYTES; off + BLOCK <= slotPages * PAGE; off += BLOCK) {
    if (v.getUint32(off, true) !== SLOT_MAGIC) throw new NdbError(`slot at byte ${off} has no "Slot" magic`);
    const pkgIndex = v.getUint32(off + 4, true);
    if (pkgIndex === 0) continue; // free slot
    const blkOff = v.getUint32(off + 8, true);
    const blkCnt = v.getUint32(off + 12, true);
    const start = blkOff * BLOCK;
    if (blkOff * BLOCK < slotPages * PAGE || start + blkCnt * BLOCK > b.length || blkCnt * BLOCK < BLOCK) {
      throw new NdbError(`slot of package ${pkgIndex} points at blocks ${blkOff}+${blkCnt}, outside the blob area of the ${b.length}-byte file`);
    }
    if (v.getUint32(start, true) !== BLOB_MAGIC) throw new NdbError(`blob of package ${pkgIndex} at byte ${start} has no "BlbS" magic`);
    if (v.getUint32(start + 4, true) !== pkgIndex) throw new NdbError(`blob at byte ${start} belongs to package ${v.getUint32(start + 4, true)}, its slot says ${pkgIndex}`);
    const len = v.getUint32(start + 12, true);
    if (start + 16 + len > start + blkCnt * BLOCK) throw new NdbError(`blob of package ${pkgIndex} claims ${len} bytes, more than its ${blkCnt} blocks hold`);
    out.push(b.subarray(start + 16, start + 16 + len));
  }
  return out;
}
