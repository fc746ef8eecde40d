/**
 * The vocabulary of `stella-dsl@1` as data: keywords, operators, token kinds, the built-in fields and
 * functions with their types and documentation, actions, statuses and settings. The parser, the type
 * checker, the evaluator, GRAMMAR.md and the policy editor (Monaco highlighting, completion, hover) all
 * read this one table, so a built-in is added in one place.
 *
 * This file imports only engine/core's VEX vocabulary (plain data, no Node built-ins): the renderer can
 * bundle it as it is.
 */
import { VEX_ISSUER_CLASSES, VEX_JUSTIFICATIONS as CORE_JUSTIFICATIONS, VEX_STATUSES as CORE_STATUSES, type VexStatus } from '../core/model/vex';

export const SYNTAX_ID = 'stella-dsl@1';

/** What the lexer produces; the editor maps these to highlighting scopes. */
export type TokenKind = 'keyword' | 'identifier' | 'string' | 'number' | 'date' | 'operator' | 'punctuation' | 'comment' | 'invalid';

export const TOKEN_KINDS: readonly TokenKind[] = ['keyword', 'identifier', 'string', 'number', 'date', 'operator', 'punctuation', 'comment', 'invalid'];

/**
 * Words with a fixed meaning. Only the expression words (`and or not in true false`) are reserved
 * everywhere; the others are keywords where the grammar expects them (`status` is an action keyword and
 * also a statement field inside `vex.any(...)`).
 */
export const KEYWORDS = [
  'policy',
  'syntax',
  'metadata',
  'settings',
  'rule',
  'priority',
  'when',
  'then',
  'else',
  'because',
  'and',
  'or',
  'not',
  'in',
  'true',
  'false',
  'status',
  'ignore',
  'defer',
  'until',
  'warn',
  'message',
  'requireVex',
  'annotate',
  'escalate',
  'to',
] as const;

export const RESERVED_WORDS: readonly string[] = ['and', 'or', 'not', 'in', 'true', 'false'];

/** Longest first, so a lexer can match greedily. */
export const OPERATORS = [':=', '==', '!=', '<=', '>=', '<', '>', '='] as const;
export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';
export const COMPARISON_OPERATORS: readonly ComparisonOperator[] = ['==', '!=', '<', '<=', '>', '>='];

export const PUNCTUATION = ['{', '}', '(', ')', '[', ']', ',', '.', ';'] as const;

/** Line comments start with `#` or `//`; block comments are `/* … *\/`. */
export const COMMENT_STARTS = ['#', '//', '/*'] as const;

/** Types the checker knows. `severity` is an ordered enumeration; `any` is an `env.*` value. */
export type ValueType = 'bool' | 'number' | 'string' | 'date' | 'severity' | 'list' | 'any';

/** Severity bands, lowest to highest. `unknown` is below every band: `severity.level >= "low"` is false for it. */
export const SEVERITY_ORDER = ['unknown', 'none', 'low', 'medium', 'high', 'critical'] as const;
export type SeverityBand = (typeof SEVERITY_ORDER)[number];

/** The normalized VEX statuses (engine/core's vocabulary, shared with engine/vex). */
export const VEX_STATUSES: readonly VexStatus[] = CORE_STATUSES;
export type VexStatusValue = VexStatus;

/** OpenVEX justifications (the vocabulary engine/vex normalizes CycloneDX and CSAF flags into). */
export const VEX_JUSTIFICATIONS: readonly string[] = CORE_JUSTIFICATIONS;

export const ISSUER_CLASSES: readonly string[] = VEX_ISSUER_CLASSES;

/** engine/vex's part for each statement of a consensus; `superseded` statements are left out of `vex.any`, `vex.count` and `requireVex`. */
export const VEX_ROLES = ['decisive', 'agreeing', 'conflicting', 'deferred', 'overridden', 'superseded'] as const;

export type Verdict = 'PASS' | 'WARN' | 'BLOCKED';

