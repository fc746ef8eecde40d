/**
 * Policy packs: `pack.yaml` (name, version, description), one or more `.stella` files, an optional
 * `exceptions.yaml`, and `fixtures/` (inputs with expected verdicts). A pack is a directory, a
 * `.tar.gz`, or one of the packs shipped with the app (`builtin:default`, `builtin:kev-blocking`,
 * `builtin:distro-vex`). Problems in any of its files are diagnostics with file:line:column, the same
 * as lint problems in the policies; only an unreadable pack throws.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { DEFAULT_LIMITS, digestJson, type Digest } from '../core';
import { compilePolicySources, byPosition, type CompileResult, type PolicySource } from './compile';
import { PolicyError } from './errors';
import type { PolicyException } from './evaluate';
import type { PolicyIr } from './ir';
import { POLICY_STATUS_NAMES, SEVERITY_ORDER, VEX_STATUSES, type PolicyStatus, type Verdict } from './language';
import type { PolicyFindingInput, PolicyScanInput, PolicyVexConsensus } from './input';
import { parseIsoDate, type Diagnostic } from './syntax';
import { DEFAULT_PACK_LIMITS, embeddedPackFiles, isArchivePath, packFilesFromTexts, readPackArchive, readPackDirectory, type PackFiles, type PackLimits, type PackOrigin } from './_internal/pack-files';
import { EMBEDDED_PACKS } from './packs/embedded';

export type { PackOrigin, PackLimits, PackFiles } from './_internal/pack-files';
export { packFilesFromTexts };

export interface PackManifest {
  name: string;
  version: string;
  description: string;
}

export interface FixtureExpectation {
  status?: PolicyStatus;
  /** Expected deciding rule; null = no rule matched. */
  rule?: string | null;
  verdict?: Verdict;
}

export interface PackFixture {
  file: string;
  name: string;
  description?: string;
  evaluationDate: string;
  env: Record<string, string | number | boolean>;
  scan: PolicyScanInput;
  expect: { verdict?: Verdict; findings: Record<string, FixtureExpectation> };
}

export interface LoadedPack {
  origin: PackOrigin;
  /** `directory:/abs/path`, `archive:/abs/x.tar.gz` or `builtin:default`. */
  source: string;
  manifest: PackManifest | null;
  sources: PolicySource[];
  exceptions: PolicyException[];
  fixtures: PackFixture[];
  compiled: CompileResult;
  /** Every problem: pack.yaml, exceptions, fixtures and policies, sorted by file and position. */
  diagnostics: Diagnostic[];
  /** Null when there are errors. */
  ir: PolicyIr | null;
  /** Digest of the canonical IR and the exceptions (what decides verdicts); null when there are errors. */
  digest: Digest | null;
}

/** A pack whose policies compiled: what evaluation needs. */
export interface UsablePack extends LoadedPack {
  manifest: PackManifest;
  ir: PolicyIr;
  digest: Digest;
}

/** The names of the packs shipped with the app. */
export function builtinPackNames(): string[] {
  return Object.keys(EMBEDDED_PACKS).sort();
}

export const DEFAULT_PACK = 'builtin:default';

/**
 * Load a pack from a reference: `builtin:NAME`, a directory, a `.tar.gz`; a bare built-in name
 * (`default`) when no file of that name exists relative to `cwd`.
 */
export async function loadPack(ref: string, opts: { cwd?: string; limits?: PackLimits } = {}): Promise<LoadedPack> {
  return packFromFiles(await readPackRef(ref, opts));
}

