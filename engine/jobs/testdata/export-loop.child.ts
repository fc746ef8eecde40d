/**
 * Spawned by evidence-crash.test.ts: exports the evidence bundle of the newest scan of the home in
 * argv[2] to the file argv[3] again and again — signed with the key argv[4], judged by each shipped pack
 * in turn, so new attestations are logged — printing a line after each complete export, until the parent
 * kills it with SIGKILL.
 */
import { systemClock, sequentialIds } from '../../core';
import { openStore } from '../../store';
import { exportEvidenceJob } from '../evidence';
import { jobContext } from '../context';
import { FAST_KDF, PASSPHRASE } from '../../../build/test-support/evidence';

const [home, target, key] = process.argv.slice(2) as [string, string, string];
const store = openStore({ home });
const packs = ['builtin:default', 'builtin:kev-blocking', 'builtin:distro-vex'];
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const r = await exportEvidenceJob(store, { scan: 'latest', output: target, key, pack: packs[i % packs.length] as string }, async () => PASSPHRASE, jobContext({ clock: systemClock, ids: sequentialIds() }), FAST_KDF);
  process.stdout.write(`${JSON.stringify({ i, digest: r.digest })}\n`);
}
