/**
 * `stella replay MANIFEST [--snapshot ID|current] [--json]` — re-run a recorded scan from the stored
 * inputs and compare: exit 0 `identical`, 1 `different` (naming the first differing output path, a JSON
 * pointer into `{findings, summary, verdict}`), 3 a file that is not a manifest, 4 inputs missing.
 * MANIFEST is a file written by `stella scan --record`, or `scan:ID` for the one stored with a scan.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { replayJob } from '../../jobs/replay';
import type { RegisterCommands } from './index';

export const registerReplayCommand: RegisterCommands = (program: Command, makeContext) => {
  program
    .command('replay')
    .description('re-run a recorded scan from the stored inputs: exit 0 identical, 1 different (first differing path), 4 inputs missing')
    .argument('<manifest>', 'a replay manifest (stella scan --record FILE), or scan:ID for the manifest stored with a scan')
    .option('--snapshot <id>', 'replay against another advisory snapshot (an id, or "current"): what the scan would say with it')
    .action(async (manifest: string, opts: { snapshot?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const ref = manifest.startsWith('scan:') ? manifest : resolve(ctx.io.cwd, manifest);
      const r = await replayJob(ctx.openStore(), { manifest: ref, ...(opts.snapshot !== undefined ? { snapshot: opts.snapshot } : {}) }, ctx.job());
      ctx.output(r, () => {
        ctx.print(r.result === 'identical' ? `identical: scan ${r.scanId} replays to the recorded outputs` : `different: scan ${r.scanId} — first difference at ${r.firstDifference?.path ?? '?'}`);
        if (r.firstDifference && (r.firstDifference.recorded !== undefined || r.firstDifference.replayed !== undefined)) {
          ctx.print(`  recorded: ${JSON.stringify(r.firstDifference.recorded)}`);
          ctx.print(`  replayed: ${JSON.stringify(r.firstDifference.replayed)}`);
        }
        for (const i of r.inputs) if (i.status !== 'same') ctx.print(`  input ${i.name} ${i.status}: ${i.recorded} → ${i.replayed}`);
        for (const o of r.outputs) ctx.print(`  output ${o.name}: ${o.same ? 'same' : `${o.recorded ?? 'none'} → ${o.replayed ?? 'none'}`}`);
      });
      if (r.result !== 'identical') ctx.exitCode = 1;
    });
};
