/**
 * Offline Update Kit jobs: build a signed kit, import one (verify → version check → activate in one
 * transaction, quarantine on failure), show the active kits with feed age, list the quarantine.
 * Hosts: `stella offline build|import|status|quarantine`, the app's `kits.*` channels.
 *
 * Import progress uses the check names as phases — `read`, `signature`, `jws`, `digests`, `version`,
 * `activate` — each ending with a message `pass: …` / `fail: …`, so a UI can show every step live.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { KeystoreOptions, LocalSigningKey, TrustPurpose } from '../attest';
import { appendAudit } from '../audit';
import { type StellaError, isStellaError, serializeError } from '../core';
import {
  type ActivationReport,
  type FeedAge,
  type KitBuildInput,
  type KitBuildResult,
  type KitCheck,
  type KitCheckName,
  type KitStatus,
  type MediaWriteResult,
  type PackageLocation,
  type QuarantineEntry,
  type VerifiedPackage,
  ExportError,
  KIT_SIGNING_ALGORITHMS,
  activatePackage,
  buildKit,
  checkOfError,
  checkVersion,
  feedAge,
  kitStatus,
  listQuarantine,
  locatePackage,
  quarantinePackage,
  reconcilePlugins,
  setStaleAfterDays,
  verifyPackage,
  writeToMedia,
} from '../export';
import { feedStaleEvent, kitImportedEvent, kitRejectedEvent, raiseNotification } from '../notify';
import { mkdirPrivate, type Store } from '../store';
import type { JobContext } from './context';
import { type PassphraseSource, resolveSigningKeys } from './keys';

/** The store's private scratch folder (spools of kits being read or built). */
export function scratchDir(store: Store): string {
  const dir = join(store.home, 'tmp');
  mkdirPrivate(dir);
  return dir;
}

/** Spools older than a day are leftovers of a killed import or build (a running one is never that old). */
function removeStaleSpools(dir: string, nowMs: number): void {
  for (const n of readdirSync(dir)) {
    if (!/^kit-.*\.spool$/.test(n)) continue;
    try {
      if (nowMs - statSync(join(dir, n)).mtimeMs > 24 * 60 * 60 * 1000) rmSync(join(dir, n), { force: true });
    } catch {
      /* removed meanwhile */
    }
  }
}

/** The key a kit or bundle is signed with: `--key NAME`, else the first default key with a JWS algorithm. */
export async function resolveKitSigningKey(store: Store, keyName: string | undefined, passphrase: PassphraseSource, ctx: JobContext, opts: KeystoreOptions = {}): Promise<LocalSigningKey> {
  const keys = await resolveSigningKeys(store, keyName ? [keyName] : [], passphrase, ctx, opts);
  const key = keys.find((k) => KIT_SIGNING_ALGORITHMS.includes(k.algorithm));
  if (!key) {
    throw new ExportError('invalid-argument', `${keyName ? `key ${keyName} is` : 'the default keys are'} ${keys.map((k) => k.algorithm).join(', ')}; kits and bundles carry a JWS, so sign them with an ${KIT_SIGNING_ALGORITHMS.join(', ')} key (--key NAME)`);
  }
  return key;
}

export interface BuildKitJobInput extends Omit<KitBuildInput, 'trustRoots'> {
  trustRoots?: { file: string; purposes: TrustPurpose[] }[];
  /** Signing key name (default: the workstation's default key). */
  key?: string;
  /** Also write the kit to this folder (removable media) and read it back. */
  to?: string;
}

export interface BuildKitJobResult extends KitBuildResult {
  media?: MediaWriteResult;
}

export async function buildKitJob(store: Store, input: BuildKitJobInput, passphrase: PassphraseSource, ctx: JobContext, keystore: KeystoreOptions = {}): Promise<BuildKitJobResult> {
  const key = await resolveKitSigningKey(store, input.key, passphrase, ctx, keystore);
  const r = await buildKit(input, key, {
    tmpDir: scratchDir(store),
    signal: ctx.signal,
    onProgress: (phase, done, total) => ctx.onProgress({ phase, done, ...(total !== undefined ? { total } : {}) }),
    log: (level, message) => ctx.log(level, message),
  });
  store.write(() =>
    appendAudit(
      store,
      { kind: 'kit.built', subject: r.digest, details: { output: r.output, channel: r.manifest.channel, version: r.manifest.version, manifestDigest: r.manifestDigest, keyId: key.keyId, documents: r.manifest.documents.length, files: r.manifest.files.length, size: r.size } },
      ctx,
    ),
  );
  if (input.to === undefined) return r;
  return { ...r, media: await writeMediaJob(store, { source: r.output, to: input.to }, ctx) };
}

export interface ImportKitInput {
  /** A kit file, a kit split into `.partNNN` files (give the name without the suffix), or a mirror bundle folder. */
  path: string;
  /** Verify everything and report; activate nothing, quarantine nothing. */
  dryRun?: boolean;
  /** Activate although the version is not newer (`--force-activate --force-reason TEXT`); audited. */
  force?: { reason: string };
}

