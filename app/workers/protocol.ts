/**
 * The worker protocol (Signal-Desktop style): tagged messages on one MessagePort.
 *   host → worker  {type:'call', seq, method, args} · {type:'cancel', seq} · {type:'shutdown'}
 *   worker → host  {type:'ready'} · {type:'init-failed', error} · {type:'result', seq, result}
 *                  {type:'error', seq, error} · {type:'progress', seq, progress} · {type:'log', level, message}
 * Every message is validated on arrival in both directions; a malformed one is logged and dropped
 * (from the host side, a malformed reply for a pending call fails that call — it is never lost).
 */
import { z } from 'zod';
import type { Channel, ChannelArgs, DetectionMode, JobKind, PackFile, TrustPurposeName } from '../common/contract';

export const ROLES = ['writer', 'reader'] as const;
export type WorkerRole = (typeof ROLES)[number];

/** A serialized error: `kind` says where it came from, `code`/`category` follow engine/core. */
export const wireErrorSchema = z.object({
  kind: z.enum(['engine', 'invalid-args', 'unknown-method', 'cancelled', 'crashed', 'internal', 'shutdown']),
  module: z.string().optional(),
  code: z.string(),
  category: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type WireError = z.infer<typeof wireErrorSchema>;

export const progressSchema = z.object({
  phase: z.string().max(200),
  done: z.number().finite().nonnegative(),
  total: z.number().finite().nonnegative().optional(),
  message: z.string().max(2000).optional(),
  /** One item of a list the job works through (an image's layers) changed state; never throttled away. */
  item: z.object({ index: z.number().int().nonnegative(), id: z.string().max(200), state: z.enum(['queued', 'running', 'done', 'cached']) }).optional(),
});
export type WireProgress = z.infer<typeof progressSchema>;

const seq = z.number().int().nonnegative();

export const hostToWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), seq, method: z.string().min(1).max(100), args: z.unknown() }),
  z.object({ type: z.literal('cancel'), seq }),
  z.object({ type: z.literal('shutdown') }),
]);
export type HostToWorker = z.infer<typeof hostToWorkerSchema>;

export const workerToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('init-failed'), error: wireErrorSchema }),
  z.object({ type: z.literal('result'), seq, result: z.unknown() }),
  z.object({ type: z.literal('error'), seq, error: wireErrorSchema }),
  z.object({ type: z.literal('progress'), seq, progress: progressSchema }),
  z.object({ type: z.literal('log'), level: z.enum(['debug', 'info', 'warn', 'error']), message: z.string() }),
]);
export type WorkerToHost = z.infer<typeof workerToHostSchema>;

/**
 * Whether results and event payloads are checked against the contract's zod schemas where they cross a
 * process boundary (the worker port, the engine host). On in development and tests (source runs); off in
 * the bundles (build.mjs defines NODE_ENV=production) for speed, unless STELLA_DEV_CHECKS=1.
 */
export const BOUNDARY_CHECKS = process.env.NODE_ENV !== 'production' || process.env.STELLA_DEV_CHECKS === '1';

/** Image view, keys, trust roots, attestations, the log and the audit trail: reads. */
const IMAGE_AND_TRUST_READER_CHANNELS = ['image.get', 'keys.list', 'trust.list', 'attest.list', 'log.info', 'log.proof', 'audit.list', 'audit.verify'] as const satisfies readonly Channel[];

/** Channels the engine host answers from a reader worker; the worker method of the same name returns `ChannelResults[C]`. */
export const READER_CHANNELS = [
  'sbom.list',
  'sbom.get',
  'sbom.export',
  'advisories.snapshot',
  'advisories.linkset',
  'advisories.search',
  'scan.list',
  'findings.list',
  'findings.explain',
  'kits.status',
  'kits.quarantine',
  'feeds.age',
  'notify.rules',
  'notify.since',
  'export.file',
  'report.html',
  'vex.statements',
  'vex.consensus',
  'vex.unmatched',
  'vex.export',
  'vex.trust',
  'policy.lint',
  'policy.test',
  'policy.compile',
  'policy.evaluate',
  'policy.explain',
  'policy.simulate',
  'policy.packs',
  'policy.history',
  'policy.active',
  'plugins.list',
  ...IMAGE_AND_TRUST_READER_CHANNELS,
] as const satisfies readonly Channel[];
export type ReaderChannel = (typeof READER_CHANNELS)[number];

/**
 * Channels the engine host answers from the writer worker directly (short writes that are not jobs: no
 * progress, the answer is the result; queued behind running jobs like every write). The worker method of
 * the same name returns `ChannelResults[C]`; the host resolves FileRefs to paths first.
 */
