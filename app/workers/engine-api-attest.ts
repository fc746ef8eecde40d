/**
 * Worker methods of the image view, keys, trust roots, attestations, the transparency log, the audit
 * trail and VEX trust: thin adapters from contract channels to engine/jobs (one job call each, then a
 * mapping to the contract type), merged into engine-api.ts's tables. Same rules as engine-api.ts:
 * typed from the contract, results checked against the channel's zod schema before they leave.
 */
import { z } from 'zod';
import type { Store } from '../../engine/store';
import type { AuditEntry } from '../../engine/audit';
import type { ItemVerification, KeyRecord, TrustEntry } from '../../engine/attest';
import {
  requestSchemaOf,
  resultSchemaOf,
  TRUST_PURPOSES,
  type AuditEntryView,
  type ChannelArgs,
  type ChannelResult,
  type KeyView,
  type TrustEntryView,
  type VerifiedItemView,
} from '../common/contract';
import { method, type MethodContext, type MethodDef } from './runtime';
import { jobContextOf, lazy } from './engine-modules';
import type { ReaderChannel, ReaderFileCallArgs, ReaderFileChannel, WriterChannelArgs, WriterChannel } from './protocol';

const imageJobs = lazy('jobs/image', () => import('../../engine/jobs/image'));
const keyJobs = lazy('jobs/keys', () => import('../../engine/jobs/keys'));
const trustJobs = lazy('jobs/trust', () => import('../../engine/jobs/trust'));
const attestJobs = lazy('jobs/attest', () => import('../../engine/jobs/attest'));
const logJobs = lazy('jobs/log', () => import('../../engine/jobs/log'));
const auditJobs = lazy('jobs/audit', () => import('../../engine/jobs/audit'));

type AttestReaderChannel = Extract<ReaderChannel, 'image.get' | 'keys.list' | 'trust.list' | 'attest.list' | 'log.info' | 'log.proof' | 'audit.list' | 'audit.verify'>;
export type AttestReaderMethods = { [C in AttestReaderChannel]: MethodDef<Store, ChannelArgs<C>, ChannelResult<C>> };
export type ReaderFileMethods = { [C in ReaderFileChannel]: MethodDef<Store, ReaderFileCallArgs[C], ChannelResult<C>> };
type AttestWriterChannel = Extract<WriterChannel, 'keys.generate' | 'keys.exportPublic' | 'trust.add' | 'trust.remove'>;
export type WriterCallMethods = { [C in AttestWriterChannel]: MethodDef<Store, WriterChannelArgs[C], ChannelResult<C>> };

function reader<C extends AttestReaderChannel>(channel: C, run: (args: ChannelArgs<C>, ctx: MethodContext<Store>) => Promise<ChannelResult<C>>): MethodDef<Store, ChannelArgs<C>, ChannelResult<C>> {
  return method(requestSchemaOf(channel), resultSchemaOf(channel), run);
}

const pathArg = z.string().min(1).max(4096);
const iso = (unixSeconds: number): string => new Date(unixSeconds * 1000).toISOString();
const hex = (b: Buffer): string => b.toString('hex');

