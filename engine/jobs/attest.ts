/**
 * Attestation jobs: sign statements into Sigstore bundles (logged to the embedded transparency log),
 * and verify bundles and envelopes (ours and external) with a per-check report. Hosts only parse
 * arguments, call one of these, and format the result. The log's jobs are in log.ts.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createPublicKey } from 'node:crypto';
import {
  type ArtifactInput,
  type CheckName,
  type ItemVerification,
  type KeystoreOptions,
  type PredicateKind,
  type ResourceDescriptor,
  type Statement,
  type VerdictPredicate,
  type VerificationMaterial,
  AttestError,
  INTOTO_PAYLOAD_TYPE,
  PREDICATE_TYPES,
  assertPredicate,
  buildDsseBundle,
  buildIntotoBundle,
  buildStatement,
  classifyPredicateType,
  cosignVulnPredicateFromScan,
  digestFile,
  envelopePayload,
  keyIdOf,
  manifestProblems,
  parseEnvelope,
  parsePublicKey,
  parseStatement,
  parseTrustedRoot,
  readAttestationItems,
  signEnvelope,
  statementBytes,
  verificationMaterialFor,
  verifyDsseItem,
  verifySigstoreBundle,
  vsaFromVerdict,
  vulnsPredicateFromScan,
} from '../attest';
import { appendAudit } from '../audit';
import { type Store, writeFileAtomic } from '../store';
import { checkpoint, type JobContext } from './context';
import { type PassphraseSource, resolveSigningKeys } from './keys';
import { readSmallFile } from './trust';

/** Who the workstation is, in the predicates it writes. */
export const STELLA_TOOL = { id: 'https://stella.invalid/workstation', uri: 'pkg:generic/stella-evidence-workstation@0.1.0', version: '0.1.0' } as const;

export type AttestType = 'sbom' | 'vuln' | 'vex' | 'verdict' | 'custom';
export const ATTEST_TYPES: readonly AttestType[] = ['sbom', 'vuln', 'vex', 'verdict', 'custom'];

export interface AttestSignInput {
  type: AttestType;
  predicateFile: string;
  subjectFiles: readonly string[];
  /** Key names; empty = the default key of each profile (created on a fresh home). */
  keys: readonly string[];
  output: string;
  /** Required for `custom`. */
  predicateType?: string;
  /** For `vuln`: the in-toto vulns v0.2 shape (default) or cosign's vuln/v1. */
  vulnFormat?: 'in-toto' | 'cosign';
  /** Log to the embedded transparency log (default true). */
  tlog?: boolean;
  /** Also write an in-toto bundle (.intoto.jsonl: one multi-signature envelope per statement + signed manifest). */
  intotoOutput?: string;
}

export interface AttestSignResult {
  output: string;
  intotoOutput?: string;
  subjects: ResourceDescriptor[];
  bundles: { line: number; predicateType: string; keyId: string; keyName?: string; algorithm: string; logIndex?: number; treeSize?: number }[];
}

const MAX_PREDICATE_BYTES = 256 * 1024 * 1024;

function readJson(path: string, what: string): unknown {
  const size = statSync(path).size;
  if (size > MAX_PREDICATE_BYTES) throw new AttestError('invalid-predicate', `${path}: ${size} bytes is larger than the ${MAX_PREDICATE_BYTES}-byte limit for ${what}`, { details: { file: path } });
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new AttestError('invalid-predicate', `${path}: ${what} must be JSON (${(cause as Error).message})`, { cause, details: { file: path, expected: 'JSON' } });
  }
}

