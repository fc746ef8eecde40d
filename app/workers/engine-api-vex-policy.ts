/**
 * The worker methods of the VEX and policy channels: thin adapters from the contract to engine/jobs
 * (jobs/vex, jobs/policy, jobs/policy-packs, jobs/scan-verdict). Each method calls ONE job and maps its
 * result to the contract type (app/common/contract/vex-policy.ts); the tables are typed from the
 * contract, so a method whose result is not its channel's type does not compile. engine-api.ts merges
 * these into the reader and writer tables.
 */
import { z } from 'zod';
import type { Store } from '../../engine/store';
import { canonicalJson, type VexConsensus, type VexStatement } from '../../engine/core';
import type { EvaluatePolicyResult, ExplainPolicyResult, PackInput } from '../../engine/jobs/policy';
import type { ActivePackRef, ConditionTrace, Diagnostic, SimulationResult, StoredScanVerdict } from '../../engine/policy';
import type { PackVersionView as EnginePackVersionView } from '../../engine/jobs/policy-packs';
import type { ScanVerdict } from '../../engine/jobs/scan-verdict';
import {
  jobResultSchemaOf,
  requestSchemaOf,
  resultSchemaOf,
  type ActivePackView,
  type ChannelArgs,
  type ChannelResult,
  type JobResults,
  type PackRef,
  type PackVersionView,
  type PolicyDecisionView,
  type PolicyDiagnostic,
  type PolicyExplainView,
  type ScanVerdictView,
  type VexConsensusView,
  type VexStatementView,
} from '../common/contract';
import { method, type MethodContext, type MethodDef } from './runtime';
import { jobContextOf, lazy } from './engine-modules';
import type { ReaderChannel, WriterChannel, WriterChannelArgs, WriterJobArgs } from './protocol';

const vexJobs = lazy('jobs/vex', () => import('../../engine/jobs/vex'));
const policyJobs = lazy('jobs/policy', () => import('../../engine/jobs/policy'));
const packJobs = lazy('jobs/policy-packs', () => import('../../engine/jobs/policy-packs'));
const verdictJobs = lazy('jobs/scan-verdict', () => import('../../engine/jobs/scan-verdict'));

type VexPolicyReaderChannel = Extract<ReaderChannel, `vex.${string}` | `policy.${string}`>;
export type VexPolicyReaderMethods = { [C in VexPolicyReaderChannel]: MethodDef<Store, ChannelArgs<C>, ChannelResult<C>> };
type VexPolicyWriterChannel = Extract<WriterChannel, `vex.${string}` | `policy.${string}`>;
export type WriterChannelMethods = { [C in VexPolicyWriterChannel]: MethodDef<Store, WriterChannelArgs[C], ChannelResult<C>> };
type VexPolicyJobKind = 'vex.import' | 'policy.reevaluate';
export type VexPolicyJobMethods = { [K in VexPolicyJobKind]: MethodDef<Store, WriterJobArgs[K], JobResults[K]> };

function reader<C extends VexPolicyReaderChannel>(channel: C, run: (args: ChannelArgs<C>, ctx: MethodContext<Store>) => Promise<ChannelResult<C>>): MethodDef<Store, ChannelArgs<C>, ChannelResult<C>> {
  return method(requestSchemaOf(channel), resultSchemaOf(channel), run);
}

function writer<C extends WriterChannel>(channel: C, args: z.ZodType<WriterChannelArgs[C]>, run: (args: WriterChannelArgs[C], ctx: MethodContext<Store>) => Promise<ChannelResult<C>>): MethodDef<Store, WriterChannelArgs[C], ChannelResult<C>> {
  return method(args, resultSchemaOf(channel), run);
}

function job<K extends VexPolicyJobKind>(kind: K, args: z.ZodType<WriterJobArgs[K]>, run: (args: WriterJobArgs[K], ctx: MethodContext<Store>) => Promise<JobResults[K]>): MethodDef<Store, WriterJobArgs[K], JobResults[K]> {
  return method(args, jobResultSchemaOf(kind), run);
}

