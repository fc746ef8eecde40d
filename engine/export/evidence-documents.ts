/**
 * The evidence of one scan as bundle members: SBOM (CycloneDX 1.6 JSON and SPDX 2.3 JSON, exported from
 * the inventory as stored), findings (JSON with each finding's VEX decision and policy status, and SARIF
 * 2.1.0), the VEX statements that apply with their consensus, the policy pack snapshot with the verdict
 * and explain traces, and the replay manifest. Pure functions of `ScanEvidence`: pretty JSON with a
 * trailing newline (canonical JSON for the replay manifest, which is hashed), collections in a fixed order.
 */
import type { Finding, VexConsensus } from '../core';
import { toSarif } from '../match/sarif';
import { exportInventory } from '../sbom/export';
import { PREDICATE_TYPES, type VerdictPredicate } from '../attest';
import { manifestBytes } from '../replay';
import type { EvidenceFile } from './evidence-bundle';
import type { ScanEvidence } from './evidence-model';

export const EVIDENCE_PATHS = {
  report: 'report.html',
  sbomCycloneDx: 'sbom/sbom.cdx.json',
  sbomSpdx: 'sbom/sbom.spdx.json',
  findings: 'findings/findings.json',
  sarif: 'findings/findings.sarif.json',
  vexStatements: 'vex/statements.json',
  vexConsensus: 'vex/consensus.json',
  pack: 'policy/pack.json',
  verdict: 'policy/verdict.json',
  explain: 'policy/explain.json',
  replay: 'replay/replay-manifest.json',
  trustedRoot: 'trust/trusted_root.json',
} as const;

/** The attestations a bundle carries, one Sigstore bundle file each. */
export const ATTESTATION_KINDS = ['sbom', 'vulns', 'vex', 'verdict', 'vsa'] as const;
export type AttestationKind = (typeof ATTESTATION_KINDS)[number];

export function attestationPath(kind: AttestationKind): string {
  return `attestations/${kind}.sigstore.json`;
}

export const SIGSTORE_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

/**
 * A JSON member: compact, one line and a newline. Bundles of big scans carry hundreds of MB of JSON;
 * indentation would add half again to it (report.html is the page for people).
 */
export function jsonBytes(v: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(v)}\n`, 'utf8');
}

/** The VEX decision of a finding as the findings table shows it. */
export function vexDecision(c: VexConsensus | null): { status: string; justification: string | null; confidence: number; statements: number; conflicts: number } | null {
  if (!c || c.status === 'none') return null;
  return { status: c.status, justification: c.justification ?? null, confidence: c.confidence, statements: c.statements.length, conflicts: c.conflicts.length };
}

/** findings.json: the scan with, per finding, its VEX decision and policy status. */
export function findingsDocument(e: ScanEvidence): Record<string, unknown> {
  const decisions = new Map(e.policy.evaluation.findings.map((d) => [d.findingId, d]));
  return {
    scanId: e.scan.id,
    subject: e.scan.subject,
    sbomId: e.scan.sbomId ?? null,
    snapshot: e.scan.snapshot,
    createdAt: e.scan.createdAt,
    verdict: e.policy.evaluation.verdict,
    pack: e.policy.evaluation.pack,
    findings: e.scan.findings.map((f: Finding, i) => {
      const d = decisions.get(f.id);
      return {
        ...f,
        vex: vexDecision(e.vex.byFinding[i] ?? null),
        policy: d ? { status: d.status, rule: d.rule, because: d.because } : null,
      };
    }),
    summary: e.scan.summary,
  };
}

/** vex/consensus.json: the consensus of every finding some statement applies to. */
export function consensusDocument(e: ScanEvidence): Record<string, unknown>[] {
  return e.scan.findings.flatMap((f, i) => {
    const c = e.vex.byFinding[i];
    return c && c.statements.length ? [{ findingId: f.id, vulnerabilityId: f.vulnerabilityId, componentRef: f.componentRef, purl: f.purl ?? null, consensus: c }] : [];
  });
}

/** policy/pack.json: the pack as evaluated — manifest, policy sources, exceptions, compiled IR and its digest. */
export function packDocument(e: ScanEvidence): Record<string, unknown> {
  const p = e.policy.pack;
  return {
    name: p.manifest.name,
    version: p.manifest.version,
    digest: p.digest,
    source: p.source,
    manifest: p.manifest,
    sources: [...p.sources].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    exceptions: p.exceptions,
    ir: p.ir,
  };
}

/**
 * The OpenVEX 0.2.0 predicate of the VEX attestation: the workstation's consensus decision for each
 * (vulnerability, product) of the scan that has one, authored by the workstation; the statements behind
 * each decision travel in vex/statements.json and vex/consensus.json.
 */
export function vexPredicate(e: ScanEvidence, author: string): Record<string, unknown> {
  const statements = e.scan.findings
    .flatMap((f, i) => {
      const c = e.vex.byFinding[i];
      if (!c || c.status === 'none') return [];
      const product = f.purl ?? f.componentRef;
      return [
        {
          vulnerability: { name: f.vulnerabilityId, ...(f.aliases.length ? { aliases: f.aliases } : {}) },
          products: [{ '@id': product }],
          status: c.status,
          ...(c.status === 'not_affected' ? (c.justification ? { justification: c.justification } : { impact_statement: `decided by the workstation's VEX consensus (${c.statements.length} statement(s))` }) : {}),
          ...(c.status === 'affected' ? { action_statement: 'see the findings of the scan' } : {}),
          timestamp: e.scan.createdAt,
        },
      ];
    })
    .sort((a, b) => (a.vulnerability.name < b.vulnerability.name ? -1 : a.vulnerability.name > b.vulnerability.name ? 1 : a.products[0]!['@id'] < b.products[0]!['@id'] ? -1 : 1));
  return {
    '@context': PREDICATE_TYPES.openvex,
    '@id': `https://stella.invalid/vex/scan/${e.scan.id}`,
    author,
    timestamp: e.scan.createdAt,
    version: 1,
    statements,
  };
}

