/**
 * The engine host shared by Electron main and `stella serve`: a router from contract channel to
 * handler. Every request is validated against the channel's zod schema where it enters; every reply is
 * the envelope `{ok:true,value} | {ok:false,error}` — `invoke` never throws. Queries go to reader
 * workers, imports and scans become jobs on the writer worker.
 */
import {
  CHANNELS,
  conformanceProblems,
  requestSchemas,
  resultSchemaOf,
  JOB_CHANGES,
  type AppInfo,
  type Channel,
  type ChannelArgs,
  type ChannelResult,
  type FileRef,
  type FolderRef,
  type JobKind,
  type JobResults,
  type Reply,
  type NotificationView,
  type StoreArea,
} from '../../common/contract';
import { BOUNDARY_CHECKS, type ReaderChannel, type WireProgress, type WorkerRole, type WriterChannel, type WriterChannelArgs, type WriterJobArgs } from '../../workers/protocol';
import { contractErrorOf, HostError } from './errors';
import { EventBus } from './events';
import { JobRegistry, type JobRegistryOptions } from './jobs';
import { safeName, type FileResolver, type ResolvedFile } from './files';
import { join } from 'node:path';

/** What the host needs from the worker pool (EnginePool implements it; tests may fake it). */
export interface EngineBackend {
  call(role: WorkerRole, method: string, args: unknown, opts?: { signal?: AbortSignal; onProgress?: (p: WireProgress) => void; onStart?: () => void }): Promise<unknown>;
  close(opts?: { drainMs?: number }): Promise<void>;
}

export interface EngineHostOptions {
  backend: EngineBackend;
  files: FileResolver;
  info: Omit<AppInfo, 'nativeDialogs'>;
  /** Native open dialog (Electron); absent → `files.open` replies `unsupported`. */
  openFiles?: (args: ChannelArgs<'files.open'>) => Promise<FileRef[]>;
  /** Native folder dialog (Electron); absent → `files.chooseFolder` replies `unsupported`. */
  chooseFolder?: (args: ChannelArgs<'files.chooseFolder'>) => Promise<FolderRef[]>;
  /**
   * Grants a folder `media.list` offers (the exports folder, `mediaFolders`, mounted removable media), so
   * jobs may then write there; absent → `media.list` lists nothing the client could use and says so.
   */
  grantFolder?: (path: string) => FolderRef;
  /** Folders the host allows as export targets besides the exports folder and removable media (`--media DIR`). */
  mediaFolders?: string[];
  /** The application's own package-lock.json, inventoried by `firstrun.inventory`. */
  appLockfile?: string;
  bus?: EventBus;
  jobs?: JobRegistryOptions;
  /**
   * Emit `notify.desktop` for notifications raised while this host runs (read from the store's
   * notification log after every job). On in the apps; off where a test backend answers calls by hand.
   */
  notifications?: boolean;
}

type Handlers = { [C in Channel]: (args: ChannelArgs<C>) => Promise<ChannelResult<C>> };

/** What each writer channel changes (for `store.changed`). */
const WRITER_CHANGES: Record<WriterChannel, readonly StoreArea[]> = {
  // Triage and trust change consensus, so verdicts; every one of these writes is audited.
  'vex.triage': ['vex', 'audit'],
  'vex.trust.set': ['vex'],
  'policy.import': ['policy', 'audit'],
  'policy.approve': ['policy', 'audit'],
  'policy.activate': ['policy', 'audit'],
  'keys.generate': ['keys', 'trust', 'audit'],
  'keys.exportPublic': ['audit'],
  'trust.add': ['trust', 'audit'],
  'trust.remove': ['trust', 'audit'],
};

export class EngineHost {
  readonly bus: EventBus;
  readonly jobs: JobRegistry;
  private readonly opts: EngineHostOptions;
  private readonly handlers: Handlers;
  private closing = false;
  /** Newest notification seq already looked at (null until the first look); looks run one at a time. */
  private notifyCursor: number | null = null;
  private notifyPump: Promise<void> = Promise.resolve();

