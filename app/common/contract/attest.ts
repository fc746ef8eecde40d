/**
 * Contract part: keys and crypto profiles, trust roots, attestations (everything signed here, verifying
 * any bundle or envelope), the embedded transparency log, and the audit trail. Request schemas, result
 * types and result schemas, merged into channels.ts / results.ts.
 *
 * Secrets: `keys.generate` is the only request that carries a passphrase; the host hands it to the
 * job that needs it and never echoes, stores or logs it (schema errors name the field, not the value).
 */
import { z } from 'zod';
import { fileRefSchema } from './file-ref';

export const CRYPTO_PROFILES = ['world', 'fips', 'sm'] as const;
export type CryptoProfileName = (typeof CRYPTO_PROFILES)[number];
export const SIGNING_ALGORITHMS = ['ed25519', 'p256', 'p384', 'rsa-pss-3072', 'sm2'] as const;
export type SigningAlgorithmName = (typeof SIGNING_ALGORITHMS)[number];
export const TRUST_PURPOSES = ['attestations', 'kits', 'plugins'] as const;
export type TrustPurposeName = (typeof TRUST_PURPOSES)[number];

const name = z.string().min(1).max(64);
const sha256Digest = z.string().regex(/^sha256:[0-9a-f]{64}$/);

export const attestRequestSchemas = {
  'keys.list': z.object({}).strict(),
  /** Create a key in the workstation keystore, protected by `passphrase` (sent once, never stored by the UI). */
  'keys.generate': z
    .object({ name, profile: z.enum(CRYPTO_PROFILES), algorithm: z.enum(SIGNING_ALGORITHMS).optional(), passphrase: z.string().min(1).max(1024), makeDefault: z.boolean().optional() })
    .strict(),
  /** The key's public half as PEM (audited: `key.public-exported`). */
  'keys.exportPublic': z.object({ name }).strict(),
  'trust.list': z.object({}).strict(),
  /** Trust a PEM public key or a trusted_root.json for the given purposes (audited: `trust.added`). */
  'trust.add': z.object({ file: fileRefSchema, name: name.optional(), purposes: z.array(z.enum(TRUST_PURPOSES)).min(1).max(3) }).strict(),
  'trust.remove': z.object({ name }).strict(),
  /** Everything signed on this workstation, newest first (the transparency log is the index). */
  'attest.list': z.object({ offset: z.number().int().nonnegative().optional(), limit: z.number().int().min(1).max(500).optional() }).strict(),
  /** Verify a Sigstore bundle, DSSE envelope, in-toto bundle or JSONL of them against an artifact (file or digest). */
  'attest.verify': z
    .object({
      bundle: fileRefSchema,
      artifact: z.union([z.object({ file: fileRefSchema }).strict(), z.object({ digest: sha256Digest }).strict()]),
      trustedRoot: fileRefSchema.optional(),
      key: fileRefSchema.optional(),
      identity: z.object({ subjectAlternativeName: z.string().min(1).max(1000), issuer: z.string().min(1).max(1000) }).strict().optional(),
    })
    .strict(),
  'log.info': z.object({}).strict(),
  /** One entry's inclusion proof, checkpoint and consistency with the latest checkpoint, each checked. */
  'log.proof': z.object({ entry: z.string().regex(/^(0|[1-9][0-9]{0,15}|[0-9a-fA-F]{64})$/) }).strict(),
  /** One page of the audit trail, newest first. */
  'audit.list': z
    .object({ kind: z.string().regex(/^[a-z][a-z0-9.-]{0,99}$/).optional(), beforeSeq: z.number().int().positive().optional(), limit: z.number().int().min(1).max(500).optional() })
    .strict(),
  /** Check every entry's chain link, hash and signature; names the first bad entry. */
  'audit.verify': z.object({ expectHead: z.object({ seq: z.number().int().positive(), entryHash: sha256Digest }).strict().optional() }).strict(),
} as const;

export interface KeyView {
  name: string;
  keyId: string;
  profile: CryptoProfileName;
  algorithm: SigningAlgorithmName;
  isDefault: boolean;
  createdAt: string;
  /** SPKI PEM. */
  publicKey: string;
}

export interface KeyListing {
  keys: KeyView[];
  /** Each crypto profile, its algorithms (default first), and whether this platform offers it. */
  profiles: { profile: CryptoProfileName; algorithms: SigningAlgorithmName[]; available: boolean; reason?: string }[];
}

export interface PublicKeyExport {
  name: string;
  keyId: string;
  algorithm: SigningAlgorithmName;
  /** A file name to save it under (`<name>.pub.pem`). */
  fileName: string;
  pem: string;
}

export interface TrustEntryView {
  name: string;
  /** `public-key` or `trusted-root`. */
  kind: string;
  /** `workstation`: the workstation's own keys and log (always trusted, cannot be removed). */
  origin: 'added' | 'workstation';
  purposes: TrustPurposeName[];
  digest: string;
  keyIds: string[];
  algorithm?: string;
  addedAt: string;
}

