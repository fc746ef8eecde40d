/** Helpers shared by the keys / attest / log / trust / audit command groups. */
import { jobContext, type JobContext } from '../../jobs/context';
import { CliError, type CommandContext } from '../context';

/** The job context of a command: its signal, the injected clock and ids, log lines on stderr. */
export function jobOf(ctx: CommandContext): JobContext {
  return jobContext({
    signal: ctx.signal,
    clock: ctx.engine.clock,
    ids: ctx.engine.ids,
    log: (level, message) => ctx.log(`stella: ${level === 'info' ? '' : `${level}: `}${message}`),
  });
}

/** `--opt a --opt b` and `--opt a b` both collect into one list. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function parseNonNegativeInt(flag: string, value: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(value)) throw new CliError('usage', `${flag}: expected a non-negative integer, got ${JSON.stringify(value)}`);
  return Number(value);
}