  constructor(opts: EngineHostOptions) {
    this.opts = opts;
    this.bus = opts.bus ?? new EventBus();
    this.jobs = new JobRegistry(this.bus, opts.jobs);
    // The reader worker's method of the same name returns ChannelResult<C> (app/workers/engine-api.ts).
    const read = <C extends ReaderChannel>(channel: C) => (args: ChannelArgs<C>) => opts.backend.call('reader', channel, args) as Promise<ChannelResult<C>>;
    // The writer worker's channel method of the same name returns ChannelResult<C> (queued behind running
    // jobs); what it changed is announced after it (WRITER_CHANGES).
    const write =
      <C extends WriterChannel>(channel: C) =>
      async (args: WriterChannelArgs[C]): Promise<ChannelResult<C>> => {
        const r = (await opts.backend.call('writer', channel, args)) as ChannelResult<C>;
        for (const what of WRITER_CHANGES[channel]) this.bus.emit('store.changed', { what });
        return r;
      };
    this.handlers = {
      'app.info': async () => ({ ...opts.info, nativeDialogs: !!opts.openFiles }),
      'files.open': async (args) => {
        if (!opts.openFiles) throw new HostError('unsupported', 'native file dialogs are not available in this host; upload the file instead');
        return opts.openFiles(args);
      },
      'sbom.import': async (args) => {
        const file = opts.files.resolve(args.file);
        return this.startJob('sbom.import', { path: file.path, name: file.name }, [file]);
      },
      'sbom.list': read('sbom.list'),
      'sbom.get': read('sbom.get'),
      'sbom.export': read('sbom.export'),
      'advisories.import': async (args) => {
        const files: ResolvedFile[] = [];
        try {
          for (const f of args.files) files.push(opts.files.resolve(f));
        } catch (e) {
          for (const f of files) f.release?.();
          throw e;
        }
        return this.startJob('advisories.import', { paths: files.map((f) => ({ path: f.path, uri: f.uri })), ...(args.source ? { source: args.source } : {}) }, files);
      },
      'advisories.snapshot': read('advisories.snapshot'),
      'advisories.linkset': read('advisories.linkset'),
      'advisories.search': read('advisories.search'),
      'scan.run': async (args) => this.startJob('scan.run', { sbomId: args.sbomId, ...(args.detection ? { detection: args.detection } : {}) }, []),
      'scan.target': async (args) => {
        const file = opts.files.resolve(args.file);
        return this.startJob('scan.target', { path: file.path, name: file.name, ...(args.detection ? { detection: args.detection } : {}) }, [file]);
      },
      'scan.list': read('scan.list'),
      'findings.list': read('findings.list'),
      'findings.explain': read('findings.explain'),
      'files.chooseFolder': async (args) => {
        if (!opts.chooseFolder) throw new HostError('unsupported', 'folder dialogs are not available in this host; kits are built and media written from the desktop app or the CLI');
        return opts.chooseFolder(args);
      },
      'kits.import': async (args) => {
        const file = opts.files.resolve(args.file);
        return this.startJob('kits.import', { path: file.path, ...(args.dryRun ? { dryRun: true } : {}), ...(args.forceReason ? { forceReason: args.forceReason } : {}) }, [file]);
      },
      'kits.build': async (args) => {
        const files: ResolvedFile[] = [];
        try {
          const input = (ref: FileRef | FolderRef): string => {
            if (ref.kind === 'folder') return this.folder(ref);
            const f = opts.files.resolve(ref);
            files.push(f);
            return f.path;
          };
          const outputDir = this.folder(args.outputDir);
          return this.startJob(
            'kits.build',
            {
              channel: args.channel,
              version: args.version,
              feeds: args.feeds.map(input),
              vex: (args.vex ?? []).map(input),
              plugins: (args.plugins ?? []).map((r) => this.folder(r)),
              policyPacks: (args.policyPacks ?? []).map(input),
              ...(args.trustRoot ? { trustRoot: input(args.trustRoot) } : {}),
              ...(args.date ? { date: args.date } : {}),
              ...(args.key ? { key: args.key } : {}),
              passphrase: args.passphrase,
              output: join(outputDir, outputName(args.name)),
              ...(args.media ? { to: this.folder(args.media) } : {}),
            },
            files,
          );
        } catch (e) {
          for (const f of files) f.release?.();
          throw e;
        }
      },
      'mirror.export': async (args) =>
        this.startJob(
          'mirror.export',
          {
            output: join(this.folder(args.outputDir), outputName(args.name)),
            ...(args.since ? { since: args.since } : {}),
            ...(args.key ? { key: args.key } : {}),
            passphrase: args.passphrase,
            ...(args.media ? { to: this.folder(args.media) } : {}),
          },
          [],
        ),
      'media.write': async (args) => {
        const to = this.folder(args.to);
        if (args.source.kind === 'folder') return this.startJob('media.write', { source: this.folder(args.source), to }, []);
        const file = opts.files.resolve(args.source);
        return this.startJob('media.write', { source: file.path, to }, [file]);
      },
      'media.list': async () => {
        if (!opts.grantFolder) throw new HostError('unsupported', 'this host cannot grant export targets; choose a folder in the desktop app or use the CLI');
        const grant = opts.grantFolder;
        const volumes = (await opts.backend.call('reader', 'media.list', { folders: opts.mediaFolders ?? [] })) as ChannelResult<'media.list'>;
        // Only what was listed becomes writable for jobs: the client gets refs to exactly these folders.
        return volumes.map((v) => ({ ...v, ref: { ...grant(v.ref.path), name: v.label } }));
      },
      'firstrun.inventory': async () => this.startJob('firstrun.inventory', { ...(opts.appLockfile !== undefined ? { appLockfile: opts.appLockfile } : {}) }, []),
      'kits.status': read('kits.status'),
      'kits.quarantine': read('kits.quarantine'),
      'feeds.age': read('feeds.age'),
      'notify.rules': read('notify.rules'),
      'notify.since': read('notify.since'),
      'notify.setRules': async (args) => this.startJob('notify.setRules', 'reset' in args ? { reset: true } : { settingsJson: JSON.stringify(args.settings) }, []),
      'notify.test': async (args) => this.startJob('notify.test', { ...args }, []),
      'export.evidence': async (args) =>
        this.startJob(
          'export.evidence',
          {
            scanId: args.scanId,
            ...(args.key !== undefined ? { key: args.key } : {}),
            ...(args.passphrase !== undefined ? { passphrase: args.passphrase } : {}),
            ...(args.pack !== undefined ? { pack: args.pack } : {}),
            ...(args.media ? { to: this.folder(args.media) } : {}),
          },
          [],
        ),
      'export.verify': async (args) => {
        // a bundle in the home's exports folder, named by its file name (the schema allows no path separators)
        if ('fileName' in args) return this.startJob('export.verify', { path: join(opts.info.home, 'exports', args.fileName), name: args.fileName }, []);
        const file = opts.files.resolve(args.file);
        return this.startJob('export.verify', { path: file.path, name: file.name }, [file]);
      },
      'export.file': read('export.file'),
      'report.html': read('report.html'),
      'vex.import': async (args) => {
        const files = this.resolveAll(args.files);
        return this.startJob('vex.import', { paths: files.map((f) => ({ path: f.path, uri: f.uri })) }, files);
      },
      'vex.statements': read('vex.statements'),
      'vex.consensus': read('vex.consensus'),
      'vex.unmatched': read('vex.unmatched'),
      'vex.triage': write('vex.triage'),
      'vex.export': read('vex.export'),
      'vex.trust': read('vex.trust'),
      'vex.trust.set': write('vex.trust.set'),
      'policy.lint': read('policy.lint'),
      'policy.test': read('policy.test'),
      'policy.compile': read('policy.compile'),
      'policy.evaluate': read('policy.evaluate'),
      'policy.explain': read('policy.explain'),
      'policy.simulate': read('policy.simulate'),
      'policy.packs': read('policy.packs'),
      'policy.history': read('policy.history'),
      'policy.active': read('policy.active'),
      'policy.import': async (args) => {
        if (args.pack.kind === 'files') return write('policy.import')({ pack: args.pack });
        const file = opts.files.resolve(args.pack.file);
        try {
          // Messages name an upload by its name, never by its path on this server.
          // Recorded as the pack's origin: the file's uri (`upload:NAME` for an upload, its path otherwise).
          return pathScrubber([file])(await write('policy.import')({ pack: { kind: 'path', path: file.path, name: file.uri } }));
        } catch (e) {
          const err = contractErrorOf(e);
          const scrub = pathScrubber([file]);
          throw new HostError(err.code, scrub(err.message), err.details ? scrub(err.details) : undefined);
        } finally {
          file.release?.();
        }
      },
      'policy.approve': write('policy.approve'),
      'policy.activate': write('policy.activate'),
      'policy.reevaluate': async (args) => this.startJob('policy.reevaluate', { ...(args.scanIds ? { scanIds: args.scanIds } : {}) }, []),
      'plugins.list': read('plugins.list'),
      'image.get': read('image.get'),
      'keys.list': read('keys.list'),
      'keys.generate': write('keys.generate'),
      'keys.exportPublic': write('keys.exportPublic'),
      'trust.list': read('trust.list'),
      'trust.add': async (args) =>
        this.withFiles([args.file], ([file]) => write('trust.add')({ path: (file as ResolvedFile).path, ...(args.name !== undefined ? { name: args.name } : {}), purposes: args.purposes })),
      'trust.remove': write('trust.remove'),
      'attest.list': read('attest.list'),
      'attest.verify': async (args) => {
        const refs = [args.bundle, ...('file' in args.artifact ? [args.artifact.file] : []), ...(args.trustedRoot ? [args.trustedRoot] : []), ...(args.key ? [args.key] : [])];
        return this.withFiles(refs, (files) => {
          let i = 0;
          const next = (): string => (files[i++] as ResolvedFile).path;
          const bundle = next();
          const artifact = 'file' in args.artifact ? { path: next() } : { digest: args.artifact.digest };
          const trustedRoot = args.trustedRoot ? next() : undefined;
          const key = args.key ? next() : undefined;
          return opts.backend.call('reader', 'attest.verify', {
            bundle,
            artifact,
            ...(trustedRoot !== undefined ? { trustedRoot } : {}),
            ...(key !== undefined ? { key } : {}),
            ...(args.identity ? { identity: args.identity } : {}),
          }) as Promise<ChannelResult<'attest.verify'>>;
        });
      },
      'log.info': read('log.info'),
      'log.proof': read('log.proof'),
      'audit.list': read('audit.list'),
      'audit.verify': read('audit.verify'),
      'jobs.list': async () => this.jobs.list(),
      'jobs.cancel': async (args) => {
        if (!this.jobs.get(args.jobId)) throw new HostError('not-found', `no job ${args.jobId}`, { jobId: args.jobId });
        return { cancelled: this.jobs.cancel(args.jobId) };
      },
    };
    // Where the notification log stands now: only what is raised from here on is shown.
    if (opts.notifications) void this.pumpNotifications();
  }