export function attestReaderMethods(): AttestReaderMethods {
  return {
    'image.get': reader('image.get', async (args, ctx) => {
      const v = (await imageJobs()).imageViewJob(ctx.store, { ...(args.sbomId !== undefined ? { sbomId: args.sbomId } : {}), ...(args.scanId !== undefined ? { scanId: args.scanId } : {}) });
      return {
        sbomId: v.sbom.id,
        sbomName: v.sbom.name,
        scan: v.scan,
        digest: v.image.digest,
        ...(v.image.format !== undefined ? { format: v.image.format } : {}),
        ...(v.image.architecture !== undefined ? { architecture: v.image.architecture } : {}),
        ...(v.image.os !== undefined ? { os: v.image.os } : {}),
        ...(v.image.variant !== undefined ? { variant: v.image.variant } : {}),
        ...(v.image.created !== undefined ? { created: v.image.created } : {}),
        refs: v.image.refs,
        distro: v.distro ? { id: v.distro.id, ...(v.distro.versionId !== undefined ? { versionId: v.distro.versionId } : {}), ...(v.distro.name !== undefined ? { name: v.distro.name } : {}) } : null,
        layers: v.layers.map((l) => ({
          index: l.index,
          digest: l.digest,
          diffId: l.diffId,
          ...(l.size !== undefined ? { size: l.size } : {}),
          ...(l.mediaType !== undefined ? { mediaType: l.mediaType } : {}),
          ...(l.createdBy !== undefined ? { createdBy: l.createdBy } : {}),
          ...(l.created !== undefined ? { created: l.created } : {}),
          ...(l.comment !== undefined ? { comment: l.comment } : {}),
          components: l.components,
        })),
        unattributed: v.unattributed,
      };
    }),
    'keys.list': reader('keys.list', async (_args, ctx) => {
      const l = (await keyJobs()).listKeysJob(ctx.store);
      return { keys: l.keys.map(keyView), profiles: l.profiles.map((p) => ({ profile: p.profile, algorithms: [...p.algorithms], available: p.available, ...(p.reason !== undefined ? { reason: p.reason } : {}) })) };
    }),
    'trust.list': reader('trust.list', async (_args, ctx) => (await trustJobs()).trustListJob(ctx.store).map(trustView)),
    'attest.list': reader('attest.list', async (args, ctx) => {
      const page = (await logJobs()).listSignedJob(ctx.store, { ...(args.offset !== undefined ? { offset: args.offset } : {}), ...(args.limit !== undefined ? { limit: args.limit } : {}) });
      return {
        total: page.total,
        offset: page.offset,
        items: page.items.map((i) => ({
          logIndex: i.logIndex,
          uuid: i.uuid,
          kind: i.kind,
          integratedTime: iso(i.integratedTime),
          digest: i.digest,
          signers: i.signers.map((s) => ({ keyId: s.keyId, ...(s.keyName !== undefined ? { keyName: s.keyName } : {}), ...(s.algorithm !== undefined ? { algorithm: s.algorithm } : {}) })),
          ...(i.signedBy ? { signedBy: i.signedBy } : {}),
        })),
      };
    }),
    'log.info': reader('log.info', async (_args, ctx) => (await logJobs()).logInfoJob(ctx.store)),
    'log.proof': reader('log.proof', async (args, ctx) => {
      const p = (await logJobs()).logEntryProofJob(ctx.store, { entry: args.entry });
      let body: string;
      try {
        body = JSON.stringify(JSON.parse(p.entry.body.toString('utf8')), null, 2);
      } catch {
        body = p.entry.body.toString('utf8');
      }
      return {
        entry: { index: p.entry.index, uuid: p.entry.uuid, kind: p.entry.kind, apiVersion: p.entry.apiVersion, integratedTime: iso(p.entry.integratedTime), body },
        leafHash: hex(p.leafHash),
        inclusion: { treeSize: p.inclusion.treeSize, rootHash: hex(p.inclusion.rootHash), path: p.inclusion.path.map((s) => ({ hash: hex(s.hash), side: s.side })), verified: p.inclusion.verified, ...(p.inclusion.problem ? { problem: p.inclusion.problem } : {}) },
        checkpoint: { note: p.checkpoint.note, origin: p.checkpoint.origin, treeSize: p.checkpoint.treeSize, rootHash: hex(p.checkpoint.rootHash), signatureVerified: p.checkpoint.signatureVerified, ...(p.checkpoint.problem ? { problem: p.checkpoint.problem } : {}) },
        consistency: p.consistency
          ? {
              fromSize: p.consistency.fromSize,
              toSize: p.consistency.toSize,
              fromRoot: hex(p.consistency.fromRoot),
              toRoot: hex(p.consistency.toRoot),
              fromCheckpoint: p.consistency.fromCheckpoint,
              hashes: p.consistency.hashes.map(hex),
              verified: p.consistency.verified,
              ...(p.consistency.problem ? { problem: p.consistency.problem } : {}),
            }
          : null,
        verified: p.verified,
      };
    }),
    'audit.list': reader('audit.list', async (args, ctx) => {
      const page = (await auditJobs()).auditPageJob(ctx.store, { ...(args.kind !== undefined ? { kind: args.kind } : {}), ...(args.beforeSeq !== undefined ? { beforeSeq: args.beforeSeq } : {}), ...(args.limit !== undefined ? { limit: args.limit } : {}) });
      return { entries: page.entries.map(auditView), total: page.total, ...(page.nextBeforeSeq !== undefined ? { nextBeforeSeq: page.nextBeforeSeq } : {}), kinds: page.kinds, head: page.head };
    }),
    'audit.verify': reader('audit.verify', async (args, ctx) => {
      const r = await (await auditJobs()).auditVerifyJob(ctx.store, { ...(args.expectHead ? { expectHead: args.expectHead } : {}) }, jobContextOf(ctx));
      return { ok: r.ok, entries: r.entries, head: r.head, ...(r.firstBad ? { firstBad: r.firstBad } : {}) };
    }),
  };
}

