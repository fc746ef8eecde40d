/**
 * What an image looked like — its layers (digest, size, media type, the history line that made each
 * one) and its config (architecture, OS, creation time, tags) — as `stella:image:*` document
 * properties of its inventory. The scan job stores an image's inventory as a CycloneDX SBOM whose
 * BOM-level properties carry these, so the image view can be rebuilt from the stored SBOM alone, and an
 * exported SBOM keeps them. Both directions live here so the round trip stays lossless.
 *
 * Light on purpose (no scanner runtime): the read side is used by engine/jobs without loading the scanner.
 */
import type { Property } from '../core';

export interface ImageLayerDetails {
  /** Position in the image, bottom layer first. */
  index: number;
  /** Blob digest as stored (OCI) or of the layer file (docker-archive); empty when the archive names none. */
  digest: string;
  /** Digest of the uncompressed layer tar (what components' `layer` attribution names). */
  diffId: string;
  /** Bytes as stored (compressed, for an OCI blob); absent in SBOMs stored before sizes were recorded. */
  size?: number;
  mediaType?: string;
  /** The build step that made the layer (the config history's `created_by`). */
  createdBy?: string;
  created?: string;
  comment?: string;
}

export interface ImageDetails {
  digest: string;
  /** Absent in SBOMs stored before the format was recorded. */
  format?: 'docker-archive' | 'oci';
  architecture?: string;
  os?: string;
  variant?: string;
  created?: string;
  refs: string[];
  layers: ImageLayerDetails[];
}

const P = 'stella:image:';

/** The document properties of an image's inventory (the first two names predate the rest and keep their form). */
export function imageProperties(d: ImageDetails): Property[] {
  const out: Property[] = [{ name: `${P}digest`, value: d.digest }];
  const opt = (name: string, value: string | number | undefined): void => {
    if (value !== undefined && value !== '') out.push({ name, value: String(value) });
  };
  opt(`${P}format`, d.format);
  opt(`${P}architecture`, d.architecture);
  opt(`${P}os`, d.os);
  opt(`${P}variant`, d.variant);
  opt(`${P}created`, d.created);
  d.refs.forEach((r, i) => opt(`${P}ref:${i}`, r));
  for (const l of d.layers) {
    const at = `${P}layer:${l.index}`;
    out.push({ name: at, value: l.diffId });
    opt(`${at}:digest`, l.digest);
    opt(`${at}:size`, l.size);
    opt(`${at}:mediaType`, l.mediaType);
    opt(`${at}:createdBy`, l.createdBy);
    opt(`${at}:created`, l.created);
    opt(`${at}:comment`, l.comment);
  }
  return out;
}

const LAYER_FIELD = /^stella:image:layer:(\d{1,6})(?::(digest|size|mediaType|createdBy|created|comment))?$/;
const REF = /^stella:image:ref:(\d{1,6})$/;

/** The image an inventory's document properties describe; null when they describe none. */
export function imageFromProperties(props: readonly Property[]): ImageDetails | null {
  const byName = new Map<string, string>();
  const layers = new Map<number, Partial<ImageLayerDetails> & { index: number }>();
  const refs = new Map<number, string>();
  for (const p of props) {
    if (!p.name.startsWith(P) || typeof p.value !== 'string') continue;
    const lm = LAYER_FIELD.exec(p.name);
    if (lm) {
      const index = Number(lm[1]);
      const l = layers.get(index) ?? { index };
      const field = lm[2];
      if (field === undefined) l.diffId = p.value;
      else if (field === 'size') {
        const n = Number(p.value);
        if (Number.isSafeInteger(n) && n >= 0) l.size = n;
      } else l[field as 'digest' | 'mediaType' | 'createdBy' | 'created' | 'comment'] = p.value;
      layers.set(index, l);
      continue;
    }
    const rm = REF.exec(p.name);
    if (rm) refs.set(Number(rm[1]), p.value);
    else byName.set(p.name.slice(P.length), p.value);
  }
  const digest = byName.get('digest');
  if (!digest) return null;
  const format = byName.get('format');
  const opt = (k: string): Record<string, string> => {
    const v = byName.get(k);
    return v !== undefined ? { [k]: v } : {};
  };
  return {
    digest,
    ...(format === 'docker-archive' || format === 'oci' ? { format } : {}),
    ...opt('architecture'),
    ...opt('os'),
    ...opt('variant'),
    ...opt('created'),
    refs: [...refs.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r),
    layers: [...layers.values()]
      .filter((l): l is Partial<ImageLayerDetails> & { index: number; diffId: string } => typeof l.diffId === 'string')
      .sort((a, b) => a.index - b.index)
      .map((l) => ({
        index: l.index,
        digest: l.digest ?? '',
        diffId: l.diffId,
        ...(l.size !== undefined ? { size: l.size } : {}),
        ...(l.mediaType !== undefined ? { mediaType: l.mediaType } : {}),
        ...(l.createdBy !== undefined ? { createdBy: l.createdBy } : {}),
        ...(l.created !== undefined ? { created: l.created } : {}),
        ...(l.comment !== undefined ? { comment: l.comment } : {}),
      })),
  };
}
