/**
 * VEX jobs: import documents, the consensus for one component and vulnerability, record a triage
 * decision, export the workstation's own VEX, read/set issuer trust. Every host calls these and only
 * formats the result. Imports and triage decisions are audited (`vex.imported`, `vex.triaged`) in the
 * transaction that stores them.
 */
import { resolve } from 'node:path';
import type { VexConsensus, VexIssuerClass, VexStatement } from '../core';
import { writeFileAtomic, type Store } from '../store';
import { appendAudit } from '../audit';
import {
  VexError,
  consensusFor,
  openVexIndex,
  unmatchedStatements,
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
  type VexInputPath,
  type StoredUnmatchedStatement,
} from '../vex';
import { explainFinding } from '../match/stored';
import { checkpoint, type JobContext } from './context';

export interface ImportVexInput {
  /** Files; `{path, uri}` records and reports the file under `uri` (an upload's name). */
  paths: VexInputPath[];
  /** Provenance time (default: the job clock). */
  importedAt?: string;
}

export async function importVex(store: Store, input: ImportVexInput, ctx: JobContext): Promise<VexImportReport> {
  if (!input.paths.length) throw new VexError('invalid-argument', 'no VEX files given', { details: { path: 'paths' } });
  ctx.onProgress({ phase: 'importing VEX', done: 0, total: input.paths.length });
  await checkpoint(ctx);
  const report = await store.writeAsync(async () => {
    const r = await importVexFiles(store, input.paths, {
      importedAt: input.importedAt ?? ctx.clock.nowIso(),
      signal: ctx.signal,
      onDocument: (done, total) => ctx.onProgress({ phase: 'importing VEX', done, total }),
    });
    appendAudit(
      store,
      {
        kind: 'vex.imported',
        subject: r.imported.length === 1 ? (r.imported[0] as (typeof r.imported)[number]).digest : `${r.imported.length} documents`,
        details: {
          documents: r.imported.map((d) => ({ uri: d.uri, digest: d.digest, format: d.format, outcome: d.outcome, statements: d.statements })),
          statements: r.statements.length,
          unmatched: r.unmatched.length,
          rejected: r.rejected.map((x) => ({ document: x.document, code: x.code })),
        },
      },
      ctx,
    );
    return r;
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
  const r = store.write(() => {
    const t = recordTriageDecision(store, input, { timestamp: ctx.clock.nowIso() });
    appendAudit(
      store,
      {
        kind: 'vex.triaged',
        subject: `${t.statement.vulnerability} ${t.statement.product.purl ?? ''}`.trim(),
        details: { statementId: t.statement.id, status: t.statement.status, justification: t.statement.justification ?? null, impact: t.statement.impact ?? null, action: t.statement.action ?? null, digest: t.digest, outcome: t.outcome },
      },
      ctx,
    );
    return t;
  });
  let file: string | null = null;
  if (input.outFile) {
    file = resolve(input.outFile);
    writeFileAtomic(file, r.document);
  }
  return { statement: r.statement, digest: r.digest, outcome: r.outcome, file };
}

export interface ExportVexInput {
  format: VexExportFormat;
  /** Write the document here (atomically); without it the bytes are only returned (the app). */
  outFile?: string;
}

export interface ExportVexResult {
  format: VexExportFormat;
  statements: number;
  digest: string;
  file: string | null;
  bytes: Buffer;
}

export async function exportVex(store: Store, input: ExportVexInput, ctx: JobContext): Promise<ExportVexResult> {
  await checkpoint(ctx);
  const e = exportTriageVex(store, input.format);
  const file = input.outFile === undefined ? null : resolve(input.outFile);
  if (file !== null) writeFileAtomic(file, e.bytes);
  return { format: e.format, statements: e.statements, digest: e.digest, file, bytes: Buffer.from(e.bytes) };
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

export interface FindingRefInput {
  scanId: string;
  findingId: string;
}

/** The finding a host names by scan and id (not-found errors name both). */
function findingOf(store: Store, input: FindingRefInput) {
  return explainFinding(store, input.scanId, input.findingId).finding;
}

/**
 * The VEX about a finding: every current statement (any issuer, superseded ones included) that names
 * its component and its vulnerability or an alias, and their consensus.
 */
export async function findingVexJob(store: Store, input: FindingRefInput, ctx: JobContext): Promise<{ statements: VexStatement[]; consensus: VexConsensus }> {
  await checkpoint(ctx);
  const f = findingOf(store, input);
  const index = openVexIndex(store);
  const q = { vulnerabilityId: f.vulnerabilityId, aliases: [...f.aliases], ...(f.purl ? { purl: f.purl } : {}), ref: f.componentRef };
  return { statements: index.applicable(q).statements, consensus: index.consensus(q) };
}

export interface TriageFindingInput extends FindingRefInput {
  status: string;
  justification?: string;
  impact?: string;
  action?: string;
}

/** A triage decision about a stored finding: the statement names its vulnerability and its component's purl. */
export async function triageFindingJob(store: Store, input: TriageFindingInput, ctx: JobContext): Promise<CreateVexResult> {
  const f = findingOf(store, input);
  if (!f.purl) {
    throw new VexError('invalid-argument', `finding ${input.findingId} is about ${f.componentRef}, which has no purl: a triage statement names its product by purl`, { details: { path: 'findingId', expected: 'a finding whose component has a purl' } });
  }
  return createVexStatement(
    store,
    { vulnerability: f.vulnerabilityId, purl: f.purl, status: input.status, ...(input.justification ? { justification: input.justification } : {}), ...(input.impact ? { impact: input.impact } : {}), ...(input.action ? { action: input.action } : {}) },
    ctx,
  );
}

/** Stored statements that name no stored component. */
export function unmatchedVexJob(store: Store): StoredUnmatchedStatement[] {
  return unmatchedStatements(store);
}
