/**
 * Activating a verified kit or mirror bundle: the version check, then everything it carries in ONE
 * store transaction — advisory documents (AOC raw store, observations, a new snapshot), VEX documents,
 * trust roots, the plug-in and policy-pack files (as blobs, listed in `kit_files`), the activation row
 * and its audit entry. A crash or a failure at any point leaves the previous snapshot active, never a
 * mix. Plug-in folders are materialized under `<home>/plugins/` after the commit, from the blobs, and
 * reconciled on the next import or status call if a crash interrupted that.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gt as semverGt } from 'semver';
import { type ImportReport, type InputItem, importAdvisoryInputs, snapshotIdOf } from '../advisories';
import { type TrustPurpose, addTrust, listTrust } from '../attest';
import { appendAudit } from '../audit';
import { type Clock, type Digest, readTarGz, sha256Digest } from '../core';
import { importPackVersion, isPolicyError, packFromFiles, requireUsable, type PackFiles, type UsablePack } from '../policy';
import { fsyncDir, mkdirPrivate, type Store } from '../store';
import { type VexImportReport, currentVexDocuments, importVexFiles } from '../vex';
import { thirdPartyPluginsDir } from '../scanner/plugin-layout';
import { ExportError } from './errors';
import { type PackageManifest, activationChannel, packageVersion } from './kit-manifest';
import { type ActiveKit, activeKit } from './kit-state';
import type { VerifiedPackage } from './kit-read';

export interface VersionCheck {
  channel: string;
  version: string;
  previous: ActiveKit | null;
  /** Newer than the active one (or the first on its channel). */
  monotonic: boolean;
  /** A delta whose base is not active here (only for mirror deltas). */
  baseMissing: boolean;
  message: string;
}

/** Is the package newer than what is active on its channel (and, for a delta, is its base here)? */
export function checkVersion(store: Store, m: PackageManifest): VersionCheck {
  const channel = activationChannel(m);
  const version = packageVersion(m);
  const previous = activeKit(store, channel);
  let monotonic: boolean;
  if (!previous) monotonic = true;
  else if (m.kind === 'kit') monotonic = semverGt(m.version, previous.version);
  else monotonic = m.generation > (previous.generation ?? 0);
  const baseMissing = m.kind === 'mirror' && m.base !== null && (previous?.generation ?? 0) < m.base.generation;
  const what = m.kind === 'kit' ? `version ${version} on channel ${channel}` : `generation ${version} of mirror ${channel}`;
  const message = baseMissing
    ? `${what} is a delta against generation ${m.kind === 'mirror' ? m.base?.generation : ''}, which is not active here (active: ${previous ? previous.version : 'none'}); import the full bundle or the deltas in between first`
    : monotonic
      ? `${what} is newer than the active ${previous ? previous.version : '(none)'}`
      : `${what} is not newer than the active ${previous!.version} (activated ${previous!.activatedAt})`;
  return { channel, version, previous, monotonic, baseMissing, message };
}

export interface ActivationOptions {
  ctx: { clock: Clock };
  signal?: AbortSignal;
  onProgress?: (phase: string, done: number, total?: number) => void;
  /** Activate although the version is not newer (`--force-activate`); the reason is audited. */
  forceReason?: string;
}

export interface ActivationReport {
  activation: ActiveKit;
  advisories: { documents: number; new: number; unchanged: number; superseded: number };
  vex: { documents: number; new: number; unchanged: number; superseded: number };
  trustRoots: { name: string; added: boolean; purposes: TrustPurpose[] }[];
  plugins: string[];
  policyPacks: { name: string; packDigest: string }[];
  snapshot: { advisories: string | null; vex: string | null };
}

function countVex(r: VexImportReport): ActivationReport['vex'] {
  const by = (o: string): number => r.imported.filter((d) => d.outcome === o).length;
  return { documents: r.documents, new: by('new'), unchanged: by('unchanged'), superseded: by('superseded') };
}

async function* advisoryItems(v: VerifiedPackage): AsyncGenerator<InputItem> {
  for (const d of v.manifest.documents) if (d.type === 'advisory') yield { uri: d.uri, bytes: v.spool!.read(d.path), source: d.source };
}

