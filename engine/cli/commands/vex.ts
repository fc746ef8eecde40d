/**
 * `stella vex import|consensus|create|export|trust` — thin adapters over engine/jobs/vex.ts.
 *
 *   stella vex import FILE… --json     {"documents","statements":[…],"unmatched":[…],"rejected":[…]}; exit 3 when any document is rejected
 *   stella vex consensus --vuln ID --purl PURL --json
 *   stella vex create --vuln ID --purl PURL --status S [--justification J] [--impact TEXT] [--action TEXT] [-o FILE]
 *   stella vex export --format openvex|cyclonedx -o FILE
 *   stella vex trust [--class C | --issuer NAME [--class C]] [--tier N] [--weight W] | --identity NAME
 */
import { Option, type Command } from 'commander';
import { VEX_ISSUER_CLASSES, type VexIssuerClass } from '../../core';
import { createVexStatement, exportVex, importVex, vexConsensus, vexTrust, type VexTrustInput } from '../../jobs/vex';
import { CliError } from '../context';
import type { RegisterCommands } from './index';

function parseTier(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new CliError('usage', `--tier: expected an integer from 0 to 100, got ${JSON.stringify(v)}`);
  return n;
}

function parseWeight(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new CliError('usage', `--weight: expected a number from 0 to 1, got ${JSON.stringify(v)}`);
  return n;
}

