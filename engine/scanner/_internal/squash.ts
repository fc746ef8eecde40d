/**
 * The squashed view of an image and per-layer attribution. Each layer's scan is independent (and
 * cacheable); here they are stacked: an upper layer hides a lower path when it has an entry at that
 * path, a whiteout of it or of an ancestor, an opaque marker on an ancestor, or a non-directory at an
 * ancestor. A package survives only when the file it was read from is visible in the final view, and
 * is attributed to the earliest layer that recorded it from that same file without a break.
 */
import { purlToString, type PackageRecord } from '../../../plugins/sdk';
import type { OsInfo } from './os';
import { ancestorsOf, resolveInRoot, type Node } from './paths';
import type { IndexEntry, LayerScan, ScanIssue } from './types';

export interface LayerView {
  /** diffID (or blob digest) — what packages and issues name as their layer; undefined for rootfs/file. */
  label?: string;
  scan: LayerScan;
  byPath: Map<string, IndexEntry>;
  whiteouts: Set<string>;
  opaques: Set<string>;
}

export function viewOf(scan: LayerScan, label?: string): LayerView {
  const byPath = new Map<string, IndexEntry>();
  const whiteouts = new Set<string>();
  const opaques = new Set<string>();
  for (const e of scan.entries) {
    if (e[1] === 'whiteout') whiteouts.add(e[0]);
    else if (e[1] === 'opaque') opaques.add(e[0]);
    else byPath.set(e[0], e);
  }
  return { ...(label ? { label } : {}), scan, byPath, whiteouts, opaques };
}

function hides(upper: LayerView, path: string): boolean {
  if (upper.byPath.has(path) || upper.whiteouts.has(path)) return true;
  for (const a of ancestorsOf(path)) {
    if (upper.whiteouts.has(a) || upper.opaques.has(a)) return true;
    const e = upper.byPath.get(a);
    if (e && e[1] !== 'dir') return true;
  }
  return false;
}

export class Squash {
  constructor(readonly layers: readonly LayerView[]) {}

  /** Is `path` (root-relative) of layer `i` visible in the final filesystem? */
  visible(i: number, path: string): boolean {
    for (let j = i + 1; j < this.layers.length; j++) if (hides(this.layers[j] as LayerView, path)) return false;
    return true;
  }

  /** Topmost visible entry at `path`, with its layer index. */
  entry(path: string): { layer: number; entry: IndexEntry } | undefined {
    for (let j = this.layers.length - 1; j >= 0; j--) {
      const e = (this.layers[j] as LayerView).byPath.get(path);
      if (e) return this.visible(j, path) ? { layer: j, entry: e } : undefined;
      if ((this.layers[j] as LayerView).whiteouts.has(path)) return undefined;
    }
    return undefined;
  }

  node(path: string): Node | undefined {
    if (path === '') return { kind: 'dir' };
    const hit = this.entry(path);
    if (!hit) {
      // Directories are often implicit in layer tars: a visible descendant proves the directory.
      return this.hasDescendant(path) ? { kind: 'dir' } : undefined;
    }
    const [, kind, , link] = hit.entry;
    if (kind === 'symlink') return { kind: 'symlink', target: link ?? '' };
    if (kind === 'dir') return { kind: 'dir' };
    if (kind === 'file' || kind === 'hardlink') return { kind: 'file' };
    return { kind: 'other' };
  }

  private hasDescendant(dir: string): boolean {
    const prefix = `${dir}/`;
    for (let j = this.layers.length - 1; j >= 0; j--) {
      for (const p of (this.layers[j] as LayerView).byPath.keys()) if (p.startsWith(prefix) && this.visible(j, p)) return true;
    }
    return false;
  }

  /** Read an OS identification file through symlinks, never leaving the image root. */
  readOsFile(path: string): { text?: string; why?: string } {
    const r = resolveInRoot((p) => this.node(p), path);
    if (!r.ok) return { why: r.reason };
    const hit = this.entry(r.path);
    if (!hit) return { why: `/${r.path} does not exist` };
    const text = (this.layers[hit.layer] as LayerView).scan.osFiles[r.path];
    return text === undefined ? { why: `/${r.path} (resolved from /${path}) was not captured` } : { text };
  }
}

export interface FinalPackage {
  record: PackageRecord;
  foundBy: string;
  purl: string;
  /** Layer index the package is attributed to (images), else undefined. */
  layerIndex?: number;
  locations: string[];
  /** Record ids per (layer, analyzer) that merged into this package, for relationships. */
  ids: string[];
}

