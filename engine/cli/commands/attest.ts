/**
 * `stella attest sign --type sbom|vuln|vex|verdict|custom --predicate FILE --subject FILE… [--key NAME]… -o BUNDLE`
 * (logged to the embedded transparency log unless --no-tlog) and
 * `stella attest verify --bundle BUNDLE [--trusted-root FILE] [--key PEM] [--certificate-identity ID
 * --certificate-oidc-issuer URL] ARTIFACT_FILE|sha256:HEX [--json]` → 0 when every check passes, 6 when
 * any fails (the failing check is named on stderr).
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { ATTEST_TYPES, type AttestType, attestSignJob, attestVerifyJob } from '../../jobs/attest';
import { CliError } from '../context';
import { cliPassphraseSource } from '../passphrase';
import type { RegisterCommands } from './index';
import { collect, parseNonNegativeInt } from './attest-shared';

const MARK = { pass: '✓', fail: '✗', 'not-applicable': '-' } as const;

export const registerAttestCommands: RegisterCommands = (program: Command, makeContext) => {
  const attest = program.command('attest').description('sign in-toto statements into Sigstore bundles; verify bundles and envelopes');

  attest
    .command('sign')
    .description('sign a predicate about subject files (one Sigstore bundle per statement and key, one per line)')
    .addOption(new Option('--type <type>', 'what the predicate is').choices([...ATTEST_TYPES]).makeOptionMandatory())
    .requiredOption('--predicate <file>', 'the predicate (JSON): an SBOM, a vulns predicate or `stella scan --json` output, OpenVEX, a verdict, or anything with --type custom')
    .requiredOption('--subject <file...>', 'file(s) the statement is about (repeatable)', collect)
    .option('--key <name...>', 'signing key(s) (repeatable; default: the default key of each profile)', collect)
    .requiredOption('-o, --output <bundle>', 'where to write the bundle(s)')
    .option('--predicate-type <uri>', 'predicate type URI (required with --type custom)')
    .addOption(new Option('--vuln-format <format>', 'vuln predicate shape').choices(['in-toto', 'cosign']).default('in-toto'))
    .option('--no-tlog', 'do not log to the embedded transparency log')
    .option('--intoto <file>', 'also write an in-toto bundle (.intoto.jsonl) with a signed manifest')
    .option('--passphrase-file <file>', 'read the key passphrase from the first line of FILE (else STELLA_PASSPHRASE, else a prompt)')
    .action(
      async (
        opts: { type: AttestType; predicate: string; subject: string[]; key?: string[]; output: string; predicateType?: string; vulnFormat: 'in-toto' | 'cosign'; tlog: boolean; intoto?: string; passphraseFile?: string },
        cmd: Command,
      ) => {
        const ctx = makeContext(cmd);
        if (opts.type === 'custom' && !opts.predicateType) throw new CliError('usage', '--type custom needs --predicate-type URI');
        const cwd = ctx.io.cwd;
        const r = await attestSignJob(
          ctx.openStore(),
          {
            type: opts.type,
            predicateFile: resolve(cwd, opts.predicate),
            subjectFiles: opts.subject.map((s) => resolve(cwd, s)),
            keys: opts.key ?? [],
            output: resolve(cwd, opts.output),
            ...(opts.predicateType ? { predicateType: opts.predicateType } : {}),
            vulnFormat: opts.vulnFormat,
            tlog: opts.tlog,
            ...(opts.intoto ? { intotoOutput: resolve(cwd, opts.intoto) } : {}),
          },
          cliPassphraseSource(ctx, opts),
          ctx.job(),
        );
        ctx.output(r, () => {
          for (const b of r.bundles) {
            ctx.print(`${r.output} line ${b.line}: ${b.predicateType} signed by ${b.keyName ?? b.keyId} (${b.algorithm})${b.logIndex !== undefined ? `, log entry ${b.logIndex}` : ', not logged'}`);
          }
          if (r.intotoOutput) ctx.print(`in-toto bundle with signed manifest: ${r.intotoOutput}`);
        });
      },
    );

  attest
    .command('verify')
    .description('verify a Sigstore bundle, bundles one per line, an in-toto bundle, npm attestations or gcloud provenance against an artifact')
    .requiredOption('--bundle <file>', 'the bundle / attestation file')
    .option('--trusted-root <file>', "a Sigstore trusted_root.json (default: the workstation's trust for attestations)")
    .option('--key <pem>', 'verify key-signed material with this public key (PEM)')
    .option('--certificate-identity <id>', 'the certificate identity (SAN) certificate-signed material must have')
    .option('--certificate-oidc-issuer <url>', 'the OIDC issuer that certificate must name')
    .option('--tlog-threshold <n>', 'transparency-log entries required (default 1; 0 accepts unlogged material)', '1')
    .argument('<artifact>', 'the artifact file, or its digest as sha256:HEX')
    .action(async (artifact: string, opts: { bundle: string; trustedRoot?: string; key?: string; certificateIdentity?: string; certificateOidcIssuer?: string; tlogThreshold: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      if ((opts.certificateIdentity === undefined) !== (opts.certificateOidcIssuer === undefined)) throw new CliError('usage', '--certificate-identity and --certificate-oidc-issuer go together');
      const cwd = ctx.io.cwd;
      const r = await attestVerifyJob(
        ctx.openStore(),
        {
          bundleFile: resolve(cwd, opts.bundle),
          artifact: /^[a-z0-9_]+:/i.test(artifact) && !artifact.includes('/') ? artifact : resolve(cwd, artifact),
          ...(opts.trustedRoot ? { trustedRootFile: resolve(cwd, opts.trustedRoot) } : {}),
          ...(opts.key ? { keyFile: resolve(cwd, opts.key) } : {}),
          ...(opts.certificateIdentity && opts.certificateOidcIssuer ? { identity: { subjectAlternativeName: opts.certificateIdentity, issuer: opts.certificateOidcIssuer } } : {}),
          tlogThreshold: parseNonNegativeInt('--tlog-threshold', opts.tlogThreshold),
        },
        ctx.job(),
      );
      ctx.output(r, () => {
        for (const item of r.items) {
          ctx.print(`${item.source} (${item.kind}): ${item.verified ? 'VERIFIED' : 'FAILED'}${item.statement ? ` — ${item.statement.predicateType}` : ''}`);
          for (const c of item.checks) ctx.print(`  ${MARK[c.status]} ${c.name.padEnd(20)} ${c.status === 'not-applicable' ? `n/a: ${c.detail}` : c.detail}`);
        }
        for (const i of r.ignored) ctx.print(`ignored (neither a bundle nor an envelope): ${i}`);
      });
      if (!r.verified) {
        ctx.exitCode = 6;
        const f = r.firstFailure;
        ctx.log(`stella: verification failed${f ? `: ${f.source}: ${f.check}: ${f.detail}` : ''}`);
      }
    });
};
