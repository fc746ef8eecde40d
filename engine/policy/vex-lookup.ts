/**
 * The default VEX lookup of policy evaluation: engine/vex's consensus over the stored VEX, for a whole
 * scan in one batch. Its `VexConsensus` goes to the evaluator unchanged (it is a `PolicyVexConsensus`);
 * a finding no statement applies to gets null (`vex.status == "none"`).
 *
 * Direct module file rather than engine/vex's index: evaluation needs the index and the lattice, not
 * the document parsers.
 */
import type { Digest } from '../core';
import type { Store } from '../store';
import { applicableConsensusBatch, vexSetDigest } from '../vex/query';
import type { VexLookup } from './input';

export const STORED_VEX_LOOKUP_NAME = 'engine/vex';

/** The stored VEX of `store` as a lookup; `setDigest` names the VEX set it reads (replay manifests record it). */
export function storedVexLookup(store: Store): VexLookup & { setDigest: Digest } {
  return {
    name: STORED_VEX_LOOKUP_NAME,
    setDigest: vexSetDigest(store),
    consensus: (keys) => applicableConsensusBatch(store, keys.map((k) => ({ vulnerabilityId: k.vulnerabilityId, aliases: [...k.aliases], ...(k.purl ? { purl: k.purl } : {}), ref: k.componentRef }))),
  };
}
