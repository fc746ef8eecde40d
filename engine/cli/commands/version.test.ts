/**
 * `stella version compare`: single mode (text / --json / exit codes) and --batch (order, E lines, chunk
 * boundaries, the whole reference file in-process, and a spawned process streaming line by line).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fixture, needsFixtures, REPO_ROOT } from '../../../build/test-support/fixtures';
import { runCli } from '../main';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], stdinChunks: (string | Buffer)[] = []): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runCli(argv, { io: { stdout, stderr, stdin: Readable.from(stdinChunks), env: {} } });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

test('single compare prints -1, 0 or 1', async () => {
  const cases: [string[], string][] = [
    [['Debian:12', '1:1.0-1', '1.0-2'], '1'],
    [['PyPI', '1.0rc1', '1.0'], '-1'],
    [['npm', '1.0.0', '1.0.0+build'], '0'],
    [['Red Hat', '1.0-1.el8', '1.0-1.el8_2'], '-1'],
    [['Alpine', '1.2.3-r1', '1.2.3_rc1-r9'], '1'],
    // OSV's rules for the SEMVER-type ecosystems: a leading v, numbers of any size
    [['Hex', 'v1.2.3', '1.2.4'], '-1'],
    [['NuGet', '123456789012345678901234567890.1', '123456789012345678901234567890.0.9'], '1'],
    [['Go', 'v123456789012345678901234567891.0.0', '123456789012345678901234567890.9.9'], '1'],
  ];
  for (const [args, expected] of cases) {
    const r = await run(['version', 'compare', ...args]);
    assert.deepEqual(r, { code: 0, stdout: `${expected}\n`, stderr: '' }, args.join(' '));
  }
});

test('single compare --json prints {ecosystem, a, b, result}', async () => {
  const r = await run(['--json', 'version', 'compare', 'Maven', '1.0-SNAPSHOT', '1.0']);
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.stdout), { ecosystem: 'Maven', a: '1.0-SNAPSHOT', b: '1.0', result: -1 });
});

test('an invalid version exits 3 naming the version and the rule; unknown ecosystem exits 2 listing names', async () => {
  const bad = await run(['version', 'compare', 'Debian', 'abc', '1.0']);
  assert.equal(bad.code, 3);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /invalid Debian version "abc": version number does not start with digit/);
  const unknown = await run(['version', 'compare', 'Nope', '1', '2']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown ecosystem "Nope"; known ecosystems: .*Debian.*PyPI/);
  const missing = await run(['version', 'compare', 'npm', '1.0.0']);
  assert.equal(missing.code, 2);
  const batchArgs = await run(['version', 'compare', '--batch', 'npm']);
  assert.equal(batchArgs.code, 2);
});

test('--batch keeps input order, marks E lines, survives chunk boundaries inside lines and characters', async () => {
  const input = 'Debian:12\t1:1.0-1\t1.0-2\nPyPI\t1.0rc1\t1.0\nNope\t1\t2\nnpm\tx\t1.0.0\nonly one field\n\r\nMaven\t1.0-é\t1.0\r\nCRAN\t1.0\t1.0.0';
  const bytes = Buffer.from(input, 'utf8');
  const e = bytes.indexOf(Buffer.from('é', 'utf8'));
  // split in the middle of a line and in the middle of the two-byte "é"
  const chunks = [bytes.subarray(0, 10), bytes.subarray(10, e + 1), bytes.subarray(e + 1)];
  const r = await run(['version', 'compare', '--batch'], chunks);
  assert.equal(r.code, 3);
  assert.equal(
    r.stdout,
    ['Debian:12\t1:1.0-1\t1.0-2\t1', 'PyPI\t1.0rc1\t1.0\t-1', 'Nope\t1\t2\tE', 'npm\tx\t1.0.0\tE', 'only one field\tE', 'Maven\t1.0-é\t1.0\t1', 'CRAN\t1.0\t1.0.0\t-1', ''].join('\n'),
  );
  const errLines = r.stderr.trim().split('\n');
  assert.equal(errLines.length, 3);
  assert.match(errLines[0] as string, /^stella: line 3: unknown ecosystem "Nope"/);
  assert.match(errLines[1] as string, /^stella: line 4: invalid npm version "x"/);
  assert.match(errLines[2] as string, /^stella: line 5: expected ECOSYSTEM<TAB>A<TAB>B/);
});

test('--batch with only valid lines exits 0; empty input gives empty output', async () => {
  const ok = await run(['version', 'compare', '--batch'], ['Go\tv1.2.3\tv1.2.4\nHex\t1.0.0\t1.0.0\n']);
  assert.deepEqual(ok, { code: 0, stdout: 'Go\tv1.2.3\tv1.2.4\t-1\nHex\t1.0.0\t1.0.0\t0\n', stderr: '' });
  const empty = await run(['version', 'compare', '--batch'], []);
  assert.deepEqual(empty, { code: 0, stdout: '', stderr: '' });
});

const FILE = ['versions', 'reference-labeled-pairs.tsv'] as const;

/** Check batch output against the labelled file: same lines in order, R equal on every non-E line. */
function checkAgainstReference(stdout: string, labelled: string[]): void {
  const outLines = stdout.split('\n');
  assert.equal(outLines.pop(), '');
  assert.equal(outLines.length, labelled.length);
  const disagreements: string[] = [];
  for (let i = 0; i < labelled.length; i++) {
    const want = labelled[i] as string;
    const got = outLines[i] as string;
    const wantInput = want.slice(0, want.lastIndexOf('\t'));
    const gotInput = got.slice(0, got.lastIndexOf('\t'));
    assert.equal(gotInput, wantInput, `line ${i + 1} out of order`);
    const wantR = want.slice(want.lastIndexOf('\t') + 1);
    if (wantR !== 'E' && got !== want) disagreements.push(`${want} -> ${got}`);
  }
  assert.deepEqual(disagreements.slice(0, 10), [], `${disagreements.length} disagreements`);
}

