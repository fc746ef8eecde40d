// `stella serve` as a user runs it: a child process printing exactly one stdout line with the URL,
// answering the contract with the token, refusing without it, and stopping cleanly on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveBundleCandidates } from './serve';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const stella = join(root, 'bin', 'stella.mjs');
const built = existsSync(join(root, 'dist', 'serve.mjs')) && existsSync(join(root, 'dist', 'workers', 'engine.worker.mjs'));
const needsBuild = { skip: built ? false : 'dist/serve.mjs is not built: run `node build/scripts/build.mjs --no-renderer` (npm test builds it)' } as const;

test('the serve bundle is looked up beside the built CLI and in the repository dist/', () => {
  assert.equal(serveBundleCandidates('/x/dist/cli.mjs')[0], '/x/dist/serve.mjs');
  // The built CLI is code-split: this command runs from a chunk in dist/chunks/.
  assert.ok(serveBundleCandidates('/x/dist/chunks/serve-ABC.mjs').includes('/x/dist/serve.mjs'));
  assert.ok(serveBundleCandidates(join(root, 'engine/cli/commands/serve.ts')).includes(join(root, 'dist', 'serve.mjs')));
});

test('--port must be a port number (usage error, exit 2)', () => {
  const r = spawnSync(process.execPath, [stella, 'serve', '--port', 'eighty'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--port must be an integer/);
  assert.equal(r.stdout, '');
});

test('stella serve prints one URL line, serves the contract with the token only, stops on SIGTERM', { ...needsBuild, timeout: 120_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'stella-cli-serve-'));
  const child = spawn(process.execPath, [stella, 'serve', '--home', home], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const deadline = Date.now() + 90_000; // generous: npm test runs files in parallel on a busy machine
    while (!stdout.includes('\n') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    const m = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{43})\n$/.exec(stdout);
    assert.ok(m, `stdout: ${JSON.stringify(stdout)} stderr: ${stderr}`);
    const [, port, token] = m;
    const ok = await fetch(`http://127.0.0.1:${port}/api/invoke/app.info`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    const body = (await ok.json()) as { ok: boolean; value: { mode: string; home: string } };
    assert.deepEqual([body.ok, body.value.mode, body.value.home], [true, 'serve', home]);
    const refused = await fetch(`http://127.0.0.1:${port}/api/invoke/app.info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(refused.status, 403);
    assert.match(stderr, /listening on 127\.0\.0\.1/);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(home, { recursive: true, force: true });
  }
  assert.equal(stdout.split('\n').filter(Boolean).length, 1, 'exactly one stdout line');
  assert.match(stderr, /stopping/);
});