/** The status a rule (or an exception) gives a finding, and the verdict it counts as. */
export const POLICY_STATUSES = {
  blocked: { verdict: 'BLOCKED', doc: 'The finding blocks: the scan verdict is BLOCKED.' },
  warn: { verdict: 'WARN', doc: 'The finding is reported as a warning: the scan verdict is at least WARN.' },
  pass: { verdict: 'PASS', doc: 'The finding is accepted.' },
  ignored: { verdict: 'PASS', doc: 'Ignored until a date (`ignore until DATE`); the rule stops applying after that date.' },
  deferred: { verdict: 'PASS', doc: 'Remediation deferred until a date (`defer until DATE` or a `defer` exception).' },
  suppressed: { verdict: 'PASS', doc: 'Suppressed by an exception with an owner, a reason and an expiry.' },
} as const satisfies Record<string, { verdict: Verdict; doc: string }>;

export type PolicyStatus = keyof typeof POLICY_STATUSES;
export const POLICY_STATUS_NAMES = Object.keys(POLICY_STATUSES) as PolicyStatus[];

/** A field of the finding or its evidence that conditions read. */
export interface FieldSpec {
  path: string;
  type: ValueType;
  doc: string;
  /** The values a string field takes (a literal outside them is a lint error or warning, see `strict`). */
  values?: readonly string[];
  /** With `values`: is a literal outside them an error (true) or a warning (false)? */
  strict?: boolean;
  example: string;
}

export const FIELDS: readonly FieldSpec[] = [
  {
    path: 'severity.level',
    type: 'severity',
    values: SEVERITY_ORDER,
    strict: true,
    doc: 'Normalized severity band of the finding. Ordered: `unknown < none < low < medium < high < critical`, so `severity.level >= "high"` works; case-insensitive literals.',
    example: 'severity.level >= "high"',
  },
  { path: 'severity.score', type: 'number', doc: 'Normalized base score (CVSS 0–10). Missing when no source gave a score.', example: 'severity.score >= 9.0' },
  { path: 'advisory.id', type: 'string', doc: 'The vulnerability id of the finding (a CVE when one is known, else GHSA or the source id).', example: 'advisory.id == "CVE-2021-44228"' },
  { path: 'advisory.aliases', type: 'list', doc: 'Other ids of the same vulnerability (GHSA, distro ids…).', example: '"GHSA-jfh8-c2jp-5v3q" in advisory.aliases' },
  { path: 'advisory.kev', type: 'bool', doc: 'Listed in CISA\'s Known Exploited Vulnerabilities catalog (same as `advisory.has_tag("kev")`).', example: 'advisory.kev' },
  { path: 'advisory.sources', type: 'list', doc: 'Advisory sources whose records matched (`ghsa`, `osv`, `debian`, `alpine`, …).', example: 'advisory.sources in ["debian"]' },
  { path: 'epss', type: 'number', doc: 'EPSS probability of exploitation (0–1). Missing when no EPSS score is loaded.', example: 'epss >= 0.5' },
  { path: 'epss.percentile', type: 'number', doc: 'EPSS percentile (0–1). Missing when not loaded.', example: 'epss.percentile >= 0.9' },
  { path: 'fix.available', type: 'bool', doc: 'At least one fixed version is known.', example: 'fix.available' },
  { path: 'fix.versions', type: 'list', doc: 'Known fixed versions.', example: '"2.17.1" in fix.versions' },
  { path: 'component.purl', type: 'string', doc: 'Package URL of the component. Missing when the component has none.', example: 'component.purl == "pkg:npm/lodash@4.17.20"' },
  { path: 'component.name', type: 'string', doc: 'Package name as matched.', example: 'component.name == "openssl"' },
  { path: 'component.version', type: 'string', doc: 'Installed (or declared) version.', example: 'component.version == "1.1.1k"' },
  {
    path: 'component.ecosystem',
    type: 'string',
    doc: 'Ecosystem of the matching advisory record, family only (`npm`, `Maven`, `PyPI`, `Debian`, `Alpine`, …).',
    example: 'component.ecosystem in ["Debian", "Alpine", "Red Hat"]',
  },
  {
    path: 'component.type',
    type: 'string',
    values: ['application', 'framework', 'library', 'container', 'platform', 'operating-system', 'device', 'device-driver', 'firmware', 'file', 'machine-learning-model', 'data', 'cryptographic-asset'],
    strict: false,
    doc: 'CycloneDX component type. Missing when the SBOM is not in the store.',
    example: 'component.type == "library"',
  },
  {
    path: 'component.scope',
    type: 'string',
    values: ['required', 'optional', 'excluded'],
    strict: true,
    doc: 'CycloneDX scope; `required` when the SBOM says nothing (CycloneDX\'s default). Development dependencies are `optional`.',
    example: 'component.scope == "optional"',
  },
  { path: 'component.declared', type: 'bool', doc: 'Declared in a lockfile or manifest rather than seen installed.', example: 'component.declared' },
  { path: 'component.installed', type: 'bool', doc: 'Seen installed (the opposite of `component.declared`).', example: 'component.installed' },
  {
    path: 'vex.status',
    type: 'string',
    values: ['none', ...VEX_STATUSES],
    strict: true,
    doc: 'VEX consensus status for this component and vulnerability; `"none"` when no statement applies.',
    example: 'vex.status == "not_affected"',
  },
  {
    path: 'vex.justification',
    type: 'string',
    values: ['none', ...VEX_JUSTIFICATIONS],
    strict: false,
    doc: 'Justification of the consensus (OpenVEX vocabulary); `"none"` when there is none.',
    example: 'vex.justification in ["component_not_present", "vulnerable_code_not_present"]',
  },
  { path: 'vex.confidence', type: 'number', doc: 'Confidence of the consensus (0–1); 0 when no statement applies.', example: 'vex.confidence >= 0.8' },
  { path: 'vex.conflict', type: 'bool', doc: 'Comparable-trust issuers disagree (the consensus lists a conflict).', example: 'vex.conflict' },
  { path: 'vex.count', type: 'number', doc: 'Number of statements considered by the consensus (superseded ones excluded).', example: 'vex.count > 0' },
];

