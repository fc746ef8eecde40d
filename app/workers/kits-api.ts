/**
 * Worker methods for offline kits, mirror bundles, removable media and notifications: thin adapters
 * from the contract to engine/jobs (kit, mirror, notify) and engine/export's read helpers, mapped to the
 * contract's types. Writer methods are jobs; reader methods only read (reader workers open the store
 * read-only, so they call the read functions, never a job that may raise a notification).
 */
import { z } from 'zod';
import type { Store } from '../../engine/store';
import type { FeedAge, MediaWriteResult } from '../../engine/export';
import type { LoggedNotification, StoredSettings } from '../../engine/notify';
import {
  jobResultSchemaOf,
  requestSchemaOf,
  resultSchemaOf,
  NOTIFY_EVENT_KINDS,
  type ChannelArgs,
  type ChannelResult,
  type FeedAgeView,
  type JobResults,
  type MediaWriteSummary,
  type NotificationView,
  type NotifyRulesView,
} from '../common/contract';
import { method, type MethodContext, type MethodDef } from './runtime';
import type { WriterJobArgs } from './protocol';
import type { JobContext } from '../../engine/jobs/context';

type KitJobKind = 'kits.import' | 'kits.build' | 'mirror.export' | 'media.write' | 'notify.test' | 'notify.setRules';
type KitReaderChannel = 'kits.status' | 'kits.quarantine' | 'feeds.age' | 'notify.rules' | 'notify.since';

const pathArg = z.string().min(1).max(4096);
const kitJobs = async () => import('../../engine/jobs/kit');
const mirrorJobs = async () => import('../../engine/jobs/mirror');
const notifyJobs = async () => import('../../engine/jobs/notify');

function job<K extends KitJobKind>(kind: K, args: z.ZodType<WriterJobArgs[K]>, run: (args: WriterJobArgs[K], ctx: MethodContext<Store>) => Promise<JobResults[K]>): MethodDef<Store, WriterJobArgs[K], JobResults[K]> {
  return method(args, jobResultSchemaOf(kind), run);
}

function reader<C extends KitReaderChannel>(channel: C, run: (args: ChannelArgs<C>, ctx: MethodContext<Store>) => Promise<ChannelResult<C>>): MethodDef<Store, ChannelArgs<C>, ChannelResult<C>> {
  return method(requestSchemaOf(channel), resultSchemaOf(channel), run);
}

export function feedAgeView(a: FeedAge): FeedAgeView {
  return { asOf: a.asOf, ageDays: a.ageDays, stale: a.stale, staleAfterDays: a.staleAfterDays, basis: a.basis, snapshot: a.snapshot, message: a.message };
}

export function mediaView(r: MediaWriteResult): MediaWriteSummary {
  return { target: r.target, mediaManifest: r.mediaManifest, bytes: r.bytes, split: r.split, files: r.files.map((f) => ({ path: f.path, size: f.size, digest: f.digest, parts: f.parts.length })), readBack: { ...r.readBack } };
}

export function notificationView(n: LoggedNotification): NotificationView {
  return { seq: n.seq, at: n.at, kind: n.kind, subject: n.subject, title: n.title, body: n.body, severity: n.severity, kev: n.kev, channels: n.channels };
}

function rulesView(r: StoredSettings): NotifyRulesView {
  const s = r.settings;
  return {
    source: r.source,
    updatedAt: r.updatedAt,
    settings: {
      rules: s.rules.map((x) => ({ id: x.id, enabled: x.enabled, kinds: x.kinds, ...(x.minSeverity ? { minSeverity: x.minSeverity } : {}), ...(x.kevOnly !== undefined ? { kevOnly: x.kevOnly } : {}), channels: x.channels })),
      ...(s.quietHours ? { quietHours: { start: s.quietHours.start, end: s.quietHours.end, ...(s.quietHours.timeZone ? { timeZone: s.quietHours.timeZone } : {}), channels: s.quietHours.channels } } : {}),
      ...(s.digest ? { digest: { dir: s.digest.dir, formats: s.digest.formats } } : {}),
    },
  };
}

