/** Building a replay manifest from what a scan used and produced (the scan job and the replay job both call it). */
import { PACKAGE_NAME, stellaVersion, type Digest } from '../core';
import type { DetectionMode } from '../match/targets';
import { REPLAY_MANIFEST_TYPE, type ReplayInputs, type ReplayManifest } from './manifest';
import { outputDigests, type ScanOutputs } from './outputs';

export interface ReplayInputParts {
  sbom: { id: string; name: string; digest: Digest; format: string; specVersion: string; inventoryDigest: Digest };
  /** What was scanned: `sbom`, `stored-sbom`, or the kind of an inventoried target with its image (layers) when it was one. */
  target: { kind: string; image: { digest: string; format: 'docker-archive' | 'oci'; layers: { digest: string; diffId: string }[] } | null };
  /** The analyzers that inventoried the target (none for an SBOM). */
  plugins: { fingerprint: string; analyzers: { id: string; digest: string }[] } | null;
  advisories: { snapshot: Digest; documentCount: number; createdAt: string | null };
  vex: { setDigest: Digest; documents: number; statements: number } | null;
  /** The pack that judged and the `env.*` values the evaluation read. */
  policy: { name: string; version: string; digest: Digest; source: string; env: Record<string, string | number | boolean> } | null;
  evaluationDate: string | null;
  options: { cpe: boolean; detection: DetectionMode };
}

/** The engine that ran (name and version). */
export function engineIdentity(): ReplayManifest['engine'] {
  return { name: PACKAGE_NAME, version: stellaVersion() };
}

/** Inputs in manifest form: sorted collections, so the same inputs give the same bytes. */
export function replayInputs(p: ReplayInputParts): ReplayInputs {
  return {
    sbom: { ...p.sbom },
    target: {
      kind: p.target.kind,
      image: p.target.image ? { digest: p.target.image.digest, format: p.target.image.format, layers: p.target.image.layers.map((l) => ({ digest: l.digest, diffId: l.diffId })) } : null,
    },
    plugins: p.plugins ? { fingerprint: p.plugins.fingerprint, analyzers: [...p.plugins.analyzers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0)) } : null,
    advisories: { ...p.advisories },
    vex: p.vex ? { ...p.vex } : null,
    policy: p.policy ? { ...p.policy, env: Object.fromEntries(Object.entries(p.policy.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) } : null,
    evaluationDate: p.evaluationDate,
    options: { cpe: p.options.cpe, detection: p.options.detection },
  };
}

export function buildReplayManifest(scan: { id: string; subject: string; createdAt: string; sbomId: string }, inputs: ReplayInputParts, outputs: ScanOutputs): ReplayManifest {
  return {
    type: REPLAY_MANIFEST_TYPE,
    scan: { id: scan.id, subject: scan.subject, createdAt: scan.createdAt, sbomId: scan.sbomId },
    engine: engineIdentity(),
    inputs: replayInputs(inputs),
    outputs: outputDigests(outputs),
  };
}
