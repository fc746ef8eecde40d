/** `stella plugins list [--json]` — the analyzer plug-ins loaded at start-up and every refused one, with why. */
import { defaultPluginsDir, describePlugins, loadPlugins } from '../../scanner';
import type { RegisterCommands } from './index';

export const registerPluginCommands: RegisterCommands = (program, makeContext) => {
  const plugins = program.command('plugins').description('plug-ins loaded at start-up');
  plugins
    .command('list')
    .description('list loaded and refused plug-ins (refused: digest mismatch, unsupported SDK API, needs network, bad manifest)')
    .action(async (_opts, cmd) => {
      const ctx = makeContext(cmd);
      const set = describePlugins(await loadPlugins(defaultPluginsDir(ctx.io.env)));
      ctx.output(set, () => {
        ctx.print(`plug-ins in ${set.pluginsDir} (SDK API ${set.sdkApi})`);
        for (const p of set.loaded) ctx.print(`  loaded   ${p.name}@${p.version}  ${p.kind}  ${p.entrySha256.slice(0, 19)}…`);
        for (const r of set.refused) ctx.print(`  REFUSED  ${r.name}${r.version ? `@${r.version}` : ''}  ${r.code}: ${r.reason}`);
      });
    });
};