export interface SignedItemView {
  logIndex: number;
  uuid: string;
  /** Rekor entry kind: `dsse`, `hashedrekord`, `intoto`. */
  kind: string;
  integratedTime: string;
  /** What the entry commits to (the signed statement's digest, or the artifact's). */
  digest: string;
  signers: { keyId: string; keyName?: string; algorithm?: string }[];
  /** The audit entry of the job that signed it. */
  signedBy?: { seq: number; kind: string; at: string; subject: string; type?: string; predicateTypes: string[]; output?: string };
}

export interface SignedPage {
  total: number;
  offset: number;
  items: SignedItemView[];
}

export const CHECK_STATUSES = ['pass', 'fail', 'not-applicable'] as const;

export interface VerifiedItemView {
  /** Where the item came from: `bundle.jsonl line 2`, … */
  source: string;
  kind: 'sigstore-bundle' | 'dsse-envelope';
  verified: boolean;
  /** signature, signer-key, certificate-chain, certificate-identity, tlog-inclusion, timestamp, artifact-digest, statement, manifest. */
  checks: { name: string; status: (typeof CHECK_STATUSES)[number]; detail: string }[];
  signer?: { keyId?: string; label?: string; subjectAlternativeName?: string; issuer?: string };
  statement?: { predicateType: string; subjects: { name?: string; digest: Record<string, string> }[] };
  tlogEntries?: { logIndex: string; integratedTime: string; kind: string }[];
}

export interface VerifyReport {
  verified: boolean;
  artifact: { label: string; digests: Record<string, string> };
  items: VerifiedItemView[];
  /** Lines that are neither a bundle nor an envelope (ignored, as the in-toto bundle spec requires). */
  ignored: string[];
  /** The check that explains the failure best. */
  firstFailure?: { source: string; check: string; detail: string };
}

export interface LogInfoView {
  origin: string;
  baseUrl: string;
  /** base64 */
  logId: string;
  publicKey: string;
  treeSize: number;
  /** base64 */
  rootHash: string;
  checkpoint: string | null;
}

export interface LogProofView {
  entry: { index: number; uuid: string; kind: string; apiVersion: string; integratedTime: string; /** the Rekor entry body, pretty JSON */ body: string };
  /** hex */
  leafHash: string;
  inclusion: { treeSize: number; rootHash: string; path: { hash: string; side: 'left' | 'right' }[]; verified: boolean; problem?: string };
  checkpoint: { note: string; origin: string; treeSize: number; rootHash: string; signatureVerified: boolean; problem?: string };
  /** From the checkpoint that first covered the entry to the latest; null when that is the latest. */
  consistency: { fromSize: number; toSize: number; fromRoot: string; toRoot: string; fromCheckpoint: string; hashes: string[]; verified: boolean; problem?: string } | null;
  verified: boolean;
}

export interface AuditEntryView {
  seq: number;
  at: string;
  kind: string;
  subject: string;
  details: Record<string, unknown>;
  prevHash: string;
  entryHash: string;
  keyId: string;
  signature: string;
}

export interface AuditPageView {
  entries: AuditEntryView[];
  total: number;
  nextBeforeSeq?: number;
  kinds: { kind: string; count: number }[];
  head: { seq: number; entryHash: string };
}

export interface AuditVerifyView {
  ok: boolean;
  entries: number;
  head: { seq: number; entryHash: string };
  firstBad?: { seq: number; reason: string };
}

export interface AttestChannelResults {
  'keys.list': KeyListing;
  'keys.generate': KeyView;
  'keys.exportPublic': PublicKeyExport;
  'trust.list': TrustEntryView[];
  'trust.add': TrustEntryView;
  'trust.remove': TrustEntryView;
  'attest.list': SignedPage;
  'attest.verify': VerifyReport;
  'log.info': LogInfoView;
  'log.proof': LogProofView;
  'audit.list': AuditPageView;
  'audit.verify': AuditVerifyView;
}

// ---------- result schemas ----------
const count = z.number().int().nonnegative();
const profile = z.enum(CRYPTO_PROFILES);
const algorithm = z.enum(SIGNING_ALGORITHMS);

const keyView = z.object({ name: z.string(), keyId: z.string(), profile, algorithm, isDefault: z.boolean(), createdAt: z.string(), publicKey: z.string() }).strict();
const keyListing = z
  .object({ keys: z.array(keyView), profiles: z.array(z.object({ profile, algorithms: z.array(algorithm), available: z.boolean(), reason: z.string().optional() }).strict()) })
  .strict();
