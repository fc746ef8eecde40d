/**
 * The VEX and policy part of the contract: request and result schemas of the `vex.*` and `policy.*`
 * channels, and the scan verdict that `ScanSummary` carries. Each result type is the schema's own type
 * (`z.infer`), so the two cannot drift; channels.ts and results.ts spread these into the contract.
 *
 * Packs are named by `PackRef`: the active pack, a built-in pack, an imported version, or the pack's
 * files as text (the policy editor). Imports, triage, trust, approvals and activations write: the
 * engine host runs them on the writer worker; the rest runs on readers.
 */
import { z } from 'zod';

const count = z.number().int().nonnegative();
const id = z.string().min(1).max(200);
const verdict = z.enum(['PASS', 'WARN', 'BLOCKED']);
const vexStatus = z.enum(['not_affected', 'affected', 'fixed', 'under_investigation']);
const vexJustification = z.enum(['component_not_present', 'vulnerable_code_not_present', 'vulnerable_code_not_in_execute_path', 'vulnerable_code_cannot_be_controlled_by_adversary', 'inline_mitigations_already_exist']);
export const VEX_ISSUER_CLASS_NAMES = ['vendor', 'distro', 'internal', 'community'] as const;
export type VexIssuerClassName = (typeof VEX_ISSUER_CLASS_NAMES)[number];
const issuerClass = z.enum(VEX_ISSUER_CLASS_NAMES);
const policyStatus = z.string();
const digest = z.string();

// ---------- shared request shapes ----------

/** One file of a pack, as the editor holds it. */
export const packFileSchema = z.object({ path: z.string().min(1).max(512), text: z.string().max(8 * 1024 * 1024) }).strict();
export type PackFile = z.infer<typeof packFileSchema>;

/** A policy pack: the active one, a built-in one, an imported version, or files from the editor. */
export const packRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('active') }).strict(),
  z.object({ kind: z.literal('builtin'), name: z.string().min(1).max(100) }).strict(),
  z.object({ kind: z.literal('stored'), name: z.string().min(1).max(200), version: z.string().min(1).max(100) }).strict(),
  z.object({ kind: z.literal('files'), files: z.array(packFileSchema).min(1).max(5000), label: z.string().max(200).optional() }).strict(),
]);
export type PackRef = z.infer<typeof packRefSchema>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected an ISO date (YYYY-MM-DD)');
const envSchema = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/), z.union([z.string().max(1000), z.number(), z.boolean()]));
const evaluationArgs = { date: isoDate.optional(), env: envSchema.optional() };

