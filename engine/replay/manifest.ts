/**
 * Replay manifests: every input digest a scan used and every output digest it produced, so the scan
 * can be re-run later from the stored inputs and compared (`stella replay`). The manifest is canonical
 * JSON (RFC 8785); its digest is the sha256 of those bytes. Nothing in it comes from the wall clock:
 * dates are the scan's own (`scan.createdAt`, `inputs.evaluationDate`).
 *
 * Outputs are the document `{findings, summary, verdict}` (see outputs.ts); a difference found on
 * replay is reported as a JSON pointer into it (`/findings/3/severity/level`).
 */
import { z } from 'zod';
import { canonicalJson, isDigest, sha256Digest, type Digest } from '../core';
import { DETECTION_MODES } from '../match/targets';
import { ReplayError } from './errors';

export const REPLAY_MANIFEST_TYPE = 'https://stella.invalid/replay-manifest/v1';

/** Largest manifest file read (they are a few KiB; a bound keeps a hostile file from exhausting memory). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

const digest = z.custom<Digest>((v) => isDigest(v), { message: 'expected sha256:<64 lowercase hex>' });
const text = z.string().min(1).max(4096);

const imageSchema = z
  .object({
    digest: text,
    format: z.enum(['docker-archive', 'oci']),
    layers: z.array(z.object({ digest: text, diffId: text }).strict()).max(10_000),
  })
  .strict();

const manifestSchema = z
  .object({
    type: z.literal(REPLAY_MANIFEST_TYPE),
    scan: z.object({ id: text, subject: text, createdAt: text, sbomId: text }).strict(),
    engine: z.object({ name: text, version: text }).strict(),
    inputs: z
      .object({
        sbom: z.object({ id: text, name: z.string().max(4096), digest, format: text, specVersion: text, inventoryDigest: digest }).strict(),
        target: z.object({ kind: text, image: imageSchema.nullable() }).strict(),
        plugins: z
          .object({ fingerprint: text, analyzers: z.array(z.object({ id: text, digest: text }).strict()).max(10_000) })
          .strict()
          .nullable(),
        advisories: z.object({ snapshot: digest, documentCount: z.number().int().nonnegative(), createdAt: z.string().max(64).nullable() }).strict(),
        vex: z.object({ setDigest: digest, documents: z.number().int().nonnegative(), statements: z.number().int().nonnegative() }).strict().nullable(),
        policy: z
          .object({ name: text, version: text, digest, source: z.string().max(4096), env: z.record(z.string().max(256), z.union([z.string().max(4096), z.number(), z.boolean()])) })
          .strict()
          .nullable(),
        evaluationDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
        options: z.object({ cpe: z.boolean(), detection: z.enum(DETECTION_MODES) }).strict(),
      })
      .strict(),
    outputs: z
      .object({
        findings: z.object({ digest, count: z.number().int().nonnegative() }).strict(),
        summary: z.object({ digest }).strict(),
        verdict: z.object({ digest, verdict: text }).strict().nullable(),
      })
      .strict(),
  })
  .strict();

export type ReplayManifest = z.infer<typeof manifestSchema>;
export type ReplayInputs = ReplayManifest['inputs'];
export type ReplayOutputDigests = ReplayManifest['outputs'];

/** The manifest's bytes: canonical JSON (what is hashed, signed and written). */
export function manifestBytes(m: ReplayManifest): Buffer {
  return Buffer.from(canonicalJson(m), 'utf8');
}

export function manifestDigest(m: ReplayManifest): Digest {
  return sha256Digest(manifestBytes(m));
}

/** Check a parsed document is a replay manifest; errors name the JSON pointer and what was expected. */
export function parseReplayManifest(doc: unknown, file = 'replay manifest'): ReplayManifest {
  const r = manifestSchema.safeParse(doc);
  if (r.success) return r.data;
  const issue = r.error.issues[0] as z.core.$ZodIssue;
  const at = `/${issue.path.map(String).join('/')}`;
  throw new ReplayError('invalid-manifest', `${file}: ${at}: ${issue.message} (expected a Stella replay manifest, ${REPLAY_MANIFEST_TYPE})`, {
    details: { file, path: at, expected: `a replay manifest (${REPLAY_MANIFEST_TYPE})` },
  });
}

/** Parse manifest bytes (JSON) with a size bound. */
export function readReplayManifest(bytes: Uint8Array, file = 'replay manifest'): ReplayManifest {
  if (bytes.byteLength > MAX_MANIFEST_BYTES) {
    throw new ReplayError('invalid-manifest', `${file}: ${bytes.byteLength} bytes is larger than the ${MAX_MANIFEST_BYTES}-byte limit for a replay manifest`, {
      details: { file, expected: `at most ${MAX_MANIFEST_BYTES} bytes` },
    });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw new ReplayError('invalid-manifest', `${file}: not JSON (${(cause as Error).message}); expected a replay manifest written by stella scan --record`, {
      cause,
      details: { file, expected: 'a JSON replay manifest' },
    });
  }
  return parseReplayManifest(doc, file);
}
