/**
 * Verifying an evidence bundle — what `stella export verify` and the app run, and what verify.sh does
 * with shell tools, plus the checks a shell cannot make (the attestations). Nothing is extracted to disk:
 * the archive is read in memory by engine/core's bounded reader, which refuses traversal, links and
 * duplicate names.
 *
 * Checks, in the order that decides the outcome:
 *   integrity (a failure means the bundle is damaged, exit 3) — `archive` (a readable .tar.gz with the
 *   gzip header we write), `layout` (one bundle folder), `manifest` (canonical JSON of the documented
 *   shape), `checksums` (checksums.sha256 is the file the manifest names, listing exactly its files),
 *   `files` (every listed member present with its digest and size, nothing else);
 *   trust (a failure means the bundle must not be believed, exit 6) — `signature` (manifest.json.sig over
 *   manifest.json with keys/signer.pem, which must be the key the manifest names), `signer` (that key is
 *   trusted here, or is the key the caller gave), `attestations` (each Sigstore bundle verifies against
 *   the bundle's trusted root and the signer key, for the scanned artifact).
 */
import { createPublicKey } from 'node:crypto';
import { openSync, readSync, closeSync } from 'node:fs';
import { canonicalJson, readTarGz, sha256Digest, type ArchiveEntry, type ArchiveLimits } from '../core';
import {
  algorithmOfKey,
  keyIdOf,
  parsePublicKey,
  parseTrustedRoot,
  verifySignature,
  verifySigstoreBundle,
  type ItemVerification,
  type VerificationKey,
} from '../attest';
import { CHECKSUMS_FILE, EVIDENCE_BUNDLE_TYPE, MANIFEST_FILE, META_FILES, SIGNATURE_FILE, SIGNER_KEY_FILE, type EvidenceManifest } from './evidence-bundle';
import { EVIDENCE_PATHS } from './evidence-documents';
import { subjectArtifact } from './evidence-model';

export type EvidenceCheckName = 'archive' | 'layout' | 'manifest' | 'checksums' | 'files' | 'signature' | 'signer' | 'attestations';
export type EvidenceCheckStatus = 'pass' | 'fail' | 'skipped';

export interface EvidenceCheck {
  name: EvidenceCheckName;
  status: EvidenceCheckStatus;
  detail: string;
}

/** `ok`, `damaged` (exit 3) or `untrusted` (exit 6): the first failing check decides. */
export type EvidenceOutcome = 'ok' | 'damaged' | 'untrusted';

export interface EvidenceVerification {
  outcome: EvidenceOutcome;
  /** The bundle folder, when the archive could be read. */
  root: string | null;
  manifest: EvidenceManifest | null;
  checks: EvidenceCheck[];
  signer: { keyId: string; algorithm: string; trustedAs: string | null } | null;
  attestations: ItemVerification[];
  /** The check that decided a failure. */
  failure: EvidenceCheck | null;
}

const INTEGRITY: readonly EvidenceCheckName[] = ['archive', 'layout', 'manifest', 'checksums', 'files'];
const ORDER: readonly EvidenceCheckName[] = [...INTEGRITY, 'signature', 'signer', 'attestations'];

/** The 10-byte gzip header engine/core's writer produces: deflate, no flags, mtime 0, XFL 2 (level 9), OS 3. */
export const CANONICAL_GZIP_HEADER = Buffer.from('1f8b0800000000000203', 'hex');

/** Limits for reading a bundle: generous for big scans, bounded against hostile archives. */
export const EVIDENCE_ARCHIVE_LIMITS: Partial<ArchiveLimits> = { maxEntries: 10_000 };

export interface VerifyEvidenceOptions {
  /** Keys that may sign evidence here (the workstation's own and those trusted for attestations), or the one the caller gave. */
  trustedKeys: readonly VerificationKey[];
  /** The keys were given explicitly (`--key`): say so in the signer check. */
  explicitKey?: boolean;
  signal?: AbortSignal;
}

function headerOf(source: string | Uint8Array): Buffer {
  if (typeof source !== 'string') return Buffer.from(source.subarray(0, 10));
  const fd = openSync(source, 'r');
  try {
    const b = Buffer.alloc(10);
    const n = readSync(fd, b, 0, 10, 0);
    return b.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function parseManifest(bytes: Buffer): { manifest: EvidenceManifest } | { problem: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    return { problem: `${MANIFEST_FILE} is not JSON (${(e as Error).message})` };
  }
  const m = doc as Partial<EvidenceManifest>;
  if (!m || typeof m !== 'object' || m.type !== EVIDENCE_BUNDLE_TYPE) return { problem: `${MANIFEST_FILE}: /type is not ${EVIDENCE_BUNDLE_TYPE}` };
  if (canonicalJson(doc) !== bytes.toString('utf8')) return { problem: `${MANIFEST_FILE} is not in canonical JSON form (RFC 8785), as the bundle writes it` };
  if (typeof m.root !== 'string' || !m.scan || typeof m.scan.subject !== 'string' || typeof m.scan.id !== 'string') return { problem: `${MANIFEST_FILE}: /root or /scan is missing` };
  if (!m.signer || typeof m.signer.keyId !== 'string' || typeof m.signer.algorithm !== 'string') return { problem: `${MANIFEST_FILE}: /signer is missing` };
  if (!m.checksums || typeof m.checksums.digest !== 'string' || m.checksums.path !== CHECKSUMS_FILE) return { problem: `${MANIFEST_FILE}: /checksums is missing` };
  if (!Array.isArray(m.files) || m.files.some((f) => !f || typeof f.path !== 'string' || typeof f.digest !== 'string' || typeof f.size !== 'number')) return { problem: `${MANIFEST_FILE}: /files must list {path, digest, size, mediaType}` };
  return { manifest: m as EvidenceManifest };
}

/** Parse `sha256sum` lines; null when a line is not `<64 hex>  <path>`. */
function parseChecksums(text: string): Map<string, string> | null {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!m || out.has(m[2] as string)) return null;
    out.set(m[2] as string, m[1] as string);
  }
  return out;
}