export async function readPackRef(ref: string, opts: { cwd?: string; limits?: PackLimits } = {}): Promise<PackFiles> {
  const limits = opts.limits ?? DEFAULT_PACK_LIMITS;
  const builtin = ref.startsWith('builtin:') ? ref.slice('builtin:'.length) : null;
  const path = resolve(opts.cwd ?? process.cwd(), ref);
  const name = builtin ?? (!existsSync(path) && ref in EMBEDDED_PACKS ? ref : null);
  if (name !== null) {
    const files = EMBEDDED_PACKS[name];
    if (!files) throw new PolicyError('pack-unreadable', `no built-in pack ${name}: built-in packs are ${builtinPackNames().join(', ')}`, { details: { path: 'pack', expected: builtinPackNames().map((n) => `builtin:${n}`).join(' | ') } });
    return embeddedPackFiles(name, files);
  }
  if (!existsSync(path)) {
    throw new PolicyError('pack-unreadable', `${ref}: no such pack (a directory, a .tar.gz, or builtin:${builtinPackNames().join(' | builtin:')})`, { details: { file: path, expected: 'a pack directory or .tar.gz' } });
  }
  if (statSync(path).isDirectory()) return readPackDirectory(path, limits);
  if (isArchivePath(path)) return readPackArchive(path, limits);
  throw new PolicyError('pack-unreadable', `${ref}: not a pack (expected a directory with pack.yaml, or a .tar.gz of one)`, { details: { file: path, expected: 'a pack directory or .tar.gz' } });
}

function originText(o: PackOrigin): string {
  switch (o.kind) {
    case 'builtin':
      return `builtin:${o.name}`;
    case 'directory':
      return `directory:${o.path}`;
    case 'archive':
      return `archive:${o.path}`;
    case 'files':
      return `files:${o.label}`;
    case 'stored':
      return `stored:${o.name}@${o.version}`;
  }
}

/** Parse and compile a pack's files. Never throws for content problems: they are diagnostics. */
export function packFromFiles(pf: PackFiles): LoadedPack {
  const diagnostics: Diagnostic[] = [];
  for (const s of pf.skipped) diagnostics.push(problem(s.path, 1, 1, 'warning', 'skipped', `${s.path}: ${s.reason}`));
  const manifest = readManifest(pf.files, diagnostics);
  const sources: PolicySource[] = [...pf.files].filter(([p]) => p.endsWith('.stella') && !p.startsWith('fixtures/')).map(([path, text]) => ({ path, text }));
  const exceptions = readExceptions(pf.files, diagnostics);
  const compiled = compilePolicySources(sources, { name: manifest?.name ?? 'unnamed', version: manifest?.version ?? '0' });
  diagnostics.push(...compiled.diagnostics);
  const ruleNames = new Set(compiled.ir?.rules.map((r) => r.name) ?? []);
  const fixtures = readFixtures(pf.files, diagnostics, ruleNames, compiled.ir !== null);
  diagnostics.sort(byPosition);
  const ok = manifest !== null && compiled.ir !== null && !diagnostics.some((d) => d.severity === 'error');
  const ir = ok ? compiled.ir : null;
  return {
    origin: pf.origin,
    source: originText(pf.origin),
    manifest,
    sources,
    exceptions,
    fixtures,
    compiled,
    diagnostics,
    ir,
    digest: ir ? packDigest(ir, exceptions) : null,
  };
}

export function packDigest(ir: PolicyIr, exceptions: readonly PolicyException[]): Digest {
  return digestJson({ ir, exceptions: [...exceptions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) });
}

/** The pack, or a `policy-errors` error listing its errors as `file:line:col: message`. */
export function requireUsable(pack: LoadedPack): UsablePack {
  if (pack.ir && pack.manifest && pack.digest) return pack as UsablePack;
  const errors = pack.diagnostics.filter((d) => d.severity === 'error');
  throw new PolicyError('policy-errors', `pack ${pack.source} has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${errors.map(formatDiagnostic).join('\n')}`, {
    details: { file: pack.source, diagnostics: errors },
  });
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}

function problem(file: string, line: number, column: number, severity: Diagnostic['severity'], code: string, message: string): Diagnostic {
  return { file, line, column, endLine: line, endColumn: column, severity, code, message };
}

// ---- YAML with positions -----------------------------------------------------------------------

interface Yaml {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

function parseYaml(file: string, text: string, out: Diagnostic[]): Yaml | null {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const pos = lines.linePos(e.pos[0]);
      out.push(problem(file, pos.line, pos.col, 'error', 'yaml', `not valid YAML: ${e.message.split('\n')[0]}`));
    }
    return null;
  }
  return { file, doc, lines };
}

