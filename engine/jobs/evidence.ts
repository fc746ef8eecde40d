/**
 * Jobs: export the evidence bundle of a scan, and verify one. `stella export evidence|verify` and the
 * app's `export.evidence` / `export.verify` channels call these.
 *
 * Export: gather the scan's evidence (scan-evidence.ts), sign attestations over the SBOM, the
 * vulnerabilities, the VEX decisions and the verdict (Sigstore bundles, logged in the embedded
 * transparency log with inclusion proofs against the first checkpoint that covers each entry, so a
 * re-export logs nothing new and proves the same), add the trusted root, report.html, manifest,
 * checksums, verify.sh and the manifest signature, and write the `.tar.gz` atomically. The export is
 * audited (`export.evidence`) before the file appears at its path. Signing uses the workstation's
 * default key (the `world` one when there are several) unless a key is named.
 *
 * Byte-identical for the same inputs: every date comes from the scan record, every collection is
 * sorted, and Ed25519 (the default) signs deterministically. ECDSA, RSA-PSS and SM2 signatures are
 * randomized by their algorithms, so bundles signed with such a key differ in their signatures only.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sha256Digest } from '../core';
import type { Store } from '../store';
import { digestFile } from '../attest/statement';
import {
  PREDICATE_TYPES,
  assertPredicate,
  buildDsseBundle,
  buildStatement,
  buildTrustedRoot,
  defaultKeys,
  getKey,
  statementBytes,
  trustedKeysFor,
  parsePublicKey,
  keyIdOf,
  vsaFromVerdict,
  vulnsPredicateFromScan,
  workstationTlogs,
  type KeystoreOptions,
  type LocalSigningKey,
  type PredicateKind,
  type ResourceDescriptor,
  type VerificationKey,
} from '../attest';
import { appendAudit, auditHead } from '../audit';
import {
  ExportError,
  EVIDENCE_PATHS,
  SIGSTORE_BUNDLE_MEDIA_TYPE,
  assembleEvidenceBundle,
  attestationPath,
  bundleRootName,
  evidenceDocuments,
  jsonBytes,
  renderReportHtml,
  subjectArtifact,
  verdictPredicate,
  verifyEvidenceBundle,
  vexPredicate,
  type AttestationKind,
  type EvidenceFile,
  type EvidenceSigner,
  type EvidenceVerification,
  type ScanEvidence,
  type MediaWriteResult,
} from '../export';
import { createHash, createPublicKey } from 'node:crypto';
import { checkpoint, type JobContext } from './context';
import { STELLA_TOOL } from './attest';
import { resolveSigningKeys, type PassphraseSource } from './keys';
import { gatherScanEvidence, type EvidenceOptions } from './_internal/scan-evidence';
import { writeOutputAtomic } from './_internal/output-file';
import { readSmallFile } from './trust';

export interface ExportEvidenceInput extends EvidenceOptions {
  /** Where to write the bundle (`.tar.gz`). */
  output: string;
  /** Signing key name; default the workstation's default key (created on a fresh home). */
  key?: string;
  /** Also write the bundle to this folder (removable media) and read it back (`media.written` audited). */
  to?: string;
}

export interface ExportEvidenceResult {
  output: string;
  scanId: string;
  subject: string;
  /** sha256 of the bundle file. */
  digest: string;
  size: number;
  /** The folder the members live under. */
  root: string;
  files: number;
  manifestDigest: string;
  verdict: string;
  signer: EvidenceSigner;
  attestations: { kind: AttestationKind; path: string; logIndex: number; treeSize: number }[];
  replayManifest: { digest: string; recorded: boolean };
  /** The audit trail's head after this export was recorded: keep it to check the trail later (`stella audit verify --expect-head`). */
  auditHead: { seq: number; entryHash: string };
  /** The copy on the medium (`to`), read back. */
  media?: MediaWriteResult;
}

/** The key an export signs with when none is named: the `world` default, else the first default key. */
function defaultEvidenceKey(store: Store): string | undefined {
  const defaults = defaultKeys(store);
  return (defaults.find((k) => k.profile === 'world') ?? defaults[0])?.name;
}

/** The signer a bundle (and its report) names, without unlocking anything. */
export function evidenceSignerOf(store: Store, keyName: string | undefined): EvidenceSigner | null {
  const name = keyName ?? defaultEvidenceKey(store);
  if (name === undefined) return null;
  const rec = getKey(store, name);
  return { keyId: rec.keyId, algorithm: rec.algorithm, name: rec.name };
}

const SLSA_VERIFIER = STELLA_TOOL;

interface AttestationStatement {
  kind: AttestationKind;
  predicateKind: PredicateKind;
  type: string;
  predicate: unknown;
  /** The statement's canonical bytes when already computed (the verdict's: the VSA names its digest). */
  bytes?: Buffer;
}

