/** `stella aoc verify` — check the Aggregation-Only Contract invariants of the raw advisory store; exit 1 on any violation. */
import type { Command } from 'commander';
import { verifyAoc } from '../../advisories';
import { verifyVexAoc } from '../../vex';
import type { RegisterCommands } from './index';

export const registerAocCommands: RegisterCommands = (program: Command, makeContext) => {
  const aoc = program.command('aoc').description('Aggregation-Only Contract of the raw advisory and VEX stores');
  aoc
    .command('verify')
    .description('re-hash every raw document, check provenance, append-only guards, observation links and supersedes chains (exit 1 on any violation)')
    .action((_opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const store = ctx.openStore();
      const advisories = verifyAoc(store);
      const vex = verifyVexAoc(store);
      // Advisory fields stay at the top level (as before); the raw VEX store's report is `vex`.
      const report = { ...advisories, ok: advisories.ok && vex.ok, vex };
      if (!report.ok) ctx.exitCode = 1;
      ctx.output(report, () => {
        ctx.print(`${report.ok ? 'OK' : 'VIOLATIONS'}: ${advisories.checked.documents} raw advisory documents, ${advisories.checked.blobs} blobs, ${advisories.checked.observations} observations; ${vex.checked.documents} raw VEX documents, ${vex.checked.statements} statements checked`);
        for (const v of advisories.violations) ctx.print(`  ${v.kind}: ${v.message}`);
        for (const v of vex.violations) ctx.print(`  vex ${v.kind}: ${v.message}`);
      });
    });
};