/** Activate a verified package in one transaction. The version check must have passed (or be forced). */
export async function activatePackage(store: Store, v: VerifiedPackage, check: VersionCheck, opts: ActivationOptions): Promise<ActivationReport> {
  const spool = v.spool;
  if (!spool) throw new ExportError('kit-unreadable', 'internal: the package was verified without spooling its payload');
  const m = v.manifest;
  const importedAt = opts.ctx.clock.nowIso();
  const docs = { advisory: m.documents.filter((d) => d.type === 'advisory').length, vex: m.documents.filter((d) => d.type === 'vex').length };
  // Blobs of plug-in and pack files first (content-addressed, idempotent): a crash before the commit
  // leaves only unreferenced blobs.
  const kitFiles: { kind: 'plugin' | 'policy-pack'; name: string; path: string; digest: Digest; size: number; mode: number }[] = [];
  const packs: KitPack[] = [];
  if (m.kind === 'kit') {
    const modes = new Map(m.files.map((f) => [f.path, f.mode]));
    for (const p of m.plugins) {
      for (const f of p.files) {
        const bytes = spool.read(f);
        kitFiles.push({ kind: 'plugin', name: p.name, path: f.slice(`plugins/${p.name}/`.length), digest: store.blobs.put(bytes), size: bytes.length, mode: modes.get(f) ?? 0o644 });
      }
    }
    for (const p of m.policyPacks) {
      const bytes = spool.read(p.path);
      packs.push(await checkPolicyPack(bytes, p.name, p.packDigest));
      kitFiles.push({ kind: 'policy-pack', name: p.name, path: `${p.name}.tar.gz`, digest: store.blobs.put(bytes), size: bytes.length, mode: 0o644 });
    }
  }
  // One transaction of hundreds of megabytes: with SQLite's default 2 MB page cache its dirty pages
  // spill into the WAL again and again before the commit. A bigger cache while it runs avoids that.
  const cacheBefore = store.db.pragma('cache_size', { simple: true }) as number;
  store.db.pragma(`cache_size = ${-ACTIVATION_CACHE_KIB}`);
  try {
    return await activateInTransaction(store, v, check, opts, spool, importedAt, docs, kitFiles, packs);
  } finally {
    store.db.pragma(`cache_size = ${cacheBefore}`);
  }
}

/** Page cache while a kit activates (KiB). */
const ACTIVATION_CACHE_KIB = 64 * 1024;