/** A contract pack reference as the jobs take it (never a filesystem path). */
function packInput(p: PackRef): PackInput {
  switch (p.kind) {
    case 'active':
      return { active: true };
    case 'builtin':
      return { builtin: p.name };
    case 'stored':
      return { stored: { name: p.name, version: p.version } };
    case 'files':
      return { files: p.files, ...(p.label !== undefined ? { label: p.label } : {}) };
  }
}

function evaluationOpts(a: { date?: string | undefined; env?: Record<string, string | number | boolean> | undefined }): { evaluationDate?: string; env?: Record<string, string | number | boolean> } {
  return { ...(a.date !== undefined ? { evaluationDate: a.date } : {}), ...(a.env !== undefined ? { env: a.env } : {}) };
}

const pathArg = z.string().min(1).max(4096);
const packFileArg = z.object({ path: z.string().min(1).max(512), text: z.string() }).strict();

export function vexPolicyReaderMethods(): VexPolicyReaderMethods {
  return {
    'vex.statements': reader('vex.statements', async (args, ctx) => (await (await vexJobs()).findingVexJob(ctx.store, args, jobContextOf(ctx))).statements.map(statementView)),
    'vex.consensus': reader('vex.consensus', async (args, ctx) =>
      consensusView(
        await (
          await vexJobs()
        ).vexConsensus(ctx.store, { vulnerabilityId: args.vulnerabilityId, ...(args.aliases ? { aliases: args.aliases } : {}), ...(args.purl ? { purl: args.purl } : {}), ...(args.ref ? { ref: args.ref } : {}) }, jobContextOf(ctx)),
      ),
    ),
    'vex.unmatched': reader('vex.unmatched', async (_args, ctx) => (await vexJobs()).unmatchedVexJob(ctx.store)),
    'vex.export': reader('vex.export', async (args, ctx) => {
      const e = await (await vexJobs()).exportVex(ctx.store, { format: args.format }, jobContextOf(ctx));
      return args.format === 'openvex'
        ? { fileName: 'stella-triage.openvex.json', mediaType: 'application/json', contentBase64: e.bytes.toString('base64'), digest: e.digest }
        : { fileName: 'stella-triage.vex.cdx.json', mediaType: 'application/vnd.cyclonedx+json', contentBase64: e.bytes.toString('base64'), digest: e.digest };
    }),
    'vex.trust': reader('vex.trust', async (_args, ctx) => trustView(await (await vexJobs()).vexTrust(ctx.store, { action: 'show' }, jobContextOf(ctx)))),
    'policy.lint': reader('policy.lint', async (args, ctx) => {
      const r = await (await policyJobs()).lintPolicyPack(ctx.store, { pack: packInput(args.pack) }, jobContextOf(ctx));
      return { pack: r.pack, ok: r.ok, errors: r.errors, warnings: r.warnings, diagnostics: r.diagnostics.map(diagnosticView) };
    }),
    'policy.test': reader('policy.test', async (args, ctx) => {
      const r = await (await policyJobs()).testPolicyPack(ctx.store, { pack: packInput(args.pack) }, jobContextOf(ctx));
      return {
        pack: { name: r.pack.name, version: r.pack.version, digest: r.pack.digest },
        passed: r.passed,
        failed: r.failed,
        fixtures: r.fixtures.map((f) => ({
          file: f.file,
          name: f.name,
          passed: f.passed,
          verdict: f.verdict,
          findings: f.findings,
          failures: f.failures.map((x) => ({ finding: x.finding ?? null, field: x.field, expected: x.expected, actual: x.actual, because: x.because ?? null })),
        })),
      };
    }),
    'policy.compile': reader('policy.compile', async (args, ctx) => {
      const r = await (await policyJobs()).compilePolicyPack(ctx.store, { pack: packInput(args.pack) }, jobContextOf(ctx));
      return { pack: { name: r.pack.name, version: r.pack.version, digest: r.digest, source: r.source }, irJson: canonicalJson(r.ir), exceptions: r.exceptions.length };
    }),
    'policy.evaluate': reader('policy.evaluate', async (args, ctx) =>
      evaluationView(await (await policyJobs()).evaluatePolicy(ctx.store, { scan: args.scanId, ...(args.pack ? { pack: packInput(args.pack) } : {}), ...evaluationOpts(args) }, jobContextOf(ctx))),
    ),
    'policy.explain': reader('policy.explain', async (args, ctx) =>
      explainView(await (await policyJobs()).explainPolicyFinding(ctx.store, { scan: args.scanId, finding: args.findingId, ...(args.pack ? { pack: packInput(args.pack) } : {}), ...evaluationOpts(args) }, jobContextOf(ctx))),
    ),
    'policy.simulate': reader('policy.simulate', async (args, ctx) => {
      const jobs = await policyJobs();
      const r = await jobs.simulatePolicy(
        ctx.store,
        {
          candidate: packInput(args.candidate),
          ...(args.base ? { base: packInput(args.base) } : {}),
          ...(args.scanIds ? { scans: args.scanIds } : {}),
          ...(args.samples !== undefined ? { samples: args.samples } : {}),
          ...evaluationOpts(args),
        },
        jobContextOf(ctx),
      );
      return simulationView(r);
    }),
    'policy.packs': reader('policy.packs', async (_args, ctx) => {
      const h = await (await packJobs()).policyHistoryJob(ctx.store);
      return { active: activeView(h.active), versions: h.versions.map(versionView), builtins: h.builtins };
    }),
    'policy.history': reader('policy.history', async (_args, ctx) => ({ events: (await (await packJobs()).policyHistoryJob(ctx.store)).events })),
    'policy.active': reader('policy.active', async (_args, ctx) => activeView(await (await packJobs()).activePolicyJob(ctx.store))),
  };
}

