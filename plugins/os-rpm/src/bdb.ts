/**
 * Read-only reader for the BerkeleyDB hash database rpm used up to 4.16 (`/var/lib/rpm/Packages`).
 * Values (RPM header blobs) are collected from every hash page; large values live on overflow-page
 * chains. Page numbers, offsets and chain lengths are bounds-checked and chains are cycle-checked so
 * a corrupt or hostile file ends in an error, never a loop or an out-of-range read.
 * Layout per BerkeleyDB's dbinc/db_page.h (generic metadata page + PAGE header + hash items).
 */
const HASH_MAGIC = 0x061561;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
const PAGE_HEADER = 26;

export class BdbError extends Error {}

export function isBdbHash(bytes: Uint8Array): boolean {
  if (bytes.length < 24) return false;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return v.getUint32(12, true) === HASH_MAGIC || v.getUint32(12, false) === HASH_MAGIC;
}

export function readBdbHashValues(bytes: Uint8Array): Uint8Array[] {
  if (!isBdbHash(bytes)) throw new BdbError('not a BerkeleyDB hash database (magic 0x061561 not found at offset 12)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = view.getUint32(12, true) === HASH_MAGIC;
  const u32 = (o: number) => view.getUint32(o, le);
  const u16 = (o: number) => view.getUint16(o, le);
  const pageSize = u32(20);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw new BdbError(`page size ${pageSize} is not a power of two between 512 and 65536`);
  if (view.getUint8(24) !== 0) throw new BdbError('encrypted BerkeleyDB databases are not supported');
  const lastPage = u32(32);
  const pageCount = Math.floor(bytes.length / pageSize);
  if (lastPage >= pageCount) throw new BdbError(`metadata names last page ${lastPage} but the file holds ${pageCount} pages (truncated?)`);

  const values: Uint8Array[] = [];
  const readOverflow = (first: number, total: number): Uint8Array => {
    const out = new Uint8Array(total);
    let written = 0;
    let pg = first;
    const seen = new Set<number>();
    while (pg !== 0) {
      if (pg > lastPage || seen.has(pg)) throw new BdbError(`overflow chain from page ${first} is broken at page ${pg}`);
      seen.add(pg);
      const base = pg * pageSize;
      if (view.getUint8(base + 25) !== P_OVERFLOW) throw new BdbError(`page ${pg} in an overflow chain is not an overflow page`);
      const len = u16(base + 22); // hf_offset holds the bytes used on overflow pages
      if (len > pageSize - PAGE_HEADER || written + len > total) throw new BdbError(`overflow page ${pg} claims ${len} bytes (value length ${total})`);
      out.set(bytes.subarray(base + PAGE_HEADER, base + PAGE_HEADER + len), written);
      written += len;
      pg = u32(base + 16);
    }
    if (written !== total) throw new BdbError(`overflow chain from page ${first} holds ${written} bytes, expected ${total}`);
    return out;
  };

  for (let pg = 1; pg <= lastPage; pg++) {
    const base = pg * pageSize;
    const type = view.getUint8(base + 25);
    if (type !== P_HASH && type !== P_HASH_UNSORTED) continue;
    const entries = u16(base + 20);
    if (PAGE_HEADER + entries * 2 > pageSize) throw new BdbError(`hash page ${pg} declares ${entries} entries, more than fit in a page`);
    // Items come in key/value pairs; values are the odd-numbered ones. Items grow down from the page
    // end, so an inline item ends where the previous item starts.
    const itemBytes = (i: number): { type: number; start: number; end: number } => {
      const off = u16(base + PAGE_HEADER + i * 2);
      if (off < PAGE_HEADER || off >= pageSize) throw new BdbError(`hash page ${pg} item ${i} points outside the page`);
      const prevOff = i === 0 ? pageSize : u16(base + PAGE_HEADER + (i - 1) * 2);
      return { type: view.getUint8(base + off), start: base + off + 1, end: base + Math.min(Math.max(prevOff, off + 1), pageSize) };
    };
    for (let i = 1; i < entries; i += 2) {
      const key = itemBytes(i - 1);
      // rpm keeps its next-instance counter under key 0 (four zero bytes); it is not a package.
      if (key.type === H_KEYDATA && key.end - key.start === 4 && bytes[key.start] === 0 && bytes[key.start + 1] === 0 && bytes[key.start + 2] === 0 && bytes[key.start + 3] === 0) continue;
      const item = itemBytes(i);
      if (item.type === H_OFFPAGE) {
        const at = item.start - 1;
        if (at + 12 > base + pageSize) throw new BdbError(`hash page ${pg} item ${i} is truncated`);
        values.push(readOverflow(u32(at + 4), u32(at + 8)));
      } else if (item.type === H_KEYDATA) {
        if (item.end > item.start) values.push(bytes.subarray(item.start, item.end));
      }
    }
  }
  return values;
}
