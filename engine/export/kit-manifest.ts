/**
 * The signed manifest of an Offline Update Kit or a mirror bundle: what the package carries (raw
 * advisory and VEX documents with their provenance, plug-in folders, policy packs, trust roots) and the
 * digest and size of every file. Its canonical JSON (RFC 8785) is what the DSSE envelope and the
 * detached JWS sign; nothing in a package counts unless this manifest lists it.
 */
import { z } from 'zod';
import { type Digest, canonicalJson, safeArchivePath } from '../core';
import type { TrustPurpose } from '../attest';
import { ExportError } from './errors';

export const KIT_MANIFEST_SCHEMA = 'https://stella.invalid/offline-kit/v1';
export const MIRROR_MANIFEST_SCHEMA = 'https://stella.invalid/mirror-bundle/v1';
/** DSSE payload type of a kit / mirror manifest. */
export const MANIFEST_PAYLOAD_TYPE = 'application/vnd.stella.kit-manifest+json';

export const KIT_CHANNELS = ['stable', 'edge'] as const;
export type KitChannel = (typeof KIT_CHANNELS)[number];

/** Largest manifest read (a kit of 1,000,000 documents stays well below it). */
export const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

export interface KitFileEntry {
  /** Relative to the package root, `/`-separated. */
  path: string;
  digest: Digest;
  size: number;
  mode: 0o644 | 0o755;
}

export type KitDocumentType = 'advisory' | 'vex';

export interface KitDocument {
  type: KitDocumentType;
  path: string;
  /** The document's source as recorded where it came from (`osv`, `ghsa`, `kev`, `openvex` …). */
  source: string;
  /** The document's origin as recorded where it came from (kept as its provenance here). */
  uri: string;
  format: string;
}

export interface KitPlugin {
  /** The plug-in's folder name (`<home>/plugins/<name>/`). */
  name: string;
  /** Its files, relative to the package root (`plugins/<name>/…`). */
  files: string[];
}

export interface KitPolicyPack {
  name: string;
  /** A deterministic `.tar.gz` of the pack inside the package. */
  path: string;
  /** The pack's own digest (compiled IR + exceptions), as `stella policy compile --json` prints it. */
  packDigest: Digest;
}

export interface KitTrustRoot {
  name: string;
  path: string;
  purposes: TrustPurpose[];
}

export interface ManifestProducer {
  keyId: string;
  algorithm: string;
}

interface ManifestCommon {
  /** The data's own date (newest `modified`/`published` of its documents, or given at build time): feed age counts from here. */
  createdAt: string;
  producer: ManifestProducer;
  documents: KitDocument[];
  files: KitFileEntry[];
}

export interface KitManifest extends ManifestCommon {
  schema: typeof KIT_MANIFEST_SCHEMA;
  kind: 'kit';
  channel: KitChannel;
  /** Semantic version; must grow on its channel. */
  version: string;
  /** Snapshot ids of the documents the kit carries (`sha256:` of their sorted digests). */
  snapshot: { advisories: Digest | null; vex: Digest | null };
  plugins: KitPlugin[];
  policyPacks: KitPolicyPack[];
  trustRoots: KitTrustRoot[];
}

export interface MirrorManifest extends ManifestCommon {
  schema: typeof MIRROR_MANIFEST_SCHEMA;
  kind: 'mirror';
  /** Grows with every new feed snapshot the producer exports. */
  generation: number;
  mode: 'full' | 'delta';
  /** The producer's feed snapshot this is a delta against (null for a full bundle). */
  base: { id: Digest; generation: number } | null;
  /** The producer's feed snapshot: its id and the advisory / VEX snapshot ids it stands for. */
  snapshot: { id: Digest; advisories: Digest | null; vex: Digest | null };
}

export type PackageManifest = KitManifest | MirrorManifest;

const digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'a sha256:<64 hex> digest') as unknown as z.ZodType<Digest>;
const iso = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'an RFC 3339 UTC timestamp');
const relPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => safeArchivePath(p) === p, 'a normalized relative path (no leading /, no . or .. segments)');
const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/, 'a name of letters, digits, ".", "_", "@", "+" or "-"');

const fileEntry = z.object({ path: relPath, digest, size: z.number().int().nonnegative(), mode: z.union([z.literal(0o644), z.literal(0o755)]) }).strict();
const document = z.object({ type: z.enum(['advisory', 'vex']), path: relPath, source: z.string().min(1).max(200), uri: z.string().min(1).max(8192), format: z.string().min(1).max(200) }).strict();
const producer = z.object({ keyId: z.string().regex(/^[0-9a-f]{64}$/), algorithm: z.string().min(1).max(40) }).strict();
const common = { createdAt: iso, producer, documents: z.array(document), files: z.array(fileEntry) };

