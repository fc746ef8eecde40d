/**
 * Bounded memory on hostile input (issue 8, item 4), end to end: each small-on-disk input that used to
 * take 1.3–3.1 GB is generated into a temp dir, the real `stella` CLI runs on it in a child process,
 * and the test asserts the exit code, the message naming the limit, and the child's peak RSS (all
 * threads) against the 768 MB ceiling. The measured figure is printed as a test diagnostic; the same
 * cases are rows of `npm run bench` (build/bench/hostile.bench.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../build/test-support/fixtures';
import { HOSTILE_CASES, HOSTILE_RSS_LIMIT_MB, runStellaMeasured } from '../../build/test-support/hostile';

for (const c of HOSTILE_CASES) {
  test(`hostile input, real CLI: ${c.name} → exit ${c.exitCode}, the outcome named, peak RSS ≤ ${HOSTILE_RSS_LIMIT_MB} MB`, async (t) => {
    const dir = tempDir('stella-hostile-');
    try {
      const input = await c.make(dir);
      const r = await runStellaMeasured(['--home', join(dir, 'home'), '--json', ...c.args(input)]);
      t.diagnostic(`${c.name}: exit ${r.code}, peak RSS ${r.peakRssMb ?? '?'} MB, ${r.ms} ms`);
      assert.equal(r.code, c.exitCode, `${r.stderr}\n${r.stdout.slice(0, 2000)}`);
      for (const re of c.expect) assert.match(r.stdout, re, r.stdout.slice(0, 4000));
      assert.notEqual(r.peakRssMb, null, 'the child reported its peak RSS');
      assert.ok((r.peakRssMb as number) <= HOSTILE_RSS_LIMIT_MB, `peak RSS ${r.peakRssMb} MB is over ${HOSTILE_RSS_LIMIT_MB} MB`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
