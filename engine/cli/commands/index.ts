/**
 * Every command group of `stella`, by noun. Each group lives in its own file and registers itself on
 * the program; groups are imported only when their noun is on the command line, so `stella version
 * compare` does not pay for loading the SBOM schemas or the scanner.
 */
import type { Command } from 'commander';
import type { CommandContext } from '../context';

export type RegisterCommands = (program: Command, makeContext: (cmd: Command) => CommandContext) => void;

export interface CommandGroup {
  noun: string;
  load: () => Promise<RegisterCommands>;
}

/** In the order `stella --help` lists them. */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  { noun: 'sbom', load: async () => (await import('./sbom')).registerSbomCommands },
  { noun: 'advisories', load: async () => (await import('./advisories')).registerAdvisoryCommands },
  { noun: 'vex', load: async () => (await import('./vex')).registerVexCommands },
  { noun: 'aoc', load: async () => (await import('./aoc')).registerAocCommands },
  { noun: 'scan', load: async () => (await import('./scan')).registerScanCommand },
  { noun: 'policy', load: async () => (await import('./policy')).registerPolicyCommands },
  { noun: 'inventory', load: async () => (await import('./inventory')).registerInventoryCommand },
  { noun: 'version', load: async () => (await import('./version')).registerVersionCommands },
  { noun: 'plugins', load: async () => (await import('./plugins')).registerPluginCommands },
  { noun: 'keys', load: async () => (await import('./keys')).registerKeyCommands },
  { noun: 'attest', load: async () => (await import('./attest')).registerAttestCommands },
  { noun: 'log', load: async () => (await import('./log')).registerLogCommands },
  { noun: 'trust', load: async () => (await import('./trust')).registerTrustCommands },
  { noun: 'audit', load: async () => (await import('./audit')).registerAuditCommands },
  { noun: 'offline', load: async () => (await import('./offline')).registerOfflineCommands },
  { noun: 'notify', load: async () => (await import('./notify')).registerNotifyCommands },
  { noun: 'export', load: async () => (await import('./export')).registerExportCommands },
  { noun: 'report', load: async () => (await import('./report')).registerReportCommand },
  { noun: 'replay', load: async () => (await import('./replay')).registerReplayCommand },
  { noun: 'serve', load: async () => (await import('./serve')).registerServeCommand },
];

/** Options of the program itself that take a value (their value is not the noun). */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(['--home']);

/** The command groups `argv` needs: the one its noun names, or all of them (help, unknown nouns). */
export function groupsFor(argv: readonly string[]): readonly CommandGroup[] {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (GLOBAL_OPTIONS_WITH_VALUE.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    const group = COMMAND_GROUPS.find((g) => g.noun === a);
    return group ? [group] : COMMAND_GROUPS;
  }
  return COMMAND_GROUPS;
}
