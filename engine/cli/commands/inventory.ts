/**
 * `stella inventory TARGET [--as PATH] [--format cyclonedx-json|spdx-json] [-o OUT]` — what is in an
 * image tar, OCI layout, root-filesystem directory, or one lockfile/manifest/database file.
 */
import { basename, resolve } from 'node:path';
import { inventoryJob } from '../../jobs/inventory';
import { exportInventory } from '../../sbom/export';
import { writeFileAtomic } from '../../store';
import { CliError } from '../context';
import type { RegisterCommands } from './index';

interface InventoryFlags {
  as?: string;
  format?: string;
  output?: string;
  cache?: boolean;
  workers?: string;
  specVersion?: string;
}

export const registerInventoryCommand: RegisterCommands = (program, makeContext) => {
  program
    .command('inventory')
    .description('list the packages in an image tar, OCI layout, root filesystem directory or single file')
    .argument('<target>', 'docker-archive tar, OCI layout (dir or tar), rootfs directory, or one lockfile/manifest/database file')
    .option('--as <path>', 'analyze a single file as if it stood at PATH in a filesystem (e.g. var/lib/dpkg/status)')
    .option('--format <format>', 'write an SBOM instead of the inventory JSON: cyclonedx-json | spdx-json')
    .option('--spec-version <v>', 'SBOM spec version (with --format)')
    .option('-o, --output <file>', 'write the SBOM / JSON to this file instead of stdout')
    .option('--no-cache', 'do not read or write the per-layer cache')
    .option('--workers <n>', 'worker threads for layers (default: one per core, 0 = none)')
    .action(async (target: string, flags: InventoryFlags, cmd) => {
      const ctx = makeContext(cmd);
      const abs = resolve(ctx.io.cwd, target);
      let workers: number | undefined;
      if (flags.workers !== undefined) {
        workers = Number(flags.workers);
        if (!Number.isInteger(workers) || workers < 0) throw new CliError('usage', `--workers: expected a non-negative integer, got ${JSON.stringify(flags.workers)}`);
      }
      const pluginsDir = ctx.io.env.STELLA_PLUGINS_DIR;
      // The store also holds the trust that signed third-party plug-ins (<home>/plugins) are checked
      // against, so it is opened even when the layer cache is off (then no layer is cached in it).
      const result = await inventoryJob(
        ctx.openStore(),
        {
          ...(flags.cache === false ? { cache: false } : {}),
          path: abs,
          name: basename(target),
          ...(flags.as !== undefined ? { as: flags.as } : {}),
          ...(pluginsDir ? { pluginsDir: resolve(ctx.io.cwd, pluginsDir) } : {}),
          ...(workers !== undefined ? { workers } : {}),
        },
        ctx.job(),
      );
      const errors = result.issues.filter((i) => i.severity === 'error');
      for (const i of errors) ctx.log(`inventory: error: ${i.layer ? `[${i.layer.slice(0, 19)}] ` : ''}${i.path ?? ''}${i.line ? `:${i.line}` : ''} ${i.message}`);
      // A single file that an analyzer rejected outright is invalid input, not an empty inventory.
      if (result.kind === 'file' && errors.length && !result.document.packages.length) ctx.exitCode = 3;
      let out: Buffer;
      if (flags.format) {
        const sbom = exportInventory(result.inventory, { format: flags.format, ...(flags.specVersion ? { specVersion: flags.specVersion } : {}) });
        for (const w of sbom.warnings) ctx.log(`inventory: ${w}`);
        out = sbom.bytes;
      } else if (ctx.json || flags.output) {
        out = Buffer.from(`${JSON.stringify(result.document, null, 2)}\n`);
      } else {
        const d = result.document;
        ctx.print(`${d.image ? `image ${d.image.digest} (${d.image.layers.length} layers)` : result.kind}${d.os ? `, ${d.os.id} ${d.os.versionId ?? ''}` : ''}`);
        for (const p of d.packages) ctx.print(`${p.foundBy.padEnd(16)} ${p.name} ${p.version ?? ''}${p.layer ? `  [${p.layer.slice(7, 19)}]` : ''}`);
        ctx.print(`${d.packages.length} packages, ${d.issues.length} issues (${errors.length} errors)`);
        return;
      }
      if (flags.output) {
        writeFileAtomic(resolve(ctx.io.cwd, flags.output), out);
        ctx.log(`inventory: wrote ${flags.output}`);
      } else {
        ctx.io.stdout.write(out);
        if (!out.toString('utf8').endsWith('\n')) ctx.io.stdout.write('\n');
      }
    });
};
