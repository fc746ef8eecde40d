/**
 * Plug-in signatures: what `stella plugins sign` signs and what the plug-in host accepts from a
 * third-party plug-in folder (layout and predicate in plugins/sdk/layout.ts).
 *
 * The signature is a DSSE envelope over an in-toto Statement v1 whose subjects are the manifest
 * (`plugin.json`) and the entry bundle, each by sha256. The check authenticates the envelope first —
 * against the keys trusted for purpose `plugins` only — and reads the statement after, so nothing an
 * unverified payload says is believed; then both digests must be those of the bytes the host read.
 */
import { createHash } from 'node:crypto';
import { PLUGIN_LAYOUT, PLUGIN_PREDICATE_TYPE, type PluginPredicate, type PluginSignatureCheck, type PluginSignatureInput, type PluginSignatureRefusal } from '../../plugins/sdk/layout';
import type { Store } from '../store';
import { type DsseEnvelope, INTOTO_PAYLOAD_TYPE, envelopePayload, parseEnvelope, signEnvelope, verifyEnvelope } from './dsse';
import type { SigningKey } from './kms';
import { type Statement, buildStatement, parseStatement, statementBytes } from './statement';
import { listTrust, trustedKeysFor } from './trust';

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface PluginFiles {
  manifestBytes: Uint8Array;
  /** The entry path as the manifest names it (`dist/index.mjs`). */
  entry: string;
  entryBytes: Uint8Array;
  predicate: PluginPredicate;
}

/** The statement a plug-in signature carries: subjects `plugin.json` and the entry, by sha256. */
export function pluginStatement(files: PluginFiles): Statement {
  return buildStatement(
    [
      { name: PLUGIN_LAYOUT.manifest, digest: { sha256: sha256Hex(files.manifestBytes) } },
      { name: files.entry, digest: { sha256: sha256Hex(files.entryBytes) } },
    ],
    PLUGIN_PREDICATE_TYPE,
    files.predicate,
  );
}

/** Sign a plug-in's statement with every key (one signature each): the content of `plugin.sig.dsse.json`. */
export function signPluginStatement(statement: Statement, keys: readonly SigningKey[]): Promise<DsseEnvelope> {
  return signEnvelope(INTOTO_PAYLOAD_TYPE, statementBytes(statement), keys);
}

const refuse = (code: PluginSignatureRefusal, reason: string): PluginSignatureCheck => ({ ok: false, code, reason });

/**
 * Decide a third-party plug-in's signature against the workstation's trust for `plugins` (its own
 * keystore keys and keys added with `stella trust add KEY.pem --purpose plugins`). Never throws for a
 * plug-in that fails: the host lists the refusal with this reason.
 */
export function verifyPluginSignature(store: Store, input: PluginSignatureInput): PluginSignatureCheck {
  const file = PLUGIN_LAYOUT.signature;
  let env: DsseEnvelope;
  try {
    env = parseEnvelope(Buffer.from(input.envelope).toString('utf8'), file);
  } catch (e) {
    return refuse('invalid-signature', (e as Error).message);
  }
  if (env.payloadType !== INTOTO_PAYLOAD_TYPE) return refuse('invalid-signature', `${file}: /payloadType is ${JSON.stringify(env.payloadType)}; expected ${INTOTO_PAYLOAD_TYPE}`);
  const verification = verifyEnvelope(env, trustedKeysFor(store, 'plugins'));
  if (!verification.verified) {
    // A signature without a key id was tried against every trusted key: failing says nothing about which.
    const bad = verification.signatures.find((s) => s.status === 'bad-signature' && s.keyid !== '');
    if (bad) return refuse('bad-signature', `${file}: signature ${bad.index} by trusted key ${bad.keyid.slice(0, 16)}… does not verify (the statement or the signature was changed after signing)`);
    return refuse('untrusted-signer', untrustedReason(store, env));
  }
  const keyId = verification.verifiedKeyIds[0] as string;
  let statement: Statement;
  try {
    statement = parseStatement(envelopePayload(env), file);
  } catch (e) {
    return refuse('invalid-signature', (e as Error).message);
  }
  if (statement.predicateType !== PLUGIN_PREDICATE_TYPE) return refuse('invalid-signature', `${file}: the statement's predicateType is ${JSON.stringify(statement.predicateType)}; expected ${PLUGIN_PREDICATE_TYPE}`);
  for (const [name, actual] of [
    [PLUGIN_LAYOUT.manifest, input.manifestSha256],
    [input.entry, input.entrySha256],
  ] as const) {
    const named = statement.subject.filter((s) => s.name === name);
    if (named.length !== 1) return refuse('invalid-signature', `${file}: the signed statement names ${named.length} subject(s) called ${JSON.stringify(name)}; expected exactly one`);
    const signed = `sha256:${named[0]?.digest.sha256 ?? '(no sha256)'}`;
    if (signed !== actual) return refuse('digest-mismatch', `${name} hashes to ${actual}, but the signature names ${signed}: it was changed after signing`);
  }
  return { ok: true, signer: { name: signerName(store, keyId), keyId } };
}

/** The trust entry a verified key belongs to (workstation keys are `workstation-key-<name>`). */
function signerName(store: Store, keyId: string): string {
  return listTrust(store).find((e) => e.purposes.includes('plugins') && e.keyIds.includes(keyId))?.name ?? keyId;
}

/** Why no signature came from a key trusted for plug-ins — naming a key that is trusted, but for something else. */
function untrustedReason(store: Store, env: DsseEnvelope): string {
  const ids = env.signatures.map((s) => s.keyid).filter((k) => k !== '');
  const elsewhere = listTrust(store).find((e) => !e.purposes.includes('plugins') && e.keyIds.some((k) => ids.includes(k)));
  const keys = ids.length ? ids.map((k) => `${k.slice(0, 16)}…`).join(', ') : '(no key id)';
  if (elsewhere) {
    return `signed by key ${keys}, trusted as ${elsewhere.name} for ${elsewhere.purposes.join(', ')} but not for plugins (stella trust add KEY.pem --purpose plugins)`;
  }
  return `signed by key ${keys}, which is not trusted for plugins (stella trust add KEY.pem --purpose plugins)`;
}