/** Fields of one VEX statement, usable only inside `vex.any(...)`. */
export const VEX_STATEMENT_FIELDS: readonly FieldSpec[] = [
  { path: 'status', type: 'string', values: VEX_STATUSES, strict: true, doc: 'The statement\'s normalized status.', example: 'vex.any(status == "not_affected")' },
  {
    path: 'justification',
    type: 'string',
    values: ['none', ...VEX_JUSTIFICATIONS],
    strict: false,
    doc: 'The statement\'s justification; `"none"` when it has none.',
    example: 'vex.any(justification == "component_not_present")',
  },
  { path: 'issuer', type: 'string', doc: 'Issuer name (author / publisher / vendor of the document).', example: 'vex.any(issuer == "Debian")' },
  { path: 'issuer_class', type: 'string', values: ISSUER_CLASSES, strict: false, doc: 'Issuer class: `vendor`, `distro`, `internal` or `community`.', example: 'vex.any(issuer_class == "distro")' },
  { path: 'tier', type: 'number', doc: 'Trust tier of the issuer (higher is more trusted), as configured in the VEX trust settings.', example: 'vex.any(tier >= 2)' },
  { path: 'weight', type: 'number', doc: 'Weight the statement carried in the consensus.', example: 'vex.any(weight >= 0.5)' },
  {
    path: 'role',
    type: 'string',
    values: VEX_ROLES.filter((r) => r !== 'superseded'),
    strict: true,
    doc: 'The statement\'s part in the consensus: `decisive`, `agreeing`, `conflicting`, `deferred` (under investigation, yielding), `overridden` (a lower trust tier). Superseded statements (an issuer\'s older ones) are never seen. Missing when the VEX source does not say.',
    example: 'vex.any(role == "decisive" and issuer_class == "distro")',
  },
];

/** `env.*`: values the host supplies per evaluation (e.g. `--env exposure=internet`). */
export const ENV_PREFIX = 'env.';
export const ENV_DOC = 'A value of the evaluation environment (`stella policy eval --env KEY=VALUE`): string, number or boolean. Missing when not supplied.';

export interface FunctionSpec {
  name: string;
  params: readonly { name: string; type: ValueType | 'predicate' }[];
  returns: ValueType;
  doc: string;
  example: string;
}

