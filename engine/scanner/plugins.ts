/**
 * The plug-in host. Plug-ins are loaded once, at start-up, from `<pluginsDir>/*\/plugin.json` in sorted
 * order of their names. A plug-in is refused — and listed with the reason — when its manifest is
 * invalid, its entry's bytes do not hash to the pinned `entrySha256`, it needs another SDK API, it needs
 * the network, or its entry does not export the analyzer its manifest names. Nothing is loaded later.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

export interface LoadedAnalyzer {
  manifest: PluginManifest;
  /** `name@version`, stamped as foundBy. */
  id: string;
  dir: string;
  selectors: CompiledSelector[];
  maxFileBytes: number;
  definition: AnalyzerDefinition;
}

export interface RefusedPlugin {
  /** Manifest name when readable, else the folder name. */
  name: string;
  dir: string;
  version?: number;
  reason: string;
  code: 'invalid-manifest' | 'digest-mismatch' | 'unsupported-api' | 'needs-network' | 'wrong-kind' | 'entry-failed';
}

export interface PluginSet {
  pluginsDir: string;
  analyzers: LoadedAnalyzer[];
  refused: RefusedPlugin[];
  /** Sorted `name@version` list + SDK API: part of every cache key. */
  fingerprint: string;
}

/** Where the plug-ins live: $STELLA_PLUGINS_DIR, else `plugins/` of the source checkout or beside dist/. */
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

export function sha256File(path: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
}

interface Candidate {
  dir: string;
  manifest?: PluginManifest;
  refused?: RefusedPlugin;
}

function readCandidate(pluginsDir: string, folder: string): Candidate | undefined {
  const dir = join(pluginsDir, folder);
  const manifestPath = join(dir, 'plugin.json');
  if (!existsSync(manifestPath) || !statSync(dir).isDirectory()) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    return { dir, refused: { name: folder, dir, code: 'invalid-manifest', reason: `${manifestPath}: not JSON (${(e as Error).message})` } };
  }
  const { manifest, problems } = validateManifest(raw);
  if (!manifest) {
    const name = typeof (raw as { name?: unknown }).name === 'string' ? (raw as { name: string }).name : folder;
    return { dir, refused: { name, dir, code: 'invalid-manifest', reason: `${manifestPath}: ${problems.map((p) => `${p.path || '/'}: ${p.message}`).join('; ')}` } };
  }
  return { dir, manifest };
}

function refuseReason(c: Required<Pick<Candidate, 'dir' | 'manifest'>>): RefusedPlugin | undefined {
  const m = c.manifest;
  const base = { name: m.name, dir: c.dir, version: m.version };
  if (m.sdkApi !== SDK_API_VERSION) return { ...base, code: 'unsupported-api', reason: `needs SDK API ${m.sdkApi}; this host supports ${SDK_API_VERSION}` };
  if (m.requirements.network) return { ...base, code: 'needs-network', reason: 'requires network access; Stella runs offline' };
  if (m.kind !== 'analyzer') return { ...base, code: 'wrong-kind', reason: `kind "${m.kind}" is not loaded by the scanner host (expected "analyzer")` };
  const entry = join(c.dir, m.entry);
  if (!existsSync(entry)) return { ...base, code: 'digest-mismatch', reason: `entry ${m.entry} is missing` };
  const actual = sha256File(entry);
  if (actual !== m.entrySha256) return { ...base, code: 'digest-mismatch', reason: `entry ${m.entry} hashes to ${actual}, manifest pins ${m.entrySha256}` };
  return undefined;
}

const cache = new Map<string, Promise<PluginSet>>();

/** Load (once per process and folder) every plug-in under `pluginsDir`. */
export function loadPlugins(pluginsDir: string = defaultPluginsDir()): Promise<PluginSet> {
  const key = resolve(pluginsDir);
  let p = cache.get(key);
  if (!p) {
    p = loadPluginsUncached(key);
    cache.set(key, p);
  }
  return p;
}

/** Load without the per-process memo (tests that change a plug-in folder). */
export async function loadPluginsUncached(pluginsDir: string): Promise<PluginSet> {
  if (!existsSync(pluginsDir)) throw new ScannerError('plugin-dir-missing', `plug-in folder ${pluginsDir} does not exist`, { details: { file: pluginsDir } });
  const candidates = readdirSync(pluginsDir)
    .sort()
    .map((f) => readCandidate(pluginsDir, f))
    .filter((c): c is Candidate => c !== undefined);
  candidates.sort((a, b) => (a.manifest?.name ?? a.refused?.name ?? '').localeCompare(b.manifest?.name ?? b.refused?.name ?? '') || a.dir.localeCompare(b.dir));
  const analyzers: LoadedAnalyzer[] = [];
  const refused: RefusedPlugin[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (c.refused || !c.manifest) {
      if (c.refused) refused.push(c.refused);
      continue;
    }
    const m = c.manifest;
    const why = refuseReason({ dir: c.dir, manifest: m });
    if (why) {
      refused.push(why);
      continue;
    }
    if (seen.has(m.name)) {
      refused.push({ name: m.name, dir: c.dir, version: m.version, code: 'invalid-manifest', reason: `a plug-in named ${m.name} is already loaded` });
      continue;
    }
    let definition: AnalyzerDefinition;
    try {
      const mod = (await import(pathToFileURL(join(c.dir, m.entry)).href)) as { default?: AnalyzerDefinition };
      if (!mod.default || typeof mod.default.analyze !== 'function') throw new Error('the entry has no default export made with defineAnalyzer()');
      if (mod.default.name !== m.name || mod.default.version !== m.version) {
        throw new Error(`the entry defines ${mod.default.name}@${mod.default.version} but the manifest says ${m.name}@${m.version}`);
      }
      definition = mod.default;
    } catch (e) {
      refused.push({ name: m.name, dir: c.dir, version: m.version, code: 'entry-failed', reason: (e as Error).message });
      continue;
    }
    seen.add(m.name);
    analyzers.push({
      manifest: m,
      id: `${m.name}@${m.version}`,
      dir: c.dir,
      selectors: m.selectors.map(compileSelector),
      maxFileBytes: m.requirements.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
      definition,
    });
  }
  const fingerprint = `sdk${SDK_API_VERSION}:${analyzers.map((a) => a.id).sort().join(',')}`;
  return { pluginsDir, analyzers, refused, fingerprint };
}

/** Plain data for `stella plugins list --json`. */
export function describePlugins(set: PluginSet): {
  pluginsDir: string;
  sdkApi: number;
  loaded: { name: string; version: number; kind: string; sdkApi: number; entry: string; entrySha256: string; selectors: string[]; description?: string }[];
  refused: RefusedPlugin[];
} {
  return {
    pluginsDir: set.pluginsDir,
    sdkApi: SDK_API_VERSION,
    loaded: set.analyzers.map((a) => ({
      name: a.manifest.name,
      version: a.manifest.version,
      kind: a.manifest.kind,
      sdkApi: a.manifest.sdkApi,
      entry: a.manifest.entry,
      entrySha256: a.manifest.entrySha256,
      selectors: a.manifest.selectors.map((s) => s.glob),
      ...(a.manifest.description ? { description: a.manifest.description } : {}),
    })),
    refused: set.refused,
  };
}