/** The statement(s) for `--type`; `verdict` yields the full verdict and its SLSA verification summary. */
async function statementsFor(store: Store, input: AttestSignInput, subjects: ResourceDescriptor[]): Promise<Statement[]> {
  const file = input.predicateFile;
  const predicate = readJson(file, 'the predicate');
  const one = (kind: PredicateKind, type: string, p: unknown): Statement[] => {
    assertPredicate(kind, p, file);
    return [buildStatement(subjects, type, p)];
  };
  switch (input.type) {
    case 'sbom': {
      // loaded on demand: the SBOM validators (schemas) cost start-up time other commands need not pay
      const { validateSbom } = await import('../sbom');
      const v = await validateSbom(readFileSync(file), { fileName: file });
      if (!v.valid) throw new AttestError('invalid-predicate', `${file}: not a valid SBOM — ${v.errors.slice(0, 5).map((e) => `${e.path}: ${e.message}`).join('; ')}`, { details: { file, problems: v.errors } });
      if (v.format === 'cyclonedx-json') return one('cyclonedx', PREDICATE_TYPES.cyclonedx, predicate);
      if (v.format === 'spdx-json' || v.format === 'spdx3-jsonld') return one('spdx', PREDICATE_TYPES.spdx, predicate);
      throw new AttestError('invalid-predicate', `${file}: a ${v.format ?? 'non-SBOM'} document cannot be an in-toto predicate; give CycloneDX JSON or SPDX JSON (\`stella sbom export … --format cyclonedx-json\`)`, { details: { file, expected: 'CycloneDX JSON or SPDX JSON' } });
    }
    case 'vuln': {
      const o = predicate as Record<string, unknown>;
      const cosign = input.vulnFormat === 'cosign';
      if (o && typeof o === 'object' && typeof o.scanId === 'string' && Array.isArray(o.findings)) {
        // `stella scan --json` output: build the predicate from the stored scan and its snapshot
        const [{ getScan }, { getSnapshot }] = await Promise.all([import('../match'), import('../advisories')]);
        const scan = getScan(store, o.scanId);
        const snap = getSnapshot(store, scan.snapshot);
        const ref = { id: scan.snapshot, createdAt: snap.createdAt ?? scan.createdAt };
        return cosign ? one('cosign-vuln', PREDICATE_TYPES.cosignVuln, cosignVulnPredicateFromScan(scan, ref, STELLA_TOOL)) : one('vulns', PREDICATE_TYPES.vulns, vulnsPredicateFromScan(scan, ref, STELLA_TOOL));
      }
      return cosign ? one('cosign-vuln', PREDICATE_TYPES.cosignVuln, predicate) : one('vulns', PREDICATE_TYPES.vulns, predicate);
    }
    case 'vex':
      return one('openvex', PREDICATE_TYPES.openvex, predicate);
    case 'verdict': {
      assertPredicate('verdict', predicate, file);
      const verdict = buildStatement(subjects, PREDICATE_TYPES.verdict, predicate);
      const digest = (await import('node:crypto')).createHash('sha256').update(statementBytes(verdict)).digest('hex');
      const vsa = vsaFromVerdict(predicate as VerdictPredicate, digest, STELLA_TOOL);
      assertPredicate('vsa', vsa, `${file} (derived verification summary)`);
      return [buildStatement(subjects, PREDICATE_TYPES.vsa, vsa), verdict];
    }
    case 'custom': {
      if (!input.predicateType) throw new AttestError('invalid-predicate', '--type custom needs --predicate-type URI');
      const kind = classifyPredicateType(input.predicateType);
      return one(kind, input.predicateType, predicate);
    }
  }
}

/**
 * Sign: one Sigstore bundle per statement and key, each logged to the embedded log, written as one
 * bundle per line to `output` (a single key and statement give an ordinary one-bundle file).
 */
