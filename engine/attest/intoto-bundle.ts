/**
 * in-toto bundles (`*.intoto.jsonl`): several DSSE envelopes about one subject, one per line. The format
 * does not authenticate the set — a line can be dropped, replayed or added unnoticed — so the last line
 * is a signed manifest: an in-toto statement (predicate `https://stella.invalid/attestation/bundle-manifest/v1`)
 * about the same subjects, listing the sha256 of every other envelope's canonical serialization. Tools
 * that do not know the predicate ignore that line, as the bundle specification requires.
 */
import { type DsseEnvelope, INTOTO_PAYLOAD_TYPE, envelopePayload, serializeEnvelope, signEnvelope } from './dsse';
import type { SigningKey } from './kms';
import { PREDICATE_TYPES } from './predicates';
import { type ResourceDescriptor, buildStatement, parseStatement, statementBytes } from './statement';
import { envelopeDigest } from './verify';

export interface ManifestEntry {
  line: number;
  digest: string;
  payloadType: string;
  predicateType?: string;
}

function manifestEntries(envelopes: readonly DsseEnvelope[]): ManifestEntry[] {
  return envelopes.map((env, i) => {
    let predicateType: string | undefined;
    if (env.payloadType === INTOTO_PAYLOAD_TYPE) {
      try {
        predicateType = parseStatement(envelopePayload(env)).predicateType;
      } catch {
        predicateType = undefined;
      }
    }
    return { line: i + 1, digest: `sha256:${envelopeDigest(env)}`, payloadType: env.payloadType, ...(predicateType ? { predicateType } : {}) };
  });
}

/** The JSON Lines text of an in-toto bundle: each envelope, then the manifest signed by `signers`. */
export async function buildIntotoBundle(envelopes: readonly DsseEnvelope[], subjects: readonly ResourceDescriptor[], signers: readonly SigningKey[]): Promise<{ text: string; manifest: DsseEnvelope }> {
  const statement = buildStatement(subjects, PREDICATE_TYPES.bundleManifest, { envelopes: manifestEntries(envelopes) });
  const manifest = await signEnvelope(INTOTO_PAYLOAD_TYPE, statementBytes(statement), signers);
  return { text: [...envelopes, manifest].map((e) => `${serializeEnvelope(e)}\n`).join(''), manifest };
}

/**
 * Problems with a manifest against the envelopes around it: every listed digest must be present, and
 * every other envelope must be listed (order is not significant).
 */
export function manifestProblems(manifestPredicate: unknown, others: readonly DsseEnvelope[]): string[] {
  const listed = ((manifestPredicate as { envelopes?: { digest?: unknown }[] })?.envelopes ?? []).map((e) => String(e?.digest ?? ''));
  const present = new Map(others.map((e) => [`sha256:${envelopeDigest(e)}`, e]));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const d of listed) {
    if (seen.has(d)) problems.push(`${d} is listed twice`);
    seen.add(d);
    if (!present.has(d)) problems.push(`listed envelope ${d} is missing from the file`);
  }
  for (const d of present.keys()) if (!seen.has(d)) problems.push(`envelope ${d} is in the file but not in the signed manifest`);
  return problems;
}
