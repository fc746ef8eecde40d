/**
 * Signing and the transparency log: DSSE sign + verify throughput per algorithm (target ≥ 5,000/s for
 * Ed25519), Sigstore bundle build + verify with the embedded log, and log append + proof rates
 * (single appends are one durable transaction each — WAL, synchronous=FULL — so the disk's fsync rate
 * bounds them; batched appends share one). Targets are reported, never asserted.
 */
import { createPublicKey } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { tempDir } from '../test-support/fixtures';
import { fixedClock } from '../../engine/core';
import { openStore } from '../../engine/store';
import {
  type SigningAlgorithm,
  SIGNING_ALGORITHMS,
  smSupport,
  createMemoryKey,
  signEnvelopeSync,
  verifyEnvelope,
  buildDsseBundle,
  verifySigstoreBundle,
  verificationMaterialFor,
  appendEntry,
  appendEntries,
  proveEntry,
  hashedrekordBody,
  verifyInclusion,
  leafHash,
  INTOTO_PAYLOAD_TYPE,
} from '../../engine/attest';
import { report } from './harness';

const BENCH = 'attest';
const load = (): string => `load average ${loadavg()[0]?.toFixed(1)}`;
const clock = fixedClock('2026-06-01T00:00:00.000Z', 1);
/** A statement-sized payload (1 KiB). */
const PAYLOAD = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'x', digest: { sha256: 'a'.repeat(64) } }], predicateType: 'https://example.com/p', predicate: { pad: 'x'.repeat(860) } }));

/** Operations per second of CPU time (contention from other processes does not inflate it) and of wall time. */
function rate(n: number, fn: () => void): { cpu: number; wall: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { cpu: (n / ((c.user + c.system) / 1000)) * 1000, wall: (n / wall) * 1000 };
}

for (const alg of SIGNING_ALGORITHMS.filter((a): a is SigningAlgorithm => a !== 'sm2' || smSupport().ok)) {
  const key = createMemoryKey(alg);
  const vkeys = [{ keyId: key.keyId, publicKey: createPublicKey(key.publicKey()) }];
  const n = alg === 'rsa-pss-3072' ? 200 : 5000;
  // warm-up
  for (let i = 0; i < (alg === 'rsa-pss-3072' ? 20 : 500); i++) verifyEnvelope(signEnvelopeSync(INTOTO_PAYLOAD_TYPE, PAYLOAD, [key]), vkeys);
  const envs: ReturnType<typeof signEnvelopeSync>[] = [];
  const signRate = rate(n, () => envs.push(signEnvelopeSync(INTOTO_PAYLOAD_TYPE, PAYLOAD, [key])));
  let i = 0;
  const verifyRate = rate(n, () => {
    if (!verifyEnvelope(envs[i++ % envs.length] as (typeof envs)[number], vkeys).verified) throw new Error('did not verify');
  });
  const both = 1 / (1 / signRate.cpu + 1 / verifyRate.cpu);
  const bothWall = 1 / (1 / signRate.wall + 1 / verifyRate.wall);
  report({ bench: BENCH, metric: `${alg}: DSSE sign (1 KiB statement)`, value: Math.round(signRate.cpu), unit: 'envelopes/CPU-s', note: `${Math.round(signRate.wall)}/s wall` });
  report({ bench: BENCH, metric: `${alg}: DSSE verify`, value: Math.round(verifyRate.cpu), unit: 'envelopes/CPU-s', note: `${Math.round(verifyRate.wall)}/s wall` });
  report({ bench: BENCH, metric: `${alg}: sign + verify`, value: Math.round(both), unit: 'envelopes/CPU-s', ...(alg === 'ed25519' ? { target: '>= 5000/s' } : {}), note: `${Math.round(bothWall)}/s wall; ${load()}` });
}

// Sigstore bundles with the embedded log: build (sign + durable append + proof) and verify (full report)
{
  const store = openStore({ home: tempDir('stella-bench-') });
  const key = createMemoryKey('ed25519');
  const n = 300;
  const bundles = [];
  const t0 = performance.now();
  const payloadOf = (i: number): Buffer => Buffer.from(PAYLOAD.toString().replace('"pad":"', `"pad":"${i}`));
  for (let i = 0; i < n; i++) bundles.push((await buildDsseBundle(store, { payload: payloadOf(i), key }, { clock })).bundle);
  const buildRate = (n / (performance.now() - t0)) * 1000;
  const material = { ...verificationMaterialFor(store, 'attestations'), keys: [{ keyId: key.keyId, publicKey: createPublicKey(key.publicKey()) }] };
  const artifact = { digests: { sha256: 'a'.repeat(64) }, label: 'x' };
  const t1 = performance.now();
  for (const b of bundles) if (!verifySigstoreBundle(b, 'b', material, { artifact }).verified) throw new Error('bundle did not verify');
  const verifyRate = (n / (performance.now() - t1)) * 1000;
  report({ bench: BENCH, metric: 'Sigstore DSSE bundle build (Ed25519, logged: one durable append each)', value: Math.round(buildRate), unit: 'bundles/s', note: load() });
  report({ bench: BENCH, metric: 'Sigstore bundle verify (every check, @sigstore/verify steps)', value: Math.round(verifyRate), unit: 'bundles/s' });
  store.close();
}

// The log: durable single appends, batched appends, proofs in a 20,000-entry log
{
  const store = openStore({ home: tempDir('stella-bench-') });
  const signer = createMemoryKey('p256');
  const bodies = Array.from({ length: 20_000 }, (_, i) => {
    const a = Buffer.from(`artifact ${i}`);
    return hashedrekordBody({ digest: Buffer.from(leafHash(a)), signature: signer.signSync(a), publicKeyPem: signer.publicKey() });
  });
  const single = 300;
  const t0 = performance.now();
  for (let i = 0; i < single; i++) appendEntry(store, bodies[i] as Buffer, { clock });
  const singleRate = (single / (performance.now() - t0)) * 1000;
  report({ bench: BENCH, metric: 'log append, one transaction each (WAL, synchronous=FULL; includes checkpoint signing and the proof)', value: Math.round(singleRate), unit: 'appends/s', note: load() });
  const t1 = performance.now();
  for (let i = single; i < bodies.length; i += 1000) appendEntries(store, bodies.slice(i, i + 1000), { clock });
  const batchRate = ((bodies.length - single) / (performance.now() - t1)) * 1000;
  report({ bench: BENCH, metric: 'log append, batches of 1,000 per transaction (with proofs)', value: Math.round(batchRate), unit: 'appends/s' });
  const proofs = 5000;
  let seed = 7;
  const t2 = performance.now();
  for (let i = 0; i < proofs; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const p = proveEntry(store, seed % bodies.length);
    verifyInclusion(p.entry.index, p.inclusionProof.treeSize, leafHash(p.entry.body), p.inclusionProof.hashes, p.inclusionProof.rootHash);
  }
  const proofRate = (proofs / (performance.now() - t2)) * 1000;
  report({ bench: BENCH, metric: `inclusion proof + verification in a ${bodies.length}-entry log (random entries)`, value: Math.round(proofRate), unit: 'proofs/s' });
  store.close();
}
