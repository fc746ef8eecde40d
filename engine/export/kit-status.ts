/**
 * Feed age: how old the data behind the current advisory snapshot is. Data that arrived in a kit or
 * mirror bundle is as old as the package's data date (not as old as its import); data imported directly
 * (`stella advisories import`) is as old as its import. Stale data is never refused — every place that
 * shows results shows its age and a warning past the threshold (`staleAfterDays`, default 7).
 */
import { currentSnapshot } from '../advisories/snapshots';
import type { Store } from '../store';
import { ExportError } from './errors';
import { type ActiveKit, activeKits } from './kit-state';

export const DEFAULT_STALE_AFTER_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface FeedAge {
  /** The data's date (RFC 3339), or null when no advisory is stored. */
  asOf: string | null;
  /** Whole days between `asOf` and now (never negative); null when nothing is stored. */
  ageDays: number | null;
  /** Seconds between `asOf` and now (never negative); null when nothing is stored. */
  ageSeconds: number | null;
  stale: boolean;
  staleAfterDays: number;
  /** Where `asOf` comes from: a kit / mirror activation, direct imports, or nothing stored. */
  basis: 'kit' | 'import' | 'none';
  /** The advisory snapshot the age describes. */
  snapshot: string | null;
  /** One line for headers and warnings. */
  message: string;
}

export function staleAfterDays(store: Store): number {
  const r = store.db.prepare("SELECT value FROM kit_settings WHERE key = 'staleAfterDays'").get() as { value: string } | undefined;
  const n = r ? Number(r.value) : DEFAULT_STALE_AFTER_DAYS;
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_STALE_AFTER_DAYS;
}

export function setStaleAfterDays(store: Store, days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new ExportError('invalid-argument', `stale-after days must be a whole number from 1 to 3650, got ${days}`);
  store.write(() => store.db.prepare("INSERT INTO kit_settings (key, value) VALUES ('staleAfterDays', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(days)));
}

function plural(n: number, w: string): string {
  return `${n} ${w}${n === 1 ? '' : 's'}`;
}

/**
 * The date of the current advisory data (not of its import): the active kit's data date when nothing was
 * imported directly since, else the newest direct import. Depends on the store only.
 */
export function feedDataDate(store: Store): { asOf: string; basis: 'kit' | 'import'; snapshot: string } | null {
  const snap = currentSnapshot(store);
  if (snap.id === null) return null;
  const kit = store.db
    .prepare(
      `SELECT a.feed_date, s.max_seq FROM kit_activations a JOIN adv_snapshots s ON s.id = a.advisory_snapshot
       WHERE a.advisory_snapshot IS NOT NULL ORDER BY a.seq DESC LIMIT 1`,
    )
    .get() as { feed_date: string; max_seq: number } | undefined;
  const importedSince = (store.db.prepare('SELECT MAX(imported_at) AS t FROM adv_raw_documents WHERE seq > ?').get(kit?.max_seq ?? 0) as { t: string | null }).t;
  if (kit && (importedSince === null || Date.parse(kit.feed_date) >= Date.parse(importedSince))) return { asOf: kit.feed_date, basis: 'kit', snapshot: snap.id };
  return { asOf: importedSince ?? kit!.feed_date, basis: 'import', snapshot: snap.id };
}

/** The age of the current advisory data at `nowMs`. */
export function feedAge(store: Store, nowMs: number): FeedAge {
  const threshold = staleAfterDays(store);
  const data = feedDataDate(store);
  if (data === null) {
    return { asOf: null, ageDays: null, ageSeconds: null, stale: false, staleAfterDays: threshold, basis: 'none', snapshot: null, message: 'no advisory data is loaded' };
  }
  const { asOf, basis } = data;
  const ageMs = Math.max(0, nowMs - Date.parse(asOf));
  const ageDays = Math.floor(ageMs / DAY_MS);
  const stale = ageMs > threshold * DAY_MS;
  const how = basis === 'kit' ? 'data date of the active kit' : 'last import';
  const message = `advisory data as of ${asOf} (${how}), ${ageDays === 0 ? 'less than a day' : plural(ageDays, 'day')} old${stale ? ` — STALE: older than ${plural(threshold, 'day')}; results may miss newer vulnerabilities` : ''}`;
  return { asOf, ageDays, ageSeconds: Math.floor(ageMs / 1000), stale, staleAfterDays: threshold, basis, snapshot: data.snapshot, message };
}

export interface KitStatus {
  channels: ActiveKit[];
  feedAge: FeedAge;
  snapshot: { advisories: string | null; documents: number };
}

export function kitStatus(store: Store, nowMs: number): KitStatus {
  const snap = currentSnapshot(store);
  return { channels: activeKits(store), feedAge: feedAge(store, nowMs), snapshot: { advisories: snap.id, documents: snap.documentCount } };
}