function hashOf(algorithm: string): { hash?: 'sha256' | 'sha384' } {
  return algorithm === 'p384' ? { hash: 'sha384' } : algorithm === 'p256' || algorithm === 'rsa-pss-3072' ? { hash: 'sha256' } : {};
}

export async function verifyEvidenceBundle(source: string | Uint8Array, label: string, opts: VerifyEvidenceOptions): Promise<EvidenceVerification> {
  const checks: EvidenceCheck[] = [];
  const result: EvidenceVerification = { outcome: 'ok', root: null, manifest: null, checks, signer: null, attestations: [], failure: null };
  const add = (name: EvidenceCheckName, status: EvidenceCheckStatus, detail: string): void => {
    checks.push({ name, status, detail });
  };
  const finish = (): EvidenceVerification => {
    for (const name of ORDER) if (!checks.some((c) => c.name === name)) add(name, 'skipped', 'not reached: an earlier check failed');
    checks.sort((a, b) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name));
    result.failure = checks.find((c) => c.status === 'fail') ?? null;
    result.outcome = result.failure === null ? 'ok' : INTEGRITY.includes(result.failure.name) ? 'damaged' : 'untrusted';
    return result;
  };

  // archive
  let entries: ArchiveEntry[];
  try {
    const header = headerOf(source);
    if (!header.equals(CANONICAL_GZIP_HEADER)) {
      add('archive', 'fail', `${label}: the gzip header is ${header.toString('hex')}, not the header an evidence bundle is written with (${CANONICAL_GZIP_HEADER.toString('hex')})`);
      return finish();
    }
    entries = await readTarGz(source, label, { limits: EVIDENCE_ARCHIVE_LIMITS, ...(opts.signal ? { signal: opts.signal } : {}) });
  } catch (e) {
    if ((e as { code?: string }).code === 'cancelled') throw e;
    add('archive', 'fail', (e as Error).message);
    return finish();
  }
  add('archive', 'pass', `${entries.length} members, a complete gzip stream`);

  // layout
  const roots = new Set(entries.map((e) => e.path.split('/')[0] as string));
  const root = [...roots][0];
  if (roots.size !== 1 || root === undefined || entries.some((e) => !e.path.includes('/'))) {
    add('layout', 'fail', `the members are not all inside one bundle folder (top-level names: ${[...roots].slice(0, 5).join(', ')})`);
    return finish();
  }
  result.root = root;
  const members = new Map(entries.map((e) => [e.path.slice(root.length + 1), Buffer.from(e.bytes)]));
  add('layout', 'pass', `one folder, ${root}/`);

  // manifest
  const manifestBytes = members.get(MANIFEST_FILE);
  if (!manifestBytes) {
    add('manifest', 'fail', `${MANIFEST_FILE} is missing`);
    return finish();
  }
  const parsed = parseManifest(manifestBytes);
  if ('problem' in parsed) {
    add('manifest', 'fail', parsed.problem);
    return finish();
  }
  const manifest = parsed.manifest;
  result.manifest = manifest;
  if (manifest.root !== root) add('manifest', 'fail', `${MANIFEST_FILE} names the folder ${manifest.root}, the archive holds ${root}`);
  else add('manifest', 'pass', `${manifest.files.length} files listed, scan ${manifest.scan.id}`);

  // checksums
  const checksumBytes = members.get(CHECKSUMS_FILE);
  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  if (!checksumBytes) add('checksums', 'fail', `${CHECKSUMS_FILE} is missing`);
  else if (sha256Digest(checksumBytes) !== manifest.checksums.digest) add('checksums', 'fail', `${CHECKSUMS_FILE} has digest ${sha256Digest(checksumBytes)}, the manifest names ${manifest.checksums.digest}`);
  else {
    const lines = parseChecksums(checksumBytes.toString('utf8'));
    const disagree = lines === null ? ['(unreadable lines)'] : [...new Set([...lines.keys(), ...listed.keys()])].filter((p) => lines.get(p) === undefined || `sha256:${lines.get(p)}` !== listed.get(p)?.digest);
    if (disagree.length) add('checksums', 'fail', `${CHECKSUMS_FILE} and ${MANIFEST_FILE} disagree about ${disagree.slice(0, 5).join(', ')}`);
    else add('checksums', 'pass', `${listed.size} lines, as the manifest lists them`);
  }

  // files
  const problems: string[] = [];
  for (const f of manifest.files) {
    const bytes = members.get(f.path);
    if (!bytes) problems.push(`${f.path} is missing`);
    else if (bytes.byteLength !== f.size || sha256Digest(bytes) !== f.digest) problems.push(`${f.path} was changed (digest ${sha256Digest(bytes)}, listed ${f.digest})`);
  }
  for (const p of members.keys()) if (!listed.has(p) && !META_FILES.includes(p)) problems.push(`${p} is not listed in the manifest (an extra file)`);
  if (problems.length) add('files', 'fail', problems.slice(0, 10).join('; ') + (problems.length > 10 ? ` … and ${problems.length - 10} more` : ''));
  else add('files', 'pass', `${manifest.files.length} files with their listed digests, nothing extra`);

  // signature
  const keyPem = members.get(SIGNER_KEY_FILE);
  const signature = members.get(SIGNATURE_FILE);
  let signerKey: VerificationKey | undefined;
  if (!keyPem || !signature) add('signature', 'fail', `${!keyPem ? SIGNER_KEY_FILE : SIGNATURE_FILE} is missing`);
  else {
    try {
      const key = parsePublicKey(keyPem.toString('utf8'), SIGNER_KEY_FILE);
      const keyId = keyIdOf(key);
      const algorithm = algorithmOfKey(key) ?? 'unknown';
      result.signer = { keyId, algorithm, trustedAs: null };
      if (keyId !== manifest.signer.keyId || algorithm !== manifest.signer.algorithm) {
        add('signature', 'fail', `${SIGNER_KEY_FILE} is key ${keyId} (${algorithm}); the manifest names ${manifest.signer.keyId} (${manifest.signer.algorithm})`);
      } else if (!verifySignature(key, manifestBytes, signature, hashOf(algorithm))) {
        add('signature', 'fail', `${SIGNATURE_FILE} is not a valid ${algorithm} signature over ${MANIFEST_FILE} by key ${keyId}`);
      } else {
        add('signature', 'pass', `${MANIFEST_FILE} is signed by key ${keyId} (${algorithm})`);
        signerKey = { keyId, publicKey: createPublicKey(key.export({ type: 'spki', format: 'pem' })), label: 'bundle signer' };
      }
    } catch (e) {
      add('signature', 'fail', (e as Error).message);
    }
  }

  // signer
  if (signerKey && result.signer) {
    const trusted = opts.trustedKeys.find((k) => k.keyId === signerKey.keyId);
    if (trusted) {
      result.signer.trustedAs = trusted.label ?? trusted.keyId;
      add('signer', 'pass', `key ${signerKey.keyId} is ${opts.explicitKey ? 'the key given' : `trusted here (${trusted.label ?? 'trusted key'})`}`);
    } else {
      add('signer', 'fail', opts.explicitKey ? `signed by key ${signerKey.keyId}, not by the key given` : `key ${signerKey.keyId} is not trusted on this workstation for attestations (stella trust add KEY --purpose attestations, or give --key)`);
    }
  }

  // attestations
  if (signerKey) {
    const artifact = subjectArtifact(manifest.scan.subject);
    const rootBytes = members.get(EVIDENCE_PATHS.trustedRoot);
    const files = manifest.files.filter((f) => f.path.startsWith('attestations/'));
    if (!artifact) add('attestations', 'fail', `the scan subject ${manifest.scan.subject} names no sha256 digest to check the attestations against`);
    else if (!rootBytes) add('attestations', 'fail', `${EVIDENCE_PATHS.trustedRoot} is missing`);
    else if (files.length === 0) add('attestations', 'fail', 'the bundle carries no attestation');
    else {
      try {
        const trustedRoot = parseTrustedRoot(JSON.parse(rootBytes.toString('utf8')), EVIDENCE_PATHS.trustedRoot).root;
        for (const f of files) {
          const bytes = members.get(f.path);
          if (!bytes) continue;
          result.attestations.push(
            verifySigstoreBundle(JSON.parse(bytes.toString('utf8')), f.path, { trustedRoots: [trustedRoot], keys: [signerKey], explicitKeys: true }, { artifact: { digests: { sha256: artifact.sha256 }, label: manifest.scan.subject }, tlogThreshold: 1 }),
          );
        }
        const bad = result.attestations.filter((a) => !a.verified);
        if (bad.length) {
          const why = bad.map((a) => `${a.source}: ${a.checks.filter((c) => c.status === 'fail').map((c) => `${c.name} (${c.detail})`).join(', ')}`);
          add('attestations', 'fail', why.slice(0, 5).join('; '));
        } else add('attestations', 'pass', `${result.attestations.length} Sigstore bundles verify for ${manifest.scan.subject}, logged with inclusion proofs`);
      } catch (e) {
        add('attestations', 'fail', (e as Error).message);
      }
    }
  }
  return finish();
}