export function writerChannelMethods(): WriterChannelMethods {
  return {
    'vex.triage': writer(
      'vex.triage',
      requestSchemaOf('vex.triage') as z.ZodType<WriterChannelArgs['vex.triage']>,
      async (args, ctx) => {
        const r = await (await vexJobs()).triageFindingJob(ctx.store, args, jobContextOf(ctx));
        return { statement: statementRow(r.statement), digest: r.digest, outcome: r.outcome as 'new' | 'unchanged' | 'superseded' };
      },
    ),
    'vex.trust.set': writer('vex.trust.set', requestSchemaOf('vex.trust.set') as z.ZodType<WriterChannelArgs['vex.trust.set']>, async (args, ctx) => {
      const { vexTrust } = await vexJobs();
      const t = args.target;
      const level = (x: { tier?: number | undefined; weight?: number | undefined }) => ({ ...(x.tier !== undefined ? { tier: x.tier } : {}), ...(x.weight !== undefined ? { weight: x.weight } : {}) });
      const input =
        t.kind === 'class'
          ? { action: 'set-class' as const, issuerClass: t.issuerClass, level: level(t) }
          : t.kind === 'issuer'
            ? { action: 'set-issuer' as const, issuer: t.issuer, ...(t.issuerClass ? { issuerClass: t.issuerClass } : {}), level: level(t) }
            : { action: 'set-identity' as const, name: t.name };
      return trustView(await vexTrust(ctx.store, input, jobContextOf(ctx)));
    }),
    'policy.import': writer(
      'policy.import',
      z
        .object({
          pack: z.discriminatedUnion('kind', [
            z.object({ kind: z.literal('files'), files: z.array(packFileArg).min(1).max(5000), label: z.string().max(200).optional() }).strict(),
            z.object({ kind: z.literal('path'), path: pathArg, name: z.string().min(1).max(1024) }).strict(),
          ]),
        })
        .strict(),
      async (args, ctx) => {
        const p = args.pack;
        // A file is read from its path but recorded under the name the user knows it by (an upload's name).
        const pack: PackInput = p.kind === 'files' ? { files: p.files, ...(p.label !== undefined ? { label: p.label } : {}) } : p.path;
        const r = await (await packJobs()).importPolicyPackJob(ctx.store, { pack, ...(p.kind === 'path' ? { name: p.name } : {}) }, jobContextOf(ctx));
        return { outcome: r.outcome, pack: versionView(r.pack), warnings: r.warnings.map(diagnosticView), fixtures: r.fixtures };
      },
    ),
    'policy.approve': writer('policy.approve', requestSchemaOf('policy.approve') as z.ZodType<WriterChannelArgs['policy.approve']>, async (args, ctx) => {
      // The passphrase comes with the call (the UI asks for it) and is only handed to the keystore.
      const r = await (await packJobs()).approvePolicyPackJob(ctx.store, { pack: `${args.name}@${args.version}`, key: args.key }, async () => args.passphrase, jobContextOf(ctx));
      return { pack: versionView(r.pack), approval: r.approval };
    }),
    'policy.activate': writer('policy.activate', requestSchemaOf('policy.activate') as z.ZodType<WriterChannelArgs['policy.activate']>, async (args, ctx) => {
      const r = await (await packJobs()).activatePolicyPackJob(ctx.store, { pack: 'builtin' in args ? `builtin:${args.builtin}` : `${args.name}@${args.version}` }, jobContextOf(ctx));
      return { active: activeView({ ...r.active, shippedDefault: r.active.ref === 'builtin:default' }), changed: r.changed, approvals: r.approvals.map((a) => ({ keyId: a.keyId, keyName: a.keyName, valid: a.valid, ...(a.reason !== undefined ? { reason: a.reason } : {}) })) };
    }),
  };
}