  /** Handle one request from any transport. Never throws. */
  async invoke(channel: string, rawArgs: unknown): Promise<Reply<unknown>> {
    if (!Object.prototype.hasOwnProperty.call(requestSchemas, channel)) {
      return { ok: false, error: { code: 'unknown-channel', message: `unknown channel ${JSON.stringify(String(channel).slice(0, 100))}`, details: { channels: CHANNELS } } };
    }
    const c = channel as Channel;
    const parsed = requestSchemas[c].safeParse(rawArgs ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'invalid-request',
          message: `invalid arguments for ${c}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
          details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
        },
      };
    }
    if (this.closing && c !== 'app.info' && c !== 'jobs.list') return { ok: false, error: { code: 'busy', message: 'Stella is shutting down' } };
    try {
      const handler = this.handlers[c] as (a: unknown) => Promise<unknown>;
      const value = await handler(parsed.data);
      if (BOUNDARY_CHECKS) {
        const problems = conformanceProblems(resultSchemaOf(c), value);
        if (problems.length) return { ok: false, error: { code: 'internal', message: `the ${c} result does not match the contract: ${problems.join('; ')}`, details: { problems } } };
      }
      return { ok: true, value };
    } catch (e) {
      return { ok: false, error: contractErrorOf(e) };
    }
  }

  /**
   * Resolve FileRefs, run `call` with the files, release them (uploads are removed) when it ends. Like
   * a job, a reply or an error names an upload by its name, never by its path on this server.
   */
  private async withFiles<T>(refs: readonly FileRef[], call: (files: ResolvedFile[]) => Promise<T>): Promise<T> {
    const files: ResolvedFile[] = [];
    try {
      for (const r of refs) files.push(this.opts.files.resolve(r));
      const scrub = pathScrubber(files);
      try {
        return scrub(await call(files));
      } catch (e) {
        const err = contractErrorOf(e);
        throw new HostError(err.code, scrub(err.message), err.details ? scrub(err.details) : undefined);
      }
    } finally {
      for (const f of files) f.release?.();
    }
  }

  /**
   * Run a job on the writer. Everything it sends back to clients — progress, result, error — names an
   * upload by the name it was uploaded under, never by its path on this server; the files are released
   * (uploads removed) when the job ends.
   */
  private startJob<K extends JobKind>(kind: K, args: WriterJobArgs[K], files: ResolvedFile[]): { jobId: string } {
    const scrub = pathScrubber(files);
    const release = (): void => {
      for (const f of files) f.release?.();
    };
    try {
      return this.jobs.start(
        kind,
        async (ctx) => {
          try {
            const result = await this.opts.backend.call('writer', kind, args, {
              signal: ctx.signal,
              onStart: ctx.started,
              onProgress: (p) => ctx.progress(scrub(p)),
            });
            return scrub(result) as JobResults[K];
          } catch (e) {
            const err = contractErrorOf(e);
            throw new HostError(err.code, scrub(err.message), err.details ? scrub(err.details) : undefined);
          } finally {
            release();
            // Any job (a failed kit import too) may have raised notifications: show the desktop ones
            // (after the job has answered; a slow look never holds it up).
            if (this.opts.notifications) void this.pumpNotifications();
          }
        },
        () => {
          for (const what of JOB_CHANGES[kind]) this.bus.emit('store.changed', { what });
        },
      );
    } catch (e) {
      release();
      throw e;
    }
  }

  /**
   * Import a folder (or file) of advisories the host was started with (`--feeds DIR`): an ordinary
   * `advisories.import` job, so every client sees its progress in `jobs.list` and the `job.*` events.
   */
  importFeedsAtStart(path: string): { jobId: string } {
    return this.startJob('advisories.import', { paths: [{ path, uri: path }] }, []);
  }

  /** A folder the user chose (Electron dialog); refused where the host has no folder grants. */
  private folder(ref: FolderRef): string {
    if (!this.opts.files.resolveFolder) throw new HostError('unsupported', 'this host does not accept local folders');
    return this.opts.files.resolveFolder(ref);
  }

  /**
   * Emit `notify.desktop` for every notification logged since the last look whose rules route it to the
   * desktop — raised by a job here, by the CLI or another process on the same store. The first look
   * only sets the cursor: what was logged before this host started is not replayed.
   */
  async pumpNotifications(): Promise<void> {
    const pending = this.notifyPump.then(async () => {
      try {
        if (this.notifyCursor === null) {
          const r = (await this.opts.backend.call('reader', 'notify.since', { limit: 1 })) as { last: number };
          this.notifyCursor = r.last;
          return;
        }
        for (;;) {
          const r = (await this.opts.backend.call('reader', 'notify.since', { afterSeq: this.notifyCursor, limit: 100 })) as { last: number; notifications: NotificationView[] };
          for (const n of r.notifications) {
            this.notifyCursor = Math.max(this.notifyCursor, n.seq);
            if (n.channels.includes('desktop')) this.bus.emit('notify.desktop', n);
          }
          if (r.notifications.length < 100) return;
        }
      } catch {
        /* notifications are a convenience: a failing look never fails the job that triggered it */
      }
    });
    this.notifyPump = pending;
    return pending;
  }

  /** Resolve several FileRefs; the ones already resolved are released when a later one fails. */
  private resolveAll(refs: readonly FileRef[]): ResolvedFile[] {
    const files: ResolvedFile[] = [];
    try {
      for (const f of refs) files.push(this.opts.files.resolve(f));
    } catch (e) {
      for (const f of files) f.release?.();
      throw e;
    }
    return files;
  }

  /** Stop accepting work, drain running jobs (cancelling after `drainMs`), then stop the workers. */
  async close(opts: { drainMs?: number } = {}): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const drainMs = opts.drainMs ?? 10_000;
    await this.jobs.drain(drainMs);
    await this.opts.backend.close({ drainMs: Math.min(drainMs, 2000) });
  }
}

/** A kit file / bundle folder name inside a chosen output folder: a plain name, never a path. */
function outputName(name: string): string {
  const n = safeName(name);
  if (n !== name.trim()) throw new HostError('invalid-request', `output name ${JSON.stringify(name)}: expected a plain file or folder name`, { expected: 'a name without folders or control characters' });
  return n;
}

/**
 * Replaces, in every string of a value, the server paths of hidden files (uploads) by their upload
 * names — and their folders by "(upload)" — so engine messages such as "/…/tmp/serve-uploads-…/Xy/bom.json:
 * line 3: …" reach the client as "bom.json: line 3: …".
 */
export function pathScrubber(files: readonly ResolvedFile[]): <T>(value: T) => T {
  const pairs: [string, string][] = [];
  for (const f of files) {
    if (!f.hidden) continue;
    pairs.push([f.path, f.name]);
    const dir = f.path.slice(0, Math.max(f.path.lastIndexOf('/'), f.path.lastIndexOf('\\')));
    if (dir) pairs.push([dir, '(upload)']);
  }
  if (pairs.length === 0) return (v) => v;
  pairs.sort((a, b) => b[0].length - a[0].length);
  const text = (s: string): string => {
    let out = s;
    for (const [from, to] of pairs) if (out.includes(from)) out = out.split(from).join(to);
    return out;
  };
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return text(v);
    if (depth > 64 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[text(k)] = walk(x, depth + 1);
    return out;
  };
  return <T>(value: T): T => walk(value, 0) as T;
}
