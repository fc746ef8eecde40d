/**
 * Notification jobs: read and set the rules (one settings document: rules, quiet hours, digest folder),
 * send a test notification through them, and read the notification log (the app polls it for desktop
 * notifications). Hosts: `stella notify rules|test|list`, the app's `notify.*` channels.
 */
import { readFileSync, statSync } from 'node:fs';
import {
  type LoggedNotification,
  type NotifyEventKind,
  type NotifySeverity,
  type RaiseResult,
  type StoredSettings,
  NotifyError,
  NOTIFY_EVENT_KINDS,
  SEVERITIES,
  lastNotificationSeq,
  listNotifications,
  notificationsSince,
  parseNotifySettings,
  raiseNotification,
  readNotifySettings,
  testEvent,
  writeNotifySettings,
} from '../notify';
import { appendAudit } from '../audit';
import type { Store } from '../store';
import type { JobContext } from './context';

const MAX_RULES_FILE = 1024 * 1024;

export function notifyRulesJob(store: Store): StoredSettings {
  return readNotifySettings(store);
}

/** Set the rules from a JSON or YAML file, or text already read (the app); `reset`: back to the defaults. Audited. */
export function setNotifyRulesJob(store: Store, input: { file: string } | { text: string; name: string } | { reset: true }, ctx: JobContext): StoredSettings {
  let settings = null;
  if ('text' in input) settings = parseNotifySettings(input.text, input.name);
  else if ('file' in input) {
    let size: number;
    try {
      size = statSync(input.file).size;
    } catch (e) {
      throw new NotifyError('invalid-rules', `${input.file}: cannot read (${(e as Error).message})`, { cause: e, details: { file: input.file } });
    }
    if (size > MAX_RULES_FILE) throw new NotifyError('invalid-rules', `${input.file}: ${size} bytes is too large for notification settings`, { details: { file: input.file } });
    settings = parseNotifySettings(readFileSync(input.file, 'utf8'), input.file);
  }
  return store.write(() => {
    const r = writeNotifySettings(store, settings, ctx);
    appendAudit(store, { kind: 'notify.rules-changed', subject: r.source, details: { rules: r.settings.rules.map((x) => x.id), quietHours: r.settings.quietHours ?? null, digest: r.settings.digest ?? null } }, ctx);
    return r;
  });
}

export interface NotifyTestInput {
  kind?: NotifyEventKind;
  severity?: NotifySeverity;
  kev?: boolean;
}

export function notifyTestJob(store: Store, input: NotifyTestInput, ctx: JobContext): RaiseResult {
  const kind = input.kind ?? 'scan.completed';
  const severity = input.severity ?? 'critical';
  if (!NOTIFY_EVENT_KINDS.includes(kind)) throw new NotifyError('invalid-argument', `--kind ${kind}: expected one of ${NOTIFY_EVENT_KINDS.join(', ')}`);
  if (!SEVERITIES.includes(severity)) throw new NotifyError('invalid-argument', `--severity ${severity}: expected one of ${SEVERITIES.join(', ')}`);
  return raiseNotification(store, testEvent(kind, severity, input.kev === true), ctx);
}

export function notificationsSinceJob(store: Store, input: { afterSeq?: number; limit?: number }): { last: number; notifications: LoggedNotification[] } {
  const last = lastNotificationSeq(store);
  if (input.afterSeq === undefined) return { last, notifications: listNotifications(store, input.limit ?? 50) };
  return { last, notifications: notificationsSince(store, input.afterSeq, input.limit ?? 100) };
}