export function readerFileMethods(): Pick<ReaderFileMethods, 'attest.verify'> {
  return {
    'attest.verify': method(
      z
        .object({
          bundle: pathArg,
          artifact: z.union([z.object({ path: pathArg }).strict(), z.object({ digest: z.string().regex(/^sha256:[0-9a-f]{64}$/) }).strict()]),
          trustedRoot: pathArg.optional(),
          key: pathArg.optional(),
          identity: z.object({ subjectAlternativeName: z.string().min(1).max(1000), issuer: z.string().min(1).max(1000) }).strict().optional(),
        })
        .strict(),
      resultSchemaOf('attest.verify'),
      async (args, ctx) => {
        const r = await (await attestJobs()).attestVerifyJob(
          ctx.store,
          {
            bundleFile: args.bundle,
            artifact: 'path' in args.artifact ? args.artifact.path : args.artifact.digest,
            ...(args.trustedRoot !== undefined ? { trustedRootFile: args.trustedRoot } : {}),
            ...(args.key !== undefined ? { keyFile: args.key } : {}),
            ...(args.identity ? { identity: args.identity } : {}),
          },
          jobContextOf(ctx),
        );
        return { verified: r.verified, artifact: r.artifact, items: r.items.map(verifiedItemView), ignored: r.ignored, ...(r.firstFailure ? { firstFailure: r.firstFailure } : {}) };
      },
    ),
  };
}

export function writerCallMethods(): WriterCallMethods {
  return {
    'keys.generate': method(requestSchemaOf('keys.generate'), resultSchemaOf('keys.generate'), async (args, ctx) => {
      const { generateKeyJob } = await keyJobs();
      // the passphrase lives only in this call: handed to the keystore once, never logged or kept
      const passphrase = args.passphrase;
      return keyView(await generateKeyJob(ctx.store, { name: args.name, profile: args.profile, ...(args.algorithm ? { algorithm: args.algorithm } : {}), ...(args.makeDefault !== undefined ? { makeDefault: args.makeDefault } : {}) }, async () => passphrase, jobContextOf(ctx)));
    }),
    'keys.exportPublic': method(requestSchemaOf('keys.exportPublic'), resultSchemaOf('keys.exportPublic'), async (args, ctx) => {
      const rec = (await keyJobs()).exportPublicKeyJob(ctx.store, { name: args.name }, jobContextOf(ctx));
      return { name: rec.name, keyId: rec.keyId, algorithm: rec.algorithm, fileName: `${rec.name}.pub.pem`, pem: rec.publicKey };
    }),
    'trust.add': method(z.object({ path: pathArg, name: z.string().min(1).max(64).optional(), purposes: z.array(z.enum(TRUST_PURPOSES)).min(1).max(3) }).strict(), resultSchemaOf('trust.add'), async (args, ctx) =>
      trustView((await trustJobs()).trustAddJob(ctx.store, { file: args.path, ...(args.name !== undefined ? { name: args.name } : {}), purposes: args.purposes }, jobContextOf(ctx))),
    ),
    'trust.remove': method(requestSchemaOf('trust.remove'), resultSchemaOf('trust.remove'), async (args, ctx) => trustView((await trustJobs()).trustRemoveJob(ctx.store, { name: args.name }, jobContextOf(ctx)))),
  };
}

function keyView(k: KeyRecord): KeyView {
  return { name: k.name, keyId: k.keyId, profile: k.profile, algorithm: k.algorithm, isDefault: k.isDefault, createdAt: k.createdAt, publicKey: k.publicKey };
}

function trustView(t: TrustEntry): TrustEntryView {
  return { name: t.name, kind: t.kind, origin: t.origin, purposes: [...t.purposes], digest: t.digest, keyIds: t.keyIds, ...(t.algorithm !== undefined ? { algorithm: t.algorithm } : {}), addedAt: t.addedAt };
}

function verifiedItemView(i: ItemVerification): VerifiedItemView {
  return {
    source: i.source,
    kind: i.kind,
    verified: i.verified,
    checks: i.checks.map((c) => ({ name: c.name, status: c.status, detail: c.detail })),
    ...(i.signer
      ? {
          signer: {
            ...(i.signer.keyId !== undefined ? { keyId: i.signer.keyId } : {}),
            ...(i.signer.label !== undefined ? { label: i.signer.label } : {}),
            ...(i.signer.subjectAlternativeName !== undefined ? { subjectAlternativeName: i.signer.subjectAlternativeName } : {}),
            ...(i.signer.issuer !== undefined ? { issuer: i.signer.issuer } : {}),
          },
        }
      : {}),
    ...(i.statement ? { statement: { predicateType: i.statement.predicateType, subjects: i.statement.subjects.map((s) => ({ ...(s.name !== undefined ? { name: s.name } : {}), digest: { ...s.digest } })) } } : {}),
    ...(i.tlogEntries ? { tlogEntries: i.tlogEntries.map((t) => ({ logIndex: t.logIndex, integratedTime: t.integratedTime, kind: t.kind })) } : {}),
  };
}

function auditView(e: AuditEntry): AuditEntryView {
  return { seq: e.seq, at: e.at, kind: e.kind, subject: e.subject, details: e.details, prevHash: e.prevHash, entryHash: e.entryHash, keyId: e.keyId, signature: e.signature };
}

