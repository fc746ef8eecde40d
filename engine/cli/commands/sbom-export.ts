/**
 * `stella sbom export FILE|ID --format … [--spec-version V] -o OUT` — called from the `sbom` command group
 * (commands/sbom.ts) so that the export side can evolve on its own.
 */
import type { CommandContext } from '../context';

export interface SbomExportOptions {
  format: string;
  specVersion?: string;
  output: string;
}

export type ExportSbomCommand = (ctx: CommandContext, target: string, opts: SbomExportOptions) => Promise<void>;