/** Request schemas of the VEX and policy channels (FileRef-taking ones are in channels.ts). */
export const vexPolicyRequestSchemas = {
  /** The VEX statements that name a finding's component and vulnerability (every issuer, superseded ones too). */
  'vex.statements': z.object({ scanId: id, findingId: id }).strict(),
  /** The consensus for a vulnerability and a component (purl or bom-ref): contributing statements, weights, conflicts. */
  'vex.consensus': z
    .object({ vulnerabilityId: id, aliases: z.array(id).max(100).optional(), purl: z.string().min(1).max(2048).optional(), ref: z.string().min(1).max(2048).optional() })
    .strict()
    .refine((a) => a.purl !== undefined || a.ref !== undefined, { message: 'a component is needed: purl or ref', path: ['purl'] }),
  /** Stored statements that name no stored component (reported at import, kept, listed here). */
  'vex.unmatched': z.object({}).strict(),
  /** Record the auditor's decision about a finding as a VEX statement issued by the workstation (writer). */
  'vex.triage': z
    .object({ scanId: id, findingId: id, status: vexStatus, justification: vexJustification.optional(), impact: z.string().max(10000).optional(), action: z.string().max(10000).optional() })
    .strict(),
  /** Every current triage decision as one OpenVEX 0.2.0 or CycloneDX VEX document. */
  'vex.export': z.object({ format: z.enum(['openvex', 'cyclonedx']) }).strict(),
  'vex.trust': z.object({}).strict(),
  /** Set (or, with neither tier nor weight nor class, reset) the trust of an issuer class or one issuer, or the triage identity (writer). */
  'vex.trust.set': z
    .object({
      target: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('class'), issuerClass, tier: z.number().int().min(0).max(100).optional(), weight: z.number().min(0).max(1).optional() }).strict(),
        z.object({ kind: z.literal('issuer'), issuer: z.string().min(1).max(500), issuerClass: issuerClass.optional(), tier: z.number().int().min(0).max(100).optional(), weight: z.number().min(0).max(1).optional() }).strict(),
        z.object({ kind: z.literal('identity'), name: z.string().min(1).max(500) }).strict(),
      ]),
    })
    .strict(),
  /** Lint a pack (the editor's live diagnostics: line and column of every problem). */
  'policy.lint': z.object({ pack: packRefSchema }).strict(),
  /** Run a pack's fixtures. */
  'policy.test': z.object({ pack: packRefSchema }).strict(),
  /** Compile a pack to its canonical IR. */
  'policy.compile': z.object({ pack: packRefSchema }).strict(),
  /** Evaluate a pack (default: the active one) over a stored scan with the stored VEX; stores nothing. */
  'policy.evaluate': z.object({ scanId: id, pack: packRefSchema.optional(), ...evaluationArgs }).strict(),
  /** Why one finding got its status: rules tried, conditions, inputs, VEX, evidence, what would change it. */
  'policy.explain': z.object({ scanId: id, findingId: id, pack: packRefSchema.optional(), ...evaluationArgs }).strict(),
  /** Base (default: the active pack) against a candidate over chosen stored scans (default: all); stores nothing. */
  'policy.simulate': z
    .object({ base: packRefSchema.optional(), candidate: packRefSchema, scanIds: z.array(id).max(10000).optional(), samples: z.number().int().min(0).max(100).optional(), ...evaluationArgs })
    .strict(),
  /** Imported versions (with approvals), built-in packs and the active pack. */
  'policy.packs': z.object({}).strict(),
  /** Imports, approvals and activations, oldest first. */
  'policy.history': z.object({}).strict(),
  'policy.active': z.object({}).strict(),
  /** Approve an imported version with a workstation key (writer). The passphrase unlocks the key; it is never stored or logged. */
  'policy.approve': z.object({ name: id, version: id, key: z.string().min(1).max(64), passphrase: z.string().min(1).max(1024) }).strict(),
  /** Make an imported version (two approvals needed) or a built-in pack the active pack (writer). */
  'policy.activate': z.union([z.object({ name: id, version: id }).strict(), z.object({ builtin: z.string().min(1).max(100) }).strict()]),
} as const;

// ---------- results ----------

const diagnostic = z
  .object({ file: z.string(), line: count, column: count, endLine: count, endColumn: count, severity: z.enum(['error', 'warning']), code: z.string(), message: z.string() })
  .strict();
export type PolicyDiagnostic = z.infer<typeof diagnostic>;

const packInfo = z.object({ name: z.string(), version: z.string(), digest, source: z.string() }).strict();
export type PackInfo = z.infer<typeof packInfo>;

const decidingRule = z.object({ rule: z.string().nullable(), because: z.string().nullable(), findings: count }).strict();

/** A scan's verdict as stored with it (the pack it came from, the VEX set it saw). */
export const scanVerdictViewSchema = z
  .object({
    verdict,
    pack: packInfo,
    evaluationDate: z.string(),
    vexSetDigest: digest,
    counts: z.object({ PASS: count, WARN: count, BLOCKED: count }).strict(),
    /** The rules that gave the scan its verdict, most findings first. */
    rules: z.array(decidingRule),
    evaluatedAt: z.string(),
    /** Made with the pack active now and the VEX stored now (else a re-evaluation would record another verdict). */
    current: z.boolean(),
  })
  .strict();