const kitSchema = z
  .object({
    schema: z.literal(KIT_MANIFEST_SCHEMA),
    kind: z.literal('kit'),
    channel: z.enum(KIT_CHANNELS),
    version: z.string().min(1).max(100),
    snapshot: z.object({ advisories: digest.nullable(), vex: digest.nullable() }).strict(),
    plugins: z.array(z.object({ name, files: z.array(relPath).min(1) }).strict()),
    policyPacks: z.array(z.object({ name, path: relPath, packDigest: digest }).strict()),
    trustRoots: z.array(z.object({ name, path: relPath, purposes: z.array(z.enum(['attestations', 'kits', 'plugins'])).min(1) }).strict()),
    ...common,
  })
  .strict();

const mirrorSchema = z
  .object({
    schema: z.literal(MIRROR_MANIFEST_SCHEMA),
    kind: z.literal('mirror'),
    generation: z.number().int().positive(),
    mode: z.enum(['full', 'delta']),
    base: z.object({ id: digest, generation: z.number().int().positive() }).strict().nullable(),
    snapshot: z.object({ id: digest, advisories: digest.nullable(), vex: digest.nullable() }).strict(),
    ...common,
  })
  .strict();

const manifestSchema = z.discriminatedUnion('kind', [kitSchema, mirrorSchema]);

/** The bytes that are signed: canonical JSON (RFC 8785). */
export function manifestBytes(m: PackageManifest): Buffer {
  return Buffer.from(canonicalJson(m), 'utf8');
}

function invalid(label: string, message: string, path?: string): ExportError {
  return new ExportError('manifest-invalid', `${label}: ${message}`, { details: { file: label, ...(path ? { path } : {}), expected: 'a Stella offline kit or mirror bundle manifest' } });
}

/**
 * Parse and check a manifest: its shape, that it is in canonical form (what was signed is exactly what
 * is read), that files are sorted and unique, and that everything it names is one of its files.
 */
export function parseManifest(bytes: Uint8Array, label: string): PackageManifest {
  if (bytes.byteLength > MAX_MANIFEST_BYTES) throw invalid(label, `is ${bytes.byteLength} bytes, more than the ${MAX_MANIFEST_BYTES}-byte limit`);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw invalid(label, `is not JSON (${(e as Error).message})`);
  }
  const r = manifestSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    const path = `/${(i?.path ?? []).map(String).join('/')}`;
    throw invalid(label, `${path}: ${i?.message ?? 'invalid'}`, path);
  }
  const m = r.data as PackageManifest;
  if (!manifestBytes(m).equals(Buffer.from(bytes))) throw invalid(label, 'is not in canonical JSON form (RFC 8785), so it is not what was signed');
  checkManifestConsistency(m, label);
  return m;
}

/** Files sorted and unique; every document, plug-in file, pack and trust root is a listed file. */
export function checkManifestConsistency(m: PackageManifest, label: string): void {
  const files = new Set<string>();
  for (let i = 0; i < m.files.length; i++) {
    const f = m.files[i]!;
    if (i > 0 && !(m.files[i - 1]!.path < f.path)) throw invalid(label, `files are not sorted by path or list ${f.path} twice`, `/files/${i}`);
    files.add(f.path);
  }
  const need = (p: string, where: string): void => {
    if (!files.has(p)) throw invalid(label, `${where} names ${p}, which is not one of its files`, where);
  };
  m.documents.forEach((d, i) => need(d.path, `/documents/${i}`));
  if (m.kind === 'kit') {
    const names = new Set<string>();
    m.plugins.forEach((p, i) => {
      if (names.has(`plugin:${p.name}`)) throw invalid(label, `plug-in ${p.name} is listed twice`, `/plugins/${i}`);
      names.add(`plugin:${p.name}`);
      p.files.forEach((f, j) => {
        if (!f.startsWith(`plugins/${p.name}/`)) throw invalid(label, `plug-in ${p.name} file ${f} is outside plugins/${p.name}/`, `/plugins/${i}/files/${j}`);
        need(f, `/plugins/${i}/files/${j}`);
      });
    });
    m.policyPacks.forEach((p, i) => {
      if (names.has(`pack:${p.name}`)) throw invalid(label, `policy pack ${p.name} is listed twice`, `/policyPacks/${i}`);
      names.add(`pack:${p.name}`);
      need(p.path, `/policyPacks/${i}`);
    });
    m.trustRoots.forEach((t, i) => {
      if (names.has(`trust:${t.name}`)) throw invalid(label, `trust root ${t.name} is listed twice`, `/trustRoots/${i}`);
      names.add(`trust:${t.name}`);
      need(t.path, `/trustRoots/${i}`);
    });
  }
}

/** The channel a package's version must grow on: the kit's channel, or one per mirror producer. */
export function activationChannel(m: PackageManifest): string {
  return m.kind === 'kit' ? m.channel : `mirror:${m.producer.keyId.slice(0, 16)}`;
}

/** The version a package is activated as (the kit version, or the mirror generation). */
export function packageVersion(m: PackageManifest): string {
  return m.kind === 'kit' ? m.version : String(m.generation);
}