const publicKeyExport = z.object({ name: z.string(), keyId: z.string(), algorithm, fileName: z.string(), pem: z.string() }).strict();
const trustEntry = z
  .object({
    name: z.string(),
    kind: z.string(),
    origin: z.enum(['added', 'workstation']),
    purposes: z.array(z.enum(TRUST_PURPOSES)),
    digest: z.string(),
    keyIds: z.array(z.string()),
    algorithm: z.string().optional(),
    addedAt: z.string(),
  })
  .strict();
const signedItem = z
  .object({
    logIndex: count,
    uuid: z.string(),
    kind: z.string(),
    integratedTime: z.string(),
    digest: z.string(),
    signers: z.array(z.object({ keyId: z.string(), keyName: z.string().optional(), algorithm: z.string().optional() }).strict()),
    signedBy: z
      .object({ seq: count, kind: z.string(), at: z.string(), subject: z.string(), type: z.string().optional(), predicateTypes: z.array(z.string()), output: z.string().optional() })
      .strict()
      .optional(),
  })
  .strict();
const signedPage = z.object({ total: count, offset: count, items: z.array(signedItem) }).strict();
const digestSet = z.record(z.string(), z.string());
const verifiedItem = z
  .object({
    source: z.string(),
    kind: z.enum(['sigstore-bundle', 'dsse-envelope']),
    verified: z.boolean(),
    checks: z.array(z.object({ name: z.string(), status: z.enum(CHECK_STATUSES), detail: z.string() }).strict()),
    signer: z.object({ keyId: z.string().optional(), label: z.string().optional(), subjectAlternativeName: z.string().optional(), issuer: z.string().optional() }).strict().optional(),
    statement: z.object({ predicateType: z.string(), subjects: z.array(z.object({ name: z.string().optional(), digest: digestSet }).strict()) }).strict().optional(),
    tlogEntries: z.array(z.object({ logIndex: z.string(), integratedTime: z.string(), kind: z.string() }).strict()).optional(),
  })
  .strict();
const verifyReport = z
  .object({
    verified: z.boolean(),
    artifact: z.object({ label: z.string(), digests: digestSet }).strict(),
    items: z.array(verifiedItem),
    ignored: z.array(z.string()),
    firstFailure: z.object({ source: z.string(), check: z.string(), detail: z.string() }).strict().optional(),
  })
  .strict();
const logInfo = z
  .object({ origin: z.string(), baseUrl: z.string(), logId: z.string(), publicKey: z.string(), treeSize: count, rootHash: z.string(), checkpoint: z.string().nullable() })
  .strict();
const problem = z.string().optional();
const logProof = z
  .object({
    entry: z.object({ index: count, uuid: z.string(), kind: z.string(), apiVersion: z.string(), integratedTime: z.string(), body: z.string() }).strict(),
    leafHash: z.string(),
    inclusion: z.object({ treeSize: count, rootHash: z.string(), path: z.array(z.object({ hash: z.string(), side: z.enum(['left', 'right']) }).strict()), verified: z.boolean(), problem }).strict(),
    checkpoint: z.object({ note: z.string(), origin: z.string(), treeSize: count, rootHash: z.string(), signatureVerified: z.boolean(), problem }).strict(),
    consistency: z
      .object({ fromSize: count, toSize: count, fromRoot: z.string(), toRoot: z.string(), fromCheckpoint: z.string(), hashes: z.array(z.string()), verified: z.boolean(), problem })
      .strict()
      .nullable(),
    verified: z.boolean(),
  })
  .strict();
const head = z.object({ seq: count, entryHash: z.string() }).strict();
const auditEntry = z
  .object({ seq: count, at: z.string(), kind: z.string(), subject: z.string(), details: z.record(z.string(), z.unknown()), prevHash: z.string(), entryHash: z.string(), keyId: z.string(), signature: z.string() })
  .strict();
const auditPage = z
  .object({ entries: z.array(auditEntry), total: count, nextBeforeSeq: count.optional(), kinds: z.array(z.object({ kind: z.string(), count }).strict()), head })
  .strict();
const auditVerify = z.object({ ok: z.boolean(), entries: count, head, firstBad: z.object({ seq: count, reason: z.string() }).strict().optional() }).strict();

export const attestResultSchemas = {
  'keys.list': keyListing,
  'keys.generate': keyView,
  'keys.exportPublic': publicKeyExport,
  'trust.list': z.array(trustEntry),
  'trust.add': trustEntry,
  'trust.remove': trustEntry,
  'attest.list': signedPage,
  'attest.verify': verifyReport,
  'log.info': logInfo,
  'log.proof': logProof,
  'audit.list': auditPage,
  'audit.verify': auditVerify,
} as const satisfies { [C in keyof AttestChannelResults]: z.ZodType };

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type AllSame = { [C in keyof AttestChannelResults]: Same<z.infer<(typeof attestResultSchemas)[C]>, AttestChannelResults[C]> }[keyof AttestChannelResults];
const _attestOk: AllSame = true;
void _attestOk;