export function finalPurl(rec: PackageRecord, os: OsInfo | null): string {
  if (!rec.distroBound || !os) return purlToString(rec.purl);
  const distro = os.versionId ? `${os.id}-${os.versionId}` : os.id;
  return purlToString({ ...rec.purl, namespace: os.id, qualifiers: { ...rec.purl.qualifiers, distro } });
}

const rel = (p: string): string => p.replace(/^\/+/, '');

/** Packages of the squashed view, attributed, merged by (foundBy, purl); issues of superseded files dropped. */
export function squashPackages(sq: Squash, os: OsInfo | null, attribute: boolean): { packages: FinalPackage[]; relationships: { from: string; to: string }[]; issues: ScanIssue[] } {
  const merged = new Map<string, FinalPackage>();
  const relationships: { from: string; to: string }[] = [];
  const issues: ScanIssue[] = [];
  const memo = new Map<string, Set<string> | undefined>();
  const purlsFrom = (j: number, foundBy: string, path: string): Set<string> | undefined => {
    const key = `${j}\0${foundBy}\0${path}`;
    if (memo.has(key)) return memo.get(key);
    const view = sq.layers[j] as LayerView;
    let set: Set<string> | undefined;
    if (view.byPath.has(path)) {
      set = new Set<string>();
      for (const run of view.scan.analyzers) {
        if (run.foundBy !== foundBy) continue;
        for (const r of run.result.packages) if (rel(r.locations[0] ?? '') === path) set.add(finalPurl(r, os));
      }
    }
    memo.set(key, set);
    return set;
  };
  sq.layers.forEach((view, i) => {
    for (const run of view.scan.analyzers) {
      const idMap = new Map<string, string>();
      for (const iss of run.result.issues) {
        if (iss.path && !sq.visible(i, rel(iss.path))) continue;
        issues.push({ ...iss, plugin: run.foundBy, ...(view.label ? { layer: view.label } : {}) });
      }
      for (const rec of run.result.packages) {
        const primary = rel(rec.locations[0] ?? '');
        if (!primary || !sq.visible(i, primary)) continue;
        const purl = finalPurl(rec, os);
        let layerIndex: number | undefined;
        if (attribute) {
          layerIndex = i;
          for (let j = i - 1; j >= 0; j--) {
            const set = purlsFrom(j, run.foundBy, primary);
            if (!set) continue;
            if (!set.has(purl)) break;
            layerIndex = j;
          }
        }
        const key = `${run.foundBy}\0${purl}`;
        const have = merged.get(key);
        if (have) {
          for (const l of rec.locations) if (!have.locations.includes(l)) have.locations.push(l);
          if (layerIndex !== undefined && (have.layerIndex === undefined || layerIndex < have.layerIndex)) have.layerIndex = layerIndex;
          have.ids.push(`${i}:${run.foundBy}:${rec.id}`);
        } else {
          merged.set(key, { record: rec, foundBy: run.foundBy, purl, ...(layerIndex !== undefined ? { layerIndex } : {}), locations: [...rec.locations], ids: [`${i}:${run.foundBy}:${rec.id}`] });
        }
        idMap.set(rec.id, key);
      }
      for (const r of run.result.relationships) {
        const from = idMap.get(r.from);
        const to = idMap.get(r.to);
        if (from && to) relationships.push({ from, to });
      }
    }
  });
  return { packages: [...merged.values()], relationships, issues };
}

/**
 * Results drawn from a file of a layer that a later layer changed. An analyzer sees the filesystem as of
 * the layer it analyzes; when it read a related file (a requirements include, a parent POM) that an upper
 * layer replaced or removed, without touching the file it was handed, those results are as of the older
 * layer — said here rather than silently kept.
 */
export function staleReadIssues(sq: Squash): ScanIssue[] {
  const out: ScanIssue[] = [];
  sq.layers.forEach((view, i) => {
    for (const run of view.scan.analyzers) {
      for (const r of run.reads ?? []) {
        const p = rel(r.path);
        for (let k = i + 1; k < sq.layers.length; k++) {
          const upper = sq.layers[k] as LayerView;
          if (!upper.byPath.has(p) && !hides(upper, p)) continue;
          const from = r.depth !== undefined ? (sq.layers[i - r.depth]?.label ?? 'a lower layer') : 'no layer (it did not exist)';
          out.push({
            severity: 'warning',
            plugin: run.foundBy,
            ...(view.label ? { layer: view.label } : {}),
            path: r.path,
            message: `read while analyzing this layer (found in ${from}), but layer ${upper.label ?? k} changes it: packages drawn from it are as of this layer`,
          });
          break;
        }
      }
    }
  });
  return out;
}
