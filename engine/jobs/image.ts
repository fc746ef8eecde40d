/**
 * Read job: the image view of a stored scan or SBOM — the image's layers (digest, size, the build step
 * that made each one), what each layer added (the components attributed to it), the distribution, and
 * the config (architecture, tags). Everything comes from the stored SBOM: the scan job stores an
 * image's inventory with `stella:image:*` properties (engine/scanner/image-properties) and every
 * component's layer, so nothing is re-read from the image.
 */
import type { Store } from '../store';
import type { SbomRecord } from '../sbom/store';
import { listScans } from '../match/stored';
import { imageFromProperties, type ImageDetails, type ImageLayerDetails } from '../scanner/image-properties';
import { JobError } from './errors';
import { requireStoredSbom } from './read';

export interface ImageViewInput {
  /** A stored SBOM (id or digest) made by inventorying an image. */
  sbomId?: string;
  /** …or a stored scan of one (its SBOM is used). */
  scanId?: string;
}

export interface ImageLayerView extends ImageLayerDetails {
  /** Refs of the components attributed to this layer: what it added or changed, sorted. */
  components: string[];
}

export interface ImageView {
  sbom: SbomRecord;
  /** The scan asked for, else the newest scan of this SBOM (none when it was never scanned). */
  scan: { id: string; subject: string; createdAt: string } | null;
  image: Omit<ImageDetails, 'layers'>;
  /** The distribution the scanner detected (`debian` `12`), when it found one. */
  distro: { id: string; versionId?: string; name?: string } | null;
  layers: ImageLayerView[];
  /** Components no layer is named for (e.g. found by an analyzer that reads the whole filesystem). */
  unattributed: string[];
}

export function imageViewJob(store: Store, input: ImageViewInput): ImageView {
  let sbomId = input.sbomId;
  let scan: ImageView['scan'] = null;
  if (input.scanId !== undefined) {
    const s = listScans(store).find((x) => x.id === input.scanId);
    if (!s) throw new JobError('not-found', `no scan ${input.scanId} is stored`, { details: { path: 'scanId', expected: 'the id of a stored scan' } });
    if (!s.sbomId) throw new JobError('not-an-image', `scan ${s.id} (${s.subject}) has no stored SBOM to show an image from`, { details: { path: 'scanId' } });
    if (sbomId !== undefined && sbomId !== s.sbomId) throw new JobError('not-found', `scan ${s.id} is of SBOM ${s.sbomId}, not ${sbomId}`, { details: { path: 'sbomId' } });
    sbomId = s.sbomId;
    scan = { id: s.id, subject: s.subject, createdAt: s.createdAt };
  }
  if (sbomId === undefined) throw new JobError('not-found', 'name a stored SBOM or scan (sbomId or scanId)', { details: { path: 'sbomId', expected: 'sbomId or scanId' } });
  const { record, inventory } = requireStoredSbom(store, sbomId);
  const details = imageFromProperties(inventory.document.properties);
  if (!details) {
    throw new JobError('not-an-image', `SBOM ${record.id} (${record.name}) was not made from a container image, so it has no layers to show`, {
      details: { path: 'sbomId', expected: 'an SBOM stored by scanning an image (docker-archive or OCI layout)' },
    });
  }
  if (!scan) {
    // listScans is newest first
    const newest = listScans(store).find((x) => x.sbomId === record.id);
    if (newest) scan = { id: newest.id, subject: newest.subject, createdAt: newest.createdAt };
  }
  const byLayer = new Map<string, string[]>();
  const unattributed: string[] = [];
  for (const c of inventory.components) {
    if (c.layer === undefined) unattributed.push(c.ref);
    else byLayer.set(c.layer, [...(byLayer.get(c.layer) ?? []), c.ref]);
  }
  // Two layers can have the same content (diffID): the scanner attributes a package to the earliest.
  const claimed = new Set<string>();
  const layers = details.layers.map((l) => {
    const refs = claimed.has(l.diffId) ? [] : (byLayer.get(l.diffId) ?? []);
    claimed.add(l.diffId);
    return { ...l, components: [...refs].sort() };
  });
  for (const [diffId, refs] of byLayer) if (!claimed.has(diffId)) unattributed.push(...refs);
  const { layers: _layers, ...image } = details;
  void _layers;
  return { sbom: record, scan, image, distro: inventory.os ?? null, layers, unattributed: unattributed.sort() };
}
