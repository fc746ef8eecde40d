/**
 * The plug-in folders the host reads, as data other modules can import without loading the scanner:
 * offline kits install third-party plug-ins into `thirdPartyPluginsDir(home)/<folder>/` in exactly
 * `PLUGIN_LAYOUT` (plugin.json, the entry bundle, plugin.sig.dsse.json), and the loader verifies them
 * at the next start. The loader skips folders whose name starts with "." — an installer writes into
 * `.<folder>.tmp` there and renames it into place, so a start never sees half a plug-in.
 */
import { join } from 'node:path';
import { PLUGIN_LAYOUT, type PluginSignatureCheck, type PluginSignatureInput } from '../../plugins/sdk/layout';

export { PLUGIN_LAYOUT, PLUGIN_PREDICATE_TYPE, type PluginPredicate, type PluginSignatureInput, type PluginSignatureCheck, type PluginSignatureRefusal } from '../../plugins/sdk/layout';

/** `<home>/plugins`: where the workstation looks for signed third-party plug-ins. */
export function thirdPartyPluginsDir(home: string): string {
  return join(home, PLUGIN_LAYOUT.homeSubdir);
}

/** A plug-in that ships with the application, as compiled into the engine at build time. */
export interface BuiltinPluginDigest {
  /** Folder under the application's plugins/ (`os-dpkg`). */
  folder: string;
  name: string;
  version: number;
  /** `sha256:` of plugin.json's bytes. */
  manifestSha256: string;
  entry: string;
  /** `sha256:` of the entry bundle's bytes. */
  entrySha256: string;
}

/**
 * Decides a third-party plug-in's signature. The scanner sits below engine/attest, so the jobs pass
 * engine/attest's `verifyPluginSignature` bound to the store's trust for purpose `plugins`.
 */
export type PluginSignatureVerifier = (input: PluginSignatureInput) => PluginSignatureCheck;
