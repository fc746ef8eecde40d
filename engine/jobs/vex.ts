/**
 * VEX jobs: import documents, the consensus for one component and vulnerability, record a triage
 * decision, export the workstation's own VEX, read/set issuer trust. Every host calls these and only
 * formats the result.
 */
import { resolve } from 'node:path';
import type { VexConsensus, VexIssuerClass, VexStatement } from '../core';
import { writeFileAtomic, type Store } from '../store';
import {
  VexError,
  consensusFor,
  exportTriageVex,
  importVexFiles,
  readTrustSettings,
  recordTriageDecision,
  setTriageIdentity,
  triageIdentity,
  writeTrustSetting,
  type TriageDecision,
  type TrustLevel,
  type TrustSettings,
  type VexExportFormat,
  type VexImportReport,
} from '../vex';
import { checkpoint, type JobContext } from './context';

export interface ImportVexInput {
  paths: string[];
  /** Provenance time (default: the job clock). */
  importedAt?: string;
}

export async function importVex(store: Store, input: ImportVexInput, ctx: JobContext): Promise<VexImportReport> {
  if (!input.paths.length) throw new VexError('invalid-argument', 'no VEX files given', { details: { path: 'paths' } });
  ctx.onProgress({ phase: 'importing VEX', done: 0, total: input.paths.length });
  await checkpoint(ctx);
  const report = await importVexFiles(store, input.paths, {
    importedAt: input.importedAt ?? ctx.clock.nowIso(),
    signal: ctx.signal,
    onDocument: (done, total) => ctx.onProgress({ phase: 'importing VEX', done, total }),
  });
  for (const r of report.rejected) ctx.log('warn', `rejected: ${r.error}`);
  for (const d of report.imported) for (const n of d.notes) ctx.log('info', `${d.uri}: ${n}`);
  return report;
}

export interface VexConsensusInput {
  vulnerabilityId: string;
  aliases?: string[];
  purl?: string;
  ref?: string;
  version?: string;
  /** serialNumber of the component's SBOM, for BOM-Link statements. */
  sbomSerial?: string;
}

export async function vexConsensus(store: Store, input: VexConsensusInput, ctx: JobContext): Promise<VexConsensus> {
  if (!input.purl && !input.ref) throw new VexError('invalid-argument', 'a component is needed: --purl PURL (or --ref BOM-REF)', { details: { path: 'purl' } });
  await checkpoint(ctx);
  return consensusFor(store, input);
}

export interface CreateVexInput extends TriageDecision {
  /** Also write the OpenVEX document of this decision to this file. */
  outFile?: string;
}

export interface CreateVexResult {
  statement: VexStatement;
  digest: string;
  outcome: string;
  file: string | null;
}

export async function createVexStatement(store: Store, input: CreateVexInput, ctx: JobContext): Promise<CreateVexResult> {
  await checkpoint(ctx);
  const r = recordTriageDecision(store, input, { timestamp: ctx.clock.nowIso() });
  let file: string | null = null;
  if (input.outFile) {
    file = resolve(input.outFile);
    writeFileAtomic(file, r.document);
  }
  return { statement: r.statement, digest: r.digest, outcome: r.outcome, file };
}

export interface ExportVexInput {
  format: VexExportFormat;
  outFile: string;
}

export interface ExportVexResult {
  format: VexExportFormat;
  statements: number;
  digest: string;
  file: string;
}

export async function exportVex(store: Store, input: ExportVexInput, ctx: JobContext): Promise<ExportVexResult> {
  await checkpoint(ctx);
  const e = exportTriageVex(store, input.format);
  const file = resolve(input.outFile);
  writeFileAtomic(file, e.bytes);
  return { format: e.format, statements: e.statements, digest: e.digest, file };
}

export type VexTrustInput =
  | { action: 'show' }
  | { action: 'set-class'; issuerClass: VexIssuerClass; level: Partial<TrustLevel> }
  | { action: 'set-issuer'; issuer: string; issuerClass?: VexIssuerClass; level: Partial<TrustLevel> }
  | { action: 'set-identity'; name: string };

export interface VexTrustResult extends TrustSettings {
  identity: string;
}

export async function vexTrust(store: Store, input: VexTrustInput, ctx: JobContext): Promise<VexTrustResult> {
  await checkpoint(ctx);
  switch (input.action) {
    case 'show':
      break;
    case 'set-class':
      writeTrustSetting(store, { issuerClass: input.issuerClass }, input.level, ctx.clock.nowIso());
      break;
    case 'set-issuer':
      writeTrustSetting(store, { issuer: input.issuer, ...(input.issuerClass ? { issuerClass: input.issuerClass } : {}) }, input.level, ctx.clock.nowIso());
      break;
    case 'set-identity':
      setTriageIdentity(store, input.name);
      break;
  }
  return { ...readTrustSettings(store), identity: triageIdentity(store) };
}
