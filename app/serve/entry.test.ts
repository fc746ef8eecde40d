import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
    const launcherSeen: { text: string; fileMode: number; dirMode: number }[] = [];
    const stop = new AbortController();
    const running = runServe({
      home,
      readers: 1,
      open: true,
      stdout: out.stream,
      stderr: err.stream,
      signal: stop.signal,
      openUrl: async (file) => {
        if (opener === 'fails') throw new Error('xdg-open: not found');
        opened.push(file);
        launcherSeen.push({ text: readFileSync(file, 'utf8'), fileMode: statSync(file).mode & 0o777, dirMode: statSync(dirname(file)).mode & 0o777 });
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
    if (opener === 'works') {
      assert.equal(opened.length, 1);
      assert.ok(!opened[0]!.includes(lines[0]!.split('token=')[1]!), 'the opener (another process) never sees the token');
      assert.ok(opened[0]!.startsWith(join(home, 'tmp')), opened[0]);
      assert.equal(existsSync(opened[0]!), false, 'the launcher is removed when the server stops');
    } else assert.match(err.text(), /could not open a browser \(xdg-open: not found\)/);
    assert.match(err.text(), /stopping/);
    if (opener === 'works') {
      const [l] = launcherSeen;
      assert.ok(l);
      assert.ok(l.text.includes(`<meta http-equiv="refresh" content="0;url=${lines[0]}">`), l.text);
      assert.ok(l.text.includes('<meta name="referrer" content="no-referrer">'));
      if (process.platform !== 'win32') assert.deepEqual([l.fileMode, l.dirMode], [0o600, 0o700], 'only the user can read the launcher');
    }
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

test('writeLauncher: a private redirect file that goes away after its time', async () => {
  const { writeLauncher } = await import('./entry');
  const home = mkdtempSync(join(tmpdir(), 'stella-launch-'));
  const url = 'http://127.0.0.1:4000/?token=abc&x="<'; // escaped into the HTML
  const l = writeLauncher(url, join(home, 'tmp'), 50);
  const text = readFileSync(l.file, 'utf8');
  assert.ok(text.includes('content="0;url=http://127.0.0.1:4000/?token=abc&amp;x=&quot;&lt;"'), text);
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(existsSync(l.file), false);
  l.remove(); // idempotent
  rmSync(home, { recursive: true, force: true });
});
