/**
 * Shared set-up of the kit and mirror tests: a producer workstation (with its default key, cheap KDF),
 * a consumer workstation that trusts the producer's key for kits, and kit inputs from the shared
 * fixture corpus (Alpine secdb, CISA KEV, the Node.js security WG's OpenVEX), a signed plug-in
 * folder, the built-in default policy pack and a trust root.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KeystoreOptions, createMemoryKey, listKeys } from '../../attest';
import { fixedClock, sequentialIds, sha256Digest } from '../../core';
import { jobContext, type JobContext } from '../../jobs/context';
import type { PassphraseSource } from '../../jobs/keys';
import { trustAddJob } from '../../jobs/trust';
import { openStore, type Store } from '../../store';
import { fixture, tempDir } from '../../../build/test-support/fixtures';
import { signPluginJob } from '../../jobs/plugins';

export const FAST: KeystoreOptions = { kdf: { memoryKiB: 1024, iterations: 1, parallelism: 1 } };
export const PASSPHRASE = 'correct-horse-battery';
export const passphrase: PassphraseSource = async () => PASSPHRASE;

export function ctxAt(iso: string): JobContext {
  return jobContext({ clock: fixedClock(iso, 1), ids: sequentialIds() });
}

export interface KitInputs {
  feeds: string[];
  vex: string[];
  /** A folder holding one signed plug-in folder, `acme-apk` (plug-in `acme/apk`). */
  plugins: string[];
  trustRoot: string;
  policyPacks: string[];
}

/**
 * Kit inputs. With a `signer` store the plug-in is signed by its default key (`stella plugins sign`);
 * without one it carries no signature (kits refuse to carry it).
 */
export async function kitInputs(signer?: Store): Promise<KitInputs> {
  const feeds = [fixture('advisories', 'distro', 'alpine-secdb', 'v3.5'), fixture('advisories', 'kev', 'known_exploited_vulnerabilities.json.gz')];
  const vex = [fixture('vex', 'nodejs-security-wg', 'node.openvex.json')];
  if (feeds.some((f) => f === null) || vex.some((v) => v === null)) throw new Error('fixture corpus missing');
  const dir = tempDir('stella-kit-inputs-');
  const plugin = join(dir, 'plugins', 'acme-apk');
  mkdirSync(join(plugin, 'dist'), { recursive: true });
  const entry = "export default { name: 'acme/apk', version: 1, async analyze() { return { packages: [], relationships: [], issues: [] }; } };\n";
  writeFileSync(join(plugin, 'dist', 'index.mjs'), entry);
  writeFileSync(
    join(plugin, 'plugin.json'),
    JSON.stringify({ name: 'acme/apk', version: 1, kind: 'analyzer', sdkApi: 1, requirements: { network: false }, selectors: [{ glob: 'lib/apk/db/installed' }], entry: 'dist/index.mjs', entrySha256: sha256Digest(entry) }),
  );
  if (signer) await signPluginJob(signer, { dir: plugin, keys: [] }, passphrase, ctxAt('2025-06-01T00:00:00Z'), FAST);
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