/** One statement per attestation kind, all about the scanned artifact. */
function statementsOf(e: ScanEvidence, cdxBytes: Buffer, explainFile: { path: string; digest: string }, subjects: ResourceDescriptor[]): AttestationStatement[] {
  const verdict = verdictPredicate(e, explainFile);
  const verdictBytes = statementBytes(buildStatement(subjects, PREDICATE_TYPES.verdict, verdict));
  const verdictDigest = createHash('sha256').update(verdictBytes).digest('hex');
  return [
    { kind: 'sbom', predicateKind: 'cyclonedx', type: PREDICATE_TYPES.cyclonedx, predicate: JSON.parse(cdxBytes.toString('utf8')) },
    {
      kind: 'vulns',
      predicateKind: 'vulns',
      type: PREDICATE_TYPES.vulns,
      predicate: vulnsPredicateFromScan(e.scan, { id: e.snapshot.id ?? e.scan.snapshot, createdAt: e.snapshot.createdAt ?? e.scan.createdAt }, { uri: STELLA_TOOL.uri, version: e.engine.version }),
    },
    { kind: 'vex', predicateKind: 'openvex', type: PREDICATE_TYPES.openvex, predicate: vexPredicate(e, 'Stella Evidence Workstation (VEX consensus)') },
    { kind: 'verdict', predicateKind: 'verdict', type: PREDICATE_TYPES.verdict, predicate: verdict, bytes: verdictBytes },
    { kind: 'vsa', predicateKind: 'vsa', type: PREDICATE_TYPES.vsa, predicate: vsaFromVerdict(verdict, verdictDigest, { id: SLSA_VERIFIER.id, version: e.engine.version }) },
  ];
}