export interface WriterChannelArgs {
  'vex.triage': ChannelArgs<'vex.triage'>;
  'vex.trust.set': ChannelArgs<'vex.trust.set'>;
  /** `name`: what the file is recorded as (its uri: `upload:NAME` for an upload). */
  'policy.import': { pack: { kind: 'files'; files: PackFile[]; label?: string } | { kind: 'path'; path: string; name: string } };
  'policy.approve': ChannelArgs<'policy.approve'>;
  'policy.activate': ChannelArgs<'policy.activate'>;
  'keys.generate': ChannelArgs<'keys.generate'>;
  'keys.exportPublic': ChannelArgs<'keys.exportPublic'>;
  'trust.add': { path: string; name?: string; purposes: TrustPurposeName[] };
  'trust.remove': ChannelArgs<'trust.remove'>;
}
export type WriterChannel = keyof WriterChannelArgs & Channel;
export const WRITER_CHANNELS = [
  'vex.triage',
  'vex.trust.set',
  'policy.import',
  'policy.approve',
  'policy.activate',
  'keys.generate',
  'keys.exportPublic',
  'trust.add',
  'trust.remove',
] as const satisfies readonly WriterChannel[];
type WriterChannelsMatch = [keyof WriterChannelArgs] extends [(typeof WRITER_CHANNELS)[number]] ? true : false;
const _writerChannelsMatch: WriterChannelsMatch = true;
void _writerChannelsMatch;

/** Reader channels whose FileRefs the host resolves to paths before calling the reader worker. */
export interface ReaderFileCallArgs {
  'attest.verify': {
    bundle: string;
    artifact: { path: string } | { digest: string };
    trustedRoot?: string;
    key?: string;
    identity?: { subjectAlternativeName: string; issuer: string };
  };
  /** The folders the host allows besides the exports folder and the removable media (`--media DIR`). */
  'media.list': { folders: string[] };
}
export type ReaderFileChannel = keyof ReaderFileCallArgs & Channel;

/**
 * Arguments of the writer worker's job methods (one per JobKind; each returns `JobResults[K]`): the
 * channel's arguments with FileRefs already resolved to paths by the host.
 */
export interface WriterJobArgs {
  'sbom.import': { path: string; name?: string };
  'advisories.import': { paths: (string | { path: string; uri: string })[]; source?: string };
  'scan.run': { sbomId: string; detection?: DetectionMode };
  'scan.target': { path: string; name: string; detection?: DetectionMode };
  'kits.import': { path: string; dryRun?: boolean; forceReason?: string };
  'kits.build': {
    channel: 'stable' | 'edge';
    version: string;
    feeds: string[];
    vex: string[];
    plugins: string[];
    policyPacks: string[];
    trustRoot?: string;
    date?: string;
    key?: string;
    passphrase: string;
    output: string;
    to?: string;
  };
  'mirror.export': { output: string; since?: string; key?: string; passphrase: string; to?: string };
  'media.write': { source: string; to: string };
  'notify.test': { kind?: 'scan.completed' | 'policy.blocked' | 'kit.imported' | 'kit.rejected' | 'feed.stale'; severity?: 'critical' | 'high' | 'medium' | 'low' | 'none' | 'unknown'; kev?: boolean };
  'notify.setRules': { settingsJson: string } | { reset: true };
  'export.evidence': { scanId: string; key?: string; passphrase?: string; pack?: string; to?: string };
  'firstrun.inventory': { appLockfile?: string };
  'export.verify': { path: string; name: string };
  'vex.import': { paths: { path: string; uri: string }[] };
  'policy.reevaluate': { scanIds?: string[] };
}
type JobKindsMatch = [keyof WriterJobArgs] extends [JobKind] ? ([JobKind] extends [keyof WriterJobArgs] ? true : false) : false;
const _jobKindsMatch: JobKindsMatch = true;
void _jobKindsMatch;

/** What each worker gets in `workerData`. */
export const workerDataSchema = z.object({
  role: z.enum(ROLES),
  home: z.string().min(1),
  /** Enables the `__test.*` methods (sleep with progress, crash). Never set by the apps. */
  testHooks: z.boolean().default(false),
});
export type WorkerData = z.infer<typeof workerDataSchema>;

/** An error carrying a WireError across the pool API (rejections of `EnginePool.call`). */
export class WorkerCallError extends Error {
  readonly wire: WireError;
  constructor(wire: WireError) {
    super(wire.message);
    this.name = 'WorkerCallError';
    this.wire = wire;
  }
}
