/**
 * What the evaluator reads: one `PolicyFindingInput` per finding (the engine/core Finding plus the
 * component's SBOM facts, the SBOM's tags and the VEX consensus) and the scan-level unknowns.
 *
 * VEX comes through `VexLookup`, the seam with engine/vex: the jobs default to `storedVexLookup(store)`
 * (vex-lookup.ts: engine/vex's batch consensus over the stored VEX); `NO_VEX_LOOKUP` gives every finding
 * `vex: null` (`vex.status == "none"`), for fixtures and for evaluating without VEX on purpose.
 */
import type { Finding, Inventory, SeverityLevel, VexStatus } from '../core';
import type { ScanResult } from '../match';

/**
 * What the evaluator reads of one statement. engine/core's `VexContribution` (what engine/vex's
 * consensus lists) is assignable to it, as `VexConsensus` is to `PolicyVexConsensus`: the integration
 * step passes engine/vex's results through unchanged (a type test keeps it so).
 */
export interface PolicyVexStatement {
  issuer: string;
  /** `vendor` | `distro` | `internal` | `community` (engine/vex's trust settings decide). */
  issuerClass: string;
  /** Trust tier of the issuer, higher is more trusted. */
  tier: number;
  /** Weight the statement carried in the consensus. */
  weight: number;
  status: VexStatus;
  justification?: string;
  /** engine/vex's part for it: `decisive`, `agreeing`, `conflicting`, `deferred`, `overridden`, `superseded` (left out). */
  role?: string;
  statementId?: string;
  /** The raw VEX document it comes from, for the evidence chain. */
  raw?: { digest: string; uri?: string };
}

export interface PolicyVexConflict {
  statuses: readonly VexStatus[];
  tier?: number;
  statements?: readonly { issuer: string; status: VexStatus }[];
  issuers?: readonly string[];
}

/** The VEX consensus for one (component, vulnerability); `null` or status `none` when no statement applies. */
export interface PolicyVexConsensus {
  status: VexStatus | 'none';
  justification?: string;
  confidence: number;
  statements: readonly PolicyVexStatement[];
  conflicts: readonly PolicyVexConflict[];
  digest?: string;
}

/** Statements a policy sees: an issuer's superseded (older) statements are history, not evidence. */
export function isCurrentStatement(s: PolicyVexStatement): boolean {
  return s.role !== 'superseded';
}

export interface PolicyComponentInput {
  ref: string;
  purl?: string;
  name: string;
  version: string;
  /** Ecosystem family of the matching advisory record (`Maven`, `Debian`, …), release dropped. */
  ecosystem: string;
  /** CycloneDX scope; `required` when the SBOM gives none (CycloneDX's default). */
  scope: 'required' | 'optional' | 'excluded';
  declared: boolean;
  type?: string;
}

export interface PolicyEvidenceLink {
  advisoryId: string;
  source: string;
  rawDigest: string;
  uri: string;
  observationId?: string;
}

export interface PolicyFindingInput {
  id: string;
  vulnerabilityId: string;
  aliases: readonly string[];
  severity: { level: SeverityLevel; score: number | null };
  kev: boolean;
  epss?: { score: number; percentile?: number };
  fixedVersions: readonly string[];
  /** Advisory sources of the evidence, and any further tags (`advisory.has_tag`). */
  advisory: { sources: readonly string[]; tags: readonly string[] };
  component: PolicyComponentInput;
  /** Shared by every finding of one scan. */
  sbom: { tags: readonly string[] };
  vex: PolicyVexConsensus | null;
  evidence: readonly PolicyEvidenceLink[];
}

export interface PolicyUnknowns {
  /** Components of the scanned SBOM without a purl (null when the SBOM is not available). */
  componentsWithoutPurl: number | null;
  /** Advisory ranges the matcher could not evaluate (GIT ranges, unparsable versions). */
  unresolvableRanges: number;
}

export interface PolicyScanInput {
  scan: { id: string | null; subject: string; sbomId?: string; snapshot?: string };
  unknowns: PolicyUnknowns;
  findings: PolicyFindingInput[];
}

export interface VexLookupKey {
  componentRef: string;
  purl?: string;
  vulnerabilityId: string;
  aliases: readonly string[];
}

/**
 * The integration seam with engine/vex: the consensus for many (component, vulnerability) keys at once
 * (a scan has up to 100,000 findings), `null` where no statement applies.
 */
