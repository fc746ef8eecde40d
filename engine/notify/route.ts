/**
 * Routing one event through the rules: the channels it goes to (every matching, enabled rule adds its
 * channels), the ones held back by quiet hours, and the rules that matched. Pure: the instant is a
 * parameter, the time zone comes from the settings (else the system's).
 */
import { type NotifyChannel, type NotifyEventKind, type NotifySettings, type NotifySeverity, type QuietHours, NOTIFY_CHANNELS, SEVERITY_RANK } from './settings';

export interface RoutableEvent {
  kind: NotifyEventKind;
  severity: NotifySeverity;
  kev: boolean;
}

export interface Route {
  /** Channels the event is delivered to now. */
  channels: NotifyChannel[];
  /** Channels a rule asked for that quiet hours (or a missing digest folder) held back. */
  suppressed: { channel: NotifyChannel; reason: string }[];
  /** Ids of the rules that matched. */
  rules: string[];
}

function minutesIn(nowMs: number, timeZone: string | undefined): number {
  const parts = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) }).formatToParts(new Date(nowMs));
  const h = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const m = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return h * 60 + m;
}

function toMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** Whether `nowMs` falls in the quiet hours (start inclusive, end exclusive; across midnight when end < start). */
export function isQuiet(q: QuietHours | undefined, nowMs: number): boolean {
  if (!q) return false;
  const now = minutesIn(nowMs, q.timeZone);
  const start = toMinutes(q.start);
  const end = toMinutes(q.end);
  if (start === end) return false;
  return start < end ? now >= start && now < end : now >= start || now < end;
}

export function routeEvent(settings: NotifySettings, event: RoutableEvent, nowMs: number): Route {
  const wanted = new Set<NotifyChannel>();
  const rules: string[] = [];
  for (const r of settings.rules) {
    if (!r.enabled || !r.kinds.includes(event.kind)) continue;
    if (r.minSeverity !== undefined && SEVERITY_RANK[event.severity] < SEVERITY_RANK[r.minSeverity]) continue;
    if (r.kevOnly && !event.kev) continue;
    rules.push(r.id);
    for (const c of r.channels) wanted.add(c);
  }
  const quiet = isQuiet(settings.quietHours, nowMs);
  const held = new Set(quiet ? (settings.quietHours?.channels ?? ['desktop']) : []);
  const channels: NotifyChannel[] = [];
  const suppressed: Route['suppressed'] = [];
  for (const c of NOTIFY_CHANNELS) {
    if (!wanted.has(c)) continue;
    if (held.has(c)) suppressed.push({ channel: c, reason: `quiet hours ${settings.quietHours!.start}–${settings.quietHours!.end}` });
    else channels.push(c);
  }
  // What quiet hours hold back is not lost: it goes into the digest when there is one.
  if (suppressed.length && settings.digest && !channels.includes('digest')) channels.push('digest');
  const digestAt = channels.indexOf('digest');
  if (digestAt >= 0 && !settings.digest) {
    channels.splice(digestAt, 1);
    suppressed.push({ channel: 'digest', reason: 'no digest folder is set (notify settings: digest.dir)' });
  }
  return { channels, suppressed, rules };
}
