/**
 * Raising a notification: route it through the rules, record it in `notify_log` (with where it went and
 * what was held back), rewrite the day's digest when it goes to the digest, and hand the deliveries to
 * the host's sink (the CLI prints `stderr` deliveries; the app shows `desktop` ones from the log, by
 * `seq`, so a notification raised in a worker or by the CLI reaches an open window too).
 *
 * A notification with a `dedupeKey` already in the log is not raised again (a stale feed is reported
 * once a day, not on every scan).
 */
import { canonicalJson, type Clock } from '../core';
import type { Store } from '../store';
import { writeDigestFiles } from './digest';
import { type Route, routeEvent } from './route';
import { type NotifyChannel, type NotifyEventKind, type NotifySettings, type NotifySeverity, readNotifySettings } from './settings';

export interface NotifyEvent {
  kind: NotifyEventKind;
  /** What it is about: a scan id, `stable@1.4.0`, a snapshot id. */
  subject: string;
  title: string;
  body: string;
  severity: NotifySeverity;
  kev: boolean;
  details: Record<string, unknown>;
  /** Raised at most once per key. */
  dedupeKey?: string;
}

export interface LoggedNotification extends Omit<NotifyEvent, 'dedupeKey'> {
  seq: number;
  at: string;
  channels: NotifyChannel[];
  suppressed: Route['suppressed'];
  rules: string[];
}

/** What a host does with a raised notification (deliver the `stderr` / `desktop` channels it lists). */
export type NotificationSink = (n: LoggedNotification) => void;

interface LogRow {
  seq: number;
  at: string;
  kind: string;
  subject: string;
  event: string;
  channels: string;
  suppressed: string;
}

function toLogged(r: LogRow): LoggedNotification {
  const e = JSON.parse(r.event) as Omit<NotifyEvent, 'dedupeKey'> & { rules?: string[] };
  return {
    seq: r.seq,
    at: r.at,
    kind: e.kind,
    subject: e.subject,
    title: e.title,
    body: e.body,
    severity: e.severity,
    kev: e.kev,
    details: e.details,
    channels: JSON.parse(r.channels) as NotifyChannel[],
    suppressed: JSON.parse(r.suppressed) as Route['suppressed'],
    rules: e.rules ?? [],
  };
}

export interface RaiseResult {
  /** The logged notification, or null when its dedupe key was already logged. */
  notification: LoggedNotification | null;
  /** Digest files rewritten. */
  digestFiles: string[];
}

/**
 * Route, log and deliver one event. Synchronous (a job may call it inside its transaction); the digest
 * files are written after the row is in.
 */
export function raiseNotification(store: Store, event: NotifyEvent, ctx: { clock: Clock; notify?: NotificationSink }, settings: NotifySettings = readNotifySettings(store).settings): RaiseResult {
  const at = ctx.clock.nowIso();
  const route = routeEvent(settings, event, Date.parse(at));
  const { dedupeKey, ...rest } = event;
  const row = store.write(() => {
    if (dedupeKey !== undefined && store.db.prepare('SELECT 1 FROM notify_log WHERE dedupe_key = ?').get(dedupeKey)) return null;
    const info = store.db
      .prepare('INSERT INTO notify_log (at, kind, subject, dedupe_key, event, channels, suppressed) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(at, event.kind, event.subject, dedupeKey ?? null, canonicalJson({ ...rest, rules: route.rules }), JSON.stringify(route.channels), JSON.stringify(route.suppressed));
    return store.db.prepare('SELECT * FROM notify_log WHERE seq = ?').get(Number(info.lastInsertRowid)) as LogRow;
  });
  if (!row) return { notification: null, digestFiles: [] };
  const logged = toLogged(row);
  let digestFiles: string[] = [];
  if (logged.channels.includes('digest') && settings.digest) {
    const day = at.slice(0, 10);
    digestFiles = writeDigestFiles(settings.digest.dir, day, settings.digest.formats, digestOf(store, day));
  }
  ctx.notify?.(logged);
  return { notification: logged, digestFiles };
}

/** The notifications of one UTC day that went to the digest, in order. */
export function digestOf(store: Store, day: string): LoggedNotification[] {
  return (store.db.prepare("SELECT * FROM notify_log WHERE at >= ? AND at < ? || 'T99' ORDER BY seq").all(`${day}T`, day) as LogRow[]).map(toLogged).filter((n) => n.channels.includes('digest'));
}

/** Notifications logged after `afterSeq`, oldest first (hosts poll this for desktop notifications). */
export function notificationsSince(store: Store, afterSeq: number, limit = 100): LoggedNotification[] {
  return (store.db.prepare('SELECT * FROM notify_log WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, limit) as LogRow[]).map(toLogged);
}

/** The newest notification's seq (0 when none): where a host starts its cursor. */
export function lastNotificationSeq(store: Store): number {
  return (store.db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM notify_log').get() as { s: number }).s;
}

/** Recent notifications, newest first. */
export function listNotifications(store: Store, limit = 50): LoggedNotification[] {
  return (store.db.prepare('SELECT * FROM notify_log ORDER BY seq DESC LIMIT ?').all(limit) as LogRow[]).map(toLogged);
}
