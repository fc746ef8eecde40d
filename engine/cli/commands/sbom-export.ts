/**
 * `stella sbom export FILE|ID --format … [--spec-version V] -o OUT` — called from the `sbom` command group
 * (commands/sbom.ts) so that the export side can evolve on its own.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Inventory } from '../../core';
import { getSbom, parseSbom, readSbomFile, SbomError } from '../../sbom';
import { exportInventory, normalizeExportOptions } from '../../sbom/export';
import { writeFileAtomic } from '../../store';
import { CliError, type CommandContext } from '../context';

export interface SbomExportOptions {
  format: string;
  specVersion?: string;
  output: string;
}

export type ExportSbomCommand = (ctx: CommandContext, target: string, opts: SbomExportOptions) => Promise<void>;

function isFile(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A file is parsed (nothing stored); anything else must be the id or digest of a stored SBOM. */
async function loadInventory(ctx: CommandContext, target: string): Promise<Inventory> {
  const path = resolve(ctx.io.cwd, target);
  if (isFile(path)) {
    const parsed = await parseSbom(readSbomFile(path), { fileName: target, signal: ctx.signal });
    for (const w of parsed.warnings) ctx.log(`warning: ${w}`);
    return parsed.inventory;
  }
  const found = getSbom(ctx.openStore(), target);
  if (!found) {
    throw new SbomError('not-found', `${target}: neither a readable file nor the id or digest of a stored SBOM; expected a file path or an id from \`stella sbom list\``, {
      details: { file: target, expected: 'a file path or a stored SBOM id/digest' },
    });
  }
  for (const w of found.warnings) ctx.log(`warning: ${w}`);
  return found.inventory;
}

export const exportSbomCommand: ExportSbomCommand = async (ctx, target, opts) => {
  // Format and spec version are checked before anything is read or written.
  const { format, specVersion } = normalizeExportOptions({ format: opts.format, ...(opts.specVersion !== undefined ? { specVersion: opts.specVersion } : {}) });
  const toStdout = opts.output === '-';
  if (toStdout && ctx.json) throw new CliError('usage', '--json cannot be combined with -o - (both would write to stdout); give an output file');
  const outPath = toStdout ? undefined : resolve(ctx.io.cwd, opts.output);
  if (outPath !== undefined) {
    const dir = dirname(outPath);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new CliError('invalid-input', `${opts.output}: the directory ${dir} does not exist; expected an output path in an existing directory`, {
        details: { file: opts.output, expected: 'a file path in an existing directory' },
      });
    }
    if (existsSync(outPath) && !statSync(outPath).isFile()) {
      throw new CliError('invalid-input', `${opts.output}: exists and is not a regular file; expected an output file path`, { details: { file: opts.output, expected: 'a file path' } });
    }
  }
  const inventory = await loadInventory(ctx, target);
  const result = exportInventory(inventory, { format, specVersion });
  for (const w of result.warnings) ctx.log(`warning: ${w}`);
  if (outPath === undefined) ctx.io.stdout.write(result.bytes);
  else writeFileAtomic(outPath, result.bytes);
  const summary = {
    output: outPath ?? '-',
    format: result.format,
    specVersion: result.specVersion,
    digest: result.digest,
    componentCount: inventory.components.length,
  };
  if (ctx.json) ctx.printJson(summary);
  else {
    const line = `exported ${summary.componentCount} component(s) as ${result.format} ${result.specVersion} to ${summary.output} (${result.digest})`;
    if (toStdout) ctx.log(line);
    else ctx.print(line);
  }
};
