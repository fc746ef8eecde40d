/**
 * engine/policy — the `stella-dsl@1` policy language (lexer, parser, type checker/lint, compiler to
 * canonical IR), evaluation compiled to closures, explain traces with counterfactuals, exceptions and
 * the unknowns budget, policy packs (directory, .tar.gz, built-in) with fixtures, and simulation of a
 * candidate pack against a base pack. Grammar and built-ins: GRAMMAR.md.
 */
export {
  LANGUAGE,
  SYNTAX_ID,
  KEYWORDS,
  RESERVED_WORDS,
  OPERATORS,
  PUNCTUATION,
  TOKEN_KINDS,
  FIELDS,
  VEX_STATEMENT_FIELDS,
  FUNCTIONS,
  ACTIONS,
  SETTINGS,
  REQUIRE_VEX_FIELDS,
  POLICY_STATUSES,
  POLICY_STATUS_NAMES,
  SEVERITY_ORDER,
  VEX_STATUSES,
  VEX_JUSTIFICATIONS,
  ISSUER_CLASSES,
  DEFAULT_PRIORITY,
  describeName,
  MONARCH_LANGUAGE,
  type TokenKind,
  type ValueType,
  type FieldSpec,
  type FunctionSpec,
  type ActionSpec,
  type SettingSpec,
  type PolicyStatus,
  type SeverityBand,
  type Verdict,
  type VexStatusValue,
} from './language';
export { tokenize, parseIsoDate, type Token, type Position, type Span, type Diagnostic, type DiagnosticSeverity, type LexResult } from './syntax';
export { parsePolicy, type PolicyNode, type RuleNode, type ExprNode, type ActionNode, type EntryNode, type ParseResult } from './parser';
export { compilePolicySources, lintPolicyText, type PolicySource, type CompileResult, type RuleLocation } from './compile';
export { irDigest, renderExpr, type PolicyIr, type IrRule, type IrExpr, type IrAction, type IrSettings } from './ir';
export {
  PolicyEvaluator,
  verdictOf,
  worseVerdict,
  type EvaluationOptions,
  type EnvValue,
  type FindingDecision,
  type PolicyEvaluation,
  type PolicyException,
  type ExceptionKind,
  type AppliedException,
  type UnknownsReport,
} from './evaluate';
export { explainDecision, traceCondition, type ExplainTrace, type ConditionTrace, type RuleTrace, type InputRead, type WhatIf, type WhatIfKind } from './explain';
export {
  NO_VEX_LOOKUP,
  findingInput,
  scanInput,
  sbomTagsOf,
  ecosystemFamily,
  type PolicyFindingInput,
  type PolicyScanInput,
  type PolicyComponentInput,
  type PolicyVexConsensus,
  type PolicyVexStatement,
  type PolicyVexConflict,
  type PolicyEvidenceLink,
  type PolicyUnknowns,
  type VexLookup,
  type VexLookupKey,
  type ScanLike,
} from './input';
export {
  loadPack,
  readPackRef,
  packFromFiles,
  requireUsable,
  packDigest,
  formatDiagnostic,
  builtinPackNames,
  DEFAULT_PACK,
  type LoadedPack,
  type UsablePack,
  type PackManifest,
  type PackFixture,
  type FixtureExpectation,
  type PackOrigin,
  type PackLimits,
  type PackFiles,
  packFilesFromTexts,
} from './pack';
export { runPackFixtures, type PackTestReport, type FixtureResult, type FixtureFailure } from './fixtures';
export { simulatePacks, DEFAULT_SIMULATION_SAMPLES, MAX_SIMULATION_SAMPLES, type SimulationResult, type SimulationChange, type SimulationScan, type SimulationOptions, type RuleImpact, type SeverityHistogram, type SimulationSample, type ChangeKind } from './simulate';
export { evaluateScanResult, evaluateScanInput, findingPolicyField, type EvaluateScanOptions, type ScanPolicyResult } from './scan';
export { storedVexLookup, STORED_VEX_LOOKUP_NAME } from './vex-lookup';
export {
  APPROVAL_PAYLOAD_TYPE,
  APPROVAL_PREDICATE_TYPE,
  REQUIRED_APPROVALS,
  parsePackId,
  approvalStatement,
  approvalPayload,
  listPackVersions,
  findPackVersion,
  requirePackVersion,
  storedPackFiles,
  loadStoredPack,
  importPackVersion,
  recordApproval,
  listActivations,
  recordActivation,
  shippedDefaultPack,
  activePackRef,
  recordScanVerdict,
  latestScanVerdicts,
  latestScanVerdict,
  type StoredPackFile,
  type PackApprovalRecord,
  type StoredPackVersion,
  type PackActivationRecord,
  type ActivePackRef,
  type DecidingRule,
  type StoredScanVerdict,
  type ImportPackOptions,
} from './pack-store';
export { PolicyError, isPolicyError, type PolicyErrorCode } from './errors';
