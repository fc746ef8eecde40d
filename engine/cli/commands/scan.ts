/**
 * `stella scan TARGET` — match an SBOM, or the inventory of an image (docker-archive, OCI layout), a
 * root filesystem or a single lockfile / package database, against the advisory store (as of the
 * current or a given snapshot), then judge it with the active policy pack (or `--policy PACK`) and the
 * stored VEX; output as JSON, a table or SARIF 2.1.0; the scan and its verdict are stored for the UI.
 * Exit 1 when the verdict is BLOCKED, 4 when no advisories are loaded.
 */
import { basename, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Finding } from '../../core';
// The job's own file and the match module's own files, not the indexes: `stella scan` loads only what
// a scan needs (the SBOM parsers and the scanner are loaded by the job when the target needs them).
import { scanTargetJob } from '../../jobs/scan';
import type { ScanVerdict } from '../../jobs/scan-verdict';
import type { ScanResult } from '../../match/scan';
import { DETECTION_MODES, type DetectionMode } from '../../match/targets';
import { toSarif } from '../../match/sarif';
import { writeFileAtomic } from '../../store/atomic';
import { manifestBytes } from '../../replay/manifest';
import type { CommandContext } from '../context';
import { collect, parseEnv } from './options';
import type { RegisterCommands } from './index';

type Format = 'json' | 'table' | 'sarif';

/**
 * The `--json` document of a scan: the public finding shape plus the stored scan id and — with the
 * scan's verdict — the verdict, each finding's `policy` decision, the pack that decided
 * (`policy.packDigest`) and the VEX set it saw (`vex.setDigest`).
 */
export function scanJson(r: ScanResult, v?: ScanVerdict) {
  return {
    subject: r.subject,
    snapshot: r.snapshot,
    scanId: r.id,
    detection: r.options.detection,
    ...(r.sbomId ? { sbomId: r.sbomId } : {}),
    ...(v
      ? {
          verdict: v.verdict,
          policy: {
            pack: v.pack.name,
            version: v.pack.version,
            packDigest: v.pack.digest,
            source: v.pack.source,
            evaluationDate: v.evaluationDate,
            counts: v.counts,
            rules: v.rules,
            unknowns: v.unknowns,
          },
          vex: { lookup: v.vex.lookup, setDigest: v.vex.setDigest },
        }
      : {}),
    findings: r.findings.map((f, i) => ({
      id: f.id,
      vulnerabilityId: f.vulnerabilityId,
      aliases: f.aliases,
      purl: f.purl ?? null,
      componentRef: f.componentRef,
      packageName: f.packageName,
      ecosystem: f.ecosystem,
      installedVersion: f.installedVersion,
      fixedVersions: f.fixedVersions,
      severity: f.severity,
      kev: f.kev,
      ...(f.epss ? { epss: f.epss } : {}),
      ...(f.ownedBy ? { ownedBy: f.ownedBy } : {}),
      evidence: f.evidence,
      ...(v ? { policy: policyOf(v, i, f.id) } : {}),
    })),
    summary: r.summary,
  };
}

function policyOf(v: ScanVerdict, i: number, id: string): { status: string; rule: string | null; because: string | null } {
  const d = v.findings[i];
  // Decisions come in the findings' order; a mismatch would be a bug worth failing loudly on.
  if (!d || d.findingId !== id) throw new Error(`policy decision ${i} is for ${d?.findingId ?? 'nothing'}, not finding ${id}`);
  return { status: d.status, rule: d.rule, because: d.because };
}

function cell(s: string, w: number): string {
  return s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w);
}

function printTable(ctx: CommandContext, r: ScanResult, v: ScanVerdict): void {
  const status = new Map(v.findings.map((d) => [d.findingId, d.status]));
  const rows = [...r.findings].sort((a: Finding, b: Finding) => order(a) - order(b) || (a.purl ?? '').localeCompare(b.purl ?? '') || a.vulnerabilityId.localeCompare(b.vulnerabilityId));
  ctx.print(`${cell('SEVERITY', 9)} ${cell('VULNERABILITY', 20)} ${cell('PACKAGE', 40)} ${cell('INSTALLED', 18)} ${cell('FIXED IN', 22)} ${cell('KEV', 3)} POLICY`);
  for (const f of rows) {
    const sev = `${f.severity.level}${f.severity.score !== null ? ` ${f.severity.score.toFixed(1)}` : ''}`;
    const owned = f.ownedBy ? `  (owned by ${f.ownedBy})` : '';
    ctx.print(`${cell(sev, 9)} ${cell(f.vulnerabilityId, 20)} ${cell(f.purl ?? f.packageName, 40)} ${cell(f.installedVersion, 18)} ${cell(f.fixedVersions.join(', ') || '-', 22)} ${cell(f.kev ? 'yes' : '', 3)} ${status.get(f.id) ?? ''}${owned}`);
  }
  const s = r.summary;
  ctx.print('');
  ctx.print(
    `${s.findings} findings in ${s.componentsMatched} of ${s.components} components — critical ${s.bySeverity.critical}, high ${s.bySeverity.high}, medium ${s.bySeverity.medium}, low ${s.bySeverity.low}, unknown ${s.bySeverity.unknown + s.bySeverity.none}; KEV ${s.kev}; fixable ${s.fixable}`,
  );
  ctx.print(`subject ${r.subject}  snapshot ${r.snapshot}  scan ${r.id}  detection ${r.options.detection}`);
  ctx.print('');
  for (const line of verdictLines(v)) ctx.print(line);
}

