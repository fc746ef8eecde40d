/** Helpers shared by the keys / attest / log / trust / audit command groups. */
import { CliError } from '../context';

/** `--opt a --opt b` and `--opt a b` both collect into one list. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function parseNonNegativeInt(flag: string, value: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(value)) throw new CliError('usage', `${flag}: expected a non-negative integer, got ${JSON.stringify(value)}`);
  return Number(value);
}
