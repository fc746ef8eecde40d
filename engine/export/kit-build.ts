/**
 * Building an Offline Update Kit: feeds (advisory files, folders, archives — everything `stella
 * advisories import` reads), VEX documents, plug-in folders, policy packs and trust roots become one
 * signed, deterministic `.tar.gz`. Every document is parsed with the same connectors the import uses,
 * so a kit never carries a document the importing workstation would reject; each is stored byte-exact
 * with its source, format and a uri relative to the feed it came from (never the builder's paths).
 *
 * Nothing in a kit depends on when or where it was built: the data date is given (`createdAt`) or is
 * the newest `modified`/`published` date of its documents, uris are relative, entries are sorted, and
 * Ed25519 signatures are deterministic — the same inputs and key give the same bytes.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { valid as semverValid } from 'semver';
import { readInputs, snapshotIdOf, type InputItem } from '../advisories';
import { parseRawInput } from '../advisories/connectors';
import { isInputError } from '../advisories/input';
import { type SigningKey, type TrustPurpose, parseTrustFile } from '../attest';
import { type Digest, deterministicTarGz, safeArchivePath, serializeError, sha256Digest, throwIfCancelled, yieldAndCheck } from '../core';
import { PLUGIN_LAYOUT } from '../scanner/plugin-layout';
import { packFromFiles, readPackRef, requireUsable } from '../policy';
import { parseVexDocument } from '../vex';
import { ExportError } from './errors';
import {
  type KitChannel,
  type KitDocument,
  type KitFileEntry,
  type KitManifest,
  type KitPlugin,
  type KitPolicyPack,
  type KitTrustRoot,
  KIT_CHANNELS,
  KIT_MANIFEST_SCHEMA,
  checkManifestConsistency,
  manifestBytes,
} from './kit-manifest';
import { signManifest } from './kit-sign';
import { type PayloadEntry, writeKitArchive } from './_internal/package-writer';
import { PayloadSpool } from './_internal/spool';

export interface KitBuildInput {
  channel: KitChannel;
  /** Semantic version (`1.4.0`, `2025.6.1`); must grow on the channel. */
  version: string;
  /** Advisory feeds: files, folders, `.zip` / `.tar.gz` / `.jsonl(.gz)`. */
  feeds: readonly string[];
  /** VEX documents or folders of them (OpenVEX, CSAF, CycloneDX VEX; `.json`). */
  vex?: readonly string[];
  /** Plug-in folders (with plugin.json), or folders of plug-in folders. */
  plugins?: readonly string[];
  /** Policy packs: folders or `.tar.gz`. */
  policyPacks?: readonly string[];
  /** Trust roots (PEM public key or trusted_root.json) the kit adds, with their purposes. */
  trustRoots?: readonly { file: string; purposes: readonly TrustPurpose[] }[];
  /** The data date (RFC 3339 UTC); default: the newest modified/published date of the documents. */
  createdAt?: string;
  output: string;
}

export interface KitBuildOptions {
  signal?: AbortSignal;
  onProgress?: (phase: string, done: number, total?: number) => void;
  log?: (level: 'info' | 'warn', message: string) => void;
  /** Folder for the build's temporary spool (the store home's tmp). */
  tmpDir: string;
}