export async function attestSignJob(store: Store, input: AttestSignInput, passphrase: PassphraseSource, ctx: JobContext, opts: KeystoreOptions = {}): Promise<AttestSignResult> {
  if (input.subjectFiles.length === 0) throw new AttestError('invalid-statement', 'at least one --subject FILE is needed');
  ctx.onProgress({ phase: 'hashing subjects', done: 0, total: input.subjectFiles.length });
  const subjects: ResourceDescriptor[] = [];
  for (const f of input.subjectFiles) {
    if (!existsSync(f) || !statSync(f).isFile()) throw new AttestError('invalid-statement', `--subject ${f}: not a readable file`, { details: { file: f } });
    subjects.push({ name: basename(f), digest: { sha256: (await digestFile(f)).sha256 } });
    await checkpoint(ctx);
  }
  const statements = await statementsFor(store, input, subjects);
  const keys = await resolveSigningKeys(store, input.keys, passphrase, ctx, opts);
  const lines: string[] = [];
  const bundles: AttestSignResult['bundles'] = [];
  ctx.onProgress({ phase: 'signing', done: 0, total: statements.length * keys.length });
  for (const st of statements) {
    for (const key of keys) {
      const built = await buildDsseBundle(store, { payload: statementBytes(st), key }, ctx, { tlog: input.tlog !== false });
      lines.push(JSON.stringify(built.bundle));
      bundles.push({
        line: lines.length,
        predicateType: st.predicateType,
        keyId: key.keyId,
        ...(key.name !== undefined ? { keyName: key.name } : {}),
        algorithm: key.algorithm,
        ...(built.logEntry ? { logIndex: built.logEntry.index, treeSize: built.logEntry.inclusionProof.treeSize } : {}),
      });
      ctx.onProgress({ phase: 'signing', done: bundles.length, total: statements.length * keys.length });
    }
  }
  let intoto: string | undefined;
  if (input.intotoOutput !== undefined) {
    const envelopes = [];
    for (const st of statements) envelopes.push(await signEnvelope(INTOTO_PAYLOAD_TYPE, statementBytes(st), keys));
    intoto = (await buildIntotoBundle(envelopes, subjects, keys)).text;
  }
  await checkpoint(ctx);
  writeFileAtomic(input.output, `${lines.join('\n')}\n`);
  if (intoto !== undefined && input.intotoOutput !== undefined) writeFileAtomic(input.intotoOutput, intoto);
  appendAudit(
    store,
    {
      kind: 'attest.signed',
      subject: subjects.map((s) => `${s.name}@sha256:${s.digest.sha256}`).join(', '),
      details: { type: input.type, predicateTypes: statements.map((s) => s.predicateType), keyIds: keys.map((k) => k.keyId), logIndexes: bundles.flatMap((b) => (b.logIndex !== undefined ? [b.logIndex] : [])), output: basename(input.output) },
    },
    ctx,
  );
  return { output: input.output, ...(input.intotoOutput !== undefined ? { intotoOutput: input.intotoOutput } : {}), subjects, bundles };
}

export interface AttestVerifyInput {
  bundleFile: string;
  /** A file path, or `ALG:VALUE` (`sha256:<hex>`; other digest-set keys such as `sha512:` are accepted too). */
  artifact: string;
  trustedRootFile?: string;
  keyFile?: string;
  identity?: { subjectAlternativeName: string; issuer: string };
  tlogThreshold?: number;
}

export interface AttestVerifyResult {
  verified: boolean;
  artifact: { label: string; digests: Record<string, string> };
  items: ItemVerification[];
  /** Lines/items that are neither a bundle nor an envelope (ignored, as the in-toto bundle spec requires). */
  ignored: string[];
  /** The first failing check, for the one-line error. */
  firstFailure?: { source: string; check: string; detail: string };
}

async function artifactInput(spec: string): Promise<ArtifactInput> {
  if (existsSync(spec) && statSync(spec).isFile()) {
    const d = await digestFile(spec);
    return { digests: { sha256: d.sha256, ...(d.sha512 ? { sha512: d.sha512 } : {}) }, bytes: readFileSync(spec), label: basename(spec) };
  }
  const m = /^([a-z0-9_]+):(\S+)$/i.exec(spec);
  if (!m) throw new AttestError('invalid-statement', `${spec}: neither a readable file nor a digest like sha256:<64 hex>`, { details: { expected: 'ARTIFACT_FILE or sha256:HEX' } });
  const alg = (m[1] as string).toLowerCase();
  const value = m[2] as string;
  if (alg === 'sha256' && !/^[0-9a-f]{64}$/.test(value)) throw new AttestError('invalid-statement', `${spec}: a sha256 digest is 64 lowercase hex digits`, { details: { expected: 'sha256:<64 hex>' } });
  return { digests: { sha256: alg === 'sha256' ? value : (undefined as unknown as string), [alg]: value }, label: spec };
}

