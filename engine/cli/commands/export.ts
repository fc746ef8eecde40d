/**
 * `stella export …` — what leaves the workstation.
 *   export evidence SCAN_ID|latest -o FILE.tar.gz [--key NAME] [--pack PACK]   the signed evidence bundle of a scan
 *   export verify BUNDLE [--key PEM]                                           0 intact and trusted · 3 damaged · 6 signature/signer
 *   export mirror [--since SNAPSHOT] -o DIR [--key NAME] [--to MEDIA]          advisory + VEX snapshot bundle
 *   export mirror --list                                                       feed snapshots exported so far
 * Thin adapters over engine/jobs/evidence and engine/jobs/mirror.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { exportEvidenceJob, verifyEvidenceJob } from '../../jobs/evidence';
import { exportMirrorJob, mirrorSnapshotsJob } from '../../jobs/mirror';
import { CliError } from '../context';
import { cliPassphraseSource } from '../passphrase';
import type { CommandContext } from '../context';
import type { RegisterCommands } from './index';

const OUTCOME_EXIT = { ok: 0, damaged: 3, untrusted: 6 } as const;

export const registerExportCommands: RegisterCommands = (program: Command, makeContext) => {
  const exp = program.command('export').description('export evidence bundles (and verify them) and mirror bundles of the advisory and VEX snapshots');
  registerMirrorCommand(exp, makeContext);

  exp
    .command('evidence')
    .description('write the signed evidence bundle of a scan (.tar.gz: SBOMs, findings, VEX, verdict, attestations, report.html, verify.sh)')
    .argument('<scan>', 'a stored scan id, or latest')
    .requiredOption('-o, --output <file>', 'the bundle to write (.tar.gz)')
    .option('--key <name>', 'signing key (default: the workstation default key, created on a fresh home)')
    .option('--pack <pack>', "judge with this policy pack instead of the scan's (builtin:NAME, a directory or a .tar.gz)")
    .option('--passphrase-file <file>', 'read the key passphrase from the first line of FILE (else STELLA_PASSPHRASE, else a prompt)')
    .action(async (scan: string, opts: { output: string; key?: string; pack?: string; passphraseFile?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = await exportEvidenceJob(
        ctx.openStore(),
        { scan, output: resolve(ctx.io.cwd, opts.output), cwd: ctx.io.cwd, ...(opts.key !== undefined ? { key: opts.key } : {}), ...(opts.pack !== undefined ? { pack: opts.pack } : {}) },
        cliPassphraseSource(ctx, opts),
        ctx.job(),
      );
      ctx.output(r, () => {
        ctx.print(`${r.output}: evidence of scan ${r.scanId} (${r.subject}), verdict ${r.verdict}`);
        ctx.print(`  ${r.files} files in ${r.root}/, ${r.size} bytes, ${r.digest}`);
        ctx.print(`  signed by key ${r.signer.keyId} (${r.signer.algorithm}${r.signer.name ? `, ${r.signer.name}` : ''}); ${r.attestations.length} attestations logged`);
        ctx.print(`  verify: tar -xzf ${opts.output} && sh ${r.root}/verify.sh ${r.signer.keyId}`);
        ctx.print(`  audit head ${r.auditHead.seq}:${r.auditHead.entryHash} (keep it to check the trail later)`);
      });
    });

  exp
    .command('verify')
    .description('check an evidence bundle: exit 0 intact and trusted, 3 damaged (a member changed, missing or added), 6 bad signature or untrusted signer')
    .argument('<bundle>', 'the evidence bundle (.tar.gz)')
    .option('--key <pem>', 'the public key (PEM) the bundle must be signed by (default: keys this workstation trusts for attestations)')
    .action(async (bundle: string, opts: { key?: string }, cmd: Command) => {
      const ctx: CommandContext = makeContext(cmd);
      const r = await verifyEvidenceJob(ctx.openStore(), { bundle: resolve(ctx.io.cwd, bundle), ...(opts.key !== undefined ? { keyFile: resolve(ctx.io.cwd, opts.key) } : {}) }, ctx.job());
      ctx.output(r, () => {
        for (const c of r.checks) ctx.print(`${c.status.padEnd(7)} ${c.name.padEnd(12)} ${c.detail}`);
        ctx.print(r.outcome === 'ok' ? `ok: ${bundle} is intact and signed by a trusted key` : `FAILED (${r.outcome}): ${r.failure?.name}: ${r.failure?.detail}`);
      });
      ctx.exitCode = OUTCOME_EXIT[r.outcome];
      if (r.outcome !== 'ok') ctx.log(`stella: ${bundle}: ${r.outcome}: ${r.failure?.name}: ${r.failure?.detail}`);
    });
};

type MakeContext = Parameters<RegisterCommands>[1];

function registerMirrorCommand(exp: Command, makeContext: MakeContext): void {
  exp
    .command('mirror')
    .description('write the advisory and VEX snapshots as a signed mirror bundle folder (full, or a delta with --since)')
    .option('--since <snapshot>', 'write a delta against this feed snapshot (the id an earlier bundle printed, or its advisory snapshot id)')
    .option('-o, --output <dir>', 'the bundle folder to create (must not exist, or be empty)')
    .option('--key <name>', 'signing key (default: the default key; Ed25519, P-256 or P-384)')
    .option('--passphrase-file <file>', 'read the key passphrase from the first line of FILE (else STELLA_PASSPHRASE, else a prompt)')
    .option('--to <dir>', 'also write the bundle to this folder (removable media) and read it back')
    .option('--list', 'list the current feed snapshot and those exported so far (with their generations)')
    .action(async (opts: { since?: string; output?: string; key?: string; passphraseFile?: string; to?: string; list?: boolean }, cmd: Command) => {
      const ctx = makeContext(cmd);
      if (opts.list) {
        const s = mirrorSnapshotsJob(ctx.openStore());
        ctx.output(s, () => {
          ctx.print(`current  ${s.current.id}${s.current.generation !== null ? ` (generation ${s.current.generation})` : ' (not exported yet)'}, data as of ${s.current.feedDate}`);
          for (const x of s.exported) ctx.print(`gen ${String(x.generation).padEnd(4)} ${x.id}  advisories ${x.advisories ?? '-'}  data as of ${x.feedDate}`);
        });
        return;
      }
      if (!opts.output) throw new CliError('usage', 'export mirror needs -o DIR (or --list)');
      const r = await exportMirrorJob(
        ctx.openStore(),
        {
          output: resolve(ctx.io.cwd, opts.output),
          ...(opts.since !== undefined ? { since: opts.since } : {}),
          ...(opts.key !== undefined ? { key: opts.key } : {}),
          ...(opts.to !== undefined ? { to: resolve(ctx.io.cwd, opts.to) } : {}),
        },
        cliPassphraseSource(ctx, opts),
        ctx.job(),
      );
      const m = r.manifest;
      ctx.output(
        {
          output: r.output,
          manifestDigest: r.manifestDigest,
          generation: m.generation,
          mode: m.mode,
          base: m.base,
          snapshot: m.snapshot,
          createdAt: m.createdAt,
          producerKeyId: m.producer.keyId,
          documents: r.documents,
          files: m.files.length,
          bytes: r.bytes,
          ...(r.media ? { media: r.media } : {}),
        },
        () => {
          ctx.print(`wrote ${r.output}: ${m.mode} mirror bundle, generation ${m.generation}${m.base ? ` (delta against generation ${m.base.generation})` : ''}`);
          ctx.print(`  ${r.documents.advisories} advisory and ${r.documents.vex} VEX document(s), data as of ${m.createdAt}; snapshot ${m.snapshot.id}`);
          if (r.media) ctx.print(`  written to ${r.media.target} and read back: ${r.media.readBack.files} file(s), digests match`);
        },
      );
    });
}
