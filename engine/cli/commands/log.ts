/** `stella log info|proof ENTRY|verify [--json]` — the embedded transparency log. */
import type { Command } from 'commander';
import { logInfoJob, logProofJob, logVerifyJob } from '../../jobs/log';
import type { RegisterCommands } from './index';
import { parseNonNegativeInt } from './attest-shared';

const b64 = (b: Buffer): string => b.toString('base64');

export const registerLogCommands: RegisterCommands = (program: Command, makeContext) => {
  const log = program.command('log').description('the embedded transparency log (RFC 6962, signed checkpoints)');

  log
    .command('info')
    .description('origin, log id, size, root hash and latest signed checkpoint')
    .action((_opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const i = logInfoJob(ctx.openStore());
      ctx.output(i, () => {
        ctx.print(`origin     ${i.origin}`);
        ctx.print(`log id     ${i.logId}`);
        ctx.print(`tree size  ${i.treeSize}`);
        ctx.print(`root hash  ${i.rootHash}`);
        if (i.checkpoint) ctx.print(`checkpoint\n${i.checkpoint.trimEnd()}`);
      });
    });

  log
    .command('proof')
    .description('inclusion proof of an entry against the latest checkpoint')
    .argument('<entry>', 'log index or entry UUID (hex leaf hash)')
    .option('--from-size <n>', 'also prove consistency from this earlier checkpointed size')
    .action((entry: string, opts: { fromSize?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const p = logProofJob(ctx.openStore(), { entry, ...(opts.fromSize !== undefined ? { fromSize: parseNonNegativeInt('--from-size', opts.fromSize) } : {}) });
      const doc = {
        logIndex: p.entry.index,
        uuid: p.entry.uuid,
        kind: p.entry.kind,
        apiVersion: p.entry.apiVersion,
        integratedTime: p.entry.integratedTime,
        canonicalizedBody: b64(p.entry.body),
        inclusionProof: { logIndex: p.inclusionProof.logIndex, treeSize: p.inclusionProof.treeSize, rootHash: b64(p.inclusionProof.rootHash), hashes: p.inclusionProof.hashes.map(b64), checkpoint: p.inclusionProof.checkpoint },
        ...(p.consistency ? { consistencyProof: { size1: p.consistency.size1, size2: p.consistency.size2, hashes: p.consistency.hashes.map(b64) } } : {}),
      };
      ctx.output(doc, () => {
        ctx.print(`entry ${doc.logIndex} (${doc.kind} ${doc.apiVersion}) uuid ${doc.uuid}`);
        ctx.print(`included in tree of size ${doc.inclusionProof.treeSize}, root ${doc.inclusionProof.rootHash}`);
        doc.inclusionProof.hashes.forEach((h, i) => ctx.print(`  ${String(i).padStart(2)} ${h}`));
        if (doc.consistencyProof) ctx.print(`consistent with size ${doc.consistencyProof.size1}: ${doc.consistencyProof.hashes.length} hash(es)`);
        ctx.print(doc.inclusionProof.checkpoint.trimEnd());
      });
    });

  log
    .command('verify')
    .description('re-derive the whole log: leaves, subtree hashes, every checkpoint signature and root, consistency')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = await logVerifyJob(ctx.openStore(), ctx.job());
      ctx.output(r, () => {
        ctx.print(`${r.ok ? 'ok' : 'FAILED'}: ${r.entries} entries, ${r.checkpoints} checkpoints, root ${r.rootHash}`);
        for (const p of r.problems) ctx.print(`  ${p}`);
      });
      if (!r.ok) {
        ctx.exitCode = 6;
        ctx.log(`stella: log verification failed: ${r.problems[0] ?? ''}`);
      }
    });
};
