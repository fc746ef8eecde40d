/**
 * `stella offline build|import|status|quarantine|write` — Offline Update Kits and removable media.
 *
 *   stella offline build --channel stable|edge --version V --feeds DIR… [--vex DIR…] [--plugins DIR…]
 *                        [--policy-packs DIR…] [--trust-root FILE] [--key NAME] [--date ISO] -o KIT [--to DIR]
 *   stella offline import KIT|DIR [--dry-run] [--force-activate --force-reason TEXT]
 *        exit 0 ok · 3 invalid · 4 delta base missing · 6 trust failure · 8 not newer · 130 cancelled
 *   stella offline status [--stale-after DAYS]      active kit per channel, feed age
 *   stella offline quarantine                        kits that failed, with the reason
 *   stella offline write KIT|DIR --to DIR            copy to removable media (FAT32 splits), read back
 */
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { parsePurposes } from '../../attest';
import { KIT_CHANNELS } from '../../export';
import { buildKitJob, importKitJob, kitQuarantineJob, kitStatusJob, writeMediaJob } from '../../jobs/kit';
import { CliError } from '../context';
import { cliPassphraseSource } from '../passphrase';
import { collect, parseNonNegativeInt } from './attest-shared';
import type { RegisterCommands } from './index';

function bytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
}