/**
 * The verdict predicate (engine/attest's documented shape): the decision, the decisions of every finding
 * the policy did not pass, and as `explain` the traces of the blocking findings — the ones that fail the
 * gate — with the digest of policy/explain.json, which holds the traces of every finding not passed (a
 * scan of 100,000 findings would otherwise sign hundreds of MB into one statement).
 */
export function verdictPredicate(e: ScanEvidence, explainFile: { path: string; digest: string }): VerdictPredicate {
  const ev = e.policy.evaluation;
  const blocking = new Set(ev.findings.filter((d) => d.verdict === 'BLOCKED').map((d) => d.findingId));
  return {
    policy: { name: ev.pack.name, version: ev.pack.version, digest: ev.pack.digest },
    verdict: ev.verdict,
    decision: ev.verdict === 'BLOCKED' ? 'fail' : 'pass',
    evaluatedAt: `${ev.evaluationDate}T00:00:00Z`,
    resourceUri: e.scan.subject,
    snapshot: { id: e.snapshot.id ?? e.scan.snapshot, ...(e.snapshot.createdAt ? { createdAt: e.snapshot.createdAt } : {}) },
    scanId: e.scan.id,
    rules: ev.rules.filter((r) => r.hits > 0).map((r) => ({ id: r.rule, outcome: 'fired', message: `decided ${r.hits} finding(s)` })),
    findings: ev.findings.filter((d) => d.verdict !== 'PASS'),
    explain: { traces: e.policy.explain.filter((t) => blocking.has(t.finding.id)), complete: { ...explainFile, traces: e.policy.explain.length } },
  };
}

/** Every evidence member that needs no signature and no store: SBOMs, findings, VEX, policy, replay. */
export function evidenceDocuments(e: ScanEvidence): EvidenceFile[] {
  const cdx = exportInventory(e.sbom.inventory, { format: 'cyclonedx-json', specVersion: '1.6' });
  const spdx = exportInventory(e.sbom.inventory, { format: 'spdx-json', specVersion: '2.3' });
  const json = 'application/json';
  return [
    { path: EVIDENCE_PATHS.sbomCycloneDx, bytes: cdx.bytes, mediaType: cdx.mediaType },
    { path: EVIDENCE_PATHS.sbomSpdx, bytes: spdx.bytes, mediaType: spdx.mediaType },
    { path: EVIDENCE_PATHS.findings, bytes: jsonBytes(findingsDocument(e)), mediaType: json },
    { path: EVIDENCE_PATHS.sarif, bytes: jsonBytes(toSarif(e.scan, e.engine.version)), mediaType: 'application/sarif+json' },
    { path: EVIDENCE_PATHS.vexStatements, bytes: jsonBytes(e.vex.statements), mediaType: json },
    { path: EVIDENCE_PATHS.vexConsensus, bytes: jsonBytes(consensusDocument(e)), mediaType: json },
    { path: EVIDENCE_PATHS.pack, bytes: jsonBytes(packDocument(e)), mediaType: json },
    { path: EVIDENCE_PATHS.verdict, bytes: jsonBytes(e.policy.evaluation), mediaType: json },
    { path: EVIDENCE_PATHS.explain, bytes: jsonBytes(e.policy.explain), mediaType: json },
    { path: EVIDENCE_PATHS.replay, bytes: manifestBytes(e.replay.manifest), mediaType: json },
  ];
}
