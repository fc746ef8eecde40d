/**
 * The predicate types the workstation writes and reads, with the checks each one needs. Type URIs are
 * the ones existing verifiers look for (`cosign verify-attestation --type …`, in-toto tooling):
 *
 * | kind          | predicateType                                        | direction |
 * |---------------|------------------------------------------------------|-----------|
 * | cyclonedx     | https://cyclonedx.org/bom (prefix: `/v1.x` accepted) | write + read |
 * | spdx          | https://spdx.dev/Document (prefix: `/v2.3`, `/v3`)   | write + read |
 * | vulns         | https://in-toto.io/attestation/vulns/v0.2            | write + read |
 * | cosign-vuln   | https://cosign.sigstore.dev/attestation/vuln/v1      | write (on request) + read |
 * | openvex       | https://openvex.dev/ns/v0.2.0                        | write + read |
 * | vsa           | https://slsa.dev/verification_summary/v1             | write + read |
 * | verdict       | https://stella.invalid/attestation/verdict/v1 (ours) | write + read |
 * | provenance    | https://slsa.dev/provenance/v1 (and v0.2)            | read (external) |
 * | bundle-manifest | https://stella.invalid/attestation/bundle-manifest/v1 (ours) | write + read |
 */
import type { Finding } from '../core';
import type { ScanResult } from '../match';
import { AttestError } from './errors';

export const PREDICATE_TYPES = {
  cyclonedx: 'https://cyclonedx.org/bom',
  spdx: 'https://spdx.dev/Document',
  vulns: 'https://in-toto.io/attestation/vulns/v0.2',
  cosignVuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  openvex: 'https://openvex.dev/ns/v0.2.0',
  vsa: 'https://slsa.dev/verification_summary/v1',
  verdict: 'https://stella.invalid/attestation/verdict/v1',
  provenanceV1: 'https://slsa.dev/provenance/v1',
  provenanceV02: 'https://slsa.dev/provenance/v0.2',
  bundleManifest: 'https://stella.invalid/attestation/bundle-manifest/v1',
} as const;

export type PredicateKind = 'cyclonedx' | 'spdx' | 'vulns' | 'cosign-vuln' | 'openvex' | 'vsa' | 'verdict' | 'provenance-v1' | 'provenance-v0.2' | 'bundle-manifest' | 'custom';

function isOrUnder(uri: string, base: string): boolean {
  return uri === base || uri.startsWith(`${base}/`);
}

/** Which known predicate a type URI names; CycloneDX and SPDX match by prefix since producers append versions. */
export function classifyPredicateType(uri: string): PredicateKind {
  if (isOrUnder(uri, PREDICATE_TYPES.cyclonedx)) return 'cyclonedx';
  if (isOrUnder(uri, PREDICATE_TYPES.spdx)) return 'spdx';
  switch (uri) {
    case PREDICATE_TYPES.vulns:
      return 'vulns';
    case PREDICATE_TYPES.cosignVuln:
      return 'cosign-vuln';
    case PREDICATE_TYPES.openvex:
      return 'openvex';
    case PREDICATE_TYPES.vsa:
      return 'vsa';
    case PREDICATE_TYPES.verdict:
      return 'verdict';
    case PREDICATE_TYPES.provenanceV1:
      return 'provenance-v1';
    case PREDICATE_TYPES.provenanceV02:
      return 'provenance-v0.2';
    case PREDICATE_TYPES.bundleManifest:
      return 'bundle-manifest';
    default:
      return 'custom';
  }
}

/** RFC 3339 date-time (what in-toto calls Timestamp). */
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type Obj = Record<string, unknown>;

class Checker {
  readonly problems: string[] = [];
  constructor(readonly root: unknown) {}

  at(path: string): unknown {
    let v: unknown = this.root;
    for (const part of path.split('/').filter(Boolean)) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Obj)[part];
    }
    return v;
  }
  object(path: string): Obj | undefined {
    const v = this.at(path);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      this.problems.push(`${path || '/'}: expected an object`);
      return undefined;
    }
    return v as Obj;
  }
  string(path: string, opts: { optional?: boolean; oneOf?: readonly string[]; timestamp?: boolean; equals?: string } = {}): void {
    const v = this.at(path);
    if (v === undefined && opts.optional) return;
    if (typeof v !== 'string' || v === '') return void this.problems.push(`${path}: expected a non-empty string`);
    if (opts.oneOf && !opts.oneOf.includes(v)) this.problems.push(`${path}: expected one of ${opts.oneOf.join(', ')}, got ${JSON.stringify(v)}`);
    if (opts.timestamp && !TIMESTAMP_RE.test(v)) this.problems.push(`${path}: expected an RFC 3339 timestamp, got ${JSON.stringify(v)}`);
    if (opts.equals !== undefined && v !== opts.equals) this.problems.push(`${path}: expected ${JSON.stringify(opts.equals)}, got ${JSON.stringify(v)}`);
  }
  array(path: string, each?: (itemPath: string) => void, opts: { nonEmpty?: boolean; optional?: boolean } = {}): void {
    const v = this.at(path);
    if (v === undefined && opts.optional) return;
    if (!Array.isArray(v)) return void this.problems.push(`${path}: expected an array`);
    if (opts.nonEmpty && v.length === 0) this.problems.push(`${path}: expected at least one item`);
    if (each) v.forEach((_, i) => each(`${path}/${i}`));
  }
}