export const FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'vex.any',
    params: [{ name: 'predicate', type: 'predicate' }],
    returns: 'bool',
    doc: 'True when at least one contributing VEX statement satisfies the predicate. Inside the parentheses the statement fields `status`, `justification`, `issuer`, `issuer_class`, `tier` and `weight` are in scope.',
    example: 'vex.any(status == "not_affected" and issuer_class == "distro")',
  },
  {
    name: 'advisory.has_tag',
    params: [{ name: 'tag', type: 'string' }],
    returns: 'bool',
    doc: 'The finding\'s advisory carries the tag: `kev` (KEV-listed), `fix-available`, `epss` (an EPSS score is loaded) or an advisory source name (`ghsa`, `osv`, `debian`, …).',
    example: 'advisory.has_tag("kev")',
  },
  {
    name: 'sbom.has_tag',
    params: [{ name: 'tag', type: 'string' }],
    returns: 'bool',
    doc: 'The scanned SBOM carries the tag: its format (`format:cyclonedx-json`), `image` for container images, and every value of a `stella:tag` document property.',
    example: 'sbom.has_tag("image")',
  },
];

export type ActionKind = 'status' | 'ignore' | 'defer' | 'warn' | 'requireVex' | 'annotate' | 'escalate';

export interface ActionSpec {
  kind: ActionKind;
  syntax: string;
  doc: string;
}

export const ACTIONS: readonly ActionSpec[] = [
  { kind: 'status', syntax: 'status := "blocked" | "warn" | "pass" | "ignored" | "deferred" | "suppressed"', doc: 'Sets the finding\'s status.' },
  {
    kind: 'ignore',
    syntax: 'ignore until DATE',
    doc: 'Status `ignored` while the evaluation date is on or before DATE. After DATE the rule no longer applies and evaluation continues with the next rule.',
  },
  { kind: 'defer', syntax: 'defer until DATE', doc: 'Status `deferred` while the evaluation date is on or before DATE; afterwards the rule no longer applies.' },
  { kind: 'warn', syntax: 'warn [message "TEXT"]', doc: 'Status `warn`, with an optional message shown with the finding.' },
  {
    kind: 'requireVex',
    syntax: 'requireVex { statuses = [..]; issuer_class = [..]; issuers = [..]; justifications = [..]; min_weight = N; min_tier = N; otherwise = "blocked" }',
    doc: 'Accepts the finding (status `pass`) only when the VEX consensus status is one of `statuses` (default `not_affected`, `fixed`) and a contributing statement with that status meets every given constraint; otherwise the status is `otherwise` (default `blocked`).',
  },
  { kind: 'annotate', syntax: 'annotate KEY := VALUE', doc: 'Attaches KEY = VALUE (a literal or a field) to the decision; shown in the explain trace.' },
  { kind: 'escalate', syntax: 'escalate to "critical" | "high" | …', doc: 'Raises the finding\'s effective severity to the band (never lowers it). Simulation histograms use the effective severity.' },
];

export interface SettingSpec {
  key: string;
  type: 'string' | 'number';
  values?: readonly string[];
  doc: string;
  default: string;
}

export const SETTINGS: readonly SettingSpec[] = [
  { key: 'default_status', type: 'string', values: POLICY_STATUS_NAMES, doc: 'Status of a finding no rule matches.', default: '"pass"' },
  {
    key: 'unknowns_budget',
    type: 'number',
    doc: 'How many unknowns a scan may have (components without purl + ranges that could not be evaluated + findings with conflicting VEX) before `unknowns_action` applies to the scan verdict. Not gating when unset.',
    default: 'unset',
  },
  { key: 'unknowns_action', type: 'string', values: ['warn', 'blocked'], doc: 'The scan verdict when the unknowns budget is exceeded (at least WARN or BLOCKED).', default: '"blocked"' },
];

/** Fields of `requireVex { … }`. */
export const REQUIRE_VEX_FIELDS: readonly { key: string; type: 'list' | 'number' | 'string'; doc: string }[] = [
  { key: 'statuses', type: 'list', doc: 'Accepted consensus statuses (default `["not_affected", "fixed"]`).' },
  { key: 'issuer_class', type: 'list', doc: 'Accepted issuer classes (`vendor`, `distro`, `internal`, `community`).' },
  { key: 'issuers', type: 'list', doc: 'Accepted issuer names.' },
  { key: 'justifications', type: 'list', doc: 'Accepted justifications.' },
  { key: 'min_weight', type: 'number', doc: 'Smallest statement weight accepted.' },
  { key: 'min_tier', type: 'number', doc: 'Smallest issuer trust tier accepted.' },
  { key: 'otherwise', type: 'string', doc: 'Status when no statement qualifies (default `"blocked"`).' },
];