export interface VexLookup {
  readonly name: string;
  /** The VEX set the lookup answers from (engine/vex's `vexSetDigest`), when it has one: equal digests, equal answers. */
  readonly setDigest?: string;
  consensus(keys: readonly VexLookupKey[]): Promise<(PolicyVexConsensus | null)[]> | (PolicyVexConsensus | null)[];
}

/** No VEX at all (`vex.status == "none"` everywhere). */
export const NO_VEX_LOOKUP: VexLookup = {
  name: 'none',
  consensus: (keys) => keys.map(() => null),
};

/** Tags of an SBOM for `sbom.has_tag`: its format, `image` for container images, and `stella:tag` property values. */
export function sbomTagsOf(inventory: Inventory | undefined): string[] {
  if (!inventory) return [];
  const tags = new Set<string>([`format:${inventory.document.format}`]);
  if (inventory.subject?.type === 'container') tags.add('image');
  if (inventory.os) tags.add(`os:${inventory.os.id}`);
  for (const p of inventory.document.properties) if (p.name === 'stella:tag' && p.value.trim()) tags.add(p.value.trim());
  for (const p of inventory.subject?.properties ?? []) if (p.name === 'stella:tag' && p.value.trim()) tags.add(p.value.trim());
  return [...tags].sort();
}

/** `Debian:11` → `Debian`; `npm` → `npm`. */
export function ecosystemFamily(ecosystem: string): string {
  const i = ecosystem.indexOf(':');
  return i < 0 ? ecosystem : ecosystem.slice(0, i);
}

const SCOPES = new Set(['required', 'optional', 'excluded']);

/** The evaluator's view of a Finding; `component` facts come from the SBOM when it is known. */
export function findingInput(f: Finding, opts: { component?: Inventory['components'][number]; sbomTags: readonly string[]; vex: PolicyVexConsensus | null }): PolicyFindingInput {
  const c = opts.component;
  const sources = [...new Set(f.evidence.map((e) => e.rawDocument.source))].sort();
  return {
    id: f.id,
    vulnerabilityId: f.vulnerabilityId,
    aliases: f.aliases,
    severity: { level: f.severity.level, score: f.severity.score },
    kev: f.kev,
    ...(f.epss ? { epss: f.epss } : {}),
    fixedVersions: f.fixedVersions,
    advisory: { sources, tags: [] },
    component: {
      ref: f.componentRef,
      ...(f.purl ? { purl: f.purl } : {}),
      name: f.packageName,
      version: f.installedVersion,
      ecosystem: ecosystemFamily(f.ecosystem),
      scope: c?.scope && SCOPES.has(c.scope) ? c.scope : 'required',
      declared: c?.declared === true,
      ...(c?.type ? { type: c.type } : {}),
    },
    sbom: { tags: opts.sbomTags },
    vex: opts.vex,
    evidence: f.evidence.map((e) => ({ advisoryId: e.advisoryId, source: e.rawDocument.source, rawDigest: e.rawDocument.digest, uri: e.rawDocument.uri, observationId: e.observationId })),
  };
}

/**
 * The scan-level input for a scan result: findings with component facts from the scanned SBOM (when
 * given), the SBOM's tags, VEX from the lookup, and the unknowns the budget counts.
 */
/** The parts of a scan result evaluation reads; `id` is null for a scan that is not stored. */
export interface ScanLike {
  id: string | null;
  subject: string;
  sbomId?: string;
  snapshot?: string;
  findings: Finding[];
  summary: Pick<ScanResult['summary'], 'skippedRangeCount'>;
}

export async function scanInput(scan: ScanLike, inventory: Inventory | undefined, vex: VexLookup): Promise<PolicyScanInput> {
  const byRef = new Map((inventory?.components ?? []).map((c) => [c.ref, c]));
  const sbomTags = sbomTagsOf(inventory);
  const consensus = await vex.consensus(scan.findings.map((f) => ({ componentRef: f.componentRef, ...(f.purl ? { purl: f.purl } : {}), vulnerabilityId: f.vulnerabilityId, aliases: f.aliases })));
  return {
    scan: { id: scan.id, subject: scan.subject, ...(scan.sbomId ? { sbomId: scan.sbomId } : {}), ...(scan.snapshot ? { snapshot: scan.snapshot } : {}) },
    unknowns: {
      componentsWithoutPurl: inventory ? inventory.components.filter((c) => !c.purl).length : null,
      unresolvableRanges: scan.summary.skippedRangeCount,
    },
    findings: scan.findings.map((f, i) => findingInput(f, { component: byRef.get(f.componentRef), sbomTags, vex: consensus[i] ?? null })),
  };
}
