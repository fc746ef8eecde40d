/**
 * The evidence bundle's container: a deterministic `.tar.gz` (engine/core/archive: sorted members,
 * mtime 0, uid/gid 0, modes 0644/0755, a gzip header without time or name) whose members all live under
 * one folder, `stella-evidence-<scan id>/`:
 *
 *   manifest.json       canonical JSON (RFC 8785): what the bundle is about, the signer, and every other
 *                       member's path, media type, size and digest — plus the digest of checksums.sha256
 *   manifest.json.sig   the signer's detached signature over the exact bytes of manifest.json
 *   checksums.sha256    `sha256sum` lines for every member except these three
 *   verify.sh           checks all of it with POSIX sh, sha256sum and OpenSSL ≥ 3.0 (see verifyScript)
 *   keys/signer.pem     the signer's public key (SPKI PEM); its SHA-256 over DER is the key id
 *   …                   the evidence itself (evidence-documents.ts)
 *
 * The chain a verifier follows: signature → manifest.json → checksums.sha256 (by digest) → every member.
 * Same inputs and a deterministic signature scheme (Ed25519, the workstation default) give the same bytes.
 */
import { canonicalJson, deterministicTarGz, sha256Digest, sha256Hex, type ArchiveEntry, type Digest } from '../core';
import type { SigningAlgorithm, SigningKey } from '../attest';
import { ExportError } from './errors';

export const EVIDENCE_BUNDLE_TYPE = 'https://stella.invalid/evidence-bundle/v1';
export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.json.sig';
export const CHECKSUMS_FILE = 'checksums.sha256';
export const VERIFY_SCRIPT = 'verify.sh';
export const SIGNER_KEY_FILE = 'keys/signer.pem';
/** Members that checksums.sha256 cannot list (itself, and the two that name its digest). */
export const META_FILES: readonly string[] = [CHECKSUMS_FILE, MANIFEST_FILE, SIGNATURE_FILE];
/** OpenSSL's first release whose `pkeyutl -rawin` verifies Ed25519 over a file. */
export const MIN_OPENSSL = '3.0';

export interface EvidenceFile {
  /** Path below the bundle folder (`sbom/sbom.cdx.json`). */
  path: string;
  bytes: Buffer;
  mediaType: string;
  mode?: 0o644 | 0o755;
}

export interface EvidenceManifestFile {
  digest: Digest;
  mediaType: string;
  path: string;
  size: number;
}

export interface EvidenceManifest {
  type: typeof EVIDENCE_BUNDLE_TYPE;
  /** The folder every member lives under. */
  root: string;
  scan: { id: string; subject: string; createdAt: string; snapshot: string; sbomId: string | null };
  /** The policy verdict the bundle carries (null when none was evaluated). */
  verdict: { verdict: string; pack: { name: string; version: string; digest: string } } | null;
  engine: { name: string; version: string };
  signer: { keyId: string; algorithm: SigningAlgorithm; publicKey: typeof SIGNER_KEY_FILE };
  checksums: { digest: Digest; path: typeof CHECKSUMS_FILE };
  files: EvidenceManifestFile[];
}

export interface AssembledBundle {
  archive: Buffer;
  /** sha256 of the archive bytes. */
  digest: Digest;
  manifest: EvidenceManifest;
  manifestBytes: Buffer;
  signature: Buffer;
  /** Every member below the root folder, sorted (meta files included). */
  members: { path: string; size: number; digest: Digest }[];
}