export const registerVexCommands: RegisterCommands = (program: Command, makeContext) => {
  const vex = program.command('vex').description('VEX: import (raw, immutable), consensus, triage decisions and their export');

  vex
    .command('import')
    .description('import OpenVEX, CSAF or CycloneDX VEX documents; statements naming no stored component are reported as unmatched')
    .argument('<files...>', 'VEX documents (JSON)')
    .option('--imported-at <iso>', 'import time recorded as provenance (default: now)')
    .action(async (files: string[], opts: { importedAt?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = await importVex(ctx.openStore(), { paths: files, ...(opts.importedAt ? { importedAt: opts.importedAt } : {}) }, ctx.job());
      if (r.rejected.length) ctx.exitCode = 3;
      ctx.output({ documents: r.documents, statements: r.statements, unmatched: r.unmatched, rejected: r.rejected }, () => {
        ctx.print(`${r.documents} documents: ${r.imported.length} imported (${r.imported.filter((d) => d.outcome === 'new').length} new, ${r.imported.filter((d) => d.outcome === 'superseded').length} new revisions), ${r.rejected.length} rejected`);
        ctx.print(`${r.statements.length} statements, ${r.unmatched.length} match no stored component`);
        for (const s of r.statements) ctx.print(`  ${s.vulnerability.padEnd(20)} ${s.status.padEnd(20)} ${s.product}${s.justification ? `  (${s.justification})` : ''}  [${s.issuer}]`);
        for (const u of r.unmatched) ctx.print(`  unmatched ${u.vulnerability} ${u.product || '(no product)'}: ${u.reason}`);
        for (const x of r.rejected) ctx.print(`  rejected: ${x.error}`);
      });
    });

  vex
    .command('consensus')
    .description('the consensus of the stored VEX about one component and vulnerability: status, confidence, contributing statements, conflicts')
    .requiredOption('--vuln <id>', 'vulnerability id (CVE-…, GHSA-…); aliases are followed through advisory linksets')
    .option('--purl <purl>', 'the component (a versionless purl matches only versionless statements)')
    .option('--ref <ref>', 'the component by bom-ref or BOM-Link (urn:cdx:serial/version#ref)')
    .option('--component-version <v>', "the component's version when --purl/--ref has none")
    .action(async (opts: { vuln: string; purl?: string; ref?: string; componentVersion?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      if (!opts.purl && !opts.ref) throw new CliError('usage', 'vex consensus: --purl PURL (or --ref REF) is required');
      const c = await vexConsensus(
        ctx.openStore(),
        { vulnerabilityId: opts.vuln, ...(opts.purl ? { purl: opts.purl } : {}), ...(opts.ref ? { ref: opts.ref } : {}), ...(opts.componentVersion ? { version: opts.componentVersion } : {}) },
        ctx.job(),
      );
      ctx.output(c, () => {
        ctx.print(`${c.vulnerability.id} on ${c.component.purl ?? c.component.ref ?? ''}: ${c.status}${c.justification ? ` (${c.justification})` : ''}, confidence ${c.confidence}`);
        for (const s of c.statements) ctx.print(`  ${s.role.padEnd(11)} ${s.status.padEnd(20)} ${s.issuer} [${s.issuerClass}, tier ${s.tier}, weight ${s.weight}]${s.timestamp ? ` ${s.timestamp}` : ''}`);
        for (const k of c.conflicts) ctx.print(`  CONFLICT at tier ${k.tier}: ${k.statements.map((s) => `${s.issuer}=${s.status}`).join(', ')}`);
        ctx.print(`digest ${c.digest}`);
      });
    });

  vex
    .command('create')
    .description("record a triage decision as the workstation's own VEX statement (stored as an OpenVEX document)")
    .requiredOption('--vuln <id>', 'vulnerability id')
    .requiredOption('--purl <purl>', 'the product the decision is about')
    .addOption(new Option('--status <status>', 'the decision').choices(['not_affected', 'affected', 'fixed', 'under_investigation']).makeOptionMandatory())
    .option('--justification <j>', 'for not_affected: component_not_present | vulnerable_code_not_present | vulnerable_code_not_in_execute_path | vulnerable_code_cannot_be_controlled_by_adversary | inline_mitigations_already_exist')
    .option('--impact <text>', 'impact statement (why it is not exploitable here)')
    .option('--action <text>', 'action statement (required for affected: what to do)')
    .option('-o, --output <file>', 'also write the OpenVEX document of this decision to FILE')
    .action(async (opts: { vuln: string; purl: string; status: string; justification?: string; impact?: string; action?: string; output?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = await createVexStatement(
        ctx.openStore(),
        {
          vulnerability: opts.vuln,
          purl: opts.purl,
          status: opts.status,
          ...(opts.justification !== undefined ? { justification: opts.justification } : {}),
          ...(opts.impact !== undefined ? { impact: opts.impact } : {}),
          ...(opts.action !== undefined ? { action: opts.action } : {}),
          ...(opts.output ? { outFile: opts.output } : {}),
        },
        ctx.job(),
      );
      const s = r.statement;
      ctx.output(
        {
          statement: { vulnerability: s.vulnerability, aliases: s.aliases, product: s.product.purl ?? '', status: s.status, justification: s.justification ?? null, issuer: s.issuer.name, timestamp: s.timestamp ?? null },
          id: s.id,
          digest: r.digest,
          file: r.file,
        },
        () => {
          ctx.print(`recorded ${s.vulnerability} ${s.status} on ${s.product.purl ?? ''} as ${s.issuer.name} (${r.digest})`);
          if (r.file) ctx.print(`wrote ${r.file}`);
        },
      );
    });

  vex
    .command('export')
    .description("export the workstation's own VEX (every current triage decision), deterministically")
    .addOption(new Option('--format <format>', 'document format').choices(['openvex', 'cyclonedx']).makeOptionMandatory())
    .requiredOption('-o, --output <file>', 'file to write')
    .action(async (opts: { format: 'openvex' | 'cyclonedx'; output: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const { bytes: _bytes, ...r } = await exportVex(ctx.openStore(), { format: opts.format, outFile: opts.output }, ctx.job());
      ctx.output(r, () => ctx.print(`wrote ${r.statements} statements as ${r.format} to ${r.file} (${r.digest})`));
    });

  vex
    .command('trust')
    .description('show or set issuer trust (tier, weight per class or issuer) and the triage identity')
    .addOption(new Option('--class <class>', 'issuer class to set, or the class an --issuer belongs to').choices([...VEX_ISSUER_CLASSES]))
    .option('--issuer <name>', 'set the trust of one issuer (by the name its documents give)')
    .option('--tier <n>', 'tier (higher decides outright)', parseTier)
    .option('--weight <w>', 'weight within a tier, 0..1', parseWeight)
    .option('--identity <name>', "the name the workstation's triage statements are issued under")
    .action(async (opts: { class?: VexIssuerClass; issuer?: string; tier?: number; weight?: number; identity?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const level = { ...(opts.tier !== undefined ? { tier: opts.tier } : {}), ...(opts.weight !== undefined ? { weight: opts.weight } : {}) };
      let input: VexTrustInput = { action: 'show' };
      if (opts.identity !== undefined) input = { action: 'set-identity', name: opts.identity };
      else if (opts.issuer !== undefined) input = { action: 'set-issuer', issuer: opts.issuer, ...(opts.class ? { issuerClass: opts.class } : {}), level };
      else if (opts.class !== undefined) input = { action: 'set-class', issuerClass: opts.class, level };
      else if (opts.tier !== undefined || opts.weight !== undefined) throw new CliError('usage', 'vex trust: --tier/--weight need --class or --issuer');
      const r = await vexTrust(ctx.openStore(), input, ctx.job());
      ctx.output(r, () => {
        ctx.print(`triage identity: ${r.identity}`);
        for (const c of VEX_ISSUER_CLASSES) ctx.print(`  class ${c.padEnd(10)} tier ${r.classes[c].tier}  weight ${r.classes[c].weight}`);
        for (const i of r.issuers) ctx.print(`  issuer "${i.issuer}"${i.class ? ` class ${i.class}` : ''}${i.tier !== undefined ? ` tier ${i.tier}` : ''}${i.weight !== undefined ? ` weight ${i.weight}` : ''}`);
      });
    });
};
