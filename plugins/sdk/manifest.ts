/**
 * Structural validation of `plugin.json`. Returns every problem (JSON-pointer located) rather than the
 * first, so `stella plugins list` can say exactly what is wrong with a refused manifest.
 */
import { isObject as isObj } from './guards';
import { globToRegExp } from './selectors';
import type { PluginManifest } from './index';

export interface ManifestProblem {
  /** JSON pointer into plugin.json (`/selectors/0/glob`). */
  path: string;
  message: string;
}

const KINDS = ['analyzer', 'connector', 'exporter', 'notifier'];
const TARGETS = ['image', 'rootfs', 'file'];

export function validateManifest(value: unknown): { manifest?: PluginManifest; problems: ManifestProblem[] } {
  const problems: ManifestProblem[] = [];
  const p = (path: string, message: string): void => void problems.push({ path, message });
  if (!isObj(value)) return { problems: [{ path: '', message: 'expected a JSON object' }] };
  const v = value;
  if (typeof v.name !== 'string' || !/^[a-z0-9-]+\/[a-z0-9-]+$/.test(v.name)) p('/name', 'expected a namespaced lowercase name like "os/dpkg"');
  if (typeof v.version !== 'number' || !Number.isInteger(v.version) || v.version < 1) p('/version', 'expected a positive integer');
  if (typeof v.kind !== 'string' || !KINDS.includes(v.kind)) p('/kind', `expected one of ${KINDS.join(', ')}`);
  if (typeof v.sdkApi !== 'number' || !Number.isInteger(v.sdkApi) || v.sdkApi < 1) p('/sdkApi', 'expected a positive integer');
  if (v.description !== undefined && typeof v.description !== 'string') p('/description', 'expected a string');
  if (!isObj(v.requirements)) p('/requirements', 'expected an object');
  else {
    const r = v.requirements;
    if (typeof r.network !== 'boolean') p('/requirements/network', 'expected true or false');
    if (r.targets !== undefined && (!Array.isArray(r.targets) || r.targets.some((t) => typeof t !== 'string' || !TARGETS.includes(t)))) {
      p('/requirements/targets', `expected an array of ${TARGETS.join(', ')}`);
    }
    if (r.maxFileBytes !== undefined && (typeof r.maxFileBytes !== 'number' || !Number.isInteger(r.maxFileBytes) || r.maxFileBytes < 1)) {
      p('/requirements/maxFileBytes', 'expected a positive integer');
    }
  }
  if (!Array.isArray(v.selectors)) p('/selectors', 'expected an array');
  else {
    v.selectors.forEach((s: unknown, i) => {
      if (!isObj(s) || typeof s.glob !== 'string') return p(`/selectors/${i}`, 'expected {"glob": "...", "exclude"?: [...], "ignoreCase"?: bool}');
      try {
        globToRegExp(s.glob);
      } catch (e) {
        p(`/selectors/${i}/glob`, (e as Error).message);
      }
      if (s.exclude !== undefined && (!Array.isArray(s.exclude) || s.exclude.some((x) => typeof x !== 'string' || !x))) p(`/selectors/${i}/exclude`, 'expected an array of base-name globs');
      if (s.ignoreCase !== undefined && typeof s.ignoreCase !== 'boolean') p(`/selectors/${i}/ignoreCase`, 'expected true or false');
    });
  }
  if (typeof v.entry !== 'string' || !v.entry || v.entry.startsWith('/') || v.entry.split(/[\\/]/).includes('..')) {
    p('/entry', 'expected a path inside the plug-in folder (no leading "/" or "..")');
  }
  if (typeof v.entrySha256 !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(v.entrySha256)) p('/entrySha256', 'expected "sha256:" and 64 lowercase hex digits');
  return problems.length ? { problems } : { manifest: v as unknown as PluginManifest, problems };
}
