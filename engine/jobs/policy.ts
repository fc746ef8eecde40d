/**
 * Policy jobs: lint a pack, run its fixtures, evaluate it over a scan, explain one decision, and
 * simulate a candidate pack against a base pack over stored scans. Every host (CLI, worker, serve)
 * calls these and only formats the result. None of them writes to the store.
 *
 * A scan is named by its stored id or by a `stella scan --json` file. VEX comes through
 * `input.vex` (a `VexLookup`); hosts leave it unset today, which means "no statement applies" —
 * the integration step passes the engine/vex lookup here (see engine/policy/input.ts).
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_LIMITS, type Finding, type Inventory } from '../core';
import type { Store } from '../store';
// Direct module files rather than the indexes: `stella policy lint` should not load the matcher or the
// SBOM parsers (the CycloneDX library and its schemas); the SBOM store is loaded only to read a scan's SBOM.
import { getScan, listScans } from '../match/stored';
import {
  DEFAULT_PACK,
  NO_VEX_LOOKUP,
  PolicyError,
  PolicyEvaluator,
  SEVERITY_ORDER,
  evaluateScanResult,
  explainDecision,
  loadPack,
  parseIsoDate,
  requireUsable,
  runPackFixtures,
  scanInput,
  simulatePacks,
  type Diagnostic,
  type EnvValue,
  type ExplainTrace,
  type PackTestReport,
  type PolicyEvaluation,
  type ScanLike,
  type SimulationResult,
  type UsablePack,
  type VexLookup,
} from '../policy';
import { checkpoint, type JobContext } from './context';

export interface PackRefInput {
  /** `builtin:NAME`, a pack directory or a `.tar.gz`; relative paths resolve against `cwd`. */
  pack: string;
  cwd?: string;
}

export interface PolicyLintResult {
  pack: { source: string; name: string | null; version: string | null; digest: string | null };
  ok: boolean;
  errors: number;
  warnings: number;
  diagnostics: Diagnostic[];
}

/** Lint a pack: every problem of its policies, pack.yaml, exceptions and fixtures, with file:line:column. */
export async function lintPolicyPack(_store: Store | null, input: PackRefInput, ctx: JobContext): Promise<PolicyLintResult> {
  ctx.onProgress({ phase: 'reading pack', done: 0 });
  const pack = await loadPack(input.pack, opts(input));
  const errors = pack.diagnostics.filter((d) => d.severity === 'error').length;
  ctx.onProgress({ phase: 'linted', done: 1, total: 1 });
  return {
    pack: { source: pack.source, name: pack.manifest?.name ?? null, version: pack.manifest?.version ?? null, digest: pack.digest },
    ok: errors === 0,
    errors,
    warnings: pack.diagnostics.length - errors,
    diagnostics: pack.diagnostics,
  };
}

export interface CompiledPackResult {
  source: string;
  pack: { name: string; version: string };
  digest: string;
  ir: UsablePack['ir'];
  exceptions: UsablePack['exceptions'];
}

/** Compile a pack to its canonical IR (throws `policy-errors` when it has errors). */
export async function compilePolicyPack(_store: Store | null, input: PackRefInput, ctx: JobContext): Promise<CompiledPackResult> {
  const pack = requireUsable(await loadPack(input.pack, opts(input)));
  ctx.onProgress({ phase: 'compiled', done: 1, total: 1 });
  return { source: pack.source, pack: { name: pack.manifest.name, version: pack.manifest.version }, digest: pack.digest, ir: pack.ir, exceptions: pack.exceptions };
}

/** Run a pack's fixtures. Throws `policy-errors` when the pack does not compile. */
export async function testPolicyPack(_store: Store | null, input: PackRefInput, ctx: JobContext): Promise<PackTestReport> {
  const pack = requireUsable(await loadPack(input.pack, opts(input)));
  ctx.onProgress({ phase: 'running fixtures', done: 0, total: pack.fixtures.length });
  const report = runPackFixtures(pack);
  ctx.onProgress({ phase: 'running fixtures', done: pack.fixtures.length, total: pack.fixtures.length });
  return report;
}

