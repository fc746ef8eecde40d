/**
 * `stella keys generate --profile world|fips|sm --alg ed25519|p256|p384|rsa-pss-3072|sm2 --name NAME`,
 * `stella keys list --json`, `stella keys export-public NAME`.
 */
import { Option, type Command } from 'commander';
import { CRYPTO_PROFILES, SIGNING_ALGORITHMS, type CryptoProfile, type SigningAlgorithm } from '../../attest';
import { exportPublicKeyJob, generateKeyJob, listKeysJob } from '../../jobs/keys';
import { cliPassphraseSource } from '../passphrase';
import type { RegisterCommands } from './index';

export const registerKeyCommands: RegisterCommands = (program: Command, makeContext) => {
  const keys = program.command('keys').description('signing keys: generate (passphrase-protected), list, export the public key');

  keys
    .command('generate')
    .description('create a signing key in the workstation keystore (PKCS#8 encrypted with Argon2id + AES-256-GCM)')
    .addOption(new Option('--profile <profile>', 'crypto profile').choices([...CRYPTO_PROFILES]).makeOptionMandatory())
    .addOption(new Option('--alg <algorithm>', "algorithm (default: the profile's first)").choices([...SIGNING_ALGORITHMS]))
    .requiredOption('--name <name>', 'key name')
    .option('--default', "make it the profile's default signing key (the first key of a profile is)")
    .option('--passphrase-file <file>', 'read the new passphrase from the first line of FILE (else STELLA_PASSPHRASE, else a prompt)')
    .action(async (opts: { profile: CryptoProfile; alg?: SigningAlgorithm; name: string; default?: boolean; passphraseFile?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const rec = await generateKeyJob(
        ctx.openStore(),
        { name: opts.name, profile: opts.profile, ...(opts.alg ? { algorithm: opts.alg } : {}), ...(opts.default ? { makeDefault: true } : {}) },
        cliPassphraseSource(ctx, opts),
        ctx.job(),
      );
      ctx.output({ name: rec.name, keyId: rec.keyId, profile: rec.profile, algorithm: rec.algorithm, isDefault: rec.isDefault, createdAt: rec.createdAt }, () =>
        ctx.print(`generated ${rec.profile}/${rec.algorithm} key ${rec.name} (${rec.keyId})${rec.isDefault ? `, the ${rec.profile} default` : ''}`),
      );
    });

  keys
    .command('list')
    .description('keys in the keystore, and which profiles this platform offers')
    .action((_opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = listKeysJob(ctx.openStore());
      ctx.output(
        {
          keys: r.keys.map((k) => ({ name: k.name, keyId: k.keyId, profile: k.profile, algorithm: k.algorithm, isDefault: k.isDefault, createdAt: k.createdAt, publicKey: k.publicKey })),
          profiles: r.profiles,
        },
        () => {
          if (r.keys.length === 0) ctx.print('no keys yet (stella keys generate …; the first signing command creates a default world/ed25519 key)');
          else {
            ctx.print(`${'NAME'.padEnd(20)} ${'PROFILE'.padEnd(8)} ${'ALGORITHM'.padEnd(13)} DEFAULT  KEY ID`);
            for (const k of r.keys) ctx.print(`${k.name.padEnd(20)} ${k.profile.padEnd(8)} ${k.algorithm.padEnd(13)} ${(k.isDefault ? 'yes' : '').padEnd(8)} ${k.keyId}`);
          }
          for (const p of r.profiles) if (!p.available) ctx.log(`note: profile ${p.profile} is not available here: ${p.reason ?? ''}`);
        },
      );
    });

  keys
    .command('export-public')
    .description('print a key’s public key (PEM)')
    .argument('<name>', 'key name or key id')
    .action((name: string, _opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const rec = exportPublicKeyJob(ctx.openStore(), { name }, ctx.job());
      ctx.output({ name: rec.name, keyId: rec.keyId, algorithm: rec.algorithm, profile: rec.profile, publicKey: rec.publicKey }, () => ctx.io.stdout.write(rec.publicKey.endsWith('\n') ? rec.publicKey : `${rec.publicKey}\n`));
    });
};