test('--batch agrees with every non-E line of the reference file (in-process)', needsFixtures(...FILE), async () => {
  const path = fixture(...FILE) as string;
  const labelled = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  const input = labelled.map((l) => l.slice(0, l.lastIndexOf('\t'))).join('\n');
  // feed in 64 KiB chunks like a pipe would
  const buf = Buffer.from(`${input}\n`, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += 65536) chunks.push(buf.subarray(i, i + 65536));
  const r = await run(['version', 'compare', '--batch'], chunks);
  checkAgainstReference(r.stdout, labelled);
  // the only E lines are CRAN parts beyond R's integer range (PyPI legacy versions are ordered)
  assert.equal(r.code, 3);
  for (const l of r.stderr.trim().split('\n')) assert.match(l, /invalid CRAN version/);
});

function spawnBatch(): ReturnType<typeof spawn> {
  return spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'engine', 'cli', 'entry.ts'), 'version', 'compare', '--batch'], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

test('spawned --batch streams: each answer arrives before the next line is written', async () => {
  const child = spawnBatch();
  const stdin = child.stdin as NodeJS.WritableStream;
  const stdout = child.stdout as NodeJS.ReadableStream;
  stdout.setEncoding('utf8');
  let buffered = '';
  const nextLine = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const nl = buffered.indexOf('\n');
        if (nl < 0) return false;
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        stdout.off('data', onData);
        child.off('exit', onExit);
        resolve(line);
        return true;
      };
      const onData = (d: string): void => {
        buffered += d;
        check();
      };
      const onExit = (): void => reject(new Error('child exited early'));
      if (!check()) {
        stdout.on('data', onData);
        child.on('exit', onExit);
      }
    });
  const pairs: [string, string][] = [
    ['Debian\t1.0~rc1\t1.0', 'Debian\t1.0~rc1\t1.0\t-1'],
    ['PyPI\t1.0.post1\t1.0', 'PyPI\t1.0.post1\t1.0\t1'],
    ['Alpine\t1.0\t1.0-r0', 'Alpine\t1.0\t1.0-r0\t-1'],
  ];
  for (const [input, expected] of pairs) {
    stdin.write(`${input}\n`);
    assert.equal(await nextLine(), expected);
  }
  stdin.end();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0);
  assert.equal(buffered, '');
});

test('spawned --batch over the whole reference file keeps order and agrees', needsFixtures(...FILE), async () => {
  const path = fixture(...FILE) as string;
  const labelled = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  const child = spawnBatch();
  const out: Buffer[] = [];
  (child.stdout as NodeJS.ReadableStream).on('data', (c: Buffer) => out.push(c));
  (child.stderr as NodeJS.ReadableStream).resume();
  const stdin = child.stdin as NodeJS.WritableStream;
  stdin.end(`${labelled.map((l) => l.slice(0, l.lastIndexOf('\t'))).join('\n')}\n`);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 3); // the CRAN E lines
  checkAgainstReference(Buffer.concat(out).toString('utf8'), labelled);
});