/** The verdict line and the rule(s) that decided it. */
export function verdictLines(v: ScanVerdict): string[] {
  const c = v.counts;
  const lines = [`verdict ${v.verdict} — ${c.BLOCKED} blocked, ${c.WARN} warn, ${c.PASS} pass · pack ${v.pack.name}@${v.pack.version} (${v.pack.source}) · date ${v.evaluationDate}`];
  const shown = v.rules.slice(0, 5);
  shown.forEach((x, i) => {
    const label = x.rule ?? (x.findings ? '(no rule matched: the default status)' : '(unknowns budget)');
    lines.push(`${i === 0 ? '  decided by ' : '             '}${label}${x.findings ? ` (${x.findings} finding${x.findings === 1 ? '' : 's'})` : ''}${x.because ? `: ${x.because}` : ''}`);
  });
  if (v.rules.length > shown.length) lines.push(`             … ${v.rules.length - shown.length} more rules`);
  return lines;
}

const ORDER = { critical: 0, high: 1, medium: 2, low: 3, none: 4, unknown: 5 } as const;
const order = (f: Finding) => ORDER[f.severity.level];

export const registerScanCommand: RegisterCommands = (program: Command, makeContext) => {
  program
    .command('scan')
    .description('match an SBOM against the loaded advisories and judge it with the active policy pack; the scan and its verdict are stored (exit 1 when BLOCKED, 4 when no advisories are loaded)')
    .argument('<target>', 'SBOM file (CycloneDX, SPDX, Syft, Trivy), image (docker-archive tar, OCI layout), root filesystem directory, or a lockfile / package database')
    .option('--as <path>', 'with a single lockfile or database: analyze it as if it stood at PATH (e.g. var/lib/dpkg/status)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'sarif']))
    .option('--as-of <snapshot>', 'scan as of a recorded advisory snapshot')
    .option('--cpe', 'also match components by CPE (off by default: CPE matching is coarse)')
    .option('--record [file]', 'record a replay manifest of the scan (stored with it) and write it to FILE (default <scan id>.replay.json); see stella replay')
    .addOption(
      new Option('--detection <mode>', 'default: a language package owned by a distro OS package is matched only through that package; comprehensive: matched as both (its findings say ownedBy)')
        .choices([...DETECTION_MODES])
        .default('default'),
    )
    .option('--policy <pack>', 'judge with this pack (a directory, a .tar.gz, builtin:NAME or NAME@VERSION; default: the active pack)')
    .option('--date <YYYY-MM-DD>', "evaluation date of the policy (default: today's date)")
    .option('--env <key=value>', 'environment value for env.* in the policy (repeatable)', collect)
    .action(async (file: string, opts: { format?: Format; asOf?: string; cpe?: boolean; as?: string; policy?: string; date?: string; env?: string[]; detection: DetectionMode; record?: string | boolean }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const format: Format = opts.format ?? (ctx.json ? 'json' : 'table');
      const pluginsDir = ctx.io.env.STELLA_PLUGINS_DIR;
      const r = await scanTargetJob(
        ctx.openStore(),
        {
          path: resolve(ctx.io.cwd, file),
          name: basename(file),
          ...(opts.as !== undefined ? { as: opts.as } : {}),
          ...(opts.asOf !== undefined ? { asOf: opts.asOf } : {}),
          ...(opts.cpe ? { cpe: true } : {}),
          ...(opts.record !== undefined ? { record: true } : {}),
          detection: opts.detection,
          ...(pluginsDir ? { pluginsDir: resolve(ctx.io.cwd, pluginsDir) } : {}),
          ...(opts.policy !== undefined ? { policy: opts.policy } : {}),
          ...(opts.date !== undefined ? { evaluationDate: opts.date } : {}),
          env: parseEnv(opts.env ?? []),
          cwd: ctx.io.cwd,
        },
        ctx.job(),
      );
      for (const i of r.issues) ctx.log(`stella: ${i.path}${i.layer ? ` (layer ${i.layer})` : ''}: ${i.severity}: ${i.message}`);
      for (const w of r.warnings) ctx.log(`stella: ${file}: ${w}`);
      // Feed age in every scan's header; stale data is used, never refused, and said so.
      if (r.feedAge) ctx.log(`stella: ${r.feedAge.stale ? 'warning: ' : ''}${r.feedAge.message}`);
      if (r.replay) {
        const out = resolve(ctx.io.cwd, typeof opts.record === 'string' ? opts.record : `${r.scan.id}.replay.json`);
        writeFileAtomic(out, manifestBytes(r.replay.manifest));
        ctx.log(`stella: replay manifest ${r.replay.digest} written to ${out} (stella replay ${typeof opts.record === 'string' ? opts.record : basename(out)})`);
      }
      switch (format) {
        case 'json':
          ctx.printJson(scanJson(r.scan, r.policy));
          break;
        case 'sarif':
          ctx.printJson(toSarif(r.scan));
          for (const line of verdictLines(r.policy)) ctx.log(`stella: ${line.trim()}`);
          break;
        case 'table':
          if (r.feedAge) ctx.print(`feeds: ${r.feedAge.message}`);
          printTable(ctx, r.scan, r.policy);
          break;
      }
      if (r.policy.verdict === 'BLOCKED') ctx.exitCode = 1;
    });
};
