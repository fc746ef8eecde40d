/**
 * `stella export …` — what leaves the workstation. This file holds the `export` noun; each export kind
 * is its own subcommand, registered by the function below it.
 *
 *   stella export mirror [--since SNAPSHOT] -o DIR [--key NAME] [--to MEDIA]   advisory + VEX snapshot bundle
 *   stella export mirror --list                                                 feed snapshots exported so far
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { exportMirrorJob, mirrorSnapshotsJob } from '../../jobs/mirror';
import { CliError } from '../context';
import { cliPassphraseSource } from '../passphrase';
import type { RegisterCommands } from './index';

type MakeContext = Parameters<RegisterCommands>[1];

export const registerExportCommands: RegisterCommands = (program: Command, makeContext) => {
  const exp = program.command('export').description('export bundles: mirror bundles of the advisory and VEX snapshots');
  registerMirrorCommand(exp, makeContext);
};

function registerMirrorCommand(exp: Command, makeContext: MakeContext): void {
  exp
    .command('mirror')
    .description('write the advisory and VEX snapshots as a signed mirror bundle folder (full, or a delta with --since)')
    .option('--since <snapshot>', 'write a delta against this feed snapshot (the id an earlier bundle printed, or its advisory snapshot id)')
    .option('-o, --output <dir>', 'the bundle folder to create (must not exist, or be empty)')
    .option('--key <name>', 'signing key (default: the default key; Ed25519, P-256 or P-384)')
    .option('--passphrase-file <file>', 'read the key passphrase from the first line of FILE (else STELLA_PASSPHRASE, else a prompt)')
    .option('--to <dir>', 'also write the bundle to this folder (removable media) and read it back')
    .option('--list', 'list the current feed snapshot and those exported so far (with their generations)')
    .action(async (opts: { since?: string; output?: string; key?: string; passphraseFile?: string; to?: string; list?: boolean }, cmd: Command) => {
      const ctx = makeContext(cmd);
      if (opts.list) {
        const s = mirrorSnapshotsJob(ctx.openStore());
        ctx.output(s, () => {
          ctx.print(`current  ${s.current.id}${s.current.generation !== null ? ` (generation ${s.current.generation})` : ' (not exported yet)'}, data as of ${s.current.feedDate}`);
          for (const x of s.exported) ctx.print(`gen ${String(x.generation).padEnd(4)} ${x.id}  advisories ${x.advisories ?? '-'}  data as of ${x.feedDate}`);
        });
        return;
      }
      if (!opts.output) throw new CliError('usage', 'export mirror needs -o DIR (or --list)');
      const r = await exportMirrorJob(
        ctx.openStore(),
        {
          output: resolve(ctx.io.cwd, opts.output),
          ...(opts.since !== undefined ? { since: opts.since } : {}),
          ...(opts.key !== undefined ? { key: opts.key } : {}),
          ...(opts.to !== undefined ? { to: resolve(ctx.io.cwd, opts.to) } : {}),
        },
        cliPassphraseSource(ctx, opts),
        ctx.job(),
      );
      const m = r.manifest;
      ctx.output(
        {
          output: r.output,
          manifestDigest: r.manifestDigest,
          generation: m.generation,
          mode: m.mode,
          base: m.base,
          snapshot: m.snapshot,
          createdAt: m.createdAt,
          producerKeyId: m.producer.keyId,
          documents: r.documents,
          files: m.files.length,
          bytes: r.bytes,
          ...(r.media ? { media: r.media } : {}),
        },
        () => {
          ctx.print(`wrote ${r.output}: ${m.mode} mirror bundle, generation ${m.generation}${m.base ? ` (delta against generation ${m.base.generation})` : ''}`);
          ctx.print(`  ${r.documents.advisories} advisory and ${r.documents.vex} VEX document(s), data as of ${m.createdAt}; snapshot ${m.snapshot.id}`);
          if (r.media) ctx.print(`  written to ${r.media.target} and read back: ${r.media.readBack.files} file(s), digests match`);
        },
      );
    });
}
