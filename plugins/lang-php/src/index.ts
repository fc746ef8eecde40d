/**
 * lang/php — Composer packages. `composer.lock` lists what a project declares (`packages` and the
 * dev-only `packages-dev`); `vendor/composer/installed.json` lists what is installed (Composer 1: a
 * bare array; Composer 2: `{ packages, dev, dev-package-names }`). Versions are reported as written
 * (`v4.6.2` stays `v4.6.2`: Packagist comparators normalize the `v`).
 */
import { defineAnalyzer, eachFile, emptyResult, type AnalyzerFile, type AnalyzerResult, type PackageRecord } from '../../sdk';

interface ComposerPackage {
  name?: unknown;
  version?: unknown;
  license?: unknown;
  require?: unknown;
  source?: { reference?: unknown };
}

function licensesOf(p: ComposerPackage): string[] | undefined {
  if (Array.isArray(p.license)) {
    const l = p.license.filter((x): x is string => typeof x === 'string');
    return l.length ? l : undefined;
  }
  return typeof p.license === 'string' ? [p.license] : undefined;
}

function record(p: ComposerPackage, file: AnalyzerFile, declared: boolean, dev: boolean): PackageRecord | string {
  if (typeof p.name !== 'string' || typeof p.version !== 'string') return 'package entry without a string "name" and "version"';
  const slash = p.name.indexOf('/');
  const vendor = slash > 0 ? p.name.slice(0, slash) : undefined;
  const name = slash > 0 ? p.name.slice(slash + 1) : p.name;
  const properties: Record<string, string> = {};
  if (typeof p.source?.reference === 'string') properties.sourceReference = p.source.reference;
  if (dev) properties.group = 'dev';
  return {
    id: p.name,
    name: p.name,
    version: p.version,
    purl: { type: 'composer', namespace: vendor, name, version: p.version },
    locations: [file.path],
    licenses: licensesOf(p),
    properties,
    ...(declared ? { declared: true } : {}),
    ...(dev ? { scope: 'optional' as const } : {}),
  };
}

function requires(p: ComposerPackage): string[] {
  if (!p.require || typeof p.require !== 'object') return [];
  // Platform requirements (php, ext-*, lib-*) are not packages.
  return Object.keys(p.require as Record<string, unknown>).filter((n) => n.includes('/'));
}

export default defineAnalyzer({
  name: 'lang/php',
  version: 1,
  async analyze(files) {
    const result: AnalyzerResult = emptyResult();
    await eachFile(files, result, async (file) => {
      const isLock = file.path.endsWith('composer.lock');
      const what = isLock ? 'composer.lock' : 'Composer installed.json';
      let doc: unknown;
      try {
        doc = JSON.parse(await file.readText());
      } catch (e) {
        result.issues.push({ path: file.path, severity: 'error', message: `not a ${what}: invalid JSON (${(e as Error).message})` });
        return;
      }
      const groups: { list: unknown; dev: boolean | ((name: string) => boolean) }[] = [];
      if (isLock) {
        if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
          result.issues.push({ path: file.path, severity: 'error', message: 'not a composer.lock: expected an object with "packages" and "packages-dev" arrays' });
          return;
        }
        const o = doc as Record<string, unknown>;
        groups.push({ list: o.packages ?? [], dev: false }, { list: o['packages-dev'] ?? [], dev: true });
      } else if (Array.isArray(doc)) {
        groups.push({ list: doc, dev: false });
      } else if (doc && typeof doc === 'object' && Array.isArray((doc as Record<string, unknown>).packages)) {
        const o = doc as Record<string, unknown>;
        const devNames = new Set(Array.isArray(o['dev-package-names']) ? (o['dev-package-names'] as unknown[]).filter((x): x is string => typeof x === 'string') : []);
        groups.push({ list: o.packages, dev: (n) => devNames.has(n) });
      } else {
        result.issues.push({ path: file.path, severity: 'error', message: 'not a Composer installed.json: expected an array (Composer 1) or an object with a "packages" array (Composer 2)' });
        return;
      }
      const recs: { rec: PackageRecord; raw: ComposerPackage }[] = [];
      for (const g of groups) {
        if (!Array.isArray(g.list)) {
          result.issues.push({ path: file.path, severity: 'error', message: `${what}: package list must be an array` });
          continue;
        }
        g.list.forEach((raw: ComposerPackage, i) => {
          const dev = typeof g.dev === 'function' ? typeof raw?.name === 'string' && g.dev(raw.name) : g.dev;
          const r = record(raw ?? {}, file, isLock, dev);
          if (typeof r === 'string') result.issues.push({ path: file.path, severity: 'warning', message: `${what} package #${i + 1}: ${r}; skipped` });
          else recs.push({ rec: r, raw });
        });
      }
      const ids = new Set(recs.map((r) => r.rec.id));
      for (const { rec, raw } of recs) {
        result.packages.push(rec);
        for (const dep of requires(raw)) if (ids.has(dep)) result.relationships.push({ from: rec.id, to: dep, type: 'depends-on' });
      }
    });
    return result;
  },
});
