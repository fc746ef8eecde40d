/**
 * The plug-in host. Plug-ins are loaded once, at start-up, from two places, and nothing is loaded later:
 *
 * - **Built-ins** — the application's own `plugins/*\/plugin.json` (`builtinDir`). They are part of the
 *   application: the digests of each manifest and entry are compiled into the engine at build time
 *   (`_internal/builtin-plugins.gen.ts`, written by build/scripts/build-plugins.mjs), so the app's own
 *   package signature covers them. A folder there that the application was not built with, or whose
 *   manifest or entry bytes differ from the compiled digests, is refused: `entrySha256` in a
 *   `plugin.json` proves nothing on its own.
 * - **Third-party** — `<home>/plugins/<folder>/` (`thirdPartyDir`, layout in `PLUGIN_LAYOUT`): loaded only
 *   when `plugin.sig.dsse.json` verifies against the workstation's trust for purpose `plugins` and names
 *   the manifest and entry digests (the `verifySignature` the jobs pass in). A third-party plug-in with
 *   the name of a built-in (or of another loaded plug-in) is refused.
 *
 * Each file is read once; those bytes are hashed, checked and — for the entry — imported (as a `data:`
 * URL), so a file changed between the check and the import can never run. Worker threads get the
 * verified bytes from the host (`PluginSet.verified`) and import them the same way: they never read the
 * folders. A `data:` module can import only Node built-ins, which is all a self-contained plug-in bundle
 * needs (native code, such as SQLite for os/rpm, is a host capability on the analyze context).
 *
 * A plug-in is also refused — and listed with the reason — when its manifest is invalid, it needs
 * another SDK API, it needs the network, or its entry does not export the analyzer its manifest names.
 * Load order is deterministic: analyzers sorted by name; refusals by name, then folder.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SDK_API_VERSION,
  DEFAULT_MAX_FILE_BYTES,
  compileSelector,
  validateManifest,
  type AnalyzerDefinition,
  type CompiledSelector,
  type PluginManifest,
} from '../../plugins/sdk';
import { ScannerError } from './errors';
import { PLUGIN_LAYOUT, type BuiltinPluginDigest, type PluginSignatureVerifier } from './plugin-layout';
import { BUILTIN_PLUGINS } from './_internal/builtin-plugins.gen';

/** Where a plug-in came from: the application itself, or a third-party folder signed by a trusted key. */
export type PluginOrigin = { source: 'built-in' } | { source: 'third-party'; signer: { name: string; keyId: string } };

export interface LoadedAnalyzer {
  manifest: PluginManifest;
  /** `name@version`, stamped as foundBy. */
  id: string;
  dir: string;
  /** `sha256:` of the entry bytes that were verified and imported (equal to the manifest's pin). */
  entrySha256: string;
  /** `sha256:` of the plugin.json bytes that were verified. */
  manifestSha256: string;
  origin: PluginOrigin;
  selectors: CompiledSelector[];
  maxFileBytes: number;
  definition: AnalyzerDefinition;
}

export type PluginRefusalCode =
  | 'invalid-manifest'
  | 'digest-mismatch'
  | 'unsupported-api'
  | 'needs-network'
  | 'wrong-kind'
  | 'entry-failed'
  // built-ins
  | 'not-built-in'
  // third-party
  | 'unsigned'
  | 'invalid-signature'
  | 'untrusted-signer'
  | 'bad-signature'
  | 'name-conflict'
  | 'unverifiable';

export interface RefusedPlugin {
  /** Manifest name when readable, else the folder name. */
  name: string;
  dir: string;
  version?: number;
  kind?: string;
  source: 'built-in' | 'third-party';
  reason: string;
  code: PluginRefusalCode;
  /** Digests of what was read, when it was read. */
  manifestSha256?: string;
  entrySha256?: string;
  /** A third-party plug-in whose signature verified but that was refused for another reason. */
  signer?: { name: string; keyId: string };
}

