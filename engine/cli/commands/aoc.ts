/** `stella aoc verify` — check the Aggregation-Only Contract invariants of the raw advisory store; exit 1 on any violation. */
import type { Command } from 'commander';
import { verifyAoc } from '../../advisories';
import type { RegisterCommands } from './index';

export const registerAocCommands: RegisterCommands = (program: Command, makeContext) => {
  const aoc = program.command('aoc').description('Aggregation-Only Contract of the raw advisory store');
  aoc
    .command('verify')
    .description('re-hash every raw document, check provenance, append-only guards, observation links and supersedes chains (exit 1 on any violation)')
    .action((_opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const report = verifyAoc(ctx.openStore());
      if (!report.ok) ctx.exitCode = 1;
      ctx.output(report, () => {
        ctx.print(`${report.ok ? 'OK' : 'VIOLATIONS'}: ${report.checked.documents} raw documents, ${report.checked.blobs} blobs, ${report.checked.observations} observations checked`);
        for (const v of report.violations) ctx.print(`  ${v.kind}: ${v.message}`);
      });
    });
};
