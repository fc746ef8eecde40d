/**
 * Shared set-up of the kit and mirror tests: a producer workstation (with its default key, cheap KDF),
 * a consumer workstation that trusts the producer's key for kits, and kit inputs from the shared
 * fixture corpus (Alpine secdb, CISA KEV, the Node.js security WG's OpenVEX), a generated plug-in
 * folder, the built-in default policy pack and a trust root.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KeystoreOptions, createMemoryKey, listKeys } from '../../attest';
import { fixedClock, sequentialIds } from '../../core';
import { jobContext, type JobContext } from '../../jobs/context';
import type { PassphraseSource } from '../../jobs/keys';
import { trustAddJob } from '../../jobs/trust';
import { openStore, type Store } from '../../store';
import { fixture, tempDir } from '../../../build/test-support/fixtures';

export const FAST: KeystoreOptions = { kdf: { memoryKiB: 1024, iterations: 1, parallelism: 1 } };
export const PASSPHRASE = 'correct-horse-battery';
export const passphrase: PassphraseSource = async () => PASSPHRASE;

export function ctxAt(iso: string): JobContext {
  return jobContext({ clock: fixedClock(iso, 1), ids: sequentialIds() });
}

export function kitInputs(): { feeds: string[]; vex: string[]; plugins: string[]; trustRoot: string; policyPacks: string[] } {
  const feeds = [fixture('advisories', 'distro', 'alpine-secdb', 'v3.5'), fixture('advisories', 'kev', 'known_exploited_vulnerabilities.json.gz')];
  const vex = [fixture('vex', 'nodejs-security-wg', 'node.openvex.json')];
  if (feeds.some((f) => f === null) || vex.some((v) => v === null)) throw new Error('fixture corpus missing');
  const dir = tempDir('stella-kit-inputs-');
  const plugin = join(dir, 'plugins', 'acme-analyzer');
  mkdirSync(join(plugin, 'dist'), { recursive: true });
  writeFileSync(join(plugin, 'plugin.json'), JSON.stringify({ name: 'acme/analyzer', version: 1, kind: 'analyzer', sdkApi: 1 }));
  writeFileSync(join(plugin, 'dist', 'index.mjs'), 'export default { analyze() { return { packages: [] }; } };\n');
  const trustRoot = join(dir, 'partner.pem');
  writeFileSync(trustRoot, createMemoryKey('p256').publicKey());
  return { feeds: feeds as string[], vex: vex as string[], plugins: [join(dir, 'plugins')], trustRoot, policyPacks: ['builtin:default'] };
}

/** A consumer home that trusts `producer`'s signing keys for `purposes`. */
export function consumerTrusting(producer: Store, purposes: ('kits' | 'plugins' | 'attestations')[] = ['kits']): string {
  const home = tempDir('stella-consumer-');
  const store = openStore({ home });
  const pem = join(home, 'producer.pem');
  writeFileSync(pem, listKeys(producer)[0]!.publicKey);
  trustAddJob(store, { file: pem, name: 'producer', purposes }, ctxAt('2025-06-01T00:00:00Z'));
  store.close();
  return home;
}