/** An entry whose bytes were verified: what a worker thread imports. */
export interface VerifiedEntry {
  dir: string;
  manifest: PluginManifest;
  bytes: Uint8Array;
  manifestSha256: string;
  origin: PluginOrigin;
}

export interface PluginSet {
  /** The application's (built-in) plug-in folder. */
  pluginsDir: string;
  /** The third-party folder (`<home>/plugins`), when one was read. */
  thirdPartyDir?: string;
  analyzers: LoadedAnalyzer[];
  refused: RefusedPlugin[];
  /**
   * `sdk<API>:sha256:<hex>` over the sorted (`name@version`, entry digest) pairs of the loaded analyzers:
   * part of every layer-cache key, so a rebuilt plug-in never reuses results of other code.
   */
  fingerprint: string;
  /** The loaded analyzers' verified entry bytes, in load order (for worker threads). */
  verified: VerifiedEntry[];
}

/** Where plug-ins come from. A string is the built-in folder alone. */
export interface PluginSources {
  /** The application's plug-in folder (default `defaultPluginsDir()`). */
  builtinDir?: string;
  /** The built-ins' digests (default: the table compiled into the engine). Tests give their own. */
  builtins?: readonly BuiltinPluginDigest[];
  /** `<home>/plugins` (`thirdPartyPluginsDir(home)`); absent = no third-party plug-ins. */
  thirdPartyDir?: string;
  /** Decides third-party signatures; without it every third-party plug-in is refused (`unverifiable`). */
  verifySignature?: PluginSignatureVerifier;
}

/** Where the built-in plug-ins live: $STELLA_PLUGINS_DIR, else `plugins/` of the source checkout or beside dist/. */
export function defaultPluginsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STELLA_PLUGINS_DIR) return resolve(env.STELLA_PLUGINS_DIR);
  const url = (import.meta as { url?: string }).url;
  const here = typeof url === 'string' ? fileURLToPath(new URL('.', url)) : process.cwd();
  for (const rel of ['../../plugins', '../plugins', '../../../plugins']) {
    const p = resolve(here, rel);
    if (existsSync(join(p, 'sdk'))) return p;
  }
  throw new ScannerError('plugin-dir-missing', `no plugins/ folder found near ${here}; set STELLA_PLUGINS_DIR`);
}

