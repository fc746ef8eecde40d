/**
 * Advisory import: the whole shared advisory corpus (OSV/PYSEC YAML tarball, GHSA JSONL, Node Security WG
 * tarball, LoopBack OSV+CSAF, Debian DSA/DLA lists, Alpine secdb, CISA KEV) imported into a fresh home
 * (read archives → detect/parse → blob store → rows), then re-imported (everything unchanged).
 * "Advisories" are observations (one per advisory a document carries: a DSA list carries 5,406).
 * Also reported: documents/s and the parse-only rate, so a slow phase can be told apart.
 */
import { loadavg } from 'node:os';
import { openStore } from '../../engine/store';
import { importAdvisories } from '../../engine/advisories';
import { readInputs } from '../../engine/advisories/input';
import { parseRawInput } from '../../engine/advisories/connectors';
import { fixture, tempDir } from '../test-support/fixtures';
import { measure, report } from './harness';

const BENCH = 'advisories';
const root = fixture('advisories');
if (!root) {
  report({ bench: BENCH, metric: 'skipped', value: 'shared fixtures not found (set STELLA_FIXTURES)' });
  process.exit(0);
}
const note = `load avg ${loadavg()[0]?.toFixed(1)} at start`;

const parseOnly = await measure(async () => {
  let docs = 0;
  let obs = 0;
  for await (const item of readInputs([root])) {
    if ('error' in item) continue;
    try {
      obs += parseRawInput(item).observations.length;
      docs++;
    } catch {
      /* non-advisory files in the corpus (README, schema) */
    }
  }
  return { docs, obs };
});
report({ bench: BENCH, metric: 'read+parse only', value: parseOnly.result.obs / (parseOnly.ms / 1000), unit: 'advisories/s', note: `${parseOnly.result.docs} documents, ${parseOnly.result.obs} advisories in ${parseOnly.ms.toFixed(0)} ms` });

const store = openStore({ home: tempDir('stella-bench-adv-') });
const first = await measure(() => importAdvisories(store, [root], { importedAt: '2026-01-01T00:00:00.000Z' }));
const r = first.result;
report({ bench: BENCH, metric: 'import (fresh store)', value: r.observations / (first.ms / 1000), unit: 'advisories/s', target: '>= 10000', note: `${r.new} documents / ${r.observations} advisories in ${first.ms.toFixed(0)} ms; ${note}` });
report({ bench: BENCH, metric: 'import (fresh store)', value: r.new / (first.ms / 1000), unit: 'documents/s', note: 'small documents go to the database tier of the blob store in one transaction per batch; large ones are files' });
report({ bench: BENCH, metric: 'import peak RSS', value: first.peakRssMb, unit: 'MB' });
const second = await measure(() => importAdvisories(store, [root], { importedAt: '2026-01-02T00:00:00.000Z' }));
report({
  bench: BENCH,
  metric: 're-import (all unchanged)',
  value: r.observations / (second.ms / 1000),
  unit: 'advisories/s',
  note: `${second.result.unchanged} unchanged documents in ${second.ms.toFixed(0)} ms`,
});
store.close();