/** Rules without `priority N` get this priority (rules run lowest priority first, ties in file order). */
export const DEFAULT_PRIORITY = 100;

/** Everything an editor needs for completion and hover, in one object (highlighting: MONARCH_LANGUAGE). */
export const LANGUAGE = {
  syntaxId: SYNTAX_ID,
  keywords: KEYWORDS,
  reserved: RESERVED_WORDS,
  operators: OPERATORS,
  punctuation: PUNCTUATION,
  tokenKinds: TOKEN_KINDS,
  fields: FIELDS,
  vexStatementFields: VEX_STATEMENT_FIELDS,
  envPrefix: ENV_PREFIX,
  envDoc: ENV_DOC,
  functions: FUNCTIONS,
  actions: ACTIONS,
  settings: SETTINGS,
  requireVexFields: REQUIRE_VEX_FIELDS,
  statuses: POLICY_STATUSES,
  severities: SEVERITY_ORDER,
  defaultPriority: DEFAULT_PRIORITY,
} as const;

/** The documentation of a dotted name at a position (hover), or null. */
export function describeName(name: string, insideVexAny = false): { title: string; doc: string; example?: string } | null {
  if (insideVexAny) {
    const s = VEX_STATEMENT_FIELDS.find((f) => f.path === name);
    if (s) return { title: `${s.path}: ${s.type} (VEX statement field)`, doc: s.doc, example: s.example };
  }
  const f = FIELDS.find((x) => x.path === name);
  if (f) return { title: `${f.path}: ${f.type}`, doc: f.doc, example: f.example };
  const fn = FUNCTIONS.find((x) => x.name === name);
  if (fn) return { title: `${fn.name}(${fn.params.map((p) => `${p.name}: ${p.type}`).join(', ')}): ${fn.returns}`, doc: fn.doc, example: fn.example };
  if (name.startsWith(ENV_PREFIX) && name.length > ENV_PREFIX.length) return { title: `${name}: any`, doc: ENV_DOC };
  const a = ACTIONS.find((x) => x.kind === name);
  if (a) return { title: a.syntax, doc: a.doc };
  const s = SETTINGS.find((x) => x.key === name);
  if (s) return { title: `${s.key}: ${s.type} (default ${s.default})`, doc: s.doc };
  return null;
}

/**
 * A Monaco Monarch definition of the language, as plain data (Monaco's `IMonarchLanguage` shape):
 * the policy editor registers it as it is. Token classes: `keyword`, `predefined` (a built-in field or
 * function), `identifier`, `string`, `number`, `number.date`, `operator`, `comment`, `delimiter`.
 * A test tokenizes the shipped packs with it and with `tokenize` and compares the two.
 */
export const MONARCH_LANGUAGE = {
  defaultToken: 'invalid',
  keywords: [...KEYWORDS],
  builtins: [...FIELDS.map((f) => f.path), ...FUNCTIONS.map((f) => f.name)],
  tokenizer: {
    root: [
      [/#.*$/, 'comment'],
      [/\/\/.*$/, 'comment'],
      [/\/\*/, 'comment', '@comment'],
      [/"([^"\\]|\\.)*$/, 'string.invalid'],
      [/"/, 'string', '@string'],
      [/\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?(?![\w])/, 'number.date'],
      [/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, 'number'],
      [/[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*/, { cases: { '@builtins': 'predefined', '@keywords': 'keyword', '@default': 'identifier' } }],
      [/:=|==|!=|<=|>=|<|>|=/, 'operator'],
      [/[{}()[\]]/, '@brackets'],
      [/[,.;]/, 'delimiter'],
      [/\s+/, 'white'],
    ],
    comment: [
      [/[^*]+/, 'comment'],
      [/\*\//, 'comment', '@pop'],
      [/\*/, 'comment'],
    ],
    string: [
      [/[^\\"]+/, 'string'],
      [/\\./, 'string.escape'],
      [/"/, 'string', '@pop'],
    ],
  },
} as const;
