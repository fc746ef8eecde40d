/**
 * Contract part: the image view (`image.get`). A stored scan or SBOM of a container image → its layers
 * (digest, size, the build step that made each), what each layer added (component refs — the
 * components themselves and the dependency tree come from `sbom.get` of the same SBOM), the
 * distribution and the config. Request schemas, result types and result schemas, merged into
 * channels.ts / results.ts.
 */
import { z } from 'zod';

const id = z.string().min(1).max(200);

export const imageRequestSchemas = {
  /** The image view of a stored SBOM made by scanning an image, or of a stored scan of one. */
  'image.get': z
    .object({ sbomId: id.optional(), scanId: id.optional() })
    .strict()
    .refine((a) => a.sbomId !== undefined || a.scanId !== undefined, { message: 'give sbomId or scanId' }),
} as const;

export interface ImageLayerView {
  index: number;
  /** Blob digest (OCI) or layer-file digest (docker-archive); empty when the archive names none. */
  digest: string;
  diffId: string;
  /** Bytes as stored; absent for SBOMs stored before sizes were recorded. */
  size?: number;
  mediaType?: string;
  createdBy?: string;
  created?: string;
  comment?: string;
  /** Refs (into `sbom.get`'s components) of what this layer added or changed. */
  components: string[];
}

export interface ImageView {
  sbomId: string;
  sbomName: string;
  /** The scan asked for, else the newest scan of the SBOM. */
  scan: { id: string; subject: string; createdAt: string } | null;
  digest: string;
  format?: 'docker-archive' | 'oci';
  architecture?: string;
  /** The config's OS (`linux`). */
  os?: string;
  variant?: string;
  created?: string;
  /** Tags / reference names the archive carries. */
  refs: string[];
  /** The distribution the scanner detected. */
  distro: { id: string; versionId?: string; name?: string } | null;
  layers: ImageLayerView[];
  /** Components no layer is named for. */
  unattributed: string[];
}

export interface ImageChannelResults {
  'image.get': ImageView;
}

const layerView = z
  .object({
    index: z.number().int().nonnegative(),
    digest: z.string(),
    diffId: z.string(),
    size: z.number().int().nonnegative().optional(),
    mediaType: z.string().optional(),
    createdBy: z.string().optional(),
    created: z.string().optional(),
    comment: z.string().optional(),
    components: z.array(z.string()),
  })
  .strict();

const imageView = z
  .object({
    sbomId: z.string(),
    sbomName: z.string(),
    scan: z.object({ id: z.string(), subject: z.string(), createdAt: z.string() }).strict().nullable(),
    digest: z.string(),
    format: z.enum(['docker-archive', 'oci']).optional(),
    architecture: z.string().optional(),
    os: z.string().optional(),
    variant: z.string().optional(),
    created: z.string().optional(),
    refs: z.array(z.string()),
    distro: z.object({ id: z.string(), versionId: z.string().optional(), name: z.string().optional() }).strict().nullable(),
    layers: z.array(layerView),
    unattributed: z.array(z.string()),
  })
  .strict();

export const imageResultSchemas = {
  'image.get': imageView,
} as const;

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const _imageOk: [Same<z.infer<typeof imageView>, ImageView>, Same<z.infer<typeof layerView>, ImageLayerView>] = [true, true];
void _imageOk;
