/**
 * Injected time and identity. Engine code never calls Date.now()/Math.random() for anything that can
 * reach an output: it takes a Clock and an IdSource, so tests and replays are deterministic.
 */
import { randomBytes } from 'node:crypto';
import { digestJson, sha256Hex } from './canonical';

export interface Clock {
  /** Current instant as an ISO-8601 UTC string with millisecond precision. */
  nowIso(): string;
  /** Current instant in epoch milliseconds. */
  nowMs(): number;
}

export const systemClock: Clock = {
  nowIso: () => new Date().toISOString(),
  nowMs: () => Date.now(),
};

/** A clock frozen at `iso` (or advancing by `stepMs` on each read). */
export function fixedClock(iso: string, stepMs = 0): Clock {
  let t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`fixedClock: not an ISO date: ${iso}`);
  return {
    nowMs: () => {
      const v = t;
      t += stepMs;
      return v;
    },
    nowIso() {
      return new Date(this.nowMs()).toISOString();
    },
  };
}

export interface IdSource {
  /** A new unique id with the given prefix (`scan_…`). Used only for things that are not content-addressed. */
  next(prefix: string): string;
}

export const randomIds: IdSource = {
  next: (prefix) => `${prefix}_${randomBytes(12).toString('hex')}`,
};

/** Deterministic ids for tests: prefix_000001, prefix_000002, … */
export function sequentialIds(): IdSource {
  const counters = new Map<string, number>();
  return {
    next(prefix) {
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      return `${prefix}_${String(n).padStart(6, '0')}`;
    },
  };
}

/** Content-addressed id: `prefix_` + first 24 hex chars of the canonical digest of `value`. */
export function contentId(prefix: string, value: unknown): string {
  return `${prefix}_${digestJson(value).slice(7, 31)}`;
}

/** Short content id from raw bytes. */
export function bytesId(prefix: string, bytes: Uint8Array | string): string {
  return `${prefix}_${sha256Hex(bytes).slice(0, 24)}`;
}

export interface EngineContext {
  clock: Clock;
  ids: IdSource;
}

export const defaultContext: EngineContext = { clock: systemClock, ids: randomIds };
