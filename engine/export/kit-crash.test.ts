/**
 * Crash safety of kit activation: a child process importing a kit is killed with SIGKILL at random
 * points (while reading, verifying, activating). Afterwards the store passes `stella aoc verify` and
 * `stella audit verify`, and either the old snapshot (with the old kit active) or the new one (with the
 * new kit active) is current — never a mix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { currentSnapshot } from '../advisories';
import { performance } from 'node:perf_hooks';
import { buildKitJob, importKitJob } from '../jobs/kit';
import { openStore } from '../store';
import { cli } from '../../build/test-support/cli';
import { fixture, needsFixtures, REPO_ROOT, tempDir } from '../../build/test-support/fixtures';
import { FAST, consumerTrusting, ctxAt, kitInputs, passphrase } from './testdata/kit-fixtures';
import { activeKit } from '.';

const ROUNDS = 8;

function snapshotAndKit(home: string): { snapshot: string | null; kit: string | null; documents: number } {
  const s = openStore({ home });
  try {
    const snap = currentSnapshot(s);
    return { snapshot: snap.id, kit: activeKit(s, 'stable')?.version ?? null, documents: snap.documentCount };
  } finally {
    s.close();
  }
}

/** `stella offline import` in a child process, killed `delayMs` after it started running (never when delayMs is Infinity). */
function killedImport(home: string, kit: string, delayMs: number): Promise<{ killed: boolean; code: number | null; ranMs: number }> {
  return new Promise((resolve, reject) => {
    let startedAt = 0;
    const p = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'stella.mjs'), '--home', home, 'offline', 'import', kit], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      // The clock starts when the command is running (start-up through tsx takes a while and varies).
      if (startedAt === 0 && err.includes('stella: read')) {
        startedAt = performance.now();
        if (Number.isFinite(delayMs)) timer = setTimeout(() => p.kill('SIGKILL'), delayMs);
      }
    });
    p.on('error', reject);
    p.on('exit', (code, sig) => {
      clearTimeout(timer);
      resolve({ killed: sig === 'SIGKILL', code, ranMs: performance.now() - startedAt });
    });
  });
}

test('SIGKILL at random points of a kit import leaves the old or the new snapshot, never a mix; aoc and audit verify', { ...needsFixtures('advisories', 'pypi-pysec-advisory-database.tar.gz'), timeout: 600_000 }, async (t) => {
  const producer = openStore({ home: tempDir('stella-crash-producer-') });
  const dir = tempDir('stella-crash-kits-');
  const small = await kitInputs();
  const old = await buildKitJob(producer, { channel: 'stable', version: '1.0.0', feeds: small.feeds, output: join(dir, 'old.tar.gz') }, passphrase, ctxAt('2025-06-01T00:00:00Z'), FAST);
  const big = await buildKitJob(
    producer,
    { channel: 'stable', version: '2.0.0', feeds: [fixture('advisories', 'pypi-pysec-advisory-database.tar.gz')!, fixture('advisories', 'distro')!], vex: small.vex, output: join(dir, 'new.tar.gz') },
    passphrase,
    ctxAt('2025-06-01T00:00:00Z'),
    FAST,
  );
  // The starting state: the old kit active.
  const base = consumerTrusting(producer);
  const bs = openStore({ home: base });
  await importKitJob(bs, { path: old.output }, ctxAt('2025-06-02T00:00:00Z'));
  bs.close();
  const before = snapshotAndKit(base);
  // The state an uninterrupted import reaches, and how long the child takes to get there.
  const full = tempDir('stella-crash-full-');
  cpSync(base, full, { recursive: true });
  const run = await killedImport(full, big.output, Infinity);
  assert.equal(run.code, 0);
  const after = snapshotAndKit(full);
  assert.notEqual(after.snapshot, before.snapshot);
  const span = run.ranMs * 1.1;
  let killedCount = 0;
  const outcomes: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const home = tempDir('stella-crash-round-');
    cpSync(base, home, { recursive: true });
    // Spread over the whole import (reading, verifying, activating, committing, after).
    const delay = Math.floor((round / ROUNDS) * span + Math.random() * (span / ROUNDS));
    const r = await killedImport(home, big.output, delay);
    if (r.killed) killedCount++;
    else assert.equal(r.code, 0, `round ${round}: the import finished with exit ${r.code}`);
    const now = snapshotAndKit(home);
    const isOld = now.snapshot === before.snapshot && now.kit === before.kit && now.documents === before.documents;
    const isNew = now.snapshot === after.snapshot && now.kit === after.kit && now.documents === after.documents;
    assert.ok(isOld || isNew, `round ${round} (killed after ${delay} ms): a mix: ${JSON.stringify(now)}; old ${JSON.stringify(before)}, new ${JSON.stringify(after)}`);
    outcomes.push(`${delay} ms: ${r.killed ? 'killed' : 'finished'}, ${isNew ? 'new' : 'old'}`);
    assert.equal((await cli(['--home', home, 'aoc', 'verify'])).code, 0, `round ${round}: aoc verify`);
    assert.equal((await cli(['--home', home, 'audit', 'verify'])).code, 0, `round ${round}: audit verify`);
    // The workstation recovers: importing again either activates the kit or says it already is (every
    // other round: an import takes seconds).
    if (round % 2 === 1) {
      const again = await cli(['--home', home, 'offline', 'import', big.output]);
      assert.equal(again.code, isNew ? 8 : 0, `round ${round}: re-import after the crash: ${again.stderr}`);
      assert.deepEqual(snapshotAndKit(home), after);
    }
  }
  t.diagnostic(outcomes.join('; '));
  assert.ok(killedCount >= ROUNDS / 2, `only ${killedCount} of ${ROUNDS} imports were killed before they finished (${outcomes.join('; ')})`);
});