function sha256Of(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Import module source from exactly these bytes (never from a path that could change after the check). */
function importBytes(bytes: Uint8Array): Promise<unknown> {
  return import(`data:text/javascript;base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`);
}

/** Manifests and signatures are small; a bundle carries its dependencies (the largest built-in is ~0.4 MB). */
const MAX_MANIFEST_BYTES = 1024 * 1024;
const MAX_SIGNATURE_BYTES = 1024 * 1024;
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;

/** Read one plug-in file once, bounded; a refusal reason instead of a throw. */
function readOnce(dir: string, rel: string, maxBytes: number): { bytes: Buffer } | { problem: string } {
  const path = join(dir, rel);
  try {
    const st = statSync(path);
    if (!st.isFile()) return { problem: `${rel} is not a regular file` };
    if (st.size > maxBytes) return { problem: `${rel} is ${st.size} bytes, over the ${maxBytes}-byte limit` };
    const bytes = readFileSync(path);
    if (bytes.length > maxBytes) return { problem: `${rel} grew past the ${maxBytes}-byte limit while it was read` };
    return { bytes };
  } catch (e) {
    return { problem: `${rel} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
}

/** The manifest from the bytes that were read (never re-read), or why not. */
function parseManifest(bytes: Buffer): { manifest: PluginManifest } | { problem: string; name?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    return { problem: `${PLUGIN_LAYOUT.manifest}: not JSON (${(e as Error).message})` };
  }
  const { manifest, problems } = validateManifest(raw);
  if (manifest) return { manifest };
  const name = typeof (raw as { name?: unknown } | null)?.name === 'string' ? (raw as { name: string }).name : undefined;
  return { problem: `${PLUGIN_LAYOUT.manifest}: ${problems.map((p) => `${p.path || '/'}: ${p.message}`).join('; ')}`, ...(name !== undefined ? { name } : {}) };
}

function refuseReason(m: PluginManifest): { code: PluginRefusalCode; reason: string } | undefined {
  if (m.sdkApi !== SDK_API_VERSION) return { code: 'unsupported-api', reason: `needs SDK API ${m.sdkApi}; this host supports ${SDK_API_VERSION}` };
  if (m.requirements.network) return { code: 'needs-network', reason: 'requires network access; Stella runs offline' };
  if (m.kind !== 'analyzer') return { code: 'wrong-kind', reason: `kind "${m.kind}" is not loaded by the scanner host (expected "analyzer")` };
  return undefined;
}

/** A plug-in whose files were read and checked, ready to import (or refused on the way). */
type Checked = { ok: true; entry: Omit<VerifiedEntry, 'manifestSha256' | 'origin'>; manifestSha256: string; entrySha256: string; origin: PluginOrigin } | { ok: false; refused: RefusedPlugin };

/** The checks every plug-in passes once its bytes are trusted: SDK API, network, kind, and the manifest's own pin. */
function checkManifestAndEntry(m: PluginManifest, entrySha256: string, base: Omit<RefusedPlugin, 'code' | 'reason'>): RefusedPlugin | undefined {
  const why = refuseReason(m);
  if (why) return { ...base, ...why };
  if (entrySha256 !== m.entrySha256) return { ...base, code: 'digest-mismatch', reason: `entry ${m.entry} hashes to ${entrySha256}, manifest pins ${m.entrySha256}` };
  return undefined;
}

/** A folder of the application's plug-in folder: loaded only with the digests compiled into the engine. */
function checkBuiltin(dir: string, folder: string, compiled: BuiltinPluginDigest | undefined): Checked {
  const read = readOnce(dir, PLUGIN_LAYOUT.manifest, MAX_MANIFEST_BYTES);
  const base = { name: compiled?.name ?? folder, dir, source: 'built-in' as const };
  if ('problem' in read) return { ok: false, refused: { ...base, code: 'invalid-manifest', reason: read.problem } };
  const manifestSha256 = sha256Of(read.bytes);
  if (!compiled) {
    const parsed = parseManifest(read.bytes);
    const name = 'manifest' in parsed ? parsed.manifest.name : (parsed.name ?? folder);
    return {
      ok: false,
      refused: {
        ...base,
        name,
        manifestSha256,
        code: 'not-built-in',
        reason: `${folder} is in the application's plug-in folder but the application was not built with it; a third-party plug-in goes into <home>/${PLUGIN_LAYOUT.homeSubdir}/${folder}/ with a ${PLUGIN_LAYOUT.signature} (stella plugins sign)`,
      },
    };
  }
  const withVersion = { ...base, version: compiled.version, manifestSha256 };
  if (manifestSha256 !== compiled.manifestSha256) {
    return { ok: false, refused: { ...withVersion, code: 'digest-mismatch', reason: `${PLUGIN_LAYOUT.manifest} hashes to ${manifestSha256}; the application was built with ${compiled.manifestSha256}` } };
  }
  const parsed = parseManifest(read.bytes);
  if (!('manifest' in parsed)) return { ok: false, refused: { ...withVersion, code: 'invalid-manifest', reason: parsed.problem } };
  const m = parsed.manifest;
  const entry = readOnce(dir, m.entry, MAX_ENTRY_BYTES);
  const known = { ...withVersion, name: m.name, version: m.version, kind: m.kind };
  if ('problem' in entry) return { ok: false, refused: { ...known, code: 'digest-mismatch', reason: `entry ${entry.problem}` } };
  const entrySha256 = sha256Of(entry.bytes);
  if (entrySha256 !== compiled.entrySha256 || m.entry !== compiled.entry) {
    return { ok: false, refused: { ...known, entrySha256, code: 'digest-mismatch', reason: `entry ${m.entry} hashes to ${entrySha256}; the application was built with ${compiled.entry} = ${compiled.entrySha256}` } };
  }
  const other = checkManifestAndEntry(m, entrySha256, { ...known, entrySha256 });
  if (other) return { ok: false, refused: other };
  return { ok: true, entry: { dir, manifest: m, bytes: entry.bytes }, manifestSha256, entrySha256, origin: { source: 'built-in' } };
}