/** The trust material for `attest verify`: explicit files, else the workstation's trust for attestations. */
function materialFor(store: Store, input: AttestVerifyInput): VerificationMaterial {
  const workstation = verificationMaterialFor(store, 'attestations');
  const material: VerificationMaterial = { trustedRoots: workstation.trustedRoots, keys: workstation.keys };
  if (input.trustedRootFile !== undefined) material.trustedRoots = [parseTrustedRoot(readSmallFile(input.trustedRootFile, 'a trusted root', 64 * 1024 * 1024), input.trustedRootFile).root];
  if (input.keyFile !== undefined) {
    const key = parsePublicKey(readSmallFile(input.keyFile, 'a public key'), input.keyFile);
    material.keys = [{ keyId: keyIdOf(key), publicKey: createPublicKey(key.export({ type: 'spki', format: 'pem' })), label: basename(input.keyFile) }];
    material.explicitKeys = true;
  }
  return material;
}

const FAILURE_ORDER: readonly CheckName[] = ['signature', 'signer-key', 'certificate-chain', 'tlog-inclusion', 'certificate-identity', 'artifact-digest', 'statement', 'manifest', 'timestamp'];

/** Verify every bundle / envelope in a file against the artifact; in-toto bundle manifests are checked against their file. */
export async function attestVerifyJob(store: Store, input: AttestVerifyInput, ctx: JobContext): Promise<AttestVerifyResult> {
  const text = readSmallFile(input.bundleFile, 'an attestation file', MAX_PREDICATE_BYTES);
  const { items, ignored } = readAttestationItems(text, basename(input.bundleFile));
  const artifact = await artifactInput(input.artifact);
  const material = materialFor(store, input);
  const opts = { artifact, ...(input.identity ? { identity: input.identity } : {}), tlogThreshold: input.tlogThreshold ?? 1 };
  const results: ItemVerification[] = [];
  const envelopes: { index: number; json: unknown }[] = [];
  ctx.onProgress({ phase: 'verifying', done: 0, total: items.length });
  for (const item of items) {
    if (item.kind === 'bundle') results.push(verifySigstoreBundle(item.json, item.source, material, opts));
    else {
      envelopes.push({ index: results.length, json: item.json });
      results.push(verifyDsseItem(item.json, item.source, material, opts));
    }
    ctx.onProgress({ phase: 'verifying', done: results.length, total: items.length });
    await checkpoint(ctx);
  }
  // A manifest (our in-toto bundles) must list exactly the other envelopes of the file.
  for (const e of envelopes) {
    const r = results[e.index] as ItemVerification;
    if (r.statement?.predicateType !== PREDICATE_TYPES.bundleManifest) continue;
    let predicate: unknown;
    try {
      predicate = parseStatement(envelopePayload(parseEnvelope(e.json))).predicate;
    } catch {
      predicate = undefined;
    }
    const others = envelopes.filter((o) => o !== e).map((o) => parseEnvelope(o.json));
    const problems = manifestProblems(predicate, others);
    r.checks.push(problems.length ? { name: 'manifest', status: 'fail', detail: problems.join('; ') } : { name: 'manifest', status: 'pass', detail: `the signed manifest lists exactly the ${others.length} other envelope(s)` });
    r.verified = r.verified && problems.length === 0;
  }
  const verified = results.length > 0 && results.every((r) => r.verified);
  const failing = results.find((r) => !r.verified);
  // name the check that explains the failure best (a time from a failed log entry fails as a consequence)
  const failCheck = failing?.checks.filter((c) => c.status === 'fail').sort((a, b) => FAILURE_ORDER.indexOf(a.name) - FAILURE_ORDER.indexOf(b.name))[0];
  return {
    verified,
    artifact: { label: artifact.label, digests: Object.fromEntries(Object.entries(artifact.digests).filter((e): e is [string, string] => typeof e[1] === 'string')) },
    items: results,
    ignored,
    ...(failing && failCheck ? { firstFailure: { source: failing.source, check: failCheck.name, detail: failCheck.detail } } : {}),
  };
}
