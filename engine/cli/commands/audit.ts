/** `stella audit verify [--json]` (0, or 6 naming the first bad entry) and `stella audit list [--kind K] [--json]`. */
import type { Command } from 'commander';
import { auditListJob, auditVerifyJob } from '../../jobs/audit';
import { CliError } from '../context';
import type { RegisterCommands } from './index';
import { parseNonNegativeInt } from './attest-shared';

export const registerAuditCommands: RegisterCommands = (program: Command, makeContext) => {
  const audit = program.command('audit').description('the hash-chained, signed audit trail');

  audit
    .command('verify')
    .description('check the chain and every signature; exit 6 naming the first bad entry')
    .option('--expect-head <seq:hash>', 'a head recorded earlier (SEQ:sha256:HEX): the trail must still contain it')
    .action(async (opts: { expectHead?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      let expectHead: { seq: number; entryHash: string } | undefined;
      if (opts.expectHead !== undefined) {
        const m = /^(\d+):(sha256:[0-9a-f]{64})$/.exec(opts.expectHead);
        if (!m) throw new CliError('usage', '--expect-head: expected SEQ:sha256:<64 hex>');
        expectHead = { seq: Number(m[1]), entryHash: m[2] as string };
      }
      const r = await auditVerifyJob(ctx.openStore(), expectHead ? { expectHead } : {}, ctx.job());
      ctx.output(r, () => ctx.print(r.ok ? `ok: ${r.entries} entries, head ${r.head.seq} ${r.head.entryHash}` : `FAILED at entry ${r.firstBad?.seq}: ${r.firstBad?.reason}`));
      if (!r.ok) {
        ctx.exitCode = 6;
        ctx.log(`stella: audit trail broken at entry ${r.firstBad?.seq}: ${r.firstBad?.reason}`);
      }
    });

  audit
    .command('list')
    .description('audit entries, oldest first')
    .option('--kind <kind>', 'only this kind or kinds under it (e.g. key, trust.added)')
    .option('--after <seq>', 'only entries after this sequence number')
    .option('--limit <n>', 'at most this many entries')
    .action((opts: { kind?: string; after?: string; limit?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const list = auditListJob(ctx.openStore(), {
        ...(opts.kind ? { kind: opts.kind } : {}),
        ...(opts.after !== undefined ? { afterSeq: parseNonNegativeInt('--after', opts.after) } : {}),
        ...(opts.limit !== undefined ? { limit: parseNonNegativeInt('--limit', opts.limit) } : {}),
      });
      ctx.output(list, () => {
        for (const e of list) ctx.print(`${String(e.seq).padStart(6)} ${e.at} ${e.kind.padEnd(22)} ${e.subject}`);
      });
    });
};
