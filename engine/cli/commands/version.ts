/**
 * `stella version compare ECO A B` prints -1, 0 or 1 (exit 3 when the ecosystem rejects a version, 2 for an
 * unknown ecosystem). `stella version compare --batch` streams `ECO<TAB>A<TAB>B` lines from stdin to
 * `ECO<TAB>A<TAB>B<TAB>R` lines on stdout in input order, R = -1|0|1, or `E` (reason on stderr, naming the
 * line) for a line that cannot be compared; the exit code is then 3. Blank lines are skipped.
 */
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import type { Command } from 'commander';
import { throwIfCancelled } from '../../core';
import { isMatchError } from '../../match/errors';
import { getComparator, type Comparator } from '../../match/versions';
import { CliError, type CommandContext } from '../context';
import type { RegisterCommands } from './index';

export const registerVersionCommands: RegisterCommands = (program, makeContext) => {
  const version = program.command('version').description('version ordering per ecosystem (OSV ecosystem names)');
  version
    .command('compare')
    .description('compare two versions of an ecosystem: prints -1, 0 or 1; --batch streams TSV lines from stdin')
    .argument('[ecosystem]', 'ecosystem as OSV spells it (npm, PyPI, Maven, Debian, "Red Hat", ...); "Debian:12" is accepted')
    .argument('[a]', 'first version')
    .argument('[b]', 'second version')
    .option('--batch', 'read ECO<TAB>A<TAB>B lines on stdin, write ECO<TAB>A<TAB>B<TAB>R lines on stdout')
    .action(async (ecosystem: string | undefined, a: string | undefined, b: string | undefined, opts: { batch?: boolean }, cmd: Command) => {
      const ctx = makeContext(cmd);
      if (opts.batch) {
        if (ecosystem !== undefined) throw new CliError('usage', 'version compare --batch takes no arguments (it reads ECO<TAB>A<TAB>B lines on stdin)');
        if (ctx.json) throw new CliError('usage', 'version compare --batch writes TSV lines; --json applies to single comparisons only');
        await compareBatch(ctx);
        return;
      }
      if (ecosystem === undefined || a === undefined || b === undefined) {
        throw new CliError('usage', 'usage: stella version compare ECOSYSTEM A B  (or --batch with ECO<TAB>A<TAB>B lines on stdin)');
      }
      const result = getComparator(ecosystem)(a, b);
      ctx.output({ ecosystem, a, b, result }, () => ctx.print(String(result)));
    });
};

/** Results of the lines of one chunk, written with a single write (and back-pressure) per chunk. */
async function compareBatch(ctx: CommandContext): Promise<void> {
  const { stdin, stdout, stderr } = ctx.io;
  const decoder = new StringDecoder('utf8');
  const comparators = new Map<string, Comparator | Error>();
  let lineNo = 0;
  let failures = 0;
  let carry = '';

  const lookup = (eco: string): Comparator | Error => {
    let c = comparators.get(eco);
    if (c === undefined) {
      try {
        c = getComparator(eco);
      } catch (e) {
        if (!isMatchError(e)) throw e;
        c = e;
      }
      comparators.set(eco, c);
    }
    return c;
  };

  const processLines = (text: string, final: boolean): { out: string; err: string } => {
    let out = '';
    let err = '';
    let start = 0;
    for (;;) {
      let end = text.indexOf('\n', start);
      if (end < 0) {
        if (!final) {
          carry = text.slice(start);
          break;
        }
        if (start >= text.length) {
          carry = '';
          break;
        }
        end = text.length;
      }
      lineNo++;
      let line = text.slice(start, end);
      start = end + 1;
      if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
      if (line.length === 0) continue;
      const t1 = line.indexOf('\t');
      const t2 = t1 < 0 ? -1 : line.indexOf('\t', t1 + 1);
      if (t2 < 0 || line.indexOf('\t', t2 + 1) >= 0) {
        failures++;
        out += `${line}\tE\n`;
        err += `stella: line ${lineNo}: expected ECOSYSTEM<TAB>A<TAB>B (3 tab-separated fields)\n`;
        continue;
      }
      const cmp = lookup(line.slice(0, t1));
      if (cmp instanceof Error) {
        failures++;
        out += `${line}\tE\n`;
        err += `stella: line ${lineNo}: ${cmp.message}\n`;
        continue;
      }
      try {
        out += `${line}\t${cmp(line.slice(t1 + 1, t2), line.slice(t2 + 1))}\n`;
      } catch (e) {
        if (!isMatchError(e)) throw e;
        failures++;
        out += `${line}\tE\n`;
        err += `stella: line ${lineNo}: ${e.message}\n`;
      }
    }
    return { out, err };
  };

  const flush = async ({ out, err }: { out: string; err: string }): Promise<void> => {
    if (err) stderr.write(err);
    if (out && !stdout.write(out)) await once(stdout, 'drain');
  };

  for await (const chunk of stdin) {
    throwIfCancelled(ctx.signal);
    const text = carry + (typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
    await flush(processLines(text, false));
  }
  await flush(processLines(carry + decoder.end(), true));
  if (failures > 0) ctx.exitCode = 3;
}
