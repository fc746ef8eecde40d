/**
 * CPE matching (only when asked for: CPE names are coarse and produce false positives). A component's
 * CPE 2.3 (or 2.2 URI) names vendor:product; advisories that identify software by CPE (NVD, CVE 5) are
 * indexed under the `cpe` family with `vendor:product` as the name, and their ranges are evaluated
 * with the component's version.
 */
import type { Component, Observation } from '../core';
import type { AdvisoryView } from '../advisories/view';
import { parseCpeName as parseCpe } from '../advisories/package-key';

export { parseCpe };

export function cpeMatches(view: AdvisoryView, c: Component): { observation: Observation; pkgIndexes: number[]; name: string }[] {
  const out = new Map<string, { observation: Observation; pkgIndexes: number[]; name: string }>();
  for (const cpe of [...c.cpes].sort()) {
    const p = parseCpe(cpe);
    if (!p) continue;
    const name = `${p.vendor}:${p.product}`;
    for (const { stored, pkgIndexes } of view.byPackage('cpe', name)) {
      if (!out.has(stored.observation.id)) out.set(stored.observation.id, { observation: stored.observation, pkgIndexes, name });
    }
  }
  return [...out.values()];
}