export interface EvaluationInputCommon {
  /** ISO date the evaluation happens at; default today by the job's clock. */
  evaluationDate?: string;
  env?: Record<string, EnvValue>;
  /** VEX consensus source; default none (the integration seam, see engine/policy/input.ts). */
  vex?: VexLookup;
  cwd?: string;
}

export interface EvaluatePolicyInput extends EvaluationInputCommon {
  pack: string;
  /** A stored scan id or a `stella scan --json` file. */
  scan: string;
}

export interface EvaluatePolicyResult extends PolicyEvaluation {
  pack: { name: string; version: string; digest: string; source: string };
  scan: { id: string | null; subject: string; sbomId?: string; file?: string };
  vex: string;
}

/** Evaluate a pack over one scan. */
export async function evaluatePolicy(store: Store, input: EvaluatePolicyInput, ctx: JobContext): Promise<EvaluatePolicyResult> {
  const pack = requireUsable(await loadPack(input.pack, opts(input)));
  ctx.onProgress({ phase: 'reading scan', done: 0 });
  const scan = await resolveScan(store, input.scan, input.cwd);
  await checkpoint(ctx);
  ctx.onProgress({ phase: 'evaluating', done: 0, total: scan.result.findings.length });
  const vex = input.vex ?? NO_VEX_LOOKUP;
  const { input: _evaluated, ...r } = await evaluateScanResult(scan.result, pack, { evaluationDate: evaluationDate(input, ctx), env: input.env ?? {}, vex, ...(scan.inventory ? { inventory: scan.inventory } : {}) });
  ctx.onProgress({ phase: 'evaluating', done: scan.result.findings.length, total: scan.result.findings.length });
  if (r.verdict === 'BLOCKED') {
    // A blocking verdict is a `policy.blocked` notification (the rules decide where it goes).
    const byId = new Map(scan.result.findings.map((f) => [f.id, f]));
    const { raiseNotification, policyBlockedEvent } = await import('../notify');
    raiseNotification(
      store,
      policyBlockedEvent({
        scanId: scan.ref.id ?? scan.ref.file ?? scan.ref.subject,
        subject: scan.ref.subject,
        pack: r.pack.name,
        verdict: r.verdict,
        blocking: r.findings
          .filter((d) => d.verdict === 'BLOCKED')
          .map((d) => ({ vulnerabilityId: d.vulnerabilityId, severity: byId.get(d.findingId)?.severity.level ?? 'unknown', kev: byId.get(d.findingId)?.kev ?? false, rule: d.rule ?? '(default)' })),
      }),
      ctx,
    );
  }
  return { ...r, scan: scan.ref, vex: vex.name };
}

export interface ExplainPolicyInput extends EvaluatePolicyInput {
  /** Finding id (`fnd_…`). */
  finding: string;
}

export interface ExplainPolicyResult extends ExplainTrace {
  pack: { name: string; version: string; digest: string; source: string };
  scan: { id: string | null; subject: string; sbomId?: string; file?: string };
}

/** The explain trace of one finding of a scan under a pack. */
export async function explainPolicyFinding(store: Store, input: ExplainPolicyInput, ctx: JobContext): Promise<ExplainPolicyResult> {
  const pack = requireUsable(await loadPack(input.pack, opts(input)));
  const scan = await resolveScan(store, input.scan, input.cwd);
  const found = scan.result.findings.find((f) => f.id === input.finding);
  if (!found) {
    throw new PolicyError('not-found', `scan ${scan.ref.id ?? scan.ref.file} has no finding ${input.finding}`, { details: { path: 'finding', expected: 'a finding id of that scan (fnd_…)' } });
  }
  const single = await scanInput({ ...scan.result, findings: [found] }, scan.inventory, input.vex ?? NO_VEX_LOOKUP);
  const ev = new PolicyEvaluator(pack.ir, { evaluationDate: evaluationDate(input, ctx), env: input.env ?? {}, exceptions: pack.exceptions });
  const trace = explainDecision(ev, single.findings[0] as (typeof single.findings)[number], { locations: pack.compiled.locations });
  return { ...trace, pack: packInfo(pack), scan: scan.ref };
}

