/**
 * `stella scan TARGET` — match an SBOM, or the inventory of an image (docker-archive, OCI layout), a
 * root filesystem or a single lockfile / package database, against the advisory store (as of the
 * current or a given snapshot); output as JSON, a table or SARIF 2.1.0; the scan is stored for the UI.
 * Exit 4 when no advisories are loaded.
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Finding } from '../../core';
import { detectSbomFormat, getSbom, importSbom, type SbomRecord } from '../../sbom';
import { exportInventory } from '../../sbom/export';
import { detectTargetKind, inventoryTarget } from '../../scanner';
import { AdvisoryError, currentSnapshot } from '../../advisories';
import { DETECTION_MODES, scanInventory, toSarif, type DetectionMode, type ScanResult } from '../../match';
import { CliError, type CommandContext } from '../context';
import type { RegisterCommands } from './index';

type Format = 'json' | 'table' | 'sarif';

/** The `--json` document of a scan: the public finding shape plus the stored scan id. */
export function scanJson(r: ScanResult) {
  return {
    subject: r.subject,
    snapshot: r.snapshot,
    scanId: r.id,
    detection: r.options.detection,
    ...(r.sbomId ? { sbomId: r.sbomId } : {}),
    findings: r.findings.map((f) => ({
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
    })),
    summary: r.summary,
  };
}

function cell(s: string, w: number): string {
  return s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w);
}

function printTable(ctx: CommandContext, r: ScanResult): void {
  const rows = [...r.findings].sort((a: Finding, b: Finding) => order(a) - order(b) || (a.purl ?? '').localeCompare(b.purl ?? '') || a.vulnerabilityId.localeCompare(b.vulnerabilityId));
  ctx.print(`${cell('SEVERITY', 9)} ${cell('VULNERABILITY', 20)} ${cell('PACKAGE', 40)} ${cell('INSTALLED', 18)} ${cell('FIXED IN', 22)} KEV`);
  for (const f of rows) {
    const sev = `${f.severity.level}${f.severity.score !== null ? ` ${f.severity.score.toFixed(1)}` : ''}`;
    const owned = f.ownedBy ? `  (owned by ${f.ownedBy})` : '';
    ctx.print(`${cell(sev, 9)} ${cell(f.vulnerabilityId, 20)} ${cell(f.purl ?? f.packageName, 40)} ${cell(f.installedVersion, 18)} ${cell(f.fixedVersions.join(', ') || '-', 22)} ${f.kev ? 'yes' : ''}${owned}`);
  }
  const s = r.summary;
  ctx.print('');
  ctx.print(
    `${s.findings} findings in ${s.componentsMatched} of ${s.components} components — critical ${s.bySeverity.critical}, high ${s.bySeverity.high}, medium ${s.bySeverity.medium}, low ${s.bySeverity.low}, unknown ${s.bySeverity.unknown + s.bySeverity.none}; KEV ${s.kev}; fixable ${s.fixable}`,
  );
  ctx.print(`subject ${r.subject}  snapshot ${r.snapshot}  scan ${r.id}  detection ${r.options.detection}`);
}

const ORDER = { critical: 0, high: 1, medium: 2, low: 3, none: 4, unknown: 5 } as const;
const order = (f: Finding) => ORDER[f.severity.level];

export const registerScanCommand: RegisterCommands = (program: Command, makeContext) => {
  program
    .command('scan')
    .description('match an SBOM against the loaded advisories; the scan is stored (exit 4 when no advisories are loaded)')
    .argument('<target>', 'SBOM file (CycloneDX, SPDX, Syft, Trivy), image (docker-archive tar, OCI layout), root filesystem directory, or a lockfile / package database')
    .option('--as <path>', 'with a single lockfile or database: analyze it as if it stood at PATH (e.g. var/lib/dpkg/status)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'sarif']))
    .option('--as-of <snapshot>', 'scan as of a recorded advisory snapshot')
    .option('--cpe', 'also match components by CPE (off by default: CPE matching is coarse)')
    .addOption(
      new Option('--detection <mode>', 'default: a language package owned by a distro OS package is matched only through that package; comprehensive: matched as both (its findings say ownedBy)')
        .choices([...DETECTION_MODES])
        .default('default'),
    )
    .action(async (file: string, opts: { format?: Format; asOf?: string; cpe?: boolean; as?: string; detection: DetectionMode }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const format: Format = opts.format ?? (ctx.json ? 'json' : 'table');
      const path = resolve(ctx.io.cwd, file);
      const store = ctx.openStore();
      // Refuse before touching the store when there is nothing to match against.
      if (!opts.asOf && currentSnapshot(store).id === null) {
        throw new AdvisoryError('no-advisories', 'no advisories are loaded — import some with `stella advisories import`', { details: { expected: 'at least one imported advisory document' } });
      }
      // The SBOM is imported too (idempotent per content) so the UI can show what was scanned. An image,
      // directory or lockfile is inventoried first; its inventory is stored as a CycloneDX SBOM.
      let record: SbomRecord;
      let imageSubject: string | undefined;
      if (!opts.as && isSbomFile(path)) {
        record = await importSbom(store, { path, name: basename(file) }, { clock: ctx.engine.clock, signal: ctx.signal });
      } else {
        const inv = await inventoryTarget(path, { store, signal: ctx.signal, ...(opts.as ? { as: opts.as } : {}), onProgress: (p) => ctx.log(`stella: ${p.phase} ${p.done}/${p.total ?? '?'}`) });
        for (const i of inv.issues) ctx.log(`stella: ${i.path}${i.layer ? ` (layer ${i.layer})` : ''}: ${i.severity}: ${i.message}`);
        const sbom = exportInventory(inv.inventory, { format: 'cyclonedx-json', specVersion: '1.6' });
        if (inv.image) imageSubject = `${basename(file)}@${inv.image.digest}`;
        record = await importSbom(store, { bytes: sbom.bytes, name: imageSubject ?? basename(file) }, { clock: ctx.engine.clock, signal: ctx.signal });
      }
      const loaded = getSbom(store, record.id);
      if (!loaded) throw new CliError('invalid-input', `${file}: the SBOM was imported but cannot be read back`, { details: { file } });
      for (const w of loaded.warnings) ctx.log(`stella: ${file}: ${w}`);
      const name = loaded.inventory.document.name ?? loaded.inventory.subject?.name ?? record.name;
      const result = scanInventory(store, loaded.inventory, {
        subject: imageSubject ?? `${name}@${record.digest}`,
        sbomId: record.id,
        ...(opts.asOf ? { snapshot: opts.asOf } : {}),
        clock: ctx.engine.clock,
        ids: ctx.engine.ids,
        cpe: opts.cpe === true,
        detection: opts.detection,
        signal: ctx.signal,
      });
      switch (format) {
        case 'json':
          ctx.printJson(scanJson(result));
          break;
        case 'sarif':
          ctx.printJson(toSarif(result));
          break;
        case 'table':
          printTable(ctx, result);
          break;
      }
    });
};

/** Is `path` an SBOM (by content)? Images, directories and non-SBOM files are inventoried instead. */
function isSbomFile(path: string): boolean {
  if (detectTargetKind(path) !== 'file') return false;
  try {
    return detectSbomFormat(readFileSync(path), path) !== null;
  } catch {
    // Not text (an rpmdb, a binary): not an SBOM.
    return false;
  }
}
