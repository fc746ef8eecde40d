/**
 * `stella report SCAN_ID|latest --format html -o FILE [--pack PACK] [--key NAME]` — report.html of a scan
 * on its own: the same self-contained page the evidence bundle carries (print it to PDF from a browser).
 * `-o -` writes the page to stdout.
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { reportJob, type ReportFormat } from '../../jobs/report';
import type { RegisterCommands } from './index';

export const registerReportCommand: RegisterCommands = (program: Command, makeContext) => {
  program
    .command('report')
    .description('write report.html of a scan: subject, verdict and deciding rules, charts, findings with VEX, evidence chains, how to verify')
    .argument('<scan>', 'a stored scan id, or latest')
    .addOption(new Option('--format <format>', 'report format').choices(['html']).default('html'))
    .requiredOption('-o, --output <file>', 'where to write the page (- for stdout)')
    .option('--pack <pack>', "judge with this policy pack instead of the scan's")
    .option('--key <name>', 'the signing key the page names in "how to verify" (default: the workstation default key)')
    .action(async (scan: string, opts: { format: ReportFormat; output: string; pack?: string; key?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const toStdout = opts.output === '-';
      const r = await reportJob(
        ctx.openStore(),
        {
          scan,
          format: opts.format,
          cwd: ctx.io.cwd,
          ...(toStdout ? {} : { output: resolve(ctx.io.cwd, opts.output) }),
          ...(opts.pack !== undefined ? { pack: opts.pack } : {}),
          ...(opts.key !== undefined ? { key: opts.key } : {}),
        },
        ctx.job(),
      );
      if (toStdout) {
        ctx.io.stdout.write(r.html);
        return;
      }
      const { html: _html, ...summary } = r;
      ctx.output(summary, () => ctx.print(`${r.output}: report of scan ${r.scanId}, verdict ${r.verdict} (${r.digest})`));
    });
};
