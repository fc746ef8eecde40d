/** License normalization: SPDX expressions validated with spdx-expression-parse; anything else is kept by name. */
import parseSpdx from 'spdx-expression-parse';
import type { License } from '../../core';

const cache = new Map<string, boolean>();

export function isSpdxExpression(s: string): boolean {
  const hit = cache.get(s);
  if (hit !== undefined) return hit;
  let ok: boolean;
  try {
    parseSpdx(s);
    ok = true;
  } catch {
    ok = false;
  }
  if (cache.size > 20_000) cache.clear();
  cache.set(s, ok);
  return ok;
}

const NO_LICENSE = new Set(['NOASSERTION', 'NONE', '']);

/**
 * A license string from any format: an SPDX expression becomes `{expression}`, NOASSERTION/NONE are
 * dropped (they assert nothing), anything else is kept as `{name}` so no information is lost.
 */
export function licenseFromString(s: string, acknowledgement?: License['acknowledgement']): License | undefined {
  const v = s.trim();
  if (NO_LICENSE.has(v)) return undefined;
  const base: License = isSpdxExpression(v) ? { expression: v } : { name: v };
  if (acknowledgement) base.acknowledgement = acknowledgement;
  return base;
}