const OPENVEX_STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;

/** Problems with `predicate` for its kind (empty when it is acceptable); `custom` accepts any JSON. */
export function predicateProblems(kind: PredicateKind, predicate: unknown): string[] {
  const c = new Checker(predicate);
  if (kind !== 'custom' && !c.object('')) return c.problems;
  switch (kind) {
    case 'cyclonedx':
      c.string('/bomFormat', { equals: 'CycloneDX' });
      c.string('/specVersion');
      break;
    case 'spdx':
      if (c.at('/spdxVersion') === undefined && c.at('/@context') === undefined) c.problems.push('/: expected an SPDX 2 document (spdxVersion) or an SPDX 3 JSON-LD document (@context)');
      break;
    case 'vulns':
      c.object('/scanner');
      c.string('/scanner/uri');
      c.string('/scanner/db/lastUpdate', { timestamp: true });
      c.array('/scanner/result', (p) => {
        c.string(`${p}/id`);
        c.array(`${p}/severity`, (s) => {
          c.string(`${s}/method`);
          c.string(`${s}/score`);
        });
      });
      c.string('/metadata/scanStartedOn', { timestamp: true });
      c.string('/metadata/scanFinishedOn', { timestamp: true });
      break;
    case 'cosign-vuln':
      // cosign's spec and Trivy's --format cosign-vuln: a singular scanner with the scanner's native result object
      c.object('/scanner');
      c.string('/scanner/uri');
      if (c.at('/scanner/result') === undefined) c.problems.push('/scanner/result: expected the scanner result');
      c.string('/metadata/scanStartedOn', { timestamp: true });
      c.string('/metadata/scanFinishedOn', { timestamp: true });
      break;
    case 'openvex':
      c.string('/@context', { equals: PREDICATE_TYPES.openvex });
      c.string('/@id');
      c.string('/author');
      c.string('/timestamp', { timestamp: true });
      if (typeof c.at('/version') !== 'number') c.problems.push('/version: expected an integer');
      c.array('/statements', (p) => {
        const vuln = c.at(`${p}/vulnerability`);
        if (vuln === null || typeof vuln !== 'object' || (typeof (vuln as Obj).name !== 'string' && typeof (vuln as Obj)['@id'] !== 'string')) c.problems.push(`${p}/vulnerability: expected an object with name or @id`);
        c.string(`${p}/status`, { oneOf: OPENVEX_STATUSES });
        if (c.at(`${p}/status`) === 'not_affected' && c.at(`${p}/justification`) === undefined && c.at(`${p}/impact_statement`) === undefined) {
          c.problems.push(`${p}: a not_affected statement needs a justification or an impact_statement`);
        }
      });
      break;
    case 'vsa':
      c.string('/verifier/id');
      c.string('/timeVerified', { optional: true, timestamp: true });
      c.string('/resourceUri');
      c.object('/policy');
      c.string('/verificationResult', { oneOf: ['PASSED', 'FAILED'] });
      c.array('/verifiedLevels', (p) => c.string(p));
      break;
    case 'verdict':
      c.string('/policy/name');
      c.string('/policy/digest');
      if (typeof c.at('/policy/digest') === 'string' && !/^sha256:[0-9a-f]{64}$/.test(c.at('/policy/digest') as string)) c.problems.push('/policy/digest: expected sha256:<64 hex>');
      c.string('/verdict');
      c.string('/decision', { oneOf: ['pass', 'fail'] });
      c.string('/evaluatedAt', { timestamp: true });
      c.string('/resourceUri');
      c.array('/rules', (p) => {
        c.string(`${p}/id`);
        c.string(`${p}/outcome`);
      });
      if (c.at('/explain') === undefined) c.problems.push('/explain: expected the explain trace');
      break;
    case 'provenance-v1':
      c.string('/buildDefinition/buildType');
      c.object('/buildDefinition/externalParameters');
      c.string('/runDetails/builder/id');
      c.array('/buildDefinition/resolvedDependencies', undefined, { optional: true });
      break;
    case 'provenance-v0.2':
      c.string('/builder/id');
      c.string('/buildType');
      break;
    case 'bundle-manifest':
      c.array('/envelopes', (p) => {
        c.string(`${p}/digest`);
        if (typeof c.at(`${p}/line`) !== 'number') c.problems.push(`${p}/line: expected a line number`);
      }, { nonEmpty: true });
      break;
    case 'custom':
      break;
  }
  return c.problems;
}