export type ScanVerdictView = z.infer<typeof scanVerdictViewSchema>;

const vexStatementRow = z
  .object({ vulnerability: z.string(), aliases: z.array(z.string()), product: z.string(), status: vexStatus, justification: z.string().nullable(), issuer: z.string(), timestamp: z.string().nullable() })
  .strict();
export type VexStatementRow = z.infer<typeof vexStatementRow>;

const vexUnmatchedRow = z.object({ document: z.string(), statement: z.string(), vulnerability: z.string(), product: z.string(), reason: z.string() }).strict();

export const vexImportSummarySchema = z
  .object({
    documents: count,
    statements: z.array(vexStatementRow),
    unmatched: z.array(vexUnmatchedRow),
    rejected: z.array(z.object({ document: z.string(), path: z.string().nullable(), code: z.string(), error: z.string() }).strict()),
  })
  .strict();
export type VexImportSummary = z.infer<typeof vexImportSummarySchema>;

const vexStatementView = z
  .object({
    id: z.string(),
    vulnerability: z.string(),
    aliases: z.array(z.string()),
    product: z.string(),
    status: vexStatus,
    statusAsGiven: z.string(),
    justification: z.string().optional(),
    impact: z.string().optional(),
    action: z.string().optional(),
    detail: z.string().optional(),
    timestamp: z.string().optional(),
    issuer: z.object({ name: z.string(), role: z.string().optional(), namespace: z.string().optional() }).strict(),
    raw: z.object({ digest, source: z.string(), uri: z.string(), format: z.string(), specVersion: z.string().optional(), path: z.string() }).strict(),
  })
  .strict();
export type VexStatementView = z.infer<typeof vexStatementView>;

const vexContribution = z
  .object({
    statementId: z.string(),
    issuer: z.string(),
    issuerClass,
    tier: z.number(),
    weight: z.number(),
    status: vexStatus,
    justification: z.string().optional(),
    timestamp: z.string().optional(),
    role: z.enum(['decisive', 'agreeing', 'conflicting', 'deferred', 'overridden', 'superseded']),
    raw: z.object({ digest, uri: z.string(), format: z.string() }).strict(),
  })
  .strict();

export const vexConsensusViewSchema = z
  .object({
    vulnerability: z.object({ id: z.string(), aliases: z.array(z.string()) }).strict(),
    component: z.object({ purl: z.string().optional(), ref: z.string().optional(), version: z.string().optional() }).strict(),
    status: z.union([vexStatus, z.literal('none')]),
    justification: z.string().optional(),
    confidence: z.number().min(0).max(1),
    statements: z.array(vexContribution),
    conflicts: z.array(
      z
        .object({ kind: z.literal('status-disagreement'), tier: z.number(), statuses: z.array(vexStatus), statements: z.array(z.object({ statementId: z.string(), issuer: z.string(), status: vexStatus, weight: z.number() }).strict()) })
        .strict(),
    ),
    digest,
  })
  .strict();
export type VexConsensusView = z.infer<typeof vexConsensusViewSchema>;

const vexUnmatchedStored = z.object({ document: z.string(), digest, statementId: z.string(), vulnerability: z.string(), product: z.string(), status: vexStatus, issuer: z.string(), reason: z.string() }).strict();
export type VexUnmatchedView = z.infer<typeof vexUnmatchedStored>;

const triageResult = z.object({ statement: vexStatementRow, digest, outcome: z.enum(['new', 'unchanged', 'superseded']) }).strict();
export type TriageResultView = z.infer<typeof triageResult>;

const trustLevel = z.object({ tier: z.number(), weight: z.number() }).strict();
export const vexTrustViewSchema = z
  .object({
    classes: z.object({ vendor: trustLevel, distro: trustLevel, internal: trustLevel, community: trustLevel }).strict(),
    issuers: z.array(z.object({ issuer: z.string(), class: issuerClass.optional(), tier: z.number().optional(), weight: z.number().optional() }).strict()),
    identity: z.string(),
  })
  .strict();
