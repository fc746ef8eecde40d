/**
 * Hostile-input bench (issue 8, item 4): each small-on-disk hostile input through the real `stella`
 * CLI in a child process; the row is the child's peak RSS (getrusage, all threads) against the 768 MB
 * target, with the exit code and wall time in the note. The same cases are asserted by
 * engine/cli/hostile.test.ts.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../test-support/fixtures';
import { HOSTILE_CASES, HOSTILE_RSS_LIMIT_MB, runStellaMeasured } from '../test-support/hostile';
import { report } from './harness';

async function main(): Promise<void> {
  for (const c of HOSTILE_CASES) {
    const dir = tempDir('stella-hostile-bench-');
    try {
      const input = await c.make(dir);
      const r = await runStellaMeasured(['--home', join(dir, 'home'), '--json', ...c.args(input)]);
      report({
        bench: 'hostile',
        metric: `${c.name}: peak RSS`,
        value: r.peakRssMb ?? 'unknown',
        unit: 'MB',
        target: `≤ ${HOSTILE_RSS_LIMIT_MB} MB, exit ${c.exitCode}`,
        note: `exit ${r.code}, ${(r.ms / 1000).toFixed(1)} s`,
      });
      if (r.code !== c.exitCode) process.exitCode = 1;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

await main();