/** A zod issue as a diagnostic at the YAML node it is about. */
function issueAt(y: Yaml, issue: z.core.$ZodIssue, prefix: readonly (string | number)[] = []): Diagnostic {
  const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
  let node: unknown;
  for (let n = path.length; n >= 0 && !node; n--) node = n === 0 ? y.doc.contents : y.doc.getIn(path.slice(0, n), true);
  const range = (node as { range?: [number, number, number] } | undefined)?.range;
  const pos = range ? y.lines.linePos(range[0]) : { line: 1, col: 1 };
  const where = path.length ? path.join('.') : '(document)';
  return problem(y.file, pos.line, pos.col, 'error', 'schema', `${where}: ${issue.message}`);
}

function validate<T>(y: Yaml, schema: z.ZodType<T>, out: Diagnostic[]): T | null {
  let data: unknown;
  try {
    data = y.doc.toJS({ maxAliasCount: DEFAULT_LIMITS.maxYamlAliases });
  } catch (e) {
    out.push(problem(y.file, 1, 1, 'error', 'yaml', `cannot read the YAML: ${(e as Error).message}`));
    return null;
  }
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  for (const issue of r.error.issues) out.push(issueAt(y, issue));
  return null;
}

// ---- pack.yaml ---------------------------------------------------------------------------------

const manifestSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a pack name of letters, digits, ".", "_" and "-"'),
    version: z.string({ error: 'expected a version string (quote numbers: version: "1.0")' }).min(1),
    description: z.string(),
    owner: z.string().optional(),
    license: z.string().optional(),
  })
  .strict();

function readManifest(files: Map<string, string>, out: Diagnostic[]): PackManifest | null {
  const text = files.get('pack.yaml');
  if (text === undefined) {
    out.push(problem('pack.yaml', 1, 1, 'error', 'no-manifest', 'the pack has no pack.yaml: expected name, version and description'));
    return null;
  }
  const y = parseYaml('pack.yaml', text, out);
  if (!y) return null;
  const m = validate(y, manifestSchema, out);
  return m ? { name: m.name, version: m.version, description: m.description } : null;
}

// ---- exceptions.yaml ---------------------------------------------------------------------------

const isoDate = z.string().refine((s) => parseIsoDate(s) !== null, 'expected an ISO date (YYYY-MM-DD) that exists on the calendar');

const exceptionSchema = z
  .object({
    id: z.string().min(1),
    kind: z.enum(['suppress', 'defer', 'downgrade']),
    owner: z.string().min(1, 'every exception names its owner'),
    reason: z.string().min(1, 'every exception gives a reason'),
    expires: isoDate,
    match: z
      .object({ vulnerability: z.string().min(1).optional(), purl: z.string().min(1).optional(), rule: z.string().min(1).optional() })
      .strict()
      .refine((m) => m.vulnerability !== undefined || m.purl !== undefined, 'an exception matches a vulnerability, a purl, or both'),
    to: z.enum(['warn', 'pass']).optional(),
  })
  .strict()
  .refine((e) => e.to === undefined || e.kind === 'downgrade', { message: '"to" is only for downgrade exceptions', path: ['to'] });

const exceptionsFileSchema = z.object({ exceptions: z.array(exceptionSchema) }).strict();

function readExceptions(files: Map<string, string>, out: Diagnostic[]): PolicyException[] {
  const text = files.get('exceptions.yaml');
  if (text === undefined) return [];
  const y = parseYaml('exceptions.yaml', text, out);
  if (!y) return [];
  const v = validate(y, exceptionsFileSchema, out);
  if (!v) return [];
  const seen = new Set<string>();
  const result: PolicyException[] = [];
  v.exceptions.forEach((e, i) => {
    if (seen.has(e.id)) {
      out.push(issueAt(y, { code: 'custom', message: `duplicate exception id ${e.id}`, path: ['exceptions', i, 'id'], input: e.id }));
      return;
    }
    seen.add(e.id);
    result.push({
      id: e.id,
      kind: e.kind,
      owner: e.owner,
      reason: e.reason,
      expires: e.expires,
      match: { ...(e.match.vulnerability ? { vulnerability: e.match.vulnerability } : {}), ...(e.match.purl ? { purl: e.match.purl } : {}), ...(e.match.rule ? { rule: e.match.rule } : {}) },
      ...(e.to ? { to: e.to } : {}),
    });
  });
  return result;
}

