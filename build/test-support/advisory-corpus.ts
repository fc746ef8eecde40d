/**
 * Advisory corpora at the scale of the whole-process import bench, built from the real fixture corpus
 * (never copied into the repository): the OSV records of the PyPA advisory database (YAML, converted to
 * JSON) and of the GHSA Maven feed, replicated under new ids (`<id>-R<k>`, aliases likewise) so every
 * document is a distinct advisory, written
 *  - as a directory of single-advisory OSV JSON files (the Go vulndb's / osv.dev's layout), or
 *  - as a zip of them (osv.dev's `all.zip`), streamed to disk member by member.
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync, gunzipSync } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { parse as parseYaml } from 'yaml';
import { Readable } from 'node:stream';
import { fixture } from './fixtures';
import { zipMemberHeaders } from './zip';

export const OSV_CORPUS_FIXTURES = [
  ['advisories', 'pypi-pysec-advisory-database.tar.gz'],
  ['advisories', 'maven', 'osv-scalibr-maven-ghsa.jsonl.gz'],
] as const;

interface OsvRecord {
  id: string;
  aliases?: string[];
  [k: string]: unknown;
}

/** The real OSV records of the corpus (PyPA YAML → JSON, then GHSA), in a fixed order. */
export async function realOsvRecords(): Promise<OsvRecord[]> {
  const [pypiPath, ghsaPath] = OSV_CORPUS_FIXTURES.map((f) => fixture(...f));
  if (!pypiPath || !ghsaPath) throw new Error(`fixtures ${OSV_CORPUS_FIXTURES.map((f) => f.join('/')).join(', ')} not found (STELLA_FIXTURES)`);
  const out: OsvRecord[] = [];
  const extract = tarExtract();
  Readable.from(gunzipSync(readFileSync(pypiPath))).pipe(extract);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const c of entry as AsyncIterable<Buffer>) chunks.push(c);
    if (entry.header.type !== 'file' || !/\/PYSEC-[^/]+\.yaml$/.test(entry.header.name)) continue;
    const rec = parseYaml(Buffer.concat(chunks).toString('utf8')) as OsvRecord;
    if (rec && typeof rec.id === 'string') out.push(rec);
  }
  for (const line of gunzipSync(readFileSync(ghsaPath)).toString('utf8').split('\n')) {
    if (line.trim()) out.push(JSON.parse(line) as OsvRecord);
  }
  return out;
}

/** `n` distinct OSV JSON documents: real records under new ids; `[name, bytes]` in id order of generation. */
export function* replicatedOsvDocuments(base: readonly OsvRecord[], n: number): Generator<[string, Buffer]> {
  let made = 0;
  for (let k = 0; made < n; k++) {
    for (const r of base) {
      if (made >= n) return;
      const id = `${r.id}-R${k}`;
      const doc = { ...r, id, aliases: (r.aliases ?? []).map((a) => `${a}-R${k}`) };
      yield [`${id}.json`, Buffer.from(JSON.stringify(doc, null, 2))];
      made++;
    }
  }
}

/** A directory of `n` single-advisory OSV JSON files; returns the total bytes written. */
export function writeOsvDirectory(dir: string, base: readonly OsvRecord[], n: number): number {
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (const [name, data] of replicatedOsvDocuments(base, n)) {
    writeFileSync(join(dir, name), data);
    bytes += data.length;
  }
  return bytes;
}

/**
 * A zip (deflated members, Zip64 end records when there are more than 65,535 members, as osv.dev's
 * `all.zip` has) of `n` single-advisory OSV JSON files, written member by member. Returns bytes written.
 */
export function writeOsvZip(file: string, base: readonly OsvRecord[], n: number): { zipBytes: number; contentBytes: number } {
  const fd = openSync(file, 'w');
  const centrals: Buffer[] = [];
  let offset = 0;
  let contentBytes = 0;
  let count = 0;
  const write = (b: Buffer): void => {
    let off = 0;
    while (off < b.length) off += writeSync(fd, b, off, b.length - off);
    offset += b.length;
  };
  try {
    for (const [fileName, data] of replicatedOsvDocuments(base, n)) {
      const body = deflateRawSync(data);
      const name = Buffer.from(fileName, 'utf8');
      const crc = crc32(data);
      const { local, central } = zipMemberHeaders(name, { crc, compressedSize: body.length, size: data.length, method: 8, offset });
      write(local);
      write(name);
      write(body);
      centrals.push(central, name);
      contentBytes += data.length;
      count++;
    }
    const cd = Buffer.concat(centrals);
    const cdOffset = offset;
    write(cd);
    const zip64 = count > 0xffff;
    if (zip64) {
      const zip64Offset = offset;
      const rec = Buffer.alloc(56);
      rec.writeUInt32LE(0x06064b50, 0);
      rec.writeBigUInt64LE(44n, 4);
      rec.writeUInt16LE(45, 12);
      rec.writeUInt16LE(45, 14);
      rec.writeBigUInt64LE(BigInt(count), 24);
      rec.writeBigUInt64LE(BigInt(count), 32);
      rec.writeBigUInt64LE(BigInt(cd.length), 40);
      rec.writeBigUInt64LE(BigInt(cdOffset), 48);
      write(rec);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(0x07064b50, 0);
      locator.writeBigUInt64LE(BigInt(zip64Offset), 8);
      locator.writeUInt32LE(1, 16);
      write(locator);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(zip64 ? 0xffff : count, 8);
    end.writeUInt16LE(zip64 ? 0xffff : count, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(cdOffset, 16);
    write(end);
  } finally {
    closeSync(fd);
  }
  return { zipBytes: offset, contentBytes };
}