/** A folder of `<home>/plugins`: loaded only with a signature from a key trusted for plug-ins. */
function checkThirdParty(dir: string, folder: string, verify: PluginSignatureVerifier | undefined): Checked {
  const base = { name: folder, dir, source: 'third-party' as const };
  const read = readOnce(dir, PLUGIN_LAYOUT.manifest, MAX_MANIFEST_BYTES);
  if ('problem' in read) return { ok: false, refused: { ...base, code: 'invalid-manifest', reason: read.problem } };
  const manifestSha256 = sha256Of(read.bytes);
  const parsed = parseManifest(read.bytes);
  if (!('manifest' in parsed)) return { ok: false, refused: { ...base, name: parsed.name ?? folder, manifestSha256, code: 'invalid-manifest', reason: parsed.problem } };
  const m = parsed.manifest;
  const known = { ...base, name: m.name, version: m.version, kind: m.kind, manifestSha256 };
  const entry = readOnce(dir, m.entry, MAX_ENTRY_BYTES);
  if ('problem' in entry) return { ok: false, refused: { ...known, code: 'digest-mismatch', reason: `entry ${entry.problem}` } };
  const entrySha256 = sha256Of(entry.bytes);
  const withEntry = { ...known, entrySha256 };
  const sig = readOnce(dir, PLUGIN_LAYOUT.signature, MAX_SIGNATURE_BYTES);
  if ('problem' in sig) {
    const missing = !existsSync(join(dir, PLUGIN_LAYOUT.signature));
    return { ok: false, refused: { ...withEntry, code: missing ? 'unsigned' : 'invalid-signature', reason: missing ? `no ${PLUGIN_LAYOUT.signature}: a third-party plug-in loads only when signed by a key trusted for plugins (stella plugins sign)` : sig.problem } };
  }
  if (!verify) return { ok: false, refused: { ...withEntry, code: 'unverifiable', reason: 'this host has no trust store to verify third-party plug-in signatures against' } };
  const verdict = verify({ envelope: sig.bytes, manifestSha256, entry: m.entry, entrySha256 });
  if (!verdict.ok) return { ok: false, refused: { ...withEntry, code: verdict.code, reason: verdict.reason } };
  const other = checkManifestAndEntry(m, entrySha256, { ...withEntry, signer: verdict.signer });
  if (other) return { ok: false, refused: other };
  return { ok: true, entry: { dir, manifest: m, bytes: entry.bytes }, manifestSha256, entrySha256, origin: { source: 'third-party', signer: verdict.signer } };
}

function signerOf(origin: PluginOrigin): { signer?: { name: string; keyId: string } } {
  return origin.source === 'third-party' ? { signer: origin.signer } : {};
}

/** Import verified entry bytes and check that they define the analyzer the manifest names. */
async function instantiate(v: Omit<VerifiedEntry, 'manifestSha256' | 'origin'>, manifestSha256: string, origin: PluginOrigin): Promise<LoadedAnalyzer | RefusedPlugin> {
  const m = v.manifest;
  try {
    const mod = (await importBytes(v.bytes)) as { default?: AnalyzerDefinition };
    if (!mod.default || typeof mod.default.analyze !== 'function') throw new Error('the entry has no default export made with defineAnalyzer()');
    if (mod.default.name !== m.name || mod.default.version !== m.version) {
      throw new Error(`the entry defines ${mod.default.name}@${mod.default.version} but the manifest says ${m.name}@${m.version}`);
    }
    return {
      manifest: m,
      id: `${m.name}@${m.version}`,
      dir: v.dir,
      entrySha256: m.entrySha256,
      manifestSha256,
      origin,
      selectors: m.selectors.map(compileSelector),
      maxFileBytes: m.requirements.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
      definition: mod.default,
    };
  } catch (e) {
    return { name: m.name, dir: v.dir, version: m.version, kind: m.kind, source: origin.source, manifestSha256, entrySha256: m.entrySha256, ...signerOf(origin), code: 'entry-failed', reason: (e as Error).message };
  }
}

