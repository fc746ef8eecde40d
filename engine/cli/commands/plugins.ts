/**
 * `stella plugins list [--json]` — every plug-in loaded at start-up (built-in, or third-party from
 * `<home>/plugins` signed by a key trusted for plugins) and every refused one, with why.
 * `stella plugins sign DIR --key NAME [--passphrase-file FILE]` — for plug-in authors: writes
 * `DIR/plugin.sig.dsse.json` (audited).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { listPluginsJob, signPluginJob } from '../../jobs/plugins';
import { cliPassphraseSource } from '../passphrase';
import { collect } from './attest-shared';
import type { RegisterCommands } from './index';

export const registerPluginCommands: RegisterCommands = (program, makeContext) => {
  const plugins = program.command('plugins').description('plug-ins loaded at start-up; signing third-party plug-ins');
  plugins
    .command('list')
    .description('list loaded and refused plug-ins with their origin (built-in or signer) and digest; refused: digest mismatch, unsigned, untrusted signer, unsupported SDK API, needs network, bad manifest')
    .action(async (_opts, cmd: Command) => {
      const ctx = makeContext(cmd);
      const pluginsDir = ctx.io.env.STELLA_PLUGINS_DIR;
      const set = await listPluginsJob(ctx.openStore(), { ...(pluginsDir ? { pluginsDir: resolve(ctx.io.cwd, pluginsDir) } : {}) }, ctx.job());
      ctx.output(set, () => {
        ctx.print(`plug-ins in ${set.pluginsDir}${set.thirdPartyDir ? ` and ${set.thirdPartyDir}` : ''} (SDK API ${set.sdkApi})`);
        for (const p of set.plugins) {
          const id = `${p.name}${p.version !== undefined ? `@${p.version}` : ''}`;
          if (p.status === 'loaded') ctx.print(`  loaded   ${id}  ${p.kind ?? ''}  ${p.origin}  ${(p.digest ?? '').slice(0, 19)}…`);
          else ctx.print(`  REFUSED  ${id}  ${p.origin}  ${p.code}: ${p.reason}`);
        }
      });
    });
  plugins
    .command('sign')
    .description('sign a plug-in folder (plugin.json + its entry bundle): writes DIR/plugin.sig.dsse.json, naming both digests')
    .argument('<dir>', 'the plug-in folder')
    .requiredOption('--key <name>', 'signing key (repeatable: one signature per key)', collect)
    .option('--passphrase-file <file>', 'read the key passphrase from the first line of FILE (else STELLA_PASSPHRASE, else a prompt)')
    .action(async (dir: string, opts: { key: string[]; passphraseFile?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = await signPluginJob(ctx.openStore(), { dir: resolve(ctx.io.cwd, dir), keys: opts.key }, cliPassphraseSource(ctx, opts), ctx.job());
      ctx.output(r, () => {
        ctx.print(`signed ${r.name}@${r.version}: ${r.signature}`);
        ctx.print(`  plugin.json ${r.manifestSha256}`);
        ctx.print(`  ${r.entry} ${r.entrySha256}`);
        for (const k of r.keys) ctx.print(`  key ${k.name ?? ''} ${k.keyId} (${k.algorithm})`);
      });
    });
};
