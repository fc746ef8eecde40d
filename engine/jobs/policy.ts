/**
 * Policy jobs: lint a pack, run its fixtures, evaluate it over a scan, explain one decision, and
 * simulate a candidate pack against a base pack over stored scans. Every host (CLI, worker, serve)
 * calls these and only formats the result. None of them writes to the store.
 *
 * A scan is named by its stored id or by a `stella scan --json` file. A pack is `builtin:NAME`, a
 * directory, a `.tar.gz`, or `NAME@VERSION` of an imported pack (engine/jobs/policy-packs.ts). VEX is
 * the stored VEX (engine/vex's consensus, `storedVexLookup`) unless `input.vex` says otherwise; the
 * consensus of a stored scan is computed once per (scan, VEX set digest) and reused by the next
 * evaluation, explanation or simulation of that scan in this process.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_LIMITS, type Finding, type Inventory } from '../core';
import type { Store } from '../store';
// Direct module files rather than the indexes: `stella policy lint` should not load the matcher or the
// SBOM parsers (the CycloneDX library and its schemas); the SBOM store is loaded only to read a scan's SBOM.
import { getScan, listScans } from '../match/stored';
import {
  DEFAULT_PACK,
  PolicyError,
  PolicyEvaluator,
  SEVERITY_ORDER,
  evaluateScanInput,
  explainDecision,
  loadPack,
  parseIsoDate,
  requireUsable,
  runPackFixtures,
  scanInput,
  simulatePacks,
  activePackRef,
  loadStoredPack,
  packFilesFromTexts,
  packFromFiles,
  shippedDefaultPack,
  parsePackId,
  requirePackVersion,
  storedVexLookup,
  type Diagnostic,
  type EnvValue,
  type ExplainTrace,
  type LoadedPack,
  type PackTestReport,
  type PolicyEvaluation,
  type PolicyScanInput,
  type ScanLike,
  type SimulationResult,
  type UsablePack,
  type VexLookup,
} from '../policy';
import { checkpoint, type JobContext } from './context';

/**
 * A pack. As text (the CLI): `builtin:NAME`, a directory or `.tar.gz` (relative to `cwd`),
 * `NAME@VERSION` of an imported version, or `active`. Structured (the app, which never names paths):
 * the pack's files as text (the policy editor), an imported version, a built-in pack, the active pack.
 */
export type PackInput =
  | string
  | { files: readonly { path: string; text: string }[]; label?: string }
  | { stored: { name: string; version: string } }
  | { builtin: string }
  | { active: true };

export interface PackRefInput {
  pack: PackInput;
  cwd?: string;
}

/**
 * Load a pack from any of its names. Imported versions and `active` need the store; a path that exists
 * wins over a stored `NAME@VERSION` of the same spelling.
 */
export async function loadPackInput(store: Store | null, pack: PackInput, cwd?: string): Promise<LoadedPack> {
  if (typeof pack !== 'string') {
    if ('files' in pack) return packFromFiles(packFilesFromTexts(pack.label ?? 'editor', pack.files));
    if ('builtin' in pack) return loadPack(`builtin:${pack.builtin}`);
    if (!store) throw new PolicyError('invalid-input', 'an imported or the active pack needs the store', { details: { path: 'pack' } });
    if ('stored' in pack) return loadStoredPack(store, requirePackVersion(store, pack.stored.name, pack.stored.version));
    return activePack(store);
  }
  const exists = existsSync(resolve(cwd ?? process.cwd(), pack));
  if (store && !exists && !pack.startsWith('builtin:')) {
    if (pack === 'active') return activePack(store);
    const id = parsePackId(pack);
    if (id) return loadStoredPack(store, requirePackVersion(store, id.name, id.version));
  }
  return loadPack(pack, cwd ? { cwd } : {});
}

/** The active pack, compiled: the newest activation, else the shipped default. */
export async function activePack(store: Store): Promise<UsablePack> {
  const ref = await activePackRef(store);
  if (ref.builtin !== null) return ref.builtin === DEFAULT_PACK.slice('builtin:'.length) ? shippedDefaultPack() : requireUsable(await loadPack(ref.ref));
  return loadStoredPack(store, requirePackVersion(store, ref.name, ref.version));
}

async function usablePack(store: Store | null, pack: PackInput, cwd?: string): Promise<UsablePack> {
  return requireUsable(await loadPackInput(store, pack, cwd));
}

export interface PolicyLintResult {
  pack: { source: string; name: string | null; version: string | null; digest: string | null };
  ok: boolean;
  errors: number;
  warnings: number;
  diagnostics: Diagnostic[];
}