function fingerprintOf(analyzers: readonly LoadedAnalyzer[]): string {
  // The manifest digest is part of it: a re-signed plug-in with other selectors or limits but the same
  // bundle must not reuse cached layer results.
  const pairs = analyzers.map((a) => `${a.id}=${a.entrySha256}:${a.manifestSha256}`).sort();
  return `sdk${SDK_API_VERSION}:${sha256Of(Buffer.from(pairs.join('\n'), 'utf8'))}`;
}

function normalizeSources(sources: string | PluginSources | undefined): Required<Pick<PluginSources, 'builtinDir' | 'builtins'>> & PluginSources {
  const s: PluginSources = typeof sources === 'string' ? { builtinDir: sources } : (sources ?? {});
  return { ...s, builtinDir: resolve(s.builtinDir ?? defaultPluginsDir()), builtins: s.builtins ?? BUILTIN_PLUGINS, ...(s.thirdPartyDir !== undefined ? { thirdPartyDir: resolve(s.thirdPartyDir) } : {}) };
}

/** Sub-folders holding something, sorted; dot-folders (an installer's work in progress) are skipped. */
function folders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();
}

/** A plug-in folder as its author signs it: manifest and entry, each read once, checked against each other. */
export interface PluginFolder {
  dir: string;
  manifest: PluginManifest;
  manifestBytes: Buffer;
  entryBytes: Buffer;
  manifestSha256: string;
  entrySha256: string;
}

/** Read a plug-in folder for signing; an invalid manifest or an entry that is not the pinned one is invalid input. */
export function readPluginFolder(dir: string): PluginFolder {
  const fail = (message: string, rel: string): never => {
    throw new ScannerError('invalid-plugin', `${join(dir, rel)}: ${message}`, { details: { file: join(dir, rel) } });
  };
  const read = readOnce(dir, PLUGIN_LAYOUT.manifest, MAX_MANIFEST_BYTES);
  if ('problem' in read) return fail(read.problem, PLUGIN_LAYOUT.manifest);
  const parsed = parseManifest(read.bytes);
  if (!('manifest' in parsed)) return fail(parsed.problem, PLUGIN_LAYOUT.manifest);
  const m = parsed.manifest;
  const entry = readOnce(dir, m.entry, MAX_ENTRY_BYTES);
  if ('problem' in entry) return fail(entry.problem, m.entry);
  const entrySha256 = sha256Of(entry.bytes);
  if (entrySha256 !== m.entrySha256) {
    return fail(`hashes to ${entrySha256}, but plugin.json pins ${m.entrySha256}: rebuild it (node build/scripts/build-plugins.mjs --plugin DIR) before signing`, m.entry);
  }
  return { dir, manifest: m, manifestBytes: read.bytes, entryBytes: entry.bytes, manifestSha256: sha256Of(read.bytes), entrySha256 };
}

/** Names of the plug-ins the application ships with (a third-party plug-in may not take one). */
export function builtinPluginNames(): string[] {
  return BUILTIN_PLUGINS.map((b) => b.name);
}

const cache = new Map<string, Promise<PluginSet>>();

/**
 * Load (once per process and pair of folders) every plug-in: the built-ins, then `<home>/plugins`. A
 * string is the built-in folder alone. What the trust store says is read at that first load: a plug-in
 * trusted later loads at the next start, like every other plug-in change.
 */
export function loadPlugins(sources?: string | PluginSources): Promise<PluginSet> {
  const s = normalizeSources(sources);
  const key = `${s.builtinDir}\n${s.thirdPartyDir ?? ''}`;
  let p = cache.get(key);
  if (!p) {
    p = loadPluginsUncached(s);
    cache.set(key, p);
  }
  return p;
}