export async function exportEvidenceJob(store: Store, input: ExportEvidenceInput, passphrase: PassphraseSource, ctx: JobContext, opts: KeystoreOptions = {}): Promise<ExportEvidenceResult> {
  const evidence = await gatherScanEvidence(store, input, ctx);
  const artifact = subjectArtifact(evidence.scan.subject);
  if (!artifact) throw new ExportError('unsupported', `scan subject ${evidence.scan.subject} names no sha256 digest for the attestations to be about`, { details: { path: 'subject' } });
  await checkpoint(ctx);

  ctx.onProgress({ phase: 'unlocking signing key', done: 0 });
  const named = input.key ?? defaultEvidenceKey(store);
  const [key] = (await resolveSigningKeys(store, named !== undefined ? [named] : [], passphrase, ctx, opts)) as [LocalSigningKey];
  const signer: EvidenceSigner = { keyId: key.keyId, algorithm: key.algorithm, ...(key.name !== undefined ? { name: key.name } : {}) };
  await checkpoint(ctx);

  ctx.onProgress({ phase: 'writing evidence', done: 0 });
  const documents = evidenceDocuments(evidence);
  const cdx = documents.find((d) => d.path === EVIDENCE_PATHS.sbomCycloneDx) as EvidenceFile;
  const explain = documents.find((d) => d.path === EVIDENCE_PATHS.explain) as EvidenceFile;

  const subjects: ResourceDescriptor[] = [{ name: artifact.name, digest: { sha256: artifact.sha256 } }];
  const statements = statementsOf(evidence, cdx.bytes, { path: EVIDENCE_PATHS.explain, digest: sha256Digest(explain.bytes) }, subjects);
  const attestationFiles: EvidenceFile[] = [];
  const attestations: ExportEvidenceResult['attestations'] = [];
  for (const [i, st] of statements.entries()) {
    ctx.onProgress({ phase: 'signing attestations', done: i, total: statements.length });
    assertPredicate(st.predicateKind, st.predicate, `${st.kind} attestation`);
    const payload = st.bytes ?? statementBytes(buildStatement(subjects, st.type, st.predicate));
    const built = await buildDsseBundle(store, { payload, key }, ctx, { tlog: true, stableProof: true });
    const path = attestationPath(st.kind);
    attestationFiles.push({ path, bytes: jsonBytes(built.bundle), mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE });
    if (built.logEntry) attestations.push({ kind: st.kind, path, logIndex: built.logEntry.index, treeSize: built.logEntry.inclusionProof.treeSize });
    await checkpoint(ctx);
  }
  ctx.onProgress({ phase: 'signing attestations', done: statements.length, total: statements.length });

  const root = bundleRootName(evidence.scan.id);
  const report = renderReportHtml({ evidence, signer, bundleRoot: root });
  const files: EvidenceFile[] = [
    ...documents,
    ...attestationFiles,
    // the workstation's log only: the one log these attestations are in
    { path: EVIDENCE_PATHS.trustedRoot, bytes: jsonBytes(buildTrustedRoot(workstationTlogs(store))), mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1' },
    { path: EVIDENCE_PATHS.report, bytes: Buffer.from(report, 'utf8'), mediaType: 'text/html; charset=utf-8' },
  ];
  const bundle = await assembleEvidenceBundle({
    root,
    files,
    scan: { id: evidence.scan.id, subject: evidence.scan.subject, createdAt: evidence.scan.createdAt, snapshot: evidence.scan.snapshot, sbomId: evidence.scan.sbomId ?? null },
    verdict: { verdict: evidence.policy.evaluation.verdict, pack: evidence.policy.evaluation.pack },
    engine: evidence.engine,
    signer: key,
  });
  await checkpoint(ctx);

  ctx.onProgress({ phase: 'writing bundle', done: 0, total: bundle.archive.byteLength });
  writeOutputAtomic(input.output, bundle.archive, () => {
    appendAudit(
      store,
      {
        kind: 'export.evidence',
        subject: evidence.scan.subject,
        details: {
          scanId: evidence.scan.id,
          output: basename(input.output),
          digest: bundle.digest,
          manifest: `sha256:${createHash('sha256').update(bundle.manifestBytes).digest('hex')}`,
          keyId: key.keyId,
          verdict: evidence.policy.evaluation.verdict,
          logIndexes: attestations.map((a) => a.logIndex),
        },
      },
      ctx,
    );
  });
  ctx.onProgress({ phase: 'writing bundle', done: bundle.archive.byteLength, total: bundle.archive.byteLength });
  // The bundle is complete and audited in the exports folder before any byte goes to the medium.
  const media = input.to === undefined ? undefined : await (await import('./kit')).writeMediaJob(store, { source: input.output, to: input.to }, ctx);
  return {
    output: input.output,
    scanId: evidence.scan.id,
    subject: evidence.scan.subject,
    digest: bundle.digest,
    size: bundle.archive.byteLength,
    root,
    files: bundle.members.length,
    manifestDigest: `sha256:${createHash('sha256').update(bundle.manifestBytes).digest('hex')}`,
    verdict: evidence.policy.evaluation.verdict,
    signer,
    attestations,
    replayManifest: { digest: evidence.replay.digest, recorded: evidence.replay.recorded },
    auditHead: auditHead(store),
    ...(media ? { media } : {}),
  };
}

export interface VerifyEvidenceInput {
  /** The bundle file (`.tar.gz`). */
  bundle: string;
  /** A public key (PEM file) the bundle must be signed by; default: the keys this workstation trusts for attestations. */
  keyFile?: string;
}

export type VerifyEvidenceResult = EvidenceVerification & { bundle: string; digest: string };

/** Verify a bundle: integrity (exit 3 when damaged), signature and signer trust (exit 6), attestations. */
export async function verifyEvidenceJob(store: Store, input: VerifyEvidenceInput, ctx: JobContext): Promise<VerifyEvidenceResult> {
  ctx.onProgress({ phase: 'verifying bundle', done: 0 });
  let trustedKeys: VerificationKey[];
  if (input.keyFile !== undefined) {
    const key = parsePublicKey(readSmallFile(input.keyFile, 'a public key'), input.keyFile);
    trustedKeys = [{ keyId: keyIdOf(key), publicKey: createPublicKey(key.export({ type: 'spki', format: 'pem' })), label: basename(input.keyFile) }];
  } else trustedKeys = trustedKeysFor(store, 'attestations');
  const r = await verifyEvidenceBundle(input.bundle, basename(input.bundle), { trustedKeys, explicitKey: input.keyFile !== undefined, signal: ctx.signal });
  let digest = '';
  try {
    digest = `sha256:${(await digestFile(input.bundle)).sha256}`;
  } catch {
    digest = '';
  }
  ctx.onProgress({ phase: 'verifying bundle', done: 1, total: 1 });
  return { ...r, bundle: input.bundle, digest };
}

/** Where the app's hosts write bundles: `<home>/exports/` (private to the user, like the rest of the home). */
export const EXPORTS_DIR = 'exports';

/** The bundle file name of a scan in the exports folder. */
export function evidenceFileName(scanId: string): string {
  return `${bundleRootName(scanId)}.tar.gz`;
}

/** Largest exported file read back (`readExportedFile`). */
export const MAX_EXPORTED_FILE_BYTES = 512 * 1024 * 1024;

/** A file the app exported into `<home>/exports/` (by its plain file name only), for download or display. */
export function readExportedFile(store: Store, fileName: string): { fileName: string; bytes: Buffer; digest: string } {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/.test(fileName)) {
    throw new ExportError('not-found', `${JSON.stringify(fileName)} is not the name of an exported file`, { details: { path: 'fileName', expected: 'a plain file name from the exports folder' } });
  }
  const path = join(store.home, EXPORTS_DIR, fileName);
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error('not a regular file');
    size = st.size;
  } catch (cause) {
    throw new ExportError('not-found', `no exported file ${fileName}`, { cause, details: { path: 'fileName' } });
  }
  if (size > MAX_EXPORTED_FILE_BYTES) throw new ExportError('unsupported', `${fileName} is ${size} bytes, more than the ${MAX_EXPORTED_FILE_BYTES} bytes served back`, { details: { path: 'fileName' } });
  const bytes = readFileSync(path);
  return { fileName, bytes, digest: sha256Digest(bytes) };
}
