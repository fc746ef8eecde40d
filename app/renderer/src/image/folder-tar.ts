/**
 * A folder chosen or dropped in the browser (serve mode) becomes one uncompressed tar to upload: an
 * OCI layout folder is then an OCI tar, any other folder a packed root filesystem — both of which the
 * scanner reads without extracting.
 *
 * Why not a tar library: the tar is assembled as a Blob of [header, File, padding, …] parts, so the
 * browser streams each file from disk during the upload and nothing is copied into memory — a library
 * that packs through a stream would hold the whole folder in the page's memory. Only the 512-byte
 * POSIX ustar header (with a PAX record for long or non-ASCII paths and sizes of 8 GiB and more) is
 * written here.
 */

export interface FolderFile {
  /** Path inside the folder, `/`-separated, without the folder's own name. */
  path: string;
  file: Blob;
}

const BLOCK = 512;
const enc = new TextEncoder();

function put(h: Uint8Array, off: number, len: number, text: string): void {
  const b = enc.encode(text);
  h.set(b.subarray(0, len), off);
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0');
}

function header(name: string, size: number, type: '0' | 'x'): Uint8Array<ArrayBuffer> {
  const h = new Uint8Array(BLOCK);
  put(h, 0, 100, name);
  put(h, 100, 8, '0000644');
  put(h, 108, 8, '0000000');
  put(h, 116, 8, '0000000');
  put(h, 124, 12, size < 8 * 1024 ** 3 ? octal(size, 12) : octal(0, 12));
  put(h, 136, 12, octal(0, 12));
  h.fill(0x20, 148, 156); // checksum counted as spaces
  put(h, 156, 1, type);
  put(h, 257, 6, 'ustar');
  put(h, 263, 2, '00');
  let sum = 0;
  for (const b of h) sum += b;
  put(h, 148, 8, `${octal(sum, 7)}\0 `);
  return h;
}

/** One PAX record: "<len> <key>=<value>\n", where len counts the whole record including itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLen = enc.encode(body).length;
  let len = bodyLen + String(bodyLen).length;
  // the length's own digits can push it to one more digit (98 + "98" = 100 → 101)
  if (String(len).length > String(bodyLen).length) len = bodyLen + String(len).length;
  return `${len}${body}`;
}

function padding(size: number): Uint8Array<ArrayBuffer> {
  const rest = size % BLOCK;
  return new Uint8Array(rest === 0 ? 0 : BLOCK - rest);
}

const isPlainName = (p: string): boolean => /^[\x20-\x7e]*$/.test(p) && enc.encode(p).length <= 100;

/** The tar of `files` (sorted by path) as a Blob whose file parts are the Files themselves. */
export function folderTar(files: readonly FolderFile[]): Blob {
  const parts: BlobPart[] = [];
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const size = f.file.size;
    if (!isPlainName(f.path) || size >= 8 * 1024 ** 3) {
      const pax = enc.encode(paxRecord('path', f.path) + (size >= 8 * 1024 ** 3 ? paxRecord('size', String(size)) : ''));
      parts.push(header(`PaxHeaders/${f.path.replace(/[^\x20-\x7e]/g, '_').slice(-80)}`, pax.length, 'x'), pax, padding(pax.length));
    }
    parts.push(header(isPlainName(f.path) ? f.path : f.path.replace(/[^\x20-\x7e]/g, '_').slice(-100), size, '0'), f.file, padding(size));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  return new Blob(parts, { type: 'application/x-tar' });
}

/** Files of an `<input webkitdirectory>`: paths relative to the chosen folder (its own name dropped). */
export function filesOfFolderInput(list: Iterable<File>): { folder: string; files: FolderFile[] } {
  let folder = '';
  const files: FolderFile[] = [];
  for (const f of list) {
    const rel = f.webkitRelativePath || f.name;
    const slash = rel.indexOf('/');
    if (!folder) folder = slash > 0 ? rel.slice(0, slash) : 'folder';
    files.push({ path: slash > 0 ? rel.slice(slash + 1) : rel, file: f });
  }
  return { folder, files };
}

/**
 * A folder dropped on the page: read through the entries API (a dropped folder's File has no bytes).
 * Null when what was dropped is not exactly one folder.
 */
export async function folderOfDrop(items: DataTransferItemList): Promise<{ folder: string; files: FolderFile[] } | null> {
  if (items.length !== 1) return null;
  const entry = items[0]?.webkitGetAsEntry?.();
  if (!entry || !entry.isDirectory) return null;
  const files: FolderFile[] = [];
  const walk = async (dir: FileSystemDirectoryEntry, prefix: string): Promise<void> => {
    const reader = dir.createReader();
    // readEntries returns the entries in batches until an empty one
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const e of batch) {
        if (e.isDirectory) await walk(e as FileSystemDirectoryEntry, `${prefix}${e.name}/`);
        else if (e.isFile) files.push({ path: `${prefix}${e.name}`, file: await new Promise<File>((resolve, reject) => (e as FileSystemFileEntry).file(resolve, reject)) });
      }
    }
  };
  await walk(entry as FileSystemDirectoryEntry, '');
  return { folder: entry.name, files };
}