export function kitWriterMethods(jobContextOf: (ctx: MethodContext<Store>) => JobContext): { [K in KitJobKind]: MethodDef<Store, WriterJobArgs[K], JobResults[K]> } {
  return {
    'kits.import': job('kits.import', z.object({ path: pathArg, dryRun: z.boolean().optional(), forceReason: z.string().min(1).max(2000).optional() }).strict(), async (args, ctx) => {
      const r = await (await kitJobs()).importKitJob(ctx.store, { path: args.path, ...(args.dryRun ? { dryRun: true } : {}), ...(args.forceReason ? { force: { reason: args.forceReason } } : {}) }, jobContextOf(ctx));
      const counts = (c: { new: number; unchanged: number; superseded: number }) => ({ new: c.new, unchanged: c.unchanged, superseded: c.superseded });
      return {
        source: r.source,
        container: r.container,
        digest: r.digest,
        kind: r.package.kind,
        channel: r.package.channel,
        version: r.package.version,
        feedDate: r.package.feedDate,
        producerKeyId: r.package.producerKeyId,
        checks: r.checks.map((c) => ({ name: c.name, status: c.status, message: c.message })),
        dryRun: r.dryRun,
        activated: r.activated,
        forced: r.forced,
        previousVersion: r.previous?.version ?? null,
        advisories: r.activation ? counts(r.activation.advisories) : null,
        vex: r.activation ? counts(r.activation.vex) : null,
        pluginsInstalled: r.pluginsInstalled,
        policyPacks: r.package.policyPacks,
        trustRoots: r.package.trustRoots,
        snapshot: r.activation?.snapshot.advisories ?? null,
        feedAge: feedAgeView(r.feedAge),
      };
    }),
    'kits.build': job(
      'kits.build',
      z
        .object({
          channel: z.enum(['stable', 'edge']),
          version: z.string().min(1).max(100),
          feeds: z.array(pathArg).min(1),
          vex: z.array(pathArg),
          plugins: z.array(pathArg),
          policyPacks: z.array(pathArg),
          trustRoot: pathArg.optional(),
          date: z.string().max(40).optional(),
          key: z.string().max(64).optional(),
          passphrase: z.string().min(1).max(1024),
          output: pathArg,
          to: pathArg.optional(),
        })
        .strict(),
      async (args, ctx) => {
        const r = await (await kitJobs()).buildKitJob(
          ctx.store,
          {
            channel: args.channel,
            version: args.version,
            feeds: args.feeds,
            vex: args.vex,
            plugins: args.plugins,
            policyPacks: args.policyPacks,
            trustRoots: args.trustRoot ? [{ file: args.trustRoot, purposes: ['attestations', 'plugins'] }] : [],
            ...(args.date ? { createdAt: args.date } : {}),
            ...(args.key ? { key: args.key } : {}),
            output: args.output,
            ...(args.to ? { to: args.to } : {}),
          },
          async () => args.passphrase,
          jobContextOf(ctx),
        );
        const m = r.manifest;
        return {
          output: r.output,
          digest: r.digest,
          size: r.size,
          channel: m.channel,
          version: m.version,
          createdAt: m.createdAt,
          documents: { advisories: m.documents.filter((d) => d.type === 'advisory').length, vex: m.documents.filter((d) => d.type === 'vex').length },
          plugins: m.plugins.map((p) => p.name),
          policyPacks: m.policyPacks.map((p) => p.name),
          trustRoots: m.trustRoots.map((t) => t.name),
          media: r.media ? mediaView(r.media) : null,
        };
      },
    ),
    'mirror.export': job(
      'mirror.export',
      z.object({ output: pathArg, since: z.string().max(80).optional(), key: z.string().max(64).optional(), passphrase: z.string().min(1).max(1024), to: pathArg.optional() }).strict(),
      async (args, ctx) => {
        const r = await (await mirrorJobs()).exportMirrorJob(
          ctx.store,
          { output: args.output, ...(args.since ? { since: args.since } : {}), ...(args.key ? { key: args.key } : {}), ...(args.to ? { to: args.to } : {}) },
          async () => args.passphrase,
          jobContextOf(ctx),
        );
        const m = r.manifest;
        return {
          output: r.output,
          manifestDigest: r.manifestDigest,
          generation: m.generation,
          mode: m.mode,
          baseGeneration: m.base?.generation ?? null,
          snapshot: m.snapshot.id,
          createdAt: m.createdAt,
          documents: r.documents,
          bytes: r.bytes,
          media: r.media ? mediaView(r.media) : null,
        };
      },
    ),
    'media.write': job('media.write', z.object({ source: pathArg, to: pathArg }).strict(), async (args, ctx) => mediaView(await (await kitJobs()).writeMediaJob(ctx.store, { source: args.source, to: args.to }, jobContextOf(ctx)))),
    'notify.test': job(
      'notify.test',
      z.object({ kind: z.enum(NOTIFY_EVENT_KINDS).optional(), severity: z.enum(['critical', 'high', 'medium', 'low', 'none', 'unknown']).optional(), kev: z.boolean().optional() }).strict(),
      async (args, ctx) => {
        const r = (await notifyJobs()).notifyTestJob(ctx.store, { ...(args.kind ? { kind: args.kind } : {}), ...(args.severity ? { severity: args.severity } : {}), ...(args.kev !== undefined ? { kev: args.kev } : {}) }, jobContextOf(ctx));
        const n = r.notification;
        return { notification: n ? notificationView(n) : null, rules: n?.rules ?? [], suppressed: n?.suppressed ?? [], digestFiles: r.digestFiles };
      },
    ),
    'notify.setRules': job('notify.setRules', z.union([z.object({ settingsJson: z.string().min(2).max(1024 * 1024) }).strict(), z.object({ reset: z.literal(true) }).strict()]), async (args, ctx) =>
      rulesView((await notifyJobs()).setNotifyRulesJob(ctx.store, 'reset' in args ? { reset: true } : { text: args.settingsJson, name: 'settings.json' }, jobContextOf(ctx))),
    ),
  };
}

