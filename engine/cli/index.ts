/** engine/cli — the `stella` command. */
export { runCli, buildProgram } from './main';
export { CommandContext, CliError, type GlobalFlags, type CliIO } from './context';