export interface ImportKitResult {
  source: string;
  container: 'kit' | 'bundle';
  /** sha256 of the kit file (of the manifest for a bundle folder). */
  digest: string;
  manifestDigest: string;
  package: {
    kind: 'kit' | 'mirror';
    channel: string;
    version: string;
    generation: number | null;
    mode: 'full' | 'delta' | null;
    feedDate: string;
    producerKeyId: string;
    documents: { advisories: number; vex: number };
    plugins: string[];
    policyPacks: string[];
    trustRoots: string[];
  };
  checks: KitCheck[];
  dryRun: boolean;
  activated: boolean;
  forced: boolean;
  previous: { version: string; activatedAt: string } | null;
  activation: Omit<ActivationReport, 'activation'> | null;
  /** Plug-in folders written under `<home>/plugins/`. */
  pluginsInstalled: string[];
  feedAge: FeedAge;
}

const CHECK_ORDER: KitCheckName[] = ['read', 'signature', 'jws', 'digests', 'version', 'activate'];

function isRejection(e: unknown): e is StellaError {
  if (!isStellaError(e)) return false;
  return e.category === 'invalid-input' || e.category === 'trust' || e.category === 'non-monotonic' || e.category === 'missing-data';
}

export async function importKitJob(store: Store, input: ImportKitInput, ctx: JobContext): Promise<ImportKitResult> {
  const checks: KitCheck[] = [];
  const record = (c: KitCheck): void => {
    checks.push(c);
    ctx.onProgress({ phase: c.name, done: 1, total: 1, message: `${c.status}: ${c.message}` });
  };
  const dryRun = input.dryRun === true;
  ctx.onProgress({ phase: 'read', done: 0, message: input.path });
  const dir = scratchDir(store);
  if (!dryRun) {
    removeStaleSpools(dir, ctx.clock.nowMs());
    // A crash after an earlier activation committed may have left a plug-in folder half-swapped.
    reconcilePlugins(store);
  }
  let location: PackageLocation | null = null;
  let verified: VerifiedPackage | null = null;
  try {
    location = locatePackage(input.path);
    const loc = location;
    verified = await verifyPackage(store, loc, {
      signal: ctx.signal,
      ...(dryRun ? {} : { spoolDir: dir }),
      onCheck: (c) => {
        if (c.name === 'signature') record({ name: 'read', status: 'pass', message: `${loc.kind === 'kit' ? 'kit archive' : 'bundle folder'} ${loc.path}` });
        record(c);
      },
      onBytes: (done, total) => ctx.onProgress({ phase: 'digests', done, total }),
    });
    const v = verified;
    const m = v.manifest;
    const vc = checkVersion(store, m);
    if (vc.baseMissing) throw new ExportError('base-missing', `${loc.path}: ${vc.message}`, { details: { file: loc.path } });
    let forced = false;
    if (!vc.monotonic) {
      if (!input.force) throw new ExportError('non-monotonic', `${loc.path}: ${vc.message}; a replayed or older kit is refused (--force-activate --force-reason TEXT overrides, and is audited)`, { details: { file: loc.path, active: vc.previous?.version ?? null, offered: vc.version } });
      forced = true;
      record({ name: 'version', status: 'forced', message: `${vc.message}; activated anyway: ${input.force.reason}` });
    } else record({ name: 'version', status: 'pass', message: vc.message });
    const pkg: ImportKitResult['package'] = {
      kind: m.kind,
      channel: vc.channel,
      version: vc.version,
      generation: m.kind === 'mirror' ? m.generation : null,
      mode: m.kind === 'mirror' ? m.mode : null,
      feedDate: m.createdAt,
      producerKeyId: m.producer.keyId,
      documents: { advisories: m.documents.filter((d) => d.type === 'advisory').length, vex: m.documents.filter((d) => d.type === 'vex').length },
      plugins: m.kind === 'kit' ? m.plugins.map((p) => p.name) : [],
      policyPacks: m.kind === 'kit' ? m.policyPacks.map((p) => p.name) : [],
      trustRoots: m.kind === 'kit' ? m.trustRoots.map((t) => t.name) : [],
    };
    const base = {
      source: loc.path,
      container: loc.kind,
      digest: v.digest,
      manifestDigest: v.manifestDigest,
      package: pkg,
      dryRun,
      forced,
      previous: vc.previous ? { version: vc.previous.version, activatedAt: vc.previous.activatedAt } : null,
    };
    if (dryRun) {
      record({ name: 'activate', status: 'skipped', message: 'dry run: nothing was activated' });
      return { ...base, checks, activated: false, activation: null, pluginsInstalled: [], feedAge: feedAge(store, ctx.clock.nowMs()) };
    }
    const report = await activatePackage(store, v, vc, {
      ctx,
      signal: ctx.signal,
      onProgress: (phase, done, total) => ctx.onProgress({ phase: 'activate', done, ...(total !== undefined ? { total } : {}), message: phase }),
      ...(input.force ? { forceReason: input.force.reason } : {}),
    });
    record({
      name: 'activate',
      status: 'pass',
      message: `${vc.channel} ${vc.version} active: ${report.advisories.new} new and ${report.advisories.superseded} updated advisory document(s), ${report.vex.new + report.vex.superseded} VEX, snapshot ${report.snapshot.advisories ?? '(none)'}`,
    });
    const pluginsInstalled = reconcilePlugins(store);
    const age = feedAge(store, ctx.clock.nowMs());
    raiseNotification(
      store,
      kitImportedEvent({ channel: vc.channel, version: vc.version, kind: m.kind, feedDate: m.createdAt, kitDigest: v.digest, advisories: report.advisories, vex: report.vex, forced }),
      ctx,
    );
    if (age.stale && age.snapshot && age.asOf && age.ageDays !== null) {
      raiseNotification(store, feedStaleEvent({ snapshot: age.snapshot, asOf: age.asOf, ageDays: age.ageDays, staleAfterDays: age.staleAfterDays, day: ctx.clock.nowIso().slice(0, 10) }), ctx);
    }
    const { activation: _a, ...activation } = report;
    void _a;
    return { ...base, checks, activated: true, activation, pluginsInstalled, feedAge: age };
  } catch (e) {
    const err = serializeError(e);
    const failed = checkOfError(err.code);
    for (const name of CHECK_ORDER) {
      if (checks.some((c) => c.name === name)) continue;
      if (name === failed) record({ name, status: 'fail', message: err.message });
      else if (CHECK_ORDER.indexOf(name) > CHECK_ORDER.indexOf(failed)) record({ name, status: 'skipped', message: `not reached (${failed} failed)` });
    }
    if (dryRun || !location || !isRejection(e)) throw e;
    const q: QuarantineEntry = quarantinePackage(store.home, location, { check: failed, code: err.code, exitCode: (e as StellaError).exitCode, message: err.message, digest: verified?.digest ?? null }, ctx);
    store.write(() =>
      appendAudit(store, { kind: 'kit.rejected', subject: verified?.digest ?? location!.path, details: { source: location!.path, check: failed, code: err.code, message: err.message, quarantine: q.id, digest: verified?.digest ?? null } }, ctx),
    );
    // The notification is shown and kept (desktop, digests): it names the kit by its file name, never by the
    // path it was read from (in `stella serve` a private upload path on the server).
    raiseNotification(store, kitRejectedEvent({ source: basename(location.path), check: failed, code: err.code, exitCode: q.exitCode, message: err.message.split(location.path).join(basename(location.path)), quarantine: q.dir, digest: q.digest }), ctx);
    ctx.log('warn', `the ${location.kind === 'kit' ? 'kit' : 'bundle'} was ${q.copyError ? `NOT copied to quarantine (${q.copyError}); the reason is recorded in` : 'put into quarantine:'} ${q.dir}`);
    (e as StellaError).details.quarantine = q.dir;
    (e as StellaError).details.checks = checks;
    throw e;
  } finally {
    verified?.spool?.close();
  }
}