export const registerOfflineCommands: RegisterCommands = (program: Command, makeContext) => {
  const offline = program.command('offline').description('Offline Update Kits: build, verify and activate, quarantine, feed age, removable media');

  offline
    .command('build')
    .description('build a signed, deterministic offline kit (.tar.gz) from feeds, VEX, plug-ins, policy packs and trust roots')
    .addOption(new Option('--channel <channel>', 'release channel').choices([...KIT_CHANNELS]).makeOptionMandatory())
    .requiredOption('--version <version>', 'kit version (semantic version, e.g. 2025.6.1); must grow on its channel')
    .requiredOption('--feeds <path...>', 'advisory feeds: folders, files, .zip / .tar.gz / .jsonl(.gz) archives', collect)
    .option('--vex <path...>', 'VEX documents or folders of them', collect)
    .option('--plugins <dir...>', 'plug-in folders (with plugin.json) or folders of them', collect)
    .option('--policy-packs <pack...>', 'policy packs: folders or .tar.gz', collect)
    .option('--trust-root <file>', 'a PEM public key or trusted_root.json the kit adds to the trust store')
    .option('--trust-root-purposes <list>', 'what the kit trust root is trusted for (attestations, kits, plugins)', 'attestations,plugins')
    .option('--date <iso>', 'the data date recorded in the kit (RFC 3339 UTC; default: the newest modified/published date of its documents)')
    .option('--key <name>', 'signing key (default: the default key; Ed25519, P-256 or P-384)')
    .option('--passphrase-file <file>', 'read the key passphrase from the first line of FILE (else STELLA_PASSPHRASE, else a prompt)')
    .requiredOption('-o, --output <kit>', 'the kit file to write (.tar.gz)')
    .option('--to <dir>', 'also write the kit to this folder (removable media) and read it back')
    .action(
      async (
        opts: {
          channel: (typeof KIT_CHANNELS)[number];
          version: string;
          feeds: string[];
          vex?: string[];
          plugins?: string[];
          policyPacks?: string[];
          trustRoot?: string;
          trustRootPurposes: string;
          date?: string;
          key?: string;
          passphraseFile?: string;
          output: string;
          to?: string;
        },
        cmd: Command,
      ) => {
        const ctx = makeContext(cmd);
        const cwd = ctx.io.cwd;
        const r = await buildKitJob(
          ctx.openStore(),
          {
            channel: opts.channel,
            version: opts.version,
            feeds: opts.feeds.map((p) => resolve(cwd, p)),
            vex: (opts.vex ?? []).map((p) => resolve(cwd, p)),
            plugins: (opts.plugins ?? []).map((p) => resolve(cwd, p)),
            policyPacks: (opts.policyPacks ?? []).map((p) => (p.startsWith('builtin:') ? p : resolve(cwd, p))),
            trustRoots: opts.trustRoot ? [{ file: resolve(cwd, opts.trustRoot), purposes: parsePurposes(opts.trustRootPurposes) }] : [],
            ...(opts.date !== undefined ? { createdAt: opts.date } : {}),
            ...(opts.key !== undefined ? { key: opts.key } : {}),
            output: resolve(cwd, opts.output),
            ...(opts.to !== undefined ? { to: resolve(cwd, opts.to) } : {}),
          },
          cliPassphraseSource(ctx, opts),
          ctx.job(),
        );
        const m = r.manifest;
        ctx.output(
          {
            output: r.output,
            digest: r.digest,
            size: r.size,
            manifestDigest: r.manifestDigest,
            channel: m.channel,
            version: m.version,
            createdAt: m.createdAt,
            producerKeyId: m.producer.keyId,
            snapshot: m.snapshot,
            documents: { advisories: m.documents.filter((d) => d.type === 'advisory').length, vex: m.documents.filter((d) => d.type === 'vex').length },
            plugins: m.plugins.map((p) => p.name),
            policyPacks: m.policyPacks.map((p) => ({ name: p.name, packDigest: p.packDigest })),
            trustRoots: m.trustRoots.map((t) => ({ name: t.name, purposes: t.purposes })),
            files: m.files.length,
            skipped: r.skipped,
            ...(r.media ? { media: r.media } : {}),
          },
          () => {
            ctx.print(`wrote ${r.output} (${bytes(r.size)}, ${r.digest})`);
            ctx.print(`  ${m.channel} ${m.version}, data as of ${m.createdAt}: ${m.documents.length} document(s), ${m.plugins.length} plug-in(s), ${m.policyPacks.length} policy pack(s), ${m.trustRoots.length} trust root(s)`);
            if (r.media) ctx.print(`  written to ${r.media.target}${r.media.split ? ' (split for FAT32)' : ''} and read back: ${r.media.readBack.files} file(s), digests match`);
          },
        );
      },
    );

  offline
    .command('import')
    .description('verify a kit or mirror bundle (signature, JWS, every digest, version) and activate it in one transaction')
    .argument('<kit>', 'a kit (.tar.gz; a split kit by its name without .part000), or a mirror bundle folder')
    .option('--dry-run', 'verify and report; activate nothing')
    .option('--force-activate', 'activate although the version is not newer than the active one (needs --force-reason; audited)')
    .option('--force-reason <text>', 'why an older or equal version is activated (recorded in the audit trail)')
    .action(async (kit: string, opts: { dryRun?: boolean; forceActivate?: boolean; forceReason?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      if (opts.forceActivate && !opts.forceReason?.trim()) throw new CliError('usage', '--force-activate needs --force-reason TEXT (it is recorded in the audit trail)');
      if (opts.forceReason !== undefined && !opts.forceActivate) throw new CliError('usage', '--force-reason goes with --force-activate');
      const r = await importKitJob(
        ctx.openStore(),
        { path: resolve(ctx.io.cwd, kit), ...(opts.dryRun ? { dryRun: true } : {}), ...(opts.forceActivate ? { force: { reason: opts.forceReason!.trim() } } : {}) },
        ctx.job(),
      );
      if (r.feedAge.stale) ctx.log(`stella: warning: ${r.feedAge.message}`);
      ctx.output(r, () => {
        for (const c of r.checks) ctx.print(`${c.status.padEnd(7)} ${c.name.padEnd(9)} ${c.message}`);
        ctx.print(r.activated ? `activated ${r.package.channel} ${r.package.version}${r.forced ? ' (forced)' : ''}` : 'dry run: verified, nothing activated');
        ctx.print(`feed age: ${r.feedAge.message}`);
      });
    });

  offline
    .command('status')
    .description('the active kit of each channel and the age of the advisory data')
    .option('--stale-after <days>', 'set the age (days) past which data is reported stale (default 7)')
    .action((opts: { staleAfter?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const s = kitStatusJob(ctx.openStore(), opts.staleAfter !== undefined ? { staleAfterDays: parseNonNegativeInt('--stale-after', opts.staleAfter) } : {}, ctx.job());
      if (s.feedAge.stale) ctx.log(`stella: warning: ${s.feedAge.message}`);
      ctx.output(s, () => {
        if (!s.channels.length) ctx.print('no kit or mirror bundle has been activated');
        for (const c of s.channels) ctx.print(`${c.channel.padEnd(26)} ${c.version.padEnd(14)} data ${c.feedDate}, activated ${c.activatedAt}${c.forced ? ' (forced)' : ''}`);
        ctx.print(`feed age: ${s.feedAge.message}`);
      });
    });

  offline
    .command('quarantine')
    .description('kits and bundles that failed verification or activation, newest first')
    .action((_opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const list = kitQuarantineJob(ctx.openStore());
      ctx.output(list, () => {
        if (!list.length) ctx.print('quarantine is empty');
        for (const q of list) ctx.print(`${q.quarantinedAt} ${q.check.padEnd(9)} exit ${q.exitCode} ${q.source}\n    ${q.message}\n    kept in ${q.dir}`);
      });
    });

  offline
    .command('write')
    .description('write a kit or bundle to a folder on removable media: free-space check, FAT32 splits, fsync, read-back')
    .argument('<kit>', 'a kit file or a bundle folder')
    .requiredOption('--to <dir>', 'the folder to write into (the mounted medium)')
    .addOption(new Option('--split-size <bytes>', 'split files larger than this (default: 4 GiB - 1 for FAT32)').hideHelp())
    .action(async (kit: string, opts: { to: string; splitSize?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = await writeMediaJob(
        ctx.openStore(),
        { source: resolve(ctx.io.cwd, kit), to: resolve(ctx.io.cwd, opts.to), ...(opts.splitSize !== undefined ? { maxFileBytes: parseNonNegativeInt('--split-size', opts.splitSize) } : {}) },
        ctx.job(),
      );
      ctx.output(r, () => {
        ctx.print(`wrote ${r.target} (${bytes(r.bytes)}${r.split ? ', split for FAT32' : ''}); read back ${r.readBack.files} file(s): digests match`);
        ctx.print(`media manifest: ${r.mediaManifest}`);
      });
    });
};