export interface KitBuildResult {
  output: string;
  digest: Digest;
  size: number;
  manifest: KitManifest;
  manifestDigest: Digest;
  /** Build inputs that were visibly not documents (README, LICENSE …). */
  skipped: { path: string; reason: string }[];
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;
const EPOCH = '1970-01-01T00:00:00Z';

/** Normalized RFC 3339 UTC second precision, or null. */
function isoSeconds(value: string | undefined): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Payload files by logical path; one path, one content. */
class Payload {
  readonly entries = new Map<string, PayloadEntry & { digest: Digest }>();
  add(e: PayloadEntry & { digest: Digest }, what: string): void {
    const have = this.entries.get(e.path);
    if (have && have.digest !== e.digest) throw new ExportError('input-invalid', `${what}: two different files would be ${e.path} in the kit`, { details: { path: e.path } });
    this.entries.set(e.path, e);
  }
  files(): KitFileEntry[] {
    return [...this.entries.values()].map((e) => ({ path: e.path, digest: e.digest, size: e.size, mode: e.mode })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
  list(): PayloadEntry[] {
    return [...this.entries.values()];
  }
}

function bytesEntry(path: string, bytes: Buffer, mode: 0o644 | 0o755 = 0o644): PayloadEntry & { digest: Digest } {
  return { path, size: bytes.length, mode, digest: sha256Digest(bytes), open: () => Readable.from([bytes]) };
}

/** `/data/osv` + `/data/osv/a/b.json` → `osv/a/b.json` (archives keep their `!/member` suffix). */
function relativeUri(root: string, uri: string): string {
  const base = basename(root);
  return uri.startsWith(root) ? `${base}${uri.slice(root.length)}` : uri;
}

async function collectAdvisories(
  feeds: readonly string[],
  spool: PayloadSpool,
  payload: Payload,
  opts: Pick<KitBuildOptions, 'signal' | 'onProgress'> & { prefix?: string },
): Promise<{ documents: KitDocument[]; newest: string | null; skipped: { path: string; reason: string }[] }> {
  const documents: KitDocument[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const rejected: { path: string; error: string }[] = [];
  let newest: string | null = null;
  let n = 0;
  for (const feed of feeds) {
    const root = resolve(feed);
    for await (const item of readInputs([root], opts.signal ? { signal: opts.signal } : {}) as AsyncIterable<InputItem>) {
      if (++n % 64 === 0) await yieldAndCheck(opts.signal);
      if (isInputError(item)) {
        if (item.error.code === 'not-an-advisory') skipped.push({ path: relativeUri(root, item.uri), reason: item.error.message });
        else rejected.push({ path: item.uri, error: item.error.message });
        continue;
      }
      let parsed;
      try {
        parsed = parseRawInput(item);
      } catch (e) {
        rejected.push({ path: item.uri, error: serializeError(e).message });
        continue;
      }
      const digest = sha256Digest(item.bytes);
      const path = `advisories/${digest.slice(7)}`;
      if (!spool.has(path)) spool.append(path, item.bytes);
      payload.add({ path, size: item.bytes.length, mode: 0o644, digest, open: () => spool.stream(path) }, item.uri);
      documents.push({ type: 'advisory', path, source: parsed.source, uri: relativeUri(root, item.uri), format: parsed.format });
      for (const o of parsed.observations) {
        const d = isoSeconds(o.modified) ?? isoSeconds(o.published);
        if (d && (newest === null || d > newest)) newest = d;
      }
      opts.onProgress?.('reading feeds', documents.length);
    }
  }
  if (rejected.length) {
    throw new ExportError('input-invalid', `${rejected.length} feed document(s) cannot be imported, so they cannot go into a kit: ${rejected.slice(0, 3).map((r) => r.error).join('; ')}${rejected.length > 3 ? '; …' : ''}`, {
      details: { file: rejected[0]!.path, rejected },
    });
  }
  return { documents, newest, skipped };
}

/** Every regular file below `dir`, relative, sorted; links refused. */
function filesBelow(dir: string, what: string, rel = ''): string[] {
  const out: string[] = [];
  for (const n of readdirSync(join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${n}` : n;
    const st = lstatSync(join(dir, r));
    if (st.isDirectory()) out.push(...filesBelow(dir, what, r));
    else if (st.isFile()) out.push(r);
    else throw new ExportError('input-invalid', `${what}: ${join(dir, r)} is a ${st.isSymbolicLink() ? 'symbolic link' : 'special file'}; kits carry regular files only`, { details: { file: join(dir, r) } });
  }
  return out;
}

async function collectVex(paths: readonly string[], payload: Payload, signal?: AbortSignal): Promise<{ documents: KitDocument[]; newest: string | null }> {
  const documents: KitDocument[] = [];
  let newest: string | null = null;
  for (const p of paths) {
    const root = resolve(p);
    const st = statSync(root, { throwIfNoEntry: false });
    if (!st) throw new ExportError('input-invalid', `--vex ${p}: no such file or folder`, { details: { file: root } });
    const files = st.isDirectory() ? filesBelow(root, '--vex').filter((f) => !basename(f).startsWith('.') && f.toLowerCase().endsWith('.json')).map((f) => join(root, f)) : [root];
    for (const file of files) {
      throwIfCancelled(signal);
      const bytes = readFileSync(file);
      let parsed;
      try {
        parsed = await parseVexDocument(bytes, file);
      } catch (e) {
        throw new ExportError('input-invalid', `--vex: ${serializeError(e).message}`, { cause: e, details: { file } });
      }
      const e = bytesEntry(`vex/${sha256Digest(bytes).slice(7)}`, bytes);
      payload.add(e, file);
      documents.push({ type: 'vex', path: e.path, source: parsed.format, uri: st.isDirectory() ? relativeUri(root, file) : basename(file), format: parsed.format });
      for (const s of parsed.statements) {
        const d = isoSeconds(s.timestamp);
        if (d && (newest === null || d > newest)) newest = d;
      }
    }
  }
  return { documents, newest };
}

function collectPlugins(paths: readonly string[], payload: Payload): KitPlugin[] {
  const plugins: KitPlugin[] = [];
  const folders: string[] = [];
  for (const p of paths) {
    const root = resolve(p);
    const st = statSync(root, { throwIfNoEntry: false });
    if (!st?.isDirectory()) throw new ExportError('input-invalid', `--plugins ${p}: not a folder`, { details: { file: root, expected: 'a plug-in folder (with plugin.json) or a folder of them' } });
    if (statSync(join(root, 'plugin.json'), { throwIfNoEntry: false })?.isFile()) folders.push(root);
    else {
      const subs = readdirSync(root)
        .sort()
        .map((n) => join(root, n))
        .filter((d) => lstatSync(d).isDirectory() && statSync(join(d, 'plugin.json'), { throwIfNoEntry: false })?.isFile());
      if (!subs.length) throw new ExportError('input-invalid', `--plugins ${p}: neither a plug-in folder (plugin.json) nor a folder of plug-in folders`, { details: { file: root } });
      folders.push(...subs);
    }
  }
  for (const dir of folders) {
    const name = basename(dir);
    if (!NAME_RE.test(name) || name.startsWith('.')) throw new ExportError('input-invalid', `plug-in folder name ${JSON.stringify(name)} is not a safe folder name`, { details: { file: dir } });
    const manifestFile = join(dir, PLUGIN_LAYOUT.manifest);
    let manifest: { entry?: unknown };
    try {
      manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { entry?: unknown };
    } catch (e) {
      throw new ExportError('input-invalid', `${manifestFile}: not JSON (${(e as Error).message})`, { cause: e, details: { file: manifestFile } });
    }
    const entry = typeof manifest.entry === 'string' ? safeArchivePath(manifest.entry) : null;
    if (entry === null) throw new ExportError('input-invalid', `${manifestFile}: /entry must name the plug-in's bundle inside its folder`, { details: { file: manifestFile, path: '/entry' } });
    // A kit carries plug-ins as the loader reads them (PLUGIN_LAYOUT): manifest, entry bundle, signature.
    const files = [PLUGIN_LAYOUT.manifest, entry, PLUGIN_LAYOUT.signature].sort();
    for (const rel of files) {
      const st = lstatSync(join(dir, rel), { throwIfNoEntry: false });
      if (!st?.isFile()) {
        throw new ExportError('input-invalid', `plug-in ${name}: ${rel} is missing${rel === PLUGIN_LAYOUT.signature ? ' (kits carry signed plug-ins only: `stella plugins sign`)' : ''}`, { details: { file: join(dir, rel) } });
      }
    }
    if (plugins.some((x) => x.name === name)) throw new ExportError('input-invalid', `two plug-in folders are named ${name}`, { details: { file: dir } });
    const paths: string[] = [];
    for (const rel of files) {
      const bytes = readFileSync(join(dir, rel));
      const e = bytesEntry(`plugins/${name}/${rel}`, bytes);
      payload.add(e, join(dir, rel));
      paths.push(e.path);
    }
    plugins.push({ name, files: paths });
  }
  return plugins.sort((a, b) => (a.name < b.name ? -1 : 1));
}

async function collectPolicyPacks(refs: readonly string[], payload: Payload): Promise<KitPolicyPack[]> {
  const packs: KitPolicyPack[] = [];
  for (const ref of refs) {
    const pf = await readPackRef(ref);
    const pack = requireUsable(packFromFiles(pf));
    const name = pack.manifest.name;
    if (!NAME_RE.test(name)) throw new ExportError('input-invalid', `policy pack ${ref}: its name ${JSON.stringify(name)} cannot name a file`, { details: { file: ref } });
    if (packs.some((p) => p.name === name)) throw new ExportError('input-invalid', `two policy packs are named ${name}`, { details: { file: ref } });
    const archive = await deterministicTarGz([...pf.files].map(([path, text]) => ({ path, bytes: Buffer.from(text, 'utf8') })));
    const e = bytesEntry(`policy-packs/${name}.tar.gz`, archive);
    payload.add(e, ref);
    packs.push({ name, path: e.path, packDigest: pack.digest });
  }
  return packs.sort((a, b) => (a.name < b.name ? -1 : 1));
}

function collectTrustRoots(roots: NonNullable<KitBuildInput['trustRoots']>, payload: Payload): KitTrustRoot[] {
  const out: KitTrustRoot[] = [];
  for (const r of roots) {
    const file = resolve(r.file);
    const text = readFileSync(file, 'utf8');
    const parsed = parseTrustFile(text, file);
    const name = basename(file).replace(/\.(pem|pub|json)$/i, '').replace(/[^A-Za-z0-9._-]/g, '-');
    if (!NAME_RE.test(name)) throw new ExportError('input-invalid', `--trust-root ${r.file}: cannot derive an entry name from the file name`, { details: { file } });
    if (out.some((x) => x.name === name)) throw new ExportError('input-invalid', `two trust roots would be named ${name}`, { details: { file } });
    const e = bytesEntry(`trust/${name}.${parsed.kind === 'public-key' ? 'pem' : 'json'}`, Buffer.from(parsed.body, 'utf8'));
    payload.add(e, file);
    out.push({ name, path: e.path, purposes: [...new Set(r.purposes)].sort() });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

function sortDocuments(docs: KitDocument[]): KitDocument[] {
  const key = (d: KitDocument): string => `${d.type}\u0000${d.uri}\u0000${d.path}\u0000${d.source}`;
  return docs.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function assertKitVersion(version: string): void {
  if (semverValid(version) !== version) {
    throw new ExportError('invalid-argument', `--version ${JSON.stringify(version)}: expected a semantic version such as 1.4.0 or 2025.6.1 (no leading zeros, no "v")`, { details: { expected: 'MAJOR.MINOR.PATCH' } });
  }
}

export async function buildKit(input: KitBuildInput, key: SigningKey, opts: KitBuildOptions): Promise<KitBuildResult> {
  if (!(KIT_CHANNELS as readonly string[]).includes(input.channel)) throw new ExportError('invalid-argument', `--channel ${JSON.stringify(input.channel)}: expected ${KIT_CHANNELS.join(' or ')}`);
  assertKitVersion(input.version);
  if (input.createdAt !== undefined && isoSeconds(input.createdAt) !== input.createdAt) {
    throw new ExportError('invalid-argument', `--date ${JSON.stringify(input.createdAt)}: expected an RFC 3339 UTC time such as 2025-06-01T00:00:00Z`);
  }
  const spool = new PayloadSpool(opts.tmpDir, `kit-build-${randomBytes(8).toString('hex')}.spool`);
  try {
    const payload = new Payload();
    opts.onProgress?.('reading feeds', 0);
    const adv = await collectAdvisories(input.feeds, spool, payload, opts);
    opts.onProgress?.('reading VEX', 0);
    const vex = await collectVex(input.vex ?? [], payload, opts.signal);
    const plugins = collectPlugins(input.plugins ?? [], payload);
    const policyPacks = await collectPolicyPacks(input.policyPacks ?? [], payload);
    const trustRoots = collectTrustRoots(input.trustRoots ?? [], payload);
    for (const s of adv.skipped) opts.log?.('info', `skipped ${s.path}: ${s.reason}`);
    const documents = sortDocuments([...adv.documents, ...vex.documents]);
    if (!documents.length && !plugins.length && !policyPacks.length && !trustRoots.length) {
      throw new ExportError('input-invalid', 'nothing to put into the kit: no feed or VEX document, plug-in, policy pack or trust root was given', { details: { path: '--feeds' } });
    }
    const newest = [adv.newest, vex.newest].filter((x): x is string => x !== null).sort().pop() ?? null;
    const digestsOf = (t: 'advisory' | 'vex'): string[] => documents.filter((d) => d.type === t).map((d) => payload.entries.get(d.path)!.digest);
    const manifest: KitManifest = {
      schema: KIT_MANIFEST_SCHEMA,
      kind: 'kit',
      channel: input.channel,
      version: input.version,
      createdAt: input.createdAt ?? newest ?? EPOCH,
      producer: { keyId: key.keyId, algorithm: key.algorithm },
      snapshot: {
        advisories: digestsOf('advisory').length ? (snapshotIdOf(digestsOf('advisory')) as Digest) : null,
        vex: digestsOf('vex').length ? (snapshotIdOf(digestsOf('vex')) as Digest) : null,
      },
      documents,
      plugins,
      policyPacks,
      trustRoots,
      files: payload.files(),
    };
    checkManifestConsistency(manifest, 'kit manifest');
    const bytes = manifestBytes(manifest);
    const sigs = await signManifest(bytes, key);
    opts.onProgress?.('writing kit', 0, manifest.files.reduce((n, f) => n + f.size, 0));
    const out = resolve(input.output);
    const written = await writeKitArchive(out, { manifest: bytes, ...sigs }, payload.list(), {
      ...(opts.signal ? { signal: opts.signal } : {}),
      onBytes: (done, total) => opts.onProgress?.('writing kit', done, total),
    });
    return { output: out, digest: written.digest, size: written.size, manifest, manifestDigest: sha256Digest(bytes), skipped: adv.skipped };
  } finally {
    spool.close();
  }
}

