/**
 * Where a plug-in's files live and what its signature says — shared by the host that loads plug-ins
 * (engine/scanner), the command that signs them (`stella plugins sign`), the trust check (engine/attest)
 * and offline kits that install them. Plain data: bundles that do not use it do not carry it.
 *
 * A third-party plug-in is a folder `<home>/plugins/<folder>/` holding
 *   plugin.json            the manifest (its `entry` and `entrySha256` name the bundle)
 *   <entry>                the bundle, usually dist/index.mjs
 *   plugin.sig.dsse.json   a DSSE envelope (payload type application/vnd.in-toto+json) over an in-toto
 *                          Statement v1 whose subjects are `plugin.json` and `<entry>` with their sha256,
 *                          predicate type PLUGIN_PREDICATE_TYPE, predicate PluginPredicate
 */

export const PLUGIN_LAYOUT = {
  /** The workstation's folder of third-party plug-ins, inside its home (`<home>/plugins`). */
  homeSubdir: 'plugins',
  manifest: 'plugin.json',
  signature: 'plugin.sig.dsse.json',
} as const;

/** The predicate type of a plug-in signature statement. */
export const PLUGIN_PREDICATE_TYPE = 'https://stella.invalid/attestation/plugin/v1';

/** The predicate of a plug-in signature: who the plug-in says it is (also covered by the manifest digest). */
export interface PluginPredicate {
  name: string;
  version: number;
  kind: string;
  sdkApi: number;
  /** The entry path as the manifest names it; the statement subject of the same name carries its digest. */
  entry: string;
}

/** What a host hands the signature check of a third-party plug-in: the bytes it read, once, and their digests. */
export interface PluginSignatureInput {
  /** The bytes of plugin.sig.dsse.json. */
  envelope: Uint8Array;
  /** `sha256:<hex>` of the manifest and entry bytes the host read (and will load). */
  manifestSha256: string;
  entry: string;
  entrySha256: string;
}

export type PluginSignatureRefusal = 'invalid-signature' | 'untrusted-signer' | 'bad-signature' | 'digest-mismatch';

/** The verdict: the signer (its trust entry name and key id), or why the plug-in is refused. */
export type PluginSignatureCheck = { ok: true; signer: { name: string; keyId: string } } | { ok: false; code: PluginSignatureRefusal; reason: string };
