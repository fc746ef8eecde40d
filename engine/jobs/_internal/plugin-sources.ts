/**
 * The plug-ins a workstation loads: the application's built-ins, and the signed third-party plug-ins in
 * `<home>/plugins`, checked against the store's trust for purpose `plugins`. The one place that binds
 * the scanner's plug-in host to engine/attest's signature check, for every job that loads plug-ins.
 */
import { existsSync, readdirSync } from 'node:fs';
import type { PluginSources } from '../../scanner';
import { thirdPartyPluginsDir } from '../../scanner/plugin-layout';
import type { Store } from '../../store';

export async function pluginSourcesFor(store: Store | null, builtinDir?: string): Promise<PluginSources> {
  const builtin = builtinDir !== undefined ? { builtinDir } : {};
  // Without a store there is no home, hence no third-party folder and no trust to check one against.
  if (!store) return builtin;
  const thirdPartyDir = thirdPartyPluginsDir(store.home);
  // The signature check (engine/attest: keys, trust store) is loaded only when there is something to check.
  if (!existsSync(thirdPartyDir) || readdirSync(thirdPartyDir).length === 0) return { ...builtin, thirdPartyDir };
  const { verifyPluginSignature } = await import('../../attest/plugin-signature');
  return { ...builtin, thirdPartyDir, verifySignature: (input) => verifyPluginSignature(store, input) };
}
