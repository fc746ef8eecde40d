/**
 * Workstation service keys: the transparency log's checkpoint key and the audit-trail key. They sign on
 * every log append and every audited action (a scan, an import), where nobody is there to type a
 * passphrase, so — like an SSH host key — they are stored unencrypted, mode 0600, under
 * `<home>/keys/service/<role>.pem`, and created on first use. Their signatures prove "this
 * workstation's log / audit trail said so" to anyone without access to the workstation account; they
 * do not protect against that account's owner (see engine/audit/README.md for the threat model).
 * User signing keys never work this way: they are always passphrase-protected (keystore.ts).
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir, tempPathFor } from '../store/atomic';
import { algorithmOfKey } from './crypto';
import { AttestError } from './errors';
import { LocalSigningKey } from './kms';

export type ServiceRole = 'log' | 'audit';

/** Parsed keys by path, valid while the file's identity (inode, size, mtime) is unchanged. */
const cache = new Map<string, { stamp: string; key: LocalSigningKey }>();

function stampOf(path: string): string {
  const st = statSync(path);
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
}

export function serviceKeyPath(home: string, role: ServiceRole): string {
  return join(home, 'keys', 'service', `${role}.pem`);
}

function load(path: string, role: ServiceRole): LocalSigningKey {
  let key;
  try {
    key = createPrivateKey(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new AttestError('key-file-corrupt', `${path}: the workstation ${role} key does not parse (${(cause as Error).message})`, { cause, details: { file: path } });
  }
  const alg = algorithmOfKey(key);
  if (alg !== 'ed25519') throw new AttestError('key-file-corrupt', `${path}: the workstation ${role} key must be Ed25519, found ${alg ?? 'an unsupported key type'}`, { details: { file: path, expected: 'ed25519' } });
  return new LocalSigningKey(key, 'ed25519', 'world', `workstation-${role}`);
}

/**
 * The workstation's key for `role`, created on first use. Two processes creating it at once cannot end
 * up with different keys: the file is published with link(2), which fails when the name exists, and
 * the loser reads the winner's key.
 */
export function serviceKey(home: string, role: ServiceRole): LocalSigningKey {
  const path = serviceKeyPath(home, role);
  if (existsSync(path)) {
    const cached = cache.get(path);
    if (cached && cached.stamp === stampOf(path)) return cached.key;
  } else {
    mkdirSync(join(home, 'keys', 'service'), { recursive: true, mode: 0o700 });
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const tmp = tempPathFor(path);
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, pem);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, 0o600);
    try {
      linkSync(tmp, path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      rmSync(tmp, { force: true });
    }
    fsyncDir(join(home, 'keys', 'service'));
  }
  const key = load(path, role);
  cache.set(path, { stamp: stampOf(path), key });
  return key;
}