async function activateInTransaction(
  store: Store,
  v: VerifiedPackage,
  check: VersionCheck,
  opts: ActivationOptions,
  spool: NonNullable<VerifiedPackage['spool']>,
  importedAt: string,
  docs: { advisory: number; vex: number },
  kitFiles: { kind: 'plugin' | 'policy-pack'; name: string; path: string; digest: Digest; size: number; mode: number }[],
  packs: readonly KitPack[],
): Promise<ActivationReport> {
  const m = v.manifest;
  return store.writeAsync(async () => {
    opts.onProgress?.('activating advisories', 0, docs.advisory);
    let adv: ImportReport | null = null;
    if (docs.advisory) {
      adv = await importAdvisoryInputs(store, advisoryItems(v), {
        importedAt,
        ...(opts.signal ? { signal: opts.signal } : {}),
        onProgress: (done) => opts.onProgress?.('activating advisories', done, docs.advisory),
      });
      if (adv.rejected.length) {
        throw new ExportError('document-rejected', `${adv.rejected.length} advisory document(s) of the kit were rejected, so nothing was activated: ${adv.rejected[0]!.path}: ${adv.rejected[0]!.error}`, {
          details: { file: v.location.path, path: adv.rejected[0]!.path, rejected: adv.rejected },
        });
      }
    }
    opts.onProgress?.('activating VEX', 0, docs.vex);
    let vex: VexImportReport | null = null;
    if (docs.vex) {
      vex = await importVexFiles(
        store,
        m.documents.filter((d) => d.type === 'vex').map((d) => ({ uri: d.uri, bytes: spool.read(d.path) })),
        { importedAt, ...(opts.signal ? { signal: opts.signal } : {}), onDocument: (done, total) => opts.onProgress?.('activating VEX', done, total) },
      );
      if (vex.rejected.length) {
        throw new ExportError('document-rejected', `${vex.rejected.length} VEX document(s) of the kit were rejected, so nothing was activated: ${vex.rejected[0]!.document}: ${vex.rejected[0]!.error}`, {
          details: { file: v.location.path, path: vex.rejected[0]!.document, rejected: vex.rejected },
        });
      }
    }
    const trustRoots: ActivationReport['trustRoots'] = [];
    if (m.kind === 'kit') {
      for (const t of m.trustRoots) {
        const text = spool.read(t.path).toString('utf8');
        const digest = sha256Digest(text);
        const existing = listTrust(store).find((e) => e.digest === digest);
        if (existing) {
          trustRoots.push({ name: existing.name, added: false, purposes: existing.purposes });
          continue;
        }
        const base = `kit-${t.name}`.slice(0, 64);
        const name = listTrust(store).some((e) => e.name === base) ? `${base.slice(0, 55)}-${digest.slice(7, 15)}` : base;
        const entry = addTrust(store, { name, text, file: `${v.location.path}: ${t.path}`, purposes: t.purposes }, opts.ctx);
        appendAudit(store, { kind: 'trust.added', subject: entry.name, details: { kind: entry.kind, purposes: entry.purposes, digest: entry.digest, keyIds: entry.keyIds, from: 'kit', kitDigest: v.digest } }, opts.ctx);
        trustRoots.push({ name: entry.name, added: true, purposes: entry.purposes });
      }
    }
    // The kit's policy packs become imported versions of the pack store (immutable; activating one stays
    // the two-person rule's decision). The same name@version with another digest refuses the whole kit.
    for (const p of packs) {
      try {
        importPackVersion(store, p.pack, p.files, {
          importedAt,
          inTransaction: (pv) =>
            appendAudit(store, { kind: 'policy.imported', subject: `${pv.name}@${pv.version}`, details: { digest: pv.digest, origin: pv.origin, files: pv.files.map((f) => ({ path: f.path, digest: f.digest })), from: 'kit', kitDigest: v.digest } }, opts.ctx),
        });
      } catch (e) {
        if (!isPolicyError(e)) throw e;
        throw new ExportError('document-rejected', `policy pack ${p.name} of the kit cannot be imported, so nothing was activated: ${e.message}`, { cause: e, details: { file: v.location.path, path: `policy-packs/${p.name}.tar.gz` } });
      }
    }
    const snapshot = {
      advisories: (store.db.prepare('SELECT id FROM adv_snapshots ORDER BY max_seq DESC LIMIT 1').get() as { id: string } | undefined)?.id ?? null,
      vex: vexSnapshotId(store),
    };
    const forced = !check.monotonic;
    const info = store.db
      .prepare(
        `INSERT INTO kit_activations (channel, kind, version, generation, kit_digest, manifest_digest, producer_key_id, feed_date, advisory_snapshot, vex_snapshot, forced, force_reason, activated_at, manifest)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        check.channel,
        m.kind,
        check.version,
        m.kind === 'mirror' ? m.generation : null,
        v.digest,
        v.manifestDigest,
        m.producer.keyId,
        m.createdAt,
        snapshot.advisories,
        snapshot.vex,
        forced ? 1 : 0,
        forced ? (opts.forceReason ?? null) : null,
        importedAt,
        v.manifestBytes.toString('utf8'),
      );
    const seq = Number(info.lastInsertRowid);
    const insFile = store.db.prepare('INSERT INTO kit_files (activation_seq, kind, name, path, digest, size, mode) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const insRef = store.db.prepare('INSERT OR IGNORE INTO blob_refs (digest, kind, size) VALUES (?, ?, ?)');
    for (const f of kitFiles) {
      insFile.run(seq, f.kind, f.name, f.path, f.digest, f.size, f.mode);
      insRef.run(f.digest, `kit-${f.kind}`, f.size);
    }
    const activation = activeKit(store, check.channel)!;
    const report: ActivationReport = {
      activation,
      advisories: adv ? { documents: adv.documents, new: adv.new, unchanged: adv.unchanged, superseded: adv.superseded } : { documents: 0, new: 0, unchanged: 0, superseded: 0 },
      vex: vex ? countVex(vex) : { documents: 0, new: 0, unchanged: 0, superseded: 0 },
      trustRoots,
      plugins: m.kind === 'kit' ? m.plugins.map((p) => p.name) : [],
      policyPacks: m.kind === 'kit' ? m.policyPacks.map((p) => ({ name: p.name, packDigest: p.packDigest })) : [],
      snapshot,
    };
    appendAudit(
      store,
      {
        kind: 'kit.activated',
        subject: `${check.channel}@${check.version}`,
        details: {
          kind: m.kind,
          channel: check.channel,
          version: check.version,
          previous: check.previous?.version ?? null,
          kitDigest: v.digest,
          manifestDigest: v.manifestDigest,
          producerKeyId: m.producer.keyId,
          feedDate: m.createdAt,
          forced,
          ...(forced ? { forceReason: opts.forceReason ?? null } : {}),
          advisories: report.advisories,
          vex: report.vex,
          plugins: report.plugins,
          policyPacks: report.policyPacks,
          trustRoots: report.trustRoots.map((t) => t.name),
          snapshot,
        },
      },
      opts.ctx,
    );
    return report;
  });
}

/** The VEX snapshot id: `snapshotIdOf` the current VEX documents' digests (null when none), as for advisories. */
export function vexSnapshotId(store: Store): string | null {
  const rows = currentVexDocuments(store);
  return rows.length ? snapshotIdOf(rows.map((r) => r.digest)) : null;
}

interface KitPack {
  name: string;
  pack: UsablePack;
  files: PackFiles;
}

async function checkPolicyPack(bytes: Buffer, name: string, packDigest: string): Promise<KitPack> {
  const entries = await readTarGz(bytes, `policy pack ${name}`);
  const files: PackFiles = { origin: { kind: 'archive', path: `kit:${name}.tar.gz` }, files: new Map(entries.map((e) => [e.path, Buffer.from(e.bytes).toString('utf8')])), skipped: [] };
  const pack = requireUsable(packFromFiles(files));
  if (pack.digest !== packDigest) {
    throw new ExportError('document-rejected', `policy pack ${name} compiles to ${pack.digest} here, not the ${packDigest} the kit records (a different policy language version?)`, { details: { path: `policy-packs/${name}.tar.gz` } });
  }
  return { name, pack, files };
}

/** `<home>/plugins`: where the loader reads signed third-party plug-ins (engine/scanner's layout). */
export function pluginsHome(store: Store): string {
  return thirdPartyPluginsDir(store.home);
}

/** The files each plug-in folder should hold: its newest delivery. */
function deliveredPlugins(store: Store): Map<string, { path: string; digest: Digest; mode: number }[]> {
  const rows = store.db
    .prepare(
      `SELECT f.name, f.path, f.digest, f.mode FROM kit_files f
       WHERE f.kind = 'plugin' AND f.activation_seq = (SELECT MAX(g.activation_seq) FROM kit_files g WHERE g.kind = 'plugin' AND g.name = f.name)
       ORDER BY f.name, f.path`,
    )
    .all() as { name: string; path: string; digest: string; mode: number }[];
  const out = new Map<string, { path: string; digest: Digest; mode: number }[]>();
  for (const r of rows) {
    const list = out.get(r.name) ?? [];
    list.push({ path: r.path, digest: r.digest as Digest, mode: r.mode });
    out.set(r.name, list);
  }
  return out;
}

function folderMatches(dir: string, files: readonly { path: string; digest: Digest }[]): boolean {
  if (!existsSync(dir)) return false;
  const present = listFiles(dir);
  if (present.length !== files.length) return false;
  const want = new Map(files.map((f) => [f.path, f.digest]));
  for (const p of present) {
    const d = want.get(p);
    if (!d) return false;
    try {
      if (sha256Digest(readFileSync(join(dir, p))) !== d) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, r));
    else out.push(r);
  }
  return out.sort();
}

/**
 * Make `<home>/plugins/<name>/` hold exactly the files of each plug-in's newest delivery: written to a
 * temporary folder from the blobs (each file fsynced), then swapped in by rename. Folders that already
 * match are left alone; leftovers of an interrupted swap are removed. Returns the folders (re)written.
 */
export function reconcilePlugins(store: Store): string[] {
  const delivered = deliveredPlugins(store);
  const root = pluginsHome(store);
  if (!delivered.size) return [];
  mkdirPrivate(root);
  for (const n of readdirSync(root)) if (/^\..+\.(tmp|old)$/.test(n)) rmSync(join(root, n), { recursive: true, force: true });
  const written: string[] = [];
  for (const [name, files] of delivered) {
    const dir = join(root, name);
    if (folderMatches(dir, files)) continue;
    const tmp = join(root, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
    mkdirSync(tmp, { mode: 0o755 });
    for (const f of files) {
      const target = join(tmp, f.path);
      mkdirSync(dirname(target), { recursive: true });
      const bytes = store.blobs.get(f.digest);
      const fd = openSync(target, 'wx', f.mode);
      try {
        let off = 0;
        while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    fsyncDir(tmp);
    const old = join(root, `.${name}.${randomBytes(6).toString('hex')}.old`);
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(tmp, dir);
    fsyncDir(root);
    rmSync(old, { recursive: true, force: true });
    written.push(name);
  }
  return written.sort();
}