export interface SimulatePolicyInput extends EvaluationInputCommon {
  base: string;
  candidate: string;
  /** Stored scan ids or scan files; default every stored scan. */
  scans?: string[];
  /** Explain samples of changed findings (default 10, at most 100). */
  samples?: number;
}

/** Evaluate base and candidate packs over the chosen scans and compare; writes nothing. */
export async function simulatePolicy(store: Store, input: SimulatePolicyInput, ctx: JobContext): Promise<SimulationResult> {
  const base = requireUsable(await loadPack(input.base, opts(input)));
  const candidate = requireUsable(await loadPack(input.candidate, opts(input)));
  const refs = input.scans?.length ? input.scans : listScans(store).map((s) => s.id);
  if (!refs.length) throw new PolicyError('not-found', 'no scans to simulate over: none is stored and none was given', { details: { path: 'scans', expected: 'a stored scan id or a scan file (stella scan --json)' } });
  const vex = input.vex ?? NO_VEX_LOOKUP;
  const scans = [];
  for (const [i, ref] of refs.entries()) {
    ctx.onProgress({ phase: 'reading scans', done: i, total: refs.length });
    await checkpoint(ctx);
    const s = await resolveScan(store, ref, input.cwd);
    scans.push({ label: s.ref.id ?? s.ref.file ?? ref, input: await scanInput(s.result, s.inventory, vex) });
  }
  await checkpoint(ctx);
  ctx.onProgress({ phase: 'simulating', done: 0, total: scans.length });
  const result = simulatePacks(base, candidate, scans, { evaluationDate: evaluationDate(input, ctx), env: input.env ?? {}, ...(input.samples !== undefined ? { samples: input.samples } : {}) });
  ctx.onProgress({ phase: 'simulating', done: scans.length, total: scans.length });
  return result;
}

// ---- helpers ---------------------------------------------------------------------------------

function opts(input: { cwd?: string }): { cwd?: string } {
  return input.cwd ? { cwd: input.cwd } : {};
}

function packInfo(p: UsablePack): { name: string; version: string; digest: string; source: string } {
  return { name: p.manifest.name, version: p.manifest.version, digest: p.digest, source: p.source };
}

function evaluationDate(input: { evaluationDate?: string }, ctx: JobContext): string {
  const d = input.evaluationDate ?? ctx.clock.nowIso().slice(0, 10);
  if (parseIsoDate(d) === null) throw new PolicyError('invalid-input', `evaluation date ${JSON.stringify(d)}: expected an ISO date (YYYY-MM-DD) or date-time`, { details: { path: 'evaluationDate', expected: 'YYYY-MM-DD' } });
  return d;
}

/** The pack a scan is judged by when the user names none. */
export const DEFAULT_POLICY_PACK = DEFAULT_PACK;