export type VexTrustView = z.infer<typeof vexTrustViewSchema>;

const lintView = z
  .object({
    pack: z.object({ source: z.string(), name: z.string().nullable(), version: z.string().nullable(), digest: digest.nullable() }).strict(),
    ok: z.boolean(),
    errors: count,
    warnings: count,
    diagnostics: z.array(diagnostic),
  })
  .strict();
export type PolicyLintView = z.infer<typeof lintView>;

const testView = z
  .object({
    pack: z.object({ name: z.string(), version: z.string(), digest }).strict(),
    passed: count,
    failed: count,
    fixtures: z.array(
      z
        .object({
          file: z.string(),
          name: z.string(),
          passed: z.boolean(),
          verdict,
          findings: count,
          failures: z.array(z.object({ finding: z.string().nullable(), field: z.string(), expected: z.unknown(), actual: z.unknown(), because: z.string().nullable() }).strict()),
        })
        .strict(),
    ),
  })
  .strict();
export type PolicyTestView = z.infer<typeof testView>;

const compileView = z.object({ pack: packInfo, irJson: z.string(), exceptions: count }).strict();
export type PolicyCompileView = z.infer<typeof compileView>;

const appliedException = z.object({ id: z.string(), kind: z.enum(['suppress', 'defer', 'downgrade']), owner: z.string(), reason: z.string(), expires: z.string() }).strict();

const decisionView = z
  .object({
    findingId: z.string(),
    vulnerabilityId: z.string(),
    purl: z.string().nullable(),
    status: policyStatus,
    verdict,
    rule: z.string().nullable(),
    because: z.string().nullable(),
    ruleStatus: policyStatus,
    exception: appliedException.nullable(),
    severity: z.string(),
    until: z.string().optional(),
    messages: z.array(z.string()).optional(),
    /** `policy.evaluate` only: the VEX consensus the finding was evaluated with (`none` when no statement applies). */
    vex: z.object({ status: z.string(), justification: z.string().optional() }).strict().optional(),
  })
  .strict();
export type PolicyDecisionView = z.infer<typeof decisionView>;

const unknownsView = z
  .object({ componentsWithoutPurl: count.nullable(), unresolvableRanges: count, vexConflicts: count, total: count, budget: count.nullable(), exceeded: z.boolean() })
  .strict();

const evaluatedVex = z.object({ lookup: z.string(), setDigest: z.string().nullable() }).strict();

const evaluationView = z
  .object({
    verdict,
    findingsVerdict: verdict,
    evaluationDate: z.string(),
    pack: packInfo,
    scan: z.object({ id: z.string().nullable(), subject: z.string(), sbomId: z.string().optional() }).strict(),
    vex: evaluatedVex,
    counts: z.object({ PASS: count, WARN: count, BLOCKED: count }).strict(),
    rules: z.array(z.object({ rule: z.string(), hits: count }).strict()),
    unknowns: unknownsView,
    findings: z.array(decisionView),
  })
  .strict();
export type PolicyEvaluationView = z.infer<typeof evaluationView>;

/** One node of a rule's condition tree, pre-order; `depth` 0 is the whole condition. */
const conditionNode = z
  .object({
    depth: count,
    expr: z.string(),
    /** The value as JSON text. */
    value: z.string(),
    skipped: z.boolean(),
    statements: z.array(z.object({ index: count, issuer: z.string(), issuerClass: z.string(), status: z.string(), value: z.boolean() }).strict()).optional(),
  })
  .strict();

const vexStatementSeen = z
  .object({
    issuer: z.string(),
    issuerClass: z.string(),
    tier: z.number(),
    weight: z.number(),
    status: vexStatus,
    justification: z.string().optional(),
    role: z.string().optional(),
    statementId: z.string().optional(),
    rawDigest: z.string().optional(),
  })
  .strict();