/** The bundle's folder name: `stella-evidence-<scan id>` (characters outside [A-Za-z0-9._-] become `_`). */
export function bundleRootName(scanId: string): string {
  return `stella-evidence-${scanId.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** `sha256sum` format: `<64 hex><two spaces><path>\n`, sorted by path. */
export function checksumsText(files: readonly { path: string; bytes: Uint8Array }[]): string {
  return [...files]
    .sort(byPath)
    .map((f) => `${sha256Hex(f.bytes)}  ${f.path}\n`)
    .join('');
}

/** The OpenSSL command that checks `manifest.json.sig` for a signer algorithm (run in the bundle folder). */
export function opensslVerifyCommand(algorithm: SigningAlgorithm): string {
  const key = SIGNER_KEY_FILE;
  switch (algorithm) {
    case 'ed25519':
      // pure Ed25519 signs the message itself, not a digest: only pkeyutl -rawin (OpenSSL >= 3.0) does that
      return `openssl pkeyutl -verify -pubin -inkey ${key} -rawin -in ${MANIFEST_FILE} -sigfile ${SIGNATURE_FILE}`;
    case 'p256':
      return `openssl dgst -sha256 -verify ${key} -signature ${SIGNATURE_FILE} ${MANIFEST_FILE}`;
    case 'p384':
      return `openssl dgst -sha384 -verify ${key} -signature ${SIGNATURE_FILE} ${MANIFEST_FILE}`;
    case 'rsa-pss-3072':
      return `openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha256 -verify ${key} -signature ${SIGNATURE_FILE} ${MANIFEST_FILE}`;
    case 'sm2':
      return `openssl dgst -sm3 -verify ${key} -signature ${SIGNATURE_FILE} ${MANIFEST_FILE}`;
  }
}

/**
 * verify.sh: POSIX sh with sha256sum and OpenSSL ≥ 3.0 (plus the POSIX utilities cut, find, grep, sed,
 * sort). It checks, in order: the signature over manifest.json; the signer's key id (and, given as the
 * first argument, that it is the one expected); that checksums.sha256 is the file the signed manifest
 * names; every listed file's digest; and that the folder holds exactly the listed files. The
 * manifest is canonical JSON, so the fields read with grep have one spelling.
 */
export function verifyScript(algorithm: SigningAlgorithm): string {
  return `#!/bin/sh
# Verifies this Stella evidence bundle with POSIX sh, sha256sum and OpenSSL ${MIN_OPENSSL} or later.
#
#   tar -xzf BUNDLE.tar.gz && sh stella-evidence-*/verify.sh [EXPECTED_KEY_ID]
#
# EXPECTED_KEY_ID is the signer's key id (64 hex digits: the SHA-256 of its public key in DER form), as
# published by whoever signed the bundle. Without it the script checks that the bundle is intact and
# signed by the key it carries, and prints that key id for you to compare.
set -eu
LC_ALL=C
export LC_ALL
cd "$(dirname "$0")"

fail() {
  echo "verify.sh: FAILED: $*" >&2
  exit 1
}

command -v sha256sum >/dev/null 2>&1 || fail "sha256sum is not installed"
command -v openssl >/dev/null 2>&1 || fail "openssl is not installed (OpenSSL ${MIN_OPENSSL} or later is needed)"

for f in ${MANIFEST_FILE} ${SIGNATURE_FILE} ${CHECKSUMS_FILE} ${SIGNER_KEY_FILE}; do
  [ -f "$f" ] || fail "$f is missing"
done

# 1. The signature over manifest.json, with the key the bundle carries.
${opensslVerifyCommand(algorithm)} >/dev/null 2>&1 ||
  fail "the signature in ${SIGNATURE_FILE} does not verify over ${MANIFEST_FILE} with ${SIGNER_KEY_FILE} (${algorithm})"

# 2. The signer: the key id the manifest names is this key's, and the one expected when given.
keyid=$(openssl pkey -pubin -in ${SIGNER_KEY_FILE} -outform DER | sha256sum | cut -c1-64)
grep -F "\\"keyId\\":\\"$keyid\\"" ${MANIFEST_FILE} >/dev/null || fail "${MANIFEST_FILE} does not name the key in ${SIGNER_KEY_FILE} ($keyid)"
if [ "$#" -ge 1 ] && [ "$1" != "$keyid" ]; then
  fail "signed by key $keyid, not by the expected key $1"
fi

# 3. checksums.sha256 is the file the signed manifest names.
sum=$(sha256sum ${CHECKSUMS_FILE} | cut -c1-64)
grep -F "\\"checksums\\":{\\"digest\\":\\"sha256:$sum\\",\\"path\\":\\"${CHECKSUMS_FILE}\\"}" ${MANIFEST_FILE} >/dev/null ||
  fail "${CHECKSUMS_FILE} is not the file ${MANIFEST_FILE} names (changed or replaced)"

# 4. Every listed file has its digest.
if ! out=$(sha256sum -c ${CHECKSUMS_FILE} 2>&1); then
  printf '%s\\n' "$out" | grep -v ': OK$' >&2 || true
  fail "files differ from ${CHECKSUMS_FILE}"
fi

# 5. Nothing missing, nothing added.
expected=$({ cut -c67- ${CHECKSUMS_FILE}; printf '%s\\n' ${META_FILES.join(' ')}; } | sort)
actual=$(find . -type f | sed 's|^\\./||' | sort)
[ "$expected" = "$actual" ] || fail "the folder does not hold exactly the files ${CHECKSUMS_FILE} lists (an extra or missing file)"

echo "verify.sh: OK: $(printf '%s\\n' "$expected" | grep -c .) files intact; ${MANIFEST_FILE} signed by key $keyid (${algorithm})"
`;
}

function checkMemberPath(path: string): void {
  if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(path) || path.split('/').some((p) => p === '.' || p === '..')) {
    throw new ExportError('unsupported', `evidence member ${JSON.stringify(path)}: member paths are relative, of letters, digits, ".", "_", "-" and "/"`, { details: { path } });
  }
  if (META_FILES.includes(path) || path === VERIFY_SCRIPT || path === SIGNER_KEY_FILE) throw new ExportError('unsupported', `evidence member ${path} is written by the bundle itself`, { details: { path } });
}

export interface AssembleInput {
  root: string;
  files: readonly EvidenceFile[];
  scan: EvidenceManifest['scan'];
  verdict: EvidenceManifest['verdict'];
  engine: EvidenceManifest['engine'];
  signer: SigningKey;
}

/** Add the manifest, checksums, verify.sh and signer key to the evidence files, sign, and write the archive. */
export async function assembleEvidenceBundle(input: AssembleInput): Promise<AssembledBundle> {
  for (const f of input.files) checkMemberPath(f.path);
  const payload: EvidenceFile[] = [
    ...input.files,
    { path: VERIFY_SCRIPT, bytes: Buffer.from(verifyScript(input.signer.algorithm), 'utf8'), mediaType: 'text/x-shellscript', mode: 0o755 as const },
    { path: SIGNER_KEY_FILE, bytes: Buffer.from(input.signer.publicKey(), 'utf8'), mediaType: 'application/x-pem-file' },
  ].sort(byPath);
  for (let i = 1; i < payload.length; i++) if (payload[i]?.path === payload[i - 1]?.path) throw new ExportError('unsupported', `evidence member ${payload[i]?.path} is given twice`);
  const checksums = Buffer.from(checksumsText(payload), 'utf8');
  const manifest: EvidenceManifest = {
    type: EVIDENCE_BUNDLE_TYPE,
    root: input.root,
    scan: input.scan,
    verdict: input.verdict,
    engine: input.engine,
    signer: { keyId: input.signer.keyId, algorithm: input.signer.algorithm, publicKey: SIGNER_KEY_FILE },
    checksums: { digest: sha256Digest(checksums), path: CHECKSUMS_FILE },
    files: payload.map((f) => ({ digest: sha256Digest(f.bytes), mediaType: f.mediaType, path: f.path, size: f.bytes.byteLength })),
  };
  const manifestBytes = Buffer.from(canonicalJson(manifest), 'utf8');
  const signature = await input.signer.sign(manifestBytes);
  const all: ArchiveEntry[] = [
    ...payload.map((f) => ({ path: `${input.root}/${f.path}`, bytes: f.bytes, ...(f.mode ? { mode: f.mode } : {}) })),
    { path: `${input.root}/${CHECKSUMS_FILE}`, bytes: checksums },
    { path: `${input.root}/${MANIFEST_FILE}`, bytes: manifestBytes },
    { path: `${input.root}/${SIGNATURE_FILE}`, bytes: signature },
  ];
  const archive = await deterministicTarGz(all);
  return {
    archive,
    digest: sha256Digest(archive),
    manifest,
    manifestBytes,
    signature,
    members: all.map((e) => ({ path: e.path.slice(input.root.length + 1), size: e.bytes.byteLength, digest: sha256Digest(e.bytes) })).sort(byPath),
  };
}
