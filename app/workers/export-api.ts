/**
 * Worker methods for evidence bundles and report.html: thin adapters from the contract to
 * engine/jobs/evidence and engine/jobs/report, mapped to the contract's types. The export writes into
 * the home's `exports/` folder (the app fetches the bytes with `export.file`); the passphrase that
 * unlocks the signing key comes with the request and goes no further than the job. Reader methods only
 * read (reader workers open the store read-only): report.html is rendered, not written.
 */
import { z } from 'zod';
import type { Store } from '../../engine/store';
import type { JobContext } from '../../engine/jobs/context';
import { jobResultSchemaOf, requestSchemaOf, resultSchemaOf, type ChannelArgs, type ChannelResult, type JobResults } from '../common/contract';
import { method, type MethodContext, type MethodDef } from './runtime';
import type { WriterJobArgs } from './protocol';
import { mediaView } from './kits-api';

type EvidenceJobKind = 'export.evidence' | 'export.verify';
type EvidenceReaderChannel = 'export.file' | 'report.html';

const pathArg = z.string().min(1).max(4096);
const evidenceJobs = async () => import('../../engine/jobs/evidence');
const reportJobs = async () => import('../../engine/jobs/report');
const keyJobs = async () => import('../../engine/jobs/keys');

function job<K extends EvidenceJobKind>(kind: K, args: z.ZodType<WriterJobArgs[K]>, run: (args: WriterJobArgs[K], ctx: MethodContext<Store>) => Promise<JobResults[K]>): MethodDef<Store, WriterJobArgs[K], JobResults[K]> {
  return method(args, jobResultSchemaOf(kind), run);
}

function reader<C extends EvidenceReaderChannel>(channel: C, run: (args: ChannelArgs<C>, ctx: MethodContext<Store>) => Promise<ChannelResult<C>>): MethodDef<Store, ChannelArgs<C>, ChannelResult<C>> {
  return method(requestSchemaOf(channel), resultSchemaOf(channel), run);
}

export function evidenceWriterMethods(jobContextOf: (ctx: MethodContext<Store>) => JobContext): { [K in EvidenceJobKind]: MethodDef<Store, WriterJobArgs[K], JobResults[K]> } {
  return {
    'export.evidence': job(
      'export.evidence',
      z.object({ scanId: z.string().min(1).max(200), key: z.string().min(1).max(200).optional(), passphrase: z.string().max(4096).optional(), pack: z.string().min(1).max(4096).optional(), to: pathArg.optional() }).strict(),
      async (args, ctx) => {
        const [{ exportEvidenceJob, evidenceFileName, EXPORTS_DIR }, { givenPassphrase }, { join }] = await Promise.all([evidenceJobs(), keyJobs(), import('node:path')]);
        const fileName = evidenceFileName(args.scanId);
        const r = await exportEvidenceJob(
          ctx.store,
          { scan: args.scanId, output: join(ctx.store.home, EXPORTS_DIR, fileName), ...(args.key !== undefined ? { key: args.key } : {}), ...(args.pack !== undefined ? { pack: args.pack } : {}), ...(args.to !== undefined ? { to: args.to } : {}) },
          givenPassphrase(args.passphrase),
          jobContextOf(ctx),
        );
        return { scanId: r.scanId, subject: r.subject, fileName, digest: r.digest, size: r.size, files: r.files, verdict: r.verdict, signer: r.signer, attestations: r.attestations.length, auditHead: r.auditHead, ...(r.media ? { media: mediaView(r.media) } : {}) };
      },
    ),
    'export.verify': job('export.verify', z.object({ path: pathArg, name: z.string().min(1).max(1024) }).strict(), async (args, ctx) => {
      const r = await (await evidenceJobs()).verifyEvidenceJob(ctx.store, { bundle: args.path }, jobContextOf(ctx));
      return {
        outcome: r.outcome,
        digest: r.digest,
        root: r.root,
        scanId: r.manifest?.scan.id ?? null,
        subject: r.manifest?.scan.subject ?? null,
        checks: r.checks.map((c) => ({ name: c.name, status: c.status, detail: c.detail })),
        signer: r.signer,
        failure: r.failure ? { name: r.failure.name, detail: r.failure.detail } : null,
      };
    }),
  };
}

export function evidenceReaderMethods(jobContextOf: (ctx: MethodContext<Store>) => JobContext): { [C in EvidenceReaderChannel]: MethodDef<Store, ChannelArgs<C>, ChannelResult<C>> } {
  return {
    'export.file': reader('export.file', async (args, ctx) => {
      const f = (await evidenceJobs()).readExportedFile(ctx.store, args.fileName);
      return { fileName: f.fileName, mediaType: f.fileName.endsWith('.tar.gz') ? 'application/gzip' : 'application/octet-stream', contentBase64: f.bytes.toString('base64'), digest: f.digest };
    }),
    'report.html': reader('report.html', async (args, ctx) => {
      const r = await (await reportJobs()).reportJob(ctx.store, { scan: args.scanId, format: 'html', ...(args.pack !== undefined ? { pack: args.pack } : {}) }, jobContextOf(ctx));
      return { fileName: `report-${r.scanId.replace(/[^A-Za-z0-9._-]/g, '_')}.html`, mediaType: 'text/html; charset=utf-8', contentBase64: Buffer.from(r.html, 'utf8').toString('base64'), digest: r.digest };
    }),
  };
}
