/**
 * Sigstore trusted roots (`application/vnd.dev.sigstore.trustedroot+json;version=0.1`): parsing the
 * ones other parties publish, and writing the workstation's own — its embedded log as a `tlogs` entry
 * (Ed25519 checkpoint key, `logId` = signed-note key id, `baseUrl` matching the checkpoint signer
 * name), so `@sigstore/verify` given this file checks our inclusion proofs and checkpoints offline.
 *
 * The format has no slot for bare signing keys, and strict readers (sigstore-go's protojson) reject
 * unknown fields, so the exported file stays strictly standard and the signing keys travel beside it
 * as PEM (`stella keys export-public`, or `trust export-root --keys-out`).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { type TrustedRoot, TrustedRoot as TrustedRootCodec } from '@sigstore/protobuf-specs';
import { canonicalJson } from '../core';
import { spkiDer } from './crypto';
import { AttestError } from './errors';
import type { LogIdentity } from './tlog';

export const TRUSTED_ROOT_MEDIA_TYPE = 'application/vnd.dev.sigstore.trustedroot+json;version=0.1';

export type { TrustedRoot };

export interface SerializedTlog {
  baseUrl: string;
  hashAlgorithm: string;
  publicKey: { rawBytes: string; keyDetails: string; validFor: { start: string; end?: string } };
  logId: { keyId: string };
  checkpointKeyId?: { keyId: string };
}

export interface SerializedTrustedRoot {
  mediaType: string;
  tlogs: SerializedTlog[];
  certificateAuthorities: unknown[];
  ctlogs: unknown[];
  timestampAuthorities: unknown[];
}

/** The tlog entry describing the workstation's embedded log. */
export function workstationTlog(log: LogIdentity, since: string): SerializedTlog {
  // Entry times are whole seconds (integratedTime), so the key's validity starts at the whole second:
  // an entry logged in the same second the log was created must fall inside it.
  const start = new Date(Math.floor(Date.parse(since) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return {
    baseUrl: log.baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: spkiDer(log.publicKey).toString('base64'), keyDetails: 'PKIX_ED25519', validFor: { start } },
    logId: { keyId: log.logId.toString('base64') },
  };
}

/**
 * A trusted root holding the workstation log plus the roots it was told to include (other
 * workstations' or Sigstore's, trusted for attestations), de-duplicated and sorted so the export is
 * byte-identical for the same trust state.
 */
export function buildTrustedRoot(tlogs: readonly SerializedTlog[], others: readonly SerializedTrustedRoot[] = []): SerializedTrustedRoot {
  const uniq = <T>(items: readonly T[]): T[] => {
    const m = new Map<string, T>();
    for (const i of items) m.set(canonicalJson(i), i);
    return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  };
  return {
    mediaType: TRUSTED_ROOT_MEDIA_TYPE,
    tlogs: uniq([...tlogs, ...others.flatMap((o) => o.tlogs)]),
    certificateAuthorities: uniq(others.flatMap((o) => o.certificateAuthorities)),
    ctlogs: uniq(others.flatMap((o) => o.ctlogs)),
    timestampAuthorities: uniq(others.flatMap((o) => o.timestampAuthorities)),
  };
}

function bad(what: string, msg: string, cause?: unknown): never {
  throw new AttestError('invalid-trusted-root', `${what}: ${msg}`, { ...(cause !== undefined ? { cause } : {}), details: { file: what, expected: 'a Sigstore trusted_root.json (dev.sigstore.trustroot.v1.TrustedRoot)' } });
}

/** Parse a trusted_root.json: media type, and every key and certificate it holds must load. */
export function parseTrustedRoot(input: unknown, what = 'trusted root'): { root: TrustedRoot; json: SerializedTrustedRoot } {
  let v = input;
  if (typeof input === 'string') {
    try {
      v = JSON.parse(input);
    } catch (cause) {
      bad(what, `not JSON (${(cause as Error).message})`, cause);
    }
  }
  let o = v as Record<string, unknown> | null;
  if (o === null || typeof o !== 'object' || Array.isArray(o)) bad(what, 'expected a JSON object');
  // A ClientTrustConfig (trusted root + signing config, what newer clients ship) holds the root inside.
  if (typeof o.mediaType === 'string' && o.mediaType.startsWith('application/vnd.dev.sigstore.clienttrustconfig') && o.trustedRoot && typeof o.trustedRoot === 'object') o = o.trustedRoot as Record<string, unknown>;
  if (typeof o.mediaType !== 'string' || !o.mediaType.startsWith('application/vnd.dev.sigstore.trustedroot')) bad(what, `/mediaType ${JSON.stringify(o.mediaType)} is not a trusted root media type`);
  for (const field of ['tlogs', 'certificateAuthorities', 'ctlogs', 'timestampAuthorities']) {
    if (o[field] !== undefined && !Array.isArray(o[field])) bad(what, `/${field} must be an array`);
  }
  let root: TrustedRoot;
  try {
    root = TrustedRootCodec.fromJSON(o);
  } catch (cause) {
    bad(what, `does not decode (${(cause as Error).message})`, cause);
  }
  if (root.tlogs.length + root.certificateAuthorities.length + root.timestampAuthorities.length === 0) bad(what, 'names no transparency log, certificate authority or timestamp authority');
  root.tlogs.forEach((t, i) => {
    if (!t.publicKey?.rawBytes?.length) bad(what, `/tlogs/${i}/publicKey/rawBytes is missing`);
    if (!t.logId?.keyId?.length) bad(what, `/tlogs/${i}/logId/keyId is missing`);
    try {
      createPublicKey({ key: Buffer.from(t.publicKey.rawBytes), format: 'der', type: 'spki' });
    } catch (cause) {
      bad(what, `/tlogs/${i}/publicKey is not a usable SPKI key (${(cause as Error).message})`, cause);
    }
  });
  return { root, json: { mediaType: o.mediaType, tlogs: (o.tlogs ?? []) as SerializedTlog[], certificateAuthorities: (o.certificateAuthorities ?? []) as unknown[], ctlogs: (o.ctlogs ?? []) as unknown[], timestampAuthorities: (o.timestampAuthorities ?? []) as unknown[] } };
}

/** Transparency-log keys of a root, for checking checkpoints and SETs ourselves. */
export function tlogKeysOf(root: TrustedRoot): { baseUrl: string; logId: Buffer; publicKey: KeyObject }[] {
  return root.tlogs.flatMap((t) => (t.publicKey?.rawBytes && t.logId ? [{ baseUrl: t.baseUrl, logId: Buffer.from(t.checkpointKeyId?.keyId ?? t.logId.keyId), publicKey: createPublicKey({ key: Buffer.from(t.publicKey.rawBytes), format: 'der', type: 'spki' }) }] : []));
}