export function vexPolicyJobMethods(): VexPolicyJobMethods {
  return {
    'vex.import': job('vex.import', z.object({ paths: z.array(z.object({ path: pathArg, uri: z.string().min(1).max(4096) }).strict()).min(1).max(10000) }).strict(), async (args, ctx) => {
      const r = await (await vexJobs()).importVex(ctx.store, { paths: args.paths }, jobContextOf(ctx));
      return { documents: r.documents, statements: r.statements.map((x) => ({ ...x, justification: x.justification ?? null })), unmatched: r.unmatched, rejected: r.rejected };
    }),
    'policy.reevaluate': job('policy.reevaluate', z.object({ scanIds: z.array(z.string().min(1).max(200)).max(10000).optional() }).strict(), async (args, ctx) => {
      const r = await (await verdictJobs()).reevaluateScansJob(ctx.store, { ...(args.scanIds ? { scanIds: args.scanIds } : {}) }, jobContextOf(ctx));
      return { scans: r.scans, pack: r.pack, vex: r.vex };
    }),
  };
}

// ---- mappers -------------------------------------------------------------------------------------

function diagnosticView(d: Diagnostic): PolicyDiagnostic {
  return { file: d.file, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn, severity: d.severity, code: d.code, message: d.message };
}

/** A scan verdict as `ScanSummary.verdict`: from the scan job (just made: current) or as stored. */
export function scanVerdictView(v: ScanVerdict | (StoredScanVerdict & { current: boolean })): ScanVerdictView {
  if ('findings' in v) {
    return { verdict: v.verdict, pack: v.pack, evaluationDate: v.evaluationDate, vexSetDigest: v.vex.setDigest ?? '', counts: v.counts, rules: v.rules, evaluatedAt: v.evaluatedAt, current: true };
  }
  return { verdict: v.verdict, pack: v.pack, evaluationDate: v.evaluationDate, vexSetDigest: v.vexSetDigest, counts: v.counts, rules: v.rules, evaluatedAt: v.evaluatedAt, current: v.current };
}

/** The stored verdicts of the listed scans (one query for the list). */
export async function storedVerdictViews(store: Store): Promise<Map<string, ScanVerdictView>> {
  const m = await (await verdictJobs()).storedScanVerdicts(store);
  return new Map([...m].map(([id, v]) => [id, scanVerdictView(v)]));
}

function statementRow(s: VexStatement): ChannelResult<'vex.triage'>['statement'] {
  return { vulnerability: s.vulnerability, aliases: s.aliases, product: s.product.purl ?? s.product.cpe ?? s.product.ref ?? s.product.name ?? '', status: s.status, justification: s.justification ?? null, issuer: s.issuer.name, timestamp: s.timestamp ?? null };
}