/** Load without the per-process memo (tests that change a plug-in folder). */
export async function loadPluginsUncached(sources: string | PluginSources): Promise<PluginSet> {
  const s = normalizeSources(sources);
  const pluginsDir = s.builtinDir;
  if (!existsSync(pluginsDir)) throw new ScannerError('plugin-dir-missing', `plug-in folder ${pluginsDir} does not exist`, { details: { file: pluginsDir } });
  const byFolder = new Map(s.builtins.map((b) => [b.folder, b]));
  const checked: Checked[] = [];
  for (const folder of folders(pluginsDir)) {
    const dir = join(pluginsDir, folder);
    // The SDK and other helper folders hold no manifest; only the compiled-in folders must have one.
    if (!existsSync(join(dir, PLUGIN_LAYOUT.manifest)) && !byFolder.has(folder)) continue;
    checked.push(checkBuiltin(dir, folder, byFolder.get(folder)));
  }
  const thirdParty = s.thirdPartyDir !== undefined && existsSync(s.thirdPartyDir) ? s.thirdPartyDir : undefined;
  for (const folder of thirdParty !== undefined ? folders(thirdParty) : []) {
    checked.push(checkThirdParty(join(thirdParty as string, folder), folder, s.verifySignature));
  }
  // A built-in's name stays the built-in's even when its folder is damaged or missing.
  const builtinNames = new Set(s.builtins.map((b) => b.name));
  const loadedFrom = new Map<string, string>();
  const loaded: { analyzer: LoadedAnalyzer; entry: VerifiedEntry }[] = [];
  const refused: RefusedPlugin[] = [];
  for (const c of checked) {
    if (!c.ok) {
      refused.push(c.refused);
      continue;
    }
    const m = c.entry.manifest;
    const base = { name: m.name, dir: c.entry.dir, version: m.version, kind: m.kind, source: c.origin.source, manifestSha256: c.manifestSha256, entrySha256: c.entrySha256, ...signerOf(c.origin) };
    if (c.origin.source === 'third-party' && builtinNames.has(m.name)) {
      refused.push({ ...base, code: 'name-conflict', reason: `${m.name} is the name of a built-in plug-in; a third-party plug-in cannot replace or shadow it` });
      continue;
    }
    const earlier = loadedFrom.get(m.name);
    if (earlier !== undefined) {
      refused.push({ ...base, code: 'name-conflict', reason: `a plug-in named ${m.name} is already loaded from ${earlier}` });
      continue;
    }
    const a = await instantiate(c.entry, c.manifestSha256, c.origin);
    if ('reason' in a) {
      refused.push(a);
      continue;
    }
    loadedFrom.set(m.name, c.entry.dir);
    loaded.push({ analyzer: a, entry: { ...c.entry, manifestSha256: c.manifestSha256, origin: c.origin } });
  }
  loaded.sort((a, b) => a.analyzer.manifest.name.localeCompare(b.analyzer.manifest.name));
  refused.sort((a, b) => a.name.localeCompare(b.name) || a.dir.localeCompare(b.dir));
  const analyzers = loaded.map((l) => l.analyzer);
  return { pluginsDir, ...(thirdParty !== undefined ? { thirdPartyDir: thirdParty } : {}), analyzers, refused, fingerprint: fingerprintOf(analyzers), verified: loaded.map((l) => l.entry) };
}

/**
 * In a worker thread: load the analyzers the host verified, from the bytes it verified (re-hashed here,
 * so nothing unverified runs even if a message were altered). Throws when any of them fails to load:
 * the worker must run exactly the host's set.
 */
export async function loadVerifiedPlugins(pluginsDir: string, verified: readonly VerifiedEntry[]): Promise<PluginSet> {
  const analyzers: LoadedAnalyzer[] = [];
  for (const v of verified) {
    const actual = sha256Of(v.bytes);
    if (actual !== v.manifest.entrySha256) throw new ScannerError('worker-failed', `plug-in ${v.manifest.name}: entry bytes hash to ${actual}, manifest pins ${v.manifest.entrySha256}`);
    const loaded = await instantiate(v, v.manifestSha256, v.origin);
    if ('reason' in loaded) throw new ScannerError('worker-failed', `plug-in ${v.manifest.name} failed to load in a worker: ${loaded.reason}`);
    analyzers.push(loaded);
  }
  return { pluginsDir, analyzers, refused: [], fingerprint: fingerprintOf(analyzers), verified: [...verified] };
}

