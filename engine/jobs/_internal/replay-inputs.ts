/**
 * The inputs of a scan in replay-manifest form, gathered from the store: the scan job records them
 * (`--record`), the replay job gathers them again to compare, the evidence job derives them for a scan
 * that was not recorded. One place, so the three can never describe the same input differently.
 */
import { digestJson, type Inventory } from '../../core';
import type { Store } from '../../store';
import { getSnapshot } from '../../advisories/snapshots';
import type { SbomRecord } from '../../sbom/store';
import type { ImageInfo } from '../../scanner';
import type { DetectionMode } from '../../match/targets';
import type { ReplayInputParts } from '../../replay';

/** What was scanned, as the scan job knew it. */
export interface ScanTarget {
  kind: string;
  image: ImageInfo | null;
  /** Whether analyzers inventoried the target (not an SBOM); their plug-ins are then inputs too. */
  inventoried: boolean;
  /** The analyzer folder they came from (default: the installation's). */
  pluginsDir?: string;
}

/** The analyzers of a plug-in folder by `name@version` and verified entry digest (loaded once per process). */
export async function analyzersOf(pluginsDir: string | undefined): Promise<ReplayInputParts['plugins']> {
  const { defaultPluginsDir, loadPlugins } = await import('../../scanner');
  const set = await loadPlugins(pluginsDir ?? defaultPluginsDir());
  const analyzers = set.analyzers.map((a) => ({ id: a.id, digest: a.entrySha256 }));
  // the manifest's order (replayInputs sorts too): by id, then digest
  analyzers.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  return { fingerprint: set.fingerprint, analyzers };
}

export async function scanInputParts(
  store: Store,
  scan: { snapshot: string; options: { cpe: boolean; detection?: DetectionMode } },
  sbom: { record: SbomRecord; inventory: Inventory },
  target: ScanTarget,
  decided: { vex: ReplayInputParts['vex']; policy: ReplayInputParts['policy']; evaluationDate: string | null },
): Promise<ReplayInputParts> {
  const snap = getSnapshot(store, scan.snapshot);
  return {
    sbom: {
      id: sbom.record.id,
      name: sbom.record.name,
      digest: sbom.record.digest,
      format: sbom.record.format,
      specVersion: sbom.record.specVersion,
      // the stored inventory is what matching reads; its bytes are the canonical JSON hashed here
      inventoryDigest: digestJson(sbom.inventory),
    },
    target: { kind: target.kind, image: target.image },
    plugins: target.inventoried ? await analyzersOf(target.pluginsDir) : null,
    advisories: { snapshot: snap.id as ReplayInputParts['advisories']['snapshot'], documentCount: snap.documentCount, createdAt: snap.createdAt },
    vex: decided.vex,
    policy: decided.policy,
    evaluationDate: decided.evaluationDate,
    // scans stored before detection modes existed were all `default`
    options: { cpe: scan.options.cpe, detection: scan.options.detection ?? 'default' },
  };
}
