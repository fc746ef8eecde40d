/**
 * The `stella` command: one binary, subcommands by noun then verb. Exit codes are the same for every
 * command (see engine/core/errors.ts): 0 ok · 1 said no · 2 usage · 3 invalid input · 4 data missing ·
 * 5 network needed · 6 trust failure · 8 non-monotonic kit · 10 internal · 130 cancelled.
 */
import { Command, CommanderError } from 'commander';
import { EXIT_CODES, serializeError, type EngineContext } from '../core';
import { CommandContext, type CliIO, type GlobalFlags } from './context';
import { COMMAND_GROUPS, groupsFor, type CommandGroup } from './commands';

export interface RunOptions {
  io?: Partial<CliIO>;
  signal?: AbortSignal;
  /** Injected clock and ids (tests, replays); default the system clock and random ids. */
  engine?: EngineContext;
}

/** The program with the given command groups registered (default: all of them). */
export async function buildProgram(makeContext: (cmd: Command) => CommandContext, groups: readonly CommandGroup[] = COMMAND_GROUPS): Promise<Command> {
  const program = new Command('stella');
  program
    .description('Stella Evidence Workstation — offline software supply-chain evidence')
    .option('--home <dir>', 'evidence store directory (else $STELLA_HOME, else the per-OS app-data folder)')
    .option('--json', 'print one JSON document on stdout (logs go to stderr)')
    .option('-q, --quiet', 'no progress or log lines on stderr')
    .showHelpAfterError()
    .exitOverride();
  for (const group of groups) (await group.load())(program, makeContext);
  program.commands.forEach(function applyOverride(c: Command) {
    c.exitOverride();
    c.commands.forEach(applyOverride);
  });
  return program;
}

/** Run the CLI with `argv` (without node and script). Resolves to the exit code; never calls process.exit. */
export async function runCli(argv: string[], opts: RunOptions = {}): Promise<number> {
  const io: CliIO = {
    stdout: opts.io?.stdout ?? process.stdout,
    stderr: opts.io?.stderr ?? process.stderr,
    stdin: opts.io?.stdin ?? process.stdin,
    env: opts.io?.env ?? process.env,
    cwd: opts.io?.cwd ?? process.cwd(),
  };
  let ctx: CommandContext | undefined;
  const makeContext = (cmd: Command): CommandContext => {
    ctx = new CommandContext(cmd.optsWithGlobals() as GlobalFlags, io, opts.engine, opts.signal);
    return ctx;
  };
  const program = await buildProgram(makeContext, groupsFor(argv));
  // Every command, not only the program: commander copies output settings to a subcommand only when
  // it is created, and usage errors of `stella plugins sign` belong on this run's stderr.
  const output = { writeOut: (s: string) => io.stdout.write(s), writeErr: (s: string) => io.stderr.write(s) };
  (function configure(c: Command): void {
    c.configureOutput(output);
    c.commands.forEach(configure);
  })(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx?.exitCode ?? 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return EXIT_CODES.usage;
    }
    const err = serializeError(e);
    const wantJson = ctx?.json ?? argv.includes('--json');
    if (wantJson) io.stdout.write(`${JSON.stringify({ error: { code: err.code, module: err.module, message: err.message, details: err.details } }, null, 2)}\n`);
    io.stderr.write(`stella: ${err.category === 'internal' ? 'internal error' : 'error'}: ${err.message}\n`);
    if (err.category === 'internal' && e instanceof Error && e.stack && io.env.STELLA_DEBUG) io.stderr.write(`${e.stack}\n`);
    return EXIT_CODES[err.category];
  } finally {
    ctx?.closeStore();
  }
}