export function kitStatusJob(store: Store, input: { staleAfterDays?: number }, ctx: JobContext): KitStatus {
  if (input.staleAfterDays !== undefined) setStaleAfterDays(store, input.staleAfterDays);
  const s = kitStatus(store, ctx.clock.nowMs());
  const age = s.feedAge;
  if (age.stale && age.snapshot && age.asOf && age.ageDays !== null) {
    raiseNotification(store, feedStaleEvent({ snapshot: age.snapshot, asOf: age.asOf, ageDays: age.ageDays, staleAfterDays: age.staleAfterDays, day: ctx.clock.nowIso().slice(0, 10) }), ctx);
  }
  return s;
}

export function kitQuarantineJob(store: Store): QuarantineEntry[] {
  return listQuarantine(store.home);
}

export interface WriteMediaInput {
  /** A kit file or a bundle folder. */
  source: string;
  /** The folder on the removable medium. */
  to: string;
  /** Split size (default FAT32's 4 GiB − 1); tests use small ones. */
  maxFileBytes?: number;
}

export async function writeMediaJob(store: Store, input: WriteMediaInput, ctx: JobContext): Promise<MediaWriteResult> {
  const r = await writeToMedia(
    { source: input.source, targetDir: input.to },
    { signal: ctx.signal, onProgress: (phase, done, total) => ctx.onProgress({ phase, done, total }), ...(input.maxFileBytes !== undefined ? { maxFileBytes: input.maxFileBytes } : {}) },
  );
  store.write(() =>
    appendAudit(store, { kind: 'media.written', subject: r.target, details: { source: input.source, files: r.files.map((f) => ({ path: f.path, digest: f.digest, parts: f.parts.length })), bytes: r.bytes, readBack: r.readBack.ok } }, ctx),
  );
  return r;
}