function statementView(s: VexStatement): VexStatementView {
  return {
    id: s.id,
    vulnerability: s.vulnerability,
    aliases: s.aliases,
    product: s.product.purl ?? s.product.cpe ?? s.product.ref ?? s.product.name ?? '',
    status: s.status,
    statusAsGiven: s.statusAsGiven,
    ...(s.justification ? { justification: s.justification } : {}),
    ...(s.impact ? { impact: s.impact } : {}),
    ...(s.action ? { action: s.action } : {}),
    ...(s.detail ? { detail: s.detail } : {}),
    ...(s.timestamp ? { timestamp: s.timestamp } : {}),
    issuer: { name: s.issuer.name, ...(s.issuer.role ? { role: s.issuer.role } : {}), ...(s.issuer.namespace ? { namespace: s.issuer.namespace } : {}) },
    raw: { digest: s.raw.digest, source: s.raw.source, uri: s.raw.uri, format: s.raw.format, ...(s.raw.specVersion ? { specVersion: s.raw.specVersion } : {}), path: s.raw.path },
  };
}

function consensusView(c: VexConsensus): VexConsensusView {
  return {
    vulnerability: { id: c.vulnerability.id, aliases: c.vulnerability.aliases },
    component: { ...(c.component.purl ? { purl: c.component.purl } : {}), ...(c.component.ref ? { ref: c.component.ref } : {}), ...(c.component.version ? { version: c.component.version } : {}) },
    status: c.status,
    ...(c.justification ? { justification: c.justification } : {}),
    confidence: c.confidence,
    statements: c.statements.map((s) => ({
      statementId: s.statementId,
      issuer: s.issuer,
      issuerClass: s.issuerClass,
      tier: s.tier,
      weight: s.weight,
      status: s.status,
      ...(s.justification ? { justification: s.justification } : {}),
      ...(s.timestamp ? { timestamp: s.timestamp } : {}),
      role: s.role,
      raw: { digest: s.raw.digest, uri: s.raw.uri, format: s.raw.format },
    })),
    conflicts: c.conflicts.map((x) => ({ kind: x.kind, tier: x.tier, statuses: x.statuses, statements: x.statements.map((s) => ({ statementId: s.statementId, issuer: s.issuer, status: s.status, weight: s.weight })) })),
    digest: c.digest,
  };
}

function trustView(t: Awaited<ReturnType<Awaited<ReturnType<typeof vexJobs>>['vexTrust']>>): ChannelResult<'vex.trust'> {
  return {
    classes: { vendor: { ...t.classes.vendor }, distro: { ...t.classes.distro }, internal: { ...t.classes.internal }, community: { ...t.classes.community } },
    issuers: t.issuers.map((i) => ({ issuer: i.issuer, ...(i.class ? { class: i.class } : {}), ...(i.tier !== undefined ? { tier: i.tier } : {}), ...(i.weight !== undefined ? { weight: i.weight } : {}) })),
    identity: t.identity,
  };
}

function decisionView(d: EvaluatePolicyResult['findings'][number]): PolicyDecisionView {
  return {
    findingId: d.findingId,
    vulnerabilityId: d.vulnerabilityId,
    purl: d.purl,
    status: d.status,
    verdict: d.verdict,
    rule: d.rule,
    because: d.because,
    ruleStatus: d.ruleStatus,
    exception: d.exception ? { id: d.exception.id, kind: d.exception.kind, owner: d.exception.owner, reason: d.exception.reason, expires: d.exception.expires } : null,
    severity: d.severity,
    ...(d.until !== undefined ? { until: d.until } : {}),
    ...(d.messages?.length ? { messages: d.messages } : {}),
  };
}

function evaluationView(r: EvaluatePolicyResult): ChannelResult<'policy.evaluate'> {
  return {
    verdict: r.verdict,
    findingsVerdict: r.findingsVerdict,
    evaluationDate: r.evaluationDate,
    pack: r.pack,
    scan: { id: r.scan.id, subject: r.scan.subject, ...(r.scan.sbomId ? { sbomId: r.scan.sbomId } : {}) },
    vex: r.vex,
    counts: { PASS: r.counts.PASS, WARN: r.counts.WARN, BLOCKED: r.counts.BLOCKED },
    rules: r.rules,
    unknowns: r.unknowns,
    findings: r.findings.map((d) => {
      const v = r.vexByFinding[d.findingId];
      return { ...decisionView(d), ...(v ? { vex: { status: v.status, ...(v.justification !== undefined ? { justification: v.justification } : {}) } } : {}) };
    }),
  };
}

