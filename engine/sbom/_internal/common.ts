/** Small helpers shared by the format normalizers. */
import type { Component, DependencyEdge, Inventory, Property } from '../../core';

export { isObject } from '../../core';

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function arr(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === undefined || v === null) return [];
  return [v];
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortProperties(props: Property[]): Property[] {
  return props.sort((a, b) => cmp(a.name, b.name) || cmp(a.value, b.value));
}

/** Merge edges with the same ref, dedupe and sort targets, sort edges by ref. */
export function normalizeEdges(edges: DependencyEdge[]): DependencyEdge[] {
  const by = new Map<string, Set<string>>();
  for (const e of edges) {
    let set = by.get(e.ref);
    if (!set) by.set(e.ref, (set = new Set()));
    for (const d of e.dependsOn) set.add(d);
  }
  return [...by.keys()].sort(cmp).map((ref) => ({ ref, dependsOn: [...(by.get(ref) ?? [])].sort(cmp) }));
}

/** Canonical order of an inventory's collections (components by ref, hashes/cpes sorted). */
export function finalizeInventory(inv: Inventory): Inventory {
  for (const c of inv.components) finalizeComponent(c);
  if (inv.subject) finalizeComponent(inv.subject);
  inv.components.sort((a, b) => cmp(a.ref, b.ref));
  inv.dependencies = normalizeEdges(inv.dependencies);
  sortProperties(inv.document.properties);
  return inv;
}

function finalizeComponent(c: Component): void {
  c.cpes = [...new Set(c.cpes)].sort(cmp);
  c.hashes.sort((a, b) => cmp(a.alg, b.alg) || cmp(a.content, b.content));
  // Identical locations say nothing more than one (SPDX hasFiles lists sometimes repeat a file).
  const seen = new Set<string>();
  c.locations = c.locations
    .filter((l) => {
      const k = `${l.path}\u0000${l.layer ?? ''}\u0000${l.line ?? ''}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => cmp(a.path, b.path) || cmp(a.layer ?? '', b.layer ?? '') || (a.line ?? 0) - (b.line ?? 0));
  sortProperties(c.properties);
}

/** Number of dependency edges (ref → dependsOn pairs). */
export function countEdges(deps: DependencyEdge[]): number {
  let n = 0;
  for (const d of deps) n += d.dependsOn.length;
  return n;
}
