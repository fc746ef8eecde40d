/**
 * Every command group of `stella`. Each group lives in its own file and registers itself on the
 * program; `makeContext` turns the invoked command's options into a CommandContext.
 */
import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { registerSbomCommands } from './sbom';
import { registerAdvisoryCommands } from './advisories';
import { registerAocCommands } from './aoc';
import { registerScanCommand } from './scan';
import { registerVersionCommands } from './version';
import { registerInventoryCommand } from './inventory';
import { registerPluginCommands } from './plugins';
import { registerServeCommand } from './serve';

export type RegisterCommands = (program: Command, makeContext: (cmd: Command) => CommandContext) => void;

export const COMMANDS: RegisterCommands[] = [
  registerSbomCommands,
  registerAdvisoryCommands,
  registerAocCommands,
  registerScanCommand,
  registerInventoryCommand,
  registerVersionCommands,
  registerPluginCommands,
  registerServeCommand,
];