/** Throws `invalid-predicate` listing every problem. */
export function assertPredicate(kind: PredicateKind, predicate: unknown, what: string): void {
  const problems = predicateProblems(kind, predicate);
  if (problems.length) {
    throw new AttestError('invalid-predicate', `${what}: not a valid ${kind} predicate — ${problems.slice(0, 8).join('; ')}${problems.length > 8 ? ` (and ${problems.length - 8} more)` : ''}`, {
      details: { file: what, problems, expected: `a ${kind} predicate` },
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// Builders for the predicates the workstation produces from its own results.

export interface ScannerIdentity {
  /** e.g. `pkg:generic/stella-evidence-workstation@0.1.0` */
  uri: string;
  version: string;
}

export interface SnapshotRef {
  id: string;
  /** When the advisory snapshot was recorded (the vulns predicate's `scanner.db.lastUpdate`). */
  createdAt: string;
}

function severityOf(f: Finding): { method: string; score: string }[] {
  const out = f.severity.given.map((g) => ({ method: g.type, score: g.score }));
  out.push({ method: 'stella-level', score: f.severity.level });
  return out;
}

/** in-toto vulns v0.2 from a stored scan: one result per finding, sorted by vulnerability then component. */
export function vulnsPredicateFromScan(scan: ScanResult, snapshot: SnapshotRef, scanner: ScannerIdentity): Record<string, unknown> {
  const result = [...scan.findings]
    .sort((a, b) => a.vulnerabilityId.localeCompare(b.vulnerabilityId) || a.componentRef.localeCompare(b.componentRef))
    .map((f) => ({
      id: f.vulnerabilityId,
      severity: severityOf(f),
      annotations: [
        { purl: f.purl ?? null },
        { package: f.packageName },
        { installedVersion: f.installedVersion },
        { fixedVersions: f.fixedVersions },
        { kev: f.kev },
        { findingId: f.id },
      ],
    }));
  return {
    scanner: {
      uri: scanner.uri,
      version: scanner.version,
      db: { uri: `https://stella.invalid/snapshot/${snapshot.id}`, version: snapshot.id, lastUpdate: snapshot.createdAt },
      result,
    },
    metadata: { scanStartedOn: scan.createdAt, scanFinishedOn: scan.createdAt },
  };
}

/** The cosign vuln/v1 shape (singular `scanner`, scanner-native `result`), as cosign and Trivy write it. */
export function cosignVulnPredicateFromScan(scan: ScanResult, snapshot: SnapshotRef, scanner: ScannerIdentity): Record<string, unknown> {
  return {
    invocation: { parameters: null, uri: '', event_id: '', 'builder.id': '' },
    scanner: {
      uri: scanner.uri,
      version: scanner.version,
      db: { uri: `https://stella.invalid/snapshot/${snapshot.id}`, version: snapshot.id },
      result: { scanId: scan.id, subject: scan.subject, snapshot: scan.snapshot, summary: scan.summary, findings: [...scan.findings].sort((a, b) => a.id.localeCompare(b.id)) },
    },
    metadata: { scanStartedOn: scan.createdAt, scanFinishedOn: scan.createdAt },
  };
}

/**
 * The project's own verdict predicate (https://stella.invalid/attestation/verdict/v1) — the full
 * decision with its explain trace; engine/attest/README.md documents every field.
 */
export interface VerdictPredicate {
  policy: { name: string; version?: string; digest: string; uri?: string };
  verdict: string;
  decision: 'pass' | 'fail';
  evaluatedAt: string;
  resourceUri: string;
  snapshot?: { id: string; createdAt?: string };
  scanId?: string;
  rules: { id: string; outcome: string; message?: string }[];
  findings?: unknown[];
  explain: unknown;
}

/**
 * The SLSA verification summary of a verdict; `verdictStatementDigest` (sha256 hex of the verdict
 * statement's payload) goes into `inputAttestations`, chaining the summary to the full trace.
 */
export function vsaFromVerdict(v: VerdictPredicate, verdictStatementDigest: string, verifier: { id: string; version: string }): Record<string, unknown> {
  const policyDigest = v.policy.digest.startsWith('sha256:') ? v.policy.digest.slice(7) : v.policy.digest;
  return {
    verifier: { id: verifier.id, version: { stella: verifier.version } },
    timeVerified: v.evaluatedAt,
    resourceUri: v.resourceUri,
    policy: { uri: v.policy.uri ?? `https://stella.invalid/policy/${encodeURIComponent(v.policy.name)}`, digest: { sha256: policyDigest } },
    inputAttestations: [{ uri: PREDICATE_TYPES.verdict, digest: { sha256: verdictStatementDigest } }],
    verificationResult: v.decision === 'pass' ? 'PASSED' : 'FAILED',
    verifiedLevels: v.decision === 'pass' ? ['STELLA_POLICY_PASSED'] : ['FAILED'],
    slsaVersion: '1.0',
  };
}
