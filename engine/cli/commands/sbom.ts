/**
 * `stella sbom validate|import|show|list|export`. Validation problems exit 3 with the document path and
 * what was expected; `show` accepts a file (parsed, nothing stored) or a stored id/digest.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Component, Inventory } from '../../core';
import { getSbom, listSboms, parseSbom, readSbomFile, SbomError, validateSbom, type SbomRecord } from '../../sbom';
import { importSbomJob } from '../../jobs/import-sbom';
import type { CommandContext } from '../context';
import type { RegisterCommands } from './index';
import { exportSbomCommand } from './sbom-export';

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function table(ctx: CommandContext, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  ctx.print(header.map((h, i) => pad(h, widths[i] as number)).join('  ').trimEnd());
  for (const r of rows) ctx.print(r.map((c, i) => pad(c, widths[i] as number)).join('  ').trimEnd());
}

function isFile(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isFile();
  } catch {
    return false;
  }
}

function importJson(r: SbomRecord): Record<string, unknown> {
  return { id: r.id, digest: r.digest, format: r.format, specVersion: r.specVersion, componentCount: r.componentCount, dependencyCount: r.dependencyCount };
}

/** `show` output: every normalized component field, `ref`/`name`/`version`/`purl`/`type` first. */
function componentJson(c: Component): Record<string, unknown> {
  const { ref, name, version, purl, type, ...rest } = c;
  return { ref, name, version: version ?? null, purl: purl ?? null, type, ...rest };
}

async function loadForShow(ctx: CommandContext, target: string): Promise<{ id?: string; inventory: Inventory; format: string; specVersion: string }> {
  const path = resolve(ctx.io.cwd, target);
  if (isFile(path)) {
    const parsed = await parseSbom(readSbomFile(path), { fileName: target, signal: ctx.signal });
    for (const w of parsed.warnings) ctx.log(`warning: ${w}`);
    return { inventory: parsed.inventory, format: parsed.format, specVersion: parsed.specVersion };
  }
  const found = getSbom(ctx.openStore(), target);
  if (!found) {
    throw new SbomError('not-found', `${target}: neither a readable file nor the id or digest of a stored SBOM; expected a file path or an id from \`stella sbom list\``, {
      details: { file: target, expected: 'a file path or a stored SBOM id/digest' },
    });
  }
  return { id: found.record.id, inventory: found.inventory, format: found.record.format, specVersion: found.record.specVersion };
}

export const registerSbomCommands: RegisterCommands = (program: Command, makeContext) => {
  const sbom = program.command('sbom').description('SBOM ingest: validate, import, show, list and export CycloneDX / SPDX / Syft / Trivy documents');

  sbom
    .command('validate')
    .description('validate an SBOM against its official schema (exit 0 valid, 3 invalid)')
    .argument('<file>', 'SBOM file')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const path = resolve(ctx.io.cwd, file);
      const result = await validateSbom(readSbomFile(path), { fileName: file, signal: ctx.signal });
      if (!result.valid) ctx.exitCode = 3;
      ctx.output({ file, ...result }, () => {
        if (result.valid) ctx.print(`${file}: valid ${result.format} ${result.specVersion}`);
        else {
          ctx.print(`${file}: invalid${result.format ? ` ${result.format} ${result.specVersion ?? ''}`.trimEnd() : ''} (${result.errors.length} problem(s))`);
          // Human output shows the first problems; --json has all of them.
          for (const e of result.errors.slice(0, 50)) ctx.print(`  ${e.path}: ${e.message}${e.expected ? ` — expected ${e.expected}` : ''}`);
          if (result.errors.length > 50) ctx.print(`  … and ${result.errors.length - 50} more (see --json)`);
        }
      });
    });

  sbom
    .command('import')
    .description('parse, validate, normalize and store an SBOM (idempotent per content)')
    .argument('<file>', 'SBOM file')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const { record, warnings } = await importSbomJob(ctx.openStore(), { path: resolve(ctx.io.cwd, file) }, ctx.job());
      for (const w of warnings) ctx.log(`warning: ${w}`);
      ctx.output(importJson(record), () => {
        ctx.print(`imported ${record.id} (${record.format} ${record.specVersion}): ${record.componentCount} components, ${record.dependencyCount} dependencies`);
        ctx.print(`digest ${record.digest}`);
      });
    });

  sbom
    .command('show')
    .description('show the normalized components and dependencies of a file (nothing stored) or a stored SBOM')
    .argument('<fileOrId>', 'SBOM file, or the id/digest of a stored SBOM')
    .action(async (target: string, _opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const { id, inventory, format, specVersion } = await loadForShow(ctx, target);
      const out: Record<string, unknown> = {
        ...(id ? { id } : {}),
        format,
        specVersion,
        ...(inventory.subject ? { subject: componentJson(inventory.subject) } : {}),
        components: inventory.components.map(componentJson),
        dependencies: inventory.dependencies,
      };
      ctx.output(out, () => {
        ctx.print(`${id ?? target}: ${format} ${specVersion}, ${inventory.components.length} components, ${inventory.dependencies.length} dependency entries`);
        table(
          ctx,
          ['REF', 'TYPE', 'NAME', 'VERSION', 'PURL'],
          inventory.components.map((c) => [c.ref, c.type, c.group ? `${c.group}/${c.name}` : c.name, c.version ?? '', c.purl ?? '']),
        );
      });
    });

  sbom
    .command('list')
    .description('list stored SBOMs')
    .action((_opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const records = listSboms(ctx.openStore());
      ctx.output(records, () => {
        if (records.length === 0) return ctx.print('no SBOMs stored');
        table(
          ctx,
          ['ID', 'FORMAT', 'SPEC', 'COMPONENTS', 'DEPENDENCIES', 'IMPORTED', 'NAME'],
          records.map((r) => [r.id, r.format, r.specVersion, String(r.componentCount), String(r.dependencyCount), r.importedAt, r.name]),
        );
      });
    });

  sbom
    .command('export')
    .description('export a file or stored SBOM as CycloneDX or SPDX')
    .argument('<fileOrId>', 'SBOM file, or the id/digest of a stored SBOM')
    .requiredOption('--format <format>', 'cyclonedx-json | cyclonedx-xml | spdx-json | spdx3-json')
    .option('--spec-version <version>', 'spec version of the output (default: CycloneDX 1.6, SPDX 2.3, SPDX 3.0.1)')
    .requiredOption('-o, --output <file>', 'output file')
    .action(async (target: string, opts: { format: string; specVersion?: string; output: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      await exportSbomCommand(ctx, target, { format: opts.format, output: opts.output, ...(opts.specVersion ? { specVersion: opts.specVersion } : {}) });
    });
};