interface ResolvedScan {
  ref: { id: string | null; subject: string; sbomId?: string; file?: string };
  result: ScanLike;
  inventory?: Inventory;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The inventory of a stored SBOM, or undefined (a scan file may name an SBOM this store does not have). */
async function storedInventory(store: Store, sbomId: string | undefined): Promise<Inventory | undefined> {
  if (!sbomId) return undefined;
  const { getSbom } = await import('../sbom');
  return getSbom(store, sbomId)?.inventory ?? undefined;
}

/** A stored scan id, or a `stella scan --json` document; the scanned SBOM's inventory when the store has it. */
export async function resolveScan(store: Store, ref: string, cwd?: string): Promise<ResolvedScan> {
  const path = resolve(cwd ?? process.cwd(), ref);
  if (isFile(path)) {
    const result = readScanFile(path);
    const inventory = await storedInventory(store, result.sbomId);
    return { ref: { id: result.id, subject: result.subject, ...(result.sbomId ? { sbomId: result.sbomId } : {}), file: path }, result, ...(inventory ? { inventory } : {}) };
  }
  let stored;
  try {
    stored = getScan(store, ref);
  } catch (cause) {
    throw new PolicyError('not-found', `${ref}: neither a scan file nor the id of a stored scan (stella scan … --json writes one; the UI lists stored scans)`, {
      details: { path: 'scan', expected: 'a stored scan id or a stella scan --json file' },
      cause,
    });
  }
  const inventory = await storedInventory(store, stored.sbomId);
  return { ref: { id: stored.id, subject: stored.subject, ...(stored.sbomId ? { sbomId: stored.sbomId } : {}) }, result: stored, ...(inventory ? { inventory } : {}) };
}

const severitySchema = z.object({
  given: z.array(z.object({ type: z.string(), score: z.string(), source: z.string().optional() }).passthrough()).default([]),
  score: z.number().nullable(),
  level: z.enum(SEVERITY_ORDER),
});

const evidenceSchema = z
  .object({
    rawDocument: z.object({ digest: z.string(), source: z.string(), uri: z.string() }).passthrough(),
    observationId: z.string(),
    advisoryId: z.string(),
    ecosystem: z.string(),
    packageName: z.string(),
    matchedBy: z.string(),
    comparisons: z.array(z.unknown()).default([]),
  })
  .passthrough();

const scanFileSchema = z
  .object({
    subject: z.string(),
    snapshot: z.string().optional(),
    scanId: z.string().optional(),
    sbomId: z.string().optional(),
    findings: z.array(
      z
        .object({
          id: z.string(),
          vulnerabilityId: z.string(),
          aliases: z.array(z.string()).default([]),
          purl: z.string().nullable().optional(),
          componentRef: z.string(),
          packageName: z.string(),
          ecosystem: z.string(),
          installedVersion: z.string(),
          fixedVersions: z.array(z.string()).default([]),
          severity: severitySchema,
          kev: z.boolean(),
          epss: z.object({ score: z.number(), percentile: z.number().optional() }).optional(),
          evidence: z.array(evidenceSchema).default([]),
        })
        .passthrough(),
    ),
    summary: z.object({ skippedRangeCount: z.number().int().min(0) }).passthrough(),
  })
  .passthrough();

/** Read and check a `stella scan --json` document. */
export function readScanFile(path: string): ScanLike {
  const size = statSync(path).size;
  if (size > DEFAULT_LIMITS.maxDocumentBytes) {
    throw new PolicyError('invalid-input', `${path}: ${size} bytes is larger than the ${DEFAULT_LIMITS.maxDocumentBytes}-byte document limit`, { details: { file: path, expected: `at most ${DEFAULT_LIMITS.maxDocumentBytes} bytes` } });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new PolicyError('invalid-input', `${path}: not JSON (${(cause as Error).message}); expected the output of stella scan --json`, { details: { file: path, expected: 'a stella scan --json document' }, cause });
  }
  const r = scanFileSchema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0] as z.core.$ZodIssue;
    const at = `/${issue.path.map(String).join('/')}`;
    throw new PolicyError('invalid-input', `${path}: ${at}: ${issue.message} (expected a stella scan --json document)`, { details: { file: path, path: at, expected: 'a stella scan --json document' } });
  }
  const s = r.data;
  const findings: Finding[] = s.findings.map((f) => ({
    id: f.id,
    vulnerabilityId: f.vulnerabilityId,
    aliases: f.aliases,
    componentRef: f.componentRef,
    ...(f.purl ? { purl: f.purl } : {}),
    packageName: f.packageName,
    ecosystem: f.ecosystem,
    installedVersion: f.installedVersion,
    fixedVersions: f.fixedVersions,
    severity: { given: f.severity.given as Finding['severity']['given'], score: f.severity.score, level: f.severity.level },
    kev: f.kev,
    ...(f.epss ? { epss: f.epss } : {}),
    evidence: f.evidence as unknown as Finding['evidence'],
  }));
  return {
    id: s.scanId ?? null,
    subject: s.subject,
    ...(s.sbomId ? { sbomId: s.sbomId } : {}),
    ...(s.snapshot ? { snapshot: s.snapshot } : {}),
    summary: { skippedRangeCount: s.summary.skippedRangeCount },
    findings,
  };
}