export function kitReaderMethods(): { [C in KitReaderChannel]: MethodDef<Store, ChannelArgs<C>, ChannelResult<C>> } {
  const exp = async () => import('../../engine/export');
  return {
    'kits.status': reader('kits.status', async (_args, ctx) => {
      const s = (await exp()).kitStatus(ctx.store, Date.now());
      return {
        channels: s.channels.map((c) => ({ channel: c.channel, kind: c.kind, version: c.version, feedDate: c.feedDate, activatedAt: c.activatedAt, forced: c.forced, kitDigest: c.kitDigest })),
        feedAge: feedAgeView(s.feedAge),
        snapshot: s.snapshot.advisories,
        documents: s.snapshot.documents,
      };
    }),
    'kits.quarantine': reader('kits.quarantine', async (_args, ctx) =>
      (await exp()).listQuarantine(ctx.store.home).map((q) => ({ id: q.id, quarantinedAt: q.quarantinedAt, source: q.source, kind: q.kind, check: q.check, code: q.code, exitCode: q.exitCode, message: q.message, digest: q.digest, dir: q.dir })),
    ),
    'feeds.age': reader('feeds.age', async (_args, ctx) => feedAgeView((await exp()).feedAge(ctx.store, Date.now()))),
    'notify.rules': reader('notify.rules', async (_args, ctx) => rulesView((await notifyJobs()).notifyRulesJob(ctx.store))),
    'notify.since': reader('notify.since', async (args, ctx) => {
      const r = (await notifyJobs()).notificationsSinceJob(ctx.store, { ...(args.afterSeq !== undefined ? { afterSeq: args.afterSeq } : {}), ...(args.limit !== undefined ? { limit: args.limit } : {}) });
      return { last: r.last, notifications: r.notifications.map(notificationView) };
    }),
  };
}