export const explainViewSchema = z
  .object({
    finding: z
      .object({
        id: z.string(),
        vulnerabilityId: z.string(),
        aliases: z.array(z.string()),
        purl: z.string().nullable(),
        component: z.object({ name: z.string(), version: z.string(), ecosystem: z.string(), scope: z.string(), declared: z.boolean() }).strict(),
        severity: z.object({ level: z.string(), score: z.number().nullable() }).strict(),
      })
      .strict(),
    evaluationDate: z.string(),
    pack: packInfo,
    vexSource: evaluatedVex,
    decision: decisionView,
    rules: z.array(
      z
        .object({
          rule: z.string(),
          policy: z.string(),
          priority: z.number(),
          location: z.object({ file: z.string(), line: count, column: count }).strict().optional(),
          outcome: z.enum(['fired', 'no-match', 'expired', 'not-reached']),
          branch: z.enum(['then', 'else']).optional(),
          condition: z.array(conditionNode),
        })
        .strict(),
    ),
    inputs: z.array(z.object({ path: z.string(), value: z.string() }).strict()),
    vex: z.object({ status: z.string(), justification: z.string().optional(), confidence: z.number(), statements: z.array(vexStatementSeen), conflicts: count }).strict().nullable(),
    evidence: z.array(z.object({ advisoryId: z.string(), source: z.string(), rawDigest: z.string(), uri: z.string(), observationId: z.string().optional() }).strict()),
    exception: z.object({ applied: appliedException.nullable(), expired: z.array(appliedException) }).strict(),
    whatIf: z.array(z.object({ kind: z.string(), change: z.string(), verdict, status: policyStatus.nullable(), rule: z.string().nullable() }).strict()),
  })
  .strict();
export type PolicyExplainView = z.infer<typeof explainViewSchema>;

const severityBands = ['critical', 'high', 'medium', 'low', 'none', 'unknown'] as const;
const histogram = z.object(Object.fromEntries(severityBands.map((b) => [b, z.object({ PASS: count, WARN: count, BLOCKED: count }).strict()])) as Record<(typeof severityBands)[number], z.ZodObject<{ PASS: typeof count; WARN: typeof count; BLOCKED: typeof count }>>).strict();

const simulationView = z
  .object({
    base: packInfo,
    candidate: packInfo,
    evaluationDate: z.string(),
    vex: evaluatedVex,
    scans: z.array(z.object({ scan: z.string(), findings: count, before: verdict, after: verdict }).strict()),
    counts: z.object({ added: count, removed: count, changed: count, unchanged: count }).strict(),
    changes: z.array(
      z
        .object({
          scan: z.string(),
          finding: z.string(),
          vulnerabilityId: z.string(),
          purl: z.string().nullable(),
          kind: z.enum(['added', 'removed', 'changed']),
          before: policyStatus,
          after: policyStatus,
          beforeVerdict: verdict,
          afterVerdict: verdict,
          beforeRule: z.string().nullable(),
          rule: z.string().nullable(),
        })
        .strict(),
    ),
    rules: z.array(z.object({ rule: z.string(), in: z.enum(['base', 'candidate', 'both']), before: count, after: count, gained: count, lost: count }).strict()),
    histograms: z.object({ before: histogram, after: histogram }).strict(),
    samples: z.array(z.object({ scan: z.string(), finding: z.string(), before: explainViewSchema, after: explainViewSchema }).strict()),
  })
  .strict();
export type PolicySimulationView = z.infer<typeof simulationView>;

const approvalView = z.object({ keyId: z.string(), keyName: z.string().nullable(), algorithm: z.string(), approvedAt: z.string() }).strict();

