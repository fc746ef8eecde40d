/**
 * Which kit is active on each channel: the newest row of `kit_activations` per channel. Kept apart from
 * activation so that readers (feed age in every scan header) load nothing but the store.
 */
import type { Digest } from '../core';
import type { Store } from '../store';

export interface ActiveKit {
  seq: number;
  channel: string;
  kind: 'kit' | 'mirror';
  version: string;
  generation: number | null;
  kitDigest: Digest;
  manifestDigest: Digest;
  producerKeyId: string;
  feedDate: string;
  advisorySnapshot: string | null;
  vexSnapshot: string | null;
  forced: boolean;
  forceReason: string | null;
  activatedAt: string;
}

interface ActivationRow {
  seq: number;
  channel: string;
  kind: string;
  version: string;
  generation: number | null;
  kit_digest: string;
  manifest_digest: string;
  producer_key_id: string;
  feed_date: string;
  advisory_snapshot: string | null;
  vex_snapshot: string | null;
  forced: number;
  force_reason: string | null;
  activated_at: string;
}

function toActive(r: ActivationRow): ActiveKit {
  return {
    seq: r.seq,
    channel: r.channel,
    kind: r.kind as 'kit' | 'mirror',
    version: r.version,
    generation: r.generation,
    kitDigest: r.kit_digest as Digest,
    manifestDigest: r.manifest_digest as Digest,
    producerKeyId: r.producer_key_id,
    feedDate: r.feed_date,
    advisorySnapshot: r.advisory_snapshot,
    vexSnapshot: r.vex_snapshot,
    forced: r.forced === 1,
    forceReason: r.force_reason,
    activatedAt: r.activated_at,
  };
}

/** The active kit of every channel (its newest activation), by channel. */
export function activeKits(store: Store): ActiveKit[] {
  return (
    store.db.prepare('SELECT a.* FROM kit_activations a WHERE a.seq = (SELECT MAX(b.seq) FROM kit_activations b WHERE b.channel = a.channel) ORDER BY a.channel').all() as ActivationRow[]
  ).map(toActive);
}

export function activeKit(store: Store, channel: string): ActiveKit | null {
  const r = store.db.prepare('SELECT * FROM kit_activations WHERE channel = ? ORDER BY seq DESC LIMIT 1').get(channel) as ActivationRow | undefined;
  return r ? toActive(r) : null;
}

/** Every activation, newest first. */
export function kitHistory(store: Store, limit = 100): ActiveKit[] {
  return (store.db.prepare('SELECT * FROM kit_activations ORDER BY seq DESC LIMIT ?').all(limit) as ActivationRow[]).map(toActive);
}
