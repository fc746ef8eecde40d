/**
 * Option parsers shared by command groups (`stella scan` and `stella policy` take the same `--env`),
 * in a file of their own so one group does not load the other's jobs.
 */
import type { EnvValue } from '../../policy/evaluate';
import { CliError } from '../context';

/** Repeatable options: each occurrence is appended. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--env KEY=VALUE`: true/false become booleans, numbers numbers, the rest strings. */
export function parseEnv(pairs: readonly string[]): Record<string, EnvValue> {
  const env: Record<string, EnvValue> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    const key = eq < 0 ? '' : p.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(key)) throw new CliError('usage', `--env ${JSON.stringify(p)}: expected KEY=VALUE with KEY of letters, digits, "_" and "."`);
    const raw = p.slice(eq + 1);
    env[key] = raw === 'true' ? true : raw === 'false' ? false : raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return env;
}