const packVersionView = z
  .object({
    name: z.string(),
    version: z.string(),
    digest,
    description: z.string(),
    origin: z.string(),
    importedAt: z.string(),
    files: z.array(z.object({ path: z.string(), digest, size: count }).strict()),
    approvals: z.array(approvalView),
    approvalsNeeded: count,
    active: z.boolean(),
  })
  .strict();
export type PackVersionView = z.infer<typeof packVersionView>;

export const activePackViewSchema = z
  .object({
    name: z.string(),
    version: z.string(),
    digest,
    /** `builtin:NAME` or `NAME@VERSION`. */
    ref: z.string(),
    builtin: z.string().nullable(),
    activatedAt: z.string().nullable(),
    approvals: z.array(z.string()),
    shippedDefault: z.boolean(),
  })
  .strict();
export type ActivePackView = z.infer<typeof activePackViewSchema>;

const packsView = z
  .object({
    active: activePackViewSchema,
    versions: z.array(packVersionView),
    builtins: z.array(z.object({ ref: z.string(), name: z.string(), version: z.string(), digest, active: z.boolean() }).strict()),
  })
  .strict();
export type PolicyPacksView = z.infer<typeof packsView>;

const historyView = z
  .object({
    events: z.array(
      z
        .object({ at: z.string(), event: z.enum(['imported', 'approved', 'activated']), pack: z.string(), digest, keyId: z.string().optional(), keyName: z.string().nullable().optional(), builtin: z.boolean().optional() })
        .strict(),
    ),
  })
  .strict();
export type PolicyHistoryView = z.infer<typeof historyView>;

export const importPackViewSchema = z
  .object({ outcome: z.enum(['new', 'unchanged']), pack: packVersionView, warnings: z.array(diagnostic), fixtures: z.object({ passed: count, failed: count }).strict() })
  .strict();
export type ImportPackView = z.infer<typeof importPackViewSchema>;

const approveView = z.object({ pack: packVersionView, approval: approvalView }).strict();
export type ApprovePackView = z.infer<typeof approveView>;

const activateView = z
  .object({
    active: activePackViewSchema,
    changed: z.boolean(),
    approvals: z.array(z.object({ keyId: z.string(), keyName: z.string().nullable(), valid: z.boolean(), reason: z.string().optional() }).strict()),
  })
  .strict();
export type ActivatePackView = z.infer<typeof activateView>;

export const reevaluateResultSchema = z
  .object({ scans: z.array(z.object({ scanId: z.string(), before: verdict.nullable(), after: verdict }).strict()), pack: packInfo.nullable(), vex: evaluatedVex })
  .strict();
export type ReevaluateResult = z.infer<typeof reevaluateResultSchema>;

const exportedFile = z.object({ fileName: z.string(), mediaType: z.string(), contentBase64: z.string(), digest: z.string() }).strict();

/** Result schemas of the VEX and policy channels (the FileRef-taking ones return a JobRef or `importPackViewSchema`). */
export const vexPolicyResultSchemas = {
  'vex.statements': z.array(vexStatementView),
  'vex.consensus': vexConsensusViewSchema,
  'vex.unmatched': z.array(vexUnmatchedStored),
  'vex.triage': triageResult,
  'vex.export': exportedFile,
  'vex.trust': vexTrustViewSchema,
  'vex.trust.set': vexTrustViewSchema,
  'policy.lint': lintView,
  'policy.test': testView,
  'policy.compile': compileView,
  'policy.evaluate': evaluationView,
  'policy.explain': explainViewSchema,
  'policy.simulate': simulationView,
  'policy.packs': packsView,
  'policy.history': historyView,
  'policy.active': activePackViewSchema,
  'policy.approve': approveView,
  'policy.activate': activateView,
} as const satisfies { [C in keyof typeof vexPolicyRequestSchemas]: z.ZodType };

export type VexPolicyChannelResults = { [C in keyof typeof vexPolicyResultSchemas]: z.infer<(typeof vexPolicyResultSchemas)[C]> };
