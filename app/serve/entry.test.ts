import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runServe } from './entry';

function sink() {
  const s = new PassThrough();
  let text = '';
  s.on('data', (d: Buffer) => (text += d.toString()));
  return { stream: s, text: () => text };
}

for (const opener of ['works', 'fails'] as const) {
  test(`runServe: one stdout line, --open ${opener === 'works' ? 'opens the URL' : 'failure is only logged'}, stops when aborted`, async () => {
    const home = mkdtempSync(join(tmpdir(), 'stella-run-'));
    const out = sink();
    const err = sink();
    const opened: string[] = [];
    const stop = new AbortController();
    const running = runServe({
      home,
      readers: 1,
      open: true,
      stdout: out.stream,
      stderr: err.stream,
      signal: stop.signal,
      openUrl: async (u) => {
        if (opener === 'fails') throw new Error('xdg-open: not found');
        opened.push(u);
      },
    });
    const deadline = Date.now() + 60_000;
    while (!out.text().includes('\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 50));
    stop.abort();
    await running;
    const lines = out.text().split('\n').filter(Boolean);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    if (opener === 'works') assert.deepEqual(opened, [lines[0]]);
    else assert.match(err.text(), /could not open a browser \(xdg-open: not found\)/);
    assert.match(err.text(), /stopping/);
    rmSync(home, { recursive: true, force: true });
  });
}

test('runServe: an unusable home (a path below a regular file) fails clearly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stella-run-bad-'));
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  await assert.rejects(runServe({ home: join(file, 'home'), stdout: sink().stream, stderr: sink().stream, signal: AbortSignal.abort() }), /ENOTDIR|not a directory/i);
  rmSync(dir, { recursive: true, force: true });
});