/** One plug-in as `stella plugins list --json` and the app's `plugins.list` show it. */
export interface PluginListing {
  name: string;
  version?: number;
  kind?: string;
  source: 'built-in' | 'third-party';
  /** `built-in`, the signer's trust entry name (third-party, signature verified), or `unverified`. */
  origin: string;
  signer?: { name: string; keyId: string };
  /** `sha256:` of the entry bundle (the code that runs), when it was read. */
  digest?: string;
  /** `sha256:` of plugin.json, when it was read. */
  manifestDigest?: string;
  status: 'loaded' | 'refused';
  code?: PluginRefusalCode;
  reason?: string;
  dir: string;
}

export interface PluginsDescription {
  pluginsDir: string;
  thirdPartyDir?: string;
  sdkApi: number;
  /** Every plug-in, loaded and refused, by name then folder. */
  plugins: PluginListing[];
  loaded: { name: string; version: number; kind: string; sdkApi: number; entry: string; entrySha256: string; selectors: string[]; description?: string; origin: string; source: 'built-in' | 'third-party'; signer?: { name: string; keyId: string }; manifestSha256: string }[];
  refused: (RefusedPlugin & { origin: string })[];
}

function originName(source: 'built-in' | 'third-party', signer: { name: string } | undefined): string {
  return source === 'built-in' ? 'built-in' : (signer?.name ?? 'unverified');
}

/** Plain data for `stella plugins list --json`. */
export function describePlugins(set: PluginSet): PluginsDescription {
  const loaded = set.analyzers.map((a) => {
    const signer = a.origin.source === 'third-party' ? a.origin.signer : undefined;
    return {
      name: a.manifest.name,
      version: a.manifest.version,
      kind: a.manifest.kind,
      sdkApi: a.manifest.sdkApi,
      entry: a.manifest.entry,
      entrySha256: a.manifest.entrySha256,
      selectors: a.manifest.selectors.map((s) => s.glob),
      ...(a.manifest.description ? { description: a.manifest.description } : {}),
      origin: originName(a.origin.source, signer),
      source: a.origin.source,
      ...(signer ? { signer } : {}),
      manifestSha256: a.manifestSha256,
    };
  });
  const refused = set.refused.map((r) => ({ ...r, origin: originName(r.source, r.signer) }));
  const plugins: PluginListing[] = [
    ...set.analyzers.map((a, i): PluginListing => {
      const l = loaded[i] as (typeof loaded)[number];
      return { name: l.name, version: l.version, kind: l.kind, source: l.source, origin: l.origin, ...(l.signer ? { signer: l.signer } : {}), digest: l.entrySha256, manifestDigest: l.manifestSha256, status: 'loaded', dir: a.dir };
    }),
    ...refused.map(
      (r): PluginListing => ({
        name: r.name,
        ...(r.version !== undefined ? { version: r.version } : {}),
        ...(r.kind !== undefined ? { kind: r.kind } : {}),
        source: r.source,
        origin: r.origin,
        ...(r.signer ? { signer: r.signer } : {}),
        ...(r.entrySha256 !== undefined ? { digest: r.entrySha256 } : {}),
        ...(r.manifestSha256 !== undefined ? { manifestDigest: r.manifestSha256 } : {}),
        status: 'refused',
        code: r.code,
        reason: r.reason,
        dir: r.dir,
      }),
    ),
  ].sort((a, b) => a.name.localeCompare(b.name) || a.dir.localeCompare(b.dir));
  return { pluginsDir: set.pluginsDir, ...(set.thirdPartyDir !== undefined ? { thirdPartyDir: set.thirdPartyDir } : {}), sdkApi: SDK_API_VERSION, plugins, loaded, refused };
}
