/**
 * What the Attestations and Audit screens ask for, on a workstation that has signed a lot: 20,000 log
 * entries, each named by one of 20,000 audit entries (as `attest sign` writes them). One page of
 * everything signed (the log joined with the audit trail and the keystore), one entry's proof checked end
 * to end, one page of the audit trail with and without a kind filter, and the chain verification.
 * Targets are reported, never asserted: a screen should answer within a frame budget of ~100 ms.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { tempDir } from '../test-support/fixtures';
import { fixedClock } from '../../engine/core';
import { openStore } from '../../engine/store';
import { appendEntries, createMemoryKey, hashedrekordBody, leafHash } from '../../engine/attest';
import { appendAudit } from '../../engine/audit';
import { auditPageJob, auditVerifyJob } from '../../engine/jobs/audit';
import { jobContext } from '../../engine/jobs/context';
import { listSignedJob, logEntryProofJob } from '../../engine/jobs/log';
import { report } from './harness';

const BENCH = 'trust-views';
const N = 20_000;
const clock = fixedClock('2026-06-01T00:00:00.000Z', 1);
const load = (): string => `load average ${loadavg()[0]?.toFixed(1)}`;

/** Median of `runs` timings of `fn`, in ms. */
async function median(runs: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
}

const store = openStore({ home: tempDir('stella-bench-') });
const signer = createMemoryKey('p256');
const bodies = Array.from({ length: N }, (_, i) => {
  const a = Buffer.from(`artifact ${i}`);
  return hashedrekordBody({ digest: Buffer.from(leafHash(a)), signature: signer.signSync(a), publicKeyPem: signer.publicKey() });
});
for (let i = 0; i < N; i += 1000) appendEntries(store, bodies.slice(i, i + 1000), { clock });
// one audit entry per signature, in batches (each append is a savepoint of the batch's transaction)
for (let i = 0; i < N; i += 1000) {
  store.write(() => {
    for (let k = i; k < i + 1000; k++) appendAudit(store, { kind: k % 10 === 0 ? 'trust.added' : 'attest.signed', subject: `app-${k}.tar@sha256:${'a'.repeat(64)}`, details: { type: 'vuln', predicateTypes: ['https://in-toto.io/attestation/vulns/v0.2'], logIndexes: [k], output: `app-${k}.json` } }, { clock });
  });
}

report({ bench: BENCH, metric: `attest.list: newest page of 50 (log of ${N.toLocaleString('en')} joined with the audit trail)`, value: Math.round(await median(7, () => listSignedJob(store, { limit: 50 }))), unit: 'ms', target: '<= 100 ms', note: load() });
report({ bench: BENCH, metric: 'attest.list: a page deep in the log (offset 15,000)', value: Math.round(await median(7, () => listSignedJob(store, { offset: 15_000, limit: 50 }))), unit: 'ms', target: '<= 100 ms' });
let seed = 11;
report({
  bench: BENCH,
  metric: 'log.proof: one entry checked end to end (leaf, inclusion, checkpoint signature, consistency)',
  value: Math.round(
    (await median(21, () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return logEntryProofJob(store, { entry: String(seed % N) });
    })) * 10,
  ) / 10,
  unit: 'ms',
  target: '<= 100 ms',
});
report({ bench: BENCH, metric: `audit.list: newest page of 50 (trail of ${N.toLocaleString('en')})`, value: Math.round(await median(7, () => auditPageJob(store, { limit: 50 })) * 10) / 10, unit: 'ms', target: '<= 100 ms' });
report({ bench: BENCH, metric: 'audit.list: one kind (10% of entries), a page deep in the trail', value: Math.round(await median(7, () => auditPageJob(store, { kind: 'trust', beforeSeq: 5000, limit: 50 })) * 10) / 10, unit: 'ms', target: '<= 100 ms' });
const t0 = performance.now();
const v = await auditVerifyJob(store, {}, jobContext({ clock }));
const ms = performance.now() - t0;
report({ bench: BENCH, metric: `audit.verify: the whole chain (${v.entries.toLocaleString('en')} entries: hashes and Ed25519 signatures)`, value: Math.round((v.entries / ms) * 1000), unit: 'entries/s', note: `${Math.round(ms)} ms; ${load()}` });
store.close();
