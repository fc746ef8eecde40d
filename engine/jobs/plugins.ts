/**
 * Plug-in jobs: list the plug-ins this host loaded at start-up (built-in and signed third-party, each
 * loaded or refused with the reason), and sign a plug-in folder for distribution (for plug-in authors).
 * Signing is a key operation: it is audited.
 */
import { basename, join } from 'node:path';
import { pluginStatement, signPluginStatement, serializeEnvelope, type KeystoreOptions } from '../attest';
import { appendAudit } from '../audit';
import { PLUGIN_LAYOUT, builtinPluginNames, describePlugins, loadPlugins, readPluginFolder, type PluginsDescription } from '../scanner';
import { type Store, writeFileAtomic } from '../store';
import type { JobContext } from './context';
import { type PassphraseSource, resolveSigningKeys } from './keys';
import { pluginSourcesFor } from './_internal/plugin-sources';

export interface ListPluginsInput {
  /** The application's plug-in folder (default: the installation's plugins/, or $STELLA_PLUGINS_DIR). */
  pluginsDir?: string;
}

/** Every plug-in of this workstation, as loaded (once per process) by the scanner's host. */
export async function listPluginsJob(store: Store, input: ListPluginsInput, ctx: JobContext): Promise<PluginsDescription> {
  ctx.onProgress({ phase: 'loading plug-ins', done: 0, total: 1 });
  const set = await loadPlugins(await pluginSourcesFor(store, input.pluginsDir));
  ctx.onProgress({ phase: 'loading plug-ins', done: 1, total: 1 });
  return describePlugins(set);
}

export interface SignPluginInput {
  /** The plug-in folder: plugin.json and its (pinned) entry bundle. */
  dir: string;
  /** Signing key names (one signature each). */
  keys: readonly string[];
}

export interface SignPluginResult {
  dir: string;
  /** The signature file written into `dir`. */
  signature: string;
  name: string;
  version: number;
  manifestSha256: string;
  entry: string;
  entrySha256: string;
  keys: { name?: string; keyId: string; algorithm: string }[];
}

/**
 * Sign a plug-in folder: an in-toto statement naming the manifest and entry digests, in a DSSE envelope
 * signed by each key, written atomically to `<dir>/plugin.sig.dsse.json`, and an audit entry.
 */
export async function signPluginJob(store: Store, input: SignPluginInput, passphrase: PassphraseSource, ctx: JobContext, opts: KeystoreOptions = {}): Promise<SignPluginResult> {
  ctx.onProgress({ phase: 'reading plug-in', done: 0, total: 1 });
  const folder = readPluginFolder(input.dir);
  const m = folder.manifest;
  if (builtinPluginNames().includes(m.name)) ctx.log('warn', `${m.name} is the name of a built-in plug-in: workstations refuse a third-party plug-in of that name`);
  const statement = pluginStatement({ manifestBytes: folder.manifestBytes, entry: m.entry, entryBytes: folder.entryBytes, predicate: { name: m.name, version: m.version, kind: m.kind, sdkApi: m.sdkApi, entry: m.entry } });
  const keys = await resolveSigningKeys(store, input.keys, passphrase, ctx, opts);
  ctx.onProgress({ phase: 'signing', done: 0, total: 1 });
  const envelope = await signPluginStatement(statement, keys);
  const signature = join(input.dir, PLUGIN_LAYOUT.signature);
  writeFileAtomic(signature, `${serializeEnvelope(envelope)}\n`);
  appendAudit(
    store,
    {
      kind: 'plugin.signed',
      subject: `${m.name}@${m.version}`,
      details: { folder: basename(input.dir), manifestSha256: folder.manifestSha256, entry: m.entry, entrySha256: folder.entrySha256, keyIds: keys.map((k) => k.keyId) },
    },
    ctx,
  );
  ctx.onProgress({ phase: 'signing', done: 1, total: 1 });
  return {
    dir: input.dir,
    signature,
    name: m.name,
    version: m.version,
    manifestSha256: folder.manifestSha256,
    entry: m.entry,
    entrySha256: folder.entrySha256,
    keys: keys.map((k) => ({ ...(k.name !== undefined ? { name: k.name } : {}), keyId: k.keyId, algorithm: k.algorithm })),
  };
}
