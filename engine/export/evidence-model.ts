/**
 * Everything an evidence bundle and report.html say about one scan, gathered once (by the jobs, from
 * the store) and rendered by evidence-documents.ts and report.ts. Per-finding arrays are aligned with
 * `scan.findings` (same index, same order).
 */
import type { Digest, Inventory, VexConsensus, VexStatement } from '../core';
import type { SnapshotInfo } from '../advisories/snapshots';
import type { ScanResult } from '../match/scan';
import type { SbomRecord } from '../sbom/store';
import type { ExplainTrace } from '../policy/explain';
import type { UsablePack } from '../policy/pack';
import type { PolicyEvaluation } from '../policy/evaluate';
import type { ReplayManifest } from '../replay';

export interface ScanEvidence {
  scan: ScanResult;
  sbom: { record: SbomRecord; inventory: Inventory };
  /** The advisory snapshot the scan used (per-source newest import → feed age). */
  snapshot: SnapshotInfo;
  vex: {
    /** The statements that apply to any finding, sorted by id. */
    statements: VexStatement[];
    /** The consensus per finding (null where no statement applies). */
    byFinding: (VexConsensus | null)[];
  };
  policy: {
    pack: UsablePack;
    /** The evaluation with the pack (by IR digest) that made it. */
    evaluation: PolicyEvaluation & { pack: { name: string; version: string; digest: string; source: string } };
    /** Explain traces of every finding the policy did not pass (BLOCKED or WARN), in finding order. */
    explain: ExplainTrace[];
  };
  replay: { manifest: ReplayManifest; digest: Digest; recorded: boolean };
  engine: { name: string; version: string };
}

/** The signer as the report and verify instructions name it (no private material). */
export interface EvidenceSigner {
  keyId: string;
  algorithm: string;
  name?: string;
}

/** `name@sha256:<hex>` → the artifact's name and digest (what attestations name as their subject). */
export function subjectArtifact(subject: string): { name: string; sha256: string } | null {
  const at = subject.lastIndexOf('@sha256:');
  if (at <= 0) return null;
  const hex = subject.slice(at + '@sha256:'.length);
  return /^[0-9a-f]{64}$/.test(hex) ? { name: subject.slice(0, at), sha256: hex } : null;
}