/** A condition tree, pre-order, with depths: the renderer indents by depth. */
function flattenCondition(c: ConditionTrace | undefined, depth = 0, out: PolicyExplainView['rules'][number]['condition'] = []): PolicyExplainView['rules'][number]['condition'] {
  if (!c) return out;
  out.push({ depth, expr: c.expr, value: JSON.stringify(c.value), skipped: c.skipped === true, ...(c.statements ? { statements: c.statements.map((s) => ({ ...s })) } : {}) });
  for (const k of c.children ?? []) flattenCondition(k, depth + 1, out);
  return out;
}

type TraceLike = Omit<ExplainPolicyResult, 'pack' | 'scan' | 'vexSource'>;

function explainView(t: TraceLike & { pack: ExplainPolicyResult['pack']; vexSource: ExplainPolicyResult['vexSource'] }): PolicyExplainView {
  return {
    finding: { id: t.finding.id, vulnerabilityId: t.finding.vulnerabilityId, aliases: [...t.finding.aliases], purl: t.finding.purl, component: { ...t.finding.component }, severity: { ...t.finding.severity } },
    evaluationDate: t.evaluationDate,
    pack: t.pack,
    vexSource: t.vexSource,
    decision: decisionView(t.decision),
    rules: t.rules.map((r) => ({
      rule: r.rule,
      policy: r.policy,
      priority: r.priority,
      ...(r.location ? { location: { file: r.location.file, line: r.location.line, column: r.location.column } } : {}),
      outcome: r.outcome,
      ...(r.branch ? { branch: r.branch } : {}),
      condition: flattenCondition(r.condition),
    })),
    inputs: t.inputs.map((i) => ({ path: i.path, value: JSON.stringify(i.value) })),
    vex: t.vex
      ? {
          status: t.vex.status,
          ...(t.vex.justification ? { justification: t.vex.justification } : {}),
          confidence: t.vex.confidence,
          statements: t.vex.statements.map((s) => ({
            issuer: s.issuer,
            issuerClass: s.issuerClass,
            tier: s.tier,
            weight: s.weight,
            status: s.status,
            ...(s.justification ? { justification: s.justification } : {}),
            ...(s.role ? { role: s.role } : {}),
            ...(s.statementId ? { statementId: s.statementId } : {}),
            ...(s.raw ? { rawDigest: s.raw.digest } : {}),
          })),
          conflicts: t.vex.conflicts.length,
        }
      : null,
    evidence: t.evidence.map((e) => ({ advisoryId: e.advisoryId, source: e.source, rawDigest: e.rawDigest, uri: e.uri, ...(e.observationId ? { observationId: e.observationId } : {}) })),
    exception: {
      applied: t.exception.applied ? { ...t.exception.applied } : null,
      expired: t.exception.expired.map((x) => ({ ...x })),
    },
    whatIf: t.whatIf.map((w) => ({ kind: w.kind, change: w.change, verdict: w.verdict, status: w.status, rule: w.rule })),
  };
}

function simulationView(r: SimulationResult & { vex: ExplainPolicyResult['vexSource'] }): ChannelResult<'policy.simulate'> {
  const vex = r.vex;
  return {
    base: r.base,
    candidate: r.candidate,
    evaluationDate: r.evaluationDate,
    vex,
    scans: r.scans,
    counts: r.counts,
    changes: r.changes,
    rules: r.rules,
    histograms: r.histograms,
    samples: r.samples.map((s) => ({
      scan: s.scan,
      finding: s.finding,
      before: explainView({ ...s.before, pack: r.base, vexSource: vex }),
      after: explainView({ ...s.after, pack: r.candidate, vexSource: vex }),
    })),
  };
}

function versionView(v: EnginePackVersionView): PackVersionView {
  return { ...v, files: v.files.map((f) => ({ ...f })), approvals: v.approvals.map((a) => ({ ...a })) };
}

function activeView(a: ActivePackRef & { shippedDefault?: boolean }): ActivePackView {
  return { name: a.name, version: a.version, digest: a.digest, ref: a.ref, builtin: a.builtin, activatedAt: a.activatedAt, approvals: [...a.approvals], shippedDefault: a.shippedDefault ?? a.ref === 'builtin:default' };
}