// ---- fixtures ----------------------------------------------------------------------------------

const vexStatus = z.enum(VEX_STATUSES);
const statementSchema = z
  .object({
    issuer: z.string(),
    issuerClass: z.string(),
    tier: z.number().default(1),
    weight: z.number().default(1),
    status: vexStatus,
    justification: z.string().optional(),
    role: z.enum(['decisive', 'agreeing', 'conflicting', 'deferred', 'overridden', 'superseded']).optional(),
    statementId: z.string().optional(),
    raw: z.object({ digest: z.string(), uri: z.string().optional() }).strict().optional(),
  })
  .strict();

const vexSchema = z
  .object({
    status: vexStatus,
    justification: z.string().optional(),
    confidence: z.number().min(0).max(1).default(1),
    statements: z.array(statementSchema).default([]),
    conflicts: z
      .array(
        z
          .object({
            statuses: z.array(vexStatus),
            tier: z.number().optional(),
            issuers: z.array(z.string()).optional(),
            statements: z.array(z.object({ issuer: z.string(), status: vexStatus }).passthrough()).optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

const severityLevel = z.enum(SEVERITY_ORDER);

const fixtureFindingSchema = z
  .object({
    id: z.string().min(1),
    vulnerability: z.string().min(1),
    aliases: z.array(z.string()).default([]),
    purl: z.string().optional(),
    name: z.string().optional(),
    version: z.string().optional(),
    ecosystem: z.string().optional(),
    scope: z.enum(['required', 'optional', 'excluded']).default('required'),
    declared: z.boolean().default(false),
    type: z.string().optional(),
    severity: z.union([severityLevel, z.object({ level: severityLevel, score: z.number().nullable().default(null) }).strict()]).default('unknown'),
    kev: z.boolean().default(false),
    epss: z.union([z.number(), z.object({ score: z.number(), percentile: z.number().optional() }).strict()]).optional(),
    fixedVersions: z.array(z.string()).default([]),
    sources: z.array(z.string()).default([]),
    tags: z.array(z.string()).default([]),
    vex: vexSchema.nullable().default(null),
  })
  .strict();

const expectationSchema = z.union([
  z.enum(POLICY_STATUS_NAMES as [PolicyStatus, ...PolicyStatus[]]),
  z
    .object({
      status: z.enum(POLICY_STATUS_NAMES as [PolicyStatus, ...PolicyStatus[]]).optional(),
      rule: z.string().nullable().optional(),
      verdict: z.enum(['PASS', 'WARN', 'BLOCKED']).optional(),
    })
    .strict(),
]);

const fixtureSchema = z
  .object({
    name: z.string().optional(),
    description: z.string().optional(),
    evaluationDate: isoDate,
    env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    sbom: z.object({ tags: z.array(z.string()).default([]) }).strict().default({ tags: [] }),
    unknowns: z.object({ componentsWithoutPurl: z.number().int().min(0).nullable().default(0), unresolvableRanges: z.number().int().min(0).default(0) }).strict().default({ componentsWithoutPurl: 0, unresolvableRanges: 0 }),
    findings: z.array(fixtureFindingSchema),
    expect: z
      .object({
        verdict: z.enum(['PASS', 'WARN', 'BLOCKED']).optional(),
        findings: z.record(z.string(), expectationSchema).default({}),
      })
      .strict(),
  })
  .strict();

type FixtureFinding = z.output<typeof fixtureFindingSchema>;

/** `pkg:maven/org.x/y@1.2?q` → name `y`, version `1.2`, type `maven`. */
function purlParts(purl: string): { type?: string; name?: string; version?: string } {
  const m = /^pkg:([^/]+)\/(?:.*\/)?([^/@?#]+)(?:@([^?#]+))?/.exec(purl);
  if (!m) return {};
  const dec = (s: string | undefined) => (s === undefined ? undefined : decodeURIComponent(s));
  return { type: m[1], name: dec(m[2]), version: dec(m[3]) };
}

export function fixtureFinding(f: FixtureFinding, sbomTags: readonly string[]): PolicyFindingInput {
  const parts = f.purl ? purlParts(f.purl) : {};
  const severity = typeof f.severity === 'string' ? { level: f.severity, score: null } : f.severity;
  const epss = typeof f.epss === 'number' ? { score: f.epss } : f.epss;
  const vex: PolicyVexConsensus | null = f.vex
    ? {
        status: f.vex.status,
        ...(f.vex.justification ? { justification: f.vex.justification } : {}),
        confidence: f.vex.confidence,
        statements: f.vex.statements.map((s) => ({ ...s })),
        conflicts: f.vex.conflicts.map((c) => ({ ...c })),
      }
    : null;
  return {
    id: f.id,
    vulnerabilityId: f.vulnerability,
    aliases: f.aliases,
    severity,
    kev: f.kev,
    ...(epss ? { epss } : {}),
    fixedVersions: f.fixedVersions,
    advisory: { sources: [...f.sources].sort(), tags: f.tags },
    component: {
      ref: f.purl ?? f.id,
      ...(f.purl ? { purl: f.purl } : {}),
      name: f.name ?? parts.name ?? f.id,
      version: f.version ?? parts.version ?? '',
      ecosystem: f.ecosystem ?? parts.type ?? 'unknown',
      scope: f.scope,
      declared: f.declared,
      ...(f.type ? { type: f.type } : {}),
    },
    sbom: { tags: sbomTags },
    vex,
    evidence: [],
  };
}

function readFixtures(files: Map<string, string>, out: Diagnostic[], ruleNames: ReadonlySet<string>, checkRules: boolean): PackFixture[] {
  const fixtures: PackFixture[] = [];
  for (const [file, text] of files) {
    if (!file.startsWith('fixtures/')) continue;
    const y = parseYaml(file, text, out);
    if (!y) continue;
    const v = validate(y, fixtureSchema, out);
    if (!v) continue;
    const ids = new Set<string>();
    let ok = true;
    v.findings.forEach((f, i) => {
      if (ids.has(f.id)) {
        out.push(issueAt(y, { code: 'custom', message: `duplicate finding id ${f.id}`, path: ['findings', i, 'id'], input: f.id }));
        ok = false;
      }
      ids.add(f.id);
    });
    for (const [id, e] of Object.entries(v.expect.findings)) {
      if (!ids.has(id)) {
        out.push(issueAt(y, { code: 'custom', message: `expectation for ${id}, which is not a finding of this fixture`, path: ['expect', 'findings', id], input: id }));
        ok = false;
      }
      const rule = typeof e === 'string' ? undefined : e.rule;
      if (checkRules && typeof rule === 'string' && !ruleNames.has(rule)) {
        out.push(issueAt(y, { code: 'custom', message: `expects rule ${rule}, which the pack does not have`, path: ['expect', 'findings', id, 'rule'], input: rule }));
        ok = false;
      }
    }
    if (!ok) continue;
    const sbomTags = [...v.sbom.tags].sort();
    fixtures.push({
      file,
      name: v.name ?? file.replace(/^fixtures\//, '').replace(/\.(ya?ml|json)$/, ''),
      ...(v.description ? { description: v.description } : {}),
      evaluationDate: v.evaluationDate,
      env: v.env,
      scan: { scan: { id: null, subject: file }, unknowns: v.unknowns, findings: v.findings.map((f) => fixtureFinding(f, sbomTags)) },
      expect: {
        ...(v.expect.verdict ? { verdict: v.expect.verdict } : {}),
        findings: Object.fromEntries(Object.entries(v.expect.findings).map(([id, e]) => [id, typeof e === 'string' ? { status: e } : stripUndefined(e)])),
      },
    });
  }
  return fixtures;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
