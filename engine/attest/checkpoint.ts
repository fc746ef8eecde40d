/**
 * Log checkpoints in the signed-note format (C2SP tlog-checkpoint + signed-note, as Rekor v2 and
 * sigstore's verifiers read them):
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n[extension lines\n]
 *   \n
 *   — <key name> <base64(key hash[0:4] ‖ signature)>\n
 *
 * The signature covers the note body (everything before the blank line). For an Ed25519 key the key
 * hash is SHA-256(name ‖ "\n" ‖ 0x01 ‖ 32-byte public key); its full 32 bytes are the log id we publish
 * in trusted_root.json, so a verifier finds the key from the hint in either spelling.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { spkiDer, verifySignature } from './crypto';
import { AttestError } from './errors';
import type { SigningKey } from './kms';
import { HASH_SIZE } from './merkle';

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
  extensions: string[];
}

export interface NoteSignature {
  name: string;
  keyHint: Buffer;
  signature: Buffer;
}

const EM_DASH = '\u2014';

/** The 32-byte signed-note key id of an Ed25519 key under `name`; its first 4 bytes are the hint on signature lines. */
export function noteKeyId(name: string, publicKey: KeyObject): Buffer {
  const raw = spkiDer(publicKey).subarray(-32);
  return createHash('sha256').update(Buffer.from(`${name}\n`, 'utf8')).update(Buffer.from([0x01])).update(raw).digest();
}

export function checkpointBody(cp: Checkpoint): string {
  if (!cp.origin || /\s/.test(cp.origin)) throw new AttestError('invalid-checkpoint', `checkpoint origin must be non-empty without whitespace: ${JSON.stringify(cp.origin)}`);
  return `${cp.origin}\n${cp.size}\n${cp.rootHash.toString('base64')}\n${cp.extensions.map((e) => `${e}\n`).join('')}`;
}

/** The signed note of `cp`, signed by `key` (Ed25519) under `name` (the origin unless given). */
export function signCheckpoint(cp: Checkpoint, key: SigningKey, publicKey: KeyObject, name = cp.origin): string {
  if (key.algorithm !== 'ed25519') throw new AttestError('unsupported-algorithm', `checkpoints are signed with Ed25519 keys (signed-note key type 0x01), not ${key.algorithm}`);
  const body = checkpointBody(cp);
  const sig = key.signSync(Buffer.from(body, 'utf8'));
  const hint = noteKeyId(name, publicKey).subarray(0, 4);
  return `${body}\n${EM_DASH} ${name} ${Buffer.concat([hint, sig]).toString('base64')}\n`;
}

function bad(message: string): never {
  throw new AttestError('invalid-checkpoint', `checkpoint: ${message}`, { details: { expected: 'a signed note: origin, size, root hash, blank line, signature lines' } });
}

/** Parse a signed note strictly; no signature is checked here. */
export function parseSignedNote(text: string): { body: string; checkpoint: Checkpoint; signatures: NoteSignature[] } {
  const split = text.indexOf('\n\n');
  if (split < 0) bad('no blank line between the note and its signatures');
  const body = text.slice(0, split + 1);
  const sigText = text.slice(split + 2);
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) bad(`the note has ${lines.length} line(s); expected origin, tree size and root hash`);
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === '') bad('empty origin line');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) bad(`tree size ${JSON.stringify(sizeText)} is not a decimal integer`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(rootText)) bad('the root hash is not base64');
  const rootHash = Buffer.from(rootText, 'base64');
  if (rootHash.length !== HASH_SIZE || rootHash.toString('base64') !== rootText) bad(`the root hash must be ${HASH_SIZE} bytes in canonical base64`);
  if (!sigText.endsWith('\n')) bad('the signature block must end with a newline');
  const signatures = sigText
    .slice(0, -1)
    .split('\n')
    .map((line): NoteSignature => {
      const m = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/.exec(line);
      if (!m) bad(`malformed signature line ${JSON.stringify(line.slice(0, 80))}`);
      const bytes = Buffer.from(m[2] as string, 'base64');
      if (bytes.length < 5 || bytes.toString('base64') !== m[2]) bad('a signature line does not hold a key hint and a signature in canonical base64');
      return { name: m[1] as string, keyHint: bytes.subarray(0, 4), signature: bytes.subarray(4) };
    });
  if (signatures.length === 0) bad('no signature lines');
  return { body, checkpoint: { origin, size: Number(sizeText), rootHash, extensions }, signatures };
}

export interface CheckpointVerifier {
  name: string;
  publicKey: KeyObject;
}

/** Parse and require a valid signature by one of `verifiers` (matched by name and key hint). */
export function verifyCheckpoint(text: string, verifiers: readonly CheckpointVerifier[]): Checkpoint {
  const note = parseSignedNote(text);
  const data = Buffer.from(note.body, 'utf8');
  for (const s of note.signatures) {
    for (const v of verifiers) {
      if (v.name !== s.name) continue;
      if (!noteKeyId(v.name, v.publicKey).subarray(0, 4).equals(s.keyHint)) continue;
      if (verifySignature(v.publicKey, data, s.signature)) return note.checkpoint;
    }
  }
  throw new AttestError('proof-failed', `checkpoint of ${note.checkpoint.origin} at size ${note.checkpoint.size}: no signature verifies with a trusted log key (${verifiers.map((v) => v.name).join(', ') || 'none given'})`);
}