/** Lint a pack: every problem of its policies, pack.yaml, exceptions and fixtures, with file:line:column. */
export async function lintPolicyPack(store: Store | null, input: PackRefInput, ctx: JobContext): Promise<PolicyLintResult> {
  ctx.onProgress({ phase: 'reading pack', done: 0 });
  const pack = await loadPackInput(store, input.pack, input.cwd);
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
export async function compilePolicyPack(store: Store | null, input: PackRefInput, ctx: JobContext): Promise<CompiledPackResult> {
  const pack = await usablePack(store, input.pack, input.cwd);
  ctx.onProgress({ phase: 'compiled', done: 1, total: 1 });
  return { source: pack.source, pack: { name: pack.manifest.name, version: pack.manifest.version }, digest: pack.digest, ir: pack.ir, exceptions: pack.exceptions };
}

/** Run a pack's fixtures. Throws `policy-errors` when the pack does not compile. */
export async function testPolicyPack(store: Store | null, input: PackRefInput, ctx: JobContext): Promise<PackTestReport> {
  const pack = await usablePack(store, input.pack, input.cwd);
  ctx.onProgress({ phase: 'running fixtures', done: 0, total: pack.fixtures.length });
  const report = runPackFixtures(pack);
  ctx.onProgress({ phase: 'running fixtures', done: pack.fixtures.length, total: pack.fixtures.length });
  return report;
}

export interface EvaluationInputCommon {
  /** ISO date the evaluation happens at; default today by the job's clock. */
  evaluationDate?: string;
  env?: Record<string, EnvValue>;
  /** VEX consensus source; default the stored VEX (`storedVexLookup`). `NO_VEX_LOOKUP` evaluates without VEX. */
  vex?: VexLookup;
  cwd?: string;
}

export interface EvaluatePolicyInput extends EvaluationInputCommon {
  /** Default: the active pack. */
  pack?: PackInput;
  /** A stored scan id or a `stella scan --json` file. */
  scan: string;
}

/** What VEX an evaluation saw: the lookup, and the VEX set it read (null for a lookup without one). */
export interface EvaluatedVex {
  lookup: string;
  setDigest: string | null;
}

export interface EvaluatePolicyResult extends PolicyEvaluation {
  pack: { name: string; version: string; digest: string; source: string };
  scan: { id: string | null; subject: string; sbomId?: string; file?: string };
  vex: EvaluatedVex;
  /** The VEX consensus each finding was evaluated with, by finding id (`none` when no statement applies): the findings table shows it beside the policy status. */
  vexByFinding: Record<string, { status: string; justification?: string }>;
}

/** Evaluate a pack over one scan. */
export async function evaluatePolicy(store: Store, input: EvaluatePolicyInput, ctx: JobContext): Promise<EvaluatePolicyResult> {
  const pack = input.pack === undefined ? await activePack(store) : await usablePack(store, input.pack, input.cwd);
  ctx.onProgress({ phase: 'reading scan', done: 0 });
  const vex = input.vex ?? storedVexLookup(store);
  const scan = await preparedScan(store, input.scan, input.cwd, vex, ctx);
  await checkpoint(ctx);
  const n = scan.input.findings.length;
  ctx.onProgress({ phase: 'evaluating', done: 0, total: n });
  const r = evaluateScanInput(scan.input, pack, { evaluationDate: evaluationDate(input, ctx), env: input.env ?? {} });
  ctx.onProgress({ phase: 'evaluating', done: n, total: n });
  const vexByFinding: EvaluatePolicyResult['vexByFinding'] = {};
  for (const f of scan.input.findings) vexByFinding[f.id] = { status: f.vex?.status ?? 'none', ...(f.vex?.justification !== undefined ? { justification: f.vex.justification } : {}) };
  return { ...r, scan: scan.ref, vex: vexOf(vex), vexByFinding };
}

export interface ExplainPolicyInput extends EvaluatePolicyInput {
  /** Finding id (`fnd_…`). */
  finding: string;
}

export interface ExplainPolicyResult extends ExplainTrace {
  pack: { name: string; version: string; digest: string; source: string };
  scan: { id: string | null; subject: string; sbomId?: string; file?: string };
  /** Where the trace's `vex` consensus came from. */
  vexSource: EvaluatedVex;
}

/** The explain trace of one finding of a scan under a pack. */
export async function explainPolicyFinding(store: Store, input: ExplainPolicyInput, ctx: JobContext): Promise<ExplainPolicyResult> {
  const pack = input.pack === undefined ? await activePack(store) : await usablePack(store, input.pack, input.cwd);
  const vex = input.vex ?? storedVexLookup(store);
  const scan = await preparedScan(store, input.scan, input.cwd, vex, ctx);
  const found = scan.input.findings.find((f) => f.id === input.finding);
  if (!found) {
    throw new PolicyError('not-found', `scan ${scan.ref.id ?? scan.ref.file} has no finding ${input.finding}`, { details: { path: 'finding', expected: 'a finding id of that scan (fnd_…)' } });
  }
  const ev = new PolicyEvaluator(pack.ir, { evaluationDate: evaluationDate(input, ctx), env: input.env ?? {}, exceptions: pack.exceptions });
  const trace = explainDecision(ev, found, { locations: pack.compiled.locations });
  return { ...trace, pack: packInfo(pack), scan: scan.ref, vexSource: vexOf(vex) };
}

export interface SimulatePolicyInput extends EvaluationInputCommon {
  /** Default: the active pack. */
  base?: PackInput;
  candidate: PackInput;
  /** Stored scan ids or scan files; default every stored scan. */
  scans?: string[];
  /** Explain samples of changed findings (default 10, at most 100). */
  samples?: number;
}

/** Evaluate base and candidate packs over the chosen scans and compare; writes nothing. */
export async function simulatePolicy(store: Store, input: SimulatePolicyInput, ctx: JobContext): Promise<SimulationResult & { vex: EvaluatedVex }> {
  const base = input.base === undefined ? await activePack(store) : await usablePack(store, input.base, input.cwd);
  const candidate = await usablePack(store, input.candidate, input.cwd);
  const refs = input.scans?.length ? input.scans : listScans(store).map((s) => s.id);
  if (!refs.length) throw new PolicyError('not-found', 'no scans to simulate over: none is stored and none was given', { details: { path: 'scans', expected: 'a stored scan id or a scan file (stella scan --json)' } });
  const vex = input.vex ?? storedVexLookup(store);
  const scans = [];
  for (const [i, ref] of refs.entries()) {
    ctx.onProgress({ phase: 'reading scans', done: i, total: refs.length });
    await checkpoint(ctx);
    const s = await preparedScan(store, ref, input.cwd, vex, ctx);
    scans.push({ label: s.ref.id ?? s.ref.file ?? ref, input: s.input });
  }
  await checkpoint(ctx);
  ctx.onProgress({ phase: 'simulating', done: 0, total: scans.length });
  const result = simulatePacks(base, candidate, scans, { evaluationDate: evaluationDate(input, ctx), env: input.env ?? {}, ...(input.samples !== undefined ? { samples: input.samples } : {}) });
  ctx.onProgress({ phase: 'simulating', done: scans.length, total: scans.length });
  return { ...result, vex: vexOf(vex) };
}

// ---- helpers ---------------------------------------------------------------------------------

function packInfo(p: UsablePack): { name: string; version: string; digest: string; source: string } {
  return { name: p.manifest.name, version: p.manifest.version, digest: p.digest, source: p.source };
}

function vexOf(v: VexLookup): EvaluatedVex {
  return { lookup: v.name, setDigest: v.setDigest ?? null };
}

export function evaluationDate(input: { evaluationDate?: string }, ctx: JobContext): string {
  const d = input.evaluationDate ?? ctx.clock.nowIso().slice(0, 10);
  if (parseIsoDate(d) === null) throw new PolicyError('invalid-input', `evaluation date ${JSON.stringify(d)}: expected an ISO date (YYYY-MM-DD) or date-time`, { details: { path: 'evaluationDate', expected: 'YYYY-MM-DD' } });
  return d;
}

interface PreparedScan {
  ref: ResolvedScan['ref'];
  input: PolicyScanInput;
}

/**
 * What the evaluator reads for a stored scan, kept per (scan, VEX set): stored scans never change, so
 * while the VEX set digest is the same the findings' inputs and their consensus are too. A couple of
 * scans are kept per open store (a 100,000-finding scan's inputs are tens of megabytes).
 */
const preparedMemo = new WeakMap<Store, Map<string, PreparedScan>>();
const PREPARED_KEPT = 2;

async function preparedScan(store: Store, ref: string, cwd: string | undefined, vex: VexLookup, ctx: JobContext): Promise<PreparedScan> {
  const path = resolve(cwd ?? process.cwd(), ref);
  const key = vex.setDigest !== undefined && !isFile(path) ? `${ref}\u0000${vex.name}\u0000${vex.setDigest}` : null;
  const memo = preparedMemo.get(store) ?? new Map<string, PreparedScan>();
  const hit = key === null ? undefined : memo.get(key);
  if (hit) return hit;
  const scan = await resolveScan(store, ref, cwd);
  await checkpoint(ctx);
  ctx.onProgress({ phase: 'reading VEX', done: 0, total: scan.result.findings.length });
  const prepared = { ref: scan.ref, input: await scanInput(scan.result, scan.inventory, vex) };
  if (key !== null) {
    if (memo.size >= PREPARED_KEPT) memo.delete(memo.keys().next().value as string);
    memo.set(key, prepared);
    preparedMemo.set(store, memo);
  }
  return prepared;
}

/** Remember the inputs of a scan the caller just evaluated (the scan job), for the evaluations that follow. */
export function rememberPreparedScan(store: Store, scanId: string, vex: VexLookup, input: PolicyScanInput, ref: PreparedScan['ref']): void {
  if (vex.setDigest === undefined) return;
  const memo = preparedMemo.get(store) ?? new Map<string, PreparedScan>();
  if (memo.size >= PREPARED_KEPT) memo.delete(memo.keys().next().value as string);
  memo.set(`${scanId}\u0000${vex.name}\u0000${vex.setDigest}`, { ref, input });
  preparedMemo.set(store, memo);
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
