import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { tempDir } from '../../build/test-support/fixtures';
import { exitCodeOf } from '../core';
import { CommandContext } from './context';
import { cliPassphraseSource } from './passphrase';

/** A terminal stand-in: stdin that types `keys` once raw mode is on, stderr that is a TTY. */
function terminal(typed: string[]): { ctx: CommandContext; prompts: () => string } {
  const stdin = new PassThrough() as PassThrough & { isTTY: boolean; isRaw: boolean; setRawMode: (m: boolean) => void };
  stdin.isTTY = true;
  stdin.isRaw = false;
  stdin.setRawMode = (m: boolean) => {
    stdin.isRaw = m;
    const next = m ? typed.shift() : undefined;
    if (next !== undefined) setImmediate(() => stdin.write(next));
  };
  let err = '';
  const stderr = new Writable({ write: (c: Buffer, _e, cb) => ((err += c.toString()), cb()) }) as Writable & { isTTY: boolean };
  stderr.isTTY = true;
  const ctx = new CommandContext({}, { stdout: new PassThrough(), stderr, stdin, env: {}, cwd: process.cwd() });
  return { ctx, prompts: () => err };
}

test('terminal prompt: no echo, backspace edits, a new passphrase is asked twice and must match; asked once per command', async () => {
  const t = terminal(['hunter2!!x\u007f\r', 'hunter2!!\r']);
  const src = cliPassphraseSource(t.ctx, {});
  assert.equal(await src({ purpose: 'new', keyNames: ['k'] }), 'hunter2!!');
  assert.equal(await src({ purpose: 'unlock', keyNames: ['k'] }), 'hunter2!!', 'cached for the rest of the command');
  assert.match(t.prompts(), /New passphrase for key k: \nRepeat the passphrase: \n/);
  assert.ok(!t.prompts().includes('hunter2'), 'nothing echoed');
  const mismatch = terminal(['one one one\r', 'two two two\r']);
  await assert.rejects(cliPassphraseSource(mismatch.ctx, {})({ purpose: 'new', keyNames: ['k'] }), /differ/);
  const cancelled = terminal(['abc\u0003']);
  await assert.rejects(cliPassphraseSource(cancelled.ctx, {})({ purpose: 'unlock', keyNames: ['k'] }), (e) => exitCodeOf(e) === 130);
});

test('--passphrase-file wins over STELLA_PASSPHRASE; neither and no terminal is a usage error', async () => {
  const f = join(tempDir(), 'p');
  writeFileSync(f, 'from the file\nsecond line ignored\n');
  const ctx = new CommandContext({}, { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: { STELLA_PASSPHRASE: 'from env' }, cwd: process.cwd() });
  assert.equal(await cliPassphraseSource(ctx, { passphraseFile: f })({ purpose: 'unlock', keyNames: ['k'] }), 'from the file');
  assert.equal(await cliPassphraseSource(ctx, {})({ purpose: 'unlock', keyNames: ['k'] }), 'from env');
  const none = new CommandContext({}, { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {}, cwd: process.cwd() });
  await assert.rejects(cliPassphraseSource(none, {})({ purpose: 'unlock', keyNames: ['k'] }), (e) => exitCodeOf(e) === 2 && /--passphrase-file FILE/.test((e as Error).message));
  await assert.rejects(cliPassphraseSource(none, { passphraseFile: join(tempDir(), 'missing') })({ purpose: 'unlock', keyNames: ['k'] }), /cannot read it/);
});
