/**
 * Where the CLI gets a key passphrase — never from the command line: `--passphrase-file FILE` (first
 * line), else `STELLA_PASSPHRASE`, else a prompt on the terminal (no echo; a new passphrase is asked
 * twice). With none of them the command fails with exit 2 and says how to provide one. The value is
 * asked at most once per command and only when a key really has to be created or unlocked.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ReadStream } from 'node:tty';
import { AttestError } from '../attest';
import { CoreError } from '../core';
import type { PassphraseRequest, PassphraseSource } from '../jobs/keys';
import type { CommandContext } from './context';

const HOW = 'provide it with --passphrase-file FILE, the STELLA_PASSPHRASE environment variable, or run the command in a terminal to be prompted';

function readHidden(ctx: CommandContext, prompt: string): Promise<string> {
  const stdin = ctx.io.stdin as ReadStream;
  return new Promise((resolvePromise, reject) => {
    let value = '';
    ctx.io.stderr.write(prompt);
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.resume();
    const done = (err?: Error): void => {
      stdin.removeListener('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      ctx.io.stderr.write('\n');
      if (err) reject(err);
      else resolvePromise(value);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new CoreError('cancelled', 'cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The passphrase source of one command invocation. */
export function cliPassphraseSource(ctx: CommandContext, opts: { passphraseFile?: string }): PassphraseSource {
  let cached: string | undefined;
  return async (req: PassphraseRequest) => {
    if (cached !== undefined) return cached;
    if (opts.passphraseFile !== undefined) {
      const path = resolve(ctx.io.cwd, opts.passphraseFile);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (cause) {
        throw new AttestError('passphrase-required', `--passphrase-file ${opts.passphraseFile}: cannot read it (${(cause as Error).message})`, { cause, details: { file: path } });
      }
      cached = text.split(/\r?\n/)[0] ?? '';
      if (cached === '') throw new AttestError('passphrase-required', `--passphrase-file ${opts.passphraseFile}: the first line is empty`, { details: { file: path } });
      return cached;
    }
    const env = ctx.io.env.STELLA_PASSPHRASE;
    if (env !== undefined && env !== '') return (cached = env);
    const stdin = ctx.io.stdin as Partial<ReadStream>;
    const stderr = ctx.io.stderr as { isTTY?: boolean };
    if (stdin.isTTY === true && typeof stdin.setRawMode === 'function' && stderr.isTTY === true) {
      const names = req.keyNames.join(', ');
      if (req.purpose === 'new') {
        const first = await readHidden(ctx, `New passphrase for key ${names}: `);
        const again = await readHidden(ctx, 'Repeat the passphrase: ');
        if (first !== again) throw new AttestError('passphrase-required', 'the two passphrases differ');
        return (cached = first);
      }
      return (cached = await readHidden(ctx, `Passphrase for key ${names}: `));
    }
    throw new AttestError('passphrase-required', `a passphrase is needed to ${req.purpose === 'new' ? 'protect the new' : 'unlock the'} key ${req.keyNames.join(', ')}: ${HOW}`, {
      details: { expected: '--passphrase-file FILE, STELLA_PASSPHRASE or a terminal' },
    });
  };
}
