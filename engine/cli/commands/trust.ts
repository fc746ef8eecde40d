/**
 * `stella trust add FILE --purpose kits,plugins,attestations [--name N]`, `stella trust list --json`,
 * `stella trust remove NAME`, `stella trust export-root -o trusted_root.json [--keys-out FILE]`.
 * Every change is written to the audit trail.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { TRUST_PURPOSES, parsePurposes } from '../../attest';
import { trustAddJob, trustExportRootJob, trustListJob, trustRemoveJob } from '../../jobs/trust';
import type { RegisterCommands } from './index';

export const registerTrustCommands: RegisterCommands = (program: Command, makeContext) => {
  const trust = program.command('trust').description('trust roots: public keys and Sigstore trusted roots, each for kits, plugins and/or attestations');

  trust
    .command('add')
    .description('trust a PEM public key or a trusted_root.json for the given purposes')
    .argument('<file>', 'PEM public key or trusted_root.json')
    .requiredOption('--purpose <list>', `what it is trusted for, comma-separated: ${TRUST_PURPOSES.join(', ')}`)
    .option('--name <name>', 'entry name (default: from the file name)')
    .action((file: string, opts: { purpose: string; name?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const e = trustAddJob(ctx.openStore(), { file: resolve(ctx.io.cwd, file), purposes: parsePurposes(opts.purpose), ...(opts.name ? { name: opts.name } : {}) }, ctx.job());
      ctx.output(e, () => ctx.print(`trusted ${e.kind} ${e.name} for ${e.purposes.join(', ')} (${e.digest})`));
    });

  trust
    .command('list')
    .description("trust entries, the workstation's own keys and log first")
    .action((_opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const list = trustListJob(ctx.openStore());
      ctx.output(list, () => {
        ctx.print(`${'NAME'.padEnd(28)} ${'KIND'.padEnd(13)} ${'ORIGIN'.padEnd(12)} PURPOSES`);
        for (const e of list) ctx.print(`${e.name.padEnd(28)} ${e.kind.padEnd(13)} ${e.origin.padEnd(12)} ${e.purposes.join(',')}`);
      });
    });

  trust
    .command('remove')
    .description('stop trusting an entry')
    .argument('<name>', 'entry name')
    .action((name: string, _opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const e = trustRemoveJob(ctx.openStore(), { name }, ctx.job());
      ctx.output(e, () => ctx.print(`removed ${e.kind} ${e.name}`));
    });

  trust
    .command('export-root')
    .description("write the workstation's trusted_root.json (its transparency log, plus roots trusted for attestations)")
    .requiredOption('-o, --output <file>', 'trusted_root.json to write')
    .option('--keys-out <file>', "also write the workstation's signing public keys (PEM) — the trusted-root format has no slot for them")
    .action((opts: { output: string; keysOut?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = trustExportRootJob(ctx.openStore(), { output: resolve(ctx.io.cwd, opts.output), ...(opts.keysOut ? { keysOutput: resolve(ctx.io.cwd, opts.keysOut) } : {}) }, ctx.job());
      ctx.output({ output: r.output, ...(r.keysOutput ? { keysOutput: r.keysOutput } : {}), tlogs: r.trustedRoot.tlogs.length, certificateAuthorities: r.trustedRoot.certificateAuthorities.length, signingKeys: r.signingKeys }, () =>
        ctx.print(`wrote ${r.output} (${r.trustedRoot.tlogs.length} transparency log(s))${r.keysOutput ? ` and ${r.keysOutput} (${r.signingKeys.length} signing key(s))` : ''}`),
      );
    });
};
